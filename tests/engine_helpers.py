"""For the engines' tests: a fresh virtual environment that downloads nothing."""

from __future__ import annotations

import os
import subprocess
import sysconfig
import venv
from pathlib import Path

# The mistake the engines' tests grade: sgd's step not divided by batch_size.
SGD_NOT_DIVIDED = """
def sgd(params, lr, batch_size):
    with torch.no_grad():
        for param in params:
            param -= lr * param.grad
            param.grad.zero_()
"""


def fresh_venv(folder: Path) -> Path:
    """A virtual environment that sees nothing of the base interpreter, and returns its
    python. Its dependencies (torch, numpy, pytest, rich, and pip itself) come from the
    environment running the tests (which the README's install made), through a .pth file:
    what is installed into it comes from a wheel, and nothing is downloaded."""
    venv.EnvBuilder(system_site_packages=False, with_pip=False).create(folder)
    python = folder / "bin" / "python"
    site_packages = Path(subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True, capture_output=True, text=True).stdout.strip())
    (site_packages / "test_environment.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return python


def offline_environment(**extra: str) -> dict[str, str]:
    """os.environ for a child that installs: pip may use no index (it would download), so a
    requirement the test environment does not already satisfy fails instead."""
    return {**os.environ, "PIP_NO_INDEX": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1", **extra}
