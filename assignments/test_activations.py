"""Public self-checks for activations.py: run `python -m pytest` in this folder."""

import math

import torch
from activations import relu, sigmoid, tanh


def test_relu_keeps_positives():
    X = torch.tensor([-2.0, -0.5, 0.5, 3.0])
    assert torch.equal(relu(X), torch.tensor([0.0, 0.0, 0.5, 3.0]))


def test_sigmoid_at_known_points():
    values = sigmoid(torch.tensor([0.0, math.log(3.0)]))
    assert torch.allclose(values, torch.tensor([0.5, 0.75]))


def test_tanh_at_known_points():
    values = tanh(torch.tensor([0.0, math.log(2.0)]))
    assert torch.allclose(values, torch.tensor([0.0, 0.6]))


def test_large_inputs_stay_finite():
    X = torch.tensor([-1000.0, 1000.0], requires_grad=True)
    for f, limits in ((sigmoid, [0.0, 1.0]), (tanh, [-1.0, 1.0])):
        Y = f(X)
        assert torch.allclose(Y.detach(), torch.tensor(limits)), f.__name__
        (grad,) = torch.autograd.grad(Y.sum(), X)
        assert torch.isfinite(grad).all(), f"{f.__name__}: the gradient must stay finite"


def test_gradients_flow():
    X = torch.tensor([-1.0, 2.0], requires_grad=True)
    relu(X).sum().backward()
    assert torch.equal(X.grad, torch.tensor([0.0, 1.0]))


def test_gradients_at_zero_are_the_true_derivatives():
    # abs() and sign() have gradient 0 at x = 0: build -|x| and the sign with torch.where.
    for f, derivative in ((sigmoid, 0.25), (tanh, 1.0)):
        X = torch.zeros(1, requires_grad=True)
        (grad,) = torch.autograd.grad(f(X).sum(), X)
        assert torch.allclose(grad, torch.tensor([derivative])), f.__name__
