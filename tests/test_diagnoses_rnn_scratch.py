"""rnn_scratch: the book's code and other accepted variants keep their marks, and a mistake
in one function costs that function alone (predict_rnn is judged with the book's rnn)."""

from __future__ import annotations

import textwrap
from typing import Any

import pytest

from autograder.api import grade
from tests import helpers
from tests.helpers import assert_full_marks, copy_solutions, failures

MODULE = "rnn_scratch"
HUGE = 100_000

# The book's code (d2lzh_pytorch, section 6.4, and its notebook), as printed there.
BOOK = '''
import torch


def one_hot(x, n_class, dtype=torch.float32):
    # X shape: (batch), output shape: (batch, n_class)
    x = x.long()
    res = torch.zeros(x.shape[0], n_class, dtype=dtype, device=x.device)
    res.scatter_(1, x.view(-1, 1), 1)
    return res

def to_onehot(X, n_class):
    # X shape: (batch, seq_len), output: seq_len elements of (batch, n_class)
    return [one_hot(X[:, i], n_class) for i in range(X.shape[1])]

def init_rnn_state(batch_size, num_hiddens, device):
    return (torch.zeros((batch_size, num_hiddens), device=device), )

def rnn(inputs, state, params):
    # inputs和outputs皆为num_steps个形状为(batch_size, vocab_size)的矩阵
    W_xh, W_hh, b_h, W_hq, b_q = params
    H, = state
    outputs = []
    for X in inputs:
        H = torch.tanh(torch.matmul(X, W_xh) + torch.matmul(H, W_hh) + b_h)
        Y = torch.matmul(H, W_hq) + b_q
        outputs.append(Y)
    return outputs, (H,)

def predict_rnn(prefix, num_chars, rnn, params, init_rnn_state,
                num_hiddens, vocab_size, device, idx_to_char, char_to_idx):
    state = init_rnn_state(1, num_hiddens, device)
    output = [char_to_idx[prefix[0]]]
    for t in range(num_chars + len(prefix) - 1):
        # 将上一时间步的输出作为当前时间步的输入
        X = to_onehot(torch.tensor([[output[-1]]], device=device), vocab_size)
        # 计算输出和更新隐藏状态
        (Y, state) = rnn(X, state, params)
        # 下一个时间步的输入是prefix里的字符或者当前的最佳预测字符
        if t < len(prefix) - 1:
            output.append(char_to_idx[prefix[t + 1]])
        else:
            output.append(int(Y[0].argmax(dim=1).item()))
    return ''.join([idx_to_char[i] for i in output])

def grad_clipping(params, theta, device):
    norm = torch.tensor([0.0], device=device)
    for param in params:
        norm += (param.grad.data ** 2).sum()
    norm = norm.sqrt().item()
    if norm > theta:
        for param in params:
            param.grad.data *= (theta / norm)
'''


def graded(tmp_path, source: str, only: str, device: str = "all", lang: str = "en"):
    return helpers.graded(tmp_path, MODULE, source, f"{MODULE}.{only}", device=device,
                          lang=lang)


def test_the_books_code_gets_full_marks(tmp_path):
    folder = copy_solutions(tmp_path / "submission")
    (folder / f"{MODULE}.py").write_text(BOOK)
    assert_full_marks(grade(folder, only=MODULE))


def test_one_hot_through_torch_functional(tmp_path):
    assert_full_marks(graded(tmp_path, """
    def one_hot(x, n_class, dtype=torch.float32):
        return torch.nn.functional.one_hot(x.long(), n_class).to(dtype)
    """, "one_hot"))


def test_to_onehot_over_the_transpose(tmp_path):
    assert_full_marks(graded(tmp_path, """
    def to_onehot(X, n_class):
        return [one_hot(column, n_class) for column in X.T]
    """, "to_onehot"))


def test_rnn_with_the_matmul_operator_and_a_tuple_of_outputs(tmp_path):
    assert_full_marks(graded(tmp_path, """
    def rnn(inputs, state, params):
        W_xh, W_hh, b_h, W_hq, b_q = params
        (H,) = state
        outputs = ()
        for X in inputs:
            H = torch.tanh(X @ W_xh + H @ W_hh + b_h)
            outputs += (H @ W_hq + b_q,)
        return outputs, (H,)
    """, "rnn"))


def test_grad_clipping_assigning_scaled_gradients(tmp_path):
    assert_full_marks(graded(tmp_path, """
    def grad_clipping(params, theta, device):
        norm = torch.sqrt(sum((p.grad ** 2).sum() for p in params))
        if norm > theta:
            for p in params:
                p.grad = p.grad * (theta / norm)
    """, "grad_clipping"))


def test_grad_clipping_with_pytorchs_clip_grad_norm(tmp_path):
    assert_full_marks(graded(tmp_path, """
    def grad_clipping(params, theta, device):
        torch.nn.utils.clip_grad_norm_(params, theta)
    """, "grad_clipping"))


def test_predict_rnn_reading_the_prefix_in_one_call(tmp_path):
    assert_full_marks(graded(tmp_path, """
    def predict_rnn(prefix, num_chars, rnn, params, init_rnn_state,
                    num_hiddens, vocab_size, device, idx_to_char, char_to_idx):
        state = init_rnn_state(1, num_hiddens, device)
        output = [char_to_idx[c] for c in prefix]
        if len(prefix) > 1:
            X = to_onehot(torch.tensor([output[:-1]], device=device), vocab_size)
            _, state = rnn(X, state, params)
        for _ in range(num_chars):
            X = to_onehot(torch.tensor([[output[-1]]], device=device), vocab_size)
            Y, state = rnn(X, state, params)
            output.append(int(Y[0].argmax(dim=1).item()))
        return "".join(idx_to_char[i] for i in output)
    """, "predict_rnn"))


def test_a_wrong_rnn_costs_rnn_alone(tmp_path):
    # relu for tanh: rnn fails, and predict_rnn, judged with the book's rnn, keeps its
    # marks; its run with the learner's own rnn is judged for consistency only.
    report = graded(tmp_path, """
    def rnn(inputs, state, params):
        W_xh, W_hh, b_h, W_hq, b_q = params
        H, = state
        outputs = []
        for X in inputs:
            H = torch.relu(torch.matmul(X, W_xh) + torch.matmul(H, W_hh) + b_h)
            outputs.append(torch.matmul(H, W_hq) + b_q)
        return outputs, (H,)
    """, "predict_rnn")
    assert_full_marks(report)


def test_a_crashing_rnn_and_a_wrong_one_hot_cost_predict_rnn_nothing(tmp_path):
    folder = helpers.mistake(tmp_path, MODULE, """
    def rnn(inputs, state, params):
        raise ValueError("not yet")
    """)
    helpers.with_function(folder, MODULE, """
    def one_hot(x, n_class, dtype=torch.float32):
        return torch.nn.functional.one_hot(x.long(), n_class)
    """)
    assert_full_marks(grade(folder, only=f"{MODULE}.predict_rnn"))


def test_a_diagnosis_in_chinese(tmp_path):
    report = graded(tmp_path, """
    def to_onehot(X, n_class):
        return [one_hot(X[i], n_class) for i in range(X.shape[0])]
    """, "to_onehot", device="cpu", lang="zh")
    assert "to_onehot 按序列（行）切分 X" in failures(report)["test_to_onehot_values"]


def test_an_rnn_returning_a_bare_state_costs_predict_rnn_nothing(tmp_path):
    # Its state is no tuple: the own-rnn run cannot judge predict_rnn, and does not.
    assert_full_marks(graded(tmp_path, """
    def rnn(inputs, state, params):
        W_xh, W_hh, b_h, W_hq, b_q = params
        H, = state
        outputs = []
        for X in inputs:
            H = torch.tanh(torch.matmul(X, W_xh) + torch.matmul(H, W_hh) + b_h)
            outputs.append(torch.matmul(H, W_hq) + b_q)
        return outputs, H
    """, "predict_rnn"))


# -- the feedback page's pictures -----------------------------------------------------


def panels(report) -> dict[str, Any]:
    return {panel.name: panel for panel in report.pictures.sections[MODULE]}


def test_the_references_pictures_are_the_books(tmp_path):
    report = grade(copy_solutions(tmp_path / "submission"), only=MODULE, device="cpu",
                   pictures=True)
    found = panels(report)
    training, clipping = found["rnn_scratch.training"], found["rnn_scratch.grad_clipping"]
    assert training.problem is None and clipping.problem is None
    assert training.yours["perplexity"] == pytest.approx(training.book["perplexity"],
                                                         rel=1e-4)
    # Training makes the model better than a uniform guess over the vocabulary.
    assert training.book["perplexity"][-1] < 0.7 * training.book["perplexity"][0]
    assert training.yours["text"] == training.book["text"]
    assert training.yours["text"].startswith("the time ")
    assert clipping.yours["after"] == pytest.approx(clipping.book["after"], rel=1e-5)


def test_a_failed_grad_clipping_is_the_books_in_the_training_run(tmp_path):
    # Per-parameter clipping fails its tests: the curve shows the learner's rnn with the
    # book's clipping, and the clipping picture shows the learner's own.
    report = grade(helpers.mistake(tmp_path, MODULE, """
    def grad_clipping(params, theta, device):
        for param in params:
            norm = param.grad.data.norm().item()
            if norm > theta:
                param.grad.data *= theta / norm
    """), only=MODULE, device="cpu", pictures=True)
    found = panels(report)
    training, clipping = found["rnn_scratch.training"], found["rnn_scratch.grad_clipping"]
    assert training.yours["trusted"] == ["grad_clipping"]
    assert training.yours["perplexity"] == pytest.approx(training.book["perplexity"],
                                                         rel=1e-4)
    theta = 1.0
    above = [after for before, after in zip(clipping.book["before"], clipping.yours["after"])
             if before > theta]
    assert all(after > theta * 1.01 for after in above)


ATTACK = f"""

from autograder import harness as _harness

_honest = _harness.PROCEDURES["rnn_scratch.training"]


def _attacking(module, function, **arguments):
    result = _honest(module, function, **arguments)
    result["losses"] = result["losses"] * {HUGE // 10}
    result["text"] = "x" * {HUGE * 10}
    return result


_harness.PROCEDURES["rnn_scratch.training"] = _attacking
"""


def test_what_a_worker_sends_for_the_training_picture_is_cut(tmp_path):
    folder = copy_solutions(tmp_path / "submission")
    path = folder / f"{MODULE}.py"
    path.write_text(path.read_text() + textwrap.dedent(ATTACK))
    training = panels(grade(folder, only=MODULE, device="cpu",
                            pictures=True))["rnn_scratch.training"]
    assert training.problem is None
    assert len(training.yours["perplexity"]) == len(training.book["perplexity"])
    assert len(training.yours["text"]) < 200
