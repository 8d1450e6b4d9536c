"""The self-checks students receive: they pass on the reference, fail on the stubs, and
reveal nothing of the hidden suites."""

from __future__ import annotations

import shutil
import subprocess
import sys

from tests.helpers import ASSIGNMENTS, SOLUTIONS


def released_folder(tmp_path, modules_from):
    """What a student holds: the released folder with `modules_from`'s modules in it."""
    folder = tmp_path / "submission"
    shutil.copytree(ASSIGNMENTS, folder)
    for module in modules_from.glob("*.py"):
        if not module.name.startswith("test_"):
            shutil.copy(module, folder / module.name)
    return folder


def run_pytest(folder, *files: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *files],
                          cwd=folder, capture_output=True, text=True, timeout=300)


def assert_self_checks_pass(tmp_path, submission, module: str) -> None:
    """The released self-checks of `module` pass on `submission`'s modules."""
    result = run_pytest(released_folder(tmp_path / "released", submission), f"test_{module}.py")
    assert result.returncode == 0, result.stdout


def test_the_reference_passes_every_self_check(tmp_path):
    result = run_pytest(released_folder(tmp_path, SOLUTIONS))
    assert result.returncode == 0, result.stdout
    assert " passed" in result.stdout and "failed" not in result.stdout


def test_the_stubs_fail_every_self_check(tmp_path):
    result = run_pytest(released_folder(tmp_path, ASSIGNMENTS))
    assert result.returncode == 1
    assert " passed" not in result.stdout.splitlines()[-1]


def test_the_released_folder_holds_no_hidden_test_or_reference():
    for path in ASSIGNMENTS.rglob("*.py"):
        text = path.read_text()
        assert "autograder" not in text, path
        assert "reference" not in text.lower(), path
