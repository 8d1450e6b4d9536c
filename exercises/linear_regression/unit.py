"""linear_regression: its messages in English and Chinese, and what else the grader knows of it."""

from autograder.registry import Mistake

MESSAGES = {
    "sgd.not_divided": {
        "en": "The step is batch_size times too large: divide the gradient by batch_size "
              "(param.grad is the sum of the gradients of the batch_size examples).",
        "zh": "更新步长大了 batch_size 倍：梯度要除以 batch_size"
              "（param.grad 是 batch_size 个样本梯度之和）。",
    },
    "sgd.divided_twice": {
        "en": "The step is batch_size times too small: the gradient is divided by batch_size "
              "twice. Divide it once.",
        "zh": "更新步长小了 batch_size 倍：梯度被除了两次 batch_size，只需除一次。",
    },
    "sgd.rebinds": {
        "en": "sgd did not change the caller's tensors: `param = param - ...` only rebinds "
              "the loop variable. Update in place: `param -= lr * param.grad / batch_size` "
              "inside `with torch.no_grad():`.",
        "zh": "sgd 没有改变调用者的张量：`param = param - ...` 只是让循环变量指向新张量。"
              "请在 `with torch.no_grad():` 中原地更新：`param -= lr * param.grad / batch_size`。",
    },
    "sgd.leaf_in_place": {
        "en": "PyTorch refuses to change a leaf tensor that requires grad in place while "
              "autograd is recording. Do the update inside `with torch.no_grad():` (or "
              "on param.data).",
        "zh": "在自动求导记录计算图时，PyTorch 不允许原地修改需要梯度的叶子张量。"
              "请把更新写在 `with torch.no_grad():` 里（或对 param.data 操作）。",
    },
    "sgd.replaced_param": {
        "en": "After sgd, {name} is no longer a leaf tensor that requires grad: update its "
              "values in place instead of replacing or detaching it.",
        "zh": "sgd 之后 {name} 不再是需要梯度的叶子张量：请原地更新它的数值，不要替换它，也不要对它调用 detach()。",
    },
    "sgd.wrong_step": {
        "en": "{name} after one sgd step is wrong: expected param - lr * param.grad / "
              "batch_size.",
        "zh": "sgd 一步之后 {name} 的值不对：应为 `param - lr * param.grad / batch_size`。",
    },
    "sgd.changed_grad": {
        "en": "sgd changed param.grad to something other than zero: leave the gradients "
              "alone (or zero them, as d2l-zh does).",
        "zh": "sgd 把 param.grad 改成了非零的其他值：请不要改动梯度（或像 d2l-zh 那样清零）。",
    },
    "train_epoch.non_scalar_backward": {
        "en": "train_epoch calls backward() on a loss with one value per example: "
              "sum it first, `loss(net(X, *params), y).sum().backward()`.",
        "zh": "train_epoch 对每个样本一个值的损失调用了 backward()：请先求和，"
              "`loss(net(X, *params), y).sum().backward()`。",
    },
    "train_epoch.loss_arguments_swapped": {
        "en": "train_epoch calls loss(y, net(X, *params)): the book's loss takes the "
              "prediction first, then the label, `loss(net(X, *params), y)`. The squared "
              "loss happens to give the same value either way, but it reshapes its second "
              "argument to the first's shape, and a loss that is not symmetric (such as the "
              "cross-entropy of the next chapters) would compute something else.",
        "zh": "train_epoch 调用的是 loss(y, net(X, *params))：书中的损失函数先接收预测值，"
              "再接收标签，应写作 `loss(net(X, *params), y)`。平方损失碰巧在两种顺序下"
              "结果相同，但它会把第二个参数变形为第一个参数的形状；对不对称的损失"
              "（例如后面章节的交叉熵），交换参数就会算出别的东西。",
    },
    "train_epoch.never_zeroes": {
        "en": "train_epoch never zeroes the gradients, so they accumulate across batches: "
              "at batch {batch} the updater saw the sum of the gradients of batches 1 to "
              "{batch}. Zero every param.grad after the update (param.grad.zero_()), or "
              "before each backward().",
        "zh": "train_epoch 从不清零梯度，梯度会跨批次累加：第 {batch} 批时更新函数看到的是第 1 到第 "
              "{batch} 批梯度之和。请在每次更新后清零 param.grad（param.grad.zero_()），"
              "或者在每次 backward() 之前清零。",
    },
    "train_epoch.zeroes_before_update": {
        "en": "train_epoch zeroes the gradients before the update, so the updater sees only "
              "zeros and nothing is learned: zero them after updater(...) (or before "
              "backward()).",
        "zh": "train_epoch 在更新之前就把梯度清零了，更新函数只看到零，模型学不到东西："
              "请在 updater(...) 之后（或 backward() 之前）清零。",
    },
    "train_epoch.mean_loss": {
        "en": "train_epoch averages the loss before backward(), so the gradient is "
              "batch_size times too small (the updater divides by batch_size again): "
              "sum it with .sum().",
        "zh": "train_epoch 在 backward() 前对损失取了平均，梯度小了 batch_size 倍"
              "（更新函数还会再除以 batch_size）：请用 .sum() 求和。",
    },
    "train_epoch.update_count": {
        "en": "train_epoch called the updater {actual} times for {expected} minibatches: "
              "call it once per minibatch.",
        "zh": "train_epoch 对 {expected} 个小批量调用了 {actual} 次更新函数：每个小批量应调用一次。",
    },
    "train_epoch.updater_arguments": {
        "en": "train_epoch called updater(params, {lr}, {batch_size}); expected "
              "updater(params, lr, batch_size) with lr={expected_lr}, "
              "batch_size={expected_batch_size}.",
        "zh": "train_epoch 调用了 updater(params, {lr}, {batch_size})；应为 "
              "updater(params, lr, batch_size)，其中 lr={expected_lr}，"
              "batch_size={expected_batch_size}。",
    },
    "train_epoch.wrong_gradient": {
        "en": "At batch {batch} the updater saw the wrong gradient: compute "
              "loss(net(X, *params), y).sum() for that batch and call backward() on it.",
        "zh": "第 {batch} 批时更新函数看到的梯度不对：请对这一批计算 "
              "loss(net(X, *params), y).sum() 并对它调用 backward()。",
    },
    "squared_loss.broadcast": {
        "en": "squared_loss returned shape {actual} for y_hat {y_hat_shape} and y "
              "{y_shape}: y_hat - y broadcast to (n, n). Reshape y first: "
              "y.reshape(y_hat.shape).",
        "zh": "y_hat 形状为 {y_hat_shape}、y 形状为 {y_shape} 时 squared_loss 返回了形状 "
              "{actual}：y_hat - y 被广播成了 (n, n)。请先 y.reshape(y_hat.shape)。",
    },
    "squared_loss.no_half": {
        "en": "squared_loss is twice the expected value: divide by 2, "
              "(y_hat - y) ** 2 / 2.",
        "zh": "squared_loss 的值是正确值的两倍：请除以 2，即 (y_hat - y) ** 2 / 2。",
    },
    "squared_loss.reduced": {
        "en": "squared_loss returned a single number (a {reduction}), but it should return "
              "one loss per example, shaped like y_hat: leave the reduction to the caller.",
        "zh": "squared_loss 返回了一个数（{reduction}），但应当返回每个样本各自的损失，"
              "形状与 y_hat 相同：求和或平均交给调用者。",
    },
    "data_iter.missing": {
        "en": "data_iter skipped {count} example(s) in one epoch (e.g. example {example}): "
              "every example must appear exactly once.",
        "zh": "data_iter 在一个轮次中漏掉了 {count} 个样本（例如第 {example} 个）：每个样本必须恰好出现一次。",
    },
    "data_iter.repeated": {
        "en": "data_iter yielded example {example} {times} times in one epoch: every "
              "example must appear exactly once.",
        "zh": "data_iter 在一个轮次中把第 {example} 个样本给出了 {times} 次：每个样本必须恰好出现一次。",
    },
    "data_iter.dropped_last": {
        "en": "data_iter dropped the short last batch ({count} examples): keep it, "
              "the last batch may be shorter than batch_size.",
        "zh": "data_iter 丢掉了最后那个不满的小批量（{count} 个样本）：请保留它，最后一批可以小于 batch_size。",
    },
    "data_iter.not_shuffled": {
        "en": "data_iter reads the examples in their stored order: shuffle the indices "
              "(torch.randperm) so each minibatch is a random sample.",
        "zh": "data_iter 按存储顺序读取样本：请打乱下标（torch.randperm），让每个小批量都是随机样本。",
    },
    "data_iter.same_order": {
        "en": "data_iter gives the same order in every epoch: shuffle inside data_iter, each "
              "time it is called, not once at import.",
        "zh": "data_iter 每个轮次的顺序都一样：请在 data_iter 每次被调用时打乱，而不是在导入时只打乱一次。",
    },
    "data_iter.batch_size": {
        "en": "data_iter yielded a batch of {actual} examples where {expected} were "
              "expected: all batches but the last hold batch_size examples.",
        "zh": "data_iter 给出了含 {actual} 个样本的小批量，应为 {expected} 个：除最后一批外每批都应有 "
              "batch_size 个样本。",
    },
    "data_iter.batch_too_large": {
        "en": "data_iter yielded {actual} examples in batch {batch}, more than batch_size = "
              "{batch_size}: every batch holds batch_size examples, and only the last may "
              "hold fewer (the remaining n % batch_size). Cut the shuffled indices into "
              "slices indices[i : i + batch_size] for i in range(0, n, batch_size).",
        "zh": "data_iter 在第 {batch} 个小批量中给出了 {actual} 个样本，多于 batch_size = {batch_size}："
              "每个小批量应有 batch_size 个样本，只有最后一批可以更少（剩下的 n % batch_size 个）。"
              "请把打乱后的下标切成 indices[i : i + batch_size]，其中 i 取 range(0, n, batch_size)。",
    },
    "data_iter.mismatched_pairs": {
        "en": "data_iter pairs features with the wrong labels: index features and labels "
              "with the same indices.",
        "zh": "data_iter 把特征和错误的标签配在了一起：请用同一组下标去取 features 和 labels。",
    },
    "data_iter.not_an_example": {
        "en": "data_iter yielded a row that is none of the examples it was given (its "
              "label is {value}): yield rows of features and labels as they are.",
        "zh": "data_iter 产出的某一行不是传入的任何一个样本（它的标签是 {value}）：请原样产出 "
              "features 和 labels 中的行。",
    },
    "data_iter.empty_batch": {
        "en": "data_iter's minibatch {batch} is empty: stop once every example was yielded "
              "(range(0, num_examples, batch_size) does).",
        "zh": "data_iter 的第 {batch} 个小批量是空的：所有样本都产出之后就应停止"
              "（range(0, num_examples, batch_size) 正是如此）。",
    },
    "data_iter.not_pairs": {
        "en": "data_iter should yield (X, y) pairs of tensors, but it yielded {actual}.",
        "zh": "data_iter 应当产出 (X, y) 张量对，但它产出了 {actual}。",
    },
    "test.linear_regression.test_linreg_values": {
        "en": "linreg computes X @ w + b with shape (n, 1)",
        "zh": "linreg 计算 X @ w + b，形状为 (n, 1)",
    },
    "test.linear_regression.test_linreg_stays_on_device": {
        "en": "linreg keeps its right result on the inputs' device",
        "zh": "linreg 的正确结果留在输入所在的设备上",
    },
    "test.linear_regression.test_squared_loss_values": {
        "en": "squared_loss gives (y_hat - y) ** 2 / 2 for each example",
        "zh": "squared_loss 对每个样本给出 (y_hat - y) ** 2 / 2",
    },
    "test.linear_regression.test_squared_loss_reshapes_labels": {
        "en": "squared_loss reshapes labels of shape (n,) to y_hat's shape (n, 1)",
        "zh": "squared_loss 把形状为 (n,) 的标签变形为 y_hat 的形状 (n, 1)",
    },
    "test.linear_regression.test_squared_loss_stays_on_device": {
        "en": "squared_loss keeps its right result on the inputs' device",
        "zh": "squared_loss 的正确结果留在输入所在的设备上",
    },
    "test.linear_regression.test_sgd_step": {
        "en": "sgd updates each parameter in place by lr * grad / batch_size",
        "zh": "sgd 按 lr * grad / batch_size 原地更新每个参数",
    },
    "test.linear_regression.test_train_epoch": {
        "en": "train_epoch sums the loss, backpropagates, updates and zeroes the gradients per batch",
        "zh": "train_epoch 对每个小批量求和损失、反向传播、更新并清零梯度",
    },
    "test.linear_regression.test_data_iter_covers_every_example": {
        "en": "data_iter yields every example exactly once, in batches of batch_size",
        "zh": "data_iter 以 batch_size 为批恰好给出每个样本一次",
    },
    "test.linear_regression.test_data_iter_keeps_short_last_batch": {
        "en": "data_iter keeps the short last batch",
        "zh": "data_iter 保留最后那个不满的小批量",
    },
    "test.linear_regression.test_data_iter_shuffles": {
        "en": "data_iter reads the examples in a fresh random order each epoch",
        "zh": "data_iter 每个轮次都以新的随机顺序读取样本",
    },
    "test.linear_regression.test_data_iter_stays_on_device": {
        "en": "data_iter yields the right minibatches on the data's device",
        "zh": "data_iter 给出的正确小批量在数据所在的设备上",
    },
    "feedback.linear_regression.heading": {
        "en": "Linear regression: the training loss", "zh": "线性回归：训练损失"},
    "feedback.linear_regression.intro": {
        "en": "{epochs} epochs of your train_epoch with your data_iter, linreg, squared_loss "
              "and sgd on the book's synthetic data (true_w = [2, -3.4], true_b = 4.2, "
              "{examples} examples, lr = {lr:g}, batch_size = {batch_size}). The curve is the "
              "mean loss on the whole data set after each update, on a logarithmic scale; the "
              "horizontal axis counts epochs. A curve that climbs or stays flat is a loop that "
              "does not learn: zero the gradients after each update, and divide the step by "
              "batch_size.",
        "zh": "用你的 train_epoch，以及你的 data_iter、linreg、squared_loss 和 sgd，在书中的"
              "合成数据上训练 {epochs} 个轮次（true_w = [2, -3.4]，true_b = 4.2，"
              "{examples} 个样本，lr = {lr:g}，batch_size = {batch_size}）。曲线是每次更新后"
              "整个数据集上的平均损失，纵轴为对数刻度，横轴为轮次。曲线上升或停滞不降，"
              "说明训练循环没有在学习：每次更新后要清零梯度，步长要除以 batch_size。",
    },
    "feedback.linear_regression.trusted": {
        "en": "{functions} failed a test, so the curve uses the book's version instead: it "
              "shows your train_epoch alone.",
        "zh": "{functions} 没有通过测试，因此曲线改用书中的版本：它只反映你的 train_epoch。",
    },
    "feedback.no_updates": {
        "en": "train_epoch never called the updater: the parameters never changed.",
        "zh": "train_epoch 从未调用 updater：参数一直没有变化。",
    },
    "feedback.cut.snapshots": {
        "en": "The picture of {function} was cut: it updated the parameters {count} times, "
              "and only the first {kept} updates are drawn.",
        "zh": "{function} 的图已截断：它更新了 {count} 次参数，只画出了前 {kept} 次更新。",
    },
    "course.linear_regression.notes": {
        "en": "The model predicts {prediction} for a minibatch\n{X} of shape {shape}. "
              "Training repeats, for each minibatch\n{batch}: compute the loss, backpropagate, "
              "and take one step of minibatch\nstochastic gradient descent\n\n{step}\n\n"
              "The study group's loop, which your functions must fit:\n\n{loop}",
        "zh": "对形状为 {shape} 的小批量 {X}，模型的预测是 {prediction}。训练时对每个小批量 "
              "{batch} 重复：计算损失、反向传播，再做一步小批量随机梯度下降\n\n{step}\n\n"
              "学习小组的训练循环如下，你的函数必须能放进这个循环：\n\n{loop}",
    },
    "course.linear_regression.sgd.note": {
        "en": "**Why divide by `batch_size`?** The loss the training loop calls `backward()` "
              "on is the\n*sum* of the minibatch's per-example losses, so `param.grad` is the "
              "sum of `batch_size`\ngradients. Dividing by `batch_size` makes it their mean: "
              "the step no longer grows with\nthe batch, and the learning rate means the same "
              "for any batch size.",
        "zh": "**为什么要除以 `batch_size`？** 训练循环对其调用 `backward()` 的损失，是小批量中"
              "各样本损失的*和*，所以 `param.grad` 是 `batch_size` 个梯度之和。除以 `batch_size` "
              "就得到它们的平均值：步长不再随批量变大，学习率对任何批量大小都有相同的含义。",
    },
    "course.linear_regression.train_epoch.note": {
        "en": "**Why sum the loss before `backward()`?** `loss(net(X, *params), y)` is a "
              "vector, one\nloss per example, and `backward()` needs a scalar (PyTorch refuses "
              "to backpropagate a\nvector without being told how to weigh its entries). The "
              "sum is that scalar, and its\ngradient is the sum of the per-example gradients, "
              "which `sgd` divides by `batch_size`.\n**Why zero the gradients?** `backward()` "
              "adds into `.grad`: without zeroing, each\nminibatch would also step along all "
              "the earlier minibatches' gradients.",
        "zh": "**为什么在 `backward()` 之前对损失求和？** `loss(net(X, *params), y)` 是一个向量，"
              "每个样本一个损失，而 `backward()` 需要一个标量（不告诉 `torch` 如何加权各个元素，"
              "它就拒绝对向量反向传播）。求和得到的就是这个标量，它的梯度是各样本梯度之和，"
              "`sgd` 再把它除以 `batch_size`。\n**为什么要把梯度清零？** `backward()` 会把梯度"
              "累加到 `.grad` 中：不清零的话，每个小批量还会沿着之前所有小批量的梯度再走一步。",
    },
    "course.linear_regression.intro": {"zh": """\
从零开始实现线性回归。

《动手学深度学习》“线性神经网络”一章的“线性回归的从零开始实现”一节（学习小组所用中文版的 3.2 节）。\
你要实现从零开始的训练循环的四个部分：小批量读取器、模型、损失和小批量随机梯度下降的更新，\
再实现把它们串起来的一个轮次的训练循环。"""},
    "course.linear_regression.data_iter.doc": {"zh": """\
以随机顺序生成 (features, labels) 的小批量。

每个轮次（完整遍历一次生成器）中每个样本恰好出现一次，且每次新建生成器时顺序都重新随机。\
打乱很重要，因为随机梯度下降假定每个小批量都是数据集的随机样本；按存储顺序读取样本会得到\
相关的、有偏的梯度估计。

用 torch.randperm 生成顺序，这样 torch.manual_seed 能让一个轮次可以复现\
（像本书那样用 random.shuffle 打乱一个下标列表也可以）。

参数：
    batch_size: 每个小批量的样本数（int，> 0）。
    features: 形状为 (n, d) 的张量，任意浮点 dtype，任意设备。
    labels: 第一维为 n 的张量，例如 (n,) 或 (n, 1)，与 features 在同一设备上。

生成：
    (X, y)，其中 X 和 y 是 features 和 labels 中按同一批下标（长度为 batch_size）取出的行；\
只有最后一批可以更短（n % batch_size 个样本）。下标张量位于 features.device 上。\
不原地修改任何东西。"""},
    "course.linear_regression.linreg.doc": {"zh": """\
线性回归模型 X @ w + b。

一次矩阵向量乘法就算出小批量中每个样本的预测；b 沿行广播。

参数：
    X: 特征，形状为 (n, d)。
    w: 权重，形状为 (d, 1)，与 X 的 dtype 和设备相同。
    b: 偏置，形状为 (1,)（或标量张量），dtype 和设备相同。

返回：
    形状为 (n, 1) 的预测 y_hat。不原地修改任何东西；结果留在 w 和 b 的自动求导计算图中。"""},
    "course.linear_regression.squared_loss.doc": {"zh": """\
逐样本的平方损失 (y_hat - y) ** 2 / 2。

系数 1/2 让导数恰好是 y_hat - y。这里不做归约：由调用者决定求和还是求平均。

参数：
    y_hat: 预测，形状为 (n, 1)。
    y: 真实标签，形状为 (n,) 或 (n, 1)，dtype 和设备相同。先把 y 变形为 y_hat 的形状：\
用 (n, 1) 的张量减去 (n,) 的张量会广播成 (n, n)。

返回：
    与 y_hat 形状相同的张量，每个样本一个损失。不原地修改任何东西。"""},
    "course.linear_regression.sgd.doc": {"zh": """\
小批量随机梯度下降：param -= lr * grad / batch_size。

调用 backward() 的损失是小批量中各样本损失的*和*，所以 param.grad 是 batch_size 个梯度之和；\
除以 batch_size 把它变成平均梯度，使步长与批量大小无关。

参数：
    params: requires_grad=True 的叶子张量，其 .grad 已由 backward() 填好，例如 [w, b]。
    lr: 学习率（float）。
    batch_size: 梯度求和所用的样本数。

返回：
    None。每个 param 被原地更新，且必须仍是同一个 requires_grad=True 的叶子张量：\
在 torch.no_grad() 下做更新，这样自动求导既不记录它，也不会因原地修改叶子张量而报错\
（像本书的 d2lzh_pytorch 那样更新 param.data 也可以）。这里不必清零梯度（由 train_epoch 负责）；\
像本书的中文版那样在这里也清零，同样可以。"""},
    "course.linear_regression.train_epoch.doc": {"zh": """\
运行从零开始的训练循环的一个轮次。

对 data 中的每个小批量 (X, y)：把逐样本损失 loss(net(X, *params), y) 求和成一个标量，\
对它调用 backward()，调用 updater(params, lr, batch_size)，然后把每个 param 的梯度清零\
（改在 backward() 之前清零，即通常调用 zero_grad() 的位置，也可以）。\
对损失求和是因为 backward() 需要标量；清零梯度是因为 torch 会把梯度累加到 .grad 中，\
否则下一个小批量看到的是此前所有梯度之和：每次更新都必须只看到它自己那个小批量的梯度。

参数：
    net: 以 net(X, *params) 调用的模型，例如 linreg。
    loss: 以 loss(y_hat, y) 调用的逐样本损失，例如 squared_loss。
    updater: 以 updater(params, lr, batch_size) 调用的优化步骤，例如 sgd。
    data: 由小批量 (X, y) 组成的可迭代对象，例如 data_iter(batch_size, features, labels)。
    params: requires_grad=True 的叶子张量，例如 [w, b]。
    lr: 传给 updater 的学习率。
    batch_size: 传给 updater 的批量大小。

返回：
    None。params 被原地更新（通过 updater）。"""},
}

# A fragment of the error text that a classic mistake raises, and its diagnosis.
KNOWN_ERRORS = [
    ("sgd", "leaf Variable that requires grad", "sgd.leaf_in_place"),
    ("train_epoch", "grad can be implicitly created only for scalar outputs",
     "train_epoch.non_scalar_backward"),
]

# The notebook's formulas and code: the fields of course.linear_regression.notes.
FORMULAS = {
    "prediction": r"$\hat{\mathbf{y}} = \mathbf{X}\mathbf{w} + b$",
    "X": r"$\mathbf{X}$",
    "shape": r"$(n, d)$",
    "batch": r"$\mathcal{B}$",
    "step": r"""$$(\mathbf{w}, b) \leftarrow (\mathbf{w}, b) - \frac{\eta}{|\mathcal{B}|}
\sum_{i \in \mathcal{B}} \partial_{(\mathbf{w}, b)}\, l^{(i)}(\mathbf{w}, b).$$""",
    "loop": """```python
for epoch in range(num_epochs):
    for X, y in data_iter(batch_size, features, labels):
    l = loss(net(X, w, b), y).sum()
    l.backward()
    sgd([w, b], lr, batch_size)
    w.grad.data.zero_()
    b.grad.data.zero_()
```""",
}
# Each function's formula, shown under its contract in the notebook.
FUNCTION_FORMULAS = {
    "linreg": r"$\hat{\mathbf{y}} = \mathbf{X}\mathbf{w} + b$",
    "squared_loss": r"$l^{(i)}(\mathbf{w}, b) = \frac{1}{2}\left(\hat{y}^{(i)} - y^{(i)}\right)^2$",
}

# Classic mistakes: the reference with one definition replaced by the code, which must
# lose points with the diagnosis named (the project's tests and benches grade each one).
MISTAKES = [
    Mistake("sgd-not-divided", "sgd", "sgd.not_divided", """
    def sgd(params, lr, batch_size):
        with torch.no_grad():
            for param in params:
                param -= lr * param.grad
"""),
    Mistake("loss-no-half", "squared_loss", "squared_loss.no_half", """
    def squared_loss(y_hat, y):
        return (y_hat - y.reshape(y_hat.shape)) ** 2
"""),
    Mistake("epoch-never-zeroes", "train_epoch", "train_epoch.never_zeroes", """
    def train_epoch(net, loss, updater, data, params, lr, batch_size):
        for X, y in data:
            loss(net(X, *params), y).sum().backward()
            updater(params, lr, batch_size)
"""),
    Mistake("data-iter-unshuffled", "data_iter", "data_iter.not_shuffled", """
    def data_iter(batch_size, features, labels):
        num_examples = len(features)
        indices = torch.arange(num_examples)
        for i in range(0, num_examples, batch_size):
            j = indices[i: min(i + batch_size, num_examples)]
            yield features[j], labels[j]
"""),
]
