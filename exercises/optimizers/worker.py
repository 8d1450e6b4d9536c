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


# -- the feedback page's pictures --------------------------------------------------------

# How many points a picture's path or curve may hold: the book's have 20 and 31.
MAX_POINTS = 400


def trajectory(module: ModuleType, function: str, start: list[float], states: Any,
               hyperparams: dict, steps: int) -> dict[str, Any]:
    """The path of x = (x1, x2) under `function`, on the book's function
    f(x1, x2) = 0.1 * x1 ** 2 + 2 * x2 ** 2 (chapter 7's train_2d): x is w, of shape
    (2, 1), with gradient (0.2 * x1, 4 * x2); b, of shape (1,), has gradient 0."""
    w = torch.tensor(start, dtype=torch.float32, device=_device(states)).reshape(2, 1)
    w.requires_grad_(True)
    b = torch.zeros(1, device=w.device, requires_grad=True)
    hyperparams = dict(hyperparams)
    points = [w.detach().reshape(-1).clone()]
    step = getattr(module, function)
    for _ in range(min(steps, MAX_POINTS - 1)):
        x = w.detach()
        w.grad = torch.cat([0.2 * x[:1], 4 * x[1:]])
        b.grad = torch.zeros_like(b)
        step([w, b], states, hyperparams)
        points.append(w.detach().reshape(-1).clone())
    return {"value": None, "points": torch.stack(points)}


def training(module: ModuleType, function: str, features: torch.Tensor, labels: torch.Tensor,
             params: list[torch.Tensor], states: Any, hyperparams: dict, batch_size: int,
             epochs: int, every: int) -> dict[str, Any]:
    """The book's train_ch7 loop (linear regression, the mean squared loss of each
    minibatch, gradients zeroed before backward) with `function` as the optimiser, in a
    fixed order. Reports w and b, flattened, before training and after each `every`
    examples.

    The gradients are those backward() would put in w.grad and b.grad, in closed form:
    the optimiser sees the same p.grad, and the training takes half the time."""
    w, b = (p.detach().clone().requires_grad_(True) for p in params)
    hyperparams = dict(hyperparams)
    step = getattr(module, function)
    generator = torch.Generator().manual_seed(0)
    snapshots = [torch.cat([w.detach().reshape(-1), b.detach()])]
    for _ in range(epochs):
        order = torch.randperm(len(features), generator=generator).to(features.device)
        for i in range(0, len(features), batch_size):
            rows = order[i:i + batch_size]
            X, y = features[rows], labels[rows]
            with torch.no_grad():  # of ((X w + b - y) ** 2 / 2).mean()
                error = (X @ w + b - y.reshape(-1, 1)) / len(rows)
                gradients = (X.T @ error, error.sum(0))
            for p, gradient in zip((w, b), gradients):
                if p.grad is None:
                    p.grad = gradient
                else:  # zeroed and filled again, the same tensor, as the book's loop does
                    p.grad.copy_(gradient)
            step([w, b], states, hyperparams)
            if (i // batch_size + 1) * batch_size % every == 0 \
                    and len(snapshots) < MAX_POINTS:
                snapshots.append(torch.cat([w.detach().reshape(-1), b.detach()]))
    return {"value": None, "snapshots": torch.stack(snapshots)}


def _device(states: Any) -> torch.device:
    tensors = _flat(states)
    return tensors[0].device if tensors else torch.device("cpu")


PROCEDURES = {"optimizer_steps": optimize, "optimizer_path": trajectory,
              "optimizer_training": training}
RESULT_KEYS = {"optimizer_steps": {"value", "steps", "same_objects", "leaves"},
               "optimizer_path": {"value", "points"},
               "optimizer_training": {"value", "snapshots"}}
