"""What the worker runs around the student's attention layers.

It runs next to the student's code, so it holds no reference solution and no expected
value: it builds the student's nn.Module, calls it on the inputs the grader sent, and
reports the outputs and the module's own parameters.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import torch

from autograder.harness import describe_error


def _book_sequence_mask(X: torch.Tensor, X_len: torch.Tensor,
                        value: float = -1e6) -> torch.Tensor:
    # Lengths on any device: the course's masked_softmax hands them over on the CPU.
    mask = torch.arange(X.size(1), device=X.device)[None, :] >= X_len.to(X.device)[:, None]
    X[mask] = value
    return X


def _book_masked_softmax(X: torch.Tensor, valid_length: torch.Tensor | None) -> torch.Tensor:
    if valid_length is None:
        return torch.softmax(X, dim=-1)
    shape = X.shape
    if valid_length.dim() == 1:
        valid_length = torch.repeat_interleave(valid_length, shape[1])
    else:
        valid_length = valid_length.reshape(-1)
    X = _book_sequence_mask(X.reshape(-1, shape[-1]).clone(), valid_length)
    return torch.softmax(X, dim=-1).reshape(shape)


# The book's versions of the collaborators, put in place of the student's while another
# function is graded: a wrong SequenceMask then costs its own tests, not masked_softmax's.
BOOK_COLLABORATORS = {"SequenceMask": _book_sequence_mask,
                      "masked_softmax": _book_masked_softmax}


@contextlib.contextmanager
def _book_versions(module: ModuleType, names: list[str]) -> Iterator[None]:
    saved = {name: vars(module)[name] for name in names if name in vars(module)}
    try:
        vars(module).update({name: BOOK_COLLABORATORS[name] for name in names})
        yield
    finally:
        for name in names:
            vars(module).pop(name, None)
        vars(module).update(saved)


def masked(module: ModuleType, function: str, args: list) -> dict[str, Any]:
    """function(*args) (masked_softmax) with the book's SequenceMask in place of the
    module's own."""
    with _book_versions(module, ["SequenceMask"]):
        return {"value": getattr(module, function)(*args)}


def attend(module: ModuleType, function: str, args: list, cases: list,
           training: bool = False) -> dict[str, Any]:
    """Build the attention class `function`(*args), move it to the inputs' device, put
    it in eval mode (training mode where `training`), and call it on each
    (query, key, value, valid_length) of `cases`, valid_length passed positionally,
    with the book's SequenceMask and masked_softmax in place of the module's own.

    Reports the named parameters the module holds (the grader computes what its own
    layers should give), its submodules, and one output per case, or the error the
    forward pass raised.
    """
    with _book_versions(module, list(BOOK_COLLABORATORS)):
        return _attend(module, function, args, cases, training)


def _attend(module: ModuleType, function: str, args: list, cases: list,
            training: bool) -> dict[str, Any]:
    net = getattr(module, function)(*args)
    if not isinstance(net, torch.nn.Module):
        return {"value": net, "is_module": False, "parameters": [], "submodules": [],
                "outputs": [], "forward_error": None}
    if cases:
        net = net.to(cases[0][0].device)
    net.train(training)
    parameters = [(name, param.detach().clone()) for name, param in net.named_parameters()]
    submodules = [(name, type(sub).__name__) for name, sub in net.named_modules() if name]
    outputs: list[Any] = []
    forward_error = None
    try:
        for query, key, value, valid_length in cases:
            outputs.append(net(query, key, value, valid_length))
    except Exception as error:
        forward_error = describe_error(error)
    return {"value": None, "is_module": True, "parameters": parameters,
            "submodules": submodules, "outputs": outputs, "forward_error": forward_error}


PROCEDURES = {"attention_layer": attend, "masked_with_book_mask": masked}
RESULT_KEYS = {"attention_layer": {"value", "is_module", "parameters", "submodules", "outputs",
                          "forward_error"},
               "masked_with_book_mask": {"value"}}
