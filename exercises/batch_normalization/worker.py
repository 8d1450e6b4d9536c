"""What the worker runs around the student's batch_normalization.py.

BatchNorm.forward calls batch_norm: the layer is graded with the book's batch_norm, so
that a mistake in batch_norm costs batch_norm alone. The book's code is not here: the
grader sends the reference's batch_norm with the request (argument `book`,
autograder.harness.book_functions), and only to the tests of BatchNorm, which run after
every test of batch_norm. Nothing here is a solution of the exercise, nor an expected
value.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

import torch

from autograder import harness

_STATISTICS = ("moving_mean", "moving_var")


def _statistics(net: torch.nn.Module) -> dict[str, Any]:
    """The layer's moving averages as they are now (None where it has none), and whether
    they are attached to autograd's graph."""
    found = {name: getattr(net, name, None) for name in _STATISTICS}
    return {
        "values": {name: value.detach().clone() if isinstance(value, torch.Tensor) else None
                   for name, value in found.items()},
        # Attached to a graph: computed by autograd (a parameter is tracked, not attached).
        "tracked": any(isinstance(value, torch.Tensor) and value.grad_fn is not None
                       for value in found.values()),
    }


def bn_layer(module: ModuleType, function: str, args: list, train: list[torch.Tensor],
             predict: list[torch.Tensor], load: dict[str, torch.Tensor],
             outputs: bool = True, book: str = "") -> dict[str, Any]:
    """Build `function`(*args) (BatchNorm) with the book's batch_norm where the grader
    sent it (`book`; the student's own otherwise), move it to the inputs' device, copy
    `load` into its parameters of those names, then run it on each of `train` in training
    mode and on each of `predict` in prediction mode (net.eval(), under torch.no_grad(),
    as the book evaluates).

    Reports its trainable and other parameters, its moving averages at the start and
    after each step, each output (where `outputs`), and the error a step raised (with
    its phase).
    """
    books = {"batch_norm": harness.book_functions(book)["batch_norm"]} if book else {}
    with harness.lent(module, books):
        return _run_layer(module, function, args, train, predict, load, outputs)


def _run_layer(module: ModuleType, function: str, args: list, train: list[torch.Tensor],
               predict: list[torch.Tensor], load: dict[str, torch.Tensor],
               outputs: bool) -> dict[str, Any]:
    net = getattr(module, function)(*args)
    if not isinstance(net, torch.nn.Module):
        return {"value": net, "is_module": False, "trainable": [], "frozen": [],
                "start": None, "steps": [], "error": None}
    inputs = train or predict
    if inputs:
        net = net.to(inputs[0].device)
    params = dict(net.named_parameters())
    result: dict[str, Any] = {
        "value": None, "is_module": True,
        "trainable": [(name, p.detach().clone()) for name, p in params.items()
                      if p.requires_grad],
        "frozen": [name for name, p in params.items() if not p.requires_grad],
        "start": _statistics(net), "steps": [], "error": None,
    }
    with torch.no_grad():
        for name, value in load.items():
            param = params.get(name)
            if param is not None and param.numel() == value.numel():
                param.copy_(value.reshape(param.shape))
    phase = "train"
    try:
        net.train()
        for X in train:
            output = net(X)
            result["steps"].append({"phase": phase, "output": _detached(output)
                                    if outputs else None, **_statistics(net)})
        phase = "predict"
        net.eval()
        with torch.no_grad():
            for X in predict:
                output = net(X)
                result["steps"].append({"phase": phase, "output": _detached(output)
                                        if outputs else None, **_statistics(net)})
    except Exception as error:
        result["error"] = {**harness.describe_error(error), "phase": phase}
    return result


def _detached(value: Any) -> Any:
    return value.detach().clone() if isinstance(value, torch.Tensor) else value


PROCEDURES = {"bn_layer": bn_layer}
RESULT_KEYS = {"bn_layer": {"value", "is_module", "trainable", "frozen", "start", "steps",
                            "error"}}
