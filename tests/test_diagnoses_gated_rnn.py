"""The GRU of the book and the GRU of the course notebook both keep full marks, and the
feedback says which one the learner wrote; the accepted variants of the LSTM too."""

from __future__ import annotations

import pytest
import torch

from autograder import report as reports
from autograder.api import grade
from tests.helpers import assert_full_marks, failures, mistake
from tests.test_public_checks import assert_self_checks_pass

MODULE = "gated_rnn"

# The course notebook's GRU: the reset after the product, as nn.GRU computes it.
COURSE_GRU = """
def gru(inputs, state, params):
    W_xz, W_hz, b_z, W_xr, W_hr, b_r, W_xh, W_hh, b_h, W_hq, b_q = params
    H, = state
    outputs = []
    for X in inputs:
        Z = torch.sigmoid(torch.matmul(X, W_xz) + torch.matmul(H, W_hz) + b_z)
        R = torch.sigmoid(torch.matmul(X, W_xr) + torch.matmul(H, W_hr) + b_r)
        H_tilda = torch.tanh(torch.matmul(X, W_xh) + R * torch.matmul(H, W_hh) + b_h)
        H = Z * H + (1 - Z) * H_tilda
        Y = torch.matmul(H, W_hq) + b_q
        outputs.append(Y)
    return outputs, (H,)
"""

# The same GRU as a learner may write it: operators, another order of the terms, and
# the update written as H + (1 - Z) * (H_tilda - H).
OPERATOR_GRU = """
def gru(inputs, state, params):
    W_xz, W_hz, b_z, W_xr, W_hr, b_r, W_xh, W_hh, b_h, W_hq, b_q = params
    (H,) = state
    outputs = []
    for X in inputs:
        Z = torch.sigmoid(b_z + H @ W_hz + X @ W_xz)
        R = torch.sigmoid(b_r + H @ W_hr + X @ W_xr)
        H_tilda = torch.tanh(b_h + (R * H) @ W_hh + X @ W_xh)
        H = H + (1 - Z) * (H_tilda - H)
        outputs.append(H @ W_hq + b_q)
    return outputs, (H,)
"""

# An LSTM whose gates come from one product with the four gates' weights side by side.
FUSED_LSTM = """
def lstm(inputs, state, params):
    W_xi, W_hi, b_i, W_xf, W_hf, b_f, W_xo, W_ho, b_o, W_xc, W_hc, b_c, W_hq, b_q = params
    W_x = torch.cat([W_xi, W_xf, W_xo, W_xc], dim=1)
    W_h = torch.cat([W_hi, W_hf, W_ho, W_hc], dim=1)
    b = torch.cat([b_i, b_f, b_o, b_c])
    H, C = state
    outputs = []
    for X in inputs:
        i, f, o, c = (X @ W_x + H @ W_h + b).chunk(4, dim=1)
        C = torch.sigmoid(f) * C + torch.sigmoid(i) * torch.tanh(c)
        H = torch.sigmoid(o) * torch.tanh(C)
        outputs.append(H @ W_hq + b_q)
    return outputs, (H, C)
"""

BOOK_NOTE = "as the book writes it"
COURSE_NOTE = "as the course notebook and PyTorch's nn.GRU do"


def notes_of(report, check: str) -> list[str]:
    """The notes the feedback shows beside a test that passed."""
    return [note for t in report.tests if t.check == check for note in t.notes]


needs_notes = pytest.mark.skipif(
    "notes" not in reports.TestResult.__dataclass_fields__,
    reason="the report does not show the notes of passed tests yet")


@pytest.mark.parametrize("source", [COURSE_GRU, OPERATOR_GRU], ids=["course", "operators"])
def test_an_accepted_gru_keeps_full_marks(tmp_path, source):
    submission = mistake(tmp_path, MODULE, source)
    assert_self_checks_pass(tmp_path, submission, MODULE)
    report = grade(submission, only=f"{MODULE}.gru", device="all")
    assert_full_marks(report)
    assert {t.device for t in report.tests} >= {"cpu", "placement"}


def test_a_fused_lstm_keeps_full_marks(tmp_path):
    submission = mistake(tmp_path, MODULE, FUSED_LSTM)
    assert_self_checks_pass(tmp_path, submission, MODULE)
    assert_full_marks(grade(submission, only=f"{MODULE}.lstm", device="all"))


@needs_notes
def test_the_feedback_says_which_gru_the_learner_wrote(tmp_path):
    report = grade(mistake(tmp_path / "course", MODULE, COURSE_GRU), only=f"{MODULE}.gru",
                   device="cpu")
    assert any(COURSE_NOTE in note for note in notes_of(report, "test_gru_outputs"))
    report = grade(mistake(tmp_path / "book", MODULE, OPERATOR_GRU), only=f"{MODULE}.gru",
                   device="cpu")
    assert any(BOOK_NOTE in note for note in notes_of(report, "test_gru_outputs"))


@needs_notes
def test_the_note_on_the_gru_reads_in_chinese(tmp_path):
    report = grade(mistake(tmp_path, MODULE, COURSE_GRU), only=f"{MODULE}.gru",
                   device="cpu", lang="zh")
    assert any("与课程笔记本和 torch 的 nn.GRU 相同" in note
               for note in notes_of(report, "test_gru_outputs"))


def test_a_course_gru_with_swapped_gates_is_still_named(tmp_path):
    source = COURSE_GRU.replace("H = Z * H + (1 - Z) * H_tilda", "H = (1 - Z) * H + Z * H_tilda")
    report = grade(mistake(tmp_path, MODULE, source), only=f"{MODULE}.gru", device="cpu")
    assert "gru swaps Z and 1 - Z in the update" in failures(report)["test_gru_outputs"]


def test_an_lstm_returning_c_h_is_told_the_order(tmp_path):
    source = FUSED_LSTM.replace("return outputs, (H, C)", "return outputs, (C, H)")
    report = grade(mistake(tmp_path, MODULE, source), only=f"{MODULE}.lstm", device="cpu")
    failed = failures(report)
    assert list(failed) == ["test_lstm_state"]
    assert "the order is (H, C)" in failed["test_lstm_state"]


@pytest.mark.parametrize("source, key", [(COURSE_GRU, "gru.form.course"),
                                         (OPERATOR_GRU, "gru.form.book")],
                         ids=["course", "book"])
def test_the_feedback_page_draws_the_gru_over_its_own_form_and_names_it(tmp_path, source, key):
    report = grade(mistake(tmp_path, MODULE, source), only=f"{MODULE}.gru", device="cpu",
                   pictures=True)
    panel = next(p for p in report.pictures.sections[MODULE] if p.name == "gated_rnn.gru")
    assert [note.key for note in panel.notes] == [key]
    assert panel.problem is None
    assert torch.allclose(torch.tensor(panel.yours["h"]), torch.tensor(panel.book["h"]),
                          atol=1e-5)
