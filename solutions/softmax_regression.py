"""Softmax regression from scratch.

D2L, chapter "Linear Neural Networks for Classification", section "Softmax
Regression Implementation from Scratch" (section 4.4 in the 1.0 edition;
3.6 in the study group's Chinese edition). You write the three functions the
from-scratch classifier needs on top of a linear layer: softmax, the
cross-entropy loss and classification accuracy.
"""

from __future__ import annotations

import torch


def softmax(X: torch.Tensor) -> torch.Tensor:
    """Row-wise softmax: exp(X[i, j]) / sum_k exp(X[i, k]).

    Softmax turns arbitrary real outputs (logits) into a probability
    distribution over the q classes: every entry is non-negative and every
    row sums to 1. exp overflows for large logits (exp(1000) is inf in
    float32), so subtract each row's maximum first: softmax is unchanged by
    adding a constant to a row, and afterwards the largest exponent is
    exp(0) = 1.

    Args:
        X: logits of shape (n, q), float dtype, any device. Must not be
            modified in place.

    Returns:
        Tensor of shape (n, q), same dtype and device as X, each row a
        probability distribution. Finite even for logits like +-1000.
    """
    # softmax(x) == softmax(x - c): shifting by the row max avoids overflow.
    X_shifted = X - X.max(dim=1, keepdim=True).values
    X_exp = torch.exp(X_shifted)
    return X_exp / X_exp.sum(dim=1, keepdim=True)


def cross_entropy(y_hat: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Per-example cross-entropy loss -log(y_hat[i, y[i]]).

    With a one-hot label the cross-entropy sum_j -y_j log(y_hat_j) keeps a
    single term: minus the log of the probability the model gives to the
    true class. Unlike squared loss it does not care how the remaining
    probability is spread over the wrong classes, only that the true class
    gets as much as possible.

    Args:
        y_hat: predicted probabilities, shape (n, q) (e.g. softmax output).
        y: true class indices, int64 tensor of shape (n,), values in
            [0, q), same device as y_hat (not one-hot rows).

    Returns:
        Tensor of shape (n,), one loss per example; shape (n, 1), as the
        book's -torch.log(y_hat.gather(1, y.view(-1, 1))) gives, is
        accepted too. Where the true class has probability 0 the loss is
        -log(0) = inf (an epsilon guard, -log(p + 1e-12), that keeps it
        large is accepted too); a 0 on a wrong class must not make the loss
        nan. Nothing is modified in place.
    """
    # Pick y_hat[i, y[i]] for every row i with one fancy-indexing step.
    rows = torch.arange(len(y_hat), device=y_hat.device)
    return -torch.log(y_hat[rows, y])


def accuracy(y_hat: torch.Tensor, y: torch.Tensor) -> float:
    """Fraction of examples whose predicted class is the true class.

    The predicted class is the one with the largest score in the row
    (argmax); it is the same for logits and for their softmax, because
    softmax preserves the order of each row.

    Args:
        y_hat: scores or probabilities, shape (n, q).
        y: true class indices, int64 tensor of shape (n,), same device.

    Returns:
        A Python float in [0, 1]. Nothing is modified in place.
    """
    correct = y_hat.argmax(dim=1) == y
    return correct.float().mean().item()
