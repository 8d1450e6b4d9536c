"""Each classic softmax-regression mistake is diagnosed; the book's variants keep their marks."""

from __future__ import annotations

import re
import string

import pytest

from autograder import registry
from autograder.api import cuda_available, grade
from autograder.checks import KNOWN_ERRORS
from autograder.messages import CATALOGUE
from tests import helpers
from tests.helpers import assert_full_marks, failures, mistake
from tests.test_messages import english_words
from tests.test_public_checks import assert_self_checks_pass

MODULE = "softmax_regression"
# Where device placement is checked: the GPU where there is one, else the simulated one.
PLACEMENT = "cuda" if cuda_available() else "placement"


def graded(tmp_path, source: str, function: str, device: str = "cpu", lang: str = "en"):
    return helpers.graded(tmp_path, MODULE, source, function, device=device, lang=lang)


# -- softmax -----------------------------------------------------------------------------

BOOK_SOFTMAX = """
def softmax(X):
    X_exp = X.exp()
    partition = X_exp.sum(dim=1, keepdim=True)
    return X_exp / partition
"""


def test_softmax_over_the_wrong_dimension(tmp_path):
    report = graded(tmp_path, """
    def softmax(X):
        X_exp = torch.exp(X - X.max(dim=1, keepdim=True).values)
        return X_exp / X_exp.sum(dim=0, keepdim=True)
    """, "softmax")
    failed = failures(report)
    assert "softmax normalises the wrong dimension" in failed["test_softmax_values"]
    assert "softmax normalises the wrong dimension" in failed["test_softmax_square"]


def test_softmax_without_keepdim_fails_loudly_or_silently(tmp_path):
    report = graded(tmp_path, """
    def softmax(X):
        X_exp = X.exp()
        return X_exp / X_exp.sum(dim=1)
    """, "softmax")
    failed = failures(report)
    # n != q: the broadcast error, explained (with the student's line).
    assert "without keepdim=True (softmax_regression.py, line" in failed["test_softmax_values"]
    # n == q: no error, silently wrong values; the same diagnosis.
    assert "silently gives wrong values when n == q" in failed["test_softmax_square"]


def test_softmax_without_keepdim_in_chinese(tmp_path):
    report = graded(tmp_path, """
    def softmax(X):
        X_exp = X.exp()
        return X_exp / X_exp.sum(dim=1)
    """, "softmax", lang="zh")
    assert "没有写 keepdim=True" in failures(report)["test_softmax_square"]


def test_book_softmax_loses_only_the_stability_test(tmp_path):
    report = graded(tmp_path, BOOK_SOFTMAX, "softmax")
    failed = failures(report)
    assert list(failed) == ["test_softmax_stable"]
    assert "Subtract each row's maximum before exp" in failed["test_softmax_stable"]
    assert report.score == report.max_score - 0.5


def test_softmax_subtracting_the_global_maximum(tmp_path):
    report = graded(tmp_path, """
    def softmax(X):
        X_exp = torch.exp(X - X.max())
        return X_exp / X_exp.sum(dim=1, keepdim=True)
    """, "softmax")
    assert list(failures(report)) == ["test_softmax_stable"]
    assert "one maximum for the whole matrix" in failures(report)["test_softmax_stable"]


def test_softmax_modifying_its_input(tmp_path):
    report = graded(tmp_path, """
    def softmax(X):
        X -= X.max(dim=1, keepdim=True).values
        X_exp = X.exp()
        return X_exp / X_exp.sum(dim=1, keepdim=True)
    """, "softmax")
    assert "softmax modified its input X in place" in failures(report)["test_softmax_values"]


# -- cross_entropy -----------------------------------------------------------------------


@pytest.mark.parametrize("source, expected", [
    ("""
    def cross_entropy(y_hat, y):
        return -torch.log(y_hat[:, y])
    """, "Pick one entry per row, the true class's"),
    ("""
    def cross_entropy(y_hat, y):
        return -torch.log(y_hat.gather(1, y.view(-1, 1).float()))
    """, "cross_entropy indexes y_hat with floating-point labels"),
    ("""
    def cross_entropy(y_hat, y):
        return -torch.log(y_hat[range(len(y_hat)), y.float()])
    """, "PyTorch only accepts integer indices"),
    ("""
    def cross_entropy(y_hat, y):
        return torch.log(y_hat[range(len(y_hat)), y])
    """, "cross_entropy has the wrong sign"),
    ("""
    def cross_entropy(y_hat, y):
        return 1 - y_hat[range(len(y_hat)), y]
    """, "has wrong values"),
    ("""
    def cross_entropy(y_hat, y):
        return -y_hat[range(len(y_hat)), y]
    """, "without the log"),
    ("""
    def cross_entropy(y_hat, y):
        return -torch.log(y_hat[range(len(y_hat)), y]).mean()
    """, "returned a single number (the mean over the batch)"),
], ids=["column-per-label", "float-labels-gather", "float-labels-index", "sign", "other",
        "no-log", "mean"])
def test_cross_entropy_mistakes_are_diagnosed(tmp_path, source, expected):
    report = graded(tmp_path, source, "cross_entropy")
    assert report.score == 0
    assert expected in failures(report)["test_cross_entropy_values"]


def test_cross_entropy_column_per_label_in_chinese(tmp_path):
    report = graded(tmp_path, """
    def cross_entropy(y_hat, y):
        return -torch.log(y_hat[:, y])
    """, "cross_entropy", lang="zh")
    assert "每行只应取一个元素" in failures(report)["test_cross_entropy_values"]


def test_cross_entropy_with_a_one_hot_product_is_nan_at_zeros(tmp_path):
    # log of the whole matrix times a one-hot mask: 0 * log(0) = nan where a wrong class
    # has probability 0; everywhere else it is right.
    report = graded(tmp_path, """
    def cross_entropy(y_hat, y):
        one_hot = torch.nn.functional.one_hot(y, y_hat.shape[1])
        return -(one_hot * torch.log(y_hat)).sum(dim=1)
    """, "cross_entropy")
    failed = failures(report)
    assert list(failed) == ["test_cross_entropy_zero_elsewhere"]
    assert "0 * -inf = nan" in failed["test_cross_entropy_zero_elsewhere"]
    assert "returns nan there" in failed["test_cross_entropy_zero_elsewhere"]


# Written for one-hot labels; the suites pass class indices y of shape (n,), n != q.
ONE_HOT_CROSS_ENTROPY = [
    """
    def cross_entropy(y_hat, y):
        return -(y * torch.log(y_hat)).sum(dim=1)
    """,
    """
    def cross_entropy(y_hat, y):
        return -torch.log(y_hat[range(len(y_hat)), y.argmax(dim=1)])
    """,
]


@pytest.mark.parametrize("source", ONE_HOT_CROSS_ENTROPY, ids=["product", "argmax"])
@pytest.mark.parametrize("device", ["cpu", PLACEMENT])
def test_cross_entropy_for_one_hot_labels_is_told_y_holds_indices(tmp_path, source, device):
    report = graded(tmp_path, source, "cross_entropy", device=device)
    keys = {t.check: t.diagnosis for t in report.tests if t.status == "failed"}
    assert keys and set(keys.values()) == {"cross_entropy.one_hot"}, keys
    assert report.score == 0
    assert "but y holds class indices" in "\n".join(failures(report).values())


def test_cross_entropy_for_one_hot_labels_in_chinese_without_english(tmp_path):
    report = graded(tmp_path, ONE_HOT_CROSS_ENTROPY[0], "cross_entropy", lang="zh")
    message = failures(report)["test_cross_entropy_values"]
    assert "但 y 存的是类别下标" in message
    assert english_words(message) == []


def test_cross_entropy_hiding_the_infinite_loss_is_explained(tmp_path):
    report = graded(tmp_path, """
    def cross_entropy(y_hat, y):
        loss = -torch.log(y_hat[range(len(y_hat)), y])
        return torch.where(torch.isinf(loss), torch.zeros_like(loss), loss)
    """, "cross_entropy")
    failed = failures(report)
    assert list(failed) == ["test_cross_entropy_zero_true_class"]
    assert "The right loss is -log(0) = inf" in failed["test_cross_entropy_zero_true_class"]


@pytest.mark.parametrize("source", [
    # d2lzh: gather gives an (n, 1) column.
    """
    def cross_entropy(y_hat, y):
        return -torch.log(y_hat.gather(1, y.view(-1, 1)))
    """,
    # The book's fancy indexing with a Python range.
    """
    def cross_entropy(y_hat, y):
        return -torch.log(y_hat[range(len(y_hat)), y])
    """,
    # An epsilon guard keeps the loss finite but very large where p = 0.
    """
    def cross_entropy(y_hat, y):
        return -torch.log(y_hat[range(len(y_hat)), y] + 1e-12)
    """,
], ids=["d2lzh-gather", "book-range", "epsilon"])
def test_cross_entropy_accepted_variants_keep_full_marks(tmp_path, source):
    submission = mistake(tmp_path, MODULE, source)
    for device in ("cpu", "placement"):
        assert_full_marks(grade(submission, only="cross_entropy", device=device))
    assert_self_checks_pass(tmp_path, submission, MODULE)


# -- accuracy ----------------------------------------------------------------------------


def test_accuracy_comparing_probabilities_with_labels(tmp_path):
    report = graded(tmp_path, """
    def accuracy(y_hat, y):
        return (y_hat == y).float().mean().item()
    """, "accuracy")
    failed = failures(report)
    assert "Take the predicted class of each row first, y_hat.argmax(dim=1)" in \
        failed["test_accuracy_values"]
    assert "compare the probabilities themselves with the labels" in \
        failed["test_accuracy_square"]


def test_accuracy_argmax_over_the_wrong_dimension(tmp_path):
    report = graded(tmp_path, """
    def accuracy(y_hat, y):
        return (y_hat.argmax(dim=0) == y).float().mean().item()
    """, "accuracy")
    assert "takes the argmax over the wrong dimension" in \
        failures(report)["test_accuracy_square"]


def test_accuracy_returning_a_tensor_loses_only_the_float_test(tmp_path):
    report = graded(tmp_path, """
    def accuracy(y_hat, y):
        return (y_hat.argmax(dim=1) == y).float().mean()
    """, "accuracy")
    failed = failures(report)
    assert list(failed) == ["test_accuracy_returns_float"]
    assert "it should return a Python float: call .item()" in failed["test_accuracy_returns_float"]


def test_accuracy_returning_the_count(tmp_path):
    report = graded(tmp_path, """
    def accuracy(y_hat, y):
        return (y_hat.argmax(dim=1) == y).sum().item()
    """, "accuracy")
    assert "the number of correct predictions" in failures(report)["test_accuracy_values"]


def test_book_accuracy_keeps_full_marks(tmp_path):
    report = graded(tmp_path, """
    def accuracy(y_hat, y):
        return (y_hat.argmax(dim=1) == y).float().sum().item() / y.shape[0]
    """, "accuracy")
    assert_full_marks(report)


# -- the catalogue behind the four modules' diagnoses --------------------------------------


NEW_PREFIXES = ("softmax.", "cross_entropy.", "accuracy.", "activation.", "sigmoid.", "tanh.",
                "part.", "reduction.", "lm.", "data_iter_random.", "data_iter_consecutive.",
                "linear_net.")


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_new_message_exists_in_english_and_chinese_with_the_same_fields():
    keys = [key for key in CATALOGUE if key.startswith(NEW_PREFIXES)]
    assert len(keys) > 40
    for key in keys:
        assert set(CATALOGUE[key]) == {"en", "zh"}, key
        assert fields(CATALOGUE[key]["en"]) == fields(CATALOGUE[key]["zh"]), key


def test_every_key_the_suites_raise_is_in_the_catalogue():
    used = {key for _, _, key in (*KNOWN_ERRORS, *registry.known_errors())}
    for suite in ("softmax_regression", "activations", "language_model", "concise"):
        text = registry.exercise(suite).suite.read_text()
        used |= set(re.findall(r'Diagnosis\(\s*"([\w.]+)"', text))
    used |= {f"{name}.overflow" for name in ("sigmoid", "tanh")}
    used |= {f"reduction.{name}" for name in ("mean", "sum")}
    assert not sorted(used - set(CATALOGUE))


# -- floor division, a second softmax, placement -------------------------------------------

ACCURACY_FLOOR = """
def accuracy(y_hat, y):
    return (y_hat.argmax(dim=1) == y).sum().item() // len(y)
"""


@pytest.mark.parametrize("source", [
    ACCURACY_FLOOR,
    """
    def accuracy(y_hat, y):
        return (y_hat.argmax(dim=1) == y).float().sum().item() // y.shape[0]
    """,
], ids=["int", "float"])
def test_accuracy_with_floor_division(tmp_path, source):
    report = graded(tmp_path, source, "accuracy")
    failed = failures(report)
    for check in ("test_accuracy_values", "test_accuracy_square"):
        assert "`//` is floor division, which rounds the fraction down to 0" in failed[check]
        assert "compare the probabilities themselves" not in failed[check]


def test_accuracy_with_floor_division_in_chinese_without_english(tmp_path):
    report = graded(tmp_path, ACCURACY_FLOOR, "accuracy", lang="zh")
    failed = failures(report)
    assert "`//` 是向下取整的除法" in failed["test_accuracy_values"]
    # An int where a float is due: said in Chinese, the int included.
    assert "应当是 Python 的 float，但 accuracy 返回了整数 0" in \
        failed["test_accuracy_returns_float"]
    for message in failed.values():
        assert english_words(message) == [], message


def test_accuracy_returning_a_tensor_in_chinese_without_english(tmp_path):
    report = graded(tmp_path, """
    def accuracy(y_hat, y):
        return (y_hat.argmax(dim=1) == y).float().mean()
    """, "accuracy", lang="zh")
    message = failures(report)["test_accuracy_returns_float"]
    assert "accuracy 返回了形状为 () 的张量" in message
    assert english_words(message) == []


@pytest.mark.parametrize("source", [
    """
    def cross_entropy(y_hat, y):
        return torch.nn.functional.cross_entropy(y_hat, y, reduction='none')
    """,
    """
    def cross_entropy(y_hat, y):
        return torch.nn.functional.cross_entropy(y_hat, y)
    """,
    """
    def cross_entropy(y_hat, y):
        return torch.nn.CrossEntropyLoss(reduction='none')(y_hat, y)
    """,
], ids=["F.cross_entropy", "mean", "CrossEntropyLoss"])
def test_cross_entropy_on_probabilities_takes_a_second_softmax(tmp_path, source):
    report = graded(tmp_path, source, "cross_entropy")
    failed = failures(report)
    assert "cross_entropy treats y_hat as logits" in failed["test_cross_entropy_values"]
    assert "this takes a second softmax" in failed["test_cross_entropy_values"]
    assert "-torch.log(y_hat[range(len(y_hat)), y])" in failed["test_cross_entropy_values"]


def test_cross_entropy_second_softmax_everywhere_it_is_graded(tmp_path):
    report = graded(tmp_path, """
    def cross_entropy(y_hat, y):
        return torch.nn.functional.cross_entropy(y_hat, y, reduction='none')
    """, "cross_entropy", lang="zh")
    failed = failures(report)
    assert set(failed) == {"test_cross_entropy_values", "test_cross_entropy_zero_elsewhere",
                           "test_cross_entropy_zero_true_class"}
    for message in failed.values():
        assert "又做了一次 softmax" in message
        assert english_words(message) == []


def test_cross_entropy_through_nll_loss_of_the_log_keeps_full_marks(tmp_path):
    submission = mistake(tmp_path, MODULE, """
    def cross_entropy(y_hat, y):
        return torch.nn.functional.nll_loss(torch.log(y_hat), y, reduction='none')
    """)
    for device in ("cpu", "placement"):
        assert_full_marks(grade(submission, only="cross_entropy", device=device))


@pytest.mark.parametrize("function, source", [
    ("cross_entropy", """
    def cross_entropy(y_hat, y):
        return -torch.log(y_hat[range(len(y_hat)), y]).mean()
    """),
    ("softmax", """
    def softmax(X):
        X_exp = X.exp()
        return X_exp / X_exp.sum(dim=0, keepdim=True)
    """),
], ids=["cross_entropy-mean", "softmax-columns"])
def test_a_mistake_of_values_costs_placement_too(tmp_path, function, source):
    submission = mistake(tmp_path, MODULE, source)
    assert failures(grade(submission, only=function, device="cpu"))
    report = grade(submission, only=function, device="placement")
    assert [t.check for t in report.tests] == [f"test_{function}_stays_on_device"]
    assert [t.diagnosis for t in report.tests] == ["placement.wrong_values"]
    assert report.score == 0


def test_a_tensor_created_on_the_cpu_fails_placement_with_the_device_message(tmp_path):
    report = graded(tmp_path, """
    def cross_entropy(y_hat, y):
        return -torch.log(y_hat[range(len(y_hat)), y]) + torch.zeros(len(y))
    """, "cross_entropy", device=PLACEMENT)
    assert list(failures(report)) == ["test_cross_entropy_stays_on_device"]
    assert "cross_entropy mixes devices (softmax_regression.py, line" in \
        failures(report)["test_cross_entropy_stays_on_device"]


def test_reading_values_keeps_full_marks_on_placement(tmp_path):
    # y[i] as an index reads a value, which the simulated GPU's tensors hold, as a GPU's do.
    submission = mistake(tmp_path, MODULE, """
    def cross_entropy(y_hat, y):
        return -torch.stack([torch.log(y_hat[i, y[i]]) for i in range(len(y))])
    """)
    for device in ("cpu", "placement"):
        assert_full_marks(grade(submission, only="cross_entropy", device=device))
