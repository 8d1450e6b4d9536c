"""Public self-checks for gated_rnn.py: run `python -m pytest` in this folder."""

import math

import torch
from gated_rnn import gru, init_gru_state, init_lstm_state, lstm

VOCAB, HIDDENS = 3, 2


def params_with(count: int, biases: dict[int, float]) -> list[torch.Tensor]:
    """count - 2 gate parameters (W_x*, W_h*, b_* repeated) all zero but the biases named
    by their position, then W_hq of ones and b_q of zeros."""
    params = []
    for i in range(count - 2):
        shape = [(VOCAB, HIDDENS), (HIDDENS, HIDDENS), (HIDDENS,)][i % 3]
        params.append(torch.full(shape, biases.get(i, 0.0)))
    return params + [torch.ones(HIDDENS, VOCAB), torch.zeros(VOCAB)]


def test_init_gru_state():
    state = init_gru_state(2, 4, "cpu")
    assert isinstance(state, tuple) and len(state) == 1, "a tuple (H,)"
    assert torch.equal(state[0], torch.zeros(2, 4))


def test_gru_gates_by_hand():
    # With zero weights, Z = sigmoid(b_z) = sigmoid(ln 3) = 3/4 and the candidate is
    # tanh(b_h) = tanh(ln 2) = 3/5, so each step gives H = 3/4 H + 1/4 * 3/5.
    params = params_with(11, {2: math.log(3), 8: math.log(2)})
    inputs = [torch.ones(1, VOCAB), torch.ones(1, VOCAB)]
    outputs, state = gru(inputs, (torch.ones(1, HIDDENS),), params)
    assert isinstance(state, tuple) and len(state) == 1
    assert len(outputs) == 2 and outputs[0].shape == (1, VOCAB)
    # H1 = 0.75 + 0.15 = 0.9, H2 = 0.675 + 0.15 = 0.825; Y = H @ ones(2, 3) = 2 H.
    assert torch.allclose(outputs[0], torch.full((1, VOCAB), 1.8))
    assert torch.allclose(outputs[1], torch.full((1, VOCAB), 1.65))
    assert torch.allclose(state[0], torch.full((1, HIDDENS), 0.825))


def test_init_lstm_state():
    state = init_lstm_state(2, 4, "cpu")
    assert isinstance(state, tuple) and len(state) == 2, "a tuple (H, C)"
    assert all(torch.equal(s, torch.zeros(2, 4)) for s in state)


def test_lstm_gates_by_hand():
    # With zero weights, every gate is sigmoid(ln 3) = 3/4 and the candidate cell is
    # tanh(ln 2) = 3/5: C = 3/4 C + 3/4 * 3/5 and H = 3/4 tanh(C).
    params = params_with(14, {2: math.log(3), 5: math.log(3), 8: math.log(3),
                              11: math.log(2)})
    inputs = [torch.ones(1, VOCAB), torch.ones(1, VOCAB)]
    H0, C0 = torch.zeros(1, HIDDENS), torch.ones(1, HIDDENS)
    outputs, state = lstm(inputs, (H0, C0), params)
    assert isinstance(state, tuple) and len(state) == 2, "returns (H, C)"
    H, C = state
    # C1 = 0.75 + 0.45 = 1.2, C2 = 0.9 + 0.45 = 1.35.
    assert torch.allclose(C, torch.full((1, HIDDENS), 1.35))
    assert torch.allclose(H, torch.full((1, HIDDENS), 0.75 * math.tanh(1.35)))
    assert len(outputs) == 2
    assert torch.allclose(outputs[0], torch.full((1, VOCAB), 2 * 0.75 * math.tanh(1.2)))
