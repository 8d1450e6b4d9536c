"""language_model: what the feedback page draws, the student's data over the book's.

collect() asks the student's code through the workers (as every test does) and computes
the book's side here, once per process; write() lays the pictures out on the page.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Sequence
from types import ModuleType
from typing import Any

import torch

from autograder.checks import Student
from autograder.feedback.data import (
    SEED,
    Panel,
    asked,
    copied,
    sent,
)
from autograder.feedback.page import figure, sayer
from autograder.messages import Diagnosis
from autograder.protocol import Drained
from autograder.registry import reference

# The functions this module's pictures draw, in order.
FUNCTIONS = ("data_iter_random", "data_iter_consecutive")

# The samplers' example of the study group's edition: the tokens 0..29.
CORPUS_LENGTH = 30
SAMPLER_BATCH_SIZE = 2
SAMPLER_STEPS = 6
SAMPLER_BATCHES = 2
# A batch of the book's samplers is SAMPLER_BATCH_SIZE rows of SAMPLER_STEPS tokens: a
# wrong sampler's few more rows, or a row of the whole corpus, are still drawn whole.
MAX_SAMPLER_ROWS = 4 * SAMPLER_BATCH_SIZE
MAX_SAMPLER_TOKENS = 2 * CORPUS_LENGTH


def _samplers(student: Student, device: str) -> list[Panel]:
    corpus = list(range(CORPUS_LENGTH))
    arguments = (corpus, SAMPLER_BATCH_SIZE, SAMPLER_STEPS)
    panels = []
    for function in FUNCTIONS:
        panel = Panel(f"language_model.{function}", book={"corpus": CORPUS_LENGTH})
        panel.book["batches"] = copied(_book_batches(function, CORPUS_LENGTH,
                                                      SAMPLER_BATCH_SIZE, SAMPLER_STEPS))
        # The sampler's own `device` argument: where its tensors go.
        outcome, panel.problem = asked(lambda f=function: student.run(
            "call", f, device=device, args=list(arguments), kwargs={"device": device}))
        if outcome is not None:
            batches, problem = _read_batches(sent(outcome, "value"), function)
            panel.yours["batches"] = batches
            panel.problem = problem
            panel.notes.extend(_batches_cut(sent(outcome, "value"), function))
            if _overlap(batches):
                panel.notes.append(Diagnosis("feedback.samplers.overlap", function=function))
        panels.append(panel)
    return panels


@functools.cache
def _book_batches(function: str, corpus_length: int, batch_size: int,
                  num_steps: int) -> list[list[list]]:
    """The first batches the book's sampler `function` yields on the corpus 0..corpus_length-1,
    seeded: computed once per process for each set of arguments."""
    import random

    book = reference("language_model")

    sampler = getattr(book, function)
    state = random.getstate()
    random.seed(SEED)
    try:
        return [[X.tolist(), Y.tolist()] for X, Y in
                _first(sampler(list(range(corpus_length)), batch_size, num_steps,
                               device="cpu"), SAMPLER_BATCHES)]
    finally:
        random.setstate(state)


def _first(iterator: Iterator, count: int) -> list:
    items = []
    for item in iterator:
        items.append(item)
        if len(items) == count:
            break
    return items


def _overlap(batches: list) -> bool:
    """Whether two rows of X share a token: windows that overlap."""
    tokens = [t for X, _ in batches for row in X if isinstance(row, list)
              for t in set(row) if isinstance(t, int)]
    return len(tokens) != len(set(tokens))


def _read_batches(value: Any, function: str) -> tuple[list, Diagnosis | None]:
    """The first batches (X and Y as lists of token rows) a sampler yielded, and any problem."""
    if not isinstance(value, Drained):
        return [], Diagnosis("feedback.not_drawable", function=function)
    batches = []
    for item in value.items[:SAMPLER_BATCHES]:
        if not _is_batch(item):
            return batches, Diagnosis("feedback.not_drawable", function=function)
        # Cut before tolist(): a few bytes per row sent become a line of the picture each.
        batches.append([t[:MAX_SAMPLER_ROWS, :MAX_SAMPLER_TOKENS].tolist() for t in item])
    if len(batches) < SAMPLER_BATCHES:
        if value.error:
            from autograder.checks import error_diagnosis

            return batches, error_diagnosis(function, value.error)
        return batches, Diagnosis("feedback.too_few_batches", function=function,
                                  count=len(batches), expected=SAMPLER_BATCHES)
    return batches, None


def _is_batch(item: Any) -> bool:
    return (isinstance(item, (tuple, list)) and len(item) == 2
            and all(type(t) is torch.Tensor and t.dim() == 2 and not t.is_meta for t in item))


def _batches_cut(value: Any, function: str) -> list[Diagnosis]:
    """A note for a sampler's batches past the bounds: which were cut, and to what."""
    if not isinstance(value, Drained):
        return []
    shapes = [tuple(t.shape) for item in value.items[:SAMPLER_BATCHES] if _is_batch(item)
              for t in item]
    if all(rows <= MAX_SAMPLER_ROWS and tokens <= MAX_SAMPLER_TOKENS for rows, tokens in shapes):
        return []
    rows, tokens = max(rows for rows, _ in shapes), max(tokens for _, tokens in shapes)
    return [Diagnosis("feedback.cut.batches", function=function, rows=rows, tokens=tokens,
                      max_rows=MAX_SAMPLER_ROWS, max_tokens=MAX_SAMPLER_TOKENS)]


def collect(student: Student, device: str, failed: set[str]) -> list[Panel]:
    """The panels of this module: `failed` names the functions that failed a test."""
    return _samplers(student, device)


def clear_cache() -> None:
    """Forget the book's side: the next collect computes it again."""
    _book_batches.cache_clear()


# -- the page ----------------------------------------------------------------------


def write(panels: list[Panel], lang: str, plots: ModuleType) -> str:
    """This module's section of the feedback page."""
    say = sayer(lang)
    parts = [f"<h3>{say('feedback.samplers.heading')}</h3>",
             f"<p>{say('feedback.samplers.intro', last=CORPUS_LENGTH - 1, batch_size=SAMPLER_BATCH_SIZE, num_steps=SAMPLER_STEPS, batches=SAMPLER_BATCHES)}</p>"]  # noqa: E501
    for panel in panels:
        function = panel.name.rsplit(".", 1)[-1]
        key = f"feedback.samplers.{function}"
        if "batches" not in panel.book:
            parts.append(figure(panel, "", None, lang))
            continue
        yours = panel.yours.get("batches")

        def both(p: Panel = panel, mine: list | None = yours, name: str = function) -> str:
            drawn = []
            if mine:
                drawn.append(f'<p class="side">{say("feedback.yours")}</p>'
                             + sampler_svg(plots, mine, f"{name}-yours"))
            drawn.append(f'<p class="side">{say("feedback.book")}</p>'
                         + sampler_svg(plots, p.book["batches"], f"{name}-book"))
            return "\n".join(drawn)

        parts.append(figure(panel, say(key), both, lang))
    return "\n".join(parts)


# -- the figures (matplotlib, imported only to draw) ------------------------------


def sampler_svg(plots: ModuleType, batches: Sequence[Sequence[Sequence[Sequence[Any]]]],
                name: str) -> str:
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
        colour = plots.BATCH_COLOURS[b % len(plots.BATCH_COLOURS)]
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
                kind, stroke = "o", f'{plots.BAD}" stroke-width="3'
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


def _tokens(row: Any) -> list[int]:
    return [t for t in row if isinstance(t, int) and 0 <= t < CORPUS_LENGTH] \
        if isinstance(row, list) else []
