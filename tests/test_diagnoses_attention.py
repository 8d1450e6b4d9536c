"""Attention: the course notebook's code and the book's keep their marks.

The classic mistakes are declared in exercises/attention/unit.py (MISTAKES) and graded
with the other units'; here are the accepted variants, which no mistake covers.
"""

from __future__ import annotations

import textwrap

from autograder.api import grade
from tests.helpers import assert_full_marks, copy_solutions, failures, mistake

# The course's notebook (Task04), as the study group ran it: SequenceMask on a float
# arange, valid_length through NumPy (with a fallback through the CPU), an MLPAttention
# without tanh whose W_k projects the query, and the Transformer notebook's heads by view.
COURSE = '''
import math
import torch
import torch.nn as nn


def SequenceMask(X, X_len,value=-1e6):
    maxlen = X.size(1)
    mask = torch.arange((maxlen),dtype=torch.float)[None, :] >= X_len[:, None]
    X[mask]=value
    return X


def masked_softmax(X, valid_length):
    # X: 3-D tensor, valid_length: 1-D or 2-D tensor
    softmax = nn.Softmax(dim=-1)
    if valid_length is None:
        return softmax(X)
    else:
        shape = X.shape
        if valid_length.dim() == 1:
            try:
                valid_length = torch.FloatTensor(valid_length.numpy().repeat(shape[1], axis=0))
            except:  # noqa: E722
                valid_length = torch.FloatTensor(
                    valid_length.cpu().numpy().repeat(shape[1], axis=0))
        else:
            valid_length = valid_length.reshape((-1,))
        X = SequenceMask(X.reshape((-1, shape[-1])), valid_length)
        return softmax(X).reshape(shape)


class DotProductAttention(nn.Module):
    def __init__(self, dropout, **kwargs):
        super(DotProductAttention, self).__init__(**kwargs)
        self.dropout = nn.Dropout(dropout)

    def forward(self, query, key, value, valid_length=None):
        d = query.shape[-1]
        scores = torch.bmm(query, key.transpose(1,2)) / math.sqrt(d)
        attention_weights = self.dropout(masked_softmax(scores, valid_length))
        print("attention_weight\\n",attention_weights)
        return torch.bmm(attention_weights, value)


class MLPAttention(nn.Module):
    def __init__(self, units,ipt_dim,dropout, **kwargs):
        super(MLPAttention, self).__init__(**kwargs)
        self.W_k = nn.Linear(ipt_dim, units, bias=False)
        self.W_q = nn.Linear(ipt_dim, units, bias=False)
        self.v = nn.Linear(units, 1, bias=False)
        self.dropout = nn.Dropout(dropout)

    def forward(self, query, key, value, valid_length):
        query, key = self.W_k(query), self.W_q(key)
        features = query.unsqueeze(2) + key.unsqueeze(1)
        scores = self.v(features).squeeze(-1)
        attention_weights = self.dropout(masked_softmax(scores, valid_length))
        return torch.bmm(attention_weights, value)


def transpose_qkv(X, num_heads):
    X = X.view(X.shape[0], X.shape[1], num_heads, -1)
    X = X.transpose(2, 1).contiguous()
    output = X.view(-1, X.shape[2], X.shape[3])
    return output


def transpose_output(X, num_heads):
    X = X.view(-1, num_heads, X.shape[1], X.shape[2])
    X = X.transpose(2, 1).contiguous()
    return X.view(X.shape[0], X.shape[1], -1)
'''


def test_the_course_notebooks_code_loses_only_its_mask_on_the_cpu(tmp_path):
    # Its SequenceMask compares a CPU arange with lengths on the GPU: that one placement
    # test fails, and every other function, the course's MLPAttention included, keeps
    # its marks (masked_softmax's lengths through the CPU are accepted).
    folder = copy_solutions(tmp_path / "submission")
    (folder / "attention.py").write_text(textwrap.dedent(COURSE).lstrip())
    report = grade(folder, only="attention", device="all")
    failed = failures(report)
    assert list(failed) == ["test_sequence_mask_stays_on_device"]
    assert "SequenceMask builds its mask on the CPU" in failed["test_sequence_mask_stays_on_device"]
    assert report.score == report.max_score - 0.25


def test_an_mlp_attention_in_the_books_form_with_its_own_names_gets_full_marks(tmp_path):
    # v(tanh(...)) with the layers named and applied in another way, by nn.Parameter.
    report = grade(mistake(tmp_path, "attention", """
    class MLPAttention(nn.Module):
        def __init__(self, units, ipt_dim, dropout, **kwargs):
            super().__init__(**kwargs)
            self.query_proj = nn.Parameter(torch.randn(ipt_dim, units) * 0.5)
            self.key_proj = nn.Parameter(torch.randn(ipt_dim, units) * 0.5)
            self.score = nn.Parameter(torch.randn(units))
            self.dropout = nn.Dropout(dropout)

        def forward(self, query, key, value, valid_length=None):
            features = torch.tanh((query @ self.query_proj).unsqueeze(2)
                                  + (key @ self.key_proj).unsqueeze(1))
            scores = features @ self.score
            return torch.bmm(self.dropout(masked_softmax(scores, valid_length)), value)
    """), only="MLPAttention", device="cpu")
    assert_full_marks(report)


# Mistakes that show only on a GPU (here the simulated one), which the units' generic
# test of MISTAKES, graded on the CPU, cannot see.


def test_a_mask_on_the_cpu_is_named(tmp_path):
    report = grade(mistake(tmp_path, "attention", """
    def SequenceMask(X, X_len, value=-1e6):
        maxlen = X.size(1)
        mask = torch.arange((maxlen), dtype=torch.float)[None, :] >= X_len[:, None]
        X[mask] = value
        return X
    """), only="attention", device="all")
    failed = failures(report)
    assert list(failed) == ["test_sequence_mask_stays_on_device"]
    assert "torch.arange(maxlen, device=X.device)" in failed["test_sequence_mask_stays_on_device"]


def test_valid_length_through_numpy_is_named(tmp_path):
    # The course's masked_softmax without its fallback through the CPU.
    report = grade(mistake(tmp_path, "attention", """
    def masked_softmax(X, valid_length):
        softmax = nn.Softmax(dim=-1)
        if valid_length is None:
            return softmax(X)
        shape = X.shape
        if valid_length.dim() == 1:
            valid_length = torch.FloatTensor(valid_length.numpy().repeat(shape[1], axis=0))
        else:
            valid_length = valid_length.reshape((-1,))
        X = SequenceMask(X.reshape((-1, shape[-1])), valid_length)
        return softmax(X).reshape(shape)
    """), only="attention", device="all")
    failed = failures(report)
    assert list(failed) == ["test_masked_softmax_stays_on_device"]
    assert "calls .numpy() on valid_length" in failed["test_masked_softmax_stays_on_device"]


def test_a_mask_on_the_cpu_is_named_in_chinese(tmp_path):
    report = grade(mistake(tmp_path, "attention", """
    def SequenceMask(X, X_len, value=-1e6):
        mask = torch.arange(X.size(1))[None, :] >= X_len[:, None]
        X[mask] = value
        return X
    """), only="SequenceMask", device="placement", lang="zh")
    assert "在 CPU 上创建了掩码" in failures(report)["test_sequence_mask_stays_on_device"]


def test_the_feedback_page_says_which_form_of_mlp_attention_was_written(tmp_path):
    folder = copy_solutions(tmp_path / "submission")
    (folder / "attention.py").write_text(textwrap.dedent(COURSE).lstrip())
    course = grade(folder, only="MLPAttention", device="cpu", pictures=True)
    book = grade(copy_solutions(tmp_path / "book"), only="MLPAttention", device="cpu",
                 pictures=True)
    for report, form in ((course, "course"), (book, "book")):
        (panel,) = [p for p in report.pictures.sections["attention"]
                    if p.name == "attention.MLPAttention"]
        assert [note.key for note in panel.notes] == [f"feedback.attention.form_{form}"]
