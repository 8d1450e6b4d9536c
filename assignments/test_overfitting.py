"""Public self-checks for overfitting.py: run `python -m pytest` in this folder."""

import torch
from overfitting import dropout, l2_penalty


def test_l2_penalty_is_half_the_sum_of_squares():
    w = torch.tensor([[1.0], [2.0], [-2.0]])
    penalty = l2_penalty(w)
    assert penalty.shape == (), "a scalar tensor"
    assert torch.isclose(penalty, torch.tensor(4.5)), "(1 + 4 + 4) / 2"


def test_l2_penalty_gradient_is_w():
    w = torch.tensor([[3.0], [-1.0]], requires_grad=True)
    l2_penalty(w).backward()
    assert torch.allclose(w.grad, torch.tensor([[3.0], [-1.0]]))


def test_dropout_extremes():
    X = torch.arange(1.0, 17.0).reshape(2, 8)
    assert torch.equal(dropout(X, 0), X), "drop_prob 0 keeps every element as it is"
    dropped = dropout(X, 1)
    assert torch.equal(dropped, torch.zeros(2, 8)), "drop_prob 1 drops every element"


def test_dropout_survivors_are_scaled():
    X = torch.arange(1.0, 17.0).reshape(2, 8)
    before = X.clone()
    Y = dropout(X, 0.5)
    assert Y.shape == X.shape and Y.dtype == torch.float32
    assert bool(((Y == 0) | (Y == 2 * X)).all()), "each element is 0 or X / (1 - 0.5)"
    assert torch.equal(X, before), "X is not modified"


def test_dropout_keeps_about_one_minus_drop_prob():
    torch.manual_seed(0)
    X = torch.ones(100, 100)
    # 10,000 independent draws keep 7,000 on average, give or take 46 (one standard
    # deviation): a share outside [0.68, 0.72] is all but impossible.
    share = (dropout(X, 0.3) != 0).float().mean().item()
    assert 0.68 < share < 0.72, f"kept {share:.3f} of the elements, expected about 0.7"
    share = (dropout(X, 0.0) != 0).float().mean().item()
    assert share == 1.0, "drop_prob 0 drops nothing"
