"""The instructor's workflow on stock nbgrader, end to end, in a temporary course.

One course is built once for the module (`autograder nbgrader init`'s Python API) with
the linear_regression assignment, and driven by nbgrader's own commands with a real
gradebook.db: generate_assignment; three submissions (the source notebook, the untouched
release, one classic mistake); autograde; generate_feedback; export. Each score must be
the fraction `grade` gives the same submitted notebook.
"""

from __future__ import annotations

import csv
import html
import os
import re
import subprocess
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pytest

from autograder.api import grade
from autograder.course import build_course
from tests.helpers import messages
from tests.notebook_helpers import (
    answered,
    english_words,
    identifiers,
    prose_of,
    read,
    source_of,
    write,
)

pytest.importorskip("nbgrader", reason="nbgrader is not installed: "
                    "pip install -c constraints.txt -e \".[nbgrader]\" (the test extra has it)")

ASSIGNMENT = "linear_regression"
COURSE_ID = "d2l-test"
SGD_STEP = "param -= lr * param.grad / batch_size"
MISTAKE = ("sgd", SGD_STEP, "param -= lr * param.grad")  # the step is batch_size too large
# An experiment that never ends, at the top of sgd's cell: nbgrader stops the cell at its
# time limit and goes on; so does `grade`, and only sgd is lost.
LOOP = ("sgd", "def sgd(", "while True:\n    pass\n\n\ndef sgd(")
# nbgrader's per-cell limit, short for the looping cell so that the test stays quick; the
# other cells keep the course's limit, so that no verdict depends on the machine's speed.
LOOP_CELL_TIMEOUT = """
c.Execute.timeout_func = lambda cell: 3 if "while True" in cell.source else 120
"""


STUDENTS = ("alice", "bob", "carol", "dave")


@dataclass
class Course:
    root: Path
    logs: dict[str, subprocess.CompletedProcess]

    def notebook(self, folder: str, student: str | None = None) -> Path:
        parts = [folder, *([student] if student else []), ASSIGNMENT]
        return self.root.joinpath(*parts, f"{ASSIGNMENT}.ipynb")


def nbgrader(root: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    # A new gradebook.db runs `alembic` by PATH lookup: the environment's bin comes first.
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")
    return subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=root, env=env,
                          capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Course:
    root = tmp_path_factory.mktemp("nbgrader-course")
    build_course(root, course_id=COURSE_ID, modules=[ASSIGNMENT], timeout=120)
    with open(root / "nbgrader_config.py", "a", encoding="utf-8") as config:
        config.write(LOOP_CELL_TIMEOUT)
    logs = {"generate_assignment": nbgrader(root, "generate_assignment", ASSIGNMENT, "--force")}
    course = Course(root, logs)
    source, release = read(course.notebook("source")), read(course.notebook("release"))
    # What `nbgrader collect` (or zip_collect) leaves: submitted/<student>/<assignment>/
    write(source, course.notebook("submitted", "alice"))
    write(release, course.notebook("submitted", "bob"))
    write(answered(release, source, change=MISTAKE), course.notebook("submitted", "carol"))
    write(answered(release, source, change=LOOP), course.notebook("submitted", "dave"))
    logs["autograde"] = nbgrader(root, "autograde", ASSIGNMENT, "--force")
    logs["generate_feedback"] = nbgrader(root, "generate_feedback", ASSIGNMENT, "--force")
    logs["export"] = nbgrader(root, "export", "--to", "grades.csv")
    return course


@pytest.fixture(scope="module")
def gradebook(course) -> dict[str, dict]:
    """{student: {"score", "max_score", "cells": {grade_id: (auto_score, max_score)}}}"""
    from nbgrader.api import Gradebook

    scores = {}
    with Gradebook(f"sqlite:///{course.root / 'gradebook.db'}", COURSE_ID) as book:
        for student in STUDENTS:
            submission = book.find_submission(ASSIGNMENT, student)
            notebook = book.find_submission_notebook(ASSIGNMENT, ASSIGNMENT, student)
            scores[student] = {
                "score": submission.score, "max_score": submission.max_score,
                "cells": {g.name: (g.auto_score, g.max_score) for g in notebook.grades}}
    return scores


def test_every_nbgrader_command_succeeds(course):
    for step, done in course.logs.items():
        log = done.stdout + done.stderr
        assert done.returncode == 0, f"{step}:\n{log[-4000:]}"
        # nbgrader only logs a broken nbgrader_config.py and goes on without it. Its
        # stopping dave's endless cell is the one error expected.
        expected = ("Timeout waiting for execute reply (3s).", "Interrupting kernel")
        errors = [line for line in log.splitlines() if re.search(r"\| ERROR\]|CRITICAL", line)
                  and not line.endswith(expected)]
        assert errors == [], f"{step}:\n{log[-4000:]}"


def test_the_release_holds_neither_solutions_nor_hidden_tests(course):
    release = course.notebook("release").read_text()
    assert "raise NotImplementedError()" in release
    for secret in (SGD_STEP, "BEGIN SOLUTION", "HIDDEN TESTS", "include_hidden_tests"):
        assert secret not in release


@pytest.mark.parametrize("student, expected", [
    ("alice", "full"),  # the source notebook
    ("bob", "zero"),  # the untouched release
    ("carol", "partial"),  # sgd does not divide by batch_size
    ("dave", "partial"),  # sgd's cell never ends
])
def test_nbgrader_gives_the_fraction_grade_gives(course, gradebook, student, expected):
    book = gradebook[student]
    report = grade(course.root / "submitted" / student / ASSIGNMENT)  # the assignment alone
    assert book["max_score"] == pytest.approx(report.max_score) and report.max_score > 0
    assert book["score"] / book["max_score"] == pytest.approx(report.score / report.max_score)
    per_function = defaultdict(float)
    for test in report.tests:
        per_function[test.function] += test.score
    cells = {name.removeprefix("test_"): score for name, (score, _) in book["cells"].items()}
    assert cells == pytest.approx(dict(per_function))
    fraction = book["score"] / book["max_score"]
    assert {"full": fraction == 1, "zero": fraction == 0,
            "partial": 0 < fraction < 1}[expected], (book, report.render_text())
    if student == "carol":
        assert book["cells"]["test_sgd"][0] == 0
        assert "batch_size times too large" in messages(report, "sgd")
    if student == "dave":  # only sgd is lost: the cells after the loop were graded
        assert [g for g, (score, _) in book["cells"].items() if score == 0] == ["test_sgd"]
        assert "ran past its time limit" in messages(report, "sgd")


def test_an_untouched_notebook_keeps_its_test_cells_checksums(course):
    # A test cell of the release is the source's own: autograde has nothing to restore.
    log = course.logs["autograde"].stdout + course.logs["autograde"].stderr
    assert "Autograding" in log and "bob" in log
    assert "has changed!" not in log, log[-4000:]


def test_generate_feedback_recognises_its_whole_config(course):
    log = course.logs["generate_feedback"].stdout + course.logs["generate_feedback"].stderr
    assert "Converting notebook" in log
    assert "not recognized" not in log and "display_data_priority" not in log, log[-4000:]


def feedback_text(course: Course, student: str) -> str:
    """The text of a student's feedback page."""
    page = (course.root / "feedback" / student / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text()
    return html.unescape(re.sub(r"<[^>]+>", "", page))


def test_feedback_shows_the_diagnosis_and_no_hidden_test(course):
    for student in STUDENTS:
        text = feedback_text(course, student)
        for hidden in ("HIDDEN TESTS", "include_hidden_tests"):
            assert hidden not in text, (student, hidden)
    assert "batch_size times too large" in feedback_text(course, "carol")
    assert "is not implemented yet" in feedback_text(course, "bob")


def test_the_autograded_cells_print_the_diagnosis_on_stdout(course):
    notebook = read(course.notebook("autograded", "carol"))
    outputs = {}
    for cell in notebook["cells"]:
        grade_id = cell["metadata"].get("nbgrader", {}).get("grade_id", "")
        if grade_id.startswith("test_"):
            outputs[grade_id] = cell["outputs"]
    sgd = outputs["test_sgd"]
    assert not [o for o in sgd if o["output_type"] == "error" or o.get("name") == "stderr"]
    assert "batch_size times too large" in "".join(
        source_of({"source": o.get("text", "")}) for o in sgd)
    results = [o for o in sgd if o["output_type"] == "execute_result"]
    assert source_of({"source": results[0]["data"]["text/plain"]}) == "0.0"


def test_export_writes_the_scores_to_grades_csv(course, gradebook):
    with open(course.root / "grades.csv", newline="") as stream:
        rows = {row["student_id"]: row for row in csv.DictReader(stream)}
    assert set(rows) == set(STUDENTS)
    for student, row in rows.items():
        assert row["assignment"] == ASSIGNMENT
        assert float(row["score"]) == pytest.approx(gradebook[student]["score"])
        assert float(row["max_score"]) == pytest.approx(gradebook[student]["max_score"])


# -- a Chinese course -------------------------------------------------------------------


@pytest.fixture(scope="module")
def chinese_course(tmp_path_factory) -> Course:
    """`autograder nbgrader init --lang zh`, one student with the classic mistake."""
    root = tmp_path_factory.mktemp("nbgrader-course-zh")
    build_course(root, course_id=COURSE_ID, modules=[ASSIGNMENT], timeout=120, lang="zh")
    logs = {"generate_assignment": nbgrader(root, "generate_assignment", ASSIGNMENT, "--force")}
    course = Course(root, logs)
    source, release = read(course.notebook("source")), read(course.notebook("release"))
    write(answered(release, source, change=MISTAKE), course.notebook("submitted", "carol"))
    logs["autograde"] = nbgrader(root, "autograde", ASSIGNMENT, "--force")
    logs["generate_feedback"] = nbgrader(root, "generate_feedback", ASSIGNMENT, "--force")
    return course


def test_a_chinese_course_is_released_in_chinese_and_grades_as_grade(chinese_course):
    from nbgrader.api import Gradebook

    for step, done in chinese_course.logs.items():
        log = done.stdout + done.stderr
        assert done.returncode == 0, f"{step}:\n{log[-4000:]}"
        assert "has changed!" not in log and "not recognized" not in log, f"{step}:\n{log}"
    release = read(chinese_course.notebook("release"))
    assert "在这里写你的代码" in prose_of(release)  # nbgrader's code stub, from the config
    assert english_words(prose_of(release), identifiers()) == []
    with Gradebook(f"sqlite:///{chinese_course.root / 'gradebook.db'}", COURSE_ID) as book:
        submission = book.find_submission(ASSIGNMENT, "carol")
        score, max_score = submission.score, submission.max_score
    report = grade(chinese_course.root / "submitted" / "carol" / ASSIGNMENT, lang="zh")
    assert max_score == pytest.approx(report.max_score)
    assert 0 < score < max_score
    assert score / max_score == pytest.approx(report.score / report.max_score)
    # The feedback holds the test cells' diagnoses, in Chinese.
    feedback = feedback_text(chinese_course, "carol")
    assert "更新步长大了 batch_size 倍" in feedback and "sgd：0/2 分" in feedback
    assert "batch_size times too large" not in feedback and "0/2 points" not in feedback


def test_a_packs_course_grades_with_stock_nbgrader_as_grade_does(tmp_path):
    """An instructor's pack (`exercise new`, --exercises) made into a course: stock
    nbgrader autogrades its notebook, and agrees with `grade` on the same notebook."""
    from nbgrader.api import Gradebook

    from autograder import registry
    from autograder.authoring import new_exercise

    pack = tmp_path / "pack"
    new_exercise("doubling", pack)
    root = tmp_path / "course"
    registry.use([pack])
    try:
        build_course(root, course_id=COURSE_ID, modules=["doubling"], timeout=120)
    finally:
        registry.use([])
    logs = {"generate_assignment": nbgrader(root, "generate_assignment", "doubling", "--force")}
    notebook = Path("doubling", "doubling.ipynb")
    source, release = read(root / "source" / notebook), read(root / "release" / notebook)
    wrong = answered(release, source, change=("double", "return 2 * X", "return (2 * X).cpu()"))
    write(wrong, root / "submitted" / "erin" / notebook)
    logs["autograde"] = nbgrader(root, "autograde", "doubling", "--force")
    for step, done in logs.items():
        assert done.returncode == 0, f"{step}:\n{(done.stdout + done.stderr)[-4000:]}"
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}", COURSE_ID) as book:
        submission = book.find_submission("doubling", "erin")
        score, max_score = submission.score, submission.max_score
    report = grade(root / "submitted" / "erin" / "doubling", exercises=[pack])
    registry.use([])
    assert max_score == pytest.approx(report.max_score) == pytest.approx(1.5)
    assert score == pytest.approx(report.score) == pytest.approx(1.0)
