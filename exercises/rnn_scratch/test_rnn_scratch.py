"""Hidden suite for rnn_scratch.py: one-hot inputs, the RNN, gradient clipping, prediction.

Parameters and inputs are drawn from seeded generators; expected values come from the
reference. predict_rnn is judged with the book's rnn and init_rnn_state around it (the
worker's rnn_scratch.predict procedure), so that a mistake in the learner's rnn costs rnn alone,
and once more with the learner's own, for consistency only. The book's code is the
reference's, sent with the request to the tests that declare it (collaborators=...), which
run after every test of those functions. Its vocabulary is the 26 letters, the space and
the full stop: no corpus is needed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import torch

from autograder.checks import (
    Outcome,
    apparent_device,
    code,
    describe,
    error_diagnosis,
    expect_placed,
    expect_tensor,
    is_close,
    same_device,
    values_right,
)
from autograder.messages import Diagnosis, Phrase
from autograder.plugin import PLACEMENT_DEVICES, grades
from autograder.registry import reference

ref = reference("rnn_scratch")

# Mutants of the reference that change its code but not what it computes
# (`autograder exercise check`).
EQUIVALENT_MUTANTS = {
    "grad_clipping:comparison:0b004cf3":
        "norm >= theta instead of norm > theta also scales where norm == theta, by "
        "theta / norm, which is exactly 1.0 for two equal floats: the gradients are "
        "multiplied by 1.0 and stay bit for bit what they were",
}

VOCAB = list("abcdefghijklmnopqrstuvwxyz .")
CHAR_TO_IDX = {c: i for i, c in enumerate(VOCAB)}


def generator(seed: int) -> torch.Generator:
    return torch.Generator().manual_seed(seed)


def tokens(seed: int, shape: tuple[int, ...], n_class: int) -> torch.Tensor:
    return torch.randint(0, n_class, shape, generator=generator(seed))


def rnn_params(seed: int, vocab_size: int, num_hiddens: int) -> list[torch.Tensor]:
    """[W_xh, W_hh, b_h, W_hq, b_q], large enough that every step matters."""
    g = generator(seed)
    return [torch.randn(vocab_size, num_hiddens, generator=g),
            torch.randn(num_hiddens, num_hiddens, generator=g) * 0.5,
            torch.randn(num_hiddens, generator=g) * 0.2,
            torch.randn(num_hiddens, vocab_size, generator=g),
            torch.randn(vocab_size, generator=g) * 0.2]


def torch_device(device: str) -> torch.device:
    """The device argument the learner's code is given on a lane (cuda on placement)."""
    return torch.device(apparent_device(device))


# -- one_hot ------------------------------------------------------------------------------


def check_one_hot(out: Outcome, x: torch.Tensor, n_class: int,
                  dtype: torch.dtype = torch.float32) -> None:
    expected = ref.one_hot(x, n_class, dtype)
    value = out.value
    if type(value) is torch.Tensor and value.shape == expected.shape and \
            value.dtype != expected.dtype:
        if value.dtype == torch.int64:
            raise Diagnosis("one_hot.int64", dtype=str(dtype))
        if dtype != torch.float32 and value.dtype == torch.float32:
            raise Diagnosis("one_hot.ignores_dtype", dtype=str(dtype))
    expect_tensor(out, value, expected, what=code("one_hot(x, n_class)"))
    if not torch.equal(out.result["args"][0].cpu(), x):
        raise Diagnosis("modified_input", function="one_hot", argument="x")


@grades("one_hot", points=0.5, public=True)
def test_one_hot_values(student, device):
    """one_hot puts a single 1 in column x[i] of row i"""
    x = tokens(11, (6,), 8)
    check_one_hot(student.call("one_hot", x, 8, device=device), x, 8)


@grades("one_hot", points=0.25)
def test_one_hot_dtype_and_float_indices(student, device):
    """one_hot takes float32 token indices, as the book's samplers make them, and honours dtype"""
    x = tokens(12, (5,), 7).float()
    check_one_hot(student.call("one_hot", x, 7, dtype=torch.float64, device=device), x, 7,
                  torch.float64)


@grades("one_hot", points=0.25, devices=PLACEMENT_DEVICES)
def test_one_hot_device(student, device):
    """one_hot keeps its right result on x's device"""
    x = tokens(13, (4,), 5)
    out = student.call("one_hot", x, 5, device=device)
    expect_placed(out, out.value)
    with values_right("one_hot"):
        check_one_hot(out, x, 5)


# -- to_onehot ----------------------------------------------------------------------------


def call_to_onehot(student, X: torch.Tensor, n_class: int, device: str) -> Outcome:
    """to_onehot(X, n_class) in the worker, with the book's one_hot in its module: a mistake
    in one_hot costs one_hot alone."""
    return student.run("rnn_scratch.to_onehot", "to_onehot", device=device, book=["one_hot"],
                       X=X, n_class=n_class)


def check_to_onehot(out: Outcome, X: torch.Tensor, n_class: int) -> None:
    expected = ref.to_onehot(X, n_class)
    value = out.value
    batch_size, num_steps = X.shape
    if not isinstance(value, (list, tuple)):
        raise Diagnosis("to_onehot.not_list", steps=num_steps, actual=describe(value))
    by_sequence = [ref.one_hot(X[i], n_class) for i in range(batch_size)]
    if len(value) == batch_size and all(type(v) is torch.Tensor and is_close(v.cpu(), e)
                                        for v, e in zip(value, by_sequence)):
        raise Diagnosis("to_onehot.over_batch", steps=num_steps, batch=batch_size)
    if len(value) != num_steps:
        raise Diagnosis("to_onehot.count", actual=len(value), steps=num_steps)
    for t, (item, want) in enumerate(zip(value, expected)):
        expect_tensor(out, item, want, what=code(f"to_onehot(X, n_class)[{t}]"))


@grades("to_onehot", points=0.5, public=True, collaborators=("one_hot",))
def test_to_onehot_values(student, device):
    """to_onehot gives one (batch_size, n_class) one-hot matrix per time step"""
    X = tokens(21, (3, 5), 9)
    check_to_onehot(call_to_onehot(student, X, 9, device), X, 9)


@grades("to_onehot", points=0.25, devices=PLACEMENT_DEVICES, collaborators=("one_hot",))
def test_to_onehot_device(student, device):
    """to_onehot keeps its right matrices on X's device"""
    X = tokens(22, (2, 3), 6)
    out = call_to_onehot(student, X, 6, device)
    expect_placed(out, out.value)
    with values_right("to_onehot"):
        check_to_onehot(out, X, 6)


# -- init_rnn_state -----------------------------------------------------------------------


def check_state(out: Outcome, batch_size: int, num_hiddens: int) -> None:
    value = out.value
    if not isinstance(value, tuple):
        raise Diagnosis("init_rnn_state.not_tuple", actual=describe(value))
    if len(value) != 1:
        raise Diagnosis("init_rnn_state.length", actual=describe(value))
    expect_tensor(out, value[0], ref.init_rnn_state(batch_size, num_hiddens, "cpu")[0],
                  what=code("H"))


@grades("init_rnn_state", points=0.5, public=True)
def test_init_rnn_state_values(student, device):
    """init_rnn_state returns the tuple (H,) with H zeros of shape (batch_size, num_hiddens)"""
    out = student.call("init_rnn_state", 3, 6, torch_device(device), device=device)
    check_state(out, 3, 6)


@grades("init_rnn_state", points=0.25, devices=PLACEMENT_DEVICES)
def test_init_rnn_state_device(student, device):
    """init_rnn_state puts the right state on the device it is given"""
    out = student.call("init_rnn_state", 2, 4, torch_device(device), device=device)
    expect_placed(out, out.value)
    with values_right("init_rnn_state"):
        check_state(out, 2, 4)


# -- rnn ----------------------------------------------------------------------------------


@dataclass
class RNNCase:
    inputs: list[torch.Tensor]
    state: tuple[torch.Tensor]
    params: list[torch.Tensor]


def rnn_case(seed: int, batch_size: int = 3, num_steps: int = 4, vocab_size: int = 7,
             num_hiddens: int = 5) -> RNNCase:
    X = tokens(seed, (batch_size, num_steps), vocab_size)
    H0 = torch.tanh(torch.randn(batch_size, num_hiddens, generator=generator(seed + 1)))
    return RNNCase(ref.to_onehot(X, vocab_size), (H0,),
                   rnn_params(seed + 2, vocab_size, num_hiddens))


def rnn_variant(case: RNNCase, activation=torch.tanh, carry: bool = True,
                new_h_for_y: bool = True) -> tuple[list[torch.Tensor], torch.Tensor]:
    """The RNN with one classic change: another activation, the state not carried from step
    to step, or each output computed from the state before the step."""
    W_xh, W_hh, b_h, W_hq, b_q = case.params
    H0, = case.state
    H, outputs = H0, []
    for X in case.inputs:
        new = activation(X @ W_xh + (H if carry else H0) @ W_hh + b_h)
        outputs.append((new if new_h_for_y else H) @ W_hq + b_q)
        H = new
    return outputs, H


def diagnose_outputs(outputs: list[torch.Tensor], expected: list[torch.Tensor],
                     case: RNNCase) -> None:
    """Name the classic mistake whose outputs these are, where one is."""
    def matches(variant: list[torch.Tensor]) -> bool:
        return all(is_close(a, e) for a, e in zip(outputs, variant))

    if matches(expected):
        return
    if matches(rnn_variant(case, activation=torch.relu)[0]):
        raise Diagnosis("rnn.relu")
    if matches(rnn_variant(case, carry=False)[0]):
        raise Diagnosis("rnn.state_not_carried")
    if matches(rnn_variant(case, new_h_for_y=False)[0]):
        raise Diagnosis("rnn.y_from_old_h")


def check_rnn(out: Outcome, case: RNNCase) -> None:
    expected_outputs, (expected_H,) = ref.rnn(case.inputs, case.state, case.params)
    value = out.value
    if not isinstance(value, (tuple, list)) or len(value) != 2:
        raise Diagnosis("rnn.not_pair", actual=describe(value))
    outputs, state = value
    steps = len(case.inputs)
    if not isinstance(outputs, (list, tuple)) or len(outputs) != steps:
        raise Diagnosis("rnn.outputs_not_list", steps=steps, actual=describe(outputs))
    for t, (item, want) in enumerate(zip(outputs, expected_outputs)):
        expect_tensor(out, item, want, what=code(f"outputs[{t}]"), check_values=False)
    diagnose_outputs([o.cpu() for o in outputs], expected_outputs, case)
    for t, (item, want) in enumerate(zip(outputs, expected_outputs)):
        expect_tensor(out, item, want, what=code(f"outputs[{t}]"))
    if not isinstance(state, tuple) or len(state) != 1:
        raise Diagnosis("rnn.state_not_tuple", actual=describe(state))
    H = state[0]
    if type(H) is torch.Tensor and H.shape == expected_H.shape and \
            not is_close(H.cpu(), expected_H) and is_close(H.cpu(), case.state[0]):
        raise Diagnosis("rnn.final_state", steps=steps)
    expect_tensor(out, H, expected_H, what=code("H"))


@grades("rnn", points=1, public=True)
def test_rnn_values(student, device):
    """rnn computes H = tanh(X W_xh + H W_hh + b_h), then Y = H W_hq + b_q, at every step"""
    case = rnn_case(31)
    check_rnn(student.call("rnn", case.inputs, case.state, case.params, device=device), case)


@grades("rnn", points=0.5)
def test_rnn_gradient(student, device):
    """rnn lets gradients flow from its outputs to every parameter and to the state given"""
    case = rnn_case(32, batch_size=2, num_steps=3)
    upstream = [torch.randn(o.shape, generator=generator(33 + t))
                for t, o in enumerate(ref.rnn(case.inputs, case.state, case.params)[0])]
    out = student.run("rnn_scratch.backward", "rnn", device=device, inputs=case.inputs,
                      state=case.state, params=case.params, upstream=upstream)
    check_rnn(out, case)
    if out.result["backward_error"] is not None:
        raise error_diagnosis("rnn", out.result["backward_error"])
    params = [p.clone().requires_grad_(True) for p in case.params]
    H0 = case.state[0].clone().requires_grad_(True)
    outputs, _ = ref.rnn(case.inputs, (H0,), params)
    sum((o * u).sum() for o, u in zip(outputs, upstream)).backward()
    names = ["W_xh", "W_hh", "b_h", "W_hq", "b_q"]
    for name, grad, param in zip(names, out.result["grads"], params):
        if grad is None:
            raise Diagnosis("rnn.no_grad", name=name)
        expect_tensor(out, grad, param.grad, what=Phrase("rnn.what_grad", name=name))
    if out.result["state_grad"] is None:
        raise Diagnosis("rnn.no_grad", name="H")
    expect_tensor(out, out.result["state_grad"], H0.grad, what=Phrase("rnn.what_grad", name="H"))


@grades("rnn", points=0.25, devices=PLACEMENT_DEVICES)
def test_rnn_device(student, device):
    """rnn keeps its right outputs and state on the parameters' device"""
    case = rnn_case(34, batch_size=2, num_steps=2)
    out = student.call("rnn", case.inputs, case.state, case.params, device=device)
    expect_placed(out, out.value)
    with values_right("rnn"):
        check_rnn(out, case)


# -- grad_clipping ------------------------------------------------------------------------


def clipping_case(seed: int, norm: float) -> tuple[list[torch.Tensor], list[torch.Tensor]]:
    """Parameters of three shapes and gradients whose global norm is `norm`."""
    g = generator(seed)
    shapes = [(4, 3), (3,), (3, 2)]
    params = [torch.randn(shape, generator=g) for shape in shapes]
    grads = [torch.randn(shape, generator=g) * (i + 1) for i, shape in enumerate(shapes)]
    total = torch.sqrt(sum((grad ** 2).sum() for grad in grads))
    return params, [grad * (norm / total) for grad in grads]


def expected_clipping(params: list[torch.Tensor], grads: list[torch.Tensor],
                      theta: float) -> list[torch.Tensor]:
    leaves = [p.clone().requires_grad_(True) for p in params]
    for leaf, grad in zip(leaves, grads):
        leaf.grad = grad.clone()
    ref.grad_clipping(leaves, theta, "cpu")
    return [leaf.grad for leaf in leaves]


def matches(actual: list[Any], expected: list[torch.Tensor]) -> bool:
    return all(type(a) is torch.Tensor and is_close(a.cpu(), e) for a, e in zip(actual, expected))


def check_clipping(out: Outcome, params: list[torch.Tensor], grads: list[torch.Tensor],
                   theta: float) -> None:
    expected = expected_clipping(params, grads, theta)
    actual = out.result["grads"]
    norm = float(torch.sqrt(sum((grad ** 2).sum() for grad in grads)))
    for after, before in zip(out.result["params"], params):
        if not is_close(after.cpu(), before):
            raise Diagnosis("grad_clipping.scaled_params")
    if any(grad is None for grad in actual):
        raise Diagnosis("grad_clipping.grad_removed")
    if matches(actual, expected):
        return
    own = [g * min(1.0, theta / float(torch.sqrt((g ** 2).sum()))) for g in grads]
    if norm > theta and matches(actual, own):
        raise Diagnosis("grad_clipping.per_parameter")
    squared = norm ** 2
    if squared > theta and matches(actual, [g * (theta / squared) for g in grads]):
        raise Diagnosis("grad_clipping.no_sqrt")
    if norm <= theta and matches(actual, [g * (theta / norm) for g in grads]):
        raise Diagnosis("grad_clipping.always", norm=norm, theta=theta)
    if norm > theta and matches(actual, grads):
        raise Diagnosis("grad_clipping.unchanged", norm=norm, theta=theta)
    for t, (grad, want) in enumerate(zip(actual, expected)):
        expect_tensor(out, grad, want, what=code(f"params[{t}].grad"))


def clip(student, device: str, params: list[torch.Tensor], grads: list[torch.Tensor],
         theta: float) -> Outcome:
    return student.run("rnn_scratch.clip", "grad_clipping", device=device, params=params,
                       grads=grads, theta=theta, clip_device=torch_device(device))


@grades("grad_clipping", points=0.75, public=True)
def test_grad_clipping_above_theta(student, device):
    """grad_clipping scales every gradient by theta / norm, with the global norm of all of them"""
    params, grads = clipping_case(41, norm=6.0)
    check_clipping(clip(student, device, params, grads, 2.0), params, grads, 2.0)


@grades("grad_clipping", points=0.5)
def test_grad_clipping_below_theta(student, device):
    """grad_clipping leaves the gradients alone when their global norm is at most theta"""
    params, grads = clipping_case(42, norm=1.5)  # its square, 2.25, is above theta
    check_clipping(clip(student, device, params, grads, 2.0), params, grads, 2.0)


@grades("grad_clipping", points=0.25, devices=PLACEMENT_DEVICES)
def test_grad_clipping_device(student, device):
    """grad_clipping keeps the right gradients on the parameters' device"""
    params, grads = clipping_case(43, norm=3.0)
    out = clip(student, device, params, grads, 1.0)
    expect_placed(out, out.result["grads"])
    with values_right("grad_clipping"):
        check_clipping(out, params, grads, 1.0)


# -- predict_rnn --------------------------------------------------------------------------

NUM_HIDDENS = 16


@dataclass
class PredictCase:
    prefix: str
    num_chars: int
    params: list[torch.Tensor]

    @property
    def expected(self) -> str:
        return ref.predict_rnn(self.prefix, self.num_chars, ref.rnn, self.params,
                               ref.init_rnn_state, NUM_HIDDENS, len(VOCAB), "cpu", VOCAB,
                               CHAR_TO_IDX)


# What predict_rnn is judged with: the book's rnn and init_rnn_state, and the book's
# to_onehot (with the one_hot it calls) in its module (the tests that use it declare
# these, written out: collaborators=(...) is read as a literal).
BOOK_AROUND_PREDICT = ("one_hot", "to_onehot", "init_rnn_state", "rnn")


def predict(student, device: str, case: PredictCase, own: bool = False) -> Outcome:
    """predict_rnn in the worker, with the book's collaborators around it (with the
    learner's own where `own`)."""
    return student.run("rnn_scratch.predict", "predict_rnn", device=device,
                       book=[] if own else list(BOOK_AROUND_PREDICT), prefix=case.prefix,
                       num_chars=case.num_chars, params=case.params,
                       num_hiddens=NUM_HIDDENS, vocab_size=len(VOCAB),
                       predict_device=torch_device(device), idx_to_char=VOCAB,
                       char_to_idx=CHAR_TO_IDX)


def token_of(x: Any) -> int | None:
    """The index a one-hot row (1, vocab_size) stands for; None for anything else."""
    if type(x) is not torch.Tensor or x.dim() != 2 or x.shape[0] != 1:
        return None
    row = x[0].cpu()
    if not bool(((row == 0) | (row == 1)).all()) or int((row == 1).sum()) != 1:
        return None
    return int(row.argmax())


@dataclass
class Step:
    fed: int | None  # the token read at this time step
    predicted: int | None  # the argmax of the output of this time step


def steps_of(calls: list[dict[str, Any]]) -> list[Step] | None:
    """The time steps of every call of rnn, in order; None where a call cannot be read."""
    steps = []
    for call in calls:
        inputs, outputs = call["inputs"], call["outputs"]
        if inputs is None or outputs is None or len(inputs) != len(outputs):
            return None
        for x, y in zip(inputs, outputs):
            readable = type(y) is torch.Tensor and y.dim() == 2 and y.shape[0] >= 1
            steps.append(Step(token_of(x), int(y[0].cpu().argmax()) if readable else None))
    return steps


def check_state_carried(calls: list[dict[str, Any]]) -> None:
    for k in range(1, len(calls)):
        before, now = calls[k - 1]["state_out"], calls[k]["state_in"]
        if type(before) is torch.Tensor and type(now) is torch.Tensor and \
                (before.shape != now.shape or not is_close(now.cpu(), before.cpu())):
            raise Diagnosis("predict_rnn.state_not_carried", call=k + 1)


def check_prediction(out: Outcome, case: PredictCase, own: bool = False) -> None:
    """The text predict_rnn wrote: right (with the book's rnn), or consistent with the calls
    of rnn it made (with the learner's own); otherwise, why not."""
    value = out.value
    if not isinstance(value, str):
        raise Diagnosis("predict_rnn.not_str", actual=describe(value))
    prefix, num_chars = case.prefix, case.num_chars
    expected = None if own else case.expected
    if value == expected:
        return
    steps = steps_of(out.result["calls"])
    P = len(prefix)
    wanted = [CHAR_TO_IDX[c] for c in prefix]
    if steps is not None:
        fed = [s.fed for s in steps]
        if fed[:P] != wanted:
            if P > 1 and len(steps) > 1 and fed[0] == wanted[0] and fed[1] != wanted[1] \
                    and fed[1] == steps[0].predicted:
                raise Diagnosis("predict_rnn.prefix_as_predictions", prefix=prefix)
            raise Diagnosis("predict_rnn.prefix_not_fed", prefix=prefix,
                            read="".join("?" if t is None else VOCAB[t] for t in fed[:P]))
        check_state_carried(out.result["calls"])
        written = "".join(VOCAB[s.predicted] if s.predicted is not None else "?"
                          for s in steps[P - 1:])[:num_chars]
        if own and value == prefix + written and len(written) == num_chars:
            return
        if value == written:
            raise Diagnosis("predict_rnn.drops_prefix", prefix=prefix)
    elif own:
        return  # the learner's own rnn gives nothing to compare with: its tests say why
    else:
        written = expected[P:]
    if len(value) > P and value.startswith(prefix) and P > 1 and \
            value[P:].startswith(prefix[1:]) and not written.startswith(prefix[1:]):
        raise Diagnosis("predict_rnn.repeats_prefix", prefix=prefix)
    if not value.startswith(prefix) and value.endswith(written):
        raise Diagnosis("predict_rnn.drops_prefix", prefix=prefix)
    if len(value) != P + num_chars:
        raise Diagnosis("predict_rnn.length", actual=len(value), prefix=P, num_chars=num_chars,
                        expected=P + num_chars)
    if steps is not None:
        for s in range(P, P + num_chars - 1):
            if s < len(steps) and steps[s].fed != CHAR_TO_IDX.get(value[s]):
                raise Diagnosis("predict_rnn.not_fed_back", position=s)
    if value[P:] != written:
        raise Diagnosis("predict_rnn.not_argmax")
    raise Diagnosis("predict_rnn.wrong_text", prefix=prefix, num_chars=num_chars,
                    actual=value, expected=expected)


def predict_case(seed: int, prefix: str, num_chars: int) -> PredictCase:
    return PredictCase(prefix, num_chars, rnn_params(seed, len(VOCAB), NUM_HIDDENS))


@grades("predict_rnn", points=1, public=True,
        collaborators=("one_hot", "to_onehot", "init_rnn_state", "rnn"))
def test_predict_rnn_with_the_books_rnn(student, device):
    """predict_rnn reads the prefix, then writes each best guess and feeds it back in"""
    for case in (predict_case(51, "time", 12), predict_case(52, "a", 6)):
        out = predict(student, device, case)
        check_prediction(out, case)


@grades("predict_rnn", points=0.25)
def test_predict_rnn_with_its_own_rnn(student, device):
    """predict_rnn drives the learner's own rnn and init_rnn_state the same way"""
    case = predict_case(53, "rnn", 8)
    out = predict(student, device, case, own=True)
    if out.result["collaborator_error"] is not None:
        return  # rnn or init_rnn_state raised: their own tests say why
    check_prediction(out, case, own=True)


@grades("predict_rnn", points=0.25, devices=PLACEMENT_DEVICES,
        collaborators=("one_hot", "to_onehot", "init_rnn_state", "rnn"))
def test_predict_rnn_device(student, device):
    """predict_rnn gives rnn its inputs on the device it is given"""
    case = predict_case(54, "dive", 5)
    out = predict(student, device, case)
    for call in out.result["calls"]:
        for x in call["inputs"] or []:
            where = out.device_of(x)
            if not same_device(where, device):
                raise Diagnosis("wrong_device", what=Phrase("predict_rnn.what_input"),
                                actual=where, expected=apparent_device(device))
    with values_right("predict_rnn"):
        check_prediction(out, case)
