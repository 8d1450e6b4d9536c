"""Public self-checks for optimizers.py: run `python -m pytest` in this folder."""

import math

import pytest
import torch
from optimizers import (
    adadelta,
    adagrad,
    adam,
    init_adadelta_states,
    init_adagrad_states,
    init_adam_states,
    init_momentum_states,
    init_rmsprop_states,
    rmsprop,
    sgd_momentum,
)


def params_with_gradients():
    w = torch.tensor([[1.0]], requires_grad=True)
    b = torch.tensor([0.0], requires_grad=True)
    w.grad, b.grad = torch.tensor([[2.0]]), torch.tensor([1.0])
    return w, b


def test_states_are_zeros_shaped_like_w_and_b():
    features = torch.ones(10, 3)
    for init in (init_momentum_states, init_adagrad_states, init_rmsprop_states):
        first, second = init(features)
        assert first.shape == (3, 1) and second.shape == (1,), init.__name__
        assert not first.any() and not second.any(), init.__name__
    for init in (init_adadelta_states, init_adam_states):
        (w_1, w_2), (b_1, b_2) = init(features)
        assert w_1.shape == w_2.shape == (3, 1) and b_1.shape == b_2.shape == (1,)
        assert w_1.dtype == torch.float32, init.__name__


def test_momentum_keeps_its_velocity_between_steps():
    w, b = params_with_gradients()
    states = init_momentum_states(torch.ones(4, 1))
    for _ in range(2):  # v = 0.2, then 0.5 * 0.2 + 0.2 = 0.3
        sgd_momentum([w, b], states, {'lr': 0.1, 'momentum': 0.5})
    assert w.item() == pytest.approx(0.5)
    assert w.is_leaf and w.requires_grad


def test_adagrad_divides_by_the_root_of_the_summed_squares():
    w, b = params_with_gradients()
    states = init_adagrad_states(torch.ones(4, 1))
    adagrad([w, b], states, {'lr': 0.1})  # s = 4
    assert w.item() == pytest.approx(0.9, abs=1e-5)
    adagrad([w, b], states, {'lr': 0.1})  # s = 8
    assert w.item() == pytest.approx(0.9 - 0.2 / math.sqrt(8), abs=1e-5)


def test_rmsprop_averages_the_squares():
    w, b = params_with_gradients()
    states = init_rmsprop_states(torch.ones(4, 1))
    rmsprop([w, b], states, {'lr': 0.01, 'gamma': 0.9})  # s_b = 0.1
    rmsprop([w, b], states, {'lr': 0.01, 'gamma': 0.9})  # s_b = 0.19
    assert b.item() == pytest.approx(-0.01 / math.sqrt(0.1) - 0.01 / math.sqrt(0.19), abs=1e-5)


def test_adadelta_moves_from_its_first_step():
    w, b = params_with_gradients()
    states = init_adadelta_states(torch.ones(4, 1))
    adadelta([w, b], states, {'rho': 0.9})  # s_b = 0.1, g' = sqrt(1e-5 / (0.1 + 1e-5))
    assert b.item() == pytest.approx(-math.sqrt(1e-5 / (0.1 + 1e-5)), rel=1e-4)


def test_adam_corrects_its_bias_and_counts_steps():
    w, b = params_with_gradients()
    states = init_adam_states(torch.ones(4, 1))
    hyperparams = {'lr': 0.01, 't': 1}
    for _ in range(2):  # with a constant gradient, v_hat = g and s_hat = g ** 2
        adam([w, b], states, hyperparams)
    assert hyperparams['t'] == 3
    assert w.item() == pytest.approx(0.98, abs=1e-5)
