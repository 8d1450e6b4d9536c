"""cnn: what the feedback page draws, the student's images beside the book's.

The book's edge detection (section 5.1.3): a 6 x 8 image, white with a black band in the
middle, cross-correlated with the kernel [[1, -1]], gives 1 at the edge from white to
black and -1 at the edge from black to white. The student's corr2d draws it beside the
book's, and the student's pool2d pools the book's edges with a 2 x 2 window, as section
5.4 does to show that pooling keeps an edge that moved by one pixel.
"""

from __future__ import annotations

import functools
from html import escape
from types import ModuleType
from typing import Any

import torch

from autograder.checks import Student
from autograder.feedback.data import Panel, asked, copied, floats, note_nonfinite, sent
from autograder.feedback.page import figure, sayer
from autograder.messages import Diagnosis
from autograder.registry import reference

FUNCTIONS = ("corr2d", "pool2d")
CALLS = {"corr2d": "corr2d(X, K)", "pool2d": "pool2d(Y, (2, 2))"}  # shown in the captions
CALL_MARK = "\ue003"  # where a caption's call goes, a character no message holds
KERNEL = ((1.0, -1.0),)
POOL_SIZE = (2, 2)
# The largest image drawn from what the student's code sent (the book's are 6 x 8 at most).
MAX_SIDE = 16


def edge_image() -> torch.Tensor:
    X = torch.ones(6, 8)
    X[:, 2:6] = 0
    return X


def _rows(tensor: torch.Tensor) -> list[list[float]]:
    return [floats(row) for row in tensor]


@functools.lru_cache(maxsize=1)
def _book_images() -> dict[str, list[list[float]]]:
    book = reference("cnn")
    X = edge_image()
    edges = book.corr2d(X, torch.tensor(KERNEL))
    return {"image": _rows(X), "edges": _rows(edges),
            "pooled": _rows(book.pool2d(edges, POOL_SIZE))}


def _image(panel: Panel, function: str, outcome: Any) -> None:
    """What the student's function returned, if it is a small 2-d image of numbers."""
    value = sent(outcome, "value")
    if not (type(value) is torch.Tensor and value.dim() == 2 and not value.is_meta
            and 0 < value.shape[0] <= MAX_SIDE and 0 < value.shape[1] <= MAX_SIDE
            and not value.is_complex() and value.dtype != torch.bool):
        panel.problem = Diagnosis("feedback.not_drawable", function=function)
        return
    value = value.to(torch.float64)
    panel.yours["image"] = _rows(value)
    note_nonfinite(panel, function, [value])


def _panel(student: Student, device: str, function: str, args: list, book: str) -> Panel:
    images = _book_images()
    panel = Panel(f"cnn.{function}", book={"input": copied(images["image" if book == "edges"
                                                                 else "edges"]),
                                            "image": copied(images[book])})
    outcome, panel.problem = asked(lambda: student.run(
        "cnn_call", function, device=device, args=args, kwargs={}))
    if outcome is not None:
        _image(panel, function, outcome)
    return panel


def collect(student: Student, device: str, failed: set[str]) -> list[Panel]:
    """The panels of this module: `failed` names the functions that failed a test."""
    edges = torch.tensor(_book_images()["edges"], dtype=torch.float32)
    return [_panel(student, device, "corr2d", [edge_image(), torch.tensor(KERNEL)], "edges"),
            _panel(student, device, "pool2d", [edges, POOL_SIZE], "pooled")]


def clear_cache() -> None:
    """Forget the book's side: the next collect computes it again."""
    _book_images.cache_clear()


# -- the page ----------------------------------------------------------------------


def write(panels: list[Panel], lang: str, plots: ModuleType) -> str:
    """This module's section of the feedback page."""
    say = sayer(lang)
    parts = [f"<h3>{say('feedback.cnn.heading')}</h3>",
             f"<p>{say('feedback.cnn.intro')}</p>"]
    for panel in panels:
        function = panel.name.rsplit(".", 1)[-1]
        # The call is code on the page: marked after the catalogue's text is escaped.
        caption = say(f"feedback.cnn.{function}", call=CALL_MARK).replace(
            CALL_MARK, f"<code>{escape(CALLS.get(function, function))}</code>")
        parts.append(figure(panel, caption,
                            (lambda p=panel: images_svg(plots, p)) if "image" in panel.book
                            else None, lang))
    return "\n".join(parts)


# -- the figures (matplotlib, imported only to draw) ------------------------------


def images_svg(plots: ModuleType, panel: Panel) -> str:
    """The input, the book's output and the student's, as images with their values."""
    return plots.cached_svg("cnn.images", panel, _images_figure, book=("input", "image"),
                            yours=("image",))


def _images_figure(book: dict[str, Any], yours: dict[str, Any]) -> str:
    import math

    from matplotlib.figure import Figure

    from autograder.feedback import plots

    figure = Figure(figsize=(9.6, 2.4))
    axes = figure.subplots(1, 3)
    shown = (("input", book["input"]), ("book", book["image"]), ("yours", yours.get("image")))
    for ax, (name, image) in zip(axes, shown):
        ax.grid(False)
        ax.set_xticks([])
        ax.set_yticks([])
        for spine in ax.spines.values():
            spine.set_visible(False)
        if image is None:
            ax.axis("off")
            continue
        finite = [[v if math.isfinite(v) else math.nan for v in row] for row in image]
        # Cells as vector shapes (an image would be embedded as a PNG), row 0 on top.
        ax.pcolormesh(finite, cmap="RdBu", vmin=-1.5, vmax=1.5, gid=f"{name}-image",
                      edgecolors="#ffffff", linewidth=0.5)
        ax.set_aspect("equal")
        ax.invert_yaxis()
        for i, row in enumerate(image):
            for j, value in enumerate(row):
                text = "\u00d7" if not math.isfinite(value) else f"{value:.3g}"
                ax.text(j + 0.5, i + 0.5, text, ha="center", va="center", fontsize=7,
                        color=plots.BAD if not math.isfinite(value) else "#222222")
    return plots.svg_of(figure)
