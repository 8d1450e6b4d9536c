"""activations: what the feedback page draws, the student's data over the book's.

collect() asks the student's code through the workers (as every test does) and computes
the book's side here, once per process; write() lays the pictures out on the page.
"""

from __future__ import annotations

import functools
from types import ModuleType
from typing import Any

import torch

from autograder.checks import Student
from autograder.feedback.data import (
    Panel,
    asked,
    copied,
    drawable,
    floats,
    note_nonfinite,
    sent,
)
from autograder.feedback.page import figure, sayer
from autograder.messages import Diagnosis
from autograder.registry import reference

# The functions this module's pictures draw, in order.
FUNCTIONS = ("relu", "sigmoid", "tanh")

ACTIVATION_RANGE = (-8.0, 8.0)
ACTIVATION_POINTS = 321


def activation_grid() -> torch.Tensor:
    return torch.linspace(*ACTIVATION_RANGE, ACTIVATION_POINTS)


def _activations(student: Student, device: str) -> list[Panel]:
    X = activation_grid()
    panels = []
    for function in FUNCTIONS:
        panel = Panel(f"activations.{function}", book=_book_activation(function))
        outcome, panel.problem = asked(lambda f=function: student.run(
            "grad", f, device=device, X=X, upstream=torch.ones_like(X)))
        if outcome is not None:
            _read_activation(panel, function, outcome, X)
        panels.append(panel)
    return panels


def _book_activation(function: str) -> dict[str, list[float]]:
    """The book's `function` over activation_grid(): x, value and gradient."""
    return copied(_book_activation_once(function, ACTIVATION_RANGE, ACTIVATION_POINTS))


@functools.cache
def _book_activation_once(function: str, grid: tuple[float, float],
                          points: int) -> dict[str, list[float]]:
    book = reference("activations")

    X = torch.linspace(*grid, points)
    leaf = X.clone().requires_grad_(True)
    value = getattr(book, function)(leaf)
    value.sum().backward()
    return {"value": floats(value), "grad": floats(leaf.grad), "x": floats(X)}


def _read_activation(panel: Panel, function: str, outcome: Any, X: torch.Tensor) -> None:
    value, grad = sent(outcome, "value"), sent(outcome, "grad")
    if not drawable(value, X.shape):
        panel.problem = Diagnosis("feedback.not_drawable", function=function)
        return
    panel.yours["value"] = floats(value)
    if drawable(grad, X.shape):
        panel.yours["grad"] = floats(grad)
    else:
        panel.notes.append(Diagnosis("feedback.no_gradient", function=function))
    note_nonfinite(panel, function, [value] + ([grad] if drawable(grad, X.shape) else []))


def collect(student: Student, device: str, failed: set[str]) -> list[Panel]:
    """The panels of this module: `failed` names the functions that failed a test."""
    return _activations(student, device)


def clear_cache() -> None:
    """Forget the book's side: the next collect computes it again."""
    _book_activation_once.cache_clear()


# -- the page ----------------------------------------------------------------------


def write(panels: list[Panel], lang: str, plots: ModuleType) -> str:
    """This module's section of the feedback page."""
    say = sayer(lang)
    parts = [f"<h3>{say('feedback.activations.heading')}</h3>",
             f"<p>{say('feedback.activations.intro')}</p>"]
    for panel in panels:
        function = panel.name.rsplit(".", 1)[-1]
        parts.append(figure(panel, f"<code>{function}</code>",
                             (lambda p=panel: activation_svg(plots, p)) if "x" in panel.book
                             else None, lang))
    return "\n".join(parts)


# -- the figures (matplotlib, imported only to draw) ------------------------------


def activation_svg(plots: ModuleType, panel: Panel) -> str:
    """The student's function over the book's (left) and the gradients (right)."""
    return plots.cached_svg("activations.activation", panel, _activation_figure,
                            book=("x", "value", "grad"), yours=("value", "grad"))


def _activation_figure(book: dict[str, Any], yours: dict[str, Any]) -> str:
    from matplotlib.figure import Figure

    from autograder.feedback import plots

    figure = Figure(figsize=(9.6, 2.7))
    axes = figure.subplots(1, 2)
    x = book["x"]
    for ax, key in zip(axes, ("value", "grad")):
        plots.line(ax, x, book[key], f"book-{key}", plots.BOOK, dashed=True)
        if key in yours:
            plots.line(ax, x, yours[key], f"yours-{key}", plots.YOURS)
            plots.mark_nonfinite(ax, x, yours[key], f"yours-{key}-nonfinite")
        ax.set_ylim(*plots.limits(book[key], yours.get(key, ())))
        ax.set_xlim(x[0], x[-1])
        ax.set_xticks(range(int(x[0]), int(x[-1]) + 1, 2))
        ax.axhline(0, color="#bbbbbb", linewidth=0.8, zorder=0)
        ax.axvline(0, color="#bbbbbb", linewidth=0.8, zorder=0)
    return plots.svg_of(figure)
