"""optimizers: what the feedback page draws, the student's paths and curves over the book's.

For each optimiser: its path on the book's function f(x1, x2) = 0.1 x1^2 + 2 x2^2 from
(-5, -2) (chapter 7's train_2d), and its training loss with the book's train_ch7 loop on
synthetic data of 5 features, as the book's airfoil data (not shipped), but 500 examples
rather than its 1,500: a third of the steps for the same shape of curve. collect() asks
the student's code through the workers; the book's side is computed here, once per
process.
"""

from __future__ import annotations

import functools
import math
from types import ModuleType
from typing import Any

import torch

from autograder.checks import Student
from autograder.feedback.data import SEED, Panel, asked, copied, floats, note_nonfinite, sent
from autograder.feedback.page import figure, sayer
from autograder.messages import Diagnosis
from autograder.registry import reference

OPTIMIZERS = ("sgd_momentum", "adagrad", "rmsprop", "adadelta", "adam")
INIT = {"sgd_momentum": "init_momentum_states", "adagrad": "init_adagrad_states",
        "rmsprop": "init_rmsprop_states", "adadelta": "init_adadelta_states",
        "adam": "init_adam_states"}
# The book's 2-d demonstrations use eta = 0.4 (momentum 0.5, gamma 0.9); AdaDelta and
# Adam have none, and get their chapter's settings.
PATH_HYPERPARAMS = {
    "sgd_momentum": {"lr": 0.4, "momentum": 0.5},
    "adagrad": {"lr": 0.4},
    "rmsprop": {"lr": 0.4, "gamma": 0.9},
    "adadelta": {"rho": 0.9},
    "adam": {"lr": 0.4, "t": 1},
}
START, PATH_STEPS = (-5.0, -2.0), 20
# train_ch7's settings and the book's hyperparameters for its data.
TRAIN_HYPERPARAMS = {
    "sgd_momentum": {"lr": 0.02, "momentum": 0.5},
    "adagrad": {"lr": 0.1},
    "rmsprop": {"lr": 0.01, "gamma": 0.9},
    "adadelta": {"rho": 0.9},
    "adam": {"lr": 0.01, "t": 1},
}
EXAMPLES, FEATURES, BATCH_SIZE, EPOCHS, EVERY = 500, 5, 10, 2, 50
CURVE_POINTS = EPOCHS * EXAMPLES // EVERY + 1


def states_for(function: str, d: int) -> Any:
    return getattr(reference("optimizers"), INIT[function])(torch.zeros(1, d))


def training_data() -> tuple[torch.Tensor, torch.Tensor, list[torch.Tensor]]:
    """Standardised synthetic data (500 x 5; the book's airfoil data are 1,500 x 5), and the
    initial w ~ N(0, 0.01), b = 0 of train_ch7, seeded."""
    generator = torch.Generator().manual_seed(SEED)
    features = torch.randn(EXAMPLES, FEATURES, generator=generator)
    true_w = torch.tensor([[0.8], [-0.5], [0.3], [0.1], [-0.2]])
    labels = (features @ true_w).reshape(-1) + 0.5 * torch.randn(EXAMPLES, generator=generator)
    labels = (labels - labels.mean()) / labels.std()
    params = [torch.normal(0.0, 0.01, (FEATURES, 1), generator=generator), torch.zeros(1)]
    return features, labels, params


def _path(book_step: Any, function: str) -> list[list[float]]:
    w = torch.tensor(START).reshape(2, 1).requires_grad_(True)
    b = torch.zeros(1, requires_grad=True)
    states, hyperparams = states_for(function, 2), dict(PATH_HYPERPARAMS[function])
    points = [w.detach().reshape(-1).clone()]
    for _ in range(PATH_STEPS):
        x = w.detach()
        w.grad = torch.cat([0.2 * x[:1], 4 * x[1:]])
        b.grad = torch.zeros_like(b)
        book_step([w, b], states, hyperparams)
        points.append(w.detach().reshape(-1).clone())
    return torch.stack(points).T.tolist()


def _losses(snapshots: torch.Tensor, features: torch.Tensor,
            labels: torch.Tensor) -> list[float]:
    X, y = features.double(), labels.double().reshape(-1, 1)
    s = snapshots.double()
    # The loss of every snapshot at once: a column each.
    return ((X @ s[:, :FEATURES].T + s[:, FEATURES] - y) ** 2 / 2).mean(dim=0).tolist()


def _book_training(function: str) -> list[float]:
    """The book's optimiser in the very loop the student's is trained in (worker.py)."""
    from autograder import registry

    features, labels, params = training_data()
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # as a worker trains: many threads only slow small steps down
    try:
        trained = registry.exercise("optimizers").worker.training(
            reference("optimizers"), function, features, labels, params,
            states_for(function, FEATURES), TRAIN_HYPERPARAMS[function], BATCH_SIZE, EPOCHS,
            EVERY)
    finally:
        torch.set_num_threads(threads)
    return _losses(trained["snapshots"], features, labels)


@functools.cache
def _book(function: str) -> dict[str, Any]:
    """The book's path and loss curve of `function`, computed once per process."""
    book = reference("optimizers")
    x1, x2 = _path(getattr(book, function), function)
    return {"x1": x1, "x2": x2, "loss": _book_training(function),
            "epoch": [i * EVERY / EXAMPLES for i in range(CURVE_POINTS)]}


def _panel(student: Student, device: str, function: str) -> Panel:
    panel = Panel(f"optimizers.{function}", book=copied(_book(function)))
    outcome, panel.problem = asked(lambda: student.run(
        "optimizer_path", function, device=device, start=list(START),
        states=states_for(function, 2), hyperparams=PATH_HYPERPARAMS[function],
        steps=PATH_STEPS))
    if outcome is not None:
        points = sent(outcome, "points")
        if type(points) is torch.Tensor and points.shape == (PATH_STEPS + 1, 2) \
                and points.is_floating_point():
            panel.yours["x1"], panel.yours["x2"] = floats(points[:, 0]), floats(points[:, 1])
            note_nonfinite(panel, function, [points])
        else:
            panel.problem = Diagnosis("feedback.not_drawable", function=function)
            return panel
    features, labels, params = training_data()
    outcome, problem = asked(lambda: student.run(
        "optimizer_training", function, device=device, features=features, labels=labels,
        params=params, states=states_for(function, FEATURES),
        hyperparams=TRAIN_HYPERPARAMS[function], batch_size=BATCH_SIZE, epochs=EPOCHS,
        every=EVERY))
    panel.problem = panel.problem or problem
    if outcome is not None:
        snapshots = sent(outcome, "snapshots")
        if type(snapshots) is torch.Tensor and snapshots.shape == (CURVE_POINTS, FEATURES + 1) \
                and snapshots.is_floating_point():
            panel.yours["loss"] = _losses(snapshots.cpu(), features, labels)
            panel.yours["epoch"] = panel.book["epoch"]
            note_nonfinite(panel, function, [torch.tensor(panel.yours["loss"])])
        elif panel.problem is None:
            panel.problem = Diagnosis("feedback.not_drawable", function=function)
    return panel


def collect(student: Student, device: str, failed: set[str]) -> list[Panel]:
    """The panels of this module: `failed` names the functions that failed a test."""
    return [_panel(student, device, function) for function in OPTIMIZERS]


def clear_cache() -> None:
    """Forget the book's side: the next collect computes it again."""
    _book.cache_clear()


# -- the page ----------------------------------------------------------------------


def write(panels: list[Panel], lang: str, plots: ModuleType) -> str:
    """This module's section of the feedback page."""
    say = sayer(lang)
    parts = [f"<h3>{say('feedback.optimizers.heading')}</h3>",
             f"<p>{say('feedback.optimizers.intro', steps=PATH_STEPS, examples=EXAMPLES, features=FEATURES, epochs=EPOCHS)}</p>"]  # noqa: E501
    for panel in panels:
        function = panel.name.rsplit(".", 1)[-1]
        parts.append(figure(panel, f"<code>{function}</code>",
                             (lambda p=panel: optimizer_svg(plots, p)) if "x1" in panel.book
                             else None, lang))
    return "\n".join(parts)


# -- the figures (matplotlib, imported only to draw) ------------------------------


def optimizer_svg(plots: ModuleType, panel: Panel) -> str:
    """The path on f (left) and the training loss (right), the student's over the book's."""
    return plots.cached_svg("optimizers.optimizer", panel, _optimizer_figure,
                            book=("x1", "x2", "epoch", "loss"),
                            yours=("x1", "x2", "epoch", "loss"))


def _optimizer_figure(book: dict[str, Any], yours: dict[str, Any]) -> str:
    from matplotlib.figure import Figure

    from autograder.feedback import plots

    figure = Figure(figsize=(9.6, 2.9))
    path_ax, loss_ax = figure.subplots(1, 2)
    grid = [-5.5 + 0.1 * i for i in range(76)]
    rows = [-3.0 + 0.1 * i for i in range(51)]
    path_ax.contour(grid, rows, [[0.1 * x1 ** 2 + 2 * x2 ** 2 for x1 in grid] for x2 in rows],
                    levels=8, colors="#cccccc", linewidths=0.8)
    path_ax.plot(book["x1"], book["x2"], color=plots.BOOK, linestyle=(0, (4, 2.5)),
                 linewidth=2.4, marker="o", markersize=3, gid="book-path")
    if "x1" in yours:
        x1 = [v if math.isfinite(v) else math.nan for v in yours["x1"]]
        x2 = [v if math.isfinite(v) else math.nan for v in yours["x2"]]
        path_ax.plot(x1, x2, color=plots.YOURS, linewidth=1.6, marker="o", markersize=3,
                     gid="yours-path")
    path_ax.set_xlim(-5.5, 2.0)
    path_ax.set_ylim(-3.0, 2.0)
    plots.log_scale(loss_ax)
    plots.line(loss_ax, book["epoch"], book["loss"], "book-loss", plots.BOOK, dashed=True)
    if "loss" in yours:
        positive = [v if math.isfinite(v) and v > 0 else math.nan for v in yours["loss"]]
        plots.line(loss_ax, yours["epoch"], positive, "yours-loss", plots.YOURS)
        plots.mark_nonfinite(loss_ax, yours["epoch"], yours["loss"], "yours-loss-nonfinite")
    finite = [v for v in (*book["loss"], *yours.get("loss", ())) if math.isfinite(v) and v > 0]
    loss_ax.set_ylim(max(min(finite) / 2, 1e-6), min(max(finite) * 2, 1e6))
    loss_ax.set_xlim(0, EPOCHS)
    return plots.svg_of(figure)
