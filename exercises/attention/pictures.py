"""attention: what the feedback page draws, the student's weights over the book's.

The weights of masked_softmax as heat maps, the masked region hatched, the student's
above the book's; and which form of MLPAttention the student wrote, the book's
v(tanh(W_q q + W_k k)) or the course's v(W_k q + W_q k), found with its own layers.
collect() asks the student's code through the workers; the book's side is computed here,
once per process.
"""

from __future__ import annotations

import functools
import math
from types import ModuleType
from typing import Any

import torch

from autograder.checks import Student, is_close
from autograder.feedback.data import SEED, Panel, asked, copied, drawable, note_nonfinite, sent
from autograder.feedback.page import figure, sayer
from autograder.messages import Diagnosis
from autograder.registry import reference

LENGTHS = (2, 5)
QUERIES, PAIRS = 3, 6
UNITS, IPT_DIM = 5, 3


def scores() -> tuple[torch.Tensor, torch.Tensor]:
    generator = torch.Generator().manual_seed(SEED)
    return torch.randn(len(LENGTHS), QUERIES, PAIRS, generator=generator) * 1.5, \
        torch.tensor(LENGTHS)


@functools.lru_cache(maxsize=1)
def _book_weights() -> list:
    X, valid_length = scores()
    return reference("attention").masked_softmax(X, valid_length).double().tolist()


def _weights(student: Student, device: str) -> Panel:
    panel = Panel("attention.masked_softmax",
                  book={"weights": copied(_book_weights()), "lengths": list(LENGTHS)})
    X, valid_length = scores()
    outcome, panel.problem = asked(lambda: student.run(
        "attention_masked", "masked_softmax", device=device, args=[X, valid_length],
        book=["SequenceMask"]))
    if outcome is not None:
        value = sent(outcome, "value")
        if drawable(value, X.shape):
            panel.yours["weights"] = value.to("cpu", torch.float64).tolist()
            note_nonfinite(panel, "masked_softmax", [value])
        else:
            panel.problem = Diagnosis("feedback.not_drawable", function="masked_softmax")
    return panel


def _form(student: Student, device: str) -> Panel:
    """Which form the student's MLPAttention computes, with its own layers."""
    panel = Panel("attention.MLPAttention")
    generator = torch.Generator().manual_seed(SEED)
    query = torch.randn(2, QUERIES, IPT_DIM, generator=generator)
    key = torch.randn(2, PAIRS, IPT_DIM, generator=generator)
    value = torch.randn(2, PAIRS, 2, generator=generator)
    case = (query, key, value, torch.tensor(LENGTHS))
    outcome, panel.problem = asked(lambda: student.run(
        "attention_layer", "MLPAttention", device=device, args=[UNITS, IPT_DIM, 0], cases=[case],
        training=False, book=["SequenceMask", "masked_softmax"]))
    if outcome is None:
        return panel
    result = outcome.result if isinstance(outcome.result, dict) else {}
    outputs, parameters = result.get("outputs"), result.get("parameters")
    form = None
    if isinstance(outputs, list) and len(outputs) == 1 and isinstance(parameters, list):
        form = _which_form(outputs[0], parameters, case)
    panel.notes.append(Diagnosis(f"feedback.attention.form_{form or 'neither'}"))
    return panel


def _which_form(actual: Any, parameters: list, case: tuple) -> str | None:
    projections, scorers = [], []
    for item in parameters:
        if not (isinstance(item, (tuple, list)) and len(item) == 2
                and type(item[1]) is torch.Tensor):
            return None
        tensor = item[1].to("cpu", torch.float32)
        if tuple(tensor.shape) == (UNITS, IPT_DIM):
            projections.append(tensor.T)
        elif tuple(tensor.shape) == (IPT_DIM, UNITS):
            projections.append(tensor)
        elif tensor.numel() == UNITS:
            scorers.append(tensor.reshape(UNITS, 1))
    if len(projections) != 2 or len(scorers) != 1 or type(actual) is not torch.Tensor:
        return None
    query, key, value, valid_length = case
    book = reference("attention")
    for tanh, form in ((True, "book"), (False, "course")):
        for on_query, on_key in (projections, projections[::-1]):
            features = (query @ on_query).unsqueeze(2) + (key @ on_key).unsqueeze(1)
            features = torch.tanh(features) if tanh else features
            weights = book.masked_softmax((features @ scorers[0]).squeeze(-1), valid_length)
            if is_close(actual.to("cpu", torch.float32), torch.bmm(weights, value)):
                return form
    return None


def collect(student: Student, device: str, failed: set[str]) -> list[Panel]:
    """The panels of this module: `failed` names the functions that failed a test."""
    return [_weights(student, device), _form(student, device)]


def clear_cache() -> None:
    """Forget the book's side: the next collect computes it again."""
    _book_weights.cache_clear()


# -- the page ----------------------------------------------------------------------


def write(panels: list[Panel], lang: str, plots: ModuleType) -> str:
    """This module's section of the feedback page."""
    say = sayer(lang)
    parts = [f"<h3>{say('feedback.attention.heading')}</h3>",
             f"<p>{say('feedback.attention.intro', lengths=', '.join(map(str, LENGTHS)))}</p>"]
    for panel in panels:
        function = panel.name.rsplit(".", 1)[-1]
        svg = (lambda p=panel: weights_svg(plots, p)) if "weights" in panel.book else None
        parts.append(figure(panel, f"<code>{function}</code>", svg, lang))
    return "\n".join(parts)


# -- the figures (matplotlib, imported only to draw) ------------------------------


def weights_svg(plots: ModuleType, panel: Panel) -> str:
    """One heat map per example: the student's weights above, the book's below."""
    return plots.cached_svg("attention.weights", panel, _weights_figure,
                            book=("weights", "lengths"), yours=("weights",))


def _weights_figure(book: dict[str, Any], yours: dict[str, Any]) -> str:
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle

    from autograder.feedback import plots

    examples = len(book["weights"])
    figure = Figure(figsize=(2.4 * examples + 0.8, 3.6))
    axes = figure.subplots(2, examples, squeeze=False)
    for row, (side, gid) in enumerate(((yours.get("weights"), "yours"),
                                       (book["weights"], "book"))):
        for b in range(examples):
            ax = axes[row][b]
            ax.grid(False)
            ax.set_xticks(range(PAIRS))
            ax.set_yticks(range(QUERIES))
            if side is None:
                ax.set_axis_off()
                continue
            values = [[v if math.isfinite(v) else math.nan for v in line] for line in side[b]]
            # Cells drawn as vector shapes (imshow would embed a PNG in the page), centred
            # on the integers, query 0 at the top as in a matrix.
            grid_x = [k - 0.5 for k in range(len(values[0]) + 1)] if values else [0]
            grid_y = [q - 0.5 for q in range(len(values) + 1)]
            image = ax.pcolormesh(grid_x, grid_y, values, vmin=0.0, vmax=1.0, cmap="Blues")
            image.set_gid(f"{gid}-weights{b}")
            ax.set_ylim(len(values) - 0.5, -0.5)
            length = int(book["lengths"][b])
            if length < PAIRS:  # the masked keys, hatched
                ax.add_patch(Rectangle((length - 0.5, -0.5), PAIRS - length, QUERIES,
                                       fill=False, hatch="//", edgecolor=plots.BAD,
                                       linewidth=0.0, gid=f"{gid}-masked{b}"))
            for q, line in enumerate(side[b]):
                for k, v in enumerate(line):
                    if not math.isfinite(v):
                        ax.plot(k, q, marker="x", color=plots.BAD, markersize=7,
                                gid=f"{gid}-nonfinite{b}")
    figure.subplots_adjust(hspace=0.35, wspace=0.25)
    return plots.svg_of(figure)
