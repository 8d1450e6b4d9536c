"""softmax_regression: what the feedback page draws, the student's data over the book's.

collect() asks the student's code through the workers (as every test does) and computes
the book's side here, once per process; write() lays the pictures out on the page.
"""

from __future__ import annotations

import functools
import math
from types import ModuleType
from typing import Any

import torch

from autograder.checks import Student
from autograder.feedback.data import (
    SEED,
    Panel,
    asked,
    copied,
    drawable,
    note_nonfinite,
    sent,
)
from autograder.feedback.page import figure, sayer
from autograder.messages import Diagnosis
from autograder.registry import reference


def softmax_inputs() -> dict[str, torch.Tensor]:
    """One small batch of ordinary logits, and one around +-1000."""
    generator = torch.Generator().manual_seed(SEED)
    small = torch.randn(3, 5, generator=generator) * 2
    large = torch.randn(2, 5, generator=generator) * 5 + torch.tensor([[1000.0], [-1000.0]])
    return {"small": small, "large": large}


def _softmax(student: Student, device: str) -> list[Panel]:
    panels = []
    for kind, X in softmax_inputs().items():
        panel = Panel(f"softmax_regression.softmax.{kind}",
                      book={"probabilities": copied(_book_softmax()[kind])})
        outcome, panel.problem = asked(lambda X=X: student.call("softmax", X, device=device))
        if outcome is not None:
            value = sent(outcome, "value")
            if drawable(value, X.shape):
                panel.yours["probabilities"] = value.to(torch.float64).tolist()
                note_nonfinite(panel, "softmax", [value])
            else:
                panel.problem = Diagnosis("feedback.not_drawable", function="softmax")
        panels.append(panel)
    return panels


@functools.lru_cache(maxsize=1)
def _book_softmax() -> dict[str, list[list[float]]]:
    """The book's probabilities of each of softmax_inputs(), computed once per process."""
    book = reference("softmax_regression")

    return {kind: book.softmax(X).tolist() for kind, X in softmax_inputs().items()}


def collect(student: Student, device: str, failed: set[str]) -> list[Panel]:
    """The panels of this module: `failed` names the functions that failed a test."""
    return _softmax(student, device)


def clear_cache() -> None:
    """Forget the book's side: the next collect computes it again."""
    _book_softmax.cache_clear()


# -- the page ----------------------------------------------------------------------


def write(panels: list[Panel], lang: str, plots: ModuleType) -> str:
    """This module's section of the feedback page."""
    say = sayer(lang)
    parts = [f"<h3>{say('feedback.softmax.heading')}</h3>",
             f"<p>{say('feedback.softmax.intro')}</p>"]
    for panel in panels:
        kind = panel.name.rsplit(".", 1)[-1]
        caption = say(f"feedback.softmax.{kind}") if kind in ("small", "large") else ""
        rows = len(panel.book.get("probabilities", []))
        parts.append(figure(panel, caption,
                             (lambda p=panel: softmax_svg(plots, p)) if rows else None, lang,
                             rows=rows))
    return "\n".join(parts)


# -- the figures (matplotlib, imported only to draw) ------------------------------


def softmax_svg(plots: ModuleType, panel: Panel) -> str:
    """One bar chart per row, side by side: the student's probabilities (left bar of each
    pair) beside the book's."""
    return plots.cached_svg("softmax_regression.softmax", panel, _softmax_figure,
                            book=("probabilities",), yours=("probabilities",))


def _softmax_figure(book: dict[str, Any], yours_data: dict[str, Any]) -> str:
    from matplotlib.figure import Figure

    from autograder.feedback import plots

    rows = book["probabilities"]
    figure = Figure(figsize=(3.1 * len(rows) + 0.4, 1.9))
    axes = figure.subplots(1, len(rows), squeeze=False, sharey=True)[0]
    yours = yours_data.get("probabilities", ())
    bottom, top = 0.0, 1.08
    for i, (ax, book_row) in enumerate(zip(axes, rows)):
        classes = list(range(len(book_row)))
        ax.set_axisbelow(True)
        plots.bars(ax, [c + 0.21 for c in classes], book_row, plots.BOOK, f"book-row{i}")
        if i < len(yours):
            heights = [v if math.isfinite(v) else 0.0 for v in yours[i]]
            plots.bars(ax, [c - 0.21 for c in classes], heights, plots.YOURS, f"yours-row{i}")
            plots.mark_nonfinite(ax, [c - 0.21 for c in classes], yours[i],
                                 f"yours-row{i}-nonfinite")
            top = max(top, min(2.0, max(heights) * 1.08))
            bottom = min(bottom, max(-1.0, min(heights) * 1.08))
        ax.set_xticks(classes)
        ax.set_yticks([0, 0.5, 1])
        ax.set_title(str(i), fontsize=10, fontweight="bold")
        ax.grid(axis="x", visible=False)
    axes[0].set_ylim(bottom, top)
    figure.subplots_adjust(wspace=0.12)
    return plots.svg_of(figure)
