"""concise: its messages in English and Chinese, and what else the grader knows of it."""

from autograder.registry import Mistake

MESSAGES = {
    "linear_net.not_module": {
        "en": "LinearNet(n_feature) gave {actual}, not an nn.Module: LinearNet must be a "
              "class that subclasses nn.Module (class LinearNet(nn.Module): ...).",
        "zh": "LinearNet(n_feature) 得到的是 {actual}，而不是 nn.Module：LinearNet 必须是 nn.Module "
              "的子类（`class LinearNet(nn.Module): ...`）。",
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
        "zh": "LinearNet 没有 nn.Linear 子模块 self.linear（它的子模块：{found}）：请写 "
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
              "请直接返回 self.linear(x)，每行一个预测、排成一列（不要调用 squeeze()、flatten() 或转置）。",
    },
    "test.concise.test_linear_net_structure": {
        "en": "LinearNet(n_feature) holds one nn.Linear(n_feature, 1) named linear",
        "zh": "LinearNet(n_feature) 含有一个 nn.Linear(n_feature, 1)，即 self.linear",
    },
    "test.concise.test_linear_net_forward": {
        "en": "net(x) is x @ linear.weight.T + linear.bias, of shape (n, 1)",
        "zh": "net(x) 等于 x @ linear.weight.T + linear.bias，形状为 (n, 1)",
    },
    "test.concise.test_linear_net_stays_on_device": {
        "en": "LinearNet moved to the input's device gives its right output there",
        "zh": "LinearNet 移到输入所在设备后，正确的输出也在该设备上",
    },
    "course.concise.notes": {
        "en": "The same linear regression as before, written the way it is done in practice: "
              "an\n`nn.Linear` layer owns the weight and the bias, `nn.MSELoss` and "
              "`torch.optim.SGD` would\nreplace `squared_loss` and `sgd`.",
        "zh": "与前面相同的线性回归，这次按实践中的写法来写：由一个 `nn.Linear` 层持有权重和"
              "偏置，`nn.MSELoss` 和 `torch.optim.SGD` 可以取代 `squared_loss` 和 `sgd`。",
    },
    "course.concise.intro": {"zh": """\
用 torch.nn 简洁地实现线性回归。

《动手学深度学习》“线性神经网络”一章的“线性回归的简洁实现”一节（学习小组所用中文版的 \
3.3 节）。不再手动管理 w 和 b，而是让一个 nn.Linear 层持有它们，并把它包装在一个 \
nn.Module 中。"""},
    "course.concise.LinearNet.doc": {"zh": """\
线性回归 y = x W^T + b，写成只含一个 nn.Linear 的 nn.Module。

为什么 net.weight 和 net.bias 不存在？（学习小组的笔记没有回答这个问题。）\
把一个 nn.Parameter 赋给 nn.Module 的属性时，它会注册一个参数；赋一个 nn.Module 时，\
它会注册一个子模块。LinearNet 只赋了子模块 self.linear，自己没有声明参数；权重和偏置\
属于那个 nn.Linear。所以要通过子模块访问它们：net.linear.weight（形状为 (1, n_feature)）\
和 net.linear.bias（形状为 (1,)）。net.parameters() 和 net.named_parameters() 仍会递归地\
找到它们，名字是 'linear.weight' 和 'linear.bias'。（用 nn.Sequential 时子模块以下标命名：\
net[0].weight。）

参数：
    n_feature: 输入特征数 d。

属性：
    linear: nn.Linear(n_feature, 1)，唯一的子模块。"""},
    "course.concise.LinearNet.__init__.doc": {"zh": """\
创建唯一的子模块 self.linear = nn.Linear(n_feature, 1)。

先调用 super().__init__()：nn.Module 在这里建立簿记，属性赋值时才能注册子模块和参数。"""},
    "course.concise.LinearNet.forward.doc": {"zh": """\
应用线性层。

参数：
    x: 特征，形状为 (n, n_feature)，float32（层参数的 dtype），与模块在同一设备上。

返回：
    形状为 (n, 1) 的预测。调用模块本身，即 net(x)，而不是 net.forward(x)，\
这样 nn.Module 的钩子才会运行。"""},
}

# A fragment of the error text that a classic mistake raises, and its diagnosis.
KNOWN_ERRORS = [
    ("LinearNet", "before Module.__init__() call", "linear_net.no_super_init"),
]

# The notebook's formulas and code: the fields of course.concise.notes.
FORMULAS = {}

# Classic mistakes: the reference with one definition replaced by the code, which must
# lose points with the diagnosis named (the project's tests and benches grade each one).
MISTAKES = [
    Mistake("net-squeezed", "LinearNet", "linear_net.forward_shape", """
    class LinearNet(nn.Module):
        def __init__(self, n_feature):
            super().__init__()
            self.linear = nn.Linear(n_feature, 1)

        def forward(self, x):
            return self.linear(x).squeeze()
"""),
    Mistake("net-no-bias", "LinearNet", "linear_net.no_bias", """
    class LinearNet(nn.Module):
        def __init__(self, n_feature):
            super().__init__()
            self.linear = nn.Linear(n_feature, 1, bias=False)

        def forward(self, x):
            return self.linear(x)
"""),
]
