"""house_prices: its messages, the errors it recognises, its classic mistakes."""

from autograder.registry import Mistake


def _doc(name: str, zh: str) -> dict[str, str]:
    return {"en": f"(the docstring of {name} in assignments/house_prices.py)", "zh": zh}


MESSAGES = {
    "hp.expected_four": {"en": "a tuple (X_train, y_train, X_valid, y_valid)",
                         "zh": "元组 (X_train, y_train, X_valid, y_valid)"},
    # -- log_rmse ----------------------------------------------------------------------
    "log_rmse.no_clamp": {
        "en": "log_rmse gives nan: some predictions are below 1 (negative, for an untrained "
              "net), and their log is nan or -inf. Set them to 1 first: clipped_preds = "
              "torch.max(net(features), torch.tensor(1.0)).",
        "zh": "log_rmse 得到了 nan：有些预测值小于 1（未训练的网络会给出负数），它们的对数是 "
              "nan 或 -inf。请先把它们设为 1：`clipped_preds = torch.max(net(features), "
              "torch.tensor(1.0))`。",
    },
    "log_rmse.no_sqrt": {
        "en": "log_rmse returns {actual:.6g}, the mean square of the log errors: take its "
              "square root (torch.sqrt), which is {expected:.6g} in the book's form.",
        "zh": "log_rmse 返回了 {actual:.6g}，这是对数误差的均方：还要开平方根（`torch.sqrt`），"
              "按本书的写法结果是 {expected:.6g}。",
    },
    "log_rmse.summed": {
        "en": "log_rmse is sqrt({n}) times too large: it sums the squared log errors of the "
              "{n} houses. Take their mean (torch.nn.MSELoss() averages by default; "
              "reduction='sum' does not).",
        "zh": "log_rmse 大了 sqrt({n}) 倍：它把 {n} 套房子的对数误差平方加了起来。"
              "应当取平均（`torch.nn.MSELoss()` 默认取平均；`reduction='sum'` 则不会）。",
    },
    "log_rmse.no_log": {
        "en": "log_rmse measures the error of the prices themselves: compare their logarithms, "
              "clipped_preds.log() and labels.log(), so that the error is relative.",
        "zh": "log_rmse 衡量的是价格本身的误差：应当比较它们的对数，即 `clipped_preds.log()` "
              "和 `labels.log()`，这样误差才是相对误差。",
    },
    "log_rmse.clamp_max": {
        "en": "log_rmse caps the predictions at 1 from above (torch.min, or clamp(max=1)): "
              "raise the predictions below 1 to 1 instead, with torch.max(preds, "
              "torch.tensor(1.0)) or clamp(min=1).",
        "zh": "log_rmse 把预测值从上方截断到 1（`torch.min` 或 `clamp(max=1)`）：应当把小于 1 的"
              "预测值提高到 1，即 `torch.max(preds, torch.tensor(1.0))` 或 `clamp(min=1)`。",
    },
    "log_rmse.wrong_value": {
        "en": "log_rmse returns {actual:.6g}; expected {book:.6g} (the book's "
              "sqrt(2 * MSE) of the logs) or {plain:.6g} (sqrt(MSE)).",
        "zh": "log_rmse 返回了 {actual:.6g}；应为 {book:.6g}（本书的对数 `sqrt(2 * MSE)`）或 "
              "{plain:.6g}（`sqrt(MSE)`）。",
    },
    "log_rmse.no_loss": {
        "en": "log_rmse uses loss, which is not defined{where}: the book defines "
              "loss = torch.nn.MSELoss() at the top of its notebook. Define it too (before "
              "log_rmse, or inside it), or compute the mean square of the log errors yourself.",
        "zh": "log_rmse 用到了没有定义的 loss{where}：本书在笔记本开头定义了 "
              "`loss = torch.nn.MSELoss()`。请同样定义它（在 log_rmse 之前或在它里面），"
              "或自己计算对数误差的均方。",
    },
    "log_rmse.not_float": {
        "en": "log_rmse returns {actual}: return a Python float, rmse.item(), which the "
              "training loop can store and print.",
        "zh": "log_rmse 返回了{actual}：请返回 Python 的 float，即 `rmse.item()`，"
              "训练循环可以直接保存和打印它。",
    },
    # -- get_k_fold_data ---------------------------------------------------------------
    "k_fold.wrong_fold": {
        "en": "get_k_fold_data(k, {i}, X, y) validates on fold {actual}: the validation data "
              "is fold i, rows i * fold_size to (i + 1) * fold_size.",
        "zh": "get_k_fold_data(k, {i}, X, y) 用第 {actual} 折做验证：验证数据应当是第 i 折，"
              "即第 `i * fold_size` 到 `(i + 1) * fold_size` 行。",
    },
    "k_fold.cat_dim": {
        "en": "get_k_fold_data puts the training folds side by side (X_train has shape "
              "{actual}, expected {expected}): concatenate them along the rows, "
              "torch.cat((X_train, X_part), dim=0).",
        "zh": "get_k_fold_data 把训练折左右拼在了一起（X_train 的形状是 {actual}，应为 "
              "{expected}）：应当按行拼接，`torch.cat((X_train, X_part), dim=0)`。",
    },
    "k_fold.slice_variable": {
        "en": "get_k_fold_data(k, {i}, X, y) trains on fold {i} k - 1 times over: the loop "
              "slices every part with i instead of its own loop variable j. Cut fold j with "
              "slice(j * fold_size, (j + 1) * fold_size).",
        "zh": "get_k_fold_data(k, {i}, X, y) 的训练数据是第 {i} 折重复了 k - 1 次：循环里每一部分"
              "都用 i 而不是循环变量 j 来切片。第 j 折应当用 "
              "`slice(j * fold_size, (j + 1) * fold_size)` 切出。",
    },
    "k_fold.valid_in_train": {
        "en": "get_k_fold_data(k, {i}, X, y) also trains on the validation fold {i}: the "
              "model would be validated on examples it was trained on. Add fold j to the "
              "training data only when j != i (if ... elif ...).",
        "zh": "get_k_fold_data(k, {i}, X, y) 也用验证折 {i} 做了训练：模型会在训练过的样本上"
              "验证。只有 `j != i` 时才把第 j 折加入训练数据（`if ... elif ...`）。",
    },
    "k_fold.remainder": {
        "en": "get_k_fold_data trains on rows past k * fold_size: with n = {n} and k = {k}, "
              "each fold has fold_size = n // k = {fold_size} rows and the rest are left "
              "out, as the book leaves them.",
        "zh": "get_k_fold_data 用到了 `k * fold_size` 之后的行做训练：n = {n}、k = {k} 时，"
              "每折有 `fold_size = n // k = {fold_size}` 行，其余的行按本书的做法不用。",
    },
    "k_fold.return_order": {
        "en": "get_k_fold_data returns (X_train, X_valid, y_train, y_valid), the order of "
              "scikit-learn's train_test_split: the book's k_fold unpacks "
              "(X_train, y_train, X_valid, y_valid) into train(net, *data, ...). Return them "
              "in that order.",
        "zh": "get_k_fold_data 返回的是 (X_train, X_valid, y_train, y_valid)，这是 `scikit-learn` "
              "的 `train_test_split` 的顺序：本书的 k_fold 把结果按 (X_train, y_train, X_valid, "
              "y_valid) 解包传给 `train(net, *data, ...)`。请按这个顺序返回。",
    },
    "k_fold.fold_size": {
        "en": "get_k_fold_data's validation fold has {actual} rows: with n = {n} and k = {k}, "
              "every fold has fold_size = n // k = {fold_size} rows (the book leaves the last "
              "n % k rows out).",
        "zh": "get_k_fold_data 的验证折有 {actual} 行：n = {n}、k = {k} 时，每折都有 "
              "`fold_size = n // k = {fold_size}` 行（本书不用最后 `n % k` 行）。",
    },
    "k_fold.order": {
        "en": "get_k_fold_data concatenates the training folds out of order: keep them in "
              "the order of j (fold 0 first).",
        "zh": "get_k_fold_data 拼接训练折的顺序不对：应按 j 的顺序（第 0 折在最前）。",
    },
    # -- the feedback page ------------------------------------------------------------
    "feedback.house_prices.heading": {"en": "k-fold cross-validation",
                                      "zh": "k 折交叉验证"},
    "feedback.house_prices.intro": {
        "en": "Your get_k_fold_data(k, i, X, y) for k = {k} on {rows} rows (left), beside the "
              "book's (right): one line per fold i, from 0 at the top, one cell per row of X. "
              "Blue: the row trains; orange: it validates; red: it does both; grey: it is "
              "left out (the last n % k rows). Each row validates in exactly one line.",
        "zh": "你的 get_k_fold_data(k, i, X, y) 在 k = {k}、{rows} 行数据上的划分（左）与本书的"
              "划分（右）：每折 i 一行，0 在最上面，X 的每一行一个格子。蓝色：这一行用于训练；"
              "橙色：用于验证；红色：两者都用；灰色：不用（最后 `n % k` 行）。每一行恰好在"
              "一行中用于验证。",
    },
    "feedback.house_prices.not_drawable": {
        "en": "get_k_fold_data did not give back X_train and X_valid as tensors of rows of X, "
              "so there is no split to draw.",
        "zh": "get_k_fold_data 没有把 X_train 和 X_valid 作为由 X 的行组成的张量返回，"
              "因此无法画出划分。",
    },
    # -- the tests' names --------------------------------------------------------------
    "test.house_prices.test_log_rmse_value": {
        "en": "log_rmse is the root-mean-square error of the log predictions",
        "zh": "log_rmse 是对数预测值的均方根误差"},
    "test.house_prices.test_log_rmse_clamps": {
        "en": "log_rmse sets predictions below 1 to 1 before taking the log",
        "zh": "log_rmse 在取对数之前把小于 1 的预测值设为 1"},
    "test.house_prices.test_log_rmse_returns_float": {
        "en": "log_rmse returns a Python float, with .item()",
        "zh": "log_rmse 用 `.item()` 返回 Python 的 float"},
    "test.house_prices.test_log_rmse_on_device": {
        "en": "log_rmse computes its right value on the device of its inputs",
        "zh": "log_rmse 在输入所在的设备上算出正确的值"},
    "test.house_prices.test_k_fold_split": {
        "en": "get_k_fold_data validates on fold i and trains on the other folds, in order",
        "zh": "get_k_fold_data 用第 i 折验证，按顺序用其余各折训练"},
    "test.house_prices.test_k_fold_first_and_last_fold": {
        "en": "get_k_fold_data works for the first and last fold, k = 2 and labels of "
              "shape (n,)",
        "zh": "get_k_fold_data 对第一折和最后一折、k = 2 以及形状为 (n,) 的标签都正确"},
    "test.house_prices.test_k_fold_on_device": {
        "en": "get_k_fold_data leaves the right folds on the device of X and y",
        "zh": "get_k_fold_data 把正确的各折留在 X 和 y 所在的设备上"},
    # -- the notebook ------------------------------------------------------------------
    "course.house_prices.notes": {
        "en": "The competition scores a submission by the error of the logarithms,\n"
              "{log_rmse},\nso that a 10% error costs the same on a cheap house as on an "
              "expensive one. With only\n1460 training houses, {k}-fold cross-validation "
              "estimates how well a model generalises:\ntrain {k} times, each time validating "
              "on another fold, and average the {k} errors.",
        "zh": "比赛用对数的误差给提交评分，\n{log_rmse}，\n这样 10% 的误差在便宜的房子和昂贵的"
              "房子上代价相同。训练集只有 1460 套房子，用 {k} 折交叉验证估计模型的泛化能力："
              "训练 {k} 次，每次在另一折上验证，再对 {k} 个误差取平均。",
    },
    "course.house_prices.intro": _doc("the module", """\
房价预测比赛：误差的度量与 k 折交叉验证。

《动手学深度学习》“多层感知机”一章中房价预测比赛的实战一节（学习小组所用中文版的 \
3.16 节，你在这里写的正是其中的版本）。房价跨越几个数量级，所以比赛衡量的是对数的误差；\
训练集又很小，所以在提交之前，用 k 折交叉验证估计模型的泛化能力。"""),
    "course.house_prices.log_rmse.doc": _doc("log_rmse", """\
预测值与标签的对数之间的均方根误差。

100,000 美元的误差对一套 1,000,000 美元的房子来说很小，对一套 100,000 美元的房子来说却很大；\
对数的误差衡量的是相对误差。先把小于 1 的预测值设为 1（用 \
torch.max(preds, torch.tensor(1.0)) 或 preds.clamp(min=1)）：未训练的线性网络会给出负的\
预测值，它的对数是 nan。

本书用 loss = torch.nn.MSELoss()（请像本书在笔记本开头那样定义它）计算 \
torch.sqrt(2 * loss(clipped_preds.log(), labels.log()).mean())；\
去掉因子 2，即比赛自己的度量 sqrt(mean((log(clipped_preds) - log(labels)) ** 2))，也可以。\
请在 torch.no_grad() 下计算：这是一个度量，不是用来训练的损失。

参数：
    net: 模型，一个 nn.Module，例如本书的 nn.Linear(d, 1)：net(features) 给出形状为 \
(n, 1) 的预测。
    features: 形状为 (n, d) 的 float32 张量，与 net 在同一设备上。
    labels: 形状为 (n, 1) 的 float32 张量，即房价（都 >= 1），在同一设备上。

返回：
    Python 的 float 形式的误差（rmse.item()），而不是张量。不做任何原地修改。"""),
    "course.house_prices.get_k_fold_data.doc": _doc("get_k_fold_data", """\
k 折交叉验证中第 i 折所用的训练数据和验证数据。

把各行切成 k 折，每折 fold_size = X.shape[0] // k 行（第 j 折是第 j * fold_size 到 \
(j + 1) * fold_size 行；最后 X.shape[0] % k 行按本书的做法不用）。第 i 折用于验证；其余 \
k - 1 折按顺序沿行（dim=0）拼接起来用于训练。在 i = 0 .. k - 1 的 k 次调用中，每个样本\
恰好验证一次，并且从不参与训练在它上面验证的模型。

参数：
    k: 折数，k > 1。
    i: 验证折，0 <= i < k。
    X: 特征，形状为 (n, d)，任意设备。
    y: 标签，形状为 (n, 1)（或 (n,)），与 X 在同一设备上。

返回：
    (X_train, y_train, X_valid, y_valid)：X_train 的形状为 ((k - 1) * fold_size, d)，\
y_train 有 (k - 1) * fold_size 行，X_valid = X[i * fold_size:(i + 1) * fold_size]，\
y_valid 同理，都在 X 所在的设备上。不修改 X 和 y。"""),
}

KNOWN_ERRORS = [
    # The book's log_rmse copied without the book's module-level loss = torch.nn.MSELoss().
    ("log_rmse", "name 'loss' is not defined", "log_rmse.no_loss"),
    # torch.cat(..., dim=1) of labels of shape (n,), which have no dimension 1.
    ("get_k_fold_data", "Dimension out of range", "k_fold.cat_dim"),
]

FORMULAS = {
    "log_rmse": r"$$\sqrt{\frac{1}{n}\sum_{i=1}^n\left(\log y_i - \log \hat{y}_i\right)^2}$$",
    "k": r"$K$",
}

FUNCTION_FORMULAS = {
    "log_rmse": r"$\sqrt{\frac{1}{n}\sum_{i=1}^n\left(\log y_i - "
                r"\log \max(\hat{y}_i, 1)\right)^2}$",
}

# The book's functions, in which each mistake below changes one thing.
_LOG_RMSE = '''
def log_rmse(net, features, labels):
    with torch.no_grad():
        clipped_preds = torch.max(net(features), torch.tensor(1.0))
        rmse = torch.sqrt(2 * loss(clipped_preds.log(), labels.log()).mean())
    return rmse.item()
'''

_K_FOLD = '''
def get_k_fold_data(k, i, X, y):
    assert k > 1
    fold_size = X.shape[0] // k
    X_train, y_train = None, None
    for j in range(k):
        idx = slice(j * fold_size, (j + 1) * fold_size)
        X_part, y_part = X[idx, :], y[idx]
        if j == i:
            X_valid, y_valid = X_part, y_part
        elif X_train is None:
            X_train, y_train = X_part, y_part
        else:
            X_train = torch.cat((X_train, X_part), dim=0)
            y_train = torch.cat((y_train, y_part), dim=0)
    return X_train, y_train, X_valid, y_valid
'''


def _changed(source: str, old: str, new: str) -> str:
    assert old in source, old
    return source.replace(old, new)


MISTAKES = [
    Mistake(name="log-rmse-no-clamp", function="log_rmse", key="log_rmse.no_clamp",
            code=_changed(_LOG_RMSE, "torch.max(net(features), torch.tensor(1.0))",
                          "net(features)")),
    Mistake(name="log-rmse-no-sqrt", function="log_rmse", key="log_rmse.no_sqrt",
            code=_changed(_LOG_RMSE, "torch.sqrt(2 * loss(clipped_preds.log(), "
                          "labels.log()).mean())",
                          "2 * loss(clipped_preds.log(), labels.log()).mean()")),
    Mistake(name="log-rmse-no-log", function="log_rmse", key="log_rmse.no_log",
            code=_changed(_LOG_RMSE, "loss(clipped_preds.log(), labels.log())",
                          "loss(clipped_preds, labels)")),
    Mistake(name="log-rmse-no-loss", function="log_rmse", key="log_rmse.no_loss",
            code=_LOG_RMSE.replace("def log_rmse", "del loss\n\n\ndef log_rmse")),
    Mistake(name="log-rmse-tensor", function="log_rmse", key="log_rmse.not_float",
            code=_changed(_LOG_RMSE, "return rmse.item()", "return rmse")),
    Mistake(name="k-fold-slice-variable", function="get_k_fold_data",
            key="k_fold.slice_variable",
            code=_changed(_K_FOLD, "slice(j * fold_size, (j + 1) * fold_size)",
                          "slice(i * fold_size, (i + 1) * fold_size)")),
    Mistake(name="k-fold-valid-in-train", function="get_k_fold_data",
            key="k_fold.valid_in_train",
            code=_changed(_K_FOLD, "        elif X_train is None:",
                          "        if X_train is None:")),
    Mistake(name="k-fold-sklearn-order", function="get_k_fold_data",
            key="k_fold.return_order",
            code=_changed(_K_FOLD, "return X_train, y_train, X_valid, y_valid",
                          "return X_train, X_valid, y_train, y_valid")),
    Mistake(name="k-fold-remainder-in-last-fold", function="get_k_fold_data",
            key="k_fold.remainder",
            code=_changed(_K_FOLD, "idx = slice(j * fold_size, (j + 1) * fold_size)",
                          "idx = slice(j * fold_size, (j + 1) * fold_size if j < k - 1 "
                          "else None)")),
    Mistake(name="log-rmse-summed", function="log_rmse", key="log_rmse.summed",
            code=_changed(_LOG_RMSE, "loss(clipped_preds.log(), labels.log())",
                          "torch.nn.MSELoss(reduction='sum')(clipped_preds.log(), "
                          "labels.log())")),
    Mistake(name="k-fold-cat-dim", function="get_k_fold_data", key="k_fold.cat_dim",
            code=_K_FOLD.replace("dim=0", "dim=1")),
]
