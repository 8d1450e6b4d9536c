"""linear_regression: what the feedback page draws, the student's data over the book's.

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

# The book's synthetic data set and training settings (section "Linear Regression
# Implementation from Scratch").
TRUE_W = (2.0, -3.4)
TRUE_B = 4.2
EXAMPLES = 1000
NOISE = 0.01
LR = 0.03
BATCH_SIZE = 10
EPOCHS = 3
# train_epoch's collaborators: the student's own, unless they failed their tests (or
# are missing); the book's versions go with the request, the worker picks among them.
COLLABORATORS = ("data_iter", "linreg", "squared_loss", "sgd")
# What a worker sends for a picture is cut to these bounds before it is read, and the
# picture says so: a worker whose code the submission replaced may send anything a
# message holds, and unbounded, a sampler batch of 200,000 rows made a page of 1.2 GB.
# A training curve: the worker records at most MAX_SNAPSHOTS snapshots and counts
# the updates past them; the book's loop makes EPOCHS * 100 updates, 301 snapshots.
MAX_SNAPSHOTS = 5000  # = MAX_SNAPSHOTS of worker.py, without importing the worker's side


def synthetic_data() -> tuple[torch.Tensor, torch.Tensor, list[torch.Tensor]]:
    """The book's data set y = X w + b + noise, and the initial parameters, seeded."""
    generator = torch.Generator().manual_seed(SEED)
    w = torch.tensor(TRUE_W).reshape(-1, 1)
    features = torch.normal(0.0, 1.0, (EXAMPLES, len(TRUE_W)), generator=generator)
    labels = features @ w + TRUE_B
    labels += torch.normal(0.0, NOISE, labels.shape, generator=generator)
    params = [torch.normal(0.0, 0.01, (len(TRUE_W), 1), generator=generator), torch.zeros(1)]
    return features, labels, params


def _training(student: Student, device: str, failed: set[str]) -> Panel:
    features, labels, params = synthetic_data()
    trusted = [name for name in COLLABORATORS if name in failed]
    panel = Panel("linear_regression.train_epoch",
                  book=copied(_book_curve()))
    panel.yours["trusted"] = trusted
    outcome, panel.problem = asked(lambda: student.run(
        "training_curve", "train_epoch", device=device, features=features, labels=labels,
        params=params, lr=LR, batch_size=BATCH_SIZE, epochs=EPOCHS, trusted=trusted,
        book=list(COLLABORATORS)))
    if outcome is None:
        return panel
    snapshots = sent(outcome, "snapshots")
    if not (type(snapshots) is torch.Tensor and snapshots.dim() == 2
            and drawable(snapshots, torch.Size([len(snapshots), 3]))):
        panel.problem = Diagnosis("feedback.not_drawable", function="train_epoch")
        return panel
    # A snapshot before the first update, then one after each: the worker records at
    # most MAX_SNAPSHOTS and counts the rest.
    counted = sent(outcome, "updates")
    made = max(len(snapshots) - 1, counted if type(counted) is int else 0)
    if made >= MAX_SNAPSHOTS:
        panel.notes.append(Diagnosis("feedback.cut.snapshots", function="train_epoch",
                                     count=made, kept=MAX_SNAPSHOTS - 1))
        snapshots = snapshots[:MAX_SNAPSHOTS]
    panel.yours.update(_curve(snapshots, features, labels))
    if len(snapshots) == 1:
        panel.notes.append(Diagnosis("feedback.no_updates"))
    note_nonfinite(panel, "train_epoch", [torch.tensor(panel.yours["loss"])])
    return panel


@functools.lru_cache(maxsize=1)
def _book_curve() -> dict[str, list[float]]:
    """The loss curve of the book's loop on synthetic_data(), with this module's settings:
    the same for every student, so computed once per process."""
    features, labels, params = synthetic_data()
    return _curve(_book_snapshots(features, labels, params), features, labels)


def _book_snapshots(features: torch.Tensor, labels: torch.Tensor,
                    params: list[torch.Tensor]) -> torch.Tensor:
    """The parameters after every update of the book's loop, as the worker records them."""
    book = reference("linear_regression")

    params = [p.clone().requires_grad_(True) for p in params]
    snapshots = [torch.cat([p.detach().reshape(-1) for p in params])]

    def updater(update_params: list[torch.Tensor], lr: float, batch_size: int) -> None:
        book.sgd(update_params, lr, batch_size)
        snapshots.append(torch.cat([p.detach().reshape(-1) for p in params]))

    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(SEED)
        for _ in range(EPOCHS):
            book.train_epoch(book.linreg, book.squared_loss, updater,
                             book.data_iter(BATCH_SIZE, features, labels), params, LR,
                             BATCH_SIZE)
    return torch.stack(snapshots)


def _curve(snapshots: torch.Tensor, features: torch.Tensor,
           labels: torch.Tensor) -> dict[str, list[float]]:
    """The mean loss on the whole data set after each update; x counts epochs."""
    snapshots = snapshots.to(torch.float64)
    X, y = features.to(torch.float64), labels.to(torch.float64).reshape(-1, 1)
    # The book's linreg and squared_loss for every snapshot at once: a column each.
    w, b = snapshots[:, :2].T, snapshots[:, 2]
    losses = ((X @ w + b - y) ** 2 / 2).mean(dim=0).tolist()
    updates_per_epoch = math.ceil(EXAMPLES / BATCH_SIZE)
    return {"epoch": [i / updates_per_epoch for i in range(len(losses))], "loss": losses}


def collect(student: Student, device: str, failed: set[str]) -> list[Panel]:
    """The panels of this module: `failed` names the functions that failed a test."""
    return [_training(student, device, failed)]


def clear_cache() -> None:
    """Forget the book's side: the next collect computes it again."""
    _book_curve.cache_clear()


# -- the page ----------------------------------------------------------------------


def write(panels: list[Panel], lang: str, plots: ModuleType) -> str:
    """This module's section of the feedback page."""
    say = sayer(lang)
    parts = [f"<h3>{say('feedback.linear_regression.heading')}</h3>",
             f"<p>{say('feedback.linear_regression.intro', epochs=EPOCHS, examples=EXAMPLES, lr=LR, batch_size=BATCH_SIZE)}</p>"]  # noqa: E501
    for panel in panels:
        trusted = panel.yours.get("trusted")
        if trusted:
            joined = ("、" if lang == "zh" else ", ").join(trusted)
            note = say("feedback.linear_regression.trusted", functions=joined)
            parts.append(f'<p class="note">{note}</p>')
        parts.append(figure(panel, "<code>train_epoch</code>",
                             (lambda p=panel: training_svg(plots, p)) if "loss" in panel.book
                             else None, lang))
    return "\n".join(parts)


# -- the figures (matplotlib, imported only to draw) ------------------------------


def training_svg(plots: ModuleType, panel: Panel) -> str:
    """The loss after each update, the student's over the book's, on a log scale."""
    return plots.cached_svg("linear_regression.training", panel, _training_figure,
                            book=("epoch", "loss"), yours=("epoch", "loss"))


def _training_figure(book: dict[str, Any], yours: dict[str, Any]) -> str:
    from matplotlib.figure import Figure

    from autograder.feedback import plots

    figure = Figure(figsize=(9.6, 3.0))
    ax = figure.subplots()
    plots.log_scale(ax)
    plots.line(ax, book["epoch"], book["loss"], "book-loss", plots.BOOK, dashed=True)
    if "loss" in yours:
        epochs, losses = yours["epoch"], yours["loss"]
        positive = [v if v > 0 else math.nan for v in losses]
        plots.line(ax, epochs, positive, "yours-loss", plots.YOURS)
        plots.mark_nonfinite(ax, epochs, losses, "yours-loss-nonfinite")
    finite = [v for v in (*book["loss"], *yours.get("loss", ()))
              if math.isfinite(v) and v > 0]
    ax.set_ylim(max(min(finite) / 3, 1e-8), min(max(finite) * 3, 1e12))
    ax.set_xlim(0, EPOCHS)
    ax.set_xticks(range(EPOCHS + 1))
    for epoch in range(1, EPOCHS):
        ax.axvline(epoch, color="#bbbbbb", linewidth=0.8, zorder=0)
    return plots.svg_of(figure)
