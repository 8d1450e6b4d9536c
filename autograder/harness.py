"""Procedures the worker runs around a student's function, and what they observe.

This code runs inside the student's process, so it holds nothing secret: no reference
solution and no expected value. It only calls the student's code with the inputs the
grader sent and reports what happened, as plain data and tensors. Where a test runs the
student's function with the book's version of the functions it calls, the grader sends
their code with the request (book_functions), and only after every test of those
functions has run (autograder.plugin.grades): no test ever meets the book's version of
the function it grades.
"""

from __future__ import annotations

import contextlib
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

# Seconds one cell of a notebook may run while its module is imported (see
# autograder.ipynb), or None: the worker sets it from the import's own time limit.
CELL_TIMEOUT: float | None = None


def cell_timeout(import_timeout: float | None) -> float | None:
    """Each notebook cell's share of an import's time: half of it, so that a cell stopped
    at its limit leaves the cells after it time to run before the import's own limit."""
    return import_timeout / 2 if import_timeout else None


def book_functions(code: str) -> dict[str, Any]:
    """The book's functions the grader sent (autograder.registry.book_code), by name,
    defined in a namespace of their own: each call of a procedure makes them anew."""
    namespace: dict[str, Any] = {"__name__": "book"}
    exec(compile(code, "<the book's code>", "exec"), namespace)  # noqa: S102 - the grader's
    return namespace


def book_definitions(namespace: dict[str, Any]) -> dict[str, Any]:
    """The functions and classes the book's code defines (book_functions' namespace, less
    what it imports)."""
    return {name: value for name, value in namespace.items()
            if getattr(value, "__module__", None) == "book"}


@contextlib.contextmanager
def lent(module: ModuleType, functions: dict[str, Any]) -> Iterator[None]:
    """`functions` in the module in place of its own of those names for the duration: a
    function of the student's that calls one of them finds it (its globals are the
    module's). Afterwards the module holds what it held, or nothing where it held none."""
    missing = object()
    saved = {name: module.__dict__.get(name, missing) for name in functions}
    try:
        module.__dict__.update(functions)
        yield
    finally:
        for name, value in saved.items():
            if value is missing:
                module.__dict__.pop(name, None)
            else:
                module.__dict__[name] = value


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



def grad(module: ModuleType, function: str, X: torch.Tensor,
         upstream: torch.Tensor) -> dict[str, Any]:
    """Call function(X) with X tracked by autograd, backpropagate `upstream`, report X.grad.

    The function receives a copy of a leaf that requires grad (a non-leaf, so that an
    in-place change is the values test's business, not an autograd error here). Reports the
    value, whether it is connected to X's graph, the gradient reaching X, and the error
    backward() raised, if any.
    """
    leaf = X.detach().clone().requires_grad_(True)
    value = getattr(module, function)(leaf.clone())
    result: dict[str, Any] = {"value": value, "connected": False, "grad": None,
                              "backward_error": None}
    if type(value) is torch.Tensor and value.requires_grad:
        result["connected"] = True
        try:
            # The same gradient as value.backward(upstream), without the import of
            # torch.fx's symbolic shapes that an explicit gradient costs (a third of a second).
            (value * upstream).sum().backward()
        except Exception as error:
            result["backward_error"] = describe_error(error)
        result["grad"] = None if leaf.grad is None else leaf.grad.detach().clone()
    return result


def watch(module: ModuleType, function: str, args: list) -> dict[str, Any]:
    """Call function(*args) and record the name of every torch function it calls.

    Names only: which of them a function may use is for the grader to decide. A
    TorchFunctionMode sees the functions of torch, torch.Tensor's methods,
    torch.nn.functional, torch.special and torch.ops, however they are reached.
    """
    from torch.overrides import TorchFunctionMode, resolve_name

    functions: set[str] = set()

    class Recorder(TorchFunctionMode):
        def __torch_function__(self, func, types, args=(), kwargs=None):
            functions.add(_function_name(func, resolve_name))
            return func(*args, **(kwargs or {}))

    with Recorder():
        value = getattr(module, function)(*args)
    return {"value": value, "functions": sorted(functions)}


def _function_name(func: Callable, resolve_name: Callable) -> str:
    """'torch.relu', 'torch.Tensor.clamp', 'torch.ops.aten.tanh.default', ..."""
    try:
        name = resolve_name(func)
    except Exception:  # an unusual callable: say what can be said of it
        name = None
    if isinstance(func, (torch._ops.OpOverload, torch._ops.OpOverloadPacket)):
        return f"torch.ops.{name or func}"
    if name:
        return name
    module = getattr(func, "__module__", None)
    base = getattr(func, "__name__", None) or repr(func)
    return f"{module}.{base}" if module else base


def build(module: ModuleType, function: str, args: list, inputs: list[torch.Tensor],
          load: dict[str, torch.Tensor] | None = None) -> dict[str, Any]:
    """Build the nn.Module class `function`(*args), move it to the inputs' device, run it.

    Reports what the module registered (state_dict, named parameters, submodules), the
    attributes that hold tensors or modules without registering them, and net(x) for each
    input x (or the error the forward pass raised). `load` gives values for named
    parameters, copied in (where the name and shape match) before the forward pass, so
    that its outputs can be judged against parameters the grader chose.
    """
    net = getattr(module, function)(*args)
    if not isinstance(net, torch.nn.Module):
        return {"value": net, "is_module": False}
    if inputs:
        net = net.to(inputs[0].device)
    state = {name: tensor.detach().clone() for name, tensor in net.state_dict().items()
             if isinstance(tensor, torch.Tensor)}
    _load(net, load or {})
    parameters = [(name, param.detach().clone()) for name, param in net.named_parameters()]
    submodules = [(name, f"{type(sub).__module__}.{type(sub).__qualname__}",
                   isinstance(sub, torch.nn.Linear))
                  for name, sub in net.named_modules() if name]
    unregistered = [name for name, attribute in vars(net).items()
                    if not name.startswith("_") and _holds_tensors(attribute)]
    outputs: list[Any] = []
    forward_error = None
    try:
        outputs = [net(x) for x in inputs]
    except Exception as error:  # reported after what the module holds has been checked
        forward_error = describe_error(error)
    return {"value": None, "is_module": True, "state": state, "parameters": parameters,
            "submodules": submodules, "unregistered": unregistered, "outputs": outputs,
            "forward_error": forward_error}


def _load(net: torch.nn.Module, values: dict[str, torch.Tensor]) -> None:
    """Copy `values` into the parameters of `net` of the same name and shape."""
    params = dict(net.named_parameters())
    with torch.no_grad():  # a parameter is a leaf that requires grad
        for name, value in values.items():
            param = params.get(name)
            if param is not None and param.shape == value.shape:
                param.copy_(value)


def _holds_tensors(value: Any, depth: int = 0) -> bool:
    """Whether an attribute holds tensors or modules, directly or in plain containers."""
    if isinstance(value, (torch.Tensor, torch.nn.Module)):
        return True
    if depth < 2 and isinstance(value, (list, tuple, set)):
        return any(_holds_tensors(v, depth + 1) for v in value)
    if depth < 2 and isinstance(value, dict):
        return any(_holds_tensors(v, depth + 1) for v in value.values())
    return False


def _interpreter_folders() -> tuple[str, ...]:
    """Where the interpreter, its packages and this package live: never the student's
    code, even where they lie inside the working folder (a virtual environment or a
    source checkout under /tmp, in the sandbox whose working folder is /tmp)."""
    import site
    import sys

    folders = {sys.prefix, sys.base_prefix, sys.exec_prefix, *site.getsitepackages(),
               os.path.dirname(torch.__file__), os.path.dirname(os.path.abspath(__file__))}
    return tuple({form + os.sep for folder in folders
                  for form in (folder, os.path.realpath(folder))})


_INTERPRETER_FOLDERS = _interpreter_folders()


def describe_error(error: BaseException) -> dict[str, Any]:
    """The exception as plain data: its type, message, and the student's line that raised it."""
    workdir = WORKDIR
    frames = traceback.extract_tb(error.__traceback__)
    own = [f for f in frames if f.filename.startswith(workdir + os.sep)
           and not f.filename.startswith(_INTERPRETER_FOLDERS)]
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
    "grad": grad,
    "watch": watch,
    "build": build,
}
