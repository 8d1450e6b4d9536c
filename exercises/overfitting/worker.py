"""overfitting's procedures in the worker: weight decay trained with the student's penalty.

This runs next to the student's code (see autograder.harness): it holds no reference
solution and no expected value, only the book's training loop of section 3.12 around the
student's l2_penalty, so that the feedback page can show what that penalty does.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

import torch


def weight_decay_curve(module: ModuleType, function: str, features: torch.Tensor,
                       labels: torch.Tensor, test_features: torch.Tensor,
                       test_labels: torch.Tensor, w: torch.Tensor, lambdas: list[float],
                       lr: float, epochs: int) -> dict[str, Any]:
    """Train the book's high-dimensional linear regression from `w` (and b = 0), full
    batch, once per lambda (all at once, side by side), minimising the squared loss plus
    lambda * function(w) (the student's l2_penalty); report the mean squared loss on the
    training and the test set after training, one per lambda."""
    penalty = getattr(module, function)
    count = len(lambdas)
    weights = w.detach().repeat(1, count).requires_grad_(True)  # a column per lambda
    bias = torch.zeros(1, count, device=w.device, requires_grad=True)
    for _ in range(epochs):
        squared = ((features @ weights + bias - labels) ** 2 / 2).sum()
        decay = sum(lambd * penalty(weights[:, j:j + 1]) for j, lambd in enumerate(lambdas))
        # Each example's loss carries the penalty once, as in the book's loop.
        loss = squared + len(features) * decay
        weights.grad = bias.grad = None
        loss.backward()
        with torch.no_grad():
            for param in (weights, bias):
                if param.grad is not None:
                    param -= lr * param.grad / len(features)
    with torch.no_grad():
        train = ((features @ weights + bias - labels) ** 2 / 2).mean(dim=0)
        test = ((test_features @ weights + bias - test_labels) ** 2 / 2).mean(dim=0)
    return {"value": None, "train": train.tolist(), "test": test.tolist()}


PROCEDURES = {"weight_decay_curve": weight_decay_curve}
# What each answer always holds: one without it was not written by this code.
RESULT_KEYS = {"weight_decay_curve": {"value", "train", "test"}}
