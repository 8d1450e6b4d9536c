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
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from autograder.ipynb import stage_notebook
from autograder.suites import MODULES

# Files that change how Python or pytest starts: they never reach the worker.
_IGNORED_FILES = {"conftest.py", "sitecustomize.py", "usercustomize.py", "setup.py"}
_MAX_FILES = 200
_MAX_BYTES = 10 * 2**20


class NotASubmission(Exception):
    """The path holds nothing that can be graded; the message says why, in one line."""


@dataclass
class Submission:
    path: Path
    modules: list[str]  # the exercise modules present
    # module -> the notebook that holds it; a notebook wins over a .py file of its name
    notebooks: dict[str, Path] = field(default_factory=dict)
    # An nbgrader assignment folder (named <module>, holding <module>.ipynb) holds one
    # assignment: the module to grade alone, as nbgrader does, not the others as missing.
    assignment: str | None = None

    def stage(self) -> str:
        """Copy the submission's .py files into a fresh folder and return its path.

        Each notebook of `notebooks` is written there as <module>.py, which runs the
        notebook's cells (see autograder.ipynb).
        """
        workdir = tempfile.mkdtemp(prefix="autograder-submission-")
        replaced = {f"{module}.py" for module in self.notebooks}
        for source in _python_files(self.path):
            relative = source.relative_to(self.path)
            if str(relative) in replaced:
                continue
            target = Path(workdir, relative)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
        for module, notebook in self.notebooks.items():
            stage_notebook(notebook, workdir, module)
        return workdir


def find_submission(path: str | os.PathLike) -> Submission:
    """The submission at `path`: a folder holding at least one exercise module.

    A module is <module>.py, or a notebook: <module>.ipynb in the folder (an nbgrader
    assignment folder, whose notebook is named after the assignment), or
    <module>/<module>.ipynb (a student's folder of nbgrader assignments).
    """
    folder = Path(path)
    if not folder.exists():
        raise NotASubmission(f"{folder}: no such file or folder")
    if not folder.is_dir():
        raise NotASubmission(f"{folder}: not a folder (pass the folder holding your .py files)")
    notebooks = {}
    for module in MODULES:
        for candidate in (folder / f"{module}.ipynb", folder / module / f"{module}.ipynb"):
            if candidate.is_file() and not candidate.is_symlink():
                notebooks[module] = candidate.resolve()
                break
    present = [m for m in MODULES if m in notebooks or (folder / f"{m}.py").is_file()]
    if not present:
        expected = ", ".join(f"{m}.py" for m in MODULES)
        raise NotASubmission(f"{folder}: no exercise module found (expected any of {expected}"
                             " or the same names as .ipynb notebooks)")
    assignment = folder.resolve().name
    if assignment not in notebooks or notebooks[assignment].parent != folder.resolve():
        assignment = None
    return Submission(folder.resolve(), present, notebooks, assignment)


def _python_files(folder: Path) -> list[Path]:
    files, total = [], 0
    for root, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith((".", "__pycache__")))
        for name in sorted(names):
            source = Path(root, name)
            if not name.endswith(".py") or name in _IGNORED_FILES or source.is_symlink():
                continue
            total += source.stat().st_size
            if len(files) >= _MAX_FILES or total > _MAX_BYTES:
                return files
            files.append(source)
    return files
