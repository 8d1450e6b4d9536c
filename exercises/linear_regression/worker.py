"""linear_regression's procedures in the worker: train_epoch run with trusted collaborators.

This runs next to the student's code (see autograder.harness): it holds no reference
solution and no expected value, only the book's collaborators, so that a train_epoch is
judged with a correct linreg, squared_loss and sgd around it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from types import ModuleType
from typing import Any

import torch


def train_epoch(module: ModuleType, function: str, data: list, params: list[torch.Tensor],
                lr: float, batch_size: int) -> dict[str, Any]:
    """Run a student's train_epoch with trusted collaborators and record what it does.

    net and loss are the book's linreg and squared_loss; the updater is a correct sgd
    that first records the gradients, lr and batch_size it was handed. The loss also
    records, per call, which of its two arguments is the prediction (the one autograd
    tracks back to the params): 0, 1, or None where neither or both are. The squared
    loss is symmetric, so only this tells loss(y_hat, y) from loss(y, y_hat).
    """
    updates: list[dict[str, Any]] = []
    calls = {"net": 0, "loss": 0}
    prediction_at: list[int | None] = []

    def net(X: torch.Tensor, w: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
        calls["net"] += 1
        return X @ w + b

    def loss(y_hat: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        calls["loss"] += 1
        tracked = [isinstance(a, torch.Tensor) and a.requires_grad for a in (y_hat, y)]
        prediction_at.append(tracked.index(True) if tracked.count(True) == 1 else None)
        return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2

    def updater(update_params: list[torch.Tensor], update_lr: float, update_batch: int) -> None:
        updates.append({
            "grads": [None if p.grad is None else p.grad.detach().clone() for p in params],
            "lr": update_lr, "batch_size": update_batch,
            "same_params": [a is b for a, b in zip(update_params, params)],
        })
        with torch.no_grad():
            for p in params:
                if p.grad is not None:
                    p -= update_lr * p.grad / update_batch

    value = getattr(module, function)(net, loss, updater, data, params, lr, batch_size)
    return {"value": value, "updates": updates, "calls": calls,
            "prediction_at": prediction_at, "params": [p.detach().clone() for p in params]}


# -- the feedback page's training curve -----------------------------------------------


def _book_data_iter(batch_size: int, features: torch.Tensor,
                    labels: torch.Tensor) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
    order = torch.randperm(len(features))
    for i in range(0, len(features), batch_size):
        yield features[order[i:i + batch_size]], labels[order[i:i + batch_size]]


def _book_linreg(X: torch.Tensor, w: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    return X @ w + b


def _book_squared_loss(y_hat: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2


def _book_sgd(params: list[torch.Tensor], lr: float, batch_size: int) -> None:
    with torch.no_grad():
        for p in params:
            p -= lr * p.grad / batch_size


# The book's versions of train_epoch's collaborators, for those of the student's that
# failed their tests: the curve then shows the student's loop, not another mistake.
BOOK_COLLABORATORS: dict[str, Callable[..., Any]] = {
    "data_iter": _book_data_iter, "linreg": _book_linreg,
    "squared_loss": _book_squared_loss, "sgd": _book_sgd,
}
# How many parameter snapshots a training curve may hold (a loop that never ends is
# stopped by the call's timeout; one that updates far too often, here).
MAX_SNAPSHOTS = 5000


def training_curve(module: ModuleType, function: str, features: torch.Tensor,
                   labels: torch.Tensor, params: list[torch.Tensor], lr: float,
                   batch_size: int, epochs: int, trusted: list[str]) -> dict[str, Any]:
    """Train with the student's `function` (train_epoch) for `epochs` epochs.

    The student's data_iter, linreg, squared_loss and sgd are its collaborators, except
    those named in `trusted`, which are the book's. Reports the parameters after every
    update (the grader computes the loss from them) and, per epoch, how many there were.
    """
    def collaborator(name: str) -> Callable[..., Any]:
        own = getattr(module, name, None)
        return BOOK_COLLABORATORS[name] if name in trusted or not callable(own) else own

    params = [p.detach().clone().requires_grad_(True) for p in params]
    snapshots: list[torch.Tensor] = [_flat(params)]
    sgd = collaborator("sgd")
    updates = 0  # all of them, recorded or not: the page says how many were left out

    def updater(update_params: Any, update_lr: float, update_batch: int) -> Any:
        nonlocal updates
        value = sgd(update_params, update_lr, update_batch)
        updates += 1
        if len(snapshots) < MAX_SNAPSHOTS:
            snapshots.append(_flat(params))
        return value

    train_epoch = getattr(module, function)
    data_iter = collaborator("data_iter")
    updates_per_epoch = []
    for _ in range(epochs):
        before = len(snapshots)
        train_epoch(collaborator("linreg"), collaborator("squared_loss"), updater,
                    data_iter(batch_size, features, labels), params, lr, batch_size)
        updates_per_epoch.append(len(snapshots) - before)
    return {"value": None, "snapshots": torch.stack(snapshots),
            "updates_per_epoch": updates_per_epoch, "updates": updates}


def _flat(params: list[torch.Tensor]) -> torch.Tensor:
    return torch.cat([p.detach().reshape(-1).clone() for p in params])


PROCEDURES = {"train_epoch": train_epoch, "training_curve": training_curve}
# What each answer always holds: one without it was not written by this code.
RESULT_KEYS = {
    "train_epoch": {"value", "updates", "calls", "prediction_at", "params"},
    "training_curve": {"value", "snapshots", "updates_per_epoch", "updates"},
}
