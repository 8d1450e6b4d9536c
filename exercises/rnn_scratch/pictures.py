"""rnn_scratch: what the feedback page draws, the student's RNN over the book's.

collect() asks the student's code through the workers (as every test does) and computes
the book's side here, once per process; write() lays the pictures out on the page.

The course's corpus (Jay Chou's lyrics) cannot be fetched while grading, so the RNN is
trained on a short public-domain text shipped here: the opening sentences of H. G.
Wells's "The Time Machine" (1895), the corpus of the book's English edition, lowercased
with every run of other characters made one space, as the book's English edition does.
"""

from __future__ import annotations

import functools
import math
import re
from types import ModuleType
from typing import Any

import torch

from autograder.checks import Student, apparent_device, error_diagnosis
from autograder.feedback.data import (
    SEED,
    Panel,
    asked,
    copied,
    note_nonfinite,
    sent,
)
from autograder.feedback.page import escape, figure, sayer
from autograder.messages import Diagnosis
from autograder.registry import reference

TIME_MACHINE = (
    "The Time Traveller (for so it will be convenient to speak of him) was expounding a "
    "recondite matter to us. His grey eyes shone and twinkled, and his usually pale face "
    "was flushed and animated. The fire burned brightly, and the soft radiance of the "
    "incandescent lights in the lilies of silver caught the bubbles that flashed and passed "
    "in our glasses. Our chairs, being his patents, embraced and caressed us rather than "
    "submitted to be sat upon, and there was that luxurious after-dinner atmosphere when "
    "thought runs gracefully free of the trammels of precision. And he put it to us in "
    "this way, marking the points with a lean forefinger, as we sat and lazily admired his "
    "earnestness over this new paradox (as we thought it) and his fecundity."
)
TEXT = re.sub("[^a-z]+", " ", TIME_MACHINE.lower()).strip()
IDX_TO_CHAR = sorted(set(TEXT))
CHAR_TO_IDX = {c: i for i, c in enumerate(IDX_TO_CHAR)}
VOCAB_SIZE = len(IDX_TO_CHAR)

# A few epochs of the book's loop with consecutive sampling, small enough to cost a class
# run little: each update's global gradient norm is above THETA, so every step is clipped.
NUM_HIDDENS = 32
BATCH_SIZE = 8
NUM_STEPS = 8
LR = 10.0
THETA = 0.1
EPOCHS = 2
PREFIX = "the time "
PRED_LEN = 20
# The training loop's collaborators: the student's own, unless they failed their tests.
COLLABORATORS = ("one_hot", "to_onehot", "init_rnn_state", "grad_clipping", "predict_rnn")
# The book's code the training run is sent, for the collaborators it trusts (or finds
# missing); the book's to_onehot calls its one_hot.
BOOK_TRAINING = ("one_hot", "to_onehot", "init_rnn_state", "grad_clipping")
# The global norms of the gradients the clipping picture hands grad_clipping, around
# CLIP_THETA.
CLIP_THETA = 1.0
CLIP_NORMS = tuple(10 ** (k / 4) for k in range(-4, 5))  # 0.1 .. 10
# What a worker sends is cut to these bounds before it is read: a run of the book's loop
# makes EPOCHS * len(minibatches()) updates, a text PRED_LEN characters after the prefix.
MAX_TEXT = 4 * (len(PREFIX) + PRED_LEN)


def minibatches() -> list[tuple[torch.Tensor, torch.Tensor]]:
    """The book's consecutive sampling of TEXT: rows of BATCH_SIZE contiguous streams."""
    corpus = [CHAR_TO_IDX[c] for c in TEXT]
    length = len(corpus) // BATCH_SIZE * BATCH_SIZE
    indices = torch.tensor(corpus[:length]).view(BATCH_SIZE, -1)
    count = (indices.shape[1] - 1) // NUM_STEPS
    return [(indices[:, i * NUM_STEPS:(i + 1) * NUM_STEPS],
             indices[:, i * NUM_STEPS + 1:(i + 1) * NUM_STEPS + 1]) for i in range(count)]


def initial_params() -> list[torch.Tensor]:
    """[W_xh, W_hh, b_h, W_hq, b_q] as the book draws them: N(0, 0.01) and zeros, seeded."""
    generator = torch.Generator().manual_seed(SEED)

    def normal(*shape: int) -> torch.Tensor:
        return torch.randn(*shape, generator=generator) * 0.01

    return [normal(VOCAB_SIZE, NUM_HIDDENS), normal(NUM_HIDDENS, NUM_HIDDENS),
            torch.zeros(NUM_HIDDENS), normal(NUM_HIDDENS, VOCAB_SIZE), torch.zeros(VOCAB_SIZE)]


def updates() -> int:
    return EPOCHS * len(minibatches())


# -- the training run ------------------------------------------------------------------


def _training(student: Student, device: str, failed: set[str]) -> Panel:
    trusted = [name for name in COLLABORATORS if name in failed]
    panel = Panel("rnn_scratch.training", book=copied(_book_training()))
    panel.yours["trusted"] = trusted
    outcome, panel.problem = asked(lambda: student.run(
        "rnn_scratch.training", "rnn", device=device, book=list(BOOK_TRAINING),
        batches=minibatches(), params=initial_params(), vocab_size=VOCAB_SIZE,
        num_hiddens=NUM_HIDDENS, lr=LR, theta=THETA, epochs=EPOCHS, trusted=trusted,
        prefix=PREFIX, pred_len=PRED_LEN,
        idx_to_char=IDX_TO_CHAR, char_to_idx=CHAR_TO_IDX,
        train_device=torch.device(apparent_device(device))))
    if outcome is None:
        return panel
    losses = sent(outcome, "losses")
    if not isinstance(losses, list) or not all(isinstance(v, float)
                                               for v in losses[:updates()]):
        panel.problem = Diagnosis("feedback.not_drawable", function="rnn")
        return panel
    losses = losses[:updates()]
    panel.yours["perplexity"] = [_perplexity(v) for v in losses]
    panel.yours["epoch"] = [i / len(minibatches()) for i in range(1, len(losses) + 1)]
    note_nonfinite(panel, "rnn", [torch.tensor(panel.yours["perplexity"] or [0.0])])
    text, error = sent(outcome, "text"), sent(outcome, "text_error")
    if isinstance(text, str):
        panel.yours["text"] = text[:MAX_TEXT]
    elif isinstance(error, dict):
        panel.notes.append(error_diagnosis("predict_rnn", error))
    elif "predict_rnn" not in trusted:
        panel.notes.append(Diagnosis("feedback.rnn_scratch.no_text"))
    return panel


def _perplexity(loss: float) -> float:
    try:
        return math.exp(loss)
    except OverflowError:
        return math.inf


@functools.lru_cache(maxsize=1)
def _book_training() -> dict[str, Any]:
    """The book's loop on TEXT with this module's settings, and what its predict_rnn
    writes: the same for every student, so computed once per process."""
    book = reference("rnn_scratch")

    params = [p.clone().requires_grad_(True) for p in initial_params()]
    batches = minibatches()
    losses = []
    for _ in range(EPOCHS):
        state = book.init_rnn_state(BATCH_SIZE, NUM_HIDDENS, "cpu")
        for X, Y in batches:
            state = tuple(s.detach() for s in state)
            outputs, state = book.rnn(book.to_onehot(X, VOCAB_SIZE), state, params)
            y = torch.transpose(Y, 0, 1).contiguous().view(-1)
            loss = torch.nn.functional.cross_entropy(torch.cat(outputs, dim=0), y)
            for p in params:
                p.grad = None
            loss.backward()
            book.grad_clipping(params, THETA, "cpu")
            with torch.no_grad():
                for p in params:
                    p -= LR * p.grad
            losses.append(float(loss.detach()))
    text = book.predict_rnn(PREFIX, PRED_LEN, book.rnn, params, book.init_rnn_state,
                            NUM_HIDDENS, VOCAB_SIZE, "cpu", IDX_TO_CHAR, CHAR_TO_IDX)
    return {"perplexity": [_perplexity(v) for v in losses],
            "epoch": [i / len(batches) for i in range(1, len(losses) + 1)], "text": text}


# -- the clipping picture ----------------------------------------------------------------


def clipping_case() -> tuple[list[torch.Tensor], list[list[torch.Tensor]]]:
    """Parameters of the RNN's shapes and, for each norm of CLIP_NORMS, gradients of that
    global norm (one direction, scaled)."""
    generator = torch.Generator().manual_seed(SEED)
    shapes = [(VOCAB_SIZE, 4), (4, 4), (4,), (4, VOCAB_SIZE), (VOCAB_SIZE,)]
    params = [torch.randn(shape, generator=generator) for shape in shapes]
    # Uneven parts: clipping each by its own norm gives another global norm than theta.
    direction = [torch.randn(shape, generator=generator) * (k + 1) for k, shape in
                 enumerate(shapes)]
    total = float(torch.sqrt(sum((d ** 2).sum() for d in direction)))
    return params, [[d * (norm / total) for d in direction] for norm in CLIP_NORMS]


def _clipping(student: Student, device: str) -> Panel:
    panel = Panel("rnn_scratch.grad_clipping",
                  book={"before": list(CLIP_NORMS),
                        "after": [min(norm, CLIP_THETA) for norm in CLIP_NORMS]})
    params, grad_sets = clipping_case()
    outcome, panel.problem = asked(lambda: student.run(
        "rnn_scratch.clip_sweep", "grad_clipping", device=device, params=params,
        grad_sets=grad_sets, theta=CLIP_THETA, clip_device=torch.device(apparent_device(device))))
    if outcome is None:
        return panel
    after = []
    for grads, wanted in zip(sent(outcome, "grads") or [], grad_sets):
        if not isinstance(grads, list) or len(grads) != len(wanted) or not all(
                type(g) is torch.Tensor and g.shape == w.shape and g.is_floating_point()
                and not g.is_meta for g, w in zip(grads, wanted)):
            panel.problem = Diagnosis("feedback.not_drawable", function="grad_clipping")
            return panel
        after.append(float(torch.sqrt(sum((g.double() ** 2).sum() for g in grads))))
    if len(after) != len(grad_sets):
        panel.problem = Diagnosis("feedback.not_drawable", function="grad_clipping")
        return panel
    panel.yours["after"] = after
    note_nonfinite(panel, "grad_clipping", [torch.tensor(after)])
    return panel


def collect(student: Student, device: str, failed: set[str]) -> list[Panel]:
    """The panels of this module: `failed` names the functions that failed a test."""
    return [_training(student, device, failed), _clipping(student, device)]


def clear_cache() -> None:
    """Forget the book's side: the next collect computes it again."""
    _book_training.cache_clear()


# -- the page ----------------------------------------------------------------------


def write(panels: list[Panel], lang: str, plots: ModuleType) -> str:
    """This module's section of the feedback page."""
    say = sayer(lang)
    parts = [f"<h3>{say('feedback.rnn_scratch.heading')}</h3>"]
    for panel in panels:
        if panel.name == "rnn_scratch.training":
            parts.append(f"<p>{say('feedback.rnn_scratch.intro', epochs=EPOCHS, updates=updates(), characters=len(TEXT), vocab_size=VOCAB_SIZE, num_hiddens=NUM_HIDDENS, lr=LR, theta=THETA)}</p>")  # noqa: E501
            trusted = panel.yours.get("trusted")
            if trusted:
                joined = ("、" if lang == "zh" else ", ").join(trusted)
                note = say("feedback.rnn_scratch.trusted", functions=joined)
                parts.append(f'<p class="note">{note}</p>')
            parts.append(figure(panel, "<code>rnn</code>",
                                (lambda p=panel: training_svg(plots, p))
                                if "perplexity" in panel.book else None, lang))
            for side, key in ((panel.yours, "feedback.rnn_scratch.text_yours"),
                              (panel.book, "feedback.rnn_scratch.text_book")):
                if isinstance(side.get("text"), str):
                    text = escape(side["text"])
                    parts.append(f"<p>{say(key, prefix=PREFIX.strip())} "
                                 f"<code>{text}</code></p>")
        elif panel.name == "rnn_scratch.grad_clipping":
            parts.append(f"<p>{say('feedback.rnn_scratch.clipping', theta=CLIP_THETA)}</p>")
            parts.append(figure(panel, "<code>grad_clipping</code>",
                                lambda p=panel: clipping_svg(plots, p), lang))
        else:
            parts.append(figure(panel, escape(panel.name), None, lang))
    return "\n".join(parts)


# -- the figures (matplotlib, imported only to draw) ------------------------------


def training_svg(plots: ModuleType, panel: Panel) -> str:
    """The perplexity after each update, the student's over the book's."""
    return plots.cached_svg("rnn_scratch.training", panel, _training_figure,
                            book=("epoch", "perplexity"), yours=("epoch", "perplexity"))


def _training_figure(book: dict[str, Any], yours: dict[str, Any]) -> str:
    from matplotlib.figure import Figure

    from autograder.feedback import plots

    figure = Figure(figsize=(9.6, 3.0))
    ax = figure.subplots()
    plots.log_scale(ax)
    plots.line(ax, book["epoch"], book["perplexity"], "book-perplexity", plots.BOOK,
               dashed=True)
    if "perplexity" in yours:
        epochs, values = yours["epoch"], yours["perplexity"]
        plots.line(ax, epochs, values, "yours-perplexity", plots.YOURS)
        plots.mark_nonfinite(ax, epochs, values, "yours-perplexity-nonfinite")
    finite = [v for v in (*book["perplexity"], *yours.get("perplexity", ()))
              if math.isfinite(v) and v > 0]
    ax.set_ylim(max(min(finite) / 1.5, 1.0), min(max(finite) * 1.5, 1e6))
    ax.set_xlim(0, EPOCHS)
    ax.set_xticks(range(EPOCHS + 1))
    ax.axhline(VOCAB_SIZE, color="#bbbbbb", linewidth=0.8, zorder=0)
    return plots.svg_of(figure)


def clipping_svg(plots: ModuleType, panel: Panel) -> str:
    """The global norm after clipping over the norm before, on logarithmic axes."""
    return plots.cached_svg("rnn_scratch.grad_clipping", panel, _clipping_figure,
                            book=("before", "after"), yours=("after",))


def _clipping_figure(book: dict[str, Any], yours: dict[str, Any]) -> str:
    from matplotlib.figure import Figure

    from autograder.feedback import plots

    figure = Figure(figsize=(9.6, 3.0))
    ax = figure.subplots()
    plots.log_scale(ax, "x")
    plots.log_scale(ax, "y")
    before = book["before"]
    plots.line(ax, before, book["after"], "book-after", plots.BOOK, dashed=True)
    if "after" in yours:
        after = [v if v > 0 else math.nan for v in yours["after"]]
        ax.plot(before, [v if math.isfinite(v) else math.nan for v in after], marker="o",
                color=plots.YOURS, linewidth=1.2, gid="yours-after", zorder=3)
        plots.mark_nonfinite(ax, before, yours["after"], "yours-after-nonfinite")
    finite = [v for v in (*book["after"], *yours.get("after", ())) if math.isfinite(v) and v > 0]
    ax.set_ylim(max(min(finite) / 2, 1e-6), min(max(finite) * 2, 1e6))
    ax.axhline(CLIP_THETA, color="#bbbbbb", linewidth=0.8, zorder=0)
    return plots.svg_of(figure)
