"""softmax_regression: its messages in English and Chinese, and what else the grader knows of it."""

from autograder.registry import Mistake

MESSAGES = {
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
        "zh": "cross_entropy 用浮点数标签去索引 y_hat{where}，而 PyTorch 只接受整数下标（gather() 需要 int64，"
              "花式索引需要 long/int/bool）。标签是类别下标：请保持 y 为原来的 int64 张量"
              "（去掉 .float() 或 dtype=torch.float32），或者用 y.long() 转换。",
    },
    "cross_entropy.one_hot": {
        "en": "cross_entropy treats y as one-hot rows{where}, but y holds class indices: a "
              "tensor of shape (n,) such as tensor([2, 0, 1]), not a matrix of shape (n, q), "
              "so y * log(y_hat) does not line up and y.argmax(dim=1) has no dimension 1. "
              "Pick each row's probability of its true class, "
              "y_hat[range(len(y_hat)), y] or y_hat.gather(1, y.view(-1, 1)), and take -log "
              "of it (or make the one-hot rows with F.one_hot(y, num_classes=y_hat.shape[1])).",
        "zh": "cross_entropy 把 y 当成了独热向量组成的行{where}，但 y 存的是类别下标：形状为 (n,) 的张量，"
              "例如 tensor([2, 0, 1])，而不是形状为 (n, q) 的矩阵，所以 y * log(y_hat) 对不齐，"
              "y.argmax(dim=1) 也没有第 1 维。请取出每行真实类别的概率："
              "y_hat[range(len(y_hat)), y] 或 y_hat.gather(1, y.view(-1, 1))，再取 -log"
              "（或者用 F.one_hot(y, num_classes=y_hat.shape[1]) 构造独热行）。",
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
              "不要把它变成 nan、0 或一个小数（加上一个极小的数，如 log(p + 1e-12)，可以接受："
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
    "accuracy.floor_division": {
        "en": "accuracy returned {actual:g} where {expected:g} of the predictions are right: "
              "`//` is floor division, which rounds the fraction down to 0 unless every "
              "prediction is right. Divide with `/`, or take the mean of the comparison: "
              "(y_hat.argmax(dim=1) == y).float().mean().item().",
        "zh": "accuracy 返回了 {actual:g}，而正确的预测比例是 {expected:g}：`//` 是向下取整的除法，"
              "除非全部预测正确，否则比例都会被取整为 0。请用 `/` 做除法，或者对比较结果取平均："
              "(y_hat.argmax(dim=1) == y).float().mean().item()。",
    },
    "cross_entropy.double_softmax": {
        "en": "cross_entropy treats y_hat as logits: F.cross_entropy (like "
              "nn.CrossEntropyLoss) applies log_softmax to its input first, and y_hat are "
              "already probabilities, so this takes a second softmax. Pick the true class's "
              "probability and take its log: -torch.log(y_hat[range(len(y_hat)), y]) (or "
              "F.nll_loss(torch.log(y_hat), y, reduction='none')).",
        "zh": "cross_entropy 把 y_hat 当成了 logits：F.cross_entropy（和 nn.CrossEntropyLoss 一样）"
              "会先对输入做 log_softmax，而 y_hat 已经是概率，这样就又做了一次 softmax。"
              "请取出真实类别的概率再取对数：-torch.log(y_hat[range(len(y_hat)), y])"
              "（或 F.nll_loss(torch.log(y_hat), y, reduction='none')）。",
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
        "en": "softmax keeps its right result on the input's device",
        "zh": "softmax 的正确结果留在输入所在的设备上",
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
        "en": "cross_entropy keeps its right result on the inputs' device",
        "zh": "cross_entropy 的正确结果留在输入所在的设备上",
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
    "feedback.softmax.heading": {"en": "Softmax: the probabilities of each row",
                                 "zh": "softmax：每一行的概率"},
    "feedback.softmax.intro": {
        "en": "For each row of logits, your probability of each class (left bar) beside the "
              "book's (right bar). Each row must sum to 1.",
        "zh": "对每一行 logits，左边的柱是你算出的各类别概率，右边的柱是书中的结果。每行之和应为 1。",
    },
    "feedback.softmax.small": {"en": "A small batch of ordinary logits.",
                               "zh": "一小批普通大小的 logits。"},
    "feedback.softmax.large": {
        "en": "Logits around +1000 (row 0) and -1000 (row 1): exp overflows to inf, or "
              "underflows to 0, unless the row's largest logit is subtracted first.",
        "zh": "约为 +1000（第 0 行）和 -1000（第 1 行）的 logits：除非先减去每行 logits 的最大值，"
              "否则 exp 会上溢为 inf 或下溢为 0。",
    },
    "course.softmax_regression.notes": {
        "en": "**Why softmax, and why cross-entropy instead of squared error?** Used directly "
              "as\npredictions, the outputs {o_j} of a linear layer have no fixed range: an "
              "output of 10\nmeans \"very sure\" next to outputs of 0.1, and \"not sure at all\" "
              "next to outputs of\n1000; and the error between such unbounded values and a "
              "discrete label is hard to\nmeasure. Softmax turns the outputs into a probability "
              "distribution over the {q}\nclasses,\n{softmax}, without changing which class is "
              "the most\nlikely. To fit it, squared error would ask every wrong class's "
              "probability to be exactly\nright too, which is far stricter than classification "
              "needs; cross-entropy\n{cross_entropy} only asks the true class's\nprobability to "
              "be as large as possible.",
        "zh": "**为什么用 `softmax`，为什么用交叉熵而不用平方误差？** 线性层的输出 {o_j} "
              "若直接当作预测，取值范围并不固定：旁边的输出都是 0.1 时，输出 10 表示“非常确定”；"
              "旁边的输出都是 1000 时，它却表示“毫无把握”。而且这种没有界的值与离散标签之间的"
              "误差也很难衡量。`softmax` 把输出变成 {q} 个类别上的概率分布，\n{softmax}，"
              "且不改变哪个类别最可能。拟合时，平方误差会要求每个错误类别的概率也恰好正确，"
              "这比分类所需要的严格得多；交叉熵\n{cross_entropy} 只要求真实类别的概率尽可能大。",
    },
    "course.softmax_regression.intro": {"zh": """\
从零开始实现 softmax 回归。

《动手学深度学习》“线性神经网络”一章的“softmax 回归的从零开始实现”一节\
（学习小组所用中文版的 3.6 节）。你要在线性层之上写出从零开始的分类器需要的三个函数：\
softmax、交叉熵损失和分类准确率。"""},
    "course.softmax_regression.softmax.doc": {"zh": """\
按行计算 softmax：exp(X[i, j]) / sum_k exp(X[i, k])。

softmax 把任意实数输出（未归一化的分数）变成 q 个类别上的概率分布：每个元素非负，\
每行之和为 1。分数很大时 exp 会溢出（在 float32 中 exp(1000) 是 inf），所以先减去每行的\
最大值：给一行加上同一个常数不改变 softmax，减去之后最大的指数是 exp(0) = 1。

参数：
    X: 形状为 (n, q) 的分数，浮点 dtype，任意设备。不得原地修改。

返回：
    形状为 (n, q) 的张量，dtype 和设备与 X 相同，每行是一个概率分布。\
即使分数约为 ±1000 也是有限值。"""},
    "course.softmax_regression.cross_entropy.doc": {"zh": """\
逐样本的交叉熵损失 -log(y_hat[i, y[i]])。

标签是独热向量时，交叉熵 sum_j -y_j log(y_hat_j) 只剩一项：模型给真实类别的概率取对数\
再取负。与平方损失不同，它不关心剩下的概率如何分布在错误类别上，只要求真实类别的概率\
尽可能大。

参数：
    y_hat: 预测的概率，形状为 (n, q)（例如 softmax 的输出）。
    y: 真实类别的下标，形状为 (n,) 的 int64 张量，取值在 [0, q) 内，与 y_hat 在同一设备上\
（不是独热行）。

返回：
    形状为 (n,) 的张量，每个样本一个损失；像本书的 \
-torch.log(y_hat.gather(1, y.view(-1, 1))) 那样得到形状 (n, 1) 也可以。\
真实类别的概率为 0 时损失是 -log(0) = inf（用 -log(p + 1e-12) 这样的小量保护、\
让损失保持很大，也可以）；错误类别上的 0 不能让损失变成 nan。不原地修改任何东西。"""},
    "course.softmax_regression.accuracy.doc": {"zh": """\
预测类别等于真实类别的样本所占的比例。

预测类别是一行中分数最大的那个（argmax）；对未归一化的分数和它们的 softmax 来说都一样，\
因为 softmax 保持每行的大小顺序。

参数：
    y_hat: 分数或概率，形状为 (n, q)。
    y: 真实类别的下标，形状为 (n,) 的 int64 张量，在同一设备上。

返回：
    [0, 1] 内的 float。不原地修改任何东西。"""},
}

# A fragment of the error text that a classic mistake raises, and its diagnosis.
KNOWN_ERRORS = [
    ("softmax", "must match the size of tensor b", "softmax.no_keepdim"),
    ("cross_entropy", "gather(): Expected dtype", "cross_entropy.float_labels"),
    ("cross_entropy", "tensors used as indices must be long", "cross_entropy.float_labels"),
    # Code written for one-hot labels, given the class indices y of shape (n,):
    # y * log(y_hat) cannot broadcast (n,) against (n, q), and y.argmax(dim=1) asks a
    # 1-d tensor for a second dimension.
    ("cross_entropy", "must match the size of tensor b", "cross_entropy.one_hot"),
    ("cross_entropy", "expected to be in range of [-1, 0], but got 1", "cross_entropy.one_hot"),
    ("accuracy", "must match the size of tensor b", "accuracy.shapes"),
]

# The notebook's formulas and code: the fields of course.softmax_regression.notes.
FORMULAS = {
    "o_j": r"$o_j$",
    "q": r"$q$",
    "softmax": r"$\hat{y}_j = \exp(o_j) / \sum_k \exp(o_k)$",
    "cross_entropy": r"$l = -\sum_j y_j \log \hat{y}_j = -\log \hat{y}_{y}$",
}
# Each function's formula, shown under its contract in the notebook.
FUNCTION_FORMULAS = {
    "softmax": r"$\mathrm{softmax}(\mathbf{X})_{ij} = \frac{\exp(X_{ij})}{\sum_k \exp(X_{ik})}$",
    "cross_entropy": r"$l^{(i)} = -\log \hat{y}^{(i)}_{y^{(i)}}$",
}

# Classic mistakes: the reference with one definition replaced by the code, which must
# lose points with the diagnosis named (the project's tests and benches grade each one).
MISTAKES = [
    Mistake("softmax-wrong-dim", "softmax", "softmax.wrong_dim", """
    def softmax(X):
        X_exp = torch.exp(X - X.max(dim=1, keepdim=True).values)
        return X_exp / X_exp.sum(dim=0, keepdim=True)
"""),
    Mistake("softmax-unstable", "softmax", "softmax.overflow", """
    def softmax(X):
        X_exp = X.exp()
        partition = X_exp.sum(dim=1, keepdim=True)
        return X_exp / partition
"""),
    Mistake("cross-entropy-sign", "cross_entropy", "cross_entropy.sign", """
    def cross_entropy(y_hat, y):
        return torch.log(y_hat[range(len(y_hat)), y])
"""),
    Mistake("cross-entropy-columns", "cross_entropy", "cross_entropy.fancy_index", """
    def cross_entropy(y_hat, y):
        return -torch.log(y_hat[:, y])
"""),
]
