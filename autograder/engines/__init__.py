"""The engines a course already grades with, beyond one machine: Gradescope's autograder
bundle (gradescope.py), a GitHub Classroom workflow (classroom.py), and the reports CI
reads (junit.py, markdown.py).

What the bundle and the workflow install is this package, pinned: its wheel, built here
from the project's checkout, or its name and version, and the torch of constraints.txt.
"""

from __future__ import annotations

import importlib.metadata
import re
import subprocess
import sys
from pathlib import Path

DISTRIBUTION = "d2l-autograder"
# PyTorch's own index of CPU-only wheels: a tenth of the CUDA build's download.
TORCH_CPU_INDEX = "https://download.pytorch.org/whl/cpu"


def project_root() -> Path | None:
    """The checkout this package runs from (where pyproject.toml is), or None when it is
    installed from a wheel."""
    root = Path(__file__).resolve().parent.parent.parent
    pyproject = root / "pyproject.toml"
    if pyproject.is_file() and f'name = "{DISTRIBUTION}"' in pyproject.read_text("utf-8"):
        return root
    return None


def package_version() -> str:
    return importlib.metadata.version(DISTRIBUTION)


def package_spec() -> str:
    """What `pip install` takes for this release of the package."""
    return f"{DISTRIBUTION}=={package_version()}"


def torch_version() -> str:
    """The torch release to install: constraints.txt's pin where the checkout is here, else
    the release this environment runs (without its local label, +cpu)."""
    root = project_root()
    if root is not None and (root / "constraints.txt").is_file():
        text = (root / "constraints.txt").read_text("utf-8")
        pinned = re.search(r"^torch==([^\s;#]+)", text, re.MULTILINE)
        if pinned:
            return pinned.group(1)
    return importlib.metadata.version("torch").split("+")[0]


def build_wheel(out_dir: str | Path) -> Path:
    """Build this package's wheel from its checkout into `out_dir` and return its path.

    Raises FileNotFoundError where there is no checkout (the package was installed from
    a wheel): pass that wheel instead."""
    root = project_root()
    if root is None:
        raise FileNotFoundError("no checkout of d2l-autograder to build a wheel from: "
                                "pass the wheel with --wheel")
    out_dir = Path(out_dir)
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out_dir)]
    try:  # setuptools here: build with it rather than download it into an isolated env
        import setuptools  # noqa: F401

        command.append("--no-build-isolation")
    except ImportError:
        pass
    subprocess.run([*command, str(root)], check=True, timeout=600)
    return next(out_dir.glob("d2l_autograder-*.whl"))
