"""Each classic activation mistake is diagnosed; the book's variants keep their marks."""

from __future__ import annotations

import pytest

from autograder.api import grade
from tests import helpers
from tests.helpers import assert_full_marks, failures, mistake
from tests.test_messages import english_words
from tests.test_public_checks import assert_self_checks_pass, released_folder, run_pytest

MODULE = "activations"


def graded(tmp_path, source: str, function: str, device: str = "cpu", lang: str = "en"):
    return helpers.graded(tmp_path, MODULE, source, function, device=device, lang=lang)


def test_sigmoid_with_a_flipped_sign(tmp_path):
    report = graded(tmp_path, """
    def sigmoid(X):
        return 1 / (1 + torch.exp(X))
    """, "sigmoid")
    assert "sigmoid returns sigmoid(-x) instead of sigmoid(x): a sign is flipped" in \
        failures(report)["test_sigmoid_values"]


def test_sigmoid_with_a_flipped_sign_in_chinese(tmp_path):
    report = graded(tmp_path, """
    def sigmoid(X):
        return 1 / (1 + torch.exp(X))
    """, "sigmoid", lang="zh")
    assert "有一个符号写反了" in failures(report)["test_sigmoid_values"]


def test_tanh_of_half_the_argument(tmp_path):
    report = graded(tmp_path, """
    def tanh(X):
        return (1 - torch.exp(-X)) / (1 + torch.exp(-X))
    """, "tanh")
    assert "tanh returns tanh(x / 2)" in failures(report)["test_tanh_values"]


def test_naive_sigmoid_loses_only_the_stability_test(tmp_path):
    # Its values survive x = -1000 (1 / inf = 0), but the gradient is 0 * inf = nan.
    report = graded(tmp_path, """
    def sigmoid(X):
        return 1 / (1 + torch.exp(-X))
    """, "sigmoid")
    failed = failures(report)
    assert list(failed) == ["test_sigmoid_stable"]
    assert "sigmoid gives nan or inf gradients for large |x|" in failed["test_sigmoid_stable"]
    assert report.score == pytest.approx(report.max_score - 0.2)


def test_sigmoid_with_torch_where_over_overflowing_branches(tmp_path):
    # Right values everywhere, but where() backpropagates through the unused branch.
    report = graded(tmp_path, """
    def sigmoid(X):
        return torch.where(X >= 0, 1 / (1 + torch.exp(-X)), torch.exp(X) / (1 + torch.exp(X)))
    """, "sigmoid")
    failed = failures(report)
    assert list(failed) == ["test_sigmoid_stable"]
    assert "gradients for large |x|" in failed["test_sigmoid_stable"]
    assert "torch.where evaluates both branches" in failed["test_sigmoid_stable"]


def test_naive_tanh_overflows_in_its_values(tmp_path):
    report = graded(tmp_path, """
    def tanh(X):
        return (torch.exp(X) - torch.exp(-X)) / (torch.exp(X) + torch.exp(-X))
    """, "tanh")
    failed = failures(report)
    assert list(failed) == ["test_tanh_stable"]
    assert "tanh gives nan or inf values for large |x|" in failed["test_tanh_stable"]


def test_naive_tanh_overflow_in_chinese(tmp_path):
    report = graded(tmp_path, """
    def tanh(X):
        return (torch.exp(X) - torch.exp(-X)) / (torch.exp(X) + torch.exp(-X))
    """, "tanh", lang="zh")
    assert "tanh 的函数值出现 nan 或 inf" in failures(report)["test_tanh_stable"]


def test_relu_modifying_its_input(tmp_path):
    report = graded(tmp_path, """
    def relu(X):
        X[X < 0] = 0
        return X
    """, "relu")
    assert "relu modified its input X in place" in failures(report)["test_relu_values"]


def test_relu_cut_off_from_autograd(tmp_path):
    report = graded(tmp_path, """
    def relu(X):
        return torch.where(X > 0, X, torch.zeros_like(X)).detach()
    """, "relu")
    failed = failures(report)
    assert list(failed) == ["test_relu_gradient"]
    assert "not connected to X in autograd's graph" in failed["test_relu_gradient"]


def test_relu_through_numpy(tmp_path):
    report = graded(tmp_path, """
    def relu(X):
        return torch.from_numpy(X.numpy().clip(min=0))
    """, "relu")
    failed = failures(report)
    assert list(failed) == ["test_relu_gradient"]
    assert "relu calls .numpy() on a tensor that autograd tracks (activations.py, line" in \
        failed["test_relu_gradient"]


def test_sigmoid_with_a_wrong_gradient(tmp_path):
    # Right values; the gradient is 0 because exp sees a detached X.
    report = graded(tmp_path, """
    def sigmoid(X):
        z = torch.exp(-X.abs().detach())
        return torch.where(X >= 0, 1 / (1 + z), z / (1 + z)) + 0 * X
    """, "sigmoid")
    failed = failures(report)
    assert list(failed) == ["test_sigmoid_gradient", "test_sigmoid_stable"]
    assert "The gradient of sigmoid (X.grad) has wrong values" in failed["test_sigmoid_gradient"]


@pytest.mark.parametrize("function, source, name", [
    ("relu", "def relu(X):\n    return torch.relu(X)", "torch.relu"),
    ("relu", "def relu(X):\n    return X.clamp(min=0)", "torch.Tensor.clamp"),
    ("relu", "def relu(X):\n    return torch.nn.functional.relu(X)",
     "torch.nn.functional.relu"),
    ("relu", "def relu(X):\n    return torch.nn.ReLU()(X)", "torch.nn.functional.relu"),
    ("sigmoid", "def sigmoid(X):\n    return torch.sigmoid(X)", "torch.sigmoid"),
    ("sigmoid", "def sigmoid(X):\n    return torch.special.expit(X)", "torch.special.expit"),
    ("tanh", "def tanh(X):\n    return X.tanh()", "torch.Tensor.tanh"),
    ("tanh", "def tanh(X):\n    return torch.ops.aten.tanh(X)", "torch.ops.aten.tanh"),
], ids=["torch.relu", "clamp", "F.relu", "nn.ReLU", "torch.sigmoid", "expit", "Tensor.tanh",
        "aten.tanh"])
def test_calling_the_builtin_loses_only_its_own_test(tmp_path, function, source, name):
    report = graded(tmp_path, source, function)
    failed = failures(report)
    assert list(failed) == [f"test_{function}_not_builtin"], failed
    assert f"{function} calls {name}: the exercise rules out PyTorch's built-in" in \
        failed[f"test_{function}_not_builtin"]
    assert report.score == pytest.approx(report.max_score - 0.1)


@pytest.mark.parametrize("source", [
    # d2lzh: torch.max against a 0-dim zero; its gradient at exactly 0 is 0.5, never graded.
    "def relu(X):\n    return torch.max(input=X, other=torch.tensor(0.0))",
    "def relu(X):\n    return X * (X > 0)",
    "def relu(X):\n    return (X + X.abs()) / 2",
    # The gradient at the kink: 0.5 above, 0 for the mask, 1 here; all are accepted.
    "def relu(X):\n    return torch.where(X >= 0, X, torch.zeros_like(X))",
], ids=["d2lzh-max", "mask", "abs", "where-at-or-above-0"])
def test_relu_accepted_variants_keep_full_marks(tmp_path, source):
    submission = mistake(tmp_path, MODULE, source)
    for device in ("cpu", "placement"):
        assert_full_marks(grade(submission, only="relu", device=device))
    assert_self_checks_pass(tmp_path, submission, MODULE)


def test_tanh_from_a_stable_sigmoid_keeps_full_marks(tmp_path):
    submission = mistake(tmp_path, MODULE, "def tanh(X):\n    return 2 * sigmoid(2 * X) - 1")
    assert_full_marks(grade(submission, only="tanh", device="cpu"))


# -- the gradient at x = 0 -----------------------------------------------------------------


@pytest.mark.parametrize("function, source", [
    ("tanh", """
    def tanh(X):
        e = torch.exp(-2 * X.abs())
        return torch.sign(X) * (1 - e) / (1 + e)
    """),
    ("tanh", """
    def tanh(X):
        e = torch.exp(-2 * X.abs())
        t = (1 - e) / (1 + e)
        return torch.where(X >= 0, t, -t)
    """),
    ("sigmoid", """
    def sigmoid(X):
        z = torch.exp(-X.abs())
        return torch.where(X >= 0, 1 / (1 + z), z / (1 + z))
    """),
], ids=["tanh-sign", "tanh-abs", "sigmoid-abs"])
def test_a_zero_gradient_at_zero_is_diagnosed(tmp_path, function, source):
    report = graded(tmp_path, source, function)
    failed = failures(report)
    assert list(failed) == [f"test_{function}_gradient"], failed
    message = failed[f"test_{function}_gradient"]
    assert f"{function}'s gradient at x = 0 is 0, but the true derivative there is" in message
    assert "In PyTorch sign(x) has gradient 0 everywhere" in message
    assert "torch.where(x >= 0, -x, x)" in message


NAIVE_TANH = """
def tanh(X):
    return (1 - torch.exp(-2 * X)) / (1 + torch.exp(-2 * X))
"""
# What the first hint asks for, written with torch.where throughout.
TANH_AS_HINTED = """
def tanh(X):
    n = torch.where(X >= 0, -X, X)
    e = torch.exp(2 * n)
    t = (1 - e) / (1 + e)
    return torch.where(X >= 0, t, -t)
"""
SIGMOID_AS_HINTED = """
def sigmoid(X):
    z = torch.exp(torch.where(X >= 0, -X, X))
    return torch.where(X >= 0, 1 / (1 + z), z / (1 + z))
"""


@pytest.mark.parametrize("lang, warning", [
    ("en", "not with abs() or sign(x) * t: their gradient is 0 at x = 0"),
    ("zh", "不要用 abs() 或 sign(x) * t：它们在 x = 0 处的梯度是 0"),
])
def test_the_overflow_hint_leads_past_the_gradient_at_zero(tmp_path, lang, warning):
    report = graded(tmp_path, NAIVE_TANH, "tanh", lang=lang)
    failed = failures(report)
    assert list(failed) == ["test_tanh_stable"]
    assert [t.diagnosis for t in report.tests if t.status == "failed"] == ["tanh.overflow"]
    assert "torch.where(x >= 0, t, -t)" in failed["test_tanh_stable"]
    assert warning in failed["test_tanh_stable"]


def test_the_sign_based_tanh_gets_the_gradient_diagnosis_and_fails_its_self_check(tmp_path):
    submission = mistake(tmp_path, MODULE, """
    def tanh(X):
        e = torch.exp(-2 * X.abs())
        return torch.sign(X) * (1 - e) / (1 + e)
    """)
    report = grade(submission, only="tanh", device="cpu")
    assert {t.check: t.diagnosis for t in report.tests if t.status == "failed"} == \
        {"test_tanh_gradient": "activation.zero_gradient_at_zero"}
    result = run_pytest(released_folder(tmp_path / "released", submission),
                        "test_activations.py")
    assert result.returncode == 1 and "test_gradients_at_zero" in result.stdout


def test_following_the_hints_gives_full_marks_and_passes_the_self_checks(tmp_path):
    submission = helpers.with_function(mistake(tmp_path, MODULE, TANH_AS_HINTED), MODULE,
                                       SIGMOID_AS_HINTED)
    assert_full_marks(grade(submission, only=MODULE, device="cpu"))
    assert_self_checks_pass(tmp_path, submission, MODULE)


def test_a_zero_gradient_at_zero_in_chinese_without_english(tmp_path):
    report = graded(tmp_path, """
    def tanh(X):
        e = torch.exp(-2 * X.abs())
        return torch.sign(X) * (1 - e) / (1 + e)
    """, "tanh", lang="zh")
    message = failures(report)["test_tanh_gradient"]
    assert "tanh 在 x = 0 处的梯度是 0，但那里真正的导数是 1 - tanh(0) ** 2 = 1" in message
    assert english_words(message) == []


def test_a_wrong_gradient_in_chinese_without_english(tmp_path):
    report = graded(tmp_path, """
    def sigmoid(X):
        z = torch.exp(-X.abs().detach())
        return torch.where(X >= 0, 1 / (1 + z), z / (1 + z)) + 0 * X
    """, "sigmoid", lang="zh")
    message = failures(report)["test_sigmoid_gradient"]
    assert "sigmoid 的梯度（X.grad）的数值错误" in message
    assert english_words(message) == []


def test_a_mistake_of_values_costs_placement_too(tmp_path):
    submission = mistake(tmp_path, MODULE, "def tanh(X):\n    return 2 * sigmoid(X) - 1")
    assert failures(grade(submission, only="tanh", device="cpu"))
    report = grade(submission, only="tanh", device="placement")
    assert [t.diagnosis for t in report.tests] == ["placement.wrong_values"]
    assert report.score == 0
