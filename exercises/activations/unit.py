"""activations: its messages in English and Chinese, and what else the grader knows of it."""

from autograder.registry import Mistake

MESSAGES = {
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
              "it is not chosen. Write -|x| as torch.where(x >= 0, -x, x), not with abs(): "
              "the gradient of abs() is 0 at x = 0, where sigmoid's derivative is 0.25.",
        "zh": "|x| 很大时（x = {x:g}）sigmoid 的{part}出现 nan 或 inf：对大的正数取 exp 会溢出"
              "（float32 中 exp(89) 就已经是 inf）。只对非正数取 exp：z = exp(-|x|)，x >= 0 时用 "
              "1 / (1 + z)，x < 0 时用 z / (1 + z)。注意 torch.where 会计算两个分支：溢出的分支即使没被选中，"
              "也会让梯度变成 nan。请用 torch.where(x >= 0, -x, x) 计算 -|x|，不要用 abs()："
              "abs() 在 x = 0 处的梯度是 0，而 sigmoid 在那里的导数是 0.25。",
    },
    "tanh.overflow": {
        "en": "tanh gives nan or inf {part} for large |x| (at x = {x:g}): exp of a large "
              "positive number overflows (exp(89) is already inf in float32), and "
              "inf / inf is nan. Only ever take exp of a non-positive number: compute "
              "t = tanh(|x|) = (1 - e) / (1 + e) with e = exp(-2|x|) and restore the sign "
              "(tanh is odd). Note that torch.where evaluates both branches: a branch "
              "that overflows still turns the gradient into nan where it is not chosen. "
              "Write -|x| as torch.where(x >= 0, -x, x) and restore the sign with "
              "torch.where(x >= 0, t, -t), not with abs() or sign(x) * t: their gradient "
              "is 0 at x = 0, where tanh's derivative is 1.",
        "zh": "|x| 很大时（x = {x:g}）tanh 的{part}出现 nan 或 inf：对大的正数取 exp 会溢出"
              "（float32 中 exp(89) 就已经是 inf），inf / inf 得到 nan。只对非正数取 exp："
              "用 e = exp(-2|x|) 计算 t = tanh(|x|) = (1 - e) / (1 + e)，再恢复符号（tanh 是奇函数）。"
              "注意 torch.where 会计算两个分支：溢出的分支即使没被选中，也会让梯度变成 nan。"
              "请用 torch.where(x >= 0, -x, x) 计算 -|x|，用 torch.where(x >= 0, t, -t) 恢复符号，"
              "不要用 abs() 或 sign(x) * t：它们在 x = 0 处的梯度是 0，而 tanh 在那里的导数是 1。",
    },
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
              "无论来自 torch、张量方法还是 torch.nn.functional）和 clamp()。请用基本运算"
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
    "activation.zero_gradient_at_zero": {
        "en": "{function}'s gradient at x = 0 is 0, but the true derivative there is "
              "{derivative} (with the upstream gradient {upstream:.6g}, X.grad should be "
              "{expected:.6g}). In PyTorch sign(x) has gradient 0 everywhere, and |x| "
              "(abs()) has gradient 0 at x = 0, so a formula built on them, such as "
              "sign(x) * {function}(|x|), passes no gradient at x = 0. {remedy}",
        "zh": "{function} 在 x = 0 处的梯度是 0，但那里真正的导数是 {derivative}"
              "（上游梯度为 {upstream:.6g}，所以 X.grad 应为 {expected:.6g}）。在 PyTorch 中 sign(x) "
              "的梯度处处为 0，|x|（abs()）在 x = 0 处的梯度也是 0，所以基于它们的写法，例如 "
              "sign(x) * {function}(|x|)，在 x = 0 处传不回任何梯度。{remedy}",
    },
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
        "en": "relu keeps its right result on the input's device",
        "zh": "relu 的正确结果留在输入所在的设备上",
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
        "en": "sigmoid keeps its right result on the input's device",
        "zh": "sigmoid 的正确结果留在输入所在的设备上",
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
        "en": "tanh keeps its right result on the input's device",
        "zh": "tanh 的正确结果留在输入所在的设备上",
    },
    "feedback.activations.heading": {"en": "Activation functions", "zh": "激活函数"},
    "feedback.activations.intro": {
        "en": "Each function on [-8, 8], as the book draws it: on the left its values, on "
              "the right its gradient. Where your curve leaves the book's, your function "
              "differs there.",
        "zh": "每个函数在 [-8, 8] 上的图像，画法与书中相同：左图是函数值，右图是梯度。"
              "你的曲线偏离书中曲线的地方，就是你的函数出错的地方。",
    },
    "course.activations.notes": {
        "en": "**Why an activation at all?** A stack of affine layers is itself an affine "
              "function:\n{first} followed by\n{second} is just\n{collapsed},\nso hidden "
              "layers add nothing. A nonlinear function applied to every hidden unit,\n"
              "{hidden}, prevents that collapse.",
        "zh": "**为什么需要激活函数？** 多个仿射层叠在一起仍然是一个仿射函数：\n{first} "
              "之后接\n{second}，\n结果就是\n{collapsed}，\n隐藏层毫无用处。对每个隐藏单元"
              "施加一个非线性函数，\n{hidden}，就能避免这种坍缩。",
    },
    "course.activations.intro": {"zh": """\
用基本张量运算实现激活函数。

《动手学深度学习》“多层感知机”一章“多层感知机”一节中的“激活函数”（学习小组所用中文版的 \
3.8 节）。中间没有非线性的话，叠起来的线性层会坍缩成一个线性层；这些函数提供了这种非线性。

本作业的规则：每个函数都用基本张量运算（比较、torch.where、torch.exp、算术运算等）实现。\
不要使用 torch 内置的 relu、sigmoid 或 tanh，无论是 torch 模块的函数、张量的方法还是 \
torch.nn.functional 中的函数，也不要使用 clamp。"""},
    "course.activations.relu.doc": {"zh": """\
修正线性单元：逐元素计算 max(x, 0)。

ReLU 保留正的输入，把负的输入置零。它的导数在 x > 0 时为 1，在 x < 0 时为 0\
（在 x = 0 处取 0，与 torch 相同；恰好在 0 处的梯度不评分：本书的 \
torch.max(X, torch.tensor(0.0)) 在那里给出 0.5），所以梯度穿过激活的单元时不会缩小，\
这正是它能缓解 sigmoid 和 tanh 的梯度消失问题的原因。

参数：
    X: 任意形状的张量，浮点 dtype，任意设备。

返回：
    与 X 形状、dtype 和设备都相同的张量。自动求导必须能穿过它。不原地修改 X。"""},
    "course.activations.sigmoid.doc": {"zh": """\
逐元素计算 sigmoid 1 / (1 + exp(-x))，且数值稳定。

sigmoid 把任意实数输入压缩到 (0, 1) 内。直接计算时，x 很小（例如 float32 中的 -1000）会让 \
exp(-x) 溢出成 inf，反向传播时就得到 inf 或 nan。只对非正数取 exp：x >= 0 时用  \
1 / (1 + exp(-x))，x < 0 时用等价的 exp(x) / (1 + exp(x))。torch.where 会计算两个分支，\
所以只对 -|x| 取 exp，并把 -|x| 写成 torch.where(X >= 0, -X, X)：X.abs() 在 x = 0 处的\
梯度是 0，而 sigmoid 在那里的导数是 0.25。

参数：
    X: 任意形状的张量，浮点 dtype，任意设备。

返回：
    与 X 形状、dtype 和设备都相同的张量，取值在 [0, 1] 内。自动求导必须能穿过它，\
并处处给出真实的导数 sigmoid(x) * (1 - sigmoid(x))，包括 x = 0；\
|x| 很大（例如 ±1000）时值和梯度都必须是有限的。不原地修改 X。"""},
    "course.activations.tanh.doc": {"zh": """\
逐元素计算双曲正切 (1 - exp(-2x)) / (1 + exp(-2x))，且数值稳定。

tanh 把任意实数输入压缩到 (-1, 1) 内，与 sigmoid 不同，它以 0 为中心\
（tanh(x) = 2 * sigmoid(2x) - 1）。和 sigmoid 一样，避免对很大的正数取 exp：\
用 exp(-2|x|) 算出 t = tanh(|x|)，再恢复符号，因为 tanh 是奇函数。-|x| 写成 \
torch.where(X >= 0, -X, X)，恢复符号用 torch.where(X >= 0, t, -t)：X.abs() 和 \
torch.sign(X) 在 x = 0 处的梯度是 0，基于它们的写法（如 sign(x) * tanh(|x|)）在那里\
给出的梯度是 0，而不是 1。

参数：
    X: 任意形状的张量，浮点 dtype，任意设备。

返回：
    与 X 形状、dtype 和设备都相同的张量，取值在 [-1, 1] 内。自动求导必须能穿过它，\
并处处给出真实的导数 1 - tanh(x) ** 2，包括 x = 0；|x| 很大（例如 ±1000）时\
值和梯度都必须是有限的。不原地修改 X。"""},
    "zero_gradient.tanh": {
        "en": "Compute n = -|x| as torch.where(x >= 0, -x, x) (its gradient is never 0), "
              "e = exp(2 * n) and t = (1 - e) / (1 + e), which is tanh(|x|), then restore "
              "the sign with torch.where(x >= 0, t, -t).",
        "zh": "请用 n = torch.where(x >= 0, -x, x) 计算 -|x|（它的梯度从不为 0），令 e = exp(2 * n)、"
              "t = (1 - e) / (1 + e)，即 tanh(|x|)，再用 torch.where(x >= 0, t, -t) 恢复符号。",
    },
    "zero_gradient.sigmoid": {
        "en": "Compute -|x| as torch.where(x >= 0, -x, x) (its gradient is never 0), "
              "z = exp(-|x|), then torch.where(x >= 0, 1 / (1 + z), z / (1 + z)).",
        "zh": "请用 torch.where(x >= 0, -x, x) 计算 -|x|（它的梯度从不为 0），令 z = exp(-|x|)，"
              "再取 torch.where(x >= 0, 1 / (1 + z), z / (1 + z))。",
    },
}

# A fragment of the error text that a classic mistake raises, and its diagnosis.
KNOWN_ERRORS = [
    ("relu", "Can't call numpy() on Tensor that requires grad", "activation.numpy"),
    ("sigmoid", "Can't call numpy() on Tensor that requires grad", "activation.numpy"),
    ("tanh", "Can't call numpy() on Tensor that requires grad", "activation.numpy"),
]

# The notebook's formulas and code: the fields of course.activations.notes.
FORMULAS = {
    "first": r"$\mathbf{H} = \mathbf{X}\mathbf{W}_1 + \mathbf{b}_1$",
    "second": r"$\mathbf{O} = \mathbf{H}\mathbf{W}_2 + \mathbf{b}_2$",
    "collapsed": r"$\mathbf{X}\mathbf{W}_1\mathbf{W}_2 + (\mathbf{b}_1\mathbf{W}_2 + "
                 r"\mathbf{b}_2)$",
    "hidden": r"$\mathbf{H} = \sigma(\mathbf{X}\mathbf{W}_1 + \mathbf{b}_1)$",
}
# Each function's formula, shown under its contract in the notebook.
FUNCTION_FORMULAS = {
    "relu": r"$\mathrm{ReLU}(x) = \max(x, 0)$",
    "sigmoid": r"$\mathrm{sigmoid}(x) = \frac{1}{1 + \exp(-x)}$",
    "tanh": r"$\tanh(x) = \frac{1 - \exp(-2x)}{1 + \exp(-2x)}$",
}

# Classic mistakes: the reference with one definition replaced by the code, which must
# lose points with the diagnosis named (the project's tests and benches grade each one).
MISTAKES = [
    Mistake("sigmoid-sign", "sigmoid", "activation.sign_flip", """
    def sigmoid(X):
        return 1 / (1 + torch.exp(X))
"""),
    Mistake("tanh-half", "tanh", "tanh.half_argument", """
    def tanh(X):
        return (1 - torch.exp(-X)) / (1 + torch.exp(-X))
"""),
    Mistake("relu-builtin", "relu", "activation.builtin", """
    def relu(X):
        return torch.relu(X)
"""),
]
