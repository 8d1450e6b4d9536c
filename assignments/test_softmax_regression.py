"""Public self-checks for softmax_regression.py: run `python -m pytest` in this folder."""

import torch
from softmax_regression import accuracy, cross_entropy, softmax


def test_softmax_rows_are_probabilities():
    X = torch.tensor([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]])
    P = softmax(X)
    assert P.shape == X.shape
    assert torch.allclose(P.sum(dim=1), torch.ones(2))
    assert torch.allclose(P[1], torch.full((3,), 1 / 3))
    assert torch.equal(X, torch.tensor([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]])), "leave X alone"


def test_softmax_survives_large_logits():
    P = softmax(torch.tensor([[1000.0, 0.0], [-1000.0, 0.0]]))
    assert torch.isfinite(P).all(), "subtract each row's maximum before exp"
    assert torch.allclose(P, torch.tensor([[1.0, 0.0], [0.0, 1.0]]))


def test_cross_entropy_picks_the_true_class():
    y_hat = torch.tensor([[0.1, 0.3, 0.6], [0.3, 0.2, 0.5]])
    y = torch.tensor([0, 2])
    loss = cross_entropy(y_hat, y).reshape(-1)
    assert loss.shape == (2,), "one loss per example"
    assert torch.allclose(loss, -torch.log(torch.tensor([0.1, 0.5])))


def test_accuracy_is_a_fraction():
    y_hat = torch.tensor([[0.1, 0.3, 0.6], [0.3, 0.2, 0.5]])
    value = accuracy(y_hat, torch.tensor([2, 1]))
    assert isinstance(value, float) and value == 0.5
