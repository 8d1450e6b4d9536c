"""A pack's references must pass their own suites before a student is graded with them.

A reference that fails its own suite would fail every student: such a module is left
out, with one line naming the reference and the tests it fails. Each pack module's
reference is graded once per version of its files (the unit, the reference, the stub and
this grader), in a process of its own, since a process whose memory holds a reference
may not fork the workers of a submission; the verdict is kept in the user's cache.
The built-in exercises are checked by the project's own tests instead.

    python -m autograder.verify MODULE...   prints {module: [failed test, ...]} as JSON
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

from autograder import registry

CACHE_VARIABLE = "XDG_CACHE_HOME"
# Set in the process that grades the references: it verifies nothing itself.
VERIFYING = "D2L_AUTOGRADER_VERIFYING"


def failing_references(modules: list[str]) -> dict[str, list[str]]:
    """{module: the tests its reference fails} for the pack modules among `modules` whose
    reference does not get full marks from its own suite (built-in modules are left out)."""
    pending, verdicts = [], {}
    if os.environ.get(VERIFYING):
        return {}
    for module in modules:
        exercise = registry.exercise(module)
        if exercise.pack.builtin:
            continue
        cached = _cached(exercise)
        if cached is None:
            pending.append(module)
        else:
            verdicts[module] = cached
    if pending:
        for module, failed in _verify(pending).items():
            verdicts[module] = failed
            _keep(registry.exercise(module), failed)
    return {module: failed for module, failed in verdicts.items() if failed}


def _verify(modules: list[str]) -> dict[str, list[str]]:
    answer = subprocess.run([sys.executable, "-m", "autograder.verify", *modules],
                            capture_output=True, text=True, timeout=600)
    try:
        return json.loads(answer.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        error = (answer.stderr.strip().splitlines() or ["no answer"])[-1]
        return {module: [error] for module in modules}


def _digest(exercise: registry.Exercise) -> str:
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent
    files = [*sorted(exercise.folder.glob("*.py")), exercise.reference_file, exercise.stub,
             *sorted(package.glob("*.py"))]
    for path in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _cache_file(exercise: registry.Exercise) -> Path:
    base = os.environ.get(CACHE_VARIABLE) or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base, "d2l-autograder", "references", f"{_digest(exercise)}.json")


def _cached(exercise: registry.Exercise) -> list[str] | None:
    try:
        return list(json.loads(_cache_file(exercise).read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return None


def _keep(exercise: registry.Exercise, failed: list[str]) -> None:
    try:
        path = _cache_file(exercise)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(failed), encoding="utf-8")
    except OSError:  # no cache to write to: verified again next time
        pass


def main(modules: list[str]) -> None:
    os.environ[VERIFYING] = "1"
    from autograder.api import grade
    from autograder.options import BadOption

    verdicts = {}
    for module in modules:
        exercise = registry.exercise(module)
        try:
            report = grade(exercise.reference_file.parent, only=module, device="all",
                           exercises=None)
        except BadOption:  # no test collected: the grading says why, in its own line
            verdicts[module] = []
            continue
        # A suite that cannot be collected is said so by the grading itself.
        verdicts[module] = sorted({f"{t.check} [{t.device}]" for t in report.tests
                                   if t.status == "failed"})
    print(json.dumps(verdicts))


if __name__ == "__main__":
    main(sys.argv[1:])
