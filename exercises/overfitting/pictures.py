"""overfitting: what the feedback page draws, the student's data over the book's.

collect() asks the student's code through the workers (as every test does) and computes
the book's side here, once per process; write() lays the pictures out on the page.

- dropout: over drop_prob from 0 to 1, the share of elements the student's dropout keeps
  and the mean of what it returns, against 1 - drop_prob and the input's mean (the
  expected value inverted dropout keeps).
- l2_penalty: the book's high-dimensional linear regression (section 3.12) trained with
  the student's penalty for several lambda, its training and test loss after training.
"""

from __future__ import annotations

import functools
import math
from types import ModuleType
from typing import Any

import torch

from autograder.checks import Student
from autograder.feedback.data import SEED, Panel, asked, copied, drawable, sent
from autograder.feedback.page import figure, sayer
from autograder.messages import Diagnosis
from autograder.registry import reference

# dropout: one call per drop_prob on DROPOUT_SHAPE elements of mean about 1.25.
DROP_PROBS = tuple(i / 10 for i in range(11))
DROPOUT_SHAPE = (64, 64)

# l2_penalty: the book's example of overfitting, 20 training examples of 200 features
# (y = 0.05 + 0.01 * sum(x) + noise), trained full batch from the book's random w.
TRAIN, TEST, INPUTS = 20, 100, 200
TRUE_W, TRUE_B, NOISE = 0.01, 0.05, 0.01
LAMBDAS = (0.0, 1.0, 2.0, 4.0, 8.0)
LR, EPOCHS = 0.05, 30


def dropout_input() -> torch.Tensor:
    generator = torch.Generator().manual_seed(SEED)
    return 0.5 + 1.5 * torch.rand(*DROPOUT_SHAPE, generator=generator)


def _dropout(student: Student, device: str) -> Panel:
    X = dropout_input()
    panel = Panel("overfitting.dropout", book=copied(_book_dropout()))
    kept, means = [], []
    failures: set[str] = set()  # the diagnoses noted already, each once
    for drop_prob in DROP_PROBS:
        outcome, problem = asked(lambda p=drop_prob: student.call("dropout", X, p,
                                                                   device=device))
        value = sent(outcome, "value") if outcome is not None else None
        if problem is None and not drawable(value, X.shape):
            problem = Diagnosis("feedback.not_drawable", function="dropout")
        if problem is not None:
            if problem.key not in failures:
                failures.add(problem.key)
                panel.notes.append(Diagnosis("feedback.overfitting.dropout_failed",
                                             drop_prob=drop_prob, problem=problem))
            kept.append(math.nan)
            means.append(math.nan)
            continue
        kept.append(float((value != 0).double().mean()))
        means.append(float(value.double().mean()))
    if all(math.isnan(k) for k in kept):
        panel.problem, panel.notes = panel.notes[0].params["problem"], []
        return panel
    panel.yours.update({"drop_prob": list(DROP_PROBS), "kept": kept, "mean": means})
    return panel


@functools.cache
def _book_dropout() -> dict[str, list[float]]:
    """What inverted dropout does on average: it keeps 1 - drop_prob of the elements and
    the input's mean, until it drops everything at drop_prob = 1."""
    mean = float(dropout_input().double().mean())
    return {"drop_prob": list(DROP_PROBS), "kept": [1 - p for p in DROP_PROBS],
            "mean": [mean if p < 1 else 0.0 for p in DROP_PROBS]}


def weight_decay_data() -> dict[str, torch.Tensor]:
    generator = torch.Generator().manual_seed(SEED)
    features = torch.randn(TRAIN + TEST, INPUTS, generator=generator)
    labels = features @ torch.full((INPUTS, 1), TRUE_W) + TRUE_B
    labels += NOISE * torch.randn(labels.shape, generator=generator)
    w = torch.randn(INPUTS, 1, generator=generator)  # the book's init_params
    return {"features": features[:TRAIN], "labels": labels[:TRAIN],
            "test_features": features[TRAIN:], "test_labels": labels[TRAIN:], "w": w}


def _weight_decay(student: Student, device: str) -> Panel:
    panel = Panel("overfitting.l2_penalty", book=copied(_book_weight_decay()))
    outcome, panel.problem = asked(lambda: student.run(
        "weight_decay_curve", "l2_penalty", device=device, lambdas=list(LAMBDAS), lr=LR,
        epochs=EPOCHS, **weight_decay_data()))
    if outcome is None:
        return panel
    train, test = sent(outcome, "train"), sent(outcome, "test")
    if not all(isinstance(losses, list) and len(losses) == len(LAMBDAS)
               and all(isinstance(v, float) for v in losses) for losses in (train, test)):
        panel.problem = Diagnosis("feedback.not_drawable", function="l2_penalty")
        return panel
    panel.yours.update({"lambda": list(LAMBDAS), "train": train, "test": test})
    bad = sum(not math.isfinite(v) for v in (*train, *test))
    if bad:
        panel.notes.append(Diagnosis("feedback.nonfinite", function="l2_penalty", count=bad,
                                     total=2 * len(LAMBDAS)))
    return panel


@functools.cache
def _book_weight_decay() -> dict[str, list[float]]:
    """The same training with the book's l2_penalty, in this process, once."""
    from autograder import registry

    book = reference("overfitting")
    worker = registry.exercise("overfitting").worker
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # as a worker trains: many threads only slow small steps down
    try:
        result = worker.weight_decay_curve(book, "l2_penalty", lambdas=list(LAMBDAS), lr=LR,
                                           epochs=EPOCHS, **weight_decay_data())
    finally:
        torch.set_num_threads(threads)
    return {"lambda": list(LAMBDAS), "train": result["train"], "test": result["test"]}


def collect(student: Student, device: str, failed: set[str]) -> list[Panel]:
    """The panels of this module: `failed` names the functions that failed a test."""
    return [_weight_decay(student, device), _dropout(student, device)]


def clear_cache() -> None:
    """Forget the book's side: the next collect computes it again."""
    _book_dropout.cache_clear()
    _book_weight_decay.cache_clear()


# -- the page ----------------------------------------------------------------------


def write(panels: list[Panel], lang: str, plots: ModuleType) -> str:
    """This module's section of the feedback page."""
    say = sayer(lang)
    parts = [f"<h3>{say('feedback.overfitting.heading')}</h3>"]
    for panel in panels:
        if panel.name == "overfitting.l2_penalty":
            caption = say("feedback.overfitting.weight_decay", train=TRAIN, inputs=INPUTS,
                          epochs=EPOCHS, lr=LR)
            draw = (lambda p=panel: weight_decay_svg(plots, p)) if "test" in panel.book \
                else None
        else:
            caption = say("feedback.overfitting.dropout", count=DROPOUT_SHAPE[0] * DROPOUT_SHAPE[1])
            draw = (lambda p=panel: dropout_svg(plots, p)) if "kept" in panel.book else None
        parts.append(figure(panel, caption, draw, lang))
    return "\n".join(parts)


# -- the figures (matplotlib, imported only to draw) ------------------------------


def weight_decay_svg(plots: ModuleType, panel: Panel) -> str:
    return plots.cached_svg("overfitting.weight_decay", panel, _weight_decay_figure,
                            book=("lambda", "train", "test"), yours=("train", "test"))


def _weight_decay_figure(book: dict[str, Any], yours: dict[str, Any]) -> str:
    """The training loss (left) and the test loss (right) over lambda, on a log scale."""
    from matplotlib.figure import Figure

    from autograder.feedback import plots

    figure = Figure(figsize=(9.6, 2.7))
    axes = figure.subplots(1, 2)
    x = list(range(len(book["lambda"])))
    for ax, key in zip(axes, ("train", "test")):
        plots.log_scale(ax)
        plots.line(ax, x, _positive(book[key]), f"book-{key}", plots.BOOK, dashed=True)
        if key in yours:
            plots.line(ax, x, _positive(yours[key]), f"yours-{key}", plots.YOURS)
            plots.mark_nonfinite(ax, x, yours[key], f"yours-{key}-nonfinite")
        finite = [v for v in (*book[key], *yours.get(key, ())) if math.isfinite(v) and v > 0]
        if finite:
            ax.set_ylim(max(min(finite) / 3, 1e-12), min(max(finite) * 3, 1e12))
        ax.set_xticks(x, [f"{v:g}" for v in book["lambda"]])
        ax.set_xlim(x[0] - 0.2, x[-1] + 0.2)
    return plots.svg_of(figure)


def _positive(values: list[float]) -> list[float]:
    """What a logarithmic axis can show: NaN in place of 0 or less."""
    return [v if v > 0 else math.nan for v in values]


def dropout_svg(plots: ModuleType, panel: Panel) -> str:
    return plots.cached_svg("overfitting.dropout", panel, _dropout_figure,
                            book=("drop_prob", "kept", "mean"), yours=("kept", "mean"))


def _dropout_figure(book: dict[str, Any], yours: dict[str, Any]) -> str:
    """The share kept (left) and the mean returned (right) over drop_prob."""
    from matplotlib.figure import Figure

    from autograder.feedback import plots

    figure = Figure(figsize=(9.6, 2.7))
    axes = figure.subplots(1, 2)
    x = book["drop_prob"]
    for ax, key in zip(axes, ("kept", "mean")):
        plots.line(ax, x, book[key], f"book-{key}", plots.BOOK, dashed=True)
        if key in yours:
            plots.line(ax, x, yours[key], f"yours-{key}", plots.YOURS)
            plots.mark_nonfinite(ax, x, yours[key], f"yours-{key}-nonfinite")
        low, high = plots.limits(book[key], yours.get(key, ()))
        ax.set_ylim(min(low, -0.05), high)
        ax.set_xlim(0, 1)
        ax.set_xticks([0, 0.2, 0.4, 0.6, 0.8, 1.0])
    return plots.svg_of(figure)
