"""The optimisers exercise (Task07): its messages, the errors it recognises, its classic
mistakes and its notebook's formulas."""

from autograder.registry import Mistake


def _doc(name: str, zh: str) -> dict[str, str]:
    # Rendered as a template: a brace of the docstring is written twice.
    return {"en": f"(the docstring of {name} in assignments/optimizers.py)",
            "zh": zh.replace("{", "{{").replace("}", "}}")}


STEP_FUNCTIONS = ["sgd_momentum", "adagrad", "rmsprop", "adadelta", "adam"]


def _init_doc(zh_what: str, zh_returns: str) -> str:
    return f"""{zh_what}

参数：
    features: 训练特征，形状为 (n, d)，float32（书中是一个全局变量；这里是参数），可在任意设备上。

返回：
    {zh_returns}"""


_TEST_NAMES = {
    "test_init_momentum_states": (
        "init_momentum_states(features) gives float32 zeros shaped like w (d, 1) and b (1,)",
        "init_momentum_states(features) 给出形状与 w (d, 1) 和 b (1,) 相同的 float32 零张量"),
    "test_init_momentum_states_on_device": (
        "init_momentum_states puts its states on the features' device",
        "init_momentum_states 把状态放在 features 所在的设备上"),
    "test_sgd_momentum_steps": (
        "sgd_momentum follows v <- momentum * v + lr * grad, p <- p - v over 4 steps",
        "sgd_momentum 在 4 步中按 `v <- momentum * v + lr * grad`、`p <- p - v` 更新"),
    "test_sgd_momentum_on_device": (
        "sgd_momentum keeps the parameters, rightly updated, on their device",
        "sgd_momentum 正确更新参数，并把它们留在原来的设备上"),
    "test_init_adagrad_states": (
        "init_adagrad_states(features) gives float32 zeros shaped like w (d, 1) and b (1,)",
        "init_adagrad_states(features) 给出形状与 w (d, 1) 和 b (1,) 相同的 float32 零张量"),
    "test_init_adagrad_states_on_device": (
        "init_adagrad_states puts its states on the features' device",
        "init_adagrad_states 把状态放在 features 所在的设备上"),
    "test_adagrad_steps": (
        "adagrad follows s <- s + grad ** 2, p <- p - lr * grad / sqrt(s + eps) over 4 steps",
        "adagrad 在 4 步中按 s <- s + grad ** 2、p <- p - lr * grad / sqrt(s + eps) 更新"),
    "test_adagrad_on_device": (
        "adagrad keeps the parameters, rightly updated, on their device",
        "adagrad 正确更新参数，并把它们留在原来的设备上"),
    "test_init_rmsprop_states": (
        "init_rmsprop_states(features) gives float32 zeros shaped like w (d, 1) and b (1,)",
        "init_rmsprop_states(features) 给出形状与 w (d, 1) 和 b (1,) 相同的 float32 零张量"),
    "test_init_rmsprop_states_on_device": (
        "init_rmsprop_states puts its states on the features' device",
        "init_rmsprop_states 把状态放在 features 所在的设备上"),
    "test_rmsprop_steps": (
        "rmsprop follows s <- gamma * s + (1 - gamma) * grad ** 2 over 4 steps",
        "rmsprop 在 4 步中按 s <- gamma * s + (1 - gamma) * grad ** 2 更新"),
    "test_rmsprop_on_device": (
        "rmsprop keeps the parameters, rightly updated, on their device",
        "rmsprop 正确更新参数，并把它们留在原来的设备上"),
    "test_init_adadelta_states": (
        "init_adadelta_states(features) gives the zero pairs (s, delta) for w and for b",
        "init_adadelta_states(features) 为 w 和 b 各给出一对零张量 (s, delta)"),
    "test_init_adadelta_states_on_device": (
        "init_adadelta_states puts its states on the features' device",
        "init_adadelta_states 把状态放在 features 所在的设备上"),
    "test_adadelta_steps": (
        "adadelta rescales each gradient by sqrt((delta + eps) / (s + eps)) over 4 steps",
        "adadelta 在 4 步中把每个梯度乘以 sqrt((delta + eps) / (s + eps))"),
    "test_adadelta_on_device": (
        "adadelta keeps the parameters, rightly updated, on their device",
        "adadelta 正确更新参数，并把它们留在原来的设备上"),
    "test_init_adam_states": (
        "init_adam_states(features) gives the zero pairs (v, s) for w and for b",
        "init_adam_states(features) 为 w 和 b 各给出一对零张量 (v, s)"),
    "test_init_adam_states_on_device": (
        "init_adam_states puts its states on the features' device",
        "init_adam_states 把状态放在 features 所在的设备上"),
    "test_adam_steps": (
        "adam follows the bias-corrected moments and increments t once per step, 4 steps",
        "adam 在 4 步中按偏差修正后的矩更新，并且每步把 t 加 1"),
    "test_adam_on_device": (
        "adam keeps the parameters, rightly updated, on their device",
        "adam 正确更新参数，并把它们留在原来的设备上"),
}

MESSAGES = {
    # -- what a check looked at ------------------------------------------------------
    "optimizers.what.state": {"en": "A state that {function} returned",
                              "zh": "{function} 返回的状态"},
    "optimizers.what.after_step": {"en": "{name} after step {step}",
                                   "zh": "第 {step} 步之后的 {name}"},
    "optimizers.structure.two": {"en": "a pair (state of w, state of b)",
                                 "zh": "一个二元组（w 的状态, b 的状态）"},
    "optimizers.structure.pairs": {"en": "a pair of pairs ((first and second state of w), "
                                         "(first and second state of b))",
                                   "zh": "由二元组组成的二元组（(w 的第一个和第二个状态), "
                                         "(b 的第一个和第二个状态)）"},
    # -- init_*_states ---------------------------------------------------------------
    "optimizers.init_structure": {
        "en": "{function} should return {expected}, as the book's does (the step function "
              "unpacks it that way), but it returned {actual}.",
        "zh": "{function} 应当像书中那样返回{expected}（更新函数就是这样拆开它的），"
              "但它返回了{actual}。",
    },
    # -- the steps -------------------------------------------------------------------
    "optimizers.param_replaced": {
        "en": "{function} replaced the parameter {name} by a tensor that is no leaf or does "
              "not require grad: change the parameter itself in place, p.data -= ... (or "
              "p -= ... inside `with torch.no_grad():`), so that training goes on with it.",
        "zh": "{function} 把参数 {name} 换成了一个不是叶子或不需要梯度的张量：请原地修改参数本身，"
              "p.data -= ...（或在 `with torch.no_grad():` 中写 p -= ...），训练才能继续使用它。",
    },
    "optimizers.not_updated": {
        "en": "{function} does not change the parameters: `p = p - ...` only rebinds the "
              "loop variable. Update them in place: p.data -= ... (or p -= ... inside "
              "`with torch.no_grad():`).",
        "zh": "{function} 没有改变参数：`p = p - ...` 只是让循环变量指向新张量。请原地更新："
              "p.data -= ...（或在 `with torch.no_grad():` 中写 p -= ...）。",
    },
    "optimizers.grad_zeroed": {
        "en": "{function} zeroes p.grad before it uses it, so the parameters do not move: "
              "the training loop zeroes the gradients itself, before backward(). Leave "
              "p.grad alone (or zero it only after the update).",
        "zh": "{function} 在使用 p.grad 之前把它清零了，所以参数没有移动：训练循环会在 "
              "backward() 之前自己清零梯度。请不要动 p.grad（或者只在更新之后再清零）。",
    },
    "optimizers.state_rebound": {
        "en": "{function}'s state is not kept between steps: the first step is right, but "
              "from step {step} on the parameters move as if the state were still 0. "
              "`v = ...` only rebinds a local name, and the training loop ignores what the "
              "function returns: change the state tensor in place, v[:] = ... (or "
              "v.data = ..., v.mul_(...).add_(...)).",
        "zh": "{function} 的状态没有在各步之间保留下来：第一步是对的，但从第 {step} 步起，"
              "参数的移动就像状态仍然是 0 一样。`v = ...` 只是重新绑定了一个局部名字，而训练循环"
              "会忽略函数的返回值：请原地修改状态张量，v[:] = ...（或 v.data = ...、"
              "v.mul_(...).add_(...)）。",
    },
    "optimizers.no_eps": {
        "en": "{function} gives nan or inf parameters at step {step}, where a gradient is "
              "0: the state there is 0 too, and 0 / sqrt(0) is nan. Add eps as the book "
              "does, so that the division stays finite.",
        "zh": "{function} 在第 {step} 步得到了 nan 或 inf 的参数，出现在梯度为 0 的位置：那里的"
              "状态也是 0，而 0 / sqrt(0) 是 nan。请像书中那样加上 eps，让除法保持有限。",
    },
    "optimizers.leaf_in_place": {
        "en": "{function} changes a parameter in place while autograd is recording{where}: "
              "PyTorch refuses to, since the parameters are leaves that require grad. "
              "Update p.data (p.data -= ...), or do the update inside "
              "`with torch.no_grad():`.",
        "zh": "{function} 在自动求导记录计算图时原地修改了参数{where}：参数是需要梯度的叶子张量，"
              "PyTorch 不允许这样做。请更新 p.data（p.data -= ...），或者把更新写在 "
              "`with torch.no_grad():` 里。",
    },
    "sgd_momentum.lr_twice": {
        "en": "sgd_momentum applies the learning rate twice: the velocity already holds "
              "lr * grad (v <- momentum * v + lr * p.grad), so the step is p <- p - v, "
              "not p - lr * v.",
        "zh": "sgd_momentum 把学习率用了两次：速度中已经含有 lr * grad"
              "（`v <- momentum * v + lr * p.grad`），所以更新是 p <- p - v，而不是 p - lr * v。",
    },
    "adagrad.not_accumulated": {
        "en": "adagrad does not add up the squared gradients: s <- s + p.grad ** 2 (s.data "
              "+= ...), not s <- p.grad ** 2. The sum is what makes each coordinate's "
              "learning rate shrink over time.",
        "zh": "adagrad 没有累加梯度的平方：应为 s <- s + p.grad ** 2（s.data += ...），"
              "而不是 s <- p.grad ** 2。正是这个累加和让每个坐标的学习率随时间变小。",
    },
    "rmsprop.gamma_swapped": {
        "en": "rmsprop swaps gamma and 1 - gamma: the old average keeps the weight gamma, "
              "s <- gamma * s + (1 - gamma) * p.grad ** 2.",
        "zh": "rmsprop 把 gamma 和 1 - gamma 弄反了：旧的平均值保留权重 gamma，"
              "s <- gamma * s + (1 - gamma) * p.grad ** 2。",
    },
    "adadelta.no_eps_above": {
        "en": "adadelta leaves eps out of the numerator: delta starts at 0, so "
              "sqrt(delta / (s + eps)) is 0 and the parameters never move. Rescale with "
              "sqrt((delta + eps) / (s + eps)).",
        "zh": "adadelta 的分子里漏掉了 eps：delta 从 0 开始，所以 sqrt(delta / (s + eps)) 为 0，"
              "参数永远不会移动。请用 sqrt((delta + eps) / (s + eps)) 缩放。",
    },
    "adam.no_bias_correction": {
        "en": "adam does not correct the bias of its moments: v and s start at 0, so use "
              "v_hat = v / (1 - beta1 ** t) and s_hat = s / (1 - beta2 ** t) in the step, "
              "with t = hyperparams['t'].",
        "zh": "adam 没有修正矩的偏差：v 和 s 从 0 开始，所以更新时要用 "
              "v_hat = v / (1 - beta1 ** t) 和 s_hat = s / (1 - beta2 ** t)，"
              "其中 t = hyperparams['t']。",
    },
    "adam.eps_inside": {
        "en": "adam puts eps inside the square root: the book divides by sqrt(s_hat) + "
              "eps. Inside, eps weighs as much as s_hat itself wherever the gradients are "
              "tiny (here about 1e-4), and the step shrinks there.",
        "zh": "adam 把 eps 放进了平方根里：书中除以的是 sqrt(s_hat) + eps。放在根号里时，凡是梯度"
              "很小的地方（这里约为 1e-4），eps 与 s_hat 本身一样大，更新步长就会在那里变小。",
    },
    "adam.t_early": {
        "en": "adam increments t before it uses it: the bias correction of the first step "
              "uses t = 1. Increment hyperparams['t'] after the loop over the parameters.",
        "zh": "adam 在使用 t 之前就把它加 1 了：第一步的偏差修正用的是 t = 1。"
              "请在遍历完所有参数之后再增加 hyperparams['t']。",
    },
    "adam.moments_swapped": {
        "en": "adam swaps its two moments in the step: p <- p - lr * v_hat / (sqrt(s_hat) "
              "+ eps), v the average of the gradients, s that of their squares.",
        "zh": "adam 在更新中把两个矩用反了：p <- p - lr * v_hat / (sqrt(s_hat) + eps)，"
              "v 是梯度的平均，s 是梯度平方的平均。",
    },
    "adam.betas_swapped": {
        "en": "adam swaps beta1 and beta2: v, the average of the gradients, uses "
              "beta1 = 0.9; s, the average of their squares, uses beta2 = 0.999.",
        "zh": "adam 把 beta1 和 beta2 用反了：梯度的平均 v 用 beta1 = 0.9；"
              "梯度平方的平均 s 用 beta2 = 0.999。",
    },
    "adam.eps_value": {
        "en": "adam uses eps = 1e-8 (torch.optim.Adam's default), where the book uses "
              "eps = 1e-6: it shows wherever the gradients are tiny (here about 1e-4), as "
              "sqrt(s_hat) is then about eps. Use eps = 1e-6.",
        "zh": "adam 用的是 eps = 1e-8（torch.optim.Adam 的默认值），而书中用 eps = 1e-6：在梯度"
              "很小的地方（这里约为 1e-4）sqrt(s_hat) 与 eps 相当，差别就显现出来了。"
              "请用 eps = 1e-6。",
    },
    "adam.t_not_incremented": {
        "en": "adam does not increment hyperparams['t'] (it stays {t}): the bias correction "
              "then treats every step as the first. Write hyperparams['t'] += 1 once the "
              "parameters are updated (a local t = ... + 1 is lost).",
        "zh": "adam 没有增加 hyperparams['t']（它一直是 {t}）：偏差修正于是把每一步都当作第一步。"
              "请在更新完参数后写 hyperparams['t'] += 1（局部变量 t = ... + 1 会丢失）。",
    },
    "adam.t_per_parameter": {
        "en": "adam increments t once per parameter, not once per step: move "
              "hyperparams['t'] += 1 out of the loop over the parameters.",
        "zh": "adam 对每个参数都把 t 加 1，而不是每一步加 1：请把 hyperparams['t'] += 1 "
              "移到遍历参数的循环之外。",
    },
    "adam.t_set": {
        "en": "adam sets hyperparams['t'] instead of incrementing it: after the steps it "
              "was {seen}, expected {expected}. Write hyperparams['t'] += 1, once per step.",
        "zh": "adam 给 hyperparams['t'] 赋了值，而不是把它加 1：各步之后它依次是 {seen}，"
              "应为 {expected}。请每步写一次 hyperparams['t'] += 1。",
    },
    # -- the feedback page -----------------------------------------------------------
    "feedback.optimizers.heading": {"en": "Optimisers", "zh": "优化算法"},
    "feedback.optimizers.intro": {
        "en": "For each optimiser, on the left its first {steps} steps on the book's "
              "function f(x1, x2) = 0.1 x1^2 + 2 x2^2 from (-5, -2), over the contour lines "
              "of f; on the right the training loss of the book's loop (train_ch7, "
              "{epochs} epochs) on synthetic data, {examples} examples of {features} "
              "features. A path that stops, or a loss that stalls, shows a "
              "state that is not kept or a step that is not taken.",
        "zh": "对每个优化算法：左图是它在书中的函数 `f(x1, x2) = 0.1 x1^2 + 2 x2^2` 上从 "
              "(-5, -2) 出发的前 {steps} 步，背景是 f 的等高线；右图是书中的训练循环"
              "（train_ch7，{epochs} 个轮次）在合成数据（{examples} 个样本，"
              "每个 {features} 个特征）上的训练损失。路径停住不动或损失停滞不降，说明状态没有"
              "被保留，或者更新没有生效。",
    },
    # -- the notebook ----------------------------------------------------------------
    "course.optimizers.notes": {
        "en": "Minibatch SGD steps along {g}, with one learning rate for every coordinate. "
              "Momentum averages the gradients over time,\n{momentum}; AdaGrad, RMSProp and "
              "AdaDelta give each coordinate its own rate, from the squared gradients "
              "({square}); Adam does both, with bias-corrected averages:\n{adam}",
        "zh": "小批量随机梯度下降沿 {g} 更新，所有坐标共用一个学习率。"
              "动量法对梯度做时间上的平均，\n{momentum}；AdaGrad、`RMSProp` 和 AdaDelta "
              "根据梯度的平方（{square}）给每个坐标各自的学习率；"
              "`Adam` 两者兼用，并使用偏差修正后的平均：\n{adam}",
    },
    "course.optimizers.intro": _doc("the module", """\
从零实现优化算法：动量法、AdaGrad、`RMSProp`、AdaDelta 和 `Adam`。

《动手学深度学习》“优化算法”一章（1.0 版的 12.6-12.10 节；学习小组所用中文版的 7.4-7.8 节，\
Task07，你要实现的就是其中的代码）。与书中一样，每个优化算法都有两个函数：\
init_*_states(features) 为线性回归模型（形状为 (d, 1) 的 w 和形状为 (1,) 的 b）创建优化器的状态，\
更新函数 (params, states, hyperparams) 用已经存放在 p.grad 中的梯度把参数更新一次。\
书中的训练循环（d2lzh_pytorch.train_ch7）这样调用它们：

```python
states = init_momentum_states(features)
for X, y in data_iter:
    l = loss(net(X, w, b), y).mean()
    if w.grad is not None:
        w.grad.data.zero_()
        b.grad.data.zero_()
    l.backward()
    sgd_momentum([w, b], states, {'lr': 0.02, 'momentum': 0.5})
```

它会忽略更新函数的返回值：状态保存在 init_*_states 创建的张量里，所以每一步都必须原地修改这些张量\
（v[:] = ...、v.data = ...、v.mul_(...)）：`v = ...` 只是重新绑定一个局部名字，下一步又会从旧的\
状态开始。参数要在不被自动求导记录的情况下原地更新（p.data -= ...，或在 torch.no_grad() 下写 \
p -= ...）。

书中的初始化函数读取全局变量 `features`；这里它是函数的参数。\
w 和 b 是需要梯度的 float32 叶子张量。"""),
    "course.optimizers.init_momentum_states.doc": _doc("init_momentum_states", _init_doc(
        "动量（速度）状态：形状与 w 和 b 相同的零张量。",
        "(v_w, v_b)：形状为 (d, 1) 和 (1,) 的 float32 零张量，位于 features 所在的设备上。")),
    "course.optimizers.sgd_momentum.doc": _doc("sgd_momentum", """\
带动量的随机梯度下降的一步，对每个参数 p 及其速度 v：

    `v <- momentum * v + lr * p.grad`
    `p <- p - v`

速度是过去梯度的指数加权平均：在梯度方向一致的方向上它持续前进，在梯度来回振荡的方向上它起到阻尼作用。

参数：
    params: [w, b]，需要梯度的叶子张量，梯度在 p.grad 中。
    states: (v_w, v_b)，由 init_momentum_states 创建；原地更新。
    hyperparams: {'lr': 学习率, `'momentum'`: [0, 1) 之间的 gamma}。

返回：
    None。速度中不含 lr 的写法（`v <- momentum * v + p.grad`，p <- p - lr * v，与 \
torch.optim.SGD 的保存方式相同）也可以：学习率固定时参数的移动完全相同。"""),
    "course.optimizers.init_adagrad_states.doc": _doc("init_adagrad_states", _init_doc(
        "AdaGrad 的状态：梯度平方的累加和，形状与 w 和 b 相同的零张量。",
        "(s_w, s_b)：形状为 (d, 1) 和 (1,) 的 float32 零张量，位于 features 所在的设备上。")),
    "course.optimizers.adagrad.doc": _doc("adagrad", """\
AdaGrad 的一步，对每个参数 p 及其状态 s，eps = 1e-6：

    s <- s + p.grad ** 2
    p <- p - lr * p.grad / sqrt(s + eps)

每个坐标都有自己的学习率，并随着梯度平方的累加而变小：陡峭的坐标很早就慢下来，平缓的坐标继续前进。\
eps 让 s 仍为 0 时的除法保持有限。

参数：
    params: [w, b]，需要梯度的叶子张量，梯度在 p.grad 中。
    states: (s_w, s_b)，由 init_adagrad_states 创建；原地更新。
    hyperparams: {'lr': 学习率}。

返回：
    None。分母写成 sqrt(s) + eps（torch.optim.Adagrad 的形式）也可以。"""),
    "course.optimizers.init_rmsprop_states.doc": _doc("init_rmsprop_states", _init_doc(
        "`RMSProp` 的状态：梯度平方的滑动平均，形状与 w 和 b 相同的零张量。",
        "(s_w, s_b)：形状为 (d, 1) 和 (1,) 的 float32 零张量，位于 features 所在的设备上。")),
    "course.optimizers.rmsprop.doc": _doc("rmsprop", """\
`RMSProp` 的一步，对每个参数 p 及其状态 s，eps = 1e-6：

    s <- gamma * s + (1 - gamma) * p.grad ** 2
    p <- p - lr * p.grad / sqrt(s + eps)

与 AdaGrad 的累加和不同，指数加权平均会遗忘旧的梯度，所以每个坐标的学习率不会衰减到 0。

参数：
    params: [w, b]，需要梯度的叶子张量，梯度在 p.grad 中。
    states: (s_w, s_b)，由 init_rmsprop_states 创建；原地更新。
    hyperparams: {'lr': 学习率, 'gamma': 平均的权重}。

返回：
    None。分母写成 sqrt(s) + eps 也可以。"""),
    "course.optimizers.init_adadelta_states.doc": _doc("init_adadelta_states", _init_doc(
        "AdaDelta 的状态：w 和 b 各有一对零张量 (s, delta)。",
        "((s_w, delta_w), (s_b, delta_b))：float32 零张量，s_w 和 delta_w 的形状为 (d, 1)，\
s_b 和 delta_b 的形状为 (1,)，位于 features 所在的设备上。")),
    "course.optimizers.adadelta.doc": _doc("adadelta", """\
AdaDelta 的一步，对每个参数 p 及其状态 (s, delta)，eps = 1e-5：

    s     <- rho * s + (1 - rho) * p.grad ** 2
    g'    <- p.grad * sqrt((delta + eps) / (s + eps))
    p     <- p - g'
    delta <- rho * delta + (1 - rho) * g' ** 2

AdaDelta 没有学习率：由更新量平方的滑动平均 delta 取而代之。分子中的 eps 让第一步也能移动\
（delta 从 0 开始）。

参数：
    params: [w, b]，需要梯度的叶子张量，梯度在 p.grad 中。
    states: ((s_w, delta_w), (s_b, delta_b))，由 init_adadelta_states 创建；原地更新。
    hyperparams: {'rho': 平均的权重}。

返回：
    None。"""),
    "course.optimizers.init_adam_states.doc": _doc("init_adam_states", _init_doc(
        "`Adam` 的状态：w 和 b 各有一对零张量 (v, s)。",
        "((v_w, s_w), (v_b, s_b))：float32 零张量，v_w 和 s_w 的形状为 (d, 1)，\
v_b 和 s_b 的形状为 (1,)，位于 features 所在的设备上。")),
    "course.optimizers.adam.doc": _doc("adam", """\
`Adam` 的一步，对每个参数 p 及其状态 (v, s)，beta1 = 0.9、beta2 = 0.999、eps = 1e-6，\
步数 t = hyperparams['t']：

    v     <- beta1 * v + (1 - beta1) * p.grad
    s     <- beta2 * s + (1 - beta2) * p.grad ** 2
    v_hat <- v / (1 - beta1 ** t)
    s_hat <- s / (1 - beta2 ** t)
    p     <- p - lr * v_hat / (sqrt(s_hat) + eps)

然后，在所有参数都更新完之后，hyperparams['t'] += 1。v 和 s 从 0 开始，所以最初几步它们偏向 0；\
除以 `1 - beta ** t` 可以修正这个偏差。eps 放在平方根之外。

参数：
    params: [w, b]，需要梯度的叶子张量，梯度在 p.grad 中。
    states: ((v_w, s_w), (v_b, s_b))，由 init_adam_states 创建；原地更新。
    hyperparams: {'lr': 学习率, 't': 步数，第一步为 1}；t 在这个字典中原地加 1。

返回：
    None。"""),
}

MESSAGES.update({f"test.optimizers.{name}": {"en": en, "zh": zh}
                 for name, (en, zh) in _TEST_NAMES.items()})

KNOWN_ERRORS = [(function, "leaf Variable that requires grad", "optimizers.leaf_in_place")
                for function in STEP_FUNCTIONS]

FORMULAS = {
    "g": r"$\mathbf{g}_t = \nabla f(\mathbf{x}_{t-1})$",
    "momentum": r"$\mathbf{v}_t = \gamma \mathbf{v}_{t-1} + \eta \mathbf{g}_t,\quad "
                r"\mathbf{x}_t = \mathbf{x}_{t-1} - \mathbf{v}_t$",
    "square": r"$\mathbf{g}_t \odot \mathbf{g}_t$",
    "adam": r"""$$\mathbf{v}_t = \beta_1 \mathbf{v}_{t-1} + (1 - \beta_1) \mathbf{g}_t,\quad
\mathbf{s}_t = \beta_2 \mathbf{s}_{t-1} + (1 - \beta_2) \mathbf{g}_t \odot \mathbf{g}_t,$$
$$\mathbf{x}_t = \mathbf{x}_{t-1} - \frac{\eta\, \hat{\mathbf{v}}_t}{\sqrt{\hat{\mathbf{s}}_t}
+ \epsilon},\quad \hat{\mathbf{v}}_t = \frac{\mathbf{v}_t}{1 - \beta_1^t},\quad
\hat{\mathbf{s}}_t = \frac{\mathbf{s}_t}{1 - \beta_2^t}.$$""",
}

FUNCTION_FORMULAS = {
    "sgd_momentum": r"$\mathbf{v} \leftarrow \gamma \mathbf{v} + \eta \mathbf{g},\ "
                    r"\mathbf{x} \leftarrow \mathbf{x} - \mathbf{v}$",
    "adagrad": r"$\mathbf{s} \leftarrow \mathbf{s} + \mathbf{g} \odot \mathbf{g},\ "
               r"\mathbf{x} \leftarrow \mathbf{x} - \frac{\eta}{\sqrt{\mathbf{s} + \epsilon}}"
               r" \odot \mathbf{g}$",
    "rmsprop": r"$\mathbf{s} \leftarrow \gamma \mathbf{s} + (1 - \gamma) \mathbf{g} \odot "
               r"\mathbf{g},\ \mathbf{x} \leftarrow \mathbf{x} - \frac{\eta}{\sqrt{\mathbf{s}"
               r" + \epsilon}} \odot \mathbf{g}$",
    "adadelta": r"$\mathbf{g}' = \sqrt{\frac{\Delta\mathbf{x} + \epsilon}{\mathbf{s} + "
                r"\epsilon}} \odot \mathbf{g},\ \mathbf{x} \leftarrow \mathbf{x} - "
                r"\mathbf{g}'$",
    "adam": r"$\mathbf{x} \leftarrow \mathbf{x} - \frac{\eta\, \hat{\mathbf{v}}}"
            r"{\sqrt{\hat{\mathbf{s}}} + \epsilon}$",
}

MISTAKES = [
    Mistake(name="momentum-rebinds-velocity", function="sgd_momentum",
            key="optimizers.state_rebound", code='''
def sgd_momentum(params, states, hyperparams):
    for p, v in zip(params, states):
        v = hyperparams['momentum'] * v + hyperparams['lr'] * p.grad.data
        p.data -= v
'''),
    Mistake(name="momentum-leaf-in-place", function="sgd_momentum",
            key="optimizers.leaf_in_place", code='''
def sgd_momentum(params, states, hyperparams):
    for p, v in zip(params, states):
        v[:] = hyperparams['momentum'] * v + hyperparams['lr'] * p.grad
        p -= v
'''),
    Mistake(name="momentum-rebinds-parameter", function="sgd_momentum",
            key="optimizers.not_updated", code='''
def sgd_momentum(params, states, hyperparams):
    for p, v in zip(params, states):
        v[:] = hyperparams['momentum'] * v + hyperparams['lr'] * p.grad
        p = p.detach() - v
'''),
    Mistake(name="adagrad-without-eps", function="adagrad", key="optimizers.no_eps", code='''
def adagrad(params, states, hyperparams):
    for p, s in zip(params, states):
        s.data += (p.grad.data**2)
        p.data -= hyperparams['lr'] * p.grad.data / torch.sqrt(s)
'''),
    Mistake(name="adagrad-not-accumulated", function="adagrad",
            key="adagrad.not_accumulated", code='''
def adagrad(params, states, hyperparams):
    eps = 1e-6
    for p, s in zip(params, states):
        s.data = p.grad.data ** 2
        p.data -= hyperparams['lr'] * p.grad.data / torch.sqrt(s + eps)
'''),
    Mistake(name="rmsprop-zeroes-grad-first", function="rmsprop",
            key="optimizers.grad_zeroed", code='''
def rmsprop(params, states, hyperparams):
    gamma, eps = hyperparams['gamma'], 1e-6
    for p, s in zip(params, states):
        p.grad.data.zero_()
        s.data = gamma * s.data + (1 - gamma) * (p.grad.data)**2
        p.data -= hyperparams['lr'] * p.grad.data / torch.sqrt(s + eps)
'''),
    Mistake(name="rmsprop-rebinds-state", function="rmsprop",
            key="optimizers.state_rebound", code='''
def rmsprop(params, states, hyperparams):
    gamma, eps = hyperparams['gamma'], 1e-6
    for p, s in zip(params, states):
        s = gamma * s + (1 - gamma) * p.grad ** 2
        p.data -= hyperparams['lr'] * p.grad / torch.sqrt(s + eps)
'''),
    Mistake(name="adadelta-no-eps-above", function="adadelta",
            key="adadelta.no_eps_above", code='''
def adadelta(params, states, hyperparams):
    rho, eps = hyperparams['rho'], 1e-5
    for p, (s, delta) in zip(params, states):
        s[:] = rho * s + (1 - rho) * (p.grad.data**2)
        g = p.grad.data * torch.sqrt(delta / (s + eps))
        p.data -= g
        delta[:] = rho * delta + (1 - rho) * g * g
'''),
    Mistake(name="adam-eps-inside", function="adam", key="adam.eps_inside", code='''
def adam(params, states, hyperparams):
    beta1, beta2, eps = 0.9, 0.999, 1e-6
    for p, (v, s) in zip(params, states):
        v[:] = beta1 * v + (1 - beta1) * p.grad.data
        s[:] = beta2 * s + (1 - beta2) * p.grad.data**2
        v_bias_corr = v / (1 - beta1 ** hyperparams['t'])
        s_bias_corr = s / (1 - beta2 ** hyperparams['t'])
        p.data -= hyperparams['lr'] * v_bias_corr / torch.sqrt(s_bias_corr + eps)
    hyperparams['t'] += 1
'''),
    Mistake(name="adam-pytorch-eps", function="adam", key="adam.eps_value", code='''
def adam(params, states, hyperparams):
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    for p, (v, s) in zip(params, states):
        v[:] = beta1 * v + (1 - beta1) * p.grad.data
        s[:] = beta2 * s + (1 - beta2) * p.grad.data**2
        v_bias_corr = v / (1 - beta1 ** hyperparams['t'])
        s_bias_corr = s / (1 - beta2 ** hyperparams['t'])
        p.data -= hyperparams['lr'] * v_bias_corr / (torch.sqrt(s_bias_corr) + eps)
    hyperparams['t'] += 1
'''),
    Mistake(name="adam-local-t", function="adam", key="adam.t_not_incremented", code='''
def adam(params, states, hyperparams):
    beta1, beta2, eps = 0.9, 0.999, 1e-6
    t = hyperparams['t']
    for p, (v, s) in zip(params, states):
        v[:] = beta1 * v + (1 - beta1) * p.grad.data
        s[:] = beta2 * s + (1 - beta2) * p.grad.data**2
        v_bias_corr = v / (1 - beta1 ** t)
        s_bias_corr = s / (1 - beta2 ** t)
        p.data -= hyperparams['lr'] * v_bias_corr / (torch.sqrt(s_bias_corr) + eps)
    t += 1
'''),
    Mistake(name="adam-t-per-parameter", function="adam", key="adam.t_per_parameter",
            code='''
def adam(params, states, hyperparams):
    beta1, beta2, eps = 0.9, 0.999, 1e-6
    for p, (v, s) in zip(params, states):
        v[:] = beta1 * v + (1 - beta1) * p.grad.data
        s[:] = beta2 * s + (1 - beta2) * p.grad.data**2
        v_bias_corr = v / (1 - beta1 ** hyperparams['t'])
        s_bias_corr = s / (1 - beta2 ** hyperparams['t'])
        p.data -= hyperparams['lr'] * v_bias_corr / (torch.sqrt(s_bias_corr) + eps)
        hyperparams['t'] += 1
'''),
    Mistake(name="adam-no-bias-correction", function="adam", key="adam.no_bias_correction",
            code='''
def adam(params, states, hyperparams):
    beta1, beta2, eps = 0.9, 0.999, 1e-6
    for p, (v, s) in zip(params, states):
        v[:] = beta1 * v + (1 - beta1) * p.grad.data
        s[:] = beta2 * s + (1 - beta2) * p.grad.data**2
        p.data -= hyperparams['lr'] * v / (torch.sqrt(s) + eps)
    hyperparams['t'] += 1
'''),
    Mistake(name="adam-moments-swapped", function="adam", key="adam.moments_swapped",
            code='''
def adam(params, states, hyperparams):
    beta1, beta2, eps = 0.9, 0.999, 1e-6
    for p, (v, s) in zip(params, states):
        v[:] = beta1 * v + (1 - beta1) * p.grad.data
        s[:] = beta2 * s + (1 - beta2) * p.grad.data**2
        v_bias_corr = v / (1 - beta1 ** hyperparams['t'])
        s_bias_corr = s / (1 - beta2 ** hyperparams['t'])
        p.data -= hyperparams['lr'] * s_bias_corr / (torch.sqrt(v_bias_corr) + eps)
    hyperparams['t'] += 1
'''),
    Mistake(name="adam-rebinds-moments", function="adam", key="optimizers.state_rebound",
            code='''
def adam(params, states, hyperparams):
    beta1, beta2, eps = 0.9, 0.999, 1e-6
    for p, (v, s) in zip(params, states):
        v = beta1 * v + (1 - beta1) * p.grad.data
        s = beta2 * s + (1 - beta2) * p.grad.data**2
        v_bias_corr = v / (1 - beta1 ** hyperparams['t'])
        s_bias_corr = s / (1 - beta2 ** hyperparams['t'])
        p.data -= hyperparams['lr'] * v_bias_corr / (torch.sqrt(s_bias_corr) + eps)
    hyperparams['t'] += 1
'''),
]
