"""Each classic linear-regression mistake is diagnosed; the book's variants keep full marks."""

from __future__ import annotations

import pytest

from autograder.api import cuda_available, grade
from tests import helpers
from tests.helpers import assert_full_marks, copy_solutions, failures, messages
from tests.test_messages import english_words
from tests.test_public_checks import assert_self_checks_pass, released_folder, run_pytest

# Where device placement is checked: the GPU where there is one, else the simulated one.
PLACEMENT = "cuda" if cuda_available() else "placement"


def diagnosis_keys(report) -> dict[str, str]:
    """The catalogue key of each failed check's diagnosis."""
    return {t.check: t.diagnosis for t in report.tests if t.status == "failed"}


def graded(tmp_path, source: str, function: str, device: str = "cpu", lang: str = "en"):
    return helpers.graded(tmp_path, "linear_regression", source, function, device=device,
                          lang=lang)


# -- sgd -----------------------------------------------------------------------------------

SGD_NOT_DIVIDED = """
def sgd(params, lr, batch_size):
    with torch.no_grad():
        for param in params:
            param -= lr * param.grad
"""

SGD_DIVIDED_TWICE = """
def sgd(params, lr, batch_size):
    with torch.no_grad():
        for param in params:
            param -= lr * param.grad / batch_size / batch_size
"""

SGD_REBINDS = """
def sgd(params, lr, batch_size):
    for param in params:
        param = param - lr * param.grad / batch_size
"""

SGD_TRACKED = """
def sgd(params, lr, batch_size):
    for param in params:
        param -= lr * param.grad / batch_size
"""


@pytest.mark.parametrize("source, expected", [
    (SGD_NOT_DIVIDED, "The step is batch_size times too large: divide the gradient by batch_size"),
    (SGD_DIVIDED_TWICE, "divided by batch_size twice"),
    (SGD_REBINDS, "`param = param - ...` only rebinds the loop variable"),
    (SGD_TRACKED, "Do the update inside `with torch.no_grad():` (or on param.data)"),
], ids=["not-divided", "divided-twice", "rebinds", "tracked"])
def test_sgd_mistakes_are_diagnosed(tmp_path, source, expected):
    report = graded(tmp_path, source, "sgd")
    assert report.score == 0
    assert expected in messages(report, "sgd")


def test_sgd_diagnosis_in_chinese(tmp_path):
    report = graded(tmp_path, SGD_NOT_DIVIDED, "sgd", lang="zh")
    assert "更新步长大了 batch_size 倍" in messages(report, "sgd")


@pytest.mark.parametrize("source", [
    # d2l-zh zeroes the gradients inside sgd.
    """
    def sgd(params, lr, batch_size):
        for param in params:
            param.data -= lr * param.grad / batch_size
            param.grad.data.zero_()
    """,
    # The study group's notes update .data directly.
    """
    def sgd(params, lr, batch_size):
        for param in params:
            param.data -= lr * param.grad / batch_size
    """,
], ids=["d2l-zh-zeroes", "seed-data"])
def test_sgd_accepted_variants_keep_full_marks(tmp_path, source):
    submission = helpers.mistake(tmp_path, "linear_regression", source)
    assert_full_marks(grade(submission, only="sgd", device="cpu"))
    assert_self_checks_pass(tmp_path, submission, "linear_regression")


# -- train_epoch ---------------------------------------------------------------------------

EPOCH_NEVER_ZEROES = """
def train_epoch(net, loss, updater, data, params, lr, batch_size):
    for X, y in data:
        loss(net(X, *params), y).sum().backward()
        updater(params, lr, batch_size)
"""

EPOCH_NON_SCALAR = """
def train_epoch(net, loss, updater, data, params, lr, batch_size):
    for X, y in data:
        loss(net(X, *params), y).backward()
        updater(params, lr, batch_size)
        for param in params:
            param.grad.zero_()
"""

EPOCH_ZEROES_FIRST = """
def train_epoch(net, loss, updater, data, params, lr, batch_size):
    for X, y in data:
        loss(net(X, *params), y).sum().backward()
        for param in params:
            param.grad.zero_()
        updater(params, lr, batch_size)
"""

EPOCH_MEAN = """
def train_epoch(net, loss, updater, data, params, lr, batch_size):
    for X, y in data:
        loss(net(X, *params), y).mean().backward()
        updater(params, lr, batch_size)
        for param in params:
            param.grad.zero_()
"""


@pytest.mark.parametrize("source, expected", [
    (EPOCH_NEVER_ZEROES, "never zeroes the gradients, so they accumulate across batches"),
    (EPOCH_NON_SCALAR, "sum it first"),
    (EPOCH_ZEROES_FIRST, "zeroes the gradients before the update"),
    (EPOCH_MEAN, "averages the loss before backward()"),
], ids=["never-zeroes", "non-scalar", "zeroes-first", "mean"])
def test_train_epoch_mistakes_are_diagnosed(tmp_path, source, expected):
    report = graded(tmp_path, source, "train_epoch")
    assert report.score == 0
    assert expected in messages(report, "train_epoch")


# The squared loss is symmetric, so this loop computes the right gradients: only the
# order in which the loss receives its arguments shows the mistake.
EPOCH_LOSS_ARGUMENTS_SWAPPED = """
def train_epoch(net, loss, updater, data, params, lr, batch_size):
    for X, y in data:
        loss(y, net(X, *params)).sum().backward()
        updater(params, lr, batch_size)
        for param in params:
            param.grad.zero_()
"""


@pytest.mark.parametrize("lang, expected", [
    ("en", "the book's loss takes the prediction first, then the label"),
    ("zh", "书中的损失函数先接收预测值，再接收标签"),
])
def test_train_epoch_swapping_the_loss_arguments_is_diagnosed(tmp_path, lang, expected):
    report = graded(tmp_path, EPOCH_LOSS_ARGUMENTS_SWAPPED, "train_epoch", lang=lang)
    assert report.score == 0
    assert set(diagnosis_keys(report).values()) == {"train_epoch.loss_arguments_swapped"}
    assert expected in messages(report, "train_epoch")


def test_the_books_training_loop_keeps_full_marks(tmp_path):
    """The loop of the book's PyTorch port, written as train_epoch: loss(net(X, w, b), y)."""
    source = """
    def train_epoch(net, loss, updater, data, params, lr, batch_size):
        w, b = params
        for X, y in data:
            l = loss(net(X, w, b), y).sum()  # l是有关小批量X和y的损失
            l.backward()  # 小批量的损失对模型参数求梯度
            updater([w, b], lr, batch_size)  # 使用小批量随机梯度下降迭代模型参数
            w.grad.data.zero_()
            b.grad.data.zero_()
    """
    submission = helpers.mistake(tmp_path, "linear_regression", source)
    assert_full_marks(grade(submission, only="train_epoch", device="cpu"))


def test_train_epoch_is_graded_with_a_correct_sgd(tmp_path):
    """A wrong sgd costs nothing in train_epoch: the harness brings its own collaborators."""
    report = graded(tmp_path, SGD_NOT_DIVIDED, "train_epoch")
    assert_full_marks(report)


def test_train_epoch_zeroing_before_backward_is_accepted(tmp_path):
    source = """
    def train_epoch(net, loss, updater, data, params, lr, batch_size):
        for X, y in data:
            for param in params:
                if param.grad is not None:
                    param.grad.zero_()
            loss(net(X, *params), y).sum().backward()
            updater(params, lr, batch_size)
    """
    submission = helpers.mistake(tmp_path, "linear_regression", source)
    assert_full_marks(grade(submission, only="train_epoch", device="cpu"))
    assert_self_checks_pass(tmp_path, submission, "linear_regression")


def test_train_epoch_never_zeroing_fails_its_self_check(tmp_path):
    submission = helpers.mistake(tmp_path, "linear_regression", EPOCH_NEVER_ZEROES)
    result = run_pytest(released_folder(tmp_path / "released", submission),
                        "test_linear_regression.py")
    assert result.returncode == 1 and "zero the gradients between minibatches" in result.stdout


# -- squared_loss --------------------------------------------------------------------------


@pytest.mark.parametrize("source, expected", [
    ("""
     def squared_loss(y_hat, y):
         return (y_hat - y) ** 2 / 2
     """, "y_hat - y broadcast to (n, n). Reshape y first"),
    ("""
     def squared_loss(y_hat, y):
         return (y_hat - y.reshape(y_hat.shape)) ** 2
     """, "twice the expected value: divide by 2"),
    ("""
     def squared_loss(y_hat, y):
         return ((y_hat - y.reshape(y_hat.shape)) ** 2 / 2).mean()
     """, "returned a single number (a mean)"),
], ids=["broadcast", "no-half", "mean"])
def test_squared_loss_mistakes_are_diagnosed(tmp_path, source, expected):
    report = graded(tmp_path, source, "squared_loss")
    assert expected in messages(report, "squared_loss")


# -- data_iter -----------------------------------------------------------------------------

DATA_ITER = """
def data_iter(batch_size, features, labels):
    num_examples = len(features)
    indices = {indices}
    for i in range(0, {stop}, batch_size):
        j = indices[i: min(i + batch_size, num_examples)]
        yield features[j], labels[j]
"""


@pytest.mark.parametrize("indices, stop, expected", [
    ("torch.randperm(num_examples)[1:]", "num_examples", "skipped 1 example(s)"),
    ("torch.cat([torch.randperm(num_examples)[:-1], torch.tensor([0])])", "num_examples",
     "times in one epoch"),
    ("torch.randperm(num_examples)", "num_examples - num_examples % batch_size",
     "dropped the short last batch (3 examples)"),
    ("torch.arange(num_examples)", "num_examples", "reads the examples in their stored order"),
], ids=["missing", "repeated", "drops-last", "unshuffled"])
def test_data_iter_mistakes_are_diagnosed(tmp_path, indices, stop, expected):
    report = graded(tmp_path, DATA_ITER.format(indices=indices, stop=stop), "data_iter")
    assert expected in messages(report, "data_iter")


def test_data_iter_shuffling_once_at_import_is_diagnosed(tmp_path):
    source = """
    def data_iter(batch_size, features, labels, _order={}):
        n = len(features)
        order = _order.setdefault(n, torch.randperm(n))
        for i in range(0, n, batch_size):
            j = order[i: i + batch_size]
            yield features[j], labels[j]
    """
    report = graded(tmp_path, source, "data_iter")
    assert "the same order in every epoch" in messages(report, "data_iter")


def test_one_shuffled_batch_of_everything_is_diagnosed(tmp_path):
    submission = helpers.mistake(tmp_path, "linear_regression", """
    def data_iter(batch_size, features, labels):
        j = torch.randperm(len(features))
        yield features[j], labels[j]
    """)
    report = grade(submission, only="data_iter", device="cpu")
    assert report.score == 0
    assert diagnosis_keys(report) == {check: "data_iter.batch_too_large" for check in (
        "test_data_iter_covers_every_example", "test_data_iter_keeps_short_last_batch",
        "test_data_iter_shuffles")}
    assert "data_iter yielded 100 examples in batch 1, more than batch_size = 10" in \
        failures(report)["test_data_iter_covers_every_example"]
    assert run_pytest(released_folder(tmp_path / "released", submission),
                      "test_linear_regression.py").returncode == 1


def test_a_short_batch_before_the_last_is_diagnosed(tmp_path):
    report = graded(tmp_path, """
    def data_iter(batch_size, features, labels):
        j = torch.randperm(len(features))
        yield features[j[:1]], labels[j[:1]]
        for i in range(1, len(j), batch_size):
            yield features[j[i: i + batch_size]], labels[j[i: i + batch_size]]
    """, "data_iter")
    assert set(diagnosis_keys(report).values()) == {"data_iter.batch_size"}


def test_an_empty_last_batch_is_diagnosed(tmp_path):
    report = graded(tmp_path, """
    def data_iter(batch_size, features, labels):
        j = torch.randperm(len(features))
        for i in range(0, len(j), batch_size):
            yield features[j[i: i + batch_size]], labels[j[i: i + batch_size]]
        yield features[:0], labels[:0]
    """, "data_iter")
    assert set(diagnosis_keys(report).values()) == {"data_iter.empty_batch"}
    assert report.score == 0


def test_a_label_of_no_example_is_diagnosed_before_anything_is_counted(tmp_path):
    # Counting a billion-long bincount of such a label once took the grader 23 GB.
    report = graded(tmp_path, """
    def data_iter(batch_size, features, labels):
        for i in range(0, len(features), batch_size):
            X = features[i: i + batch_size].clone()
            X[:, 0] = 1e9
            yield X, X[:, 0].clone()
    """, "data_iter")
    assert set(diagnosis_keys(report).values()) == {"data_iter.not_an_example"}
    assert "its label is 1000000000" in messages(report, "data_iter")


# The book's PyTorch port (d2lzh_pytorch/utils.py of ShusenTang/Dive-into-DL-PyTorch),
# verbatim; its module imports random.
BOOK_LINEAR_REGRESSION = [
    """
    import random


    def data_iter(batch_size, features, labels):
        num_examples = len(features)
        indices = list(range(num_examples))
        random.shuffle(indices)  # 样本的读取顺序是随机的
        for i in range(0, num_examples, batch_size):
            j = torch.LongTensor(indices[i: min(i + batch_size, num_examples)]) # 最后一次可能不足一个batch
            yield  features.index_select(0, j), labels.index_select(0, j)
    """,  # noqa: E501
    """
    def linreg(X, w, b):
        return torch.mm(X, w) + b
    """,
    """
    def squared_loss(y_hat, y):
        # 注意这里返回的是向量, 另外, pytorch里的MSELoss并没有除以 2
        return ((y_hat - y.view(y_hat.size())) ** 2) / 2
    """,
    """
    def sgd(params, lr, batch_size):
        # 为了和原书保持一致，这里除以了batch_size，但是应该是不用除的，因为一般用PyTorch计算loss时就默认已经
        # 沿batch维求了平均了。
        for param in params:
            param.data -= lr * param.grad / batch_size # 注意这里更改param时用的param.data
    """,  # noqa: E501
]


def test_the_book_ports_functions_pass_the_self_checks_and_keep_full_marks(tmp_path):
    submission = copy_solutions(tmp_path / "submission")
    for source in BOOK_LINEAR_REGRESSION:
        helpers.with_function(submission, "linear_regression", source)
    assert_self_checks_pass(tmp_path, submission, "linear_regression")
    report = grade(submission, only="linear_regression", device="cpu")
    assert_full_marks(report)
    assert {t.function for t in report.tests} == {"data_iter", "linreg", "squared_loss",
                                                  "sgd", "train_epoch"}


def test_book_data_iter_keeps_full_marks(tmp_path):
    source = """
    def data_iter(batch_size, features, labels):
        import random
        num_examples = len(features)
        indices = list(range(num_examples))
        random.shuffle(indices)
        for i in range(0, num_examples, batch_size):
            batch_indices = torch.tensor(indices[i: min(i + batch_size, num_examples)])
            yield features[batch_indices], labels[batch_indices]
    """
    assert_full_marks(graded(tmp_path, source, "data_iter"))


# -- any function --------------------------------------------------------------------------


@pytest.mark.parametrize("source, expected", [
    ("""
     def linreg(X, w, b):
         return (X @ w + b).tolist()
     """, "should be a torch.Tensor, but linreg returned a list"),
    ("""
     def linreg(X, w, b):
         return (X @ w + b).reshape(-1)
     """, "has shape (10,), expected (10, 1)"),
    ("""
     def linreg(X, w, b):
         return (X @ w + b).double()
     """, "has dtype torch.float64, expected torch.float32"),
    ("""
     def linreg(X, w, b):
         X += 0
         X *= 2
         return X / 2 @ w + b
     """, "modified its input X in place"),
    ("""
     def linreg(X, w, b):
         scale = {"w": w}["v"]
         return X @ w + b
     """, "linreg raised KeyError: 'v' (linear_regression.py, line"),
], ids=["type", "shape", "dtype", "modifies-input", "raises"])
def test_generic_mistakes_are_diagnosed(tmp_path, source, expected):
    report = graded(tmp_path, source, "linreg")
    assert expected in messages(report, "linreg")


def test_raised_error_names_the_students_line(tmp_path):
    source = """
    def linreg(X, w, b):
        return X @ w.T + b
    """
    report = graded(tmp_path, source, "linreg")
    text = messages(report, "linreg")
    assert "linreg raised RuntimeError" in text
    assert "`return X @ w.T + b`" in text


def test_tensor_created_on_the_cpu_is_caught(tmp_path):
    source = """
    def linreg(X, w, b):
        return X @ w + torch.zeros(len(X), 1) + b
    """
    report = graded(tmp_path, source, "linreg", device=PLACEMENT)
    assert report.score == 0
    assert "linreg mixes devices (linear_regression.py, line" in messages(report, "linreg")


def test_result_created_on_the_cpu_is_caught(tmp_path):
    source = """
    def linreg(X, w, b):
        return torch.zeros(len(X), 1)
    """
    report = graded(tmp_path, source, "linreg", device=PLACEMENT)
    assert "is on device cpu, but the inputs were on cuda" in messages(report, "linreg")


def test_solutions_get_full_marks_per_function(tmp_path):
    report = grade(copy_solutions(tmp_path / "s"), only="linear_regression")
    assert_full_marks(report)


# -- placement, with right values; NumPy minibatches -----------------------------------------


@pytest.mark.parametrize("function, source, check", [
    ("squared_loss", """
     def squared_loss(y_hat, y):
         return ((y_hat - y.reshape(y_hat.shape)) ** 2 / 2).sum()
     """, "test_squared_loss_values"),
    ("linreg", """
     def linreg(X, w, b):
         return (X @ w + b).reshape(-1)
     """, "test_linreg_values"),
], ids=["squared_loss-summed", "linreg-flattened"])
def test_a_mistake_of_values_costs_placement_too(tmp_path, function, source, check):
    submission = helpers.mistake(tmp_path, "linear_regression", source)
    assert check in failures(grade(submission, only=function, device="cpu"))
    report = grade(submission, only=function, device="placement")
    assert [t.check for t in report.tests] == [f"test_{function}_stays_on_device"]
    assert [t.diagnosis for t in report.tests] == ["placement.wrong_values"]
    assert report.score == 0


def test_an_unshuffled_data_iter_keeps_placement(tmp_path):
    # Its batches hold every example once, on the data's device: only the order is wrong.
    source = DATA_ITER.format(indices="torch.arange(num_examples)", stop="num_examples")
    submission = helpers.mistake(tmp_path, "linear_regression", source)
    assert list(failures(grade(submission, only="data_iter", device="cpu"))) == \
        ["test_data_iter_shuffles"]
    assert_full_marks(grade(submission, only="data_iter", device="placement"))


def test_squared_loss_summed_is_diagnosed_on_the_cpu(tmp_path):
    report = graded(tmp_path, """
    def squared_loss(y_hat, y):
        return ((y_hat - y.reshape(y_hat.shape)) ** 2 / 2).sum()
    """, "squared_loss", lang="zh")
    message = failures(report)["test_squared_loss_values"]
    assert "squared_loss 返回了一个数（总和）" in message
    assert english_words(message) == []


def test_a_result_created_on_the_cpu_fails_placement_only(tmp_path):
    report = graded(tmp_path, """
    def squared_loss(y_hat, y):
        return torch.zeros(y_hat.shape) + 0
    """, "squared_loss", device=PLACEMENT)
    assert list(failures(report)) == ["test_squared_loss_stays_on_device"]
    assert "A tensor that squared_loss returned is on device cpu, but the inputs were on " \
           "cuda" in failures(report)["test_squared_loss_stays_on_device"]


NUMPY_DATA_ITER = """
def data_iter(batch_size, features, labels):
    indices = torch.randperm(len(features))
    for i in range(0, len(features), batch_size):
        j = indices[i: i + batch_size]
        yield features[j].numpy(), labels[j].numpy()
"""


def test_a_data_iter_yielding_numpy_arrays_is_told_tensors_are_expected(tmp_path):
    report = graded(tmp_path, NUMPY_DATA_ITER, "data_iter")
    message = failures(report)["test_data_iter_covers_every_example"]
    assert "data_iter should yield (X, y) pairs of tensors, but it yielded a tuple of 2 NumPy " \
           "arrays: NumPy arrays are not tensors" in message
    assert "Opaque" not in messages(report)


def test_a_data_iter_yielding_numpy_arrays_fails_placement_for_numpy(tmp_path):
    submission = helpers.mistake(tmp_path, "linear_regression", NUMPY_DATA_ITER)
    message = failures(grade(submission, only="data_iter", device=PLACEMENT))
    assert "data_iter turns a tensor that is not on the CPU into a NumPy array " \
           "(linear_regression.py, line" in message["test_data_iter_stays_on_device"]


def test_a_function_returning_no_tensor_says_placement_cannot_be_checked(tmp_path):
    report = graded(tmp_path, """
    def linreg(X, w, b):
        return None
    """, "linreg", device="placement")
    assert "No tensor came back from linreg (None), so where it puts its results cannot be " \
           "checked here" in failures(report)["test_linreg_stays_on_device"]
