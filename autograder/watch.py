"""`grade --watch`: grade, then grade again each time a file of the submission is saved.

The files' modification times and sizes are polled (the standard library only, on every
system). A save of an exercise module (linear_regression.py, or its notebook) grades that
module alone again; a save of any other .py file, which an exercise module may import,
grades them all. Each time, the whole table is reported: the modules not graded again
keep their last results.

Every grading forks its zygote from one ZygoteFactory made when the watch starts: torch
is imported once, so grading one module again costs the
suite's own time, not a second of start-up (bench/watch_speed.py measures it).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from autograder import registry
from autograder.report import Report

__all__ = ["changed_modules", "snapshot", "watch"]

Snapshot = dict[str, tuple[int, int]]  # a file, relative to the submission -> mtime, size


def snapshot(folder: str | os.PathLike) -> Snapshot:
    """The modification time and size of each .py and .ipynb file under `folder`."""
    files: Snapshot = {}
    root = Path(folder)
    for directory, subfolders, names in os.walk(root):
        subfolders[:] = [d for d in subfolders if not d.startswith((".", "__pycache__"))]
        for name in names:
            if name.endswith((".py", ".ipynb")):
                path = Path(directory, name)
                try:
                    info = path.stat()
                except OSError:  # gone between the listing and now: it is not there
                    continue
                files[path.relative_to(root).as_posix()] = (info.st_mtime_ns, info.st_size)
    return files


def changed_modules(before: Snapshot, after: Snapshot) -> list[str]:
    """The exercise modules to grade again after the files changed from `before` to
    `after`: each whose own file changed, or all of them when another .py file changed."""
    changed = {f for f in before.keys() | after.keys() if before.get(f) != after.get(f)}
    modules = set()
    for file in changed:
        module = _module_of(file)
        if module is None and file.endswith(".py"):
            return list(registry.names())
        if module is not None:
            modules.add(module)
    return [m for m in registry.names() if m in modules]


def _module_of(file: str) -> str | None:
    """The exercise module a file holds: m.py, m.ipynb or m/m.ipynb (else None)."""
    parts = file.split("/")
    stem, _, extension = parts[-1].rpartition(".")
    in_place = len(parts) == 1 or parts[:-1] == [stem] and extension == "ipynb"
    if stem in registry.names() and in_place:
        return stem
    return None


def watch(path: str | os.PathLike, *, report: Callable[[Report], None],
          stop: threading.Event | None = None, poll: float = 0.25,
          failed: Callable[[Exception], None] | None = None, **options: Any) -> None:
    """Grade `path` with api.grade's `options`, pass the report to `report`, then poll
    the submission's files and grade again what each save changed, until `stop` is set
    (or Ctrl-C, whose KeyboardInterrupt passes through once every process is gone).

    A path that holds no submission at the start raises NotASubmission. Later, a save
    that leaves nothing to grade (the last module removed) goes to `failed` where given,
    and the watch goes on; without `failed` it is raised.
    """
    from autograder import api
    from autograder.pool import ZygoteFactory
    from autograder.submission import NotASubmission

    stop = stop or threading.Event()
    api.check_options(**{k: v for k, v in options.items() if k in _CHECKED})
    with ZygoteFactory() as factory:
        graded: dict[str, list[Any]] = {}
        seen: Snapshot = {}
        modules = list(registry.names())
        while not stop.is_set():
            seen = _settled(path, seen, poll, stop)
            try:
                latest = _grade_modules(api, path, modules, factory, options, graded)
            except NotASubmission as error:
                if failed is None or not graded:  # nothing to watch from the start
                    raise
                failed(error)
            else:
                report(latest)
            modules = _next_change(path, seen, poll, stop)


_CHECKED = ("device", "timeout", "only", "lang", "visibility", "deadline", "sandbox", "hints")


def _settled(path: str | os.PathLike, previous: Snapshot, poll: float,
             stop: threading.Event) -> Snapshot:
    """The files once they stop changing: an editor may write a file in several steps."""
    current = snapshot(path)
    while current != previous and not stop.wait(poll / 2):
        previous, current = current, snapshot(path)
    return current


def _next_change(path: str | os.PathLike, seen: Snapshot, poll: float,
                 stop: threading.Event) -> list[str]:
    """Wait for a save that changes an exercise module (or a file they may import)."""
    while not stop.wait(poll):
        modules = changed_modules(seen, snapshot(path))
        if modules:
            return modules
        seen = snapshot(path)  # a change to nothing graded (a notebook checkpoint)
    return []


def _grade_modules(api: Any, path: str | os.PathLike, modules: list[str],
                   factory: Any, options: dict[str, Any],
                   graded: dict[str, list[Any]]) -> Report:
    """Grade `modules` again into `graded` (module -> its tests) and return the whole
    table: the latest results of every module. One module is graded alone; several (the
    first time, or after a change to a file they may all import) in one run."""
    only = options.get("only")
    if len(modules) == 1 and not only:
        latest = api.grade(path, **{**options, "only": modules[0]}, zygotes=factory)
        graded[modules[0]] = list(latest.tests)
    else:  # --only: its module is all there is to grade again
        latest = api.grade(path, **options, zygotes=factory)
        graded.clear()
        for test in latest.tests:
            graded.setdefault(test.module, []).append(test)
    tests = [t for module in registry.names() for t in graded.get(module, [])]
    whole = Report(tests, lang=latest.lang)
    whole.notes, whole.isolation = latest.notes, latest.isolation
    whole.visibility = latest.visibility
    whole.execution_time = latest.execution_time
    return whole
