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
import shutil
import stat
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from autograder import registry
from autograder.ipynb import NotANotebook, module_files, notebook_cells
from autograder.messages import Diagnosis

# Files that change how Python or pytest starts: they never reach the worker.
_IGNORED_FILES = {"conftest.py", "sitecustomize.py", "usercustomize.py", "setup.py"}
_MAX_FILES = 200
_MAX_BYTES = 10 * 2**20  # all staged files together, notebooks' cells included
_MAX_FILE_BYTES = 4 * 2**20  # any one file
# Each code cell of a notebook is staged as a file of its own, and the sandbox's private
# /tmp holds 16,384 files: all notebooks together may hold this many code cells.
MAX_CELLS = 1000
# An .ipynb as it is read, outputs (pictures) included; only its code is staged. Parsed,
# JSON takes up to 25 times its size in memory (16 MB of empty lists: 400 MB).
MAX_NOTEBOOK_BYTES = 16 * 2**20
# Folders below this many levels of a submission are not entered (nor staged, nor hashed).
MAX_DEPTH = 16
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
class _Budget:
    """What the files planned so far take of the staging limits."""

    files: int = 0
    bytes: int = 0
    cells: int = 0

    def fits(self, files: int, size: int) -> bool:
        return self.files + files <= _MAX_FILES and self.bytes + size <= _MAX_BYTES

    def take(self, files: int, size: int, cells: int = 0) -> None:
        self.files += files
        self.bytes += size
        self.cells += cells


@dataclass
class Submission:
    path: Path  # the folder, its real path: nothing outside it is ever read
    modules: list[str]  # the exercise modules present
    # module -> the notebook that holds it (a path under `path`, perhaps through a link);
    # a notebook wins over a .py file of its name
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

        The exercise modules come first, then the notebooks, so that no other file takes
        their room. A file over a limit, a FIFO, socket or device, or a path that leads
        out of the submission through a symbolic link (to a file or a folder, anywhere on
        the way) is left out and said so in `refused` or `notes`; a link to a file inside
        it is followed. Each notebook of `notebooks` is written as <module>.py, which runs
        the notebook's cells (see autograder.ipynb); a notebook that is no notebook or
        over a limit is refused as a whole.

        Everything is read and checked against the limits before anything is written.
        """
        return _write(self.plan())

    def plan(self) -> dict[str, bytes]:
        """What stage() writes: relative path -> content, every limit already checked."""
        self.refused, self.notes = {}, []
        planned: dict[str, bytes] = {}
        budget, skipped = _Budget(), 0
        for relative, problem in self._plan_files(planned, budget):
            if relative in self._module_files():
                self.refused[relative] = problem
            elif len(self.notes) < _MAX_NOTES:
                self.notes.append(problem)
            else:
                skipped += 1
        if skipped:
            self.notes.append(Diagnosis("robustness.more_skipped", count=skipped))
        return planned

    def _plan_files(self, planned: dict[str, bytes],
                    budget: _Budget) -> Iterator[tuple[str, Diagnosis]]:
        """Fill `planned`, exercise modules first; yield each file left out, and why."""
        modules = [self.path / m for m in self._module_py_files()]
        for source in modules:
            yield from self._plan_file(source, planned, budget)
        for module, notebook in self.notebooks.items():
            problem = self._plan_notebook(module, notebook, planned, budget)
            if problem is not None:
                yield f"{module}.py", problem
        replaced = {f"{module}.py" for module in self.notebooks}
        for source in _python_files(self.path):
            if isinstance(source, str):
                yield source, Diagnosis("robustness.too_deep", folder=source, depth=MAX_DEPTH)
                continue
            relative = source.relative_to(self.path).as_posix()
            if source not in modules and relative not in replaced:
                yield from self._plan_file(source, planned, budget)

    def _plan_file(self, source: Path, planned: dict[str, bytes],
                   budget: _Budget) -> Iterator[tuple[str, Diagnosis]]:
        relative = source.relative_to(self.path).as_posix()
        problem, size = _problem(source, relative, self.path, _MAX_FILE_BYTES)
        if problem is None and not budget.fits(1, size):
            problem = _over_total(relative)
        data = _read(source, relative, _MAX_FILE_BYTES) if problem is None else problem
        if isinstance(data, bytes) and not budget.fits(1, len(data)):
            data = _over_total(relative)  # it grew since it was measured
        if isinstance(data, Diagnosis):
            yield relative, data
            return
        planned[relative] = data
        budget.take(1, len(data))

    def _plan_notebook(self, module: str, notebook: Path, planned: dict[str, bytes],
                       budget: _Budget) -> Diagnosis | None:
        """Plan the files of one notebook's module, or say why the notebook is refused."""
        relative = notebook.relative_to(self.path).as_posix()
        problem, _ = _problem(notebook, relative, self.path, MAX_NOTEBOOK_BYTES)
        data = _read(notebook, relative, MAX_NOTEBOOK_BYTES) if problem is None else problem
        if isinstance(data, Diagnosis):
            return data
        try:
            cells = notebook_cells(data)
        except NotANotebook as error:
            return Diagnosis("robustness.not_a_notebook", file=relative,
                             reason=Diagnosis(error.key, **error.params))
        if budget.cells + len(cells) > MAX_CELLS:
            return Diagnosis("robustness.too_many_cells", file=relative, count=len(cells),
                             limit=MAX_CELLS)
        files = {path: source.encode() for path, source in
                 module_files(module, cells, origin=notebook.name).items()}
        size = sum(len(content) for content in files.values())
        largest = max(len(content) for content in files.values())
        if largest > _MAX_FILE_BYTES or not budget.fits(1, size):
            return Diagnosis("robustness.notebook_too_large", file=relative, size=_size(size),
                             limit=_size(_MAX_BYTES), file_limit=_size(_MAX_FILE_BYTES))
        planned.update(files)
        budget.take(1, size, len(files) - 1)
        return None

    def _module_files(self) -> set[str]:
        """The files whose refusal fails a module's tests: <module>.py of each module."""
        return {f"{module}.py" for module in registry.names()}

    def _module_py_files(self) -> list[str]:
        """The exercise modules' .py files present (a notebook replaces its own)."""
        return [f"{m}.py" for m in registry.names()
                if m not in self.notebooks and os.path.lexists(self.path / f"{m}.py")]


def find_submission(path: str | os.PathLike) -> Submission:
    """The submission at `path`: a folder holding at least one exercise module.

    A module is <module>.py, or a notebook: <module>.ipynb in the folder (an nbgrader
    assignment folder, whose notebook is named after the assignment), or
    <module>/<module>.ipynb (a student's folder of nbgrader assignments). A notebook
    reached through a symbolic link out of the folder (its own, or its folder's) is
    present, and refused when staged. `path` itself may not be a link.
    """
    folder = Path(path)
    if folder.is_symlink():
        # submitted/alice/linear_regression -> ../bob/linear_regression: whose work it
        # is cannot be told, so it is not graded as anyone's.
        raise NotASubmission(Diagnosis("submission.link", path=str(folder),
                                       target=os.readlink(folder)))
    if not folder.exists():
        raise NotASubmission(Diagnosis("submission.missing", path=str(folder)))
    if not folder.is_dir():
        raise NotASubmission(Diagnosis("submission.not_a_folder", path=str(folder)))
    root = folder.resolve()
    notebooks = {}
    for module in registry.names():
        for relative in (f"{module}.ipynb", f"{module}/{module}.ipynb"):
            if _link_out(root, relative) is not None or (root / relative).is_file():
                notebooks[module] = root / relative
                break
    # Present in any form: a file too large, a FIFO or a link out is graded as refused.
    present = [m for m in registry.names() if m in notebooks or os.path.lexists(root / f"{m}.py")]
    if not present:
        expected = ", ".join(f"{m}.py" for m in registry.names())
        raise NotASubmission(Diagnosis("submission.no_module", path=str(folder),
                                       expected=expected))
    assignment = root.name
    if assignment not in notebooks or notebooks[assignment].parent != root:
        assignment = None
    return Submission(root, present, notebooks, assignment)


def _python_files(folder: Path) -> Iterator[Path | str]:
    """The .py files under `folder`, and (as relative paths) the folders too deep to
    enter: os.walk recurses a level a folder, and a tree a thousand deep would end it."""
    # os.walk does not enter a link to a folder: what lies behind one is never staged.
    for root, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith((".", "__pycache__")))
        relative = Path(root).relative_to(folder)
        if len(relative.parts) >= MAX_DEPTH:
            yield from ((relative / d).as_posix() for d in dirs)
            dirs[:] = []
        for name in sorted(names):
            if name.endswith(".py") and name not in _IGNORED_FILES:
                yield Path(root, name)


def _link_out(root: Path, relative: str, hops: int = 40) -> Path | None:
    """The link on the way from `root` (a real path) to `relative`, the file itself
    included, that leads out of `root`; None when the whole way stays inside.

    Each step is resolved, so that a link to a folder outside is caught even where the
    file behind it is a plain one. A link that leads back inside, to a path that another
    link leads out from, names that other link (at most `hops` links deep: a loop ends).
    """
    path = root
    for part in Path(relative).parts:
        path = path / part
        if Path(os.path.realpath(path)).is_relative_to(root):
            continue
        try:
            target = Path(os.path.normpath(Path(os.path.realpath(path.parent),
                                                os.readlink(path))))
        except OSError:  # not a link: a folder on the way was replaced meanwhile
            return path
        if hops and target.is_relative_to(root):
            return _link_out(root, target.relative_to(root).as_posix(), hops - 1) or path
        return path
    return None


def _problem(source: Path, relative: str, root: Path,
             limit: int) -> tuple[Diagnosis | None, int]:
    """Why `source` cannot be staged (None: it can), and its size."""
    try:
        link = _link_out(root, relative)
        if link is not None:
            return Diagnosis("robustness.symlink_outside",
                             file=link.relative_to(root).as_posix(),
                             target=os.readlink(link)), 0
        info = source.stat()
    except (OSError, RuntimeError):  # unreadable, a dangling or looping link
        return Diagnosis("robustness.unreadable", file=relative), 0
    if not stat.S_ISREG(info.st_mode):
        return Diagnosis("robustness.special_file", file=relative), 0
    if info.st_size > limit:
        return Diagnosis("robustness.too_large", file=relative, size=_size(info.st_size),
                         limit=_size(limit)), info.st_size
    return None, info.st_size


def _read(source: Path, relative: str, limit: int) -> bytes | Diagnosis:
    """At most `limit` bytes of the file: it may have grown since it was measured."""
    try:
        # O_NONBLOCK: should it have become a FIFO meanwhile, opening it does not hang.
        descriptor = os.open(source, os.O_RDONLY | os.O_NONBLOCK)
        with os.fdopen(descriptor, "rb") as stream:
            if not stat.S_ISREG(os.fstat(stream.fileno()).st_mode):
                return Diagnosis("robustness.special_file", file=relative)
            data = stream.read(limit + 1)
    except OSError:
        return Diagnosis("robustness.unreadable", file=relative)
    if len(data) > limit:
        return Diagnosis("robustness.too_large", file=relative, size=_size(len(data)),
                         limit=_size(limit))
    return data


def _over_total(relative: str) -> Diagnosis:
    return Diagnosis("robustness.skipped_total", file=relative, files=_MAX_FILES,
                     limit=_size(_MAX_BYTES))


def _write(planned: dict[str, bytes]) -> str:
    """Write the planned files into a fresh folder; should that fail, leave nothing."""
    workdir = tempfile.mkdtemp(prefix="autograder-submission-")
    try:
        for relative, content in planned.items():
            target = Path(workdir, relative)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
    except BaseException:
        shutil.rmtree(workdir, ignore_errors=True)
        raise
    return workdir


def _size(count: int) -> str:
    """67 MB, 4 MB, 12 KB: whole units, as people say sizes."""
    if count >= 2**20:
        return f"{count / 2**20:.0f} MB"
    return f"{max(count / 2**10, 1):.0f} KB"
