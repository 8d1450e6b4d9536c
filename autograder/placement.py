"""A GPU simulated on the CPU: where device placement is checked on a machine without one.

In a worker, a call on the `placement` lane runs inside `simulated_gpu()`. Its input
tensors are on the simulated GPU: real CPU tensors that say they are on cuda:0 (.device,
.is_cuda), as the inputs of a call on a real GPU do, and that hold their values, so
.item(), .tolist(), print and a Python `if` on a tensor answer as on a GPU.
torch.cuda.is_available() says True meanwhile, so that device=None means the GPU here too.

A tensor made without device= (torch.zeros(n), torch.tensor(...), torch.from_numpy)
lives on the CPU, as it does on a machine with a GPU, and combining it with one on the
simulated GPU raises the error CUDA raises: CUDA's own rules, applied to every torch
function the student's code calls (a TorchFunctionMode sees each call, methods and
operators included, as it is made): a CPU tensor of one element and no dimension (a
scalar) may join a GPU tensor's elementwise operation; indices on the CPU may index a GPU
tensor; .to(), .cuda(), .cpu() and copies move between the two; .numpy() of a GPU tensor
raises. What a function returns is on the simulated GPU or on the CPU, and the worker
reports the former as cuda:0.

Nothing here is imported beyond torch itself: a torch-function mode costs nothing to
start (the meta device, which this replaces, imported torch._dynamo on first use).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from types import GetSetDescriptorType
from typing import Any

import torch
from torch.overrides import TorchFunctionMode

LANE = "placement"  # the lane's name in requests and reports
APPARENT = torch.device("cuda", 0)  # what the student's code sees of the simulated GPU
_MARK = "_autograder_simulated_gpu"  # an attribute of each tensor on the simulated GPU

# CUDA's message for operands on two devices (TensorIterator's and most kernels').
MIXED = "Expected all tensors to be on the same device, but found at least two devices, " \
        "cuda:0 and cpu!"
# Functions that accept no CPU scalar beside GPU tensors (they are not elementwise).
_NO_CPU_SCALARS = {"cat", "concat", "concatenate", "stack", "hstack", "vstack", "dstack",
                   "gather", "scatter", "scatter_", "scatter_add", "scatter_add_",
                   "index_select", "take_along_dim", "matmul", "mm", "bmm", "mv", "dot",
                   "__matmul__", "__rmatmul__", "linear", "bilinear", "embedding"}
# Functions that read only the shape or the type of their other tensors, or copy them
# (nn.Module.to asks _has_compatible_shallow_copy_type of a parameter and its copy).
_SHAPE_ONLY = {"expand_as", "view_as", "reshape_as", "broadcast_tensors", "result_type",
               "can_cast", "is_same_size", "new_tensor", "new_zeros", "new_ones",
               "new_empty", "new_full", "copy_", "set_", "_has_compatible_shallow_copy_type"}
# Functions that make a tensor from data: on the CPU unless device= says otherwise.
_FROM_DATA = {"tensor", "as_tensor", "asarray"}


def on_gpu(tensor: torch.Tensor) -> bool:
    """Whether `tensor` is on the simulated GPU."""
    return getattr(tensor, _MARK, False) is True


def to_gpu(tensor: torch.Tensor) -> torch.Tensor:
    """Put `tensor` (a CPU tensor) on the simulated GPU, in place; return it."""
    setattr(tensor, _MARK, True)
    return tensor


def device_name(tensor: torch.Tensor) -> str:
    """Where `tensor` is, as the student's code saw it."""
    return str(APPARENT) if on_gpu(tensor) else str(tensor.device)


@contextlib.contextmanager
def simulated_gpu() -> Iterator[None]:
    """Run the block with the simulated GPU in place of a real one (see the module)."""
    saved = (torch.cuda.is_available, torch.cuda.device_count, torch.nn.Parameter.__new__)
    original_parameter = saved[2]

    # nn.Parameter(t) makes its tensor without a torch function: it is where t is.
    def parameter(cls: type, data: Any = None, requires_grad: bool = True) -> Any:
        made = original_parameter(cls, data, requires_grad)
        return to_gpu(made) if isinstance(data, torch.Tensor) and on_gpu(data) else made

    torch.cuda.is_available = lambda: True
    torch.cuda.device_count = lambda: 1
    torch.nn.Parameter.__new__ = parameter
    try:
        with _SimulatedGpu():
            yield
    finally:
        torch.cuda.is_available, torch.cuda.device_count, torch.nn.Parameter.__new__ = saved


class _SimulatedGpu(TorchFunctionMode):
    """Sees every torch function call and applies CUDA's rules of placement to it."""

    def __torch_function__(self, func: Callable, types: Any, args: tuple = (),
                           kwargs: dict | None = None) -> Any:
        kwargs = kwargs or {}
        owner = getattr(func, "__self__", None)
        if isinstance(owner, GetSetDescriptorType):  # an attribute: x.device, p.data = ...
            return _attribute(func, owner.__name__, args)
        name = getattr(func, "__name__", "")
        special = _SPECIAL.get(name)
        if special is not None:
            return special(func, args, kwargs)
        return _placed_call(func, name, args, kwargs)


def _attribute(func: Callable, name: str, args: tuple) -> Any:
    tensor = args[0]
    if func.__name__ == "__set__":  # p.data = t (Module.to does it): p moves where t is
        result = func(*args)
        value = args[1]
        if isinstance(value, torch.Tensor) and name == "data":
            _set_mark(tensor, on_gpu(value))
        return result
    if not on_gpu(tensor):
        return func(*args)
    if name == "device":
        return APPARENT
    if name in ("is_cuda", "is_cpu"):
        return name == "is_cuda"
    return _mark_all(func(*args))


def _placed_call(func: Callable, name: str, args: tuple, kwargs: dict) -> Any:
    """A call whose result is on the GPU when its tensors are, or device= says so."""
    requested = _requested(kwargs.get("device"))
    if requested is not None:
        kwargs = {**kwargs, "device": "cpu"}
    if name in _FROM_DATA:  # the data is read, wherever it is: no mixing
        data = args[0] if args else kwargs.get("data")
        tensors = [data] if isinstance(data, torch.Tensor) else []
        target = bool(tensors) and on_gpu(data)
    else:
        tensors = _tensors_in(args, kwargs)
        if name in _SHAPE_ONLY:  # the result is where the first tensor is
            target = bool(tensors) and on_gpu(tensors[0])
        else:
            target = any(on_gpu(t) for t in tensors)
            if target:
                _refuse_mixing(name, args, kwargs, tensors)
    if requested is not None:
        target = requested
    return _settle(func(*args, **kwargs), target, tensors)


def _refuse_mixing(name: str, args: tuple, kwargs: dict, tensors: list[torch.Tensor]) -> None:
    """Raise as CUDA does where CPU tensors join GPU ones: only a CPU scalar may, as an
    operand of an elementwise function (never as its output)."""
    in_place = name.startswith("__i") or (name.endswith("_") and not name.endswith("__"))
    outputs = _tensors_in((kwargs.get("out"),), {})
    if in_place and args and isinstance(args[0], torch.Tensor):
        outputs.append(args[0])
    for tensor in tensors:
        if on_gpu(tensor):
            continue
        if tensor.dim() > 0 or name in _NO_CPU_SCALARS or any(tensor is o for o in outputs):
            raise RuntimeError(MIXED)


def _settle(result: Any, gpu: bool, inputs: list[torch.Tensor]) -> Any:
    """Put the tensors of `result` where the call put them. An input returned as it is
    (torch.as_tensor(t, device=...)) is copied where it moves, as between two devices."""
    if isinstance(result, torch.Tensor):
        if on_gpu(result) != gpu and any(result is t for t in inputs):
            result = result.to(result.dtype, copy=True)
        return _set_mark(result, gpu)
    if gpu and isinstance(result, (list, tuple)):
        for item in result:
            if isinstance(item, torch.Tensor) and not any(item is t for t in inputs):
                to_gpu(item)
    return result


def _indexing(func: Callable, args: tuple, kwargs: dict) -> Any:
    """x[i] and x[i] = v: indices on the CPU may index a GPU tensor, not the reverse."""
    tensor, index = args[0], args[1]
    if not on_gpu(tensor):
        if any(on_gpu(t) for t in _tensors_in((index,), {})):
            raise RuntimeError("indices should be either on cpu or on the same device as "
                               "the indexed tensor (cpu)")
        return func(*args, **kwargs)
    result = func(*args, **kwargs)
    return _mark_all(result) if func.__name__ == "__getitem__" else result


def _to(func: Callable, args: tuple, kwargs: dict) -> Any:
    """x.to(device, dtype), x.to(other): a move makes a copy, as between two devices."""
    tensor, rest = args[0], args[1:]
    other = rest[0] if rest and isinstance(rest[0], torch.Tensor) else kwargs.get("other")
    if isinstance(other, torch.Tensor):
        target, dtype = on_gpu(other), other.dtype
    else:
        device = kwargs.get("device", rest[0] if rest and not isinstance(rest[0], torch.dtype)
                            else None)
        dtype = kwargs.get("dtype", next((a for a in rest if isinstance(a, torch.dtype)),
                                         None))
        wanted = _requested(device)
        target = on_gpu(tensor) if wanted is None else wanted
    return _moved(tensor, target, dtype or tensor.dtype, bool(kwargs.get("copy")))


def _moved(tensor: torch.Tensor, target: bool, dtype: torch.dtype, copy: bool) -> torch.Tensor:
    moving = target != on_gpu(tensor)
    result = tensor.to(dtype, copy=copy or moving)
    if result is tensor:
        return tensor
    return to_gpu(result) if target else _set_mark(result, False)


def _cuda(func: Callable, args: tuple, kwargs: dict) -> Any:
    return _moved(args[0], True, args[0].dtype, False)


def _cpu(func: Callable, args: tuple, kwargs: dict) -> Any:
    return _moved(args[0], False, args[0].dtype, False)


def _type_as(func: Callable, args: tuple, kwargs: dict) -> Any:
    other = args[1] if len(args) > 1 else kwargs["other"]
    return _moved(args[0], on_gpu(other), other.dtype, False)


def _type(func: Callable, args: tuple, kwargs: dict) -> Any:
    """x.type(): the type's name, CUDA's on the GPU; x.type(torch.LongTensor) or a name:
    a tensor of that type, where the type says (torch.cuda.* on the GPU, else the CPU), as
    on a machine with a GPU; x.type(torch.long): the dtype, where x is."""
    tensor = args[0]
    wanted = args[1] if len(args) > 1 else kwargs.get("dtype")
    if wanted is None:
        name = func(*args, **kwargs)
        return name.replace("torch.", "torch.cuda.", 1) if on_gpu(tensor) else name
    if isinstance(wanted, torch.dtype):
        return _moved(tensor, on_gpu(tensor), wanted, False)
    text = wanted if isinstance(wanted, str) else f"{wanted.__module__}.{wanted.__name__}"
    converted = tensor.type(text.replace("torch.cuda.", "torch.", 1))
    return _moved(converted, text.startswith("torch.cuda."), converted.dtype, False)


def _numpy(func: Callable, args: tuple, kwargs: dict) -> Any:
    tensor = args[0]
    if on_gpu(tensor):  # CUDA's own words
        raise TypeError("can't convert cuda:0 device type tensor to numpy. Use Tensor.cpu() "
                        "to copy the tensor to host memory first.")
    return func(*args, **kwargs)


def _get_device(func: Callable, args: tuple, kwargs: dict) -> Any:
    return 0 if on_gpu(args[0]) else func(*args, **kwargs)


_SPECIAL: dict[str, Callable[[Callable, tuple, dict], Any]] = {
    "__getitem__": _indexing, "__setitem__": _indexing, "to": _to, "cuda": _cuda,
    "cpu": _cpu, "type_as": _type_as, "type": _type, "numpy": _numpy, "__array__": _numpy,
    "get_device": _get_device,
}


def _requested(device: Any) -> bool | None:
    """Whether a device= argument names the GPU (True), the CPU (False), or neither (None:
    no device, or another, such as meta, which is left as it is)."""
    if device is None:
        return None
    if isinstance(device, int) and not isinstance(device, bool):
        return True  # an index: a GPU's
    try:
        kind = torch.device(device).type
    except (RuntimeError, TypeError):
        return None
    return {"cuda": True, "cpu": False}.get(kind)


def _tensors_in(args: tuple, kwargs: dict) -> list[torch.Tensor]:
    found: list[torch.Tensor] = []

    def visit(value: Any, depth: int) -> None:
        if isinstance(value, torch.Tensor):
            found.append(value)
        elif depth < 3 and isinstance(value, (list, tuple)):
            for item in value:
                visit(item, depth + 1)

    for value in (*args, *kwargs.values()):
        visit(value, 0)
    return found


def _mark_all(result: Any) -> Any:
    """Put every tensor `result` holds (a tensor, or a tuple of them) on the GPU."""
    if isinstance(result, torch.Tensor):
        to_gpu(result)
    elif isinstance(result, (list, tuple)):
        for item in result:
            if isinstance(item, torch.Tensor):
                to_gpu(item)
    return result


def _set_mark(tensor: torch.Tensor, gpu: bool) -> torch.Tensor:
    if gpu:
        return to_gpu(tensor)
    if on_gpu(tensor):
        delattr(tensor, _MARK)
    return tensor
