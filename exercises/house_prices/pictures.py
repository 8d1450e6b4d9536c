"""house_prices: what the feedback page draws, the student's k-fold split over the book's.

collect() asks the student's get_k_fold_data for every fold i of a small data set whose
rows name themselves (the first feature of row r is r), and reads back which rows train
and which validate; the book's split is computed here, once per process. write() lays the
picture out: one line of cells per fold i, one cell per row of the data.
"""

from __future__ import annotations

import functools
from types import ModuleType
from typing import Any

import torch

from autograder.checks import Student
from autograder.feedback.data import Panel, asked, copied
from autograder.feedback.page import figure, sayer
from autograder.messages import Diagnosis
from autograder.registry import reference

K, ROWS, FEATURES = 5, 23, 2  # folds of 4 rows; rows 20 to 22 are left out
# What a row is in one fold's split: a number per cell of the picture.
UNUSED, TRAIN, VALID, BOTH = 0.0, 1.0, 2.0, 3.0


def split_data() -> tuple[torch.Tensor, torch.Tensor]:
    X = torch.zeros(ROWS, FEATURES)
    X[:, 0] = torch.arange(ROWS, dtype=torch.float32)
    return X, 1000.0 + torch.arange(ROWS, dtype=torch.float32).reshape(ROWS, 1)


def roles(X_train: Any, X_valid: Any) -> list[float] | None:
    """Each row's role in one split, from the row numbers in the first column of X_train
    and X_valid; None where they are not such tensors (or hold rows that do not exist)."""
    found = []
    for part in (X_train, X_valid):
        if type(part) is not torch.Tensor or part.dim() != 2 or part.shape[1] != FEATURES \
                or part.shape[0] > 4 * ROWS or not part.is_floating_point() or part.is_meta:
            return None
        numbers = part[:, 0].to(torch.float64)
        if not bool(((numbers >= 0) & (numbers < ROWS) & (numbers == numbers.round())).all()):
            return None
        found.append({int(r) for r in numbers.tolist()})
    train, valid = found
    return [BOTH if r in train and r in valid else TRAIN if r in train
            else VALID if r in valid else UNUSED for r in range(ROWS)]


def _k_fold(student: Student, device: str) -> list[Panel]:
    panel = Panel("house_prices.get_k_fold_data", book={"roles": copied(_book_roles())})
    X, y = split_data()
    lines = []
    for i in range(K):
        outcome, panel.problem = asked(lambda i=i: student.call(
            "get_k_fold_data", K, i, X, y, device=device))
        if outcome is None:
            return [panel]
        value = outcome.value
        line = roles(value[0], value[2]) \
            if isinstance(value, (tuple, list)) and len(value) == 4 else None
        if line is None:
            panel.problem = Diagnosis("feedback.house_prices.not_drawable")
            return [panel]
        lines.append(line)
    panel.yours["roles"] = lines
    return [panel]


@functools.lru_cache(maxsize=1)
def _book_roles() -> list[list[float]]:
    """The book's split of split_data() for each fold, computed once per process."""
    book = reference("house_prices")

    X, y = split_data()
    lines = []
    for i in range(K):
        X_train, _, X_valid, _ = book.get_k_fold_data(K, i, X, y)
        lines.append(roles(X_train, X_valid))
    return lines


def collect(student: Student, device: str, failed: set[str]) -> list[Panel]:
    """The panels of this module: `failed` names the functions that failed a test."""
    return _k_fold(student, device)


def clear_cache() -> None:
    """Forget the book's side: the next collect computes it again."""
    _book_roles.cache_clear()


# -- the page ----------------------------------------------------------------------


def write(panels: list[Panel], lang: str, plots: ModuleType) -> str:
    """This module's section of the feedback page."""
    say = sayer(lang)
    parts = [f"<h3>{say('feedback.house_prices.heading')}</h3>",
             f"<p>{say('feedback.house_prices.intro', k=K, rows=ROWS)}</p>"]
    for panel in panels:
        parts.append(figure(panel, "<code>get_k_fold_data</code>",
                            (lambda p=panel: k_fold_svg(plots, p)) if "roles" in panel.book
                            else None, lang))
    return "\n".join(parts)


# -- the figures (matplotlib, imported only to draw) ------------------------------


COLOURS = {UNUSED: "#eeeeee", TRAIN: "#1f77b4", VALID: "#ff7f0e", BOTH: "#d62728"}


def k_fold_svg(plots: ModuleType, panel: Panel) -> str:
    """Your split (left) beside the book's (right): a line of cells per fold i."""
    return plots.cached_svg("house_prices.k_fold", panel, _k_fold_figure,
                            book=("roles",), yours=("roles",))


def _k_fold_figure(book: dict[str, Any], yours: dict[str, Any]) -> str:
    from matplotlib.figure import Figure

    from autograder.feedback import plots

    figure = Figure(figsize=(9.6, 1.9))
    axes = figure.subplots(1, 2, sharey=True)
    for ax, side, name in zip(axes, (yours, book), ("yours", "book")):
        lines = side.get("roles", ())
        for i, line in enumerate(lines):
            for r, role in enumerate(line):
                cell = ax.add_patch(_cell(r, i, COLOURS.get(role, COLOURS[BOTH])))
                cell.set_gid(f"{name}-fold{i}-row{r}")
        ax.set_xlim(-0.5, ROWS - 0.5)
        ax.set_ylim(K - 0.5, -0.5)
        ax.set_xticks(range(0, ROWS, 5))
        ax.set_yticks(range(K))
        ax.grid(False)
        ax.spines["left"].set_visible(False)
        ax.spines["bottom"].set_visible(False)
        ax.tick_params(length=0)
    figure.subplots_adjust(wspace=0.06, left=0.03, right=0.99, bottom=0.14, top=0.96)
    return plots.svg_of(figure)


def _cell(x: int, y: int, colour: str) -> Any:
    from matplotlib.patches import Rectangle

    return Rectangle((x - 0.45, y - 0.4), 0.9, 0.8, facecolor=colour, edgecolor="none")
