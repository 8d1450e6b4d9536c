"""What the worker runs around the student's cnn.py, beyond the engine's procedures.

Conv2D.forward calls corr2d, corr2d_multi_in calls corr2d and corr2d_multi_in_out calls
corr2d_multi_in: each is graded with the book's versions of the functions it calls, so
that a mistake in corr2d costs corr2d alone. The book's code of those comes with the
request (argument `book`, harness.book_functions), only once every test of them has run;
nothing here is a solution of the exercise, nor an expected value.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

import torch

from autograder import harness


def _collaborators_sent(module: ModuleType, book: str) -> Any:
    """The module's functions that the grader sent the book's code of (`book`,
    harness.book_functions) replaced by the book's for the duration."""
    return harness.lent(module, harness.book_definitions(harness.book_functions(book)))


def _holds_tensors(value: Any, depth: int = 0) -> bool:
    """Whether an attribute holds tensors, directly or in plain containers."""
    if isinstance(value, torch.Tensor):
        return True
    if depth < 2 and isinstance(value, (list, tuple, set)):
        return any(_holds_tensors(v, depth + 1) for v in value)
    if depth < 2 and isinstance(value, dict):
        return any(_holds_tensors(v, depth + 1) for v in value.values())
    return False


def trusted_call(module: ModuleType, function: str, args: list, kwargs: dict,
                 book: str = "") -> dict[str, Any]:
    """harness.call with the collaborators whose code the grader sent (`book`) being the
    book's."""
    with _collaborators_sent(module, book):
        return harness.call(module, function, args, kwargs)


def conv_layer(module: ModuleType, function: str, args: list, x: torch.Tensor,
               load: dict[str, torch.Tensor], upstream: torch.Tensor,
               book: str = "") -> dict[str, Any]:
    """Build `function`(*args) (Conv2D) with the book's functions the grader sent (`book`:
    corr2d), move it to x's device, copy `load` into its parameters of those names, and
    run it on x.

    Reports its weight and bias as they start (registered or not), what the layer
    registered (its parameters, whatever else holds tensors),
    net(x) or the error it raised, and the gradient that (net(x) * upstream).sum()
    sends to each parameter.
    """
    with _collaborators_sent(module, book):
        net = getattr(module, function)(*args)
        if not isinstance(net, torch.nn.Module):
            return {"value": net, "is_module": False, "initial": {}, "parameters": [],
                    "unregistered": [], "output": None, "forward_error": None, "grads": {},
                    "backward_error": None}
        net = net.to(x.device)
        initial = {name: getattr(net, name).detach().clone() for name in ("weight", "bias")
                   if isinstance(getattr(net, name, None), torch.Tensor)}
        params = dict(net.named_parameters())
        # The values are copied into plain tensor attributes of those names too: a layer
        # that does not register its parameters loses the test that says so, not this one.
        held = {name: params.get(name, getattr(net, name, None)) for name in load}
        held = {name: t for name, t in held.items() if isinstance(t, torch.Tensor)}
        with torch.no_grad():
            for name, value in load.items():
                param = held.get(name)
                if param is not None and param.numel() == value.numel():
                    param.copy_(value.reshape(param.shape))
        result: dict[str, Any] = {
            "value": None, "is_module": True, "initial": initial,
            "parameters": [(name, p.detach().clone()) for name, p in params.items()],
            "unregistered": [name for name, attribute in vars(net).items()
                             if not name.startswith("_") and _holds_tensors(attribute)],
            "output": None, "forward_error": None, "grads": {}, "backward_error": None,
        }
        try:
            output = net(x)
        except Exception as error:
            result["forward_error"] = harness.describe_error(error)
            return result
    result["output"] = output.detach().clone() if type(output) is torch.Tensor else output
    if type(output) is torch.Tensor and output.requires_grad \
            and output.shape == upstream.shape:
        try:
            (output * upstream).sum().backward()
        except Exception as error:
            result["backward_error"] = harness.describe_error(error)
    result["grads"] = {name: None if p.grad is None else p.grad.detach().clone()
                       for name, p in {**held, **params}.items()}
    return result


def corr_grad(module: ModuleType, function: str, X: torch.Tensor, K: torch.Tensor,
              upstream: torch.Tensor) -> dict[str, Any]:
    """`function`(X, K) (corr2d) on copies of leaves that require grad; the gradient
    that (value * upstream).sum() sends to X and to K, or the error backward() raised."""
    X_leaf = X.detach().clone().requires_grad_(True)
    K_leaf = K.detach().clone().requires_grad_(True)
    value = getattr(module, function)(X_leaf.clone(), K_leaf.clone())
    result: dict[str, Any] = {"value": value, "connected": False, "grads": [None, None],
                              "backward_error": None}
    if type(value) is torch.Tensor and value.requires_grad and value.shape == upstream.shape:
        result["connected"] = True
        try:
            (value * upstream).sum().backward()
        except Exception as error:
            result["backward_error"] = harness.describe_error(error)
        result["grads"] = [None if leaf.grad is None else leaf.grad.detach().clone()
                           for leaf in (X_leaf, K_leaf)]
    return result


PROCEDURES = {"cnn_call": trusted_call, "cnn_layer": conv_layer, "cnn_grad": corr_grad}
RESULT_KEYS = {"cnn_call": {"value", "args", "kwargs"},
               "cnn_layer": {"value", "is_module", "initial", "parameters", "unregistered",
                             "output", "forward_error", "grads", "backward_error"},
               "cnn_grad": {"value", "connected", "grads", "backward_error"}}
