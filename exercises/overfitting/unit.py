"""The overfitting exercise (weight decay's L2 penalty and dropout): its messages, the
errors it recognises, its classic mistakes and its notebook's formulas."""

from autograder.registry import Mistake

MESSAGES = {
    # -- l2_penalty --------------------------------------------------------------------
    "l2_penalty.mean": {
        "en": "l2_penalty returns the mean of w's squares instead of their sum: it is "
              "{count} times too small for these {count} weights, and it would shrink as the "
              "model grows. Use (w ** 2).sum() / 2, not .mean().",
        "zh": "l2_penalty 返回的是 w 各元素平方的平均值，而不是它们的和：对这 {count} 个权重，"
              "结果小了 {count} 倍，而且模型越大惩罚越小。请写 (w ** 2).sum() / 2，不要用 .mean()。",
    },
    "l2_penalty.no_sum": {
        "en": "l2_penalty returns each weight's square (a tensor of shape {shape}) instead of "
              "one number: sum the squares, (w ** 2).sum() / 2, so that the penalty is a "
              "scalar added to the loss.",
        "zh": "l2_penalty 返回的是每个权重的平方（形状为 {shape} 的张量），而不是一个数："
              "请对平方求和，(w ** 2).sum() / 2，这样惩罚项才是加到损失上的一个标量。",
    },
    "l2_penalty.no_half": {
        "en": "l2_penalty is twice the right value: the penalty is the sum of squares "
              "divided by 2, (w ** 2).sum() / 2, so that its gradient is exactly w.",
        "zh": "l2_penalty 的结果是正确值的 2 倍：惩罚项是平方和再除以 2，即 (w ** 2).sum() / 2，"
              "这样它的梯度正好是 w。",
    },
    "l2_penalty.not_squared": {
        "en": "l2_penalty returns the norm of w (the square root of the sum of squares), or "
              "half of it: the penalty is the squared norm, halved: (w ** 2).sum() / 2, "
              "without a square root (w.norm() ** 2 / 2 is the same).",
        "zh": "l2_penalty 返回的是 w 的范数（平方和的平方根）或它的一半：惩罚项是范数的平方再除以 2，"
              "即 (w ** 2).sum() / 2，不开平方根（w.norm() ** 2 / 2 也一样）。",
    },
    "l2_penalty.no_grad": {
        "en": "l2_penalty's result is not connected to w in autograd's graph, so weight decay "
              "would never reach the weights: compute it from w with tensor operations only "
              "(no .item(), .detach(), .data, .numpy() or torch.tensor(...) of w).",
        "zh": "l2_penalty 的结果没有连到 w 的自动求导计算图上，权重衰减就无法作用到权重上："
              "请只用张量运算从 w 计算它（不要对 w 使用 .item()、.detach()、.data、.numpy() "
              "或 torch.tensor(...)）。",
    },
    "l2_penalty.what_gradient": {"en": "The gradient of l2_penalty (w.grad)",
                                 "zh": "l2_penalty 的梯度（w.grad）"},
    # -- dropout -----------------------------------------------------------------------
    "dropout.cpu_mask": {
        "en": "{function} combines X with a tensor made on the CPU (its mask, most likely), "
              "while X is on another device{where}: make the mask on X's device, "
              "torch.rand(X.shape, device=X.device) (torch.rand(X.shape) alone, as the book "
              "writes it, is on the CPU).",
        "zh": "{function} 把 X 和一个在 CPU 上新建的张量（多半是掩码）放在一起运算，而 X 在其他设备上"
              "{where}：请在 X 所在的设备上生成掩码，torch.rand(X.shape, device=X.device)"
              "（书中的 torch.rand(X.shape) 会放在 CPU 上）。",
    },
    "dropout.numpy_mask": {
        "en": "{function} makes its mask with NumPy, and the mask meets X on another device"
              "{where}: a NumPy array, and the tensor made from it, live on the CPU. Draw the "
              "mask with torch on X's device: torch.rand(X.shape, device=X.device) < keep_prob.",
        "zh": "{function} 用 NumPy 生成掩码，而掩码要和在其他设备上的 X 一起运算{where}："
              "NumPy 数组以及由它得到的张量都在 CPU 上。请用 torch 在 X 所在的设备上生成掩码："
              "torch.rand(X.shape, device=X.device) < keep_prob。",
    },
    "dropout.divide_by_zero": {
        "en": "{function} divides by keep_prob = 1 - drop_prob, which is 0 at drop_prob = 1"
              "{where}: that gives nan (0 / 0) or a ZeroDivisionError. When every element is "
              "dropped, return zeros first: if keep_prob == 0: return torch.zeros_like(X).",
        "zh": "{function} 除以 keep_prob = 1 - drop_prob，而 drop_prob = 1 时它等于 0{where}："
              "结果是 nan（0 / 0）或 ZeroDivisionError。所有元素都被丢弃时（keep_prob == 0），"
              "请先直接返回 torch.zeros_like(X)，不再做除法。",
    },
    "dropout.nothing_kept": {
        "en": "dropout(X, {drop_prob:g}) drops every element: it should keep each one with "
              "probability 1 - drop_prob. Keep an element where torch.rand(...) < keep_prob.",
        "zh": "dropout(X, {drop_prob:g}) 丢弃了所有元素：每个元素应当以 1 - drop_prob 的概率被保留。"
              "请在 torch.rand(...) < keep_prob 的位置保留元素。",
    },
    "dropout.not_binary": {
        "en": "dropout scales the elements it keeps by different factors (X = {x:.4g} became "
              "{actual:.4g}, expected 0 or {expected:.4g}): the mask must hold only 0 and 1, "
              "(torch.rand(X.shape, device=X.device) < keep_prob).float(), not the random "
              "draws themselves.",
        "zh": "dropout 对保留下来的元素乘了不同的系数（X = {x:.4g} 变成了 {actual:.4g}，"
              "应为 0 或 {expected:.4g}）：掩码只能含 0 和 1，"
              "即 (torch.rand(X.shape, device=X.device) < keep_prob).float()，而不是随机数本身。",
    },
    "dropout.no_scaling": {
        "en": "dropout keeps the surviving elements as they are: divide them by keep_prob = "
              "1 - drop_prob ({keep:g} at drop_prob = {drop_prob:g}), so that each element's "
              "expected value stays X and the next layer sees activations of the same size "
              "with or without dropout.",
        "zh": "dropout 让保留下来的元素保持原值：应当把它们除以 keep_prob = 1 - drop_prob"
              "（drop_prob = {drop_prob:g} 时是 {keep:g}），这样每个元素的期望仍是 X，"
              "下一层无论是否丢弃看到的激活大小都一样。",
    },
    "dropout.scaled_by_drop_prob": {
        "en": "dropout scales the surviving elements with drop_prob (they are {factor:.4g} "
              "times X at drop_prob = {drop_prob:g}): divide by keep_prob = 1 - drop_prob, "
              "the probability of being kept.",
        "zh": "dropout 用 drop_prob 缩放保留下来的元素（drop_prob = {drop_prob:g} 时它们是 X 的 "
              "{factor:.4g} 倍）：应当除以 keep_prob = 1 - drop_prob，即被保留的概率。",
    },
    "dropout.multiplied": {
        "en": "dropout multiplies the surviving elements by keep_prob (they are {factor:.4g} "
              "times X at drop_prob = {drop_prob:g}): divide by keep_prob instead, so that the "
              "expected value of each element stays X.",
        "zh": "dropout 把保留下来的元素乘以了 keep_prob（drop_prob = {drop_prob:g} 时它们是 X 的 "
              "{factor:.4g} 倍）：应当除以 keep_prob，这样每个元素的期望仍是 X。",
    },
    "dropout.wrong_scale": {
        "en": "dropout scales the surviving elements by {factor:.4g} at drop_prob = "
              "{drop_prob:g}; they should be X / (1 - drop_prob), {expected:.4g} times X.",
        "zh": "drop_prob = {drop_prob:g} 时，dropout 把保留下来的元素乘以了 {factor:.4g}；"
              "它们应当是 X / (1 - drop_prob)，即 X 的 {expected:.4g} 倍。",
    },
    "dropout.randn": {
        "en": "dropout draws its mask with torch.randn: normal draws below keep_prob keep the "
              "wrong share of elements (at drop_prob = {drop_prob:g} it kept {share:.1%} "
              "instead of all of them). Use torch.rand, uniform on [0, 1), whose draws fall "
              "below keep_prob with probability exactly keep_prob.",
        "zh": "dropout 用 torch.randn 生成掩码：正态分布的随机数小于 keep_prob 的比例不对"
              "（drop_prob = {drop_prob:g} 时保留了 {share:.1%} 的元素，而不是全部）。"
              "请用 torch.rand，它在 [0, 1) 上均匀分布，小于 keep_prob 的概率正好是 keep_prob。",
    },
    "dropout.inverted_mask": {
        "en": "dropout keeps each element with probability drop_prob instead of 1 - drop_prob "
              "(at drop_prob = {drop_prob:g} it kept {share:.1%}, expected {expected:.0%}): "
              "keep an element where the uniform draw is below keep_prob = 1 - drop_prob.",
        "zh": "dropout 以 drop_prob 的概率保留元素，而不是 1 - drop_prob"
              "（drop_prob = {drop_prob:g} 时保留了 {share:.1%}，应约为 {expected:.0%}）："
              "请在均匀随机数小于 keep_prob = 1 - drop_prob 的位置保留元素。",
    },
    "dropout.keep_share": {
        "en": "dropout(X, {drop_prob:g}) kept {share:.1%} of the elements, far from the "
              "{expected:.0%} it should keep on average: keep each element independently, "
              "where torch.rand(X.shape, device=X.device) < keep_prob.",
        "zh": "dropout(X, {drop_prob:g}) 保留了 {share:.1%} 的元素，与平均应保留的 {expected:.0%} "
              "相差太远：请让每个元素独立地在 torch.rand(X.shape, device=X.device) < keep_prob "
              "的位置被保留。",
    },
    "dropout.drops_at_zero": {
        "en": "dropout(X, 0) zeroed {count} of {total} elements: at drop_prob = 0 nothing may "
              "be dropped. A mask drawn with torch.randn does this; torch.rand draws in "
              "[0, 1), all below keep_prob = 1.",
        "zh": "dropout(X, 0) 把 {total} 个元素中的 {count} 个置零了：drop_prob = 0 时不能丢弃任何元素。"
              "用 torch.randn 生成掩码就会这样；torch.rand 的随机数在 [0, 1) 内，全都小于 keep_prob = 1。",
    },
    "dropout.in_place": {
        "en": "dropout(X, {drop_prob:g}) changed X in place (X *= mask, or X[...] = 0): the "
              "caller's activations, which autograd still needs, are destroyed. Compute a new "
              "tensor: return mask * X / keep_prob.",
        "zh": "dropout(X, {drop_prob:g}) 原地修改了 X（X *= mask 或 X[...] = 0）：调用者的激活值"
              "被破坏了，而自动求导还需要它。请计算并返回一个新张量：mask * X / keep_prob。",
    },
    # -- the tests' names --------------------------------------------------------------
    "test.overfitting.test_l2_penalty_values": {
        "en": "l2_penalty is the sum of w's squares, halved, as a scalar tensor",
        "zh": "l2_penalty 是 w 各元素平方和的一半，结果是标量张量",
    },
    "test.overfitting.test_l2_penalty_gradient": {
        "en": "l2_penalty's gradient with respect to w is w itself",
        "zh": "l2_penalty 对 w 的梯度就是 w 本身",
    },
    "test.overfitting.test_l2_penalty_stays_on_device": {
        "en": "l2_penalty keeps its right result on w's device",
        "zh": "l2_penalty 把正确的结果留在 w 所在的设备上",
    },
    "test.overfitting.test_dropout_survivors": {
        "en": "dropout zeroes elements and divides the others by 1 - drop_prob",
        "zh": "dropout 把一部分元素置零，其余元素除以 1 - drop_prob",
    },
    "test.overfitting.test_dropout_keep_share": {
        "en": "dropout keeps each element with probability 1 - drop_prob, over many seeded draws",
        "zh": "在多次设定种子的抽样中，dropout 以 1 - drop_prob 的概率保留每个元素",
    },
    "test.overfitting.test_dropout_extremes": {
        "en": "dropout keeps X as it is at drop_prob 0 and returns zeros at drop_prob 1",
        "zh": "drop_prob 为 0 时 dropout 原样保留 X，为 1 时返回全零",
    },
    "test.overfitting.test_dropout_input_unchanged": {
        "en": "dropout leaves its input X unchanged",
        "zh": "dropout 不修改输入 X",
    },
    "test.overfitting.test_dropout_stays_on_device": {
        "en": "dropout makes its mask and its right result on X's device",
        "zh": "dropout 在 X 所在的设备上生成掩码和正确的结果",
    },
    # -- the feedback page's pictures -------------------------------------------------
    "feedback.overfitting.heading": {"en": "Weight decay and dropout",
                                     "zh": "权重衰减和丢弃法"},
    "feedback.overfitting.weight_decay": {
        "en": "l2_penalty at work: the book's example of overfitting ({train} training "
              "examples of {inputs} features) trained for {epochs} full-batch steps "
              "(lr = {lr:g}) with your l2_penalty, for each λ on the horizontal axis. "
              "Left, the training loss; right, the test loss, on logarithmic scales. "
              "Without decay (λ = 0) the model fits the training set and fails on the "
              "test set; a right penalty brings the test loss down as λ grows.",
        "zh": "l2_penalty 的效果：用你的 l2_penalty，对书中过拟合的例子（{train} 个训练样本，"
              "每个 {inputs} 个特征）在横轴的每个 λ 下做 {epochs} 步全批量训练（lr = {lr:g}）。"
              "左图是训练损失，右图是测试损失，纵轴都是对数刻度。不衰减时（λ = 0）模型"
              "拟合了训练集却在测试集上失败；惩罚项正确时，测试损失随 λ 增大而下降。",
    },
    "feedback.overfitting.dropout": {
        "en": "dropout over drop_prob from 0 to 1, on {count} elements: left, the share of "
              "elements it keeps, which should be 1 - drop_prob; right, the mean of what it "
              "returns, which should stay the input's mean (survivors divided by "
              "1 - drop_prob) until everything is dropped at drop_prob = 1.",
        "zh": "drop_prob 从 0 到 1 时 dropout 在 {count} 个元素上的表现：左图是保留下来的元素所占"
              "比例，应当是 1 - drop_prob；右图是返回值的平均值，应当一直等于输入的平均值"
              "（保留的元素除以 1 - drop_prob），直到 drop_prob = 1 时全部丢弃。",
    },
    "feedback.overfitting.dropout_failed": {
        "en": "At drop_prob = {drop_prob:g}: {problem}",
        "zh": "drop_prob = {drop_prob:g} 时：{problem}",
    },
    # -- the notebook ------------------------------------------------------------------
    "course.overfitting.notes": {
        "en": "**Weight decay** trains on the loss plus a penalty on the weights' size,\n"
              "{objective}, so that one step of minibatch SGD first shrinks the weights,\n"
              "{update}.\n**Dropout** replaces each hidden unit {h} by {dropped} during "
              "training only;\nthe division by {keep} keeps its expected value,\n"
              "{expectation}, so nothing changes when dropout is switched off for testing.",
        "zh": "**权重衰减**在损失上加一个关于权重大小的惩罚项来训练，\n{objective}，"
              "于是小批量随机梯度下降的每一步都先把权重缩小，\n{update}。\n"
              "**丢弃法**只在训练时把每个隐藏单元 {h} 换成 {dropped}；除以 {keep} 使它的期望不变，\n"
              "{expectation}，所以测试时关掉丢弃法也不会改变什么。",
    },
    "course.overfitting.dropout.note": {
        "en": "**Why torch.rand and not torch.randn?** The mask keeps an element where the "
              "draw is below\n`keep_prob`: a uniform draw on [0, 1) is below it with "
              "probability exactly `keep_prob`,\na normal draw is not (at `drop_prob = 0`, "
              "torch.randn would still drop about 16% of the elements).",
        "zh": "**为什么用 torch.rand 而不用 torch.randn？** 掩码在随机数小于 `keep_prob` 的位置"
              "保留元素：[0, 1) 上的均匀随机数小于它的概率正好是 `keep_prob`，正态随机数则不是"
              "（`drop_prob = 0` 时，torch.randn 仍会丢弃约 16% 的元素）。",
    },
    "course.overfitting.intro": {
        "en": "(the docstring of the module in assignments/overfitting.py)",
        "zh": """\
权重衰减和丢弃法：从零开始实现应对过拟合的两种方法。

《动手学深度学习》“多层感知机”一章的“权重衰减”和“丢弃法”两节（学习小组所用中文版的 3.12 节\
和 3.13 节）。模型在训练集上的表现远好于在新数据上的表现，就是过拟合了。权重衰减在损失上加上 \
`lambd` 乘以一个关于权重大小的惩罚项，使训练偏向较小的权重；丢弃法在训练时随机地把隐藏单元置零，\
使任何单元都不能依赖于特定的其他单元。""",
    },
    "course.overfitting.l2_penalty.doc": {
        "en": "(the docstring of l2_penalty in assignments/overfitting.py)",
        "zh": """\
权重衰减的 L2 范数惩罚项：w 各元素的平方和，再除以 2。

训练时最小化 `loss + lambd * l2_penalty(w)`。除以 2 使惩罚项的梯度正好是 w，\
于是随机梯度下降的每一步都把 w 缩小 `lr * lambd * w`：这就是“权重衰减”这个名字的由来。\
请对平方求和（而不是求平均）：无论 w 有多大，惩罚项都是 ||w||^2 / 2。

参数：
    w: 权重，任意形状的浮点张量（书中的形状是 (num_inputs, 1)），任意设备；\
它通常需要梯度。

返回：
    形状为 () 的张量（标量张量，不是 Python 的 float），dtype 与 w 相同，位于 w 所在的\
设备上，并连在 w 的自动求导计算图上。不修改 w。""",
    },
    "course.overfitting.dropout.doc": {
        "en": "(the docstring of dropout in assignments/overfitting.py)",
        "zh": """\
倒置丢弃法：以 drop_prob 的概率把每个元素置零，并把保留下来的元素除以 1 - drop_prob。

X 的每个元素独立地以 keep_prob = 1 - drop_prob 的概率被保留，否则被置为 0；\
保留下来的元素除以 keep_prob，使每个元素的期望不变，下一层在训练时看到的激活大小\
与不丢弃时相同。用 torch.rand 生成掩码（[0, 1) 上的均匀分布：随机数小于 keep_prob \
的位置保留元素），不要用 torch.randn，正态随机数保留的比例不对；掩码要在 X 所在的设备上\
生成（torch.rand(X.shape, device=X.device)）。drop_prob = 1 时所有元素都被丢弃：\
直接返回全零，不要除以 keep_prob = 0。

参数：
    X: 任意形状的 float32 张量（某一层的激活值），任意设备。
    drop_prob: 丢弃一个元素的概率，0 <= drop_prob <= 1。

返回：
    一个新的 float32 张量，形状与 X 相同，位于 X 所在的设备上，每个元素是 0 或 \
X / (1 - drop_prob)；drop_prob = 0 时它等于 X，drop_prob = 1 时全为零。\
不原地修改 X（写 mask * X / keep_prob，不要写 X *= ...）。""",
    },
}

# An error a classic mistake raises -> its diagnosis (the first match wins).
KNOWN_ERRORS = [
    ("dropout", "Expected all tensors to be on the same device", "dropout.cpu_mask"),
    ("dropout", "division by zero", "dropout.divide_by_zero"),
]

MISTAKES = [
    Mistake(name="dropout-randn", function="dropout", key="dropout.randn", code='''
def dropout(X, drop_prob):
    keep_prob = 1 - drop_prob
    if keep_prob == 0:
        return torch.zeros_like(X)
    mask = (torch.randn(X.shape, device=X.device) < keep_prob).float()
    return mask * X / keep_prob
'''),
    Mistake(name="dropout-no-scaling", function="dropout", key="dropout.no_scaling", code='''
def dropout(X, drop_prob):
    keep_prob = 1 - drop_prob
    if keep_prob == 0:
        return torch.zeros_like(X)
    mask = (torch.rand(X.shape, device=X.device) < keep_prob).float()
    return mask * X
'''),
    Mistake(name="dropout-scaled-by-drop-prob", function="dropout",
            key="dropout.scaled_by_drop_prob", code='''
def dropout(X, drop_prob):
    keep_prob = 1 - drop_prob
    if keep_prob == 0:
        return torch.zeros_like(X)
    mask = (torch.rand(X.shape, device=X.device) < keep_prob).float()
    return mask * X / drop_prob
'''),
    Mistake(name="dropout-nan-at-one", function="dropout", key="dropout.divide_by_zero",
            code='''
def dropout(X, drop_prob):
    keep_prob = 1 - drop_prob
    mask = (torch.rand(X.shape, device=X.device) < keep_prob).float()
    return mask * X / keep_prob
'''),
    Mistake(name="dropout-zero-division", function="dropout", key="dropout.divide_by_zero",
            code='''
def dropout(X, drop_prob):
    keep_prob = 1 - drop_prob
    scale = 1 / keep_prob
    return (torch.rand(X.shape, device=X.device) < keep_prob).float() * X * scale
'''),
    Mistake(name="dropout-in-place", function="dropout", key="dropout.in_place", code='''
def dropout(X, drop_prob):
    keep_prob = 1 - drop_prob
    if keep_prob == 0:
        return torch.zeros_like(X)
    X *= (torch.rand(X.shape, device=X.device) < keep_prob).float() / keep_prob
    return X
'''),
    Mistake(name="l2-penalty-mean", function="l2_penalty", key="l2_penalty.mean", code='''
def l2_penalty(w):
    return (w ** 2).mean() / 2
'''),
    Mistake(name="l2-penalty-no-sum", function="l2_penalty", key="l2_penalty.no_sum",
            code='''
def l2_penalty(w):
    return w ** 2 / 2
'''),
    Mistake(name="l2-penalty-no-half", function="l2_penalty", key="l2_penalty.no_half",
            code='''
def l2_penalty(w):
    return (w ** 2).sum()
'''),
]

# The fields of course.overfitting.notes.
FORMULAS = {
    "objective": r"$\ell(\mathbf{w}, b) + \frac{\lambda}{2}\|\mathbf{w}\|^2$",
    "update": r"$\mathbf{w} \leftarrow (1 - \eta\lambda)\,\mathbf{w} - "
              r"\frac{\eta}{|\mathcal{B}|}\sum_{i \in \mathcal{B}} "
              r"\partial_{\mathbf{w}}\, \ell^{(i)}(\mathbf{w}, b)$",
    "h": r"$h$",
    "dropped": r"$h' = \xi h / (1 - p)$, $\xi \sim \mathrm{Bernoulli}(1 - p)$",
    "keep": r"$1 - p$",
    "expectation": r"$E[h'] = h$",
}

# Shown under each function's contract.
FUNCTION_FORMULAS = {
    "l2_penalty": r"$\frac{1}{2}\|\mathbf{w}\|^2 = \frac{1}{2}\sum_i w_i^2$",
    "dropout": r"$h'_i = \frac{\xi_i}{1 - p} h_i,\ \xi_i \sim \mathrm{Bernoulli}(1 - p)$",
}
