"""What the feedback page draws: the student's curves, computed in the worker, and the book's.

Every call into the student's code goes through the session's workers (checks.Student),
with the call timeout; the book's side is computed here, in the grading process, from
autograder.reference, once per process: it depends on the fixed inputs alone, never on
the student, and a class run collects one page per student. A function that raises,
loops, is missing or returns something that cannot be drawn gives a Panel whose
`problem` says so, never an exception. The student's code runs in the worker and may
replace the worker's own code there, so whatever comes back is checked for its shape and
cut to this module's bounds before it is read, and a cut is noted on the picture.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import torch

from autograder.checks import Session, Student
from autograder.messages import Diagnosis
from autograder.protocol import Drained

# The sections of the page, in the book's order, and the functions each one draws.
SECTIONS: dict[str, tuple[str, ...]] = {
    "linear_regression": ("train_epoch",),
    "softmax_regression": ("softmax",),
    "activations": ("relu", "sigmoid", "tanh"),
    "language_model": ("data_iter_random", "data_iter_consecutive"),
}

ACTIVATION_RANGE = (-8.0, 8.0)
ACTIVATION_POINTS = 321
# The book's synthetic data set and training settings (section "Linear Regression
# Implementation from Scratch").
TRUE_W = (2.0, -3.4)
TRUE_B = 4.2
EXAMPLES = 1000
NOISE = 0.01
LR = 0.03
BATCH_SIZE = 10
EPOCHS = 3
# train_epoch's collaborators: the student's own, unless they failed their tests.
COLLABORATORS = ("data_iter", "linreg", "squared_loss", "sgd")
# The samplers' example of the study group's edition: the tokens 0..29.
CORPUS_LENGTH = 30
SAMPLER_BATCH_SIZE = 2
SAMPLER_STEPS = 6
SAMPLER_BATCHES = 2
SEED = 0

# What a worker sends for a picture is cut to these bounds before it is read, and the
# picture says so: a worker whose code the submission replaced may send anything a
# message holds, and unbounded, a sampler batch of 200,000 rows made a page of 1.2 GB.
# A training curve: the worker records at most harness.MAX_SNAPSHOTS snapshots and counts
# the updates past them; the book's loop makes EPOCHS * 100 updates, 301 snapshots.
MAX_SNAPSHOTS = 5000  # = harness.MAX_SNAPSHOTS, without importing the worker's side here
# A batch of the book's samplers is SAMPLER_BATCH_SIZE rows of SAMPLER_STEPS tokens: a
# wrong sampler's few more rows, or a row of the whole corpus, are still drawn whole.
MAX_SAMPLER_ROWS = 4 * SAMPLER_BATCH_SIZE
MAX_SAMPLER_TOKENS = 2 * CORPUS_LENGTH


@dataclass
class Panel:
    """One picture: the student's data beside the book's, or why there is none.

    `yours` and `book` hold lists of floats (NaN and inf included) keyed by what they are;
    `notes` are further remarks for the reader (catalogue diagnoses).
    """

    name: str  # "activations.tanh", "softmax_regression.softmax.large", ...
    yours: dict[str, Any] = field(default_factory=dict)
    book: dict[str, Any] = field(default_factory=dict)
    problem: Diagnosis | None = None
    notes: list[Diagnosis] = field(default_factory=list)


@dataclass
class Pictures:
    """Everything the page draws, by section (an exercise module), in the book's order."""

    sections: dict[str, list[Panel]] = field(default_factory=dict)


def collect(session: Session, modules: list[str], *, failed: set[str],
            device: str = "cpu") -> Pictures:
    """The data of every picture of `modules`; `failed` names the functions that failed a test."""
    session.output_sink = lambda text: None  # printed output was reported with the tests
    collectors: dict[str, Callable[[], list[Panel]]] = {
        "activations": lambda: _activations(Student(session, "activations"), device),
        "linear_regression": lambda: [_training(Student(session, "linear_regression"),
                                                device, failed)],
        "softmax_regression": lambda: _softmax(Student(session, "softmax_regression"), device),
        "language_model": lambda: _samplers(Student(session, "language_model"), device),
    }
    pictures = Pictures()
    for module in SECTIONS:
        if module not in modules:
            continue
        try:
            # Reading what the workers sent counts against the submission's deadline too:
            # past it, no more module is collected (each one's work is bounded).
            session.check_deadline()
            pictures.sections[module] = collectors[module]()
        except Diagnosis as diagnosis:
            pictures.sections[module] = [Panel(module, problem=diagnosis)]
        except Exception as error:  # the grader's own fault: say so, draw the rest
            problem = Diagnosis("grader_error", error=f"{type(error).__name__}: {error}")
            pictures.sections[module] = [Panel(module, problem=problem)]
    return pictures


def cut_notes(pictures: Pictures) -> list[Diagnosis]:
    """The notes of every panel whose data was cut to the bounds: for the report too."""
    return [note for panels in pictures.sections.values() for panel in panels
            for note in panel.notes if note.key.startswith("feedback.cut.")]


def clear_book_cache() -> None:
    """Forget the book's side of every picture: the next collect computes it again."""
    for cached in (_book_activation_once, _book_curve, _book_softmax, _book_batches):
        cached.cache_clear()


def _asked(run: Callable[[], Any]) -> tuple[Any, Diagnosis | None]:
    """What a call into the student's code gave, or the diagnosis of why it gave nothing."""
    try:
        return run(), None
    except Diagnosis as diagnosis:
        return None, diagnosis


def _sent(outcome: Any, key: str) -> Any:
    """outcome.result[key], or None where the worker's result is not a dict holding it."""
    result = outcome.result
    return result.get(key) if isinstance(result, dict) else None


def _floats(tensor: torch.Tensor) -> list[float]:
    return tensor.detach().to("cpu", torch.float64).reshape(-1).tolist()


def _drawable(value: Any, shape: torch.Size) -> bool:
    # A worker may send a tensor on meta (no values) wherever it sends one.
    return type(value) is torch.Tensor and value.shape == shape and value.is_floating_point() \
        and not value.is_meta


# -- activations ---------------------------------------------------------------------------


def activation_grid() -> torch.Tensor:
    return torch.linspace(*ACTIVATION_RANGE, ACTIVATION_POINTS)


def _activations(student: Student, device: str) -> list[Panel]:
    X = activation_grid()
    panels = []
    for function in SECTIONS["activations"]:
        panel = Panel(f"activations.{function}", book=_book_activation(function))
        outcome, panel.problem = _asked(lambda f=function: student.run(
            "grad", f, device=device, X=X, upstream=torch.ones_like(X)))
        if outcome is not None:
            _read_activation(panel, function, outcome, X)
        panels.append(panel)
    return panels


def _book_activation(function: str) -> dict[str, list[float]]:
    """The book's `function` over activation_grid(): x, value and gradient."""
    return _copied(_book_activation_once(function, ACTIVATION_RANGE, ACTIVATION_POINTS))


@functools.cache
def _book_activation_once(function: str, grid: tuple[float, float],
                          points: int) -> dict[str, list[float]]:
    from autograder.reference import activations as book

    X = torch.linspace(*grid, points)
    leaf = X.clone().requires_grad_(True)
    value = getattr(book, function)(leaf)
    value.sum().backward()
    return {"value": _floats(value), "grad": _floats(leaf.grad), "x": _floats(X)}


def _copied(value: Any) -> Any:
    """A panel's own copy of cached book data (dicts and lists of numbers), which it may
    change without changing the cache."""
    if isinstance(value, dict):
        return {key: _copied(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_copied(item) for item in value]
    return value


def _read_activation(panel: Panel, function: str, outcome: Any, X: torch.Tensor) -> None:
    value, grad = _sent(outcome, "value"), _sent(outcome, "grad")
    if not _drawable(value, X.shape):
        panel.problem = Diagnosis("feedback.not_drawable", function=function)
        return
    panel.yours["value"] = _floats(value)
    if _drawable(grad, X.shape):
        panel.yours["grad"] = _floats(grad)
    else:
        panel.notes.append(Diagnosis("feedback.no_gradient", function=function))
    _note_nonfinite(panel, function, [value] + ([grad] if _drawable(grad, X.shape) else []))


def _note_nonfinite(panel: Panel, function: str, tensors: list[torch.Tensor]) -> None:
    bad = sum(int((~torch.isfinite(t)).sum()) for t in tensors)
    if bad:
        total = sum(t.numel() for t in tensors)
        panel.notes.append(Diagnosis("feedback.nonfinite", function=function, count=bad,
                                     total=total))


# -- linear regression ---------------------------------------------------------------------


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
                  book=_copied(_book_curve()))
    panel.yours["trusted"] = trusted
    outcome, panel.problem = _asked(lambda: student.run(
        "training_curve", "train_epoch", device=device, features=features, labels=labels,
        params=params, lr=LR, batch_size=BATCH_SIZE, epochs=EPOCHS, trusted=trusted))
    if outcome is None:
        return panel
    snapshots = _sent(outcome, "snapshots")
    if not (type(snapshots) is torch.Tensor and snapshots.dim() == 2
            and _drawable(snapshots, torch.Size([len(snapshots), 3]))):
        panel.problem = Diagnosis("feedback.not_drawable", function="train_epoch")
        return panel
    # A snapshot before the first update, then one after each: the worker records at
    # most MAX_SNAPSHOTS and counts the rest.
    counted = _sent(outcome, "updates")
    made = max(len(snapshots) - 1, counted if type(counted) is int else 0)
    if made >= MAX_SNAPSHOTS:
        panel.notes.append(Diagnosis("feedback.cut.snapshots", function="train_epoch",
                                     count=made, kept=MAX_SNAPSHOTS - 1))
        snapshots = snapshots[:MAX_SNAPSHOTS]
    panel.yours.update(_curve(snapshots, features, labels))
    if len(snapshots) == 1:
        panel.notes.append(Diagnosis("feedback.no_updates"))
    _note_nonfinite(panel, "train_epoch", [torch.tensor(panel.yours["loss"])])
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
    from autograder.reference import linear_regression as book

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
    from autograder.reference import linear_regression as book

    snapshots = snapshots.to(torch.float64)
    X, y = features.to(torch.float64), labels.to(torch.float64)
    with torch.no_grad():
        losses = [book.squared_loss(book.linreg(X, s[:2].reshape(-1, 1), s[2:]), y).mean()
                  for s in snapshots]
    updates_per_epoch = math.ceil(EXAMPLES / BATCH_SIZE)
    return {"epoch": [i / updates_per_epoch for i in range(len(losses))],
            "loss": [float(v) for v in losses]}


# -- softmax -------------------------------------------------------------------------------


def softmax_inputs() -> dict[str, torch.Tensor]:
    """One small batch of ordinary logits, and one around +-1000."""
    generator = torch.Generator().manual_seed(SEED)
    small = torch.randn(3, 5, generator=generator) * 2
    large = torch.randn(2, 5, generator=generator) * 5 + torch.tensor([[1000.0], [-1000.0]])
    return {"small": small, "large": large}


def _softmax(student: Student, device: str) -> list[Panel]:
    panels = []
    for kind, X in softmax_inputs().items():
        panel = Panel(f"softmax_regression.softmax.{kind}",
                      book={"probabilities": _copied(_book_softmax()[kind])})
        outcome, panel.problem = _asked(lambda X=X: student.call("softmax", X, device=device))
        if outcome is not None:
            value = _sent(outcome, "value")
            if _drawable(value, X.shape):
                panel.yours["probabilities"] = value.to(torch.float64).tolist()
                _note_nonfinite(panel, "softmax", [value])
            else:
                panel.problem = Diagnosis("feedback.not_drawable", function="softmax")
        panels.append(panel)
    return panels


@functools.lru_cache(maxsize=1)
def _book_softmax() -> dict[str, list[list[float]]]:
    """The book's probabilities of each of softmax_inputs(), computed once per process."""
    from autograder.reference import softmax_regression as book

    return {kind: book.softmax(X).tolist() for kind, X in softmax_inputs().items()}


# -- samplers ------------------------------------------------------------------------------


def _samplers(student: Student, device: str) -> list[Panel]:
    corpus = list(range(CORPUS_LENGTH))
    arguments = (corpus, SAMPLER_BATCH_SIZE, SAMPLER_STEPS)
    panels = []
    for function in SECTIONS["language_model"]:
        panel = Panel(f"language_model.{function}", book={"corpus": CORPUS_LENGTH})
        panel.book["batches"] = _copied(_book_batches(function, CORPUS_LENGTH,
                                                      SAMPLER_BATCH_SIZE, SAMPLER_STEPS))
        # The sampler's own `device` argument: where its tensors go.
        outcome, panel.problem = _asked(lambda f=function: student.run(
            "call", f, device=device, args=list(arguments), kwargs={"device": device}))
        if outcome is not None:
            batches, problem = _read_batches(_sent(outcome, "value"), function)
            panel.yours["batches"] = batches
            panel.problem = problem
            panel.notes.extend(_batches_cut(_sent(outcome, "value"), function))
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

    from autograder.reference import language_model as book

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
