"""Procedures the worker runs around a student's function, and what they observe.

This code runs inside the student's process, so it holds nothing secret: no reference
solution and no expected value. It only calls the student's code with the inputs the
grader sent and reports what happened, as plain data and tensors.
"""

from __future__ import annotations

import inspect
import os
import traceback
from collections.abc import Callable, Iterator
from types import ModuleType
from typing import Any

import torch

from autograder.protocol import MAX_ITEMS, Drained

# The folder holding the submission's files; the worker sets it before the first call.
WORKDIR = os.getcwd()


def call(module: ModuleType, function: str, args: list, kwargs: dict) -> dict[str, Any]:
    """Call module.function(*args, **kwargs); report its value and the arguments afterwards."""
    value = getattr(module, function)(*args, **kwargs)
    if inspect.isgenerator(value) or isinstance(value, Iterator):
        value = drain(value)
    return {"value": value, "args": args, "kwargs": kwargs}


def drain(iterator: Iterator) -> Drained:
    """Everything a generator yields, up to MAX_ITEMS, and the error that stopped it, if any."""
    items: list[Any] = []
    try:
        for item in iterator:
            items.append(item)
            if len(items) >= MAX_ITEMS:
                return Drained(items, truncated=True)
    except Exception as error:
        return Drained(items, error=describe_error(error))
    return Drained(items)


def step(module: ModuleType, function: str, params: list[torch.Tensor],
         grads: list[torch.Tensor], lr: float, batch_size: int) -> dict[str, Any]:
    """Run an optimiser step such as sgd(params, lr, batch_size) on leaves holding `grads`.

    Reports the value returned, each parameter afterwards, whether it is still the same
    leaf tensor that requires grad, and its gradient afterwards.
    """
    for param, grad in zip(params, grads):
        param.grad = grad.clone()
    identities = [id(p) for p in params]
    value = getattr(module, function)(params, lr, batch_size)
    return {
        "value": value,
        "params": [p.detach().clone() for p in params],
        "same_objects": [id(p) == i for p, i in zip(params, identities)],
        "leaves": [p.is_leaf and p.requires_grad for p in params],
        "grads": [None if p.grad is None else p.grad.clone() for p in params],
    }


def train_epoch(module: ModuleType, function: str, data: list, params: list[torch.Tensor],
                lr: float, batch_size: int) -> dict[str, Any]:
    """Run a student's train_epoch with trusted collaborators and record what it does.

    net and loss are the book's linreg and squared_loss; the updater is a correct sgd
    that first records the gradients, lr and batch_size it was handed.
    """
    updates: list[dict[str, Any]] = []
    calls = {"net": 0, "loss": 0}

    def net(X: torch.Tensor, w: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
        calls["net"] += 1
        return X @ w + b

    def loss(y_hat: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        calls["loss"] += 1
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
            "params": [p.detach().clone() for p in params]}


def describe_error(error: BaseException) -> dict[str, Any]:
    workdir = WORKDIR
    """The exception as plain data: its type, message, and the student's line that raised it."""
    frames = traceback.extract_tb(error.__traceback__)
    own = [f for f in frames if f.filename.startswith(workdir + os.sep)]
    if isinstance(error, SyntaxError) and error.filename and error.filename.startswith(workdir):
        location = {"file": os.path.relpath(error.filename, workdir), "line": error.lineno,
                    "code": (error.text or "").strip()}
    elif own:
        frame = own[-1]
        location = {"file": os.path.relpath(frame.filename, workdir), "line": frame.lineno,
                    "code": (frame.line or "").strip()}
    else:
        location = None
    try:
        message = str(error)
    except Exception:  # a student's exception class may break str()
        message = ""
    if isinstance(error, SyntaxError):
        message = error.msg or message
    return {"type": type(error).__name__, "message": message[:2000], "where": location,
            # A `raise` statement in the student's own code (a stub's NotImplementedError).
            "explicit_raise": bool(own) and own[-1] is frames[-1]
            and (own[-1].line or "").lstrip().startswith("raise"),
            "traceback": "".join(traceback.format_list(own))[-4000:]}


PROCEDURES: dict[str, Callable[..., dict[str, Any]]] = {
    "call": call,
    "step": step,
    "train_epoch": train_epoch,
}
