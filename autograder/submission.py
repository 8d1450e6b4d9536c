"""Finding a submission and staging the files a worker may see.

Only the submission's Python source reaches the worker's folder. Files that would
configure a Python or pytest run (conftest.py, sitecustomize.py, usercustomize.py,
pytest.ini, .pth files) are left behind, and nothing is ever imported here.

A submission may also be a folder of notebooks (an nbgrader submission such as
submitted/<student>/<assignment>/): <module>.ipynb becomes <module>.py, which runs its
code cells except the autograded test cells, cell by cell as a kernel does (see
autograder.ipynb). Notebooks are read as JSON; nothing of them runs here.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from autograder.ipynb import stage_notebook
from autograder.messages import Diagnosis
from autograder.suites import MODULES

# Files that change how Python or pytest starts: they never reach the worker.
_IGNORED_FILES = {"conftest.py", "sitecustomize.py", "usercustomize.py", "setup.py"}
_MAX_FILES = 200
_MAX_BYTES = 10 * 2**20  # all staged files together
_MAX_FILE_BYTES = 4 * 2**20  # any one file
_MAX_NOTES = 10  # notes on skipped files listed one by one; the rest are counted


class NotASubmission(Exception):
    """The path holds nothing that can be graded; the message says why, in one line.

    Raised with a Diagnosis, it is that message (in English), and `render` gives it in
    another language."""

    def __init__(self, message: str | Diagnosis):
        super().__init__(message.render("en") if isinstance(message, Diagnosis) else message)
        self.diagnosis = message if isinstance(message, Diagnosis) else None

    def render(self, lang: str = "en") -> str:
        return self.diagnosis.render(lang) if self.diagnosis else str(self)


@dataclass
class Submission:
    path: Path
    modules: list[str]  # the exercise modules present
    # module -> the notebook that holds it; a notebook wins over a .py file of its name
    notebooks: dict[str, Path] = field(default_factory=dict)
    # An nbgrader assignment folder (named <module>, holding <module>.ipynb) holds one
    # assignment: the module to grade alone, as nbgrader does, not the others as missing.
    assignment: str | None = None
    # What staging left out, and why: an exercise module's file -> the reason (its tests
    # fail with it), and notes on every other file left out, for the report.
    refused: dict[str, Diagnosis] = field(default_factory=dict)
    notes: list[Diagnosis] = field(default_factory=list)

    def stage(self) -> str:
        """Copy the submission's .py files into a fresh folder and return its path.

        The exercise modules come first, so that no other file takes their room. A file
        over a limit, a FIFO, socket or device, or a symbolic link out of the submission
        is left out and said so in `refused` or `notes`; a link to a file inside it is
        followed. Each notebook of `notebooks` is written as <module>.py, which runs the
        notebook's cells (see autograder.ipynb).
        """
        workdir = tempfile.mkdtemp(prefix="autograder-submission-")
        self.refused, self.notes, skipped = {}, [], 0
        total = count = 0
        for source in self._candidates():
            relative = source.relative_to(self.path).as_posix()
            problem, size = _problem(source, relative, self.path)
            if problem is None and (count >= _MAX_FILES or total + size > _MAX_BYTES):
                problem = Diagnosis("robustness.skipped_total", file=relative, files=_MAX_FILES,
                                    limit=_size(_MAX_BYTES))
            if problem is None:
                problem = _copy(source, relative, Path(workdir, relative))
            if problem is None:
                total, count = total + size, count + 1
            elif relative in self._module_files():
                self.refused[relative] = problem
            elif len(self.notes) < _MAX_NOTES:
                self.notes.append(problem)
            else:
                skipped += 1
        if skipped:
            self.notes.append(Diagnosis("robustness.more_skipped", count=skipped))
        for module, notebook in self.notebooks.items():
            stage_notebook(notebook, workdir, module)
        return workdir

    def _module_files(self) -> set[str]:
        return {f"{module}.py" for module in MODULES if module not in self.notebooks}

    def _candidates(self) -> Iterator[Path]:
        """The .py files to stage: the exercise modules first, then the rest in order."""
        modules = [m for m in sorted(self._module_files(), key=lambda f: MODULES.index(f[:-3]))
                   if os.path.lexists(self.path / m)]
        yield from (self.path / m for m in modules)
        replaced = {f"{module}.py" for module in self.notebooks}
        for source in _python_files(self.path):
            relative = source.relative_to(self.path).as_posix()
            if relative not in modules and relative not in replaced:
                yield source


def find_submission(path: str | os.PathLike) -> Submission:
    """The submission at `path`: a folder holding at least one exercise module.

    A module is <module>.py, or a notebook: <module>.ipynb in the folder (an nbgrader
    assignment folder, whose notebook is named after the assignment), or
    <module>/<module>.ipynb (a student's folder of nbgrader assignments).
    """
    folder = Path(path)
    if not folder.exists():
        raise NotASubmission(Diagnosis("submission.missing", path=str(folder)))
    if not folder.is_dir():
        raise NotASubmission(Diagnosis("submission.not_a_folder", path=str(folder)))
    notebooks = {}
    for module in MODULES:
        for candidate in (folder / f"{module}.ipynb", folder / module / f"{module}.ipynb"):
            if candidate.is_file() and not candidate.is_symlink():
                notebooks[module] = candidate.resolve()
                break
    # Present in any form: a file too large, a FIFO or a link out is graded as refused.
    present = [m for m in MODULES if m in notebooks or os.path.lexists(folder / f"{m}.py")]
    if not present:
        expected = ", ".join(f"{m}.py" for m in MODULES)
        raise NotASubmission(Diagnosis("submission.no_module", path=str(folder),
                                       expected=expected))
    assignment = folder.resolve().name
    if assignment not in notebooks or notebooks[assignment].parent != folder.resolve():
        assignment = None
    return Submission(folder.resolve(), present, notebooks, assignment)


def _python_files(folder: Path) -> Iterator[Path]:
    for root, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith((".", "__pycache__")))
        for name in sorted(names):
            if name.endswith(".py") and name not in _IGNORED_FILES:
                yield Path(root, name)


def _problem(source: Path, relative: str, root: Path) -> tuple[Diagnosis | None, int]:
    """Why `source` cannot be staged (None: it can), and its size."""
    try:
        if source.is_symlink():
            target = source.resolve()
            if not target.is_relative_to(root):
                return Diagnosis("robustness.symlink_outside", file=relative,
                                 target=os.readlink(source)), 0
        info = source.stat()
    except (OSError, RuntimeError):  # unreadable, a dangling or looping link
        return Diagnosis("robustness.unreadable", file=relative), 0
    if not stat.S_ISREG(info.st_mode):
        return Diagnosis("robustness.special_file", file=relative), 0
    if info.st_size > _MAX_FILE_BYTES:
        return Diagnosis("robustness.too_large", file=relative, size=_size(info.st_size),
                         limit=_size(_MAX_FILE_BYTES)), info.st_size
    return None, info.st_size


def _copy(source: Path, relative: str, target: Path) -> Diagnosis | None:
    """Copy at most the per-file limit: the file may have grown since it was measured."""
    try:
        # O_NONBLOCK: should it have become a FIFO meanwhile, opening it does not hang.
        descriptor = os.open(source, os.O_RDONLY | os.O_NONBLOCK)
        with os.fdopen(descriptor, "rb") as stream:
            if not stat.S_ISREG(os.fstat(stream.fileno()).st_mode):
                return Diagnosis("robustness.special_file", file=relative)
            data = stream.read(_MAX_FILE_BYTES + 1)
    except OSError:
        return Diagnosis("robustness.unreadable", file=relative)
    if len(data) > _MAX_FILE_BYTES:
        return Diagnosis("robustness.too_large", file=relative, size=_size(len(data)),
                         limit=_size(_MAX_FILE_BYTES))
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return None


def _size(count: int) -> str:
    """67 MB, 4 MB, 12 KB: whole units, as people say sizes."""
    if count >= 2**20:
        return f"{count / 2**20:.0f} MB"
    return f"{max(count / 2**10, 1):.0f} KB"
