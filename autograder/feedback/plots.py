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
from collections.abc import Callable, Sequence
from typing import Any

from matplotlib.figure import Figure
from matplotlib.ticker import AutoLocator, LogFormatter, LogLocator
from matplotlib.transforms import blended_transform_factory

from autograder.feedback.data import Panel

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


def styled(draw: Any) -> Any:
    """Draw with the page's style: rcParams apply when a figure's axes are made."""
    @functools.wraps(draw)
    def styled(*args: Any, **kwargs: Any) -> str:
        import matplotlib

        with matplotlib.rc_context(STYLE):
            return draw(*args, **kwargs)
    return styled


def bars(ax: Any, x: Sequence[float], heights: Sequence[float], colour: str, gid: str) -> None:
    """Bars with an id each: "<gid>-class<c>"."""
    for c, bar in enumerate(ax.bar(x, heights, width=0.4, color=colour)):
        bar.set_gid(f"{gid}-class{c}")


def line(ax: Any, x: Sequence[float], y: Sequence[float], gid: str, colour: str, *,
          dashed: bool = False) -> None:
    finite = [v if math.isfinite(v) else math.nan for v in y]
    ax.plot(x, finite, color=colour, gid=gid, linewidth=2.6 if dashed else 1.7,
            linestyle=(0, (4, 2.5)) if dashed else "-", zorder=2 if dashed else 3)


def mark_nonfinite(ax: Any, x: Sequence[float], y: Sequence[float], gid: str) -> None:
    """A red cross at the top of the axes above each NaN or inf."""
    where = [xi for xi, yi in zip(x, y) if not math.isfinite(yi)]
    if where:
        transform = blended_transform_factory(ax.transData, ax.transAxes)
        ax.plot(where, [0.96] * len(where), linestyle="none", marker="x", markersize=7,
                markeredgewidth=1.8, color=BAD, transform=transform, gid=gid,
                clip_on=False, zorder=4)


def limits(book: Sequence[float], yours: Sequence[float]) -> tuple[float, float]:
    """The book's range with a margin, widened for the student's curve up to a point."""
    low, high = min(book), max(book)
    span = max(high - low, 1.0)
    finite = [v for v in yours if math.isfinite(v)]
    if finite:
        low = max(min(low, min(finite)), low - 2 * span)
        high = min(max(high, max(finite)), high + 2 * span)
    margin = 0.08 * (high - low)
    return low - margin, high + margin


class PlainLogFormatter(LogFormatter):
    """A log axis's labels as plain numbers ("0.01", "1e-05"). matplotlib's default writes
    them in mathtext, whose parser is most of the cost of drawing a figure with one."""

    def _num_to_string(self, x: float, vmin: float, vmax: float) -> str:
        return f"{x:g}"


def log_scale(ax: Any, axis: str = "y") -> None:
    """Put the x or y axis of `ax` on a log scale, labelled with plain numbers, with minor
    ticks at 2 and 5 of each decade only: every tick is an object matplotlib draws."""
    getattr(ax, f"set_{axis}scale")("log")
    ticks = getattr(ax, f"{axis}axis")
    ticks.set_minor_locator(LogLocator(subs=(2.0, 5.0)))
    ticks.set_major_formatter(PlainLogFormatter())
    ticks.set_minor_formatter(PlainLogFormatter(labelOnlyBase=False))


# Each figure's margins, in inches, around its grid of axes: room for the tick labels at
# the left and bottom, and for the axes' titles at the top. Fixed, as matplotlib's "tight"
# box would draw every figure twice, once only to measure it.
MARGINS = {"left": 0.6, "right": 0.2, "bottom": 0.34, "top": 0.12}
TITLE_HEIGHT = 0.24


def _fit(figure: Figure) -> None:
    width, height = figure.get_size_inches()
    top = MARGINS["top"] + (TITLE_HEIGHT if any(ax.get_title() for ax in figure.axes) else 0)
    figure.subplots_adjust(left=MARGINS["left"] / width, right=1 - MARGINS["right"] / width,
                           bottom=MARGINS["bottom"] / height, top=1 - top / height)


# Ticks on a linear axis: at most this many intervals between them (matplotlib's default
# fits up to nine in a wide axes). Every tick is five objects to make and draw: with five,
# a figure is drawn in a tenth less time.
TICK_INTERVALS = 5


def svg_of(figure: Figure) -> str:
    """The figure as a bare <svg> element: no XML prologue, metadata or namespaces."""
    _fit(figure)
    for axis in (axis for ax in figure.axes for axis in (ax.xaxis, ax.yaxis)):
        locator = axis.get_major_locator()
        if isinstance(locator, AutoLocator):  # matplotlib's default, not a unit's choice
            locator.set_params(nbins=TICK_INTERVALS)
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg",
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


def cached_svg(kind: str, panel: Panel, draw: Callable[[Data, Data], str], *,
               book: tuple[str, ...], yours: tuple[str, ...]) -> str:
    """The figure `draw(book, yours)` of the panel's data under `book`'s and `yours`'s
    keys, drawn in the page's style, once for the same data (see the cache below);
    `kind` names the drawing ("activations.activation"), one function per kind."""
    FIGURES.setdefault(kind, styled(draw))
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
# Each kind of figure and the function that draws it from (book, yours): a unit's pictures
# name theirs when they ask for one (cached_svg).
FIGURES: dict[str, Callable[[Data, Data], str]] = {}


@functools.lru_cache(maxsize=CACHE_SIZE)
def _inline(svg: str, prefix: str) -> str:
    """Prefix every id of `svg`, and every reference to one, with `prefix`. Cached too: a
    class's pages show the same figure under the same name again and again."""
    ids = set(re.findall(r'\bid="([^"]+)"', svg))
    # One pass: an id is renamed where it is defined (id="x") and where it is referred
    # to (href="#x", url(#x)), whole, between those delimiters.
    return re.sub(r'(\bid="|#)([^"#)\s]+)(?=[")])',
                  lambda m: f"{m[1]}{prefix}-{m[2]}" if m[2] in ids else m[0], svg)
