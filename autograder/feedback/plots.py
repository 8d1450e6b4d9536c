"""The pictures of the feedback page, drawn with matplotlib as inline SVG.

matplotlib is an optional extra (`pip install "d2l-autograder[report]"`): this module is
imported only when a page with pictures is written. The plots hold numerals only; every
word around them is the page's, from the catalogue, so that no font needs Chinese glyphs.
Each line the student drew has an id ("yours-value", "book-loss", ...) so that what was
plotted can be found in the page. A process that writes many pages (a class run) draws
each figure once: figures are cached by their data, rounded to what a plot can show.
"""

from __future__ import annotations

import functools
import hashlib
import io
import math
import os
import re
import tempfile
from collections.abc import Sequence
from typing import Any

from matplotlib.figure import Figure
from matplotlib.transforms import blended_transform_factory

from autograder.feedback.data import CORPUS_LENGTH, EPOCHS, Panel

YOURS = "#1f77b4"
BOOK = "#888888"
BAD = "#d62728"
BATCH_COLOURS = ("#1f77b4", "#ff7f0e")
STYLE = {
    "svg.fonttype": "none",  # text stays text: small, sharp, in the page's font
    "svg.hashsalt": "d2l-autograder",  # the same data gives the same SVG
    "font.size": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.color": "#e6e6e6",
    "grid.linewidth": 0.6,
}


def _styled(draw: Any) -> Any:
    """Draw with the page's style: rcParams apply when a figure's axes are made."""
    @functools.wraps(draw)
    def styled(*args: Any, **kwargs: Any) -> str:
        import matplotlib

        with matplotlib.rc_context(STYLE):
            return draw(*args, **kwargs)
    return styled


def activation_svg(panel: Panel) -> str:
    """The student's function over the book's (left) and the gradients (right)."""
    return _cached_svg("activation", panel, book=("x", "value", "grad"), yours=("value", "grad"))


@_styled
def _activation_figure(book: Data, yours: Data) -> str:
    figure = Figure(figsize=(9.6, 2.7))
    axes = figure.subplots(1, 2)
    x = book["x"]
    for ax, key in zip(axes, ("value", "grad")):
        _line(ax, x, book[key], f"book-{key}", BOOK, dashed=True)
        if key in yours:
            _line(ax, x, yours[key], f"yours-{key}", YOURS)
            _mark_nonfinite(ax, x, yours[key], f"yours-{key}-nonfinite")
        ax.set_ylim(*_limits(book[key], yours.get(key, ())))
        ax.set_xlim(x[0], x[-1])
        ax.set_xticks(range(int(x[0]), int(x[-1]) + 1, 2))
        ax.axhline(0, color="#bbbbbb", linewidth=0.8, zorder=0)
        ax.axvline(0, color="#bbbbbb", linewidth=0.8, zorder=0)
    return _svg(figure)


def training_svg(panel: Panel) -> str:
    """The loss after each update, the student's over the book's, on a log scale."""
    return _cached_svg("training", panel, book=("epoch", "loss"), yours=("epoch", "loss"))


@_styled
def _training_figure(book: Data, yours: Data) -> str:
    figure = Figure(figsize=(9.6, 3.0))
    ax = figure.subplots()
    ax.set_yscale("log")
    _line(ax, book["epoch"], book["loss"], "book-loss", BOOK, dashed=True)
    if "loss" in yours:
        epochs, losses = yours["epoch"], yours["loss"]
        _line(ax, epochs, [v if v > 0 else math.nan for v in losses], "yours-loss", YOURS)
        _mark_nonfinite(ax, epochs, losses, "yours-loss-nonfinite")
    finite = [v for v in (*book["loss"], *yours.get("loss", ()))
              if math.isfinite(v) and v > 0]
    ax.set_ylim(max(min(finite) / 3, 1e-8), min(max(finite) * 3, 1e12))
    ax.set_xlim(0, EPOCHS)
    ax.set_xticks(range(EPOCHS + 1))
    for epoch in range(1, EPOCHS):
        ax.axvline(epoch, color="#bbbbbb", linewidth=0.8, zorder=0)
    return _svg(figure)


def softmax_svg(panel: Panel) -> str:
    """One bar chart per row, side by side: the student's probabilities (left bar of each
    pair) beside the book's."""
    return _cached_svg("softmax", panel, book=("probabilities",), yours=("probabilities",))


@_styled
def _softmax_figure(book: Data, yours_data: Data) -> str:
    rows = book["probabilities"]
    figure = Figure(figsize=(3.1 * len(rows) + 0.4, 1.9))
    axes = figure.subplots(1, len(rows), squeeze=False, sharey=True)[0]
    yours = yours_data.get("probabilities", ())
    bottom, top = 0.0, 1.08
    for i, (ax, book_row) in enumerate(zip(axes, rows)):
        classes = list(range(len(book_row)))
        ax.set_axisbelow(True)
        _bars(ax, [c + 0.21 for c in classes], book_row, BOOK, f"book-row{i}")
        if i < len(yours):
            heights = [v if math.isfinite(v) else 0.0 for v in yours[i]]
            _bars(ax, [c - 0.21 for c in classes], heights, YOURS, f"yours-row{i}")
            _mark_nonfinite(ax, [c - 0.21 for c in classes], yours[i], f"yours-row{i}-nonfinite")
            top = max(top, min(2.0, max(heights) * 1.08))
            bottom = min(bottom, max(-1.0, min(heights) * 1.08))
        ax.set_xticks(classes)
        ax.set_yticks([0, 0.5, 1])
        ax.set_title(str(i), fontsize=10, fontweight="bold")
        ax.grid(axis="x", visible=False)
    axes[0].set_ylim(bottom, top)
    figure.subplots_adjust(wspace=0.12)
    return _svg(figure)


def sampler_svg(batches: Sequence[Sequence[Sequence[Sequence[Any]]]], name: str) -> str:
    """The corpus once per row of each minibatch: X's tokens filled, Y's underlined.

    `batches` holds [X, Y] per minibatch, each a list of rows of tokens; the corpus is the
    tokens 0..CORPUS_LENGTH-1, so a token is also its position. Each line is labelled with
    its minibatch (from 1, in the minibatch's colour) and its row (from 0). A grid of
    cells needs no axes: it is written as SVG directly, in a few milliseconds.
    """
    prefix = re.sub(r"[^a-z0-9]+", "-", name.lower())
    cell, line_height, left = 30, 36, 62
    lines = [(b, r) for b, (X, _) in enumerate(batches) for r in range(len(X))]
    shared = overlapping_tokens(batches)
    width, height = left + cell * CORPUS_LENGTH + 2, line_height * max(len(lines), 1) + 4
    parts = [f'<svg width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
             f'font-family="DejaVu Sans, sans-serif" text-anchor="middle">']
    for line, (b, r) in enumerate(lines):
        X, Y = batches[b]
        colour = BATCH_COLOURS[b % len(BATCH_COLOURS)]
        xs = set(_tokens(X[r]))
        ys = set(_tokens(Y[r]) if r < len(Y) else [])
        top = line * line_height + 2
        if r == 0:
            parts.append(f'<text x="16" y="{top + 19}" font-size="16" font-weight="bold" '
                         f'fill="{colour}">{b + 1}</text>')
        parts.append(f'<text x="44" y="{top + 18}" font-size="13" fill="#555">{r}</text>')
        for token in range(CORPUS_LENGTH):
            x = left + token * cell
            kind = "x" if token in xs else "c"
            fill, stroke = (colour, colour) if token in xs else ("white", "#ccc")
            if token in xs and token in shared:  # in more than one window: they overlap
                kind, stroke = "o", f'{BAD}" stroke-width="3'
            parts.append(f'<rect id="{prefix}-b{b}-r{r}-{kind}{token}" x="{x + 1}" y="{top}" '
                         f'width="{cell - 3}" height="24" rx="2" fill="{fill}" '
                         f'stroke="{stroke}"/>')
            parts.append(f'<text x="{x + cell / 2 - 0.5}" y="{top + 16}" font-size="11" '
                         f'fill="{"white" if token in xs else "#555"}">{token}</text>')
            if token in ys:
                parts.append(f'<rect id="{prefix}-b{b}-r{r}-y{token}" x="{x}" y="{top + 27}" '
                             f'width="{cell}" height="4" fill="{colour}"/>')
    parts.append("</svg>")
    return "\n".join(parts)


def overlapping_tokens(batches: Sequence[Sequence[Sequence[Sequence[Any]]]]) -> set[int]:
    """The tokens that more than one row of X holds, in the batches drawn."""
    seen: set[int] = set()
    shared: set[int] = set()
    for X, _ in batches:
        for row in X:
            for token in set(_tokens(row)):
                (shared if token in seen else seen).add(token)
    return shared


def _bars(ax: Any, x: Sequence[float], heights: Sequence[float], colour: str, gid: str) -> None:
    """Bars with an id each: "<gid>-class<c>"."""
    for c, bar in enumerate(ax.bar(x, heights, width=0.4, color=colour)):
        bar.set_gid(f"{gid}-class{c}")


def _tokens(row: Any) -> list[int]:
    return [t for t in row if isinstance(t, int) and 0 <= t < CORPUS_LENGTH] \
        if isinstance(row, list) else []


def _line(ax: Any, x: Sequence[float], y: Sequence[float], gid: str, colour: str, *,
          dashed: bool = False) -> None:
    finite = [v if math.isfinite(v) else math.nan for v in y]
    ax.plot(x, finite, color=colour, gid=gid, linewidth=2.6 if dashed else 1.7,
            linestyle=(0, (4, 2.5)) if dashed else "-", zorder=2 if dashed else 3)


def _mark_nonfinite(ax: Any, x: Sequence[float], y: Sequence[float], gid: str) -> None:
    """A red cross at the top of the axes above each NaN or inf."""
    where = [xi for xi, yi in zip(x, y) if not math.isfinite(yi)]
    if where:
        transform = blended_transform_factory(ax.transData, ax.transAxes)
        ax.plot(where, [0.96] * len(where), linestyle="none", marker="x", markersize=7,
                markeredgewidth=1.8, color=BAD, transform=transform, gid=gid,
                clip_on=False, zorder=4)


def _limits(book: Sequence[float], yours: Sequence[float]) -> tuple[float, float]:
    """The book's range with a margin, widened for the student's curve up to a point."""
    low, high = min(book), max(book)
    span = max(high - low, 1.0)
    finite = [v for v in yours if math.isfinite(v)]
    if finite:
        low = max(min(low, min(finite)), low - 2 * span)
        high = min(max(high, max(finite)), high + 2 * span)
    margin = 0.08 * (high - low)
    return low - margin, high + margin


def _svg(figure: Figure) -> str:
    """The figure as a bare <svg> element: no XML prologue, metadata or namespaces."""
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight", pad_inches=0.05,
                   metadata={"Date": None, "Creator": None, "Format": None, "Type": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg"):]
    svg = re.sub(r"<metadata>.*?</metadata>", "", svg, flags=re.S)
    return re.sub(r'\s+xmlns(:\w+)?="[^"]*"', "", svg)


# -- the cache of figures ---------------------------------------------------------------------
#
# A class's pages draw the same figures again and again: every correct function gives the
# book's curve. The key of a figure is its data rounded to what a plot can show, and the
# figure is drawn from that rounded data, so that one key always means one picture. Ids
# are made unique on the page after the cache, since two panels may share a figure.

SIGNIFICANT_DIGITS = 4
CACHE_SIZE = 256  # each about 30 kB of SVG and at most 50 kB of key: some 20 MB in all
Data = dict[str, Any]  # a panel's side, its values rounded, as tuples
Frozen = tuple[tuple[str, Any], ...]  # the same, hashable


def _cached_svg(kind: str, panel: Panel, *, book: tuple[str, ...],
                yours: tuple[str, ...]) -> str:
    svg = _drawn(kind, _frozen(panel.book, book), _frozen(panel.yours, yours))
    return _inline(svg, prefix=re.sub(r"[^a-z0-9]+", "-", panel.name.lower()))


@functools.lru_cache(maxsize=CACHE_SIZE)
def _drawn(kind: str, book: Frozen, yours: Frozen) -> str:
    if _shared_folder is None:
        return FIGURES[kind](dict(book), dict(yours))
    key = hashlib.sha256(repr((kind, book, yours)).encode()).hexdigest()
    path = os.path.join(_shared_folder, f"{key}.svg")
    try:
        with open(path, encoding="utf-8") as stream:
            return stream.read()
    except OSError:
        pass
    svg = FIGURES[kind](dict(book), dict(yours))
    try:  # whole or not at all, for another process that reads it meanwhile
        handle, written = tempfile.mkstemp(dir=_shared_folder, suffix=".part")
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(svg)
        os.replace(written, path)
    except OSError:  # a full disk: the others draw it themselves
        pass
    return svg


_shared_folder: str | None = None


def share_figures(folder: str | None) -> None:
    """Share the figures drawn with the other processes that draw into `folder` (the
    grading processes of a class run, which draw the same book's curves and the same
    mistakes): each figure is drawn once for them all. None: this process's cache only.
    The folder must be one that nobody else can write to."""
    global _shared_folder
    _shared_folder = folder


def figure_cache_info() -> Any:
    """The figure cache's hits, misses, maxsize and currsize (functools' CacheInfo)."""
    return _drawn.cache_info()


def clear_figure_cache() -> None:
    """Forget every figure drawn: the next page draws them all again."""
    _drawn.cache_clear()
    _inline.cache_clear()


def _frozen(side: dict[str, Any], keys: tuple[str, ...]) -> Frozen:
    return tuple((key, _rounded(side[key])) for key in keys if key in side)


def _rounded(values: Any) -> Any:
    """Nested sequences as tuples of floats rounded to SIGNIFICANT_DIGITS; every NaN is
    the one NaN object and -0.0 is 0.0, so that equal data makes equal keys."""
    if isinstance(values, (list, tuple)):
        return tuple(_rounded(v) for v in values)
    value = float(values)
    if math.isnan(value):
        return NAN
    return float(f"{value:.{SIGNIFICANT_DIGITS}g}") + 0.0


NAN = math.nan
FIGURES = {"activation": _activation_figure, "training": _training_figure,
           "softmax": _softmax_figure}


@functools.lru_cache(maxsize=CACHE_SIZE)
def _inline(svg: str, prefix: str) -> str:
    """Prefix every id of `svg`, and every reference to one, with `prefix`. Cached too: a
    class's pages show the same figure under the same name again and again."""
    ids = set(re.findall(r'\bid="([^"]+)"', svg))
    # One pass: an id is renamed where it is defined (id="x") and where it is referred
    # to (href="#x", url(#x)), whole, between those delimiters.
    return re.sub(r'(\bid="|#)([^"#)\s]+)(?=[")])',
                  lambda m: f"{m[1]}{prefix}-{m[2]}" if m[2] in ids else m[0], svg)
