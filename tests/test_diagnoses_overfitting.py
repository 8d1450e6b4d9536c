"""The accepted ways to write dropout and the L2 penalty keep full marks: dropout is
judged by what every right mask shares, never by one draw."""

from __future__ import annotations

import pytest

from autograder.api import grade
from tests.helpers import assert_full_marks, failures, mistake
from tests.test_public_checks import assert_self_checks_pass

MODULE = "overfitting"

DROPOUTS = {
    # A mask of Bernoulli draws of keep_prob, made like X.
    "bernoulli": """
def dropout(X, drop_prob):
    keep_prob = 1 - drop_prob
    if keep_prob == 0:
        return torch.zeros_like(X)
    return torch.bernoulli(torch.full_like(X, keep_prob)) * X / keep_prob
""",
    # Dropped where a uniform draw is below drop_prob, kept elsewhere: the same law.
    "rand_like": """
def dropout(X, drop_prob):
    if drop_prob == 1:
        return X * 0
    mask = torch.rand_like(X) > drop_prob
    return torch.where(mask, X / (1 - drop_prob), torch.zeros_like(X))
""",
    # The book's, with its mask on X's device.
    "book": """
def dropout(X, drop_prob):
    X = X.float()
    assert 0 <= drop_prob <= 1
    keep_prob = 1 - drop_prob
    if keep_prob == 0:
        return torch.zeros_like(X)
    mask = (torch.rand(X.shape).to(X.device) < keep_prob).float()
    return mask * X / keep_prob
""",
}

# Masks on the CPU: right values there, named where X is on a GPU (or the simulated one).
CPU_MASKS = {
    # The book's own dropout: torch.rand(X.shape) is on the CPU whatever X's device.
    "book": ("""
def dropout(X, drop_prob):
    X = X.float()
    assert 0 <= drop_prob <= 1
    keep_prob = 1 - drop_prob
    if keep_prob == 0:
        return torch.zeros_like(X)
    mask = (torch.rand(X.shape) < keep_prob).float()
    return mask * X / keep_prob
""", "dropout combines X with a tensor made on the CPU (its mask, most likely)",
             "dropout 把 X 和一个在 CPU 上新建的张量（多半是掩码）放在一起运算"),
    "numpy": ("""
def dropout(X, drop_prob):
    import numpy as np
    keep_prob = 1 - drop_prob
    if keep_prob == 0:
        return torch.zeros_like(X)
    mask = torch.from_numpy(np.random.rand(*X.shape) < keep_prob).float()
    return mask * X / keep_prob
""", "dropout makes its mask with NumPy, and the mask meets X on another device",
              "dropout 用 NumPy 生成掩码，而掩码要和在其他设备上的 X 一起运算"),
}

PENALTIES = {
    "norm": "def l2_penalty(w):\n    return w.norm() ** 2 / 2",
    "pow": "def l2_penalty(w):\n    return torch.sum(w.pow(2)) * 0.5",
}


@pytest.mark.parametrize("source", list(DROPOUTS.values()), ids=list(DROPOUTS))
def test_an_accepted_dropout_keeps_full_marks(tmp_path, source):
    submission = mistake(tmp_path, MODULE, source)
    assert_self_checks_pass(tmp_path, submission, MODULE)
    report = grade(submission, only=f"{MODULE}.dropout", device="all")
    assert_full_marks(report)
    assert {t.device for t in report.tests} >= {"cpu", "placement"}


@pytest.mark.parametrize("source", list(PENALTIES.values()), ids=list(PENALTIES))
def test_an_accepted_penalty_keeps_full_marks(tmp_path, source):
    assert_full_marks(grade(mistake(tmp_path, MODULE, source), only=f"{MODULE}.l2_penalty",
                            device="all"))


@pytest.mark.parametrize("source, english, chinese", list(CPU_MASKS.values()),
                         ids=list(CPU_MASKS))
def test_a_mask_on_the_cpu_is_named_where_x_is_on_a_gpu(tmp_path, source, english, chinese):
    submission = mistake(tmp_path, MODULE, source)
    report = grade(submission, only=f"{MODULE}.dropout", device="all")
    failed = {(t.check, t.device) for t in report.tests if t.status == "failed"}
    assert failed == {("test_dropout_stays_on_device", "placement")}
    assert english in failures(report)["test_dropout_stays_on_device"]
    report = grade(submission, only=f"{MODULE}.dropout", device="placement", lang="zh")
    assert chinese in failures(report)["test_dropout_stays_on_device"]


def test_a_mask_of_one_draw_for_the_whole_tensor_is_caught(tmp_path):
    # Keeps all of X or none of it: each call's share is 0 or 1, never about 1 - p.
    report = grade(mistake(tmp_path, MODULE, """
def dropout(X, drop_prob):
    keep_prob = 1 - drop_prob
    if keep_prob == 0:
        return torch.zeros_like(X)
    return X / keep_prob if float(torch.rand(1)) < keep_prob else torch.zeros_like(X)
"""), only=f"{MODULE}.dropout", device="cpu")
    assert "far from the" in failures(report)["test_dropout_keep_share"]


def test_the_randn_mask_in_chinese(tmp_path):
    report = grade(mistake(tmp_path, MODULE, """
def dropout(X, drop_prob):
    keep_prob = 1 - drop_prob
    if keep_prob == 0:
        return torch.zeros_like(X)
    mask = (torch.randn(X.shape, device=X.device) < keep_prob).float()
    return mask * X / keep_prob
"""), only=f"{MODULE}.dropout", device="cpu", lang="zh")
    assert "dropout 用 torch.randn 生成掩码" in failures(report)["test_dropout_keep_share"]
