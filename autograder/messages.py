"""Every sentence the grader writes, in English and Simplified Chinese.

A check raises Diagnosis(key, **params); the report renders it in the reader's language.
Keep each message in the student's terms: what is wrong, and what to do about it.
"""

from __future__ import annotations

import locale
import os
from typing import Any

LANGUAGES = ("en", "zh")

CATALOGUE: dict[str, dict[str, str]] = {
    # -- how a call went -------------------------------------------------------------
    "not_implemented": {
        "en": "{function} is not implemented yet (it raises NotImplementedError).",
        "zh": "{function} 还没有实现（它抛出了 NotImplementedError）。",
    },
    "raised": {
        "en": "{function} raised {error_type}: {error}{where}",
        "zh": "{function} 抛出了 {error_type}：{error}{where}",
    },
    "where": {
        "en": " ({file}, line {line}: `{code}`)",
        "zh": "（{file} 第 {line} 行：`{code}`）",
    },
    "missing_module": {
        "en": "{file} is missing from the submission.",
        "zh": "提交中缺少 {file}。",
    },
    "missing_function": {
        "en": "{file} does not define {function}.",
        "zh": "{file} 没有定义 {function}。",
    },
    "import_failed": {
        "en": "{file} could not be imported: {error_type}: {error}{where}",
        "zh": "无法导入 {file}：{error_type}：{error}{where}",
    },
    "import_exit": {
        "en": "{file} could not be imported: the worker {ending} while importing it.",
        "zh": "无法导入 {file}：导入时学生进程{ending}。",
    },
    "import_timeout": {
        "en": "{file} could not be imported: importing it timed out after {seconds:g} s "
              "(an infinite loop or a long computation at module level?).",
        "zh": "无法导入 {file}：导入超过 {seconds:g} 秒（模块顶层有死循环或耗时计算？）。",
    },
    "timeout": {
        "en": "{function} timed out after {seconds:g} s (an infinite loop?).",
        "zh": "{function} 运行超过 {seconds:g} 秒，已超时（是否有死循环？）。",
    },
    "crashed": {
        "en": "{function} stopped the worker: it {ending}.",
        "zh": "{function} 使学生进程终止：{ending}。",
    },
    "ending_code": {"en": "exited with code {code}", "zh": "以退出码 {code} 退出"},
    "ending_signal": {"en": "was killed by {signal}", "zh": "被信号 {signal} 杀死"},
    "garbled": {
        "en": "{function} returned something the grader could not read: {reason}.",
        "zh": "{function} 返回了评分器无法读取的内容：{reason}。",
    },
    "system_exit": {
        "en": "{function} called sys.exit() / exit(){where}: return a value instead.",
        "zh": "{function} 调用了 sys.exit() / exit(){where}：请改为返回结果。",
    },
    "mixed_devices": {
        "en": "{function} mixes devices{where}: a tensor it creates lives on the CPU while "
              "its inputs are elsewhere. Create new tensors on the inputs' device, e.g. "
              "torch.zeros(..., device=X.device).",
        "zh": "{function} 混用了设备{where}：它新建的张量在 CPU 上，而输入在其他设备上。"
              "请在输入所在的设备上新建张量，例如 torch.zeros(..., device=X.device)。",
    },
    "out_of_memory": {
        "en": "{function} ran out of memory{where}: it allocates far more than the inputs need.",
        "zh": "{function} 内存不足{where}：它分配的内存远超输入所需。",
    },
    # -- what came back --------------------------------------------------------------
    "wrong_type": {
        "en": "{what} should be a {expected}, but {function} returned {actual}.",
        "zh": "{what}应当是 {expected}，但 {function} 返回了 {actual}。",
    },
    "tensor_subclass": {
        "en": "{what} should be a plain torch.Tensor, but {function} returned a {actual} "
              "(a subclass of torch.Tensor).",
        "zh": "{what}应当是普通的 torch.Tensor，但 {function} 返回了 {actual}（torch.Tensor 的子类）。",
    },
    "wrong_shape": {
        "en": "{what} has shape {actual}, expected {expected}.",
        "zh": "{what}的形状是 {actual}，应为 {expected}。",
    },
    "wrong_dtype": {
        "en": "{what} has dtype {actual}, expected {expected}.",
        "zh": "{what}的数据类型是 {actual}，应为 {expected}。",
    },
    "wrong_device": {
        "en": "{what} is on device {actual}, but the inputs were on {expected}: create new "
              "tensors on the inputs' device (e.g. torch.zeros(..., device=X.device)).",
        "zh": "{what}在设备 {actual} 上，但输入在 {expected} 上：新建张量时请放到输入所在的设备"
              "（例如 torch.zeros(..., device=X.device)）。",
    },
    "wrong_values": {
        "en": "{what} has wrong values: {mismatched} of {total} elements differ "
              "(largest difference {max_abs:.3g} at index {index}: got {actual:.6g}, "
              "expected {expected:.6g}).",
        "zh": "{what}的数值错误：{total} 个元素中有 {mismatched} 个不对"
              "（最大差值 {max_abs:.3g}，位于下标 {index}：得到 {actual:.6g}，应为 {expected:.6g}）。",
    },
    "not_finite": {
        "en": "{what} contains nan or inf where the correct result is finite.",
        "zh": "{what}中出现了 nan 或 inf，而正确结果是有限值。",
    },
    "modified_input": {
        "en": "{function} modified its input {argument} in place: compute a new tensor instead.",
        "zh": "{function} 原地修改了输入 {argument}：请计算并返回新的张量。",
    },
    "should_return_none": {
        "en": "{function} should return None (it works in place), but it returned {actual}.",
        "zh": "{function} 应当返回 None（它原地修改参数），但返回了 {actual}。",
    },
    # -- linear regression -----------------------------------------------------------
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
        "zh": "在 autograd 记录计算图时，PyTorch 不允许原地修改需要梯度的叶子张量。"
              "请把更新写在 `with torch.no_grad():` 里（或对 param.data 操作）。",
    },
    "sgd.replaced_param": {
        "en": "After sgd, {name} is no longer a leaf tensor that requires grad: update its "
              "values in place instead of replacing or detaching it.",
        "zh": "sgd 之后 {name} 不再是需要梯度的叶子张量：请原地更新它的数值，不要替换或 detach 它。",
    },
    "sgd.wrong_step": {
        "en": "{name} after one sgd step is wrong: expected param - lr * param.grad / "
              "batch_size.",
        "zh": "sgd 一步之后 {name} 的值不对：应为 param - lr * param.grad / batch_size。",
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
    "train_epoch.never_zeroes": {
        "en": "train_epoch never zeroes the gradients, so they accumulate across batches: "
              "at batch {batch} the updater saw the sum of the gradients of batches 1 to "
              "{batch}. Zero every param.grad after the update (param.grad.zero_()).",
        "zh": "train_epoch 从不清零梯度，梯度会跨批次累加：第 {batch} 批时更新函数看到的是第 1 到第 "
              "{batch} 批梯度之和。请在每次更新后清零 param.grad（param.grad.zero_()）。",
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
    "data_iter.mismatched_pairs": {
        "en": "data_iter pairs features with the wrong labels: index features and labels "
              "with the same indices.",
        "zh": "data_iter 把特征和错误的标签配在了一起：请用同一组下标去取 features 和 labels。",
    },
    "data_iter.not_pairs": {
        "en": "data_iter should yield (X, y) pairs of tensors, but it yielded {actual}.",
        "zh": "data_iter 应当产出 (X, y) 张量对，但它产出了 {actual}。",
    },
    # -- the report ------------------------------------------------------------------
    "skipped_no_cuda": {"en": "skipped: no CUDA device", "zh": "已跳过：没有 CUDA 设备"},
    "report.total": {
        "en": "Total: {score:g} / {max_score:g} ({percent:.1f}%)",
        "zh": "总分：{score:g} / {max_score:g}（{percent:.1f}%）",
    },
    "report.points": {"en": "points", "zh": "得分"},
    "report.pass": {"en": "pass", "zh": "通过"},
    "report.fail": {"en": "FAIL", "zh": "未通过"},
    "report.skipped": {"en": "skipped", "zh": "跳过"},
    "report.failures": {"en": "What to fix:", "zh": "需要修改的地方："},
    "report.output": {"en": "your code printed:", "zh": "你的代码输出了："},
    "grader_error": {
        "en": "The grader itself failed on this test ({error}); please report it.",
        "zh": "评分器本身在这个测试上出错（{error}），请报告此问题。",
    },
    # -- softmax regression ----------------------------------------------------------
    "softmax.wrong_dim": {
        "en": "softmax normalises the wrong dimension: its columns sum to 1, not its rows. "
              "Each row X[i] holds the logits of one example, so sum over the classes, "
              "dim=1: X_exp / X_exp.sum(dim=1, keepdim=True).",
        "zh": "softmax 在错误的维度上归一化：结果的每一列和为 1，而不是每一行。X[i] 这一行是一个样本的"
              "各类别得分，所以要在类别维度 dim=1 上求和：X_exp / X_exp.sum(dim=1, keepdim=True)。",
    },
    "softmax.no_keepdim": {
        "en": "softmax divides by a row sum (or subtracts a row maximum) of shape (n,) "
              "without keepdim=True{where}: broadcasting lines it up with the columns, not the "
              "rows, which fails when n != q and silently gives wrong values when n == q. "
              "Keep the dimension: X_exp.sum(dim=1, keepdim=True) has shape (n, 1).",
        "zh": "softmax 除以（或减去）形状为 (n,) 的行和（行最大值）时没有写 keepdim=True{where}："
              "广播会把它对齐到列而不是行，n != q 时报错，n == q 时悄悄算出错误的值。"
              "请保留维度：X_exp.sum(dim=1, keepdim=True) 的形状是 (n, 1)。",
    },
    "softmax.overflow": {
        "en": "softmax returns nan or inf for large logits (around +-1000): exp(1000) is "
              "inf in float32, and inf / inf is nan. Subtract each row's maximum before "
              "exp, X - X.max(dim=1, keepdim=True).values: softmax is unchanged by the "
              "shift and the largest exponent becomes exp(0) = 1. (The book's own "
              "version has this flaw; this test costs only its share.)",
        "zh": "logits 很大（约 +-1000）时 softmax 返回 nan 或 inf：float32 中 exp(1000) 是 inf，"
              "inf / inf 是 nan。请在 exp 之前减去每行的最大值，X - X.max(dim=1, keepdim=True).values："
              "平移不改变 softmax，最大的指数变成 exp(0) = 1。（书中原版代码也有这个问题；"
              "这个测试只占很小的分值。）",
    },
    "softmax.global_max": {
        "en": "softmax subtracts one maximum for the whole matrix instead of each row's "
              "own: in a row far below the global maximum every exp underflows to 0 and "
              "0 / 0 is nan. Subtract X.max(dim=1, keepdim=True).values.",
        "zh": "softmax 减去的是整个矩阵的最大值，而不是每一行自己的最大值：某一行远小于全局最大值时，"
              "这一行所有 exp 都下溢为 0，0 / 0 得到 nan。请减去 X.max(dim=1, keepdim=True).values。",
    },
    "cross_entropy.fancy_index": {
        "en": "cross_entropy returned shape {actual}: y_hat[:, y] takes the whole column "
              "y[j] for every j, an (n, n) matrix. Pick one entry per row, the true "
              "class's: y_hat[range(len(y_hat)), y] or y_hat.gather(1, y.view(-1, 1)).",
        "zh": "cross_entropy 返回了形状 {actual}：y_hat[:, y] 对每个 j 都取出整列 y[j]，得到 (n, n) 矩阵。"
              "每行只应取一个元素，即真实类别的概率：y_hat[range(len(y_hat)), y] 或 "
              "y_hat.gather(1, y.view(-1, 1))。",
    },
    "cross_entropy.float_labels": {
        "en": "cross_entropy indexes y_hat with floating-point labels{where}, and PyTorch only "
              "accepts integer indices (gather needs int64, fancy indexing long/int/bool). "
              "The labels are class indices: keep y as the int64 tensor it is (drop "
              ".float() or dtype=torch.float32), or convert with y.long().",
        "zh": "cross_entropy 用浮点数标签去索引 y_hat{where}，而 PyTorch 只接受整数下标（gather 需要 int64，"
              "花式索引需要 long/int/bool）。标签是类别下标：请保持 y 为原来的 int64 张量"
              "（去掉 .float() 或 dtype=torch.float32），或者用 y.long() 转换。",
    },
    "cross_entropy.sign": {
        "en": "cross_entropy has the wrong sign: it returns log(y_hat[i, y[i]]), which is "
              "negative. The loss is -log(y_hat[i, y[i]]) (>= 0).",
        "zh": "cross_entropy 的符号错了：它返回的是 log(y_hat[i, y[i]])，是负数。"
              "损失应为 -log(y_hat[i, y[i]])（>= 0）。",
    },
    "cross_entropy.no_log": {
        "en": "cross_entropy returns the picked probabilities y_hat[i, y[i]] themselves "
              "(up to sign), without the log: the loss is -torch.log(y_hat[i, y[i]]).",
        "zh": "cross_entropy 返回的是取出的概率 y_hat[i, y[i]] 本身（可能带负号），没有取对数："
              "损失应为 -torch.log(y_hat[i, y[i]])。",
    },
    "cross_entropy.reduced": {
        "en": "cross_entropy returned a single number (the {reduction} over the batch), "
              "but it should return one loss per example, shape (n,) (or (n, 1)): leave "
              "the reduction to the caller.",
        "zh": "cross_entropy 返回了一个数（整批的{reduction}），但应当返回每个样本各自的损失，"
              "形状为 (n,)（或 (n, 1)）：求和或平均交给调用者。",
    },
    "reduction.mean": {"en": "mean", "zh": "平均值"},
    "reduction.sum": {"en": "sum", "zh": "总和"},
    "cross_entropy.zero_other": {
        "en": "Row {row} of y_hat gives probability exactly 0 to a class that is not the "
              "true one, and cross_entropy returns {actual} there instead of {expected:.6g}. "
              "log(0) is -inf, and multiplying it by the 0 of a one-hot label gives "
              "0 * -inf = nan. Pick the true class's probability first "
              "(y_hat[range(len(y_hat)), y] or y_hat.gather(1, y.view(-1, 1))) and take "
              "the log of that only: zeros elsewhere are harmless then.",
        "zh": "y_hat 的第 {row} 行中一个非真实类别的概率恰好为 0，cross_entropy 在这里返回了 {actual}，"
              "应为 {expected:.6g}。log(0) 是 -inf，再乘以独热标签中的 0 得到 0 * -inf = nan。"
              "请先取出真实类别的概率（y_hat[range(len(y_hat)), y] 或 y_hat.gather(1, y.view(-1, 1))），"
              "只对它取对数：这样其他位置的 0 就不会有影响。",
    },
    "cross_entropy.zero_true": {
        "en": "Row {row} of y_hat gives the true class probability exactly 0, and "
              "cross_entropy returns {actual} there. The right loss is -log(0) = inf: the "
              "model called the true class impossible, the worst prediction there is. "
              "torch.log(0.) gives -inf, so -torch.log(y_hat[i, y[i]]) is inf by itself; "
              "don't turn it into nan, 0 or a small number (a tiny epsilon such as "
              "log(p + 1e-12) is accepted: it keeps the loss very large).",
        "zh": "y_hat 的第 {row} 行中真实类别的概率恰好为 0，cross_entropy 在这里返回了 {actual}。"
              "正确的损失是 -log(0) = inf：模型认为真实类别不可能出现，这是最差的预测。"
              "torch.log(0.) 得到 -inf，所以 -torch.log(y_hat[i, y[i]]) 本身就是 inf；"
              "不要把它变成 nan、0 或一个小数（加一个极小的 epsilon，如 log(p + 1e-12)，可以接受："
              "损失仍然非常大）。",
    },
    "accuracy.shapes": {
        "en": "accuracy compares tensors whose shapes do not match{where}: y_hat is (n, q) and y "
              "is (n,). Take the predicted class of each row first, y_hat.argmax(dim=1) "
              "(shape (n,)), then compare it with y.",
        "zh": "accuracy 比较了形状不匹配的张量{where}：y_hat 是 (n, q)，y 是 (n,)。请先取每一行的预测类别 "
              "y_hat.argmax(dim=1)（形状 (n,)），再与 y 比较。",
    },
    "accuracy.no_argmax": {
        "en": "accuracy returned {actual:g} where {expected:g} of the predictions are "
              "right: it seems to compare the probabilities themselves with the labels, "
              "which are never equal. Compare the predicted classes, "
              "y_hat.argmax(dim=1) == y.",
        "zh": "accuracy 返回了 {actual:g}，而正确的预测比例是 {expected:g}：它似乎直接拿概率与标签比较，"
              "二者永远不相等。请比较预测类别：y_hat.argmax(dim=1) == y。",
    },
    "accuracy.argmax_dim": {
        "en": "accuracy takes the argmax over the wrong dimension: the predicted class of "
              "example i is the largest entry of row i, y_hat.argmax(dim=1), not "
              "y_hat.argmax(dim=0).",
        "zh": "accuracy 在错误的维度上取 argmax：第 i 个样本的预测类别是第 i 行最大元素的位置，"
              "即 y_hat.argmax(dim=1)，而不是 y_hat.argmax(dim=0)。",
    },
    "accuracy.count": {
        "en": "accuracy returned {actual:g}, the number of correct predictions: divide by "
              "the number of examples, len(y), to get the fraction.",
        "zh": "accuracy 返回了 {actual:g}，即预测正确的个数：请除以样本数 len(y) 得到比例。",
    },
    "accuracy.wrong_value": {
        "en": "accuracy returned {actual:.6g}, expected {expected:.6g}: the fraction of "
              "rows i with y_hat[i].argmax() == y[i].",
        "zh": "accuracy 返回了 {actual:.6g}，应为 {expected:.6g}：即满足 y_hat[i].argmax() == y[i] "
              "的行所占的比例。",
    },
    "accuracy.tensor": {
        "en": "accuracy returned {actual}; it should return a Python float: call .item() "
              "on the 0-dimensional tensor, e.g. (y_hat.argmax(dim=1) == y).float().mean()"
              ".item().",
        "zh": "accuracy 返回了 {actual}；它应当返回 Python 的 float：请对 0 维张量调用 .item()，"
              "例如 (y_hat.argmax(dim=1) == y).float().mean().item()。",
    },
    # -- activations -----------------------------------------------------------------
    "activation.sign_flip": {
        "en": "{function} returns {function}(-x) instead of {function}(x): a sign is "
              "flipped. {function}(x) = {formula}.",
        "zh": "{function} 返回的是 {function}(-x) 而不是 {function}(x)：有一个符号写反了。"
              "{function}(x) = {formula}。",
    },
    "tanh.half_argument": {
        "en": "tanh returns tanh(x / 2): (1 - exp(-x)) / (1 + exp(-x)) is tanh of half "
              "the argument. tanh(x) = (1 - exp(-2x)) / (1 + exp(-2x)).",
        "zh": "tanh 返回的是 tanh(x / 2)：(1 - exp(-x)) / (1 + exp(-x)) 是参数减半后的 tanh。"
              "tanh(x) = (1 - exp(-2x)) / (1 + exp(-2x))。",
    },
    "sigmoid.overflow": {
        "en": "sigmoid gives nan or inf {part} for large |x| (at x = {x:g}): exp of a large "
              "positive number overflows (exp(89) is already inf in float32). Only ever "
              "take exp of a non-positive number: z = exp(-|x|), then 1 / (1 + z) where "
              "x >= 0 and z / (1 + z) where x < 0. Note that torch.where evaluates both "
              "branches: a branch that overflows still turns the gradient into nan where "
              "it is not chosen.",
        "zh": "|x| 很大时（x = {x:g}）sigmoid 的{part}出现 nan 或 inf：对大的正数取 exp 会溢出"
              "（float32 中 exp(89) 就已经是 inf）。只对非正数取 exp：z = exp(-|x|)，x >= 0 时用 "
              "1 / (1 + z)，x < 0 时用 z / (1 + z)。注意 torch.where 会计算两个分支：溢出的分支即使没被选中，"
              "也会让梯度变成 nan。",
    },
    "tanh.overflow": {
        "en": "tanh gives nan or inf {part} for large |x| (at x = {x:g}): exp of a large "
              "positive number overflows (exp(89) is already inf in float32), and "
              "inf / inf is nan. Only ever take exp of a non-positive number: compute "
              "tanh(|x|) = (1 - e) / (1 + e) with e = exp(-2|x|) and restore the sign "
              "(tanh is odd). Note that torch.where evaluates both branches: a branch "
              "that overflows still turns the gradient into nan where it is not chosen.",
        "zh": "|x| 很大时（x = {x:g}）tanh 的{part}出现 nan 或 inf：对大的正数取 exp 会溢出"
              "（float32 中 exp(89) 就已经是 inf），inf / inf 得到 nan。只对非正数取 exp："
              "用 e = exp(-2|x|) 计算 tanh(|x|) = (1 - e) / (1 + e)，再恢复符号（tanh 是奇函数）。"
              "注意 torch.where 会计算两个分支：溢出的分支即使没被选中，也会让梯度变成 nan。",
    },
    "part.value": {"en": "values", "zh": "函数值"},
    "part.gradient": {"en": "gradients", "zh": "梯度"},
    "activation.no_grad": {
        "en": "{function}'s result is not connected to X in autograd's graph, so no "
              "gradient flows back through it: compute it from X with tensor operations "
              "only (no .detach(), .data, .numpy(), .item() or torch.tensor(...) of X).",
        "zh": "{function} 的结果没有连到 X 的自动求导计算图上，梯度无法反向传播："
              "请只用张量运算从 X 计算结果（不要对 X 用 .detach()、.data、.numpy()、.item() 或 "
              "torch.tensor(...)）。",
    },
    "activation.builtin": {
        "en": "{function} calls {name}: the exercise rules out PyTorch's built-in "
              "activations (relu, sigmoid, tanh, whether from torch, as tensor methods or "
              "from torch.nn.functional) and clamp. Write it yourself from elementary "
              "operations (comparisons, torch.where, torch.exp, arithmetic): "
              "{function}(x) = {formula}.",
        "zh": "{function} 调用了 {name}：这个练习不允许使用 PyTorch 内置的激活函数（relu、sigmoid、tanh，"
              "无论来自 torch、张量方法还是 torch.nn.functional）和 clamp。请用基本运算"
              "（比较、torch.where、torch.exp、四则运算）自己实现：{function}(x) = {formula}。",
    },
    "activation.numpy": {
        "en": "{function} calls .numpy() on a tensor that autograd tracks{where}: NumPy is "
              "outside autograd, so no gradient could flow back through {function}. Use "
              "torch operations throughout (torch.where, torch.exp, comparisons, "
              "arithmetic).",
        "zh": "{function} 对自动求导正在追踪的张量调用了 .numpy(){where}：NumPy 不在自动求导之内，"
              "梯度无法反向传过 {function}。请全程使用 torch 运算（torch.where、torch.exp、比较、四则运算）。",
    },
    # -- language model samplers -----------------------------------------------------
    "lm.not_pairs": {
        "en": "{function} should yield (X, Y) pairs of tensors, but it yielded {actual}.",
        "zh": "{function} 应当产出 (X, Y) 张量对，但它产出了 {actual}。",
    },
    "lm.dtype": {
        "en": "{what} from {function} has dtype {actual}: token indices must be int64 "
              "(torch.long), which embedding layers and one-hot encoding expect. Build "
              "the tensors with dtype=torch.int64 (torch.tensor of a list of ints already "
              "is).",
        "zh": "{function} 给出的 {what} 的数据类型是 {actual}：词元下标必须是 int64（torch.long），"
              "嵌入层和独热编码都需要它。请用 dtype=torch.int64 创建张量"
              "（由整数列表构造的 torch.tensor 本来就是 int64）。",
    },
    "lm.not_windows": {
        "en": "Row {row} of X in minibatch {batch} from {function} is not a run of "
              "num_steps consecutive tokens of the corpus: every row must be "
              "corpus_indices[s : s + num_steps] for some start s.",
        "zh": "{function} 第 {batch} 个小批量中 X 的第 {row} 行不是语料中连续的 num_steps 个词元："
              "每一行都必须是某个起点 s 的 corpus_indices[s : s + num_steps]。",
    },
    "lm.y_equals_x": {
        "en": "In minibatch {batch} from {function}, Y is the same as X: Y holds the "
              "targets, the token after each token of X, so Y[i] = corpus_indices"
              "[s + 1 : s + num_steps + 1] for X[i] = corpus_indices[s : s + num_steps].",
        "zh": "{function} 第 {batch} 个小批量中 Y 与 X 相同：Y 是目标，即 X 中每个词元的下一个词元，"
              "X[i] = corpus_indices[s : s + num_steps] 时 Y[i] = corpus_indices[s + 1 : s + num_steps + 1]。",
    },
    "lm.y_misaligned": {
        "en": "In minibatch {batch} from {function}, row {row} of Y is not row {row} of X "
              "shifted by one token: Y[i] must be corpus_indices[s + 1 : s + num_steps + 1] "
              "for X[i] = corpus_indices[s : s + num_steps].",
        "zh": "{function} 第 {batch} 个小批量中 Y 的第 {row} 行不是 X 的第 {row} 行右移一个词元："
              "X[i] = corpus_indices[s : s + num_steps] 时 Y[i] 必须是 "
              "corpus_indices[s + 1 : s + num_steps + 1]。",
    },
    "lm.ignores_device": {
        "en": "{function} put its tensors on {actual} although it was called with "
              "device={expected}: create them with device=device.",
        "zh": "{function} 被调用时传入了 device={expected}，但它把张量放在了 {actual} 上："
              "创建张量时请使用 device=device。",
    },
    "lm.default_device": {
        "en": "Called without a device, {function} put its tensors on {actual}, but "
              "device=None means {expected}: torch.device('cuda' if "
              "torch.cuda.is_available() else 'cpu').",
        "zh": "不传 device 调用时 {function} 把张量放在了 {actual} 上，但 device=None 的含义是 {expected}："
              "torch.device('cuda' if torch.cuda.is_available() else 'cpu')。",
    },
    "data_iter_random.off_grid": {
        "en": "data_iter_random yielded a window starting at corpus position {start}, which "
              "is not a multiple of num_steps = {num_steps}: the windows must not overlap, "
              "so they start at 0, num_steps, 2 * num_steps, ... "
              "(example_indices = [i * num_steps for i in range(num_examples)]).",
        "zh": "data_iter_random 给出了一个从语料位置 {start} 开始的窗口，它不是 num_steps = {num_steps} "
              "的倍数：窗口之间不能重叠，所以起点应为 0, num_steps, 2 * num_steps, ..."
              "（example_indices = [i * num_steps for i in range(num_examples)]）。",
    },
    "data_iter_random.repeated": {
        "en": "data_iter_random yielded the window starting at position {start} {times} "
              "times in one pass: each window must appear once per pass (shuffle the "
              "start positions, don't draw them with replacement).",
        "zh": "data_iter_random 在一轮中把从位置 {start} 开始的窗口给出了 {times} 次：每个窗口每轮只能出现一次"
              "（请打乱起点列表，而不是有放回地随机抽取）。",
    },
    "data_iter_random.missing": {
        "en": "data_iter_random left out {count} of the {total} windows (e.g. the one "
              "starting at position {start}): use num_examples = (len(corpus_indices) - 1) "
              "// num_steps windows and yield each once (only a short last minibatch may "
              "be dropped).",
        "zh": "data_iter_random 漏掉了 {total} 个窗口中的 {count} 个（例如从位置 {start} 开始的那个）："
              "窗口数应为 num_examples = (len(corpus_indices) - 1) // num_steps，每个都要给出一次"
              "（只有最后一个不满的小批量可以丢掉）。",
    },
    "data_iter_random.window_count": {
        "en": "data_iter_random yielded {actual} windows in all, expected {expected}: "
              "num_examples = (len(corpus_indices) - 1) // num_steps windows, each once "
              "(only a short last minibatch may be dropped).",
        "zh": "data_iter_random 一共给出了 {actual} 个窗口，应为 {expected} 个：窗口数为 "
              "num_examples = (len(corpus_indices) - 1) // num_steps，每个给出一次"
              "（只有最后一个不满的小批量可以丢掉）。",
    },
    "data_iter_random.batch_size": {
        "en": "data_iter_random yielded a minibatch of {actual} windows where {expected} "
              "were expected: every minibatch but the last holds batch_size windows.",
        "zh": "data_iter_random 给出了含 {actual} 个窗口的小批量，应为 {expected} 个：除最后一个外，"
              "每个小批量都应有 batch_size 个窗口。",
    },
    "data_iter_random.past_end": {
        "en": "data_iter_random runs past the end of the corpus{where}: the last window has no "
              "target for its last token. The final token can only be a target, so there "
              "are num_examples = (len(corpus_indices) - 1) // num_steps windows, not "
              "len(corpus_indices) // num_steps.",
        "zh": "data_iter_random 越过了语料的末尾{where}：最后一个窗口的最后一个词元没有目标。最后一个词元只能作为目标，"
              "所以窗口数是 num_examples = (len(corpus_indices) - 1) // num_steps，"
              "而不是 len(corpus_indices) // num_steps。",
    },
    "data_iter_random.not_shuffled": {
        "en": "data_iter_random does not shuffle the windows: {adjacent} of {pairs} "
              "consecutive windows it yielded are also neighbours in the corpus. Shuffle "
              "the list of window starts (random.shuffle(example_indices)) before cutting "
              "it into minibatches.",
        "zh": "data_iter_random 没有打乱窗口：它给出的相邻窗口中有 {adjacent}/{pairs} 对在语料中也是相邻的。"
              "请在切分小批量之前打乱窗口起点列表（random.shuffle(example_indices)）。",
    },
    "data_iter_random.same_order": {
        "en": "data_iter_random yields the windows in the same order every time it is "
              "called: shuffle anew on each call (random.shuffle inside the function, "
              "without re-seeding it there).",
        "zh": "data_iter_random 每次被调用时给出的窗口顺序都一样：请在每次调用时重新打乱"
              "（在函数内部调用 random.shuffle，且不要在函数里重新设定随机种子）。",
    },
    "data_iter_consecutive.not_rows": {
        "en": "Row {row} of X in minibatch {batch} from data_iter_consecutive is not a run "
              "of consecutive tokens of the corpus: lay the kept corpus out as "
              "indices.view(batch_size, -1), so that row i is the i-th stretch of the "
              "corpus (view(-1, batch_size) and a transpose interleave the streams "
              "instead), and cut minibatches out of it column-wise, "
              "indices[:, i : i + num_steps].",
        "zh": "data_iter_consecutive 第 {batch} 个小批量中 X 的第 {row} 行不是语料中连续的词元："
              "请把保留的语料排成 indices.view(batch_size, -1)，使第 i 行是语料的第 i 段"
              "（view(-1, batch_size) 再转置会把各条序列交错在一起），再按列切出小批量："
              "indices[:, i : i + num_steps]。",
    },
    "data_iter_consecutive.not_continuous": {
        "en": "Row {row} of minibatch {batch} from data_iter_consecutive does not continue "
              "row {row} of minibatch {previous}: it starts at corpus position {actual}, "
              "where {expected} was expected. Lay the kept corpus out once as a "
              "(batch_size, -1) matrix (indices.view(batch_size, -1)) and yield its "
              "column windows in order, so that each row is one continuous stream.",
        "zh": "data_iter_consecutive 第 {batch} 个小批量的第 {row} 行没有接续第 {previous} 个小批量的"
              "第 {row} 行：它从语料位置 {actual} 开始，应从 {expected} 开始。请把保留的语料一次性排成 "
              "(batch_size, -1) 的矩阵（indices.view(batch_size, -1)），再按顺序取出列窗口，"
              "让每一行都是一条连续的序列。",
    },
    "data_iter_consecutive.layout": {
        "en": "Row {row} of the first minibatch from data_iter_consecutive starts at corpus "
              "position {actual}, where {expected} was expected: keep the first "
              "len(corpus_indices) // batch_size * batch_size tokens and lay them out as "
              "indices.view(batch_size, -1), so row i is the i-th of batch_size equal "
              "stretches of the corpus, and start at column 0.",
        "zh": "data_iter_consecutive 第一个小批量的第 {row} 行从语料位置 {actual} 开始，应从 {expected} 开始："
              "请保留前 len(corpus_indices) // batch_size * batch_size 个词元，排成 "
              "indices.view(batch_size, -1)，使第 i 行是语料等分成 batch_size 段中的第 i 段，"
              "并从第 0 列开始取。",
    },
    "data_iter_consecutive.batch_count": {
        "en": "data_iter_consecutive yielded {actual} minibatches, expected {expected}: "
              "with indices = corpus.view(batch_size, -1) there are "
              "(indices.shape[1] - 1) // num_steps of them (the last column can only be a "
              "target).",
        "zh": "data_iter_consecutive 给出了 {actual} 个小批量，应为 {expected} 个："
              "indices = corpus.view(batch_size, -1) 时共有 (indices.shape[1] - 1) // num_steps 个"
              "（最后一列只能作为目标）。",
    },
    "data_iter_consecutive.past_end": {
        "en": "data_iter_consecutive runs past the end of its rows: in the last minibatch "
              "Y has {actual} columns instead of num_steps = {expected}. The last column "
              "can only be a target: there are (indices.shape[1] - 1) // num_steps "
              "minibatches, not indices.shape[1] // num_steps.",
        "zh": "data_iter_consecutive 越过了行的末尾：最后一个小批量中 Y 只有 {actual} 列，而不是 "
              "num_steps = {expected} 列。最后一列只能作为目标：小批量个数是 "
              "(indices.shape[1] - 1) // num_steps，而不是 indices.shape[1] // num_steps。",
    },
    "data_iter_consecutive.truncate": {
        "en": "data_iter_consecutive cannot lay the corpus out as batch_size rows{where}: its "
              "length is not a multiple of batch_size. Keep only the first "
              "len(corpus_indices) // batch_size * batch_size tokens before "
              ".view(batch_size, -1).",
        "zh": "data_iter_consecutive 无法把语料排成 batch_size 行{where}：语料长度不是 batch_size 的倍数。"
              "请在 .view(batch_size, -1) 之前只保留前 len(corpus_indices) // batch_size * batch_size "
              "个词元。",
    },
    # -- concise implementation ------------------------------------------------------
    "linear_net.not_module": {
        "en": "LinearNet(n_feature) gave {actual}, not an nn.Module: LinearNet must be a "
              "class that subclasses nn.Module (class LinearNet(nn.Module): ...).",
        "zh": "LinearNet(n_feature) 得到的是 {actual}，而不是 nn.Module：LinearNet 必须是 nn.Module "
              "的子类（class LinearNet(nn.Module): ...）。",
    },
    "linear_net.no_super_init": {
        "en": "LinearNet.__init__ assigns a layer before calling super().__init__(){where}: "
              "nn.Module sets up the bookkeeping that registers submodules and "
              "parameters there, so call it first.",
        "zh": "LinearNet.__init__ 在调用 super().__init__() 之前就赋值了网络层{where}：nn.Module 在那里建立"
              "登记子模块和参数的机制，所以要先调用它。",
    },
    "linear_net.unregistered": {
        "en": "LinearNet keeps tensors or layers in {names}, which nn.Module does not "
              "register: they are missing from net.parameters() (the optimiser never "
              "updates them) and .to(device) does not move them. Assign the layer "
              "directly, self.linear = nn.Linear(n_feature, 1) (use nn.ModuleList, not a "
              "Python list, for several layers).",
        "zh": "LinearNet 把张量或网络层放在了 {names} 里，nn.Module 不会登记它们：它们不在 "
              "net.parameters() 中（优化器不会更新它们），.to(device) 也不会移动它们。请直接赋值 "
              "self.linear = nn.Linear(n_feature, 1)（多个层请用 nn.ModuleList，而不是 Python 列表）。",
    },
    "linear_net.no_linear": {
        "en": "LinearNet has no nn.Linear submodule named linear (its submodules: "
              "{found}): create it as self.linear = nn.Linear(n_feature, 1), so that its "
              "parameters are net.linear.weight and net.linear.bias.",
        "zh": "LinearNet 没有名为 linear 的 nn.Linear 子模块（它的子模块：{found}）：请写 "
              "self.linear = nn.Linear(n_feature, 1)，这样参数就是 net.linear.weight 和 net.linear.bias。",
    },
    "linear_net.extra": {
        "en": "LinearNet has parameters besides linear.weight and linear.bias: {names}. "
              "Linear regression needs a single nn.Linear(n_feature, 1) and nothing else.",
        "zh": "LinearNet 除了 linear.weight 和 linear.bias 之外还有其他参数：{names}。"
              "线性回归只需要一个 nn.Linear(n_feature, 1)。",
    },
    "linear_net.sizes": {
        "en": "LinearNet({n_feature}).linear has weight of shape {weight} and bias of "
              "shape {bias}; expected {expected_weight} and (1,). nn.Linear(in_features, "
              "out_features) stores its weight as (out_features, in_features): one output "
              "from n_feature inputs is nn.Linear(n_feature, 1).",
        "zh": "LinearNet({n_feature}).linear 的权重形状为 {weight}，偏置形状为 {bias}；应为 "
              "{expected_weight} 和 (1,)。nn.Linear(in_features, out_features) 的权重形状是 "
              "(out_features, in_features)：由 n_feature 个输入得到一个输出，就是 nn.Linear(n_feature, 1)。",
    },
    "linear_net.no_bias": {
        "en": "LinearNet.linear has no bias: linear regression is x w + b, so keep "
              "nn.Linear's bias (don't pass bias=False).",
        "zh": "LinearNet.linear 没有偏置：线性回归是 x w + b，请保留 nn.Linear 的偏置（不要传 bias=False）。",
    },
    "linear_net.forward_shape": {
        "en": "net(x) has shape {actual} for x of shape {x_shape}; expected {expected}: "
              "return self.linear(x) as it is, one prediction per row in a column "
              "(don't squeeze, flatten or transpose it).",
        "zh": "x 的形状为 {x_shape} 时 net(x) 的形状是 {actual}，应为 {expected}："
              "请直接返回 self.linear(x)，每行一个预测、排成一列（不要 squeeze、flatten 或转置）。",
    },
    # -- test names: test.<module>.<test function>; en is the test's docstring --------
    "test.activations.test_relu_values": {
        "en": "relu keeps positive entries and zeroes negative ones, for any shape",
        "zh": "relu 保留正数、把负数置零，适用于任意形状",
    },
    "test.activations.test_relu_gradient": {
        "en": "relu passes the gradient through where x > 0 and blocks it where x < 0",
        "zh": "relu 在 x > 0 处传递梯度，在 x < 0 处阻断梯度",
    },
    "test.activations.test_relu_not_builtin": {
        "en": "relu is written from elementary operations, not PyTorch's built-in",
        "zh": "relu 由基本运算写成，而不是调用 PyTorch 自带的实现",
    },
    "test.activations.test_relu_stays_on_device": {
        "en": "relu keeps its result on the input's device",
        "zh": "relu 的结果留在输入所在的设备上",
    },
    "test.activations.test_sigmoid_values": {
        "en": "sigmoid computes 1 / (1 + exp(-x)) for any shape",
        "zh": "sigmoid 对任意形状计算 1 / (1 + exp(-x))",
    },
    "test.activations.test_sigmoid_gradient": {
        "en": "sigmoid's gradient is sigmoid(x) * (1 - sigmoid(x))",
        "zh": "sigmoid 的梯度是 sigmoid(x) * (1 - sigmoid(x))",
    },
    "test.activations.test_sigmoid_stable": {
        "en": "sigmoid and its gradient stay finite for large |x|",
        "zh": "|x| 很大时 sigmoid 及其梯度仍是有限值",
    },
    "test.activations.test_sigmoid_not_builtin": {
        "en": "sigmoid is written from elementary operations, not PyTorch's built-in",
        "zh": "sigmoid 由基本运算写成，而不是调用 PyTorch 自带的实现",
    },
    "test.activations.test_sigmoid_stays_on_device": {
        "en": "sigmoid keeps its result on the input's device",
        "zh": "sigmoid 的结果留在输入所在的设备上",
    },
    "test.activations.test_tanh_values": {
        "en": "tanh computes (1 - exp(-2x)) / (1 + exp(-2x)) for any shape",
        "zh": "tanh 对任意形状计算 (1 - exp(-2x)) / (1 + exp(-2x))",
    },
    "test.activations.test_tanh_gradient": {
        "en": "tanh's gradient is 1 - tanh(x) ** 2",
        "zh": "tanh 的梯度是 1 - tanh(x) ** 2",
    },
    "test.activations.test_tanh_stable": {
        "en": "tanh and its gradient stay finite for large |x|",
        "zh": "|x| 很大时 tanh 及其梯度仍是有限值",
    },
    "test.activations.test_tanh_not_builtin": {
        "en": "tanh is written from elementary operations, not PyTorch's built-in",
        "zh": "tanh 由基本运算写成，而不是调用 PyTorch 自带的实现",
    },
    "test.activations.test_tanh_stays_on_device": {
        "en": "tanh keeps its result on the input's device",
        "zh": "tanh 的结果留在输入所在的设备上",
    },
    "test.concise.test_linear_net_structure": {
        "en": "LinearNet(n_feature) holds one nn.Linear(n_feature, 1) named linear",
        "zh": "LinearNet(n_feature) 含有一个名为 linear 的 nn.Linear(n_feature, 1)",
    },
    "test.concise.test_linear_net_forward": {
        "en": "net(x) is x @ linear.weight.T + linear.bias, of shape (n, 1)",
        "zh": "net(x) 等于 x @ linear.weight.T + linear.bias，形状为 (n, 1)",
    },
    "test.concise.test_linear_net_stays_on_device": {
        "en": "LinearNet moved to the input's device gives its output there",
        "zh": "LinearNet 移到输入所在设备后，输出也在该设备上",
    },
    "test.language_model.test_data_iter_random_windows": {
        "en": "data_iter_random yields every non-overlapping window once, with Y shifted by one",
        "zh": "data_iter_random 恰好给出每个不重叠窗口一次，Y 错开一个词元",
    },
    "test.language_model.test_data_iter_random_corpus_end": {
        "en": "data_iter_random stops before the end of a corpus whose length is a multiple of num_steps",
        "zh": "语料长度是 num_steps 的倍数时，data_iter_random 不越过语料末尾",
    },
    "test.language_model.test_data_iter_random_shuffles": {
        "en": "data_iter_random yields the windows in a fresh random order on every call",
        "zh": "data_iter_random 每次调用都以新的随机顺序给出窗口",
    },
    "test.language_model.test_data_iter_random_device": {
        "en": "data_iter_random puts X and Y on the device it is given",
        "zh": "data_iter_random 把 X 和 Y 放到给定的设备上",
    },
    "test.language_model.test_data_iter_random_default_device": {
        "en": "data_iter_random without a device uses the GPU if there is one, else the CPU",
        "zh": "不指定设备时，data_iter_random 有 GPU 就用 GPU，否则用 CPU",
    },
    "test.language_model.test_data_iter_consecutive_streams": {
        "en": "data_iter_consecutive continues each row from one minibatch to the next",
        "zh": "data_iter_consecutive 的每一行在相邻小批量之间首尾相接",
    },
    "test.language_model.test_data_iter_consecutive_row_end": {
        "en": "data_iter_consecutive stops before the last column of its rows",
        "zh": "data_iter_consecutive 在各行最后一列之前停止",
    },
    "test.language_model.test_data_iter_consecutive_device": {
        "en": "data_iter_consecutive puts X and Y on the device it is given",
        "zh": "data_iter_consecutive 把 X 和 Y 放到给定的设备上",
    },
    "test.language_model.test_data_iter_consecutive_default_device": {
        "en": "data_iter_consecutive without a device uses the GPU if there is one, else the CPU",
        "zh": "不指定设备时，data_iter_consecutive 有 GPU 就用 GPU，否则用 CPU",
    },
    "test.linear_regression.test_linreg_values": {
        "en": "linreg computes X @ w + b with shape (n, 1)",
        "zh": "linreg 计算 X @ w + b，形状为 (n, 1)",
    },
    "test.linear_regression.test_linreg_stays_on_device": {
        "en": "linreg keeps its result on the inputs' device",
        "zh": "linreg 的结果留在输入所在的设备上",
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
        "en": "squared_loss keeps its result on the inputs' device",
        "zh": "squared_loss 的结果留在输入所在的设备上",
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
        "en": "data_iter yields minibatches on the data's device",
        "zh": "data_iter 给出的小批量在数据所在的设备上",
    },
    "test.softmax_regression.test_softmax_values": {
        "en": "softmax turns each row of logits into probabilities that sum to 1",
        "zh": "softmax 把每行 logits 变成和为 1 的概率",
    },
    "test.softmax_regression.test_softmax_square": {
        "en": "softmax normalises rows, also when there are as many rows as classes",
        "zh": "行数与类别数相同时，softmax 仍按行归一化",
    },
    "test.softmax_regression.test_softmax_stable": {
        "en": "softmax stays finite and correct for logits around +-1000",
        "zh": "logits 约为 ±1000 时 softmax 仍有限且正确",
    },
    "test.softmax_regression.test_softmax_stays_on_device": {
        "en": "softmax keeps its result on the input's device",
        "zh": "softmax 的结果留在输入所在的设备上",
    },
    "test.softmax_regression.test_cross_entropy_values": {
        "en": "cross_entropy gives -log(y_hat[i, y[i]]) for each example",
        "zh": "cross_entropy 对每个样本给出 -log(y_hat[i, y[i]])",
    },
    "test.softmax_regression.test_cross_entropy_zero_elsewhere": {
        "en": "cross_entropy stays finite where only a wrong class has probability 0",
        "zh": "只有错误类别的概率为 0 时，cross_entropy 仍是有限值",
    },
    "test.softmax_regression.test_cross_entropy_zero_true_class": {
        "en": "cross_entropy is inf where the true class has probability 0",
        "zh": "真实类别的概率为 0 时，cross_entropy 为 inf",
    },
    "test.softmax_regression.test_cross_entropy_stays_on_device": {
        "en": "cross_entropy keeps its result on the inputs' device",
        "zh": "cross_entropy 的结果留在输入所在的设备上",
    },
    "test.softmax_regression.test_accuracy_values": {
        "en": "accuracy is the fraction of rows whose argmax is the label",
        "zh": "accuracy 是 argmax 等于标签的行所占的比例",
    },
    "test.softmax_regression.test_accuracy_square": {
        "en": "accuracy compares each row's argmax with its label, also when n == q",
        "zh": "n == q 时 accuracy 仍逐行比较 argmax 与标签",
    },
    "test.softmax_regression.test_accuracy_returns_float": {
        "en": "accuracy returns a Python float",
        "zh": "accuracy 返回 Python float",
    },
    # -- the sandbox: what a worker's code may print, use and see ----------------------
    "sandbox.level_full": {
        "en": "Isolation ({mode}): {layers}.",
        "zh": "隔离（{mode}）：{layers}。",
    },
    "sandbox.level_partial": {
        "en": "Isolation ({mode}): {layers}; missing: {missing}.",
        "zh": "隔离（{mode}）：{layers}；缺少：{missing}。",
    },
    "sandbox.level_off": {
        "en": "Isolation (off): the code ran with the grader's permissions, network and files.",
        "zh": "隔离（off）：代码以评分器的权限运行，可访问网络和文件。",
    },
    "sandbox.separator": {"en": ", ", "zh": "、"},
    "sandbox.missing_layer": {"en": "{layer} ({reason})", "zh": "{layer}（{reason}）"},
    "sandbox.layer.user_root": {"en": "an unprivileged user", "zh": "无特权用户"},
    "sandbox.layer.user_namespace": {"en": "a user namespace without privileges",
                                     "zh": "无特权的用户命名空间"},
    "sandbox.layer.mount": {"en": "a read-only file system without the grader's files",
                            "zh": "看不到评分器文件的只读文件系统"},
    "sandbox.layer.pid": {"en": "a process namespace", "zh": "独立的进程命名空间"},
    "sandbox.layer.net": {"en": "no network", "zh": "无网络"},
    "sandbox.refused": {
        "en": "grade: --sandbox strict: this machine cannot give the code \"{layer}\" "
              "({reason}); nothing was graded.",
        "zh": "grade：--sandbox strict：这台机器无法为代码提供“{layer}”（{reason}），未进行评分。",
    },
    "limit.memory": {
        "en": "{function} ran out of memory{where}: your code, with every process it starts, "
              "may use at most {limit}.",
        "zh": "{function} 内存不足{where}：你的代码连同它启动的所有进程最多只能使用 {limit}。",
    },
    "limit.file_size": {
        "en": "{function} tried to write a file larger than {limit}, the limit for one file{where}.",
        "zh": "{function} 试图写入大于 {limit} 的文件（单个文件的上限）{where}。",
    },
    "limit.files": {
        "en": "{function} tried to open more than {limit} files at once{where}.",
        "zh": "{function} 试图同时打开超过 {limit} 个文件{where}。",
    },
    "limit.disk": {
        "en": "{function} tried to use more than {limit} of disk space{where}.",
        "zh": "{function} 试图使用超过 {limit} 的磁盘空间{where}。",
    },
    "limit.processes": {
        "en": "{function} tried to start more than {limit} processes and threads{where}.",
        "zh": "{function} 试图启动超过 {limit} 个进程和线程{where}。",
    },
    "ending_limit.memory": {
        "en": "was stopped because your code, with the processes it started, used more than "
              "{limit} of memory",
        "zh": "被终止，因为你的代码连同它启动的进程使用了超过 {limit} 的内存",
    },
    "output_cut": {
        "en": "... (output cut at {limit}: the rest was not kept)",
        "zh": "……（输出在 {limit} 处截断，其余部分未保留）",
    },
}


class Diagnosis(AssertionError):
    """A failed check, with the catalogue key of its explanation and the values it needs."""

    def __init__(self, key: str, **params: Any):
        super().__init__(key)
        self.key = key
        self.params = params

    def render(self, lang: str = "en") -> str:
        return render(self.key, lang, **self.params)

    def __str__(self) -> str:
        return self.render("en")


def render(key: str, lang: str = "en", **params: Any) -> str:
    """The message `key` in `lang`, with nested Diagnosis parameters rendered too."""
    entry = CATALOGUE[key]
    text = entry.get(lang) or entry["en"]
    values = {k: v.render(lang) if isinstance(v, Diagnosis) else v for k, v in params.items()}
    return text.format(**values)


def default_language() -> str:
    """zh where the locale says Chinese, en everywhere else."""
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(variable)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    code = locale.getlocale()[0] or ""
    return "zh" if code.lower().startswith("zh") else "en"
