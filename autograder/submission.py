"""Finding a submission and staging the files a worker may see.

Only the submission's Python source reaches the worker's folder. Files that would
configure a Python or pytest run (conftest.py, sitecustomize.py, usercustomize.py,
pytest.ini, .pth files) are left behind, and nothing is ever imported here.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

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

    def stage(self) -> str:
        """Copy the submission's .py files into a fresh folder and return its path."""
        workdir = tempfile.mkdtemp(prefix="autograder-submission-")
        for source in _python_files(self.path):
            target = Path(workdir, source.relative_to(self.path))
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
        return workdir


def find_submission(path: str | os.PathLike) -> Submission:
    """The submission at `path`: a folder holding at least one exercise module."""
    folder = Path(path)
    if not folder.exists():
        raise NotASubmission(f"{folder}: no such file or folder")
    if not folder.is_dir():
        raise NotASubmission(f"{folder}: not a folder (pass the folder holding your .py files)")
    present = [m for m in MODULES if (folder / f"{m}.py").is_file()]
    if not present:
        expected = ", ".join(f"{m}.py" for m in MODULES)
        raise NotASubmission(f"{folder}: no exercise module found (expected any of {expected})")
    return Submission(folder.resolve(), present)


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
