"""Public self-checks for rnn_scratch.py: run `python -m pytest` in this folder."""

import math

import torch
from rnn_scratch import grad_clipping, init_rnn_state, one_hot, predict_rnn, rnn, to_onehot


def test_one_hot_rows():
    rows = one_hot(torch.tensor([0, 2]), 3)
    assert rows.dtype == torch.float32
    assert torch.equal(rows, torch.tensor([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]]))
    # Token indices as float32, as the book's samplers make them, and another dtype.
    assert torch.equal(one_hot(torch.tensor([1.0]), 2, dtype=torch.float64),
                       torch.tensor([[0.0, 1.0]], dtype=torch.float64))


def test_to_onehot_cuts_by_time_step():
    X = torch.tensor([[0, 1, 2], [3, 4, 5]])  # 2 sequences of 3 time steps
    inputs = to_onehot(X, 6)
    assert len(inputs) == 3, "one matrix per time step, not per sequence"
    assert inputs[0].shape == (2, 6)
    assert inputs[1].argmax(dim=1).tolist() == [1, 4], "step 1 holds column 1 of X"


def test_init_rnn_state_is_a_tuple_of_zeros():
    state = init_rnn_state(2, 4, "cpu")
    assert isinstance(state, tuple) and len(state) == 1, "(H,): a tuple of one tensor"
    assert torch.equal(state[0], torch.zeros(2, 4))


def test_rnn_two_steps_by_hand():
    # One hidden unit, a vocabulary of 2: H = tanh(x @ W_xh + H @ W_hh + b_h), Y = H @ W_hq.
    params = [torch.tensor([[0.5], [-0.5]]), torch.tensor([[1.0]]), torch.zeros(1),
              torch.tensor([[1.0, -1.0]]), torch.zeros(2)]
    x = torch.tensor([[1.0, 0.0]])
    outputs, state = rnn([x, x], (torch.zeros(1, 1),), params)
    assert isinstance(outputs, list) and len(outputs) == 2
    assert isinstance(state, tuple) and len(state) == 1
    h1 = math.tanh(0.5)
    h2 = math.tanh(0.5 + h1)  # the state of step 1 enters step 2
    assert torch.allclose(outputs[0], torch.tensor([[h1, -h1]]))
    assert torch.allclose(outputs[1], torch.tensor([[h2, -h2]])), "Y from the new H"
    assert torch.allclose(state[0], torch.tensor([[h2]]))


def test_grad_clipping_uses_the_global_norm():
    a, b = torch.zeros(1, requires_grad=True), torch.zeros(1, requires_grad=True)
    a.grad, b.grad = torch.tensor([3.0]), torch.tensor([4.0])  # global norm 5
    grad_clipping([a, b], 10.0, "cpu")
    assert a.grad.tolist() == [3.0] and b.grad.tolist() == [4.0], "at most theta: unchanged"
    grad_clipping([a, b], 1.0, "cpu")
    assert torch.allclose(a.grad, torch.tensor([0.6])) and \
        torch.allclose(b.grad, torch.tensor([0.8])), "scaled by theta / norm = 1 / 5"


def test_predict_rnn_reads_the_prefix_then_writes():
    vocab = "abcde"
    states_seen = []

    def counting_rnn(inputs, state, params):
        # Predicts the character after its input in the vocabulary; counts its calls.
        states_seen.append(int(state[0]))
        index = int(inputs[-1].argmax())
        return [torch.eye(5)[[(index + 1) % 5]]], (state[0] + 1,)

    def zero_state(batch_size, num_hiddens, device):
        return (torch.zeros(()),)

    text = predict_rnn("ca", 3, counting_rnn, [], zero_state, 1, 5, "cpu", list(vocab),
                       {c: i for i, c in enumerate(vocab)})
    assert text == "cabcd", "the prefix, then 3 characters, each after the one before"
    # One call per character read (or the prefix in one call): the state carried along.
    assert states_seen == list(range(len(states_seen))), "the state carried from call to call"
