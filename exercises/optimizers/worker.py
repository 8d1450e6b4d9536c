"""What the worker runs around the student's optimisers.

It runs next to the student's code, so it holds no reference solution and no expected
value: it runs the student's step function for a few steps on the gradients the grader
sent, as the book's train_ch7 calls it, and reports what the parameters, the states and
the hyperparameters were after each step.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

import torch


def _flat(states: Any) -> list[torch.Tensor]:
    """The tensors of a (nested) tuple of states, in order."""
    if isinstance(states, torch.Tensor):
        return [states]
    if isinstance(states, (tuple, list)):
        return [t for item in states for t in _flat(item)]
    return []


def _snapshot(tensor: Any) -> Any:
    return tensor.detach().clone() if isinstance(tensor, torch.Tensor) else None


def optimize(module: ModuleType, function: str, params: list[torch.Tensor], states: Any,
             grads: list[list[torch.Tensor]], hyperparams: dict) -> dict[str, Any]:
    """Call function(params, states, hyperparams) once per entry of `grads`, each time
    with those gradients in p.grad, as the book's training loop does.

    The parameters are leaves that require grad; the states are the tensors the grader
    sent, in the book's structure. Reports, after each step: each parameter, each state
    tensor (the objects that were passed in: a state that was only rebound stays as it
    was), each p.grad, and the hyperparameters (Adam's t). At the end: whether each
    parameter is still the same leaf tensor that requires grad.
    """
    params = [p.detach().clone().requires_grad_(True) for p in params]
    identities = [id(p) for p in params]
    hyperparams = dict(hyperparams)
    originals = _flat(states)
    steps = []
    value = None
    for step_grads in grads:
        for p, g in zip(params, step_grads):
            p.grad = g.clone()
        value = getattr(module, function)(params, states, hyperparams)
        steps.append({
            "params": [_snapshot(p) for p in params],
            "states": [_snapshot(s) for s in originals],
            "grads": [_snapshot(p.grad) for p in params],
            "hyperparams": {k: v for k, v in hyperparams.items()
                            if isinstance(v, (int, float, bool))},
        })
    return {"value": value, "steps": steps,
            "same_objects": [id(p) == i for p, i in zip(params, identities)],
            "leaves": [p.is_leaf and p.requires_grad for p in params]}


PROCEDURES = {"optimize": optimize}
RESULT_KEYS = {"optimize": {"value", "steps", "same_objects", "leaves"}}
