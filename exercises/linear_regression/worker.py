"""linear_regression's procedures in the worker: train_epoch run with trusted collaborators.

This runs next to the student's code (see autograder.harness): it holds no reference
solution, no expected value and none of the book's code. Where train_epoch is judged with
a correct linreg, squared_loss and sgd around it, the grader sends their book versions
with the request (argument `book`, read with harness.book_functions), and only once every
test of those functions has run.
"""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType
from typing import Any

import torch

from autograder import harness


def train_epoch(module: ModuleType, function: str, data: list, params: list[torch.Tensor],
                lr: float, batch_size: int, book: str = "") -> dict[str, Any]:
    """Run a student's train_epoch with trusted collaborators and record what it does.

    net and loss are the book's linreg and squared_loss (sent in `book`); the updater is
    the book's sgd, which first records the gradients, lr and batch_size it was handed
    (and leaves alone a parameter that has no gradient). The loss also records, per call,
    which of its two arguments is the prediction (the one autograd tracks back to the
    params): 0, 1, or None where neither or both are. The squared loss is symmetric, so
    only this tells loss(y_hat, y) from loss(y, y_hat).
    """
    fns = harness.book_functions(book)
    linreg, squared_loss, sgd = fns["linreg"], fns["squared_loss"], fns["sgd"]
    updates: list[dict[str, Any]] = []
    calls = {"net": 0, "loss": 0}
    prediction_at: list[int | None] = []

    def net(X: torch.Tensor, w: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
        calls["net"] += 1
        return linreg(X, w, b)

    def loss(y_hat: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        calls["loss"] += 1
        tracked = [isinstance(a, torch.Tensor) and a.requires_grad for a in (y_hat, y)]
        prediction_at.append(tracked.index(True) if tracked.count(True) == 1 else None)
        return squared_loss(y_hat, y)

    def updater(update_params: list[torch.Tensor], update_lr: float, update_batch: int) -> None:
        updates.append({
            "grads": [None if p.grad is None else p.grad.detach().clone() for p in params],
            "lr": update_lr, "batch_size": update_batch,
            "same_params": [a is b for a, b in zip(update_params, params)],
        })
        sgd([p for p in params if p.grad is not None], update_lr, update_batch)

    value = getattr(module, function)(net, loss, updater, data, params, lr, batch_size)
    return {"value": value, "updates": updates, "calls": calls,
            "prediction_at": prediction_at, "params": [p.detach().clone() for p in params]}


# -- the feedback page's training curve -----------------------------------------------

# How many parameter snapshots a training curve may hold (a loop that never ends is
# stopped by the call's timeout; one that updates far too often, here).
MAX_SNAPSHOTS = 5000


def training_curve(module: ModuleType, function: str, features: torch.Tensor,
                   labels: torch.Tensor, params: list[torch.Tensor], lr: float,
                   batch_size: int, epochs: int, trusted: list[str],
                   book: str = "") -> dict[str, Any]:
    """Train with the student's `function` (train_epoch) for `epochs` epochs.

    The student's data_iter, linreg, squared_loss and sgd are its collaborators, except
    those named in `trusted` (they failed their tests) or not defined, which are the
    book's (sent in `book`: the curve then shows the student's loop, not another
    mistake). Reports the parameters after every update (the grader computes the loss
    from them) and, per epoch, how many there were.
    """
    fns = harness.book_functions(book)

    def collaborator(name: str) -> Callable[..., Any]:
        own = getattr(module, name, None)
        return fns[name] if name in trusted or not callable(own) else own

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
