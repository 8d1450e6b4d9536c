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

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import torch

from autograder.checks import Session, Student
from autograder.messages import Diagnosis

# The seed of every picture's inputs: the same pictures for every student.
SEED = 0


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
    """The data of every picture of `modules`; `failed` names the functions that failed a test.

    What a module draws is its unit's (exercises/<module>/pictures.py): collect(student,
    device, failed) gives its panels."""
    from autograder import registry

    session.output_sink = lambda text: None  # printed output was reported with the tests
    pictures = Pictures()
    for module in registry.names():
        if module not in modules:
            continue
        try:
            unit = registry.exercise(module).pictures
            if unit is None:
                continue
            # Reading what the workers sent counts against the submission's deadline too:
            # past it, no more module is collected (each one's work is bounded).
            session.check_deadline()
            pictures.sections[module] = unit.collect(Student(session, module), device,
                                                     failed)
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
    from autograder import registry

    for exercise in registry.exercises():
        unit = exercise.pictures
        if unit is not None and hasattr(unit, "clear_cache"):
            unit.clear_cache()


def asked(run: Callable[[], Any]) -> tuple[Any, Diagnosis | None]:
    """What a call into the student's code gave, or the diagnosis of why it gave nothing."""
    try:
        return run(), None
    except Diagnosis as diagnosis:
        return None, diagnosis


def sent(outcome: Any, key: str) -> Any:
    """outcome.result[key], or None where the worker's result is not a dict holding it."""
    result = outcome.result
    return result.get(key) if isinstance(result, dict) else None


def floats(tensor: torch.Tensor) -> list[float]:
    return tensor.detach().to("cpu", torch.float64).reshape(-1).tolist()


def drawable(value: Any, shape: torch.Size) -> bool:
    # A worker may send a tensor on meta (no values) wherever it sends one.
    return type(value) is torch.Tensor and value.shape == shape and value.is_floating_point() \
        and not value.is_meta


# -- helpers for the units' pictures (exercises/<module>/pictures.py) ------------------


def copied(value: Any) -> Any:
    """A panel's own copy of cached book data (dicts and lists of numbers), which it may
    change without changing the cache."""
    if isinstance(value, dict):
        return {key: copied(item) for key, item in value.items()}
    if isinstance(value, list):
        return [copied(item) for item in value]
    return value


def note_nonfinite(panel: Panel, function: str, tensors: list[torch.Tensor]) -> None:
    bad = sum(int((~torch.isfinite(t)).sum()) for t in tensors)
    if bad:
        total = sum(t.numel() for t in tensors)
        panel.notes.append(Diagnosis("feedback.nonfinite", function=function, count=bad,
                                     total=total))


