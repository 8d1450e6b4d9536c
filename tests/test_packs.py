"""An instructor's exercises outside the package: a pack, written as the README says, is
graded like a built-in exercise; a broken one costs its own module, in one line."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from autograder import registry
from autograder.api import grade
from autograder.authoring import new_exercise
from autograder.options import BadOption
from tests.helpers import ASSIGNMENTS, MODULES, ROOT, SOLUTIONS


@pytest.fixture(autouse=True)
def builtin_only_afterwards():
    yield
    registry.use([])


def make_pack(folder: Path, name: str = "doubling") -> Path:
    """A pack of one exercise, as `autograder exercise new` writes it, in an assignment."""
    new_exercise(name, folder)
    (folder / "exercises" / "course.py").write_text(f'ASSIGNMENTS = {{"Week8": ["{name}"]}}\n')
    return folder


def submission(tmp_path: Path, pack: Path, kind: str, name: str = "doubling") -> Path:
    folder = tmp_path / kind
    folder.mkdir()
    source = pack / ("solutions" if kind == "reference" else "assignments") / f"{name}.py"
    shutil.copy(source, folder / f"{name}.py")
    return folder


def test_a_pack_is_graded_as_a_built_in_exercise(tmp_path):
    pack = make_pack(tmp_path / "pack")
    full = grade(submission(tmp_path, pack, "reference"), exercises=[pack])
    assert {t.module for t in full.tests} == {"doubling"}
    assert full.score == full.max_score == 1.5
    # The course's modules it does not hold are named, not counted against the student.
    assert any("linear_regression.py" in note for note in full.notes)
    stub = grade(submission(tmp_path, pack, "stub"), exercises=[pack])
    assert stub.score == 0 and {t.diagnosis for t in stub.tests
                                if t.status == "failed"} == {"not_implemented"}
    assert registry.assignments()["Week8"] == ["doubling"]


def test_the_pack_adds_an_assignment_that_counts_what_is_missing(tmp_path):
    pack = make_pack(tmp_path / "pack")
    empty = tmp_path / "week8"
    shutil.copytree(SOLUTIONS, empty, ignore=shutil.ignore_patterns("__pycache__"))
    report = grade(empty, exercises=[pack], assignment="Week8")
    assert {t.module for t in report.tests} == {"doubling"}
    assert report.score == 0 and report.max_score == 1.5
    assert {t.diagnosis for t in report.tests if t.status == "failed"} == {"missing_module"}


def test_a_week_two_learner_is_not_shown_zero_for_week_one(tmp_path):
    folder = tmp_path / "week2"
    folder.mkdir()
    module = registry.assignments()["Task02"][0]
    shutil.copy(SOLUTIONS / f"{module}.py", folder)
    report = grade(folder, device="cpu")
    assert report.score == report.max_score > 0
    assert {t.module for t in report.tests} == {module}
    by_assignment = grade(folder, device="cpu", assignment="Task01")
    assert by_assignment.score == 0 < by_assignment.max_score
    with pytest.raises(BadOption):
        grade(folder, assignment="Task99")


def write_broken(pack: Path, kind: str) -> str:
    """Break the pack's one exercise in the way `kind` names; the file the line names."""
    unit = pack / "exercises" / "doubling"
    if kind == "suite_import":
        suite = unit / "test_doubling.py"
        suite.write_text(suite.read_text() + "\nimport a_module_that_is_nowhere\n")
        return "test_doubling.py"
    if kind == "unit_import":
        (unit / "unit.py").write_text("raise RuntimeError('broken unit')\n")
        return "unit.py"
    if kind == "reference_fails":
        reference = pack / "solutions" / "doubling.py"
        reference.write_text(reference.read_text().replace("return 2 * X",
                                                           "return (2 * X).cpu()"))
        return "doubling.py"
    if kind == "collaborators_circle":  # a test run with the book's copy of its own function
        suite = unit / "test_doubling.py"
        suite.write_text(suite.read_text().replace(
            '@grades("double", points=1.0, public=True)',
            '@grades("double", points=1.0, public=True, collaborators=("double",))'))
        return "test_doubling.py"
    if kind == "missing_message":
        text = (unit / "unit.py").read_text()
        (unit / "unit.py").write_text(text.replace('"zh": "double 返回输入的两倍",', ""))
        return "unit.py"
    raise ValueError(kind)


@pytest.mark.parametrize("kind", ["suite_import", "unit_import", "reference_fails",
                                  "collaborators_circle", "missing_message"])
def test_a_broken_pack_is_one_line_and_every_other_module_is_graded(tmp_path, kind):
    pack = make_pack(tmp_path / "pack")
    named = write_broken(pack, kind)
    folder = tmp_path / "submission"
    shutil.copytree(SOLUTIONS, folder, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(pack / "solutions" / "doubling.py", folder)
    report = grade(folder, device="cpu", exercises=[pack], lang="zh")
    lines = [note for note in report.notes if named in note]
    assert len(lines) == 1, report.notes
    assert {t.module for t in report.tests} >= set(MODULES)
    builtin = [t for t in report.tests if t.module in MODULES]
    assert builtin and all(t.status != "failed" for t in builtin)
    if kind == "missing_message":  # graded all the same, its English name shown instead
        doubling = [t for t in report.tests if t.module == "doubling"]
        assert doubling and all(t.status == "passed" for t in doubling)
        assert "double returns twice its input" in {t.name for t in doubling}
    else:
        assert "doubling" not in {t.module for t in report.tests}


def test_a_pack_module_named_as_a_built_in_one_is_left_out(tmp_path):
    clash = MODULES[0]
    pack = make_pack(tmp_path / "pack", name=clash)
    registry.use([pack])
    lines = registry.problems("en")
    assert len(lines) == 1 and clash in lines[0] and "builtin" in lines[0]
    assert registry.exercise(clash).pack.builtin
    assert grade(SOLUTIONS, device="cpu", only=clash, exercises=[pack]).score > 0


def test_a_folder_that_is_no_pack_is_one_line(tmp_path):
    registry.use([tmp_path])
    assert registry.problems("en") == [f"{tmp_path} is not an exercise pack: it has no "
                                       "exercises/ folder."]
    assert registry.names() == MODULES


def test_a_pip_installed_pack_is_found_through_its_entry_point(tmp_path, monkeypatch):
    site = tmp_path / "site"
    make_pack(site / "week8pack", name="halving")
    (site / "week8pack" / "__init__.py").write_text("")
    info = site / "week8pack-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: week8pack\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[d2l_autograder.packs]\nweek8 = week8pack\n")
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.setenv("PYTHONPATH", str(site))  # the process that verifies the reference
    registry.use([])
    assert "halving" in registry.names() and registry.problems() == []
    report = grade(submission(tmp_path, site / "week8pack", "reference", "halving"))
    assert report.score == report.max_score == 1.5


def test_exercise_new_writes_an_exercise_that_passes_check(tmp_path):
    pack = tmp_path / "pack"
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "autograder.instructor"]
    subprocess.run([*command, "exercise", "new", "doubling", "--in", str(pack)], check=True,
                   env=environment, capture_output=True, timeout=60)
    out = tmp_path / "check.json"
    answer = subprocess.run([*command, "exercise", "check", str(pack), "--json", str(out)],
                            env=environment, capture_output=True, text=True, timeout=300)
    assert answer.returncode == 0, answer.stdout + answer.stderr
    checked = json.loads(out.read_text())
    assert checked["passed"] and [m["module"] for m in checked["modules"]] == ["doubling"]
    module = checked["modules"][0]
    assert module["survived"] == 0 and module["killed"] > 0 and module["unit_problems"] == []
    # Its public self-check passes on the reference and fails on the stub.
    for folder, code in (("solutions", 0), ("assignments", 1)):
        student = tmp_path / f"student-{folder}"  # as a student runs them: beside the code
        student.mkdir()
        shutil.copy(pack / folder / "doubling.py", student)
        shutil.copy(pack / "assignments" / "test_doubling.py", student)
        result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                                 "-n", "0", "test_doubling.py"], cwd=student,
                                env=environment, capture_output=True, timeout=120)
        assert result.returncode == code, result.stdout.decode()


def test_a_class_run_grades_a_pack_assignment_for_everyone(tmp_path):
    from autograder.batch import grade_class

    pack = make_pack(tmp_path / "pack")
    submissions = tmp_path / "submissions"
    for student, folder in (("alice", "solutions"), ("bob", "assignments")):
        (submissions / student).mkdir(parents=True)
        shutil.copy(pack / folder / "doubling.py", submissions / student)
    run = grade_class(submissions, out=tmp_path / "out", jobs=1, device="cpu",
                      assignment="Week8", exercises=[pack])
    rows = {record.student: (record.score, record.max_score) for record in run.records}
    assert rows == {"alice": (1.0, 1.0), "bob": (0.0, 1.0)}
    assert "doubling" in (tmp_path / "out" / "grades.csv").read_text()


def test_the_stubs_of_the_checkout_are_untouched(tmp_path):
    # The pack tests above write only into their own folders.
    assert sorted(p.name for p in ASSIGNMENTS.glob("doubling*")) == []


SKIPPING_TESTS = '''

@grades("double", points=0.5)
def test_double_skipped_from_inside(student, device):
    """skipped from inside the test"""
    pytest.skip("no example for this device")


@pytest.mark.skip(reason="marked to be skipped")
@grades("double", points=0.5)
def test_double_marked_to_be_skipped(student, device):
    """marked to be skipped"""


@pytest.mark.xfail(reason="known to fail")
@grades("double", points=0.5)
def test_double_expected_to_fail(student, device):
    """expected to fail"""
    raise AssertionError("it fails, as expected")


@pytest.mark.xfail(reason="fails on the reference", strict=True)
@grades("double", points=0.5)
def test_double_strictly_expected_to_fail(student, device):
    """strictly expected to fail: tripling passes it, and so fails it"""
    X = random_input(3)
    out = student.call("double", X, device=device)
    expect_tensor(out, out.value, 3 * X)
'''


def test_a_suite_that_skips_or_expects_a_failure_gets_pytests_outcomes(tmp_path):
    """pytest.skip in a test, a skip mark and an xfail mark of a pack's suite keep the
    outcomes pytest gives them, beside tests that pass and fail."""
    pack = make_pack(tmp_path / "pack")
    suite = pack / "exercises" / "doubling" / "test_doubling.py"
    suite.write_text(suite.read_text().replace("import torch\n", "import pytest\nimport torch\n")
                     + SKIPPING_TESTS)
    wrong = submission(tmp_path, pack, "stub")
    (wrong / "doubling.py").write_text("def double(X):\n    return X * 3\n")
    for folder, values in ((submission(tmp_path, pack, "reference"), "passed"),
                           (wrong, "failed")):
        report = grade(folder, exercises=[pack], device="cpu")
        outcomes = {t.check: (t.status, t.message) for t in report.tests}
        assert outcomes["test_double_values"][0] == values
        assert outcomes["test_double_skipped_from_inside"] == (
            "skipped", "no example for this device")
        assert outcomes["test_double_marked_to_be_skipped"] == (
            "skipped", "marked to be skipped")
        assert outcomes["test_double_expected_to_fail"][0] == "skipped"
        # pytest's skipping plugin decides the outcome of a test marked xfail, even where
        # it passes: strict, a pass is a failure.
        assert outcomes["test_double_strictly_expected_to_fail"][0] == (
            "skipped" if values == "passed" else "failed")
        assert report.score == (1.0 if values == "passed" else 0.0)
