"""What the worker runs around the student's attention layers.

It runs next to the student's code, so it holds no reference solution and no expected
value: it builds the student's nn.Module, calls it on the inputs the grader sent, and
reports the outputs and the module's own parameters. A function is run with the book's
versions of the functions it calls, so that a wrong SequenceMask costs its own tests,
not masked_softmax's: their code comes with the request (argument `book`,
harness.book_functions), only once every test of them has run.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

import torch

from autograder.harness import book_definitions, book_functions, describe_error, lent


def _collaborators_sent(module: ModuleType, book: str) -> Any:
    """The module's functions that the grader sent the book's code of (`book`,
    harness.book_functions) replaced by the book's for the duration."""
    namespace = book_functions(book)
    shipped = book_definitions(namespace)
    if "SequenceMask" in shipped:  # the book's masked_softmax calls it through namespace
        shipped["SequenceMask"] = namespace["SequenceMask"] = _lengths_on_any_device(
            shipped["SequenceMask"])
    return lent(module, shipped)


def _lengths_on_any_device(mask: Any) -> Any:
    """The book's SequenceMask, given the lengths on X's device: the course notebook's
    masked_softmax hands them over on the CPU (through NumPy), which its own SequenceMask
    accepts, so that masked_softmax is not judged on where SequenceMask wants them."""
    def SequenceMask(X: torch.Tensor, X_len: torch.Tensor,  # noqa: N802 - the book's name
                     value: float = -1e6) -> torch.Tensor:
        return mask(X, X_len.to(X.device), value)
    return SequenceMask


def masked(module: ModuleType, function: str, args: list, book: str = "") -> dict[str, Any]:
    """function(*args) (masked_softmax) with the book's functions the grader sent
    (`book`: SequenceMask) in place of the module's own."""
    with _collaborators_sent(module, book):
        return {"value": getattr(module, function)(*args)}


def attend(module: ModuleType, function: str, args: list, cases: list,
           training: bool = False, book: str = "") -> dict[str, Any]:
    """Build the attention class `function`(*args), move it to the inputs' device, put
    it in eval mode (training mode where `training`), and call it on each
    (query, key, value, valid_length) of `cases`, valid_length passed positionally,
    with the book's functions the grader sent (`book`: SequenceMask and masked_softmax)
    in place of the module's own.

    Reports the named parameters the module holds (the grader computes what its own
    layers should give), its submodules, and one output per case, or the error the
    forward pass raised.
    """
    with _collaborators_sent(module, book):
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


PROCEDURES = {"attention_layer": attend, "attention_masked": masked}
RESULT_KEYS = {"attention_layer": {"value", "is_module", "parameters", "submodules", "outputs",
                          "forward_error"},
               "attention_masked": {"value"}}
