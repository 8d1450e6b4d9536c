"""rnn_scratch's procedures in the worker: clipping, backpropagation through rnn,
prediction, and the feedback page's training run.

This runs next to the student's code (see autograder.harness): it holds no reference
solution, no expected value and none of the book's code. Where a procedure runs the
student's code with the book's collaborators (one_hot, to_onehot, init_rnn_state, rnn,
grad_clipping), the grader sends their code with the request (argument `book`,
autograder.harness.book_functions), and only to tests that run after every test of those
functions: so a predict_rnn is judged with a correct RNN around it, a mistake in the
student's one_hot or rnn costs that function alone, and the training curve shows the
student's rnn with correct collaborators where the student's failed their tests.
"""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType
from typing import Any

import torch

from autograder.harness import book_functions, describe_error, lent

# How many calls of rnn a prediction's record holds (a loop that never
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


def clip_sweep(module: ModuleType, function: str, params: list[torch.Tensor],
               grad_sets: list[list[torch.Tensor]], theta: float,
               clip_device: Any) -> dict[str, Any]:
    """clip() for each set of gradients in turn (the feedback page's picture): the
    gradients after each call."""
    return {"value": None,
            "grads": [clip(module, function, params, grads, theta, clip_device)["grads"]
                      for grads in grad_sets]}


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


def _borrowed(module: ModuleType, book: dict[str, Any], names: list[str]) -> Any:
    """The module's functions `names` are the book's (of `book`, what book_functions
    made of the code the grader sent) for the duration."""
    return lent(module, {name: book[name] for name in names})


def to_onehot(module: ModuleType, function: str, X: torch.Tensor,
              n_class: int, book: str = "") -> dict[str, Any]:
    """Call function(X, n_class) (to_onehot) with the book's one_hot (sent in `book`) in
    the module, so that a mistake in the student's one_hot costs one_hot alone."""
    fns = book_functions(book)
    with _borrowed(module, fns, ["one_hot"]):
        value = getattr(module, function)(X, n_class)
    return {"value": value, "args": [X, n_class]}


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


def _returned_as_rnn_should(outputs: Any, state: Any, inputs: Any, vocab_size: int) -> bool:
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
            book: str = "") -> dict[str, Any]:
    """Call the student's predict_rnn with the book's rnn and init_rnn_state (where the
    grader sent the book's one_hot, to_onehot, init_rnn_state and rnn in `book`; its
    module's one_hot and to_onehot are the book's during the call) or the student's own
    (where it sent none), and record every call of them.

    Each call of rnn is recorded with its inputs, the H of the state it was given and of
    the state it returned, and its outputs. Where the student's own collaborator raised,
    or its rnn returned something else than the book's rnn returns, the answer says so
    (collaborator_error) and holds no value: predict_rnn cannot be judged with it.
    """
    own = not book
    fns = {} if own else book_functions(book)
    rnn_fn: Callable = getattr(module, "rnn", None) if own else fns["rnn"]
    init_fn: Callable = getattr(module, "init_rnn_state", None) if own else fns["init_rnn_state"]
    calls: list[dict[str, Any]] = []

    # The book's parameter names: a call by keyword works as with the book's functions.
    def recorded_rnn(inputs: Any, state: Any, params: Any) -> Any:
        try:
            value = rnn_fn(inputs, state, params)
        except Exception as error:
            raise CollaboratorFailed(error) if own else error from None
        outputs, new_state = value if isinstance(value, tuple) and len(value) == 2 \
            else (None, None)
        if own and not _returned_as_rnn_should(outputs, new_state, inputs, vocab_size):
            raise CollaboratorFailed(TypeError("rnn returned something else than "
                                               "(outputs, (H,))"))
        if len(calls) < MAX_CALLS:
            calls.append({"inputs": _tensors(inputs), "state_in": _first_tensor(state),
                          "state_out": _first_tensor(new_state),
                          "outputs": _tensors(outputs)})
        return value

    def recorded_init(batch_size: Any, num_hiddens: Any, device: Any) -> Any:
        try:
            return init_fn(batch_size, num_hiddens, device)
        except Exception as error:
            raise CollaboratorFailed(error) if own else error from None

    try:
        with _borrowed(module, fns, [] if own else ["one_hot", "to_onehot"]):
            value = getattr(module, function)(prefix, num_chars, recorded_rnn, params,
                                              recorded_init, num_hiddens, vocab_size,
                                              predict_device, idx_to_char, char_to_idx)
    except CollaboratorFailed as failed:
        return {"value": None, "calls": calls,
                "collaborator_error": describe_error(failed.args[0])}
    return {"value": value, "calls": calls, "collaborator_error": None}


# -- the feedback page's training run --------------------------------------------------


# How many updates a training run records (the grader sends far fewer minibatches).
MAX_UPDATES = 1000


def _global_norm(params: list[torch.Tensor]) -> float:
    return float(torch.sqrt(sum((p.grad.detach().double() ** 2).sum() for p in params
                                if p.grad is not None)))


def training(module: ModuleType, function: str, batches: list, params: list[torch.Tensor],
             vocab_size: int, num_hiddens: int, lr: float, theta: float, epochs: int,
             trusted: list[str], prefix: str, pred_len: int, idx_to_char: list[str],
             char_to_idx: dict[str, int], train_device: Any, book: str = "") -> dict[str, Any]:
    """Train the student's rnn (`function`) as the book's train_and_predict_rnn does with
    consecutive sampling, on the minibatches `batches`, for `epochs` epochs, then write
    pred_len characters after `prefix` with the student's predict_rnn.

    The student's to_onehot, init_rnn_state and grad_clipping are the loop's
    collaborators, except those named in `trusted` (or missing), which are the book's,
    sent in `book` (one_hot too, for the student's to_onehot); predict_rnn is called only
    where it is not in `trusted`. Reports the loss of every update, the global norm of
    the gradients before and after clipping, and the text written (or the error that
    stopped predict_rnn).
    """
    fns = book_functions(book)

    def collaborator(name: str) -> Callable[..., Any]:
        own = getattr(module, name, None)
        return fns[name] if name in trusted or not callable(own) else own

    with _borrowed(module, fns, ["one_hot"] if "one_hot" in trusted else []):
        return _training(module, function, collaborator, batches, params, vocab_size,
                         num_hiddens, lr, theta, epochs, trusted, prefix, pred_len,
                         idx_to_char, char_to_idx, train_device)


def _training(module: ModuleType, function: str, collaborator: Callable, batches: list,
              params: list[torch.Tensor], vocab_size: int, num_hiddens: int, lr: float,
              theta: float, epochs: int, trusted: list[str], prefix: str, pred_len: int,
              idx_to_char: list[str], char_to_idx: dict[str, int],
              train_device: Any) -> dict[str, Any]:
    rnn_fn = getattr(module, function)
    to_onehot, init_state = collaborator("to_onehot"), collaborator("init_rnn_state")
    clip_fn = collaborator("grad_clipping")
    params = [p.detach().clone().requires_grad_(True) for p in params]
    losses: list[float] = []
    norms: list[list[float]] = []
    for _ in range(epochs):
        state = init_state(batches[0][0].shape[0], num_hiddens, train_device)
        for X, Y in batches:
            if len(losses) >= MAX_UPDATES:
                break
            # Backpropagation stays within a minibatch.
            state = tuple(s.detach() for s in state) if isinstance(state, (tuple, list)) \
                else state.detach()
            outputs, state = rnn_fn(to_onehot(X, vocab_size), state, params)
            y = torch.transpose(Y, 0, 1).contiguous().view(-1)
            loss = torch.nn.functional.cross_entropy(torch.cat(list(outputs), dim=0), y.long())
            for p in params:
                p.grad = None
            loss.backward()
            before = _global_norm(params)
            clip_fn(params, theta, train_device)
            norms.append([before, _global_norm(params)])
            with torch.no_grad():
                for p in params:
                    if p.grad is not None:
                        p -= lr * p.grad
            losses.append(float(loss.detach()))
    text, text_error = None, None
    if "predict_rnn" not in trusted:
        try:
            text = module.predict_rnn(prefix, pred_len, rnn_fn, params, init_state,
                                                  num_hiddens, vocab_size, train_device,
                                                  idx_to_char, char_to_idx)
        except Exception as error:
            text_error = describe_error(error)
    return {"value": None, "losses": losses, "norms": norms, "text": text,
            "text_error": text_error}


# Named after the module: the procedures of every unit share one table.
PROCEDURES = {"rnn_scratch.to_onehot": to_onehot, "rnn_scratch.clip": clip,
              "rnn_scratch.backward": backward, "rnn_scratch.predict": predict,
              "rnn_scratch.training": training, "rnn_scratch.clip_sweep": clip_sweep}
# What each answer always holds: one without it was not written by this code.
RESULT_KEYS = {
    "rnn_scratch.to_onehot": {"value", "args"},
    "rnn_scratch.clip": {"value", "params", "grads"},
    "rnn_scratch.backward": {"value", "grads", "state_grad", "backward_error"},
    "rnn_scratch.predict": {"value", "calls", "collaborator_error"},
    "rnn_scratch.training": {"value", "losses", "norms", "text", "text_error"},
    "rnn_scratch.clip_sweep": {"value", "grads"},
}
