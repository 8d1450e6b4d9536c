"""Hidden suite for gated_rnn.py: the GRU and the LSTM from scratch, and their states.

The models run over random inputs, a random (nonzero) initial state and random
parameters, so that every gate matters from the first step on. Two GRUs are right: the
book's candidate (R * H) @ W_hh and the course notebook's R * (H @ W_hh), which PyTorch's
nn.GRU computes; both get full marks, and the feedback says which one the learner wrote.
A wrong model is compared with the classic mistakes, computed here on the same inputs,
to name the one it made.
"""

from __future__ import annotations

from collections.abc import Callable

import torch

from autograder.checks import (
    Outcome,
    Student,
    apparent_device,
    describe,
    expect_placed,
    expect_tensor,
    is_close,
    same_device,
    values_right,
)
from autograder.messages import Diagnosis, Phrase
from autograder.plugin import PLACEMENT_DEVICES, grades
from autograder.registry import reference

ref = reference("gated_rnn")

# Mutants of the reference that change its code but not what it computes
# (`autograder exercise check`): none, every mutant of gru, lstm and the states is killed.
EQUIVALENT_MUTANTS = {}

BATCH, VOCAB, HIDDENS, STEPS = 3, 5, 4, 4
GRU_PARAMS, LSTM_PARAMS = 11, 14  # 3 gate triples + W_hq, b_q; 4 gate triples + W_hq, b_q


def normal(generator: torch.Generator, *shape: int, scale: float = 1.0) -> torch.Tensor:
    return torch.randn(*shape, generator=generator) * scale


def make_params(seed: int, count: int) -> list[torch.Tensor]:
    """The parameters in the book's order: (W_x*, W_h*, b_*) per gate, then W_hq, b_q."""
    generator = torch.Generator().manual_seed(seed)
    params = []
    for _ in range((count - 2) // 3):
        params += [normal(generator, VOCAB, HIDDENS, scale=0.5),
                   normal(generator, HIDDENS, HIDDENS, scale=0.5),
                   normal(generator, HIDDENS, scale=0.3)]
    return params + [normal(generator, HIDDENS, VOCAB, scale=0.5),
                     normal(generator, VOCAB, scale=0.3)]


def make_inputs(seed: int) -> list[torch.Tensor]:
    generator = torch.Generator().manual_seed(seed)
    return [normal(generator, BATCH, VOCAB) for _ in range(STEPS)]


def make_state(seed: int, count: int) -> tuple[torch.Tensor, ...]:
    generator = torch.Generator().manual_seed(seed)
    return tuple(normal(generator, BATCH, HIDDENS, scale=0.5) for _ in range(count))


# -- the forms a learner's model may compute: the right ones and the classic mistakes ----

Forward = Callable[[list, tuple, list], tuple[list, tuple]]


def gru_form(reset: str = "book", *, swap: bool = False,
             candidate: Callable = torch.tanh, stale: str = "",
             output_before: bool = False, gates_swapped: bool = False) -> Forward:
    """A GRU with the candidate reset `book` ((R * H) @ W_hh) or `course` (R * (H @ W_hh)),
    or one of the classic mistakes: Z and 1 - Z swapped; another candidate activation;
    a stale H (`all`: never carried; `gates`: the gates read the initial H while the update
    carries it); Y computed from the H before the update; the parameters of Z and R
    swapped (params unpacked in another order)."""
    def forward(inputs, state, params):
        W_xz, W_hz, b_z, W_xr, W_hr, b_r, W_xh, W_hh, b_h, W_hq, b_q = params
        if gates_swapped:
            W_xz, W_hz, b_z, W_xr, W_hr, b_r = W_xr, W_hr, b_r, W_xz, W_hz, b_z
        H0, = state
        H = H0
        outputs = []
        for X in inputs:
            G = H0 if stale else H
            Z = torch.sigmoid(X @ W_xz + G @ W_hz + b_z)
            R = torch.sigmoid(X @ W_xr + G @ W_hr + b_r)
            hidden = (R * G) @ W_hh if reset == "book" else R * (G @ W_hh)
            H_tilda = candidate(X @ W_xh + hidden + b_h)
            old = H0 if stale == "all" else H
            new = (1 - Z) * old + Z * H_tilda if swap else Z * old + (1 - Z) * H_tilda
            outputs.append((H if output_before else new) @ W_hq + b_q)
            H = new
        return outputs, (H,)
    return forward


def lstm_form(*, candidate: Callable = torch.tanh, cell_tanh: bool = True,
              stale: bool = False, carry_cell: bool = True,
              gates_swapped: bool = False) -> Forward:
    """The LSTM, or one of the classic mistakes: another candidate activation; H = O * C
    without tanh; the gates reading the initial H at every step; C not carried; the input
    and forget gates' parameters swapped."""
    def forward(inputs, state, params):
        (W_xi, W_hi, b_i, W_xf, W_hf, b_f, W_xo, W_ho, b_o, W_xc, W_hc, b_c,
         W_hq, b_q) = params
        if gates_swapped:
            W_xi, W_hi, b_i, W_xf, W_hf, b_f = W_xf, W_hf, b_f, W_xi, W_hi, b_i
        H0, C0 = state
        H, C = H0, C0
        outputs = []
        for X in inputs:
            G = H0 if stale else H
            input_gate = torch.sigmoid(X @ W_xi + G @ W_hi + b_i)
            forget_gate = torch.sigmoid(X @ W_xf + G @ W_hf + b_f)
            output_gate = torch.sigmoid(X @ W_xo + G @ W_ho + b_o)
            C_tilda = candidate(X @ W_xc + G @ W_hc + b_c)
            C = forget_gate * (C if carry_cell else C0) + input_gate * C_tilda
            H = output_gate * (C.tanh() if cell_tanh else C)
            outputs.append(H @ W_hq + b_q)
        return outputs, (H, C)
    return forward


def book_gru(inputs, state, params):
    return ref.gru(inputs, state, params)


def course_gru(inputs, state, params):
    # The reference's own code with the reset after the product, R * (H @ W_hh).
    return gru_form("course")(inputs, state, params)


ACCEPTED = {
    "gru": [("gru.form.book", book_gru), ("gru.form.course", course_gru)],
    "lstm": [("", ref.lstm)],
}
MISTAKES = {
    "gru": [(key, gru_form(reset, **change)) for reset in ("book", "course")
            for key, change in (("gru.z_swapped", {"swap": True}),
                                ("gated.candidate_sigmoid", {"candidate": torch.sigmoid}),
                                ("gated.stale_state", {"stale": "all"}),
                                ("gated.stale_state", {"stale": "gates"}),
                                ("gated.output_before_update", {"output_before": True}),
                                ("gated.gates_swapped", {"gates_swapped": True}))],
    "lstm": [("lstm.no_tanh_on_cell", lstm_form(cell_tanh=False)),
             ("gated.candidate_sigmoid", lstm_form(candidate=torch.sigmoid)),
             ("gated.stale_state", lstm_form(stale=True)),
             ("lstm.cell_not_carried", lstm_form(carry_cell=False)),
             ("gated.gates_swapped", lstm_form(gates_swapped=True))],
}
CANDIDATE = {"gru": "H_tilda", "lstm": "C_tilda"}
SWAPPED = {"gru": "Z, R", "lstm": "I, F"}
STATE_NAMES = {"gru": ("H",), "lstm": ("H", "C")}


def all_close(actual: list, expected: list) -> bool:
    return len(actual) == len(expected) and all(
        type(a) is torch.Tensor and is_close(a, e) for a, e in zip(actual, expected))


# -- running a model ---------------------------------------------------------------------


def run_model(student: Student, function: str, seed: int, device: str):
    count = GRU_PARAMS if function == "gru" else LSTM_PARAMS
    inputs, state = make_inputs(seed), make_state(seed + 1, len(STATE_NAMES[function]))
    params = make_params(seed + 2, count)
    out = student.call(function, inputs, state, params, device=device)
    return out, (inputs, state, params)


def returned_pair(out: Outcome) -> tuple:
    value = out.value
    if not isinstance(value, (tuple, list)) or len(value) != 2:
        raise Diagnosis("gated.not_pair", function=out.function, actual=describe(value))
    return tuple(value)


def returned_outputs(out: Outcome, expected: list[torch.Tensor]) -> list:
    outputs, _ = returned_pair(out)
    if not isinstance(outputs, (list, tuple)):
        raise Diagnosis("gated.outputs_not_list", function=out.function, steps=STEPS,
                        actual=describe(outputs))
    if len(outputs) != len(expected):
        raise Diagnosis("gated.outputs_length", function=out.function, actual=len(outputs),
                        expected=len(expected))
    for step, (Y, want) in enumerate(zip(outputs, expected), start=1):
        expect_tensor(out, Y, want, check_values=False,
                      what=Phrase("gated.what_output", function=out.function, step=step))
    return list(outputs)


def check_outputs(out: Outcome, arguments: tuple) -> tuple[str, tuple]:
    """The outputs are those of an accepted form: its note key and its final state; or the
    classic mistake they are, or the first output that is wrong."""
    function = out.function
    accepted = [(key, form(*arguments)) for key, form in ACCEPTED[function]]
    outputs = returned_outputs(out, accepted[0][1][0])
    for key, (expected, state) in accepted:
        if all_close(outputs, expected):
            return key, state
    for key, form in MISTAKES[function]:
        if all_close(outputs, form(*arguments)[0]):
            raise Diagnosis(key, function=function, name=CANDIDATE[function],
                            gates=SWAPPED[function])
    for step, (Y, want) in enumerate(zip(outputs, accepted[0][1][0]), start=1):
        expect_tensor(out, Y, want,
                      what=Phrase("gated.what_output", function=function, step=step))
    raise AssertionError("unreachable: the outputs differ from every accepted form")


def check_state(out: Outcome, arguments: tuple) -> None:
    """The state returned is the one after the last step, as a tuple (H,) or (H, C), of an
    accepted form (whatever the outputs: their own test judges them)."""
    function, names = out.function, STATE_NAMES[out.function]
    _, state = returned_pair(out)
    if function == "lstm" and (type(state) is torch.Tensor
                               or isinstance(state, (tuple, list)) and len(state) == 1):
        raise Diagnosis("lstm.no_cell", actual=describe(state))
    if not isinstance(state, tuple) or len(state) != len(names):
        raise Diagnosis("gated.state_not_tuple", function=function, actual=describe(state),
                        expected=shape_of(names))
    accepted = [form(*arguments)[1] for _, form in ACCEPTED[function]]
    for tensor, want, name in zip(state, accepted[0], names):
        expect_tensor(out, tensor, want, check_values=False,
                      what=Phrase("gated.what_state", function=function, name=name))
    if any(all_close(list(state), list(expected)) for expected in accepted):
        return
    if function == "lstm" and all_close(list(state), list(accepted[0])[::-1]):
        raise Diagnosis("lstm.state_order")
    for key, form in MISTAKES[function]:
        if all_close(list(state), list(form(*arguments)[1])):
            raise Diagnosis(key, function=function, name=CANDIDATE[function],
                            gates=SWAPPED[function])
    for tensor, want, name in zip(state, accepted[0], names):
        expect_tensor(out, tensor, want,
                      what=Phrase("gated.what_state", function=function, name=name))


def shape_of(names: tuple[str, ...]) -> str:
    """(H,) or (H, C), as the state is written."""
    return f"({names[0]},)" if len(names) == 1 else f"({', '.join(names)})"


def note(request, key: str, **params) -> None:
    """A remark for the feedback of a test that passes: the catalogue key `key`, kept in
    the test's user_properties as ("note", (key, params))."""
    if key:
        request.node.user_properties.append(("note", (key, params)))


# -- the initial states --------------------------------------------------------------------


def check_init(student: Student, function: str, device: str, placed: bool = False) -> None:
    names = STATE_NAMES["gru" if function == "init_gru_state" else "lstm"]
    wanted = torch.device(apparent_device(device))
    out = student.call(function, 3, 6, wanted, device=device)
    expected = getattr(ref, function)(3, 6, "cpu")
    state = out.value
    if not isinstance(state, tuple) or len(state) != len(names):
        raise Diagnosis("gated.init_not_tuple", function=function, expected=shape_of(names),
                        actual=describe(state))
    for tensor, want, name in zip(state, expected, names):
        what = Phrase("gated.what_state", function=function, name=name)
        if placed:
            if type(tensor) is torch.Tensor and not same_device(out.device_of(tensor), device):
                raise Diagnosis("gated.init_ignores_device", function=function,
                                actual=out.device_of(tensor), expected=str(wanted))
            with values_right(function):
                expect_tensor(out, tensor, want, what=what)
        else:
            expect_tensor(out, tensor, want, what=what)


@grades("init_gru_state", points=0.5, public=True)
def test_init_gru_state_zeros(student, device):
    """init_gru_state returns a tuple (H,) of zeros of shape (batch_size, num_hiddens)"""
    check_init(student, "init_gru_state", device)


@grades("init_gru_state", points=0.25, devices=PLACEMENT_DEVICES)
def test_init_gru_state_device(student, device):
    """init_gru_state puts its right state on the device it is given"""
    check_init(student, "init_gru_state", device, placed=True)


# -- gru -----------------------------------------------------------------------------------


@grades("gru", points=1.5, public=True)
def test_gru_outputs(student, device, request):
    """gru computes each step's gates, candidate and output from the previous H"""
    out, arguments = run_model(student, "gru", 31, device)
    form, _ = check_outputs(out, arguments)
    note(request, form)


@grades("gru", points=0.5)
def test_gru_state(student, device):
    """gru returns the hidden state after the last step as a tuple (H,)"""
    out, arguments = run_model(student, "gru", 34, device)
    check_state(out, arguments)


@grades("gru", points=0.25, devices=PLACEMENT_DEVICES)
def test_gru_stays_on_device(student, device):
    """gru keeps its right outputs and state on the inputs' device"""
    out, arguments = run_model(student, "gru", 37, device)
    expect_placed(out, out.value)
    with values_right("gru"):
        check_outputs(out, arguments)


# -- init_lstm_state and lstm ----------------------------------------------------------------


@grades("init_lstm_state", points=0.5, public=True)
def test_init_lstm_state_zeros(student, device):
    """init_lstm_state returns a tuple (H, C) of zeros of shape (batch_size, num_hiddens)"""
    check_init(student, "init_lstm_state", device)


@grades("init_lstm_state", points=0.25, devices=PLACEMENT_DEVICES)
def test_init_lstm_state_device(student, device):
    """init_lstm_state puts its right state on the device it is given"""
    check_init(student, "init_lstm_state", device, placed=True)


@grades("lstm", points=1.5, public=True)
def test_lstm_outputs(student, device):
    """lstm computes each step's gates, memory cell and output from the previous H and C"""
    out, arguments = run_model(student, "lstm", 41, device)
    check_outputs(out, arguments)


@grades("lstm", points=0.5)
def test_lstm_state(student, device):
    """lstm returns the hidden state and the memory cell after the last step as (H, C)"""
    out, arguments = run_model(student, "lstm", 44, device)
    check_state(out, arguments)


@grades("lstm", points=0.25, devices=PLACEMENT_DEVICES)
def test_lstm_stays_on_device(student, device):
    """lstm keeps its right outputs and state on the inputs' device"""
    out, arguments = run_model(student, "lstm", 47, device)
    expect_placed(out, out.value)
    with values_right("lstm"):
        check_outputs(out, arguments)
