"""The options of a grading run, checked before anything is staged or torch is imported.

An option that cannot be graded is refused with BadOption, whose message is in the
catalogue: the command line prints it on one line and exits 2.
"""

from __future__ import annotations

import difflib
import math
from typing import Any

from autograder.hints import HINT_LEVELS
from autograder.messages import LANGUAGES, Diagnosis, render
from autograder.report import DEVICES, VISIBILITIES

DEFAULT_TIMEOUT = 5.0
# Seconds a whole submission may take; a correct one takes a small fraction of this.
DEFAULT_DEADLINE = 300.0
SANDBOX_MODES = ("auto", "strict", "off")  # see autograder.sandbox


class BadOption(ValueError):
    """An option that cannot be graded, with the catalogue key of its explanation."""

    def __init__(self, key: str, **params: Any):
        super().__init__(render(key, "en", **params))
        self.key = key
        self.params = params

    def render(self, lang: str = "en") -> str:
        return render(self.key, lang, **self.params)


def check_options(*, device: str = "all", timeout: float = DEFAULT_TIMEOUT,
                  only: str | None = None, lang: str | None = None,
                  visibility: str = "visible", deadline: float = DEFAULT_DEADLINE,
                  sandbox: str = "auto", hints: str = "full") -> None:
    """Raise BadOption for an option that cannot be graded, before anything is staged.

    Whether a GPU is there is asked later, by grade, once the zygote is forked."""
    if device not in (*DEVICES, "all"):
        raise BadOption("cli.bad_device", value=device)
    if not _positive(timeout):
        raise BadOption("cli.bad_timeout", value=_shown(timeout))
    if not _positive(deadline):
        raise BadOption("cli.bad_deadline", value=_shown(deadline))
    if lang and lang not in LANGUAGES:
        raise BadOption("cli.bad_lang", value=lang)
    if visibility not in VISIBILITIES:
        raise BadOption("cli.bad_visibility", value=visibility)
    if sandbox not in SANDBOX_MODES:
        raise BadOption("cli.bad_sandbox", value=sandbox)
    if hints not in HINT_LEVELS:
        raise BadOption("cli.bad_hints", value=hints)
    if only is not None and only not in graded_names():
        raise unknown_name(only)


def exercise_functions() -> dict[str, list[str]]:
    """The functions each exercise module is graded on, in the suites' order.

    Read from the suites' `@grades("function", ...)` markers with `ast` (see
    autograder.registry), which is what the plugin selects --only by, without importing
    the suites (nor torch)."""
    from autograder import registry

    return {exercise.name: exercise.functions for exercise in registry.exercises()}


def graded_names() -> set[str]:
    """Every name --only accepts: a module, a function, or module.function."""
    names = set()
    for module, functions in exercise_functions().items():
        names.add(module)
        for function in functions:
            names |= {function, f"{module}.{function}"}
    return names


def unknown_name(name: str) -> BadOption:
    """The refusal of `--only name`, listing the modules and functions, and the nearest name."""
    functions = exercise_functions()
    by_lower = {candidate.lower(): candidate for candidate in sorted(graded_names())}
    nearest = difflib.get_close_matches(name.lower(), list(by_lower), n=1, cutoff=0.6)
    suggestion = Diagnosis("cli.did_you_mean", name=by_lower[nearest[0]]) if nearest else ""
    return BadOption("cli.unknown_name", name=name, suggestion=suggestion,
                     modules=", ".join(functions),
                     functions=", ".join(f for names in functions.values() for f in names))


def _positive(seconds: object) -> bool:
    return not isinstance(seconds, bool) and isinstance(seconds, (int, float)) \
        and math.isfinite(seconds) and seconds > 0


def _shown(value: object) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


