"""gated_rnn: what the feedback page draws, the student's data over the book's.

collect() asks the student's code through the workers (as every test does) and computes
the book's side here, once per process; write() lays the pictures out on the page.

The GRU and the LSTM run over one sequence of STEPS one-hot tokens, from the zero state,
with as many hidden units as tokens and an output layer that is the identity
(W_hq = I, b_q = 0): each output Y is the hidden state H itself, which the pictures draw
unit by unit over the time steps. The GRU is drawn over the book's form, or over the
course notebook's where the student's follows that one.
"""

from __future__ import annotations

import functools
from types import ModuleType
from typing import Any

import torch

from autograder.checks import Student, is_close
from autograder.feedback.data import SEED, Panel, asked, copied, drawable, floats, sent
from autograder.feedback.page import figure, sayer
from autograder.messages import Diagnosis
from autograder.registry import reference

FUNCTIONS = ("gru", "lstm")
STEPS, UNITS = 30, 3
GATES = {"gru": 3, "lstm": 4}


def sequence() -> tuple[list[torch.Tensor], dict[str, list[torch.Tensor]]]:
    """The one-hot inputs and each model's parameters, in the book's order, seeded."""
    generator = torch.Generator().manual_seed(SEED)
    tokens = torch.randint(0, UNITS, (STEPS,), generator=generator)
    inputs = [torch.eye(UNITS)[token].reshape(1, UNITS) for token in tokens]
    params = {}
    for function, gates in GATES.items():
        chosen = []
        for _ in range(gates):
            chosen += [torch.randn(UNITS, UNITS, generator=generator),
                       torch.randn(UNITS, UNITS, generator=generator) * 0.8,
                       torch.randn(UNITS, generator=generator) * 0.3]
        params[function] = chosen + [torch.eye(UNITS), torch.zeros(UNITS)]
    return inputs, params


def initial_state(function: str) -> tuple[torch.Tensor, ...]:
    return tuple(torch.zeros(1, UNITS) for _ in range(1 if function == "gru" else 2))


@functools.cache
def _book_states(function: str) -> dict[str, Any]:
    """Each hidden unit over the time steps, by the reference; for the GRU also by the
    course notebook's form (the reset after the product)."""
    inputs, params = sequence()
    book = reference("gated_rnn")
    forms = {"book": getattr(book, function)}
    if function == "gru":
        forms["course"] = _course_gru
    return {name: _units(form(inputs, initial_state(function), params[function])[0])
            for name, form in forms.items()}


def _course_gru(inputs: list, state: tuple, params: list) -> tuple[list, tuple]:
    """The GRU with the reset after the product, R * (H @ W_hh) (PyTorch's nn.GRU)."""
    W_xz, W_hz, b_z, W_xr, W_hr, b_r, W_xh, W_hh, b_h, W_hq, b_q = params
    H, = state
    outputs = []
    for X in inputs:
        Z = torch.sigmoid(X @ W_xz + H @ W_hz + b_z)
        R = torch.sigmoid(X @ W_xr + H @ W_hr + b_r)
        H_tilda = torch.tanh(X @ W_xh + R * (H @ W_hh) + b_h)
        H = Z * H + (1 - Z) * H_tilda
        outputs.append(H @ W_hq + b_q)
    return outputs, (H,)


def _units(outputs: list[torch.Tensor]) -> list[list[float]]:
    """The outputs (1, UNITS) of each step as one list of values per hidden unit."""
    stacked = torch.cat([Y.detach().reshape(1, UNITS) for Y in outputs])
    return [floats(stacked[:, unit]) for unit in range(UNITS)]


def _model(student: Student, device: str, function: str) -> Panel:
    inputs, params = sequence()
    states = _book_states(function)
    panel = Panel(f"gated_rnn.{function}", book={"h": copied(states["book"])})
    outcome, panel.problem = asked(lambda: student.call(
        function, inputs, initial_state(function), params[function], device=device))
    if outcome is None:
        return panel
    value = sent(outcome, "value")
    outputs = value[0] if isinstance(value, (tuple, list)) and len(value) == 2 else None
    if not (isinstance(outputs, (list, tuple)) and len(outputs) == STEPS
            and all(drawable(Y, torch.Size([1, UNITS])) for Y in outputs)):
        panel.problem = Diagnosis("feedback.gated_rnn.not_drawable", function=function,
                                  steps=STEPS, units=UNITS)
        return panel
    panel.yours["h"] = _units(list(outputs))
    yours = torch.tensor(panel.yours["h"])
    for form, key in (("book", "gru.form.book"), ("course", "gru.form.course")):
        if form in states and function == "gru" \
                and is_close(yours.float(), torch.tensor(states[form])):
            panel.book["h"] = copied(states[form])
            panel.notes.append(Diagnosis(key))
            break
    bad = int((~torch.isfinite(yours)).sum())
    if bad:
        panel.notes.append(Diagnosis("feedback.nonfinite", function=function, count=bad,
                                     total=yours.numel()))
    return panel


def collect(student: Student, device: str, failed: set[str]) -> list[Panel]:
    """The panels of this module: `failed` names the functions that failed a test."""
    return [_model(student, device, function) for function in FUNCTIONS]


def clear_cache() -> None:
    """Forget the book's side: the next collect computes it again."""
    _book_states.cache_clear()


# -- the page ----------------------------------------------------------------------


def write(panels: list[Panel], lang: str, plots: ModuleType) -> str:
    """This module's section of the feedback page."""
    say = sayer(lang)
    parts = [f"<h3>{say('feedback.gated_rnn.heading')}</h3>",
             f"<p>{say('feedback.gated_rnn.intro', steps=STEPS, units=UNITS)}</p>"]
    for panel in panels:
        function = panel.name.rsplit(".", 1)[-1]
        parts.append(figure(panel, f"<code>{function}</code>",
                             (lambda p=panel: states_svg(plots, p)) if "h" in panel.book
                             else None, lang))
    return "\n".join(parts)


# -- the figures (matplotlib, imported only to draw) ------------------------------


def states_svg(plots: ModuleType, panel: Panel) -> str:
    return plots.cached_svg("gated_rnn.states", panel, _states_figure, book=("h",),
                            yours=("h",))


def _states_figure(book: dict[str, Any], yours: dict[str, Any]) -> str:
    """Each hidden unit over the time steps: one chart per unit."""
    from matplotlib.figure import Figure

    from autograder.feedback import plots

    figure = Figure(figsize=(9.6, 2.4))
    axes = figure.subplots(1, len(book["h"]), sharey=True)
    everything = [v for unit in book["h"] for v in unit]
    mine = [v for unit in yours.get("h", ()) for v in unit]
    low, high = plots.limits(everything, mine)
    for unit, ax in enumerate(axes):
        steps = list(range(1, len(book["h"][unit]) + 1))
        plots.line(ax, steps, book["h"][unit], f"book-h{unit}", plots.BOOK, dashed=True)
        if "h" in yours:
            plots.line(ax, steps, yours["h"][unit], f"yours-h{unit}", plots.YOURS)
            plots.mark_nonfinite(ax, steps, yours["h"][unit], f"yours-h{unit}-nonfinite")
        ax.set_ylim(low, high)
        ax.set_xlim(1, steps[-1])
        ax.axhline(0, color="#bbbbbb", linewidth=0.8, zorder=0)
    return plots.svg_of(figure)
