"""rnn_scratch's procedures in the worker: clipping, backpropagation through rnn, prediction.

This runs next to the student's code (see autograder.harness): it holds no reference
solution and no expected value, only the book's collaborators of predict_rnn (one_hot,
to_onehot, init_rnn_state, rnn), so that a predict_rnn is judged with a correct RNN around
it and a mistake in the student's rnn costs rnn alone.
"""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType
from typing import Any

import torch

from autograder.harness import describe_error

# How many calls of rnn and init_rnn_state a prediction's record holds (a loop that never
# ends is stopped by the call's timeout; one that calls far too often, here).
MAX_CALLS = 500


def clip(module: ModuleType, function: str, params: list[torch.Tensor],
         grads: list[torch.Tensor], theta: float, clip_device: Any) -> dict[str, Any]:
    """Call function(params, theta, clip_device) on leaves that hold `grads`.

    Reports the value returned, each parameter afterwards, and its gradient afterwards
    (None where it has none).
    """
    leaves = [p.detach().clone().requires_grad_(True) for p in params]
    for leaf, grad in zip(leaves, grads):
        leaf.grad = grad.clone()
    value = getattr(module, function)(leaves, theta, clip_device)
    return {"value": value, "params": [p.detach().clone() for p in leaves],
            "grads": [None if p.grad is None else p.grad.detach().clone() for p in leaves]}


def backward(module: ModuleType, function: str, inputs: list[torch.Tensor],
             state: tuple[torch.Tensor, ...], params: list[torch.Tensor],
             upstream: list[torch.Tensor]) -> dict[str, Any]:
    """Call function(inputs, state, params) with the params and the state's H tracked by
    autograd, and backpropagate sum(outputs[t] * upstream[t]).

    Reports the value, the gradient reaching each parameter and the state's H (None where
    none does), and the error that stopped the backward pass, if any.
    """
    leaves = [p.detach().clone().requires_grad_(True) for p in params]
    H = state[0].detach().clone().requires_grad_(True)
    value = getattr(module, function)(inputs, (H,), leaves)
    result: dict[str, Any] = {"value": value, "grads": [None] * len(leaves), "state_grad": None,
                              "backward_error": None}
    try:
        outputs = value[0]
        total = sum((out * up).sum() for out, up in zip(outputs, upstream))
        if isinstance(total, torch.Tensor) and total.requires_grad:
            total.backward()
    except Exception as error:
        result["backward_error"] = describe_error(error)
    result["grads"] = [None if p.grad is None else p.grad.detach().clone() for p in leaves]
    result["state_grad"] = None if H.grad is None else H.grad.detach().clone()
    return result


# -- predict_rnn, with the book's collaborators or the student's own --------------------


def _book_one_hot(x: torch.Tensor, n_class: int, dtype: torch.dtype = torch.float32):
    x = x.long()
    res = torch.zeros(x.shape[0], n_class, dtype=dtype, device=x.device)
    res.scatter_(1, x.view(-1, 1), 1)
    return res


def _book_to_onehot(X: torch.Tensor, n_class: int) -> list[torch.Tensor]:
    return [_book_one_hot(X[:, i], n_class) for i in range(X.shape[1])]


def _book_init_rnn_state(batch_size: int, num_hiddens: int, device: Any):
    return (torch.zeros((batch_size, num_hiddens), device=device),)


def _book_rnn(inputs: list[torch.Tensor], state: tuple[torch.Tensor, ...],
              params: list[torch.Tensor]):
    W_xh, W_hh, b_h, W_hq, b_q = params
    H, = state
    outputs = []
    for X in inputs:
        H = torch.tanh(torch.matmul(X, W_xh) + torch.matmul(H, W_hh) + b_h)
        Y = torch.matmul(H, W_hq) + b_q
        outputs.append(Y)
    return outputs, (H,)


class CollaboratorFailed(Exception):
    """The student's own rnn or init_rnn_state raised: not predict_rnn's fault."""


def _first_tensor(value: Any) -> Any:
    """H of a state: the state itself where it is a tensor, else its first element."""
    if isinstance(value, torch.Tensor):
        return value.detach().clone()
    if isinstance(value, (tuple, list)) and value and isinstance(value[0], torch.Tensor):
        return value[0].detach().clone()
    return None


def _tensors(value: Any) -> Any:
    """A list of tensors (or a tensor stacked from them) as a list of detached copies, one
    per time step; anything else as None."""
    if isinstance(value, (list, tuple)) and all(isinstance(v, torch.Tensor) for v in value):
        return [v.detach().clone() for v in value]
    if isinstance(value, torch.Tensor):
        return [v.detach().clone() for v in value] if value.dim() == 3 \
            else [value.detach().clone()]
    return None


def _as_the_book_returns(outputs: Any, state: Any, inputs: Any, vocab_size: int) -> bool:
    """Whether rnn's outputs and state are what the book's rnn returns for `inputs`: a list
    of (batch_size, vocab_size) tensors, one per time step, and a tuple."""
    steps = _tensors(inputs)
    return isinstance(outputs, (list, tuple)) and isinstance(state, tuple) and \
        steps is not None and len(outputs) == len(steps) and \
        all(isinstance(y, torch.Tensor) and y.dim() == 2 and y.shape[1] == vocab_size
            and x.dim() == 2 and y.shape[0] == x.shape[0] for x, y in zip(steps, outputs))


def predict(module: ModuleType, function: str, prefix: str, num_chars: int,
            params: list[torch.Tensor], num_hiddens: int, vocab_size: int,
            predict_device: Any, idx_to_char: list[str], char_to_idx: dict[str, int],
            collaborators: str) -> dict[str, Any]:
    """Call the student's predict_rnn with the book's rnn and init_rnn_state
    (collaborators="book"; its module's one_hot and to_onehot are the book's during the
    call) or the student's own (collaborators="own"), and record every call of them.

    Each call of rnn is recorded with its inputs, the H of the state it was given and of
    the state it returned, and its outputs; each call of init_rnn_state with its
    arguments. Where the student's own collaborator raised, or its rnn returned something
    else than the book's rnn returns, the answer says so (collaborator_error) and holds
    no value: predict_rnn cannot be judged with it.
    """
    own = collaborators == "own"
    rnn_fn: Callable = getattr(module, "rnn", None) if own else _book_rnn
    init_fn: Callable = getattr(module, "init_rnn_state", None) if own else _book_init_rnn_state
    calls: list[dict[str, Any]] = []
    inits: list[dict[str, Any]] = []

    # The book's parameter names: a call by keyword works as with the book's functions.
    def recorded_rnn(inputs: Any, state: Any, params: Any) -> Any:
        try:
            value = rnn_fn(inputs, state, params)
        except Exception as error:
            raise CollaboratorFailed(error) if own else error from None
        outputs, new_state = value if isinstance(value, tuple) and len(value) == 2 \
            else (None, None)
        if own and not _as_the_book_returns(outputs, new_state, inputs, vocab_size):
            raise CollaboratorFailed(TypeError("rnn returned something else than "
                                               "(outputs, (H,))"))
        if len(calls) < MAX_CALLS:
            calls.append({"inputs": _tensors(inputs), "state_in": _first_tensor(state),
                          "state_out": _first_tensor(new_state),
                          "outputs": _tensors(outputs)})
        return value

    def recorded_init(batch_size: Any, num_hiddens: Any, device: Any) -> Any:
        if len(inits) < MAX_CALLS:
            inits.append({"batch_size": batch_size if isinstance(batch_size, int) else None,
                          "num_hiddens": num_hiddens if isinstance(num_hiddens, int) else None})
        try:
            return init_fn(batch_size, num_hiddens, device)
        except Exception as error:
            raise CollaboratorFailed(error) if own else error from None

    saved = {name: getattr(module, name) for name in ("one_hot", "to_onehot")
             if hasattr(module, name)}
    if not own:
        module.one_hot, module.to_onehot = _book_one_hot, _book_to_onehot
    try:
        value = getattr(module, function)(prefix, num_chars, recorded_rnn, params,
                                          recorded_init, num_hiddens, vocab_size,
                                          predict_device, idx_to_char, char_to_idx)
    except CollaboratorFailed as failed:
        return {"value": None, "calls": calls, "inits": inits,
                "collaborator_error": describe_error(failed.args[0])}
    finally:
        for name in ("one_hot", "to_onehot"):
            if name in saved:
                setattr(module, name, saved[name])
            elif hasattr(module, name):
                delattr(module, name)
    return {"value": value, "calls": calls, "inits": inits, "collaborator_error": None}


PROCEDURES = {"rnn_clip": clip, "rnn_backward": backward, "rnn_predict": predict}
# What each answer always holds: one without it was not written by this code.
RESULT_KEYS = {
    "rnn_clip": {"value", "params", "grads"},
    "rnn_backward": {"value", "grads", "state_grad", "backward_error"},
    "rnn_predict": {"value", "calls", "inits", "collaborator_error"},
}
