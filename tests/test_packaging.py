"""A non-editable install carries the hidden suites and the reference, and works anywhere."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.engine_helpers import fresh_venv
from tests.helpers import MODULES, ROOT, SOLUTIONS


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "-q", "-w", str(out), str(ROOT)], check=True, timeout=300)
    return next(out.glob("d2l_autograder-*.whl"))


def test_the_wheel_holds_suites_reference_and_stubs(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for module in MODULES:
        assert f"autograder/reference/{module}.py" in names
        assert f"autograder/assignments/{module}.py" in names
        for part in ("unit.py", f"test_{module}.py"):
            assert f"autograder/exercises/{module}/{part}" in names
    assert "autograder/exercises/course.py" in names
    assert "autograder/suites.ini" in names


def test_an_installed_copy_grades_from_another_folder(wheel, tmp_path):
    # A venv of its own, which sees nothing of the base interpreter (a newcomer's has
    # nothing but pip): the project comes from the wheel, its dependencies from the
    # environment running these tests, which the README's commands made.
    python = fresh_venv(tmp_path / "venv")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q",
                    "--no-deps", "--force-reinstall", str(wheel)], check=True, timeout=300)
    # Every dependency the wheel declares is there, not just those the tests happen to have.
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "check"],
                   check=True, timeout=300, capture_output=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    results = tmp_path / "results.json"
    code = ("import autograder, sys; assert 'site-packages' in autograder.__file__, "
            "autograder.__file__; from autograder.cli import grade_main; "
            "sys.exit(grade_main(sys.argv[1:]))")
    run = subprocess.run([str(python), "-I", "-c", code, str(SOLUTIONS), "--device", "cpu",
                          "--json", str(results)], cwd=elsewhere, timeout=300,
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    report = json.loads(results.read_text())
    assert report["score"] == report["max_score"] > 0
