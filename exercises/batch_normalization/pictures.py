"""batch_normalization: what the feedback page draws, the student's statistics over the book's.

Two pictures. The per-channel mean and variance of a batch before batch_norm and after
it (the student's batch_norm in training mode, gamma = 1, beta = 0): after, every
channel has mean 0 and variance 1. And the moving averages of the student's BatchNorm
over training steps on batches of one distribution, beside the book's: they approach
each channel's true mean and variance.
"""

from __future__ import annotations

import functools
from types import ModuleType
from typing import Any

import torch

from autograder.checks import Student
from autograder.feedback.data import Panel, asked, copied, floats, note_nonfinite, sent
from autograder.feedback.page import figure, sayer
from autograder.messages import Diagnosis
from autograder.registry import reference

FUNCTIONS = ("batch_norm", "BatchNorm")
CHANNELS = 3
BATCH = (16, CHANNELS, 6, 6)  # the batch of the first picture
STEPS = 30  # the training steps of the second
STEP_BATCH = (8, CHANNELS, 4, 4)
SHAPE = (1, CHANNELS, 1, 1)
EPS, MOMENTUM = 1e-5, 0.9


def batch(seed: int, shape: tuple[int, ...]) -> torch.Tensor:
    """Channel k has mean 3 (k - 1) and standard deviation k + 1."""
    generator = torch.Generator().manual_seed(seed)
    k = torch.arange(shape[1], dtype=torch.float32).reshape(1, -1, 1, 1)
    return torch.randn(*shape, generator=generator) * (k + 1) + 3 * (k - 1)


def per_channel(X: torch.Tensor) -> dict[str, list[float]]:
    X = X.detach().to(torch.float64)
    return {"mean": floats(X.mean(dim=(0, 2, 3))),
            "var": floats(X.var(dim=(0, 2, 3), unbiased=False))}


def step_batches() -> list[torch.Tensor]:
    return [batch(100 + i, STEP_BATCH) for i in range(STEPS)]


@functools.lru_cache(maxsize=1)
def _book() -> dict[str, Any]:
    book = reference("batch_normalization")
    X = batch(0, BATCH)
    Y = book.batch_norm(True, X, torch.ones(SHAPE), torch.zeros(SHAPE), torch.zeros(SHAPE),
                        torch.ones(SHAPE), EPS, MOMENTUM)[0]
    before, after = per_channel(X), per_channel(Y)
    net = book.BatchNorm(CHANNELS, 4)
    means, variances = [floats(net.moving_mean)], [floats(net.moving_var)]
    for X in step_batches():
        net(X)
        means.append(floats(net.moving_mean))
        variances.append(floats(net.moving_var))
    return {"before_mean": before["mean"], "before_var": before["var"],
            "mean": after["mean"], "var": after["var"],
            "moving_mean": means, "moving_var": variances}


def _statistics(student: Student, device: str) -> Panel:
    book = _book()
    panel = Panel("batch_normalization.batch_norm",
                  book=copied({key: book[key] for key in ("before_mean", "before_var",
                                                          "mean", "var")}))
    X = batch(0, BATCH)
    outcome, panel.problem = asked(lambda: student.call(
        "batch_norm", True, X, torch.ones(SHAPE), torch.zeros(SHAPE), torch.zeros(SHAPE),
        torch.ones(SHAPE), EPS, MOMENTUM, device=device))
    if outcome is None:
        return panel
    value = sent(outcome, "value")
    Y = value[0] if isinstance(value, (tuple, list)) and len(value) == 3 else None
    if not (type(Y) is torch.Tensor and Y.shape == X.shape and Y.is_floating_point()
            and not Y.is_meta):
        panel.problem = Diagnosis("feedback.not_drawable", function="batch_norm")
        return panel
    panel.yours.update(per_channel(Y))
    note_nonfinite(panel, "batch_norm", [Y])
    return panel


def _moving(student: Student, device: str, failed: set[str]) -> Panel:
    book = _book()
    panel = Panel("batch_normalization.BatchNorm",
                  book=copied({key: book[key] for key in ("moving_mean", "moving_var")}))
    own = "batch_norm" not in failed
    panel.yours["trusted"] = not own
    outcome, panel.problem = asked(lambda: student.run(
        "bn_layer", "BatchNorm", device=device, args=[CHANNELS, 4], train=step_batches(),
        predict=[], load={}, outputs=False, book=[] if own else ["batch_norm"]))
    if outcome is None:
        return panel
    start, steps, error = (sent(outcome, key) for key in ("start", "steps", "error"))
    if sent(outcome, "is_module") is False:
        panel.problem = Diagnosis("feedback.not_drawable", function="BatchNorm")
        return panel
    records = [start] + (steps if isinstance(steps, list) else [])
    means, variances = [], []
    for record in records[:STEPS + 1]:
        values = record.get("values") if isinstance(record, dict) else None
        pair = [values.get(name) if isinstance(values, dict) else None
                for name in ("moving_mean", "moving_var")]
        if not all(type(t) is torch.Tensor and t.numel() == CHANNELS and t.is_floating_point()
                   and not t.is_meta for t in pair):
            break
        means.append(floats(pair[0]))
        variances.append(floats(pair[1]))
    if not means:
        panel.problem = Diagnosis("feedback.not_drawable", function="BatchNorm")
        return panel
    panel.yours.update({"moving_mean": means, "moving_var": variances})
    if isinstance(error, dict):
        panel.notes.append(Diagnosis("feedback.batch_normalization.stopped",
                                     steps=len(means) - 1))
    note_nonfinite(panel, "BatchNorm", [torch.tensor(means), torch.tensor(variances)])
    return panel


def collect(student: Student, device: str, failed: set[str]) -> list[Panel]:
    """The panels of this module: `failed` names the functions that failed a test."""
    return [_statistics(student, device), _moving(student, device, failed)]


def clear_cache() -> None:
    """Forget the book's side: the next collect computes it again."""
    _book.cache_clear()


# -- the page ----------------------------------------------------------------------


def write(panels: list[Panel], lang: str, plots: ModuleType) -> str:
    """This module's section of the feedback page."""
    say = sayer(lang)
    parts = [f"<h3>{say('feedback.batch_normalization.heading')}</h3>"]
    for panel in panels:
        function = panel.name.rsplit(".", 1)[-1]
        parts.append(f"<p>{say(f'feedback.batch_normalization.{function}', steps=STEPS)}</p>")
        if panel.yours.get("trusted"):
            parts.append(f'<p class="note">{say("feedback.batch_normalization.trusted")}</p>')
        draw = statistics_svg if function == "batch_norm" else moving_svg
        parts.append(figure(panel, f"<code>{function}</code>",
                            (lambda p=panel, d=draw: d(plots, p)) if panel.book else None,
                            lang))
    return "\n".join(parts)


# -- the figures (matplotlib, imported only to draw) ------------------------------


def statistics_svg(plots: ModuleType, panel: Panel) -> str:
    return plots.cached_svg("batch_normalization.statistics", panel, _statistics_figure,
                            book=("before_mean", "before_var", "mean", "var"),
                            yours=("mean", "var"))


def _statistics_figure(book: dict[str, Any], yours: dict[str, Any]) -> str:
    import math

    from matplotlib.figure import Figure

    from autograder.feedback import plots

    figure = Figure(figsize=(9.6, 2.7))
    axes = figure.subplots(1, 2)
    for ax, key in zip(axes, ("mean", "var")):
        channels = range(len(book[key]))
        _bars(ax, [c - 0.27 for c in channels], book[f"before_{key}"], "#dddddd",
              f"before-{key}")
        _bars(ax, list(channels), book[key], plots.BOOK, f"book-{key}")
        if key in yours:
            finite = [v if math.isfinite(v) else 0.0 for v in yours[key]]
            _bars(ax, [c + 0.27 for c in channels], finite, plots.YOURS, f"yours-{key}")
            plots.mark_nonfinite(ax, [c + 0.27 for c in channels], yours[key],
                                 f"yours-{key}-nonfinite")
        ax.set_xticks(list(channels))
        ax.axhline(0, color="#bbbbbb", linewidth=0.8, zorder=0)
    return plots.svg_of(figure)


def _bars(ax: Any, x: list[float], heights: list[float], colour: str, gid: str) -> None:
    """Bars with an id each: "<gid>-channel<c>"."""
    for c, bar in enumerate(ax.bar(x, heights, width=0.25, color=colour)):
        bar.set_gid(f"{gid}-channel{c}")


def moving_svg(plots: ModuleType, panel: Panel) -> str:
    return plots.cached_svg("batch_normalization.moving", panel, _moving_figure,
                            book=("moving_mean", "moving_var"),
                            yours=("moving_mean", "moving_var"))


def _moving_figure(book: dict[str, Any], yours: dict[str, Any]) -> str:
    from matplotlib.figure import Figure

    from autograder.feedback import plots

    figure = Figure(figsize=(9.6, 2.9))
    axes = figure.subplots(1, 2)
    colours = ("#1f77b4", "#ff7f0e", "#2ca02c")
    for ax, key in zip(axes, ("moving_mean", "moving_var")):
        steps = list(range(len(book[key])))
        everything = [v for row in book[key] for v in row]
        for c in range(len(book[key][0])):
            plots.line(ax, steps, [row[c] for row in book[key]], f"book-{key}-{c}",
                       plots.BOOK, dashed=True)
            if key in yours:
                mine = [row[c] for row in yours[key]]
                plots.line(ax, list(range(len(mine))), mine, f"yours-{key}-{c}",
                           colours[c % len(colours)])
                plots.mark_nonfinite(ax, list(range(len(mine))), mine,
                                     f"yours-{key}-{c}-nonfinite")
        mine = [v for row in yours.get(key, ()) for v in row]
        ax.set_ylim(*plots.limits(everything, mine))
        ax.set_xlim(0, steps[-1])
    return plots.svg_of(figure)
