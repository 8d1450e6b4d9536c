"""A whole class in one run: `autograder batch` against `grade`, student by student.

The class mixes honest submissions (the solutions, the stubs, single mistakes, a missing
module, a syntax error) with malicious ones (an endless import, an exit, a memory hog,
one that attacks the other students' files and the grader). Every student's row must
equal what `grade` gives that student alone, point for point, test for test.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import pytest

from autograder.api import grade
from autograder.batch import grade_class
from autograder.batch.record import StudentRecord
from autograder.messages import render
from tests.engine_helpers import SGD_NOT_DIVIDED
from tests.helpers import (
    ASSIGNMENTS,
    CHROMIUM,
    HtmlPage,
    copy_solutions,
    in_terminal,
    screenshot_colours,
    with_function,
)

TIMEOUT = 2.0  # per call, for the class and for `grade` alike: the endless import meets it
# The class of these tests hands in one assignment of the course.
ASSIGNMENT = "Task01"

TANH_HALF = """
def tanh(x):
    return (1 - torch.exp(-x)) / (1 + torch.exp(-x))
"""
SOFTMAX_UNSTABLE = """
def softmax(X):
    X_exp = X.exp()
    partition = X_exp.sum(dim=1, keepdim=True)
    return X_exp / partition
"""
ACCURACY_FLOOR = """
def accuracy(y_hat, y):
    if len(y_hat.shape) > 1 and y_hat.shape[1] > 1:
        y_hat = y_hat.argmax(axis=1)
    cmp = y_hat.type(y.dtype) == y
    return cmp.type(y.dtype).sum() // len(y)
"""
# What a malicious student tries, from inside relu: each line succeeds only if the
# sandbox lets it, and prints what happened (the report shows it).
ATTACKING_RELU = """
def relu(x):
    import glob, os, signal
    for name, act in [
        ("read_other", lambda: open({other!r}).read()),
        ("list_class", lambda: os.listdir({submissions!r})),
        ("write_out", lambda: open({planted!r}, "w").write("0")),
        # The figures the grading processes share, under the run's scratch folder.
        ("plant_figure", lambda: [open(os.path.join(folder, "x.svg"), "w").write("<svg/>")
                                  for folder in glob.glob({scratch!r})] or 1 / 0),
        ("overwrite_results", lambda: open({results!r}, "w").write("{{}}")),
        ("kill_grader", lambda: os.kill(os.getppid(), signal.SIGKILL)),
        ("kill_all", lambda: os.kill(-1, signal.SIGKILL)),
    ]:
        try:
            act()
            print("ATTACK", name, "worked")
        except BaseException as error:
            print("ATTACK", name, "blocked", type(error).__name__)
    return torch.clamp(x, min=0)
"""


def honest_class(root: Path) -> dict[str, Path]:
    """Ten honest students, each a folder of root."""
    students = {name: copy_solutions(root / name) for name in
                ("alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi",
                 "ivan", "judy")}
    for source in ASSIGNMENTS.glob("*.py"):  # bob hands in the stubs
        if source.name != "__init__.py":
            shutil.copy(source, students["bob"] / source.name)
    with_function(students["carol"], "activations", TANH_HALF)
    with_function(students["dave"], "linear_regression", SGD_NOT_DIVIDED)
    with_function(students["erin"], "softmax_regression", SOFTMAX_UNSTABLE)
    (students["frank"] / "softmax_regression.py").unlink()  # a module not handed in
    path = students["grace"] / "concise.py"  # a syntax error
    path.write_text(path.read_text().replace("def ", "def (", 1))
    with_function(students["heidi"], "softmax_regression", ACCURACY_FLOOR)
    with_function(students["ivan"], "activations", TANH_HALF)  # the same mistake as carol
    path = students["judy"] / "activations.py"  # prints a flood, and is right
    path.write_text(path.read_text() + "\nprint('x' * 3_000_000)\n")
    return students


def malicious_class(root: Path, out: Path) -> dict[str, Path]:
    students = {name: copy_solutions(root / name)
                for name in ("mallory", "oscar", "peggy", "trudy")}
    with_function(students["mallory"], "activations", ATTACKING_RELU.format(
        other=str(root / "alice" / "linear_regression.py"), submissions=str(root),
        planted=str(out / "planted.txt"), results=str(out / "alice" / "results.json"),
        scratch=os.path.join(tempfile.gettempdir(), "autograder-class-*", "figures")))
    for name, line in (("oscar", "while True:\n    pass\n"),  # never finishes importing
                       ("peggy", "import os\nos._exit(3)\n"),
                       ("trudy", "hog = bytearray(64 * 2**30)\n")):
        path = students[name] / "linear_regression.py"
        path.write_text(path.read_text() + "\n" + line)
    return students


def row(report) -> dict[str, list[float]]:
    """A report as a class record holds it: points per function."""
    table: dict[str, list[float]] = {}
    for test in report.tests:
        earned, worth = table.get(f"{test.module}.{test.function}", [0.0, 0.0])
        table[f"{test.module}.{test.function}"] = [round(earned + test.score, 6),
                                                   round(worth + test.max_score, 6)]
    return table


def verdicts(tests: list[dict]) -> dict[str, str]:
    return {test["name"]: test["status"] for test in tests}


@pytest.fixture(scope="module")
def graded_class(tmp_path_factory):
    root = tmp_path_factory.mktemp("class")
    submissions, out = root / "submissions", root / "out"
    honest = honest_class(submissions)
    malicious = malicious_class(submissions, out)
    (submissions / "notes.txt").write_text("not a submission")
    # One assignment of the course: what a class run does does not depend on how many.
    run = grade_class(submissions, out=out, jobs=2, timeout=TIMEOUT, lang="en",
                      assignment=ASSIGNMENT)
    return run, {**honest, **malicious}, out


def test_every_student_equals_grade_alone_point_for_point(graded_class):
    run, students, out = graded_class
    records = {record.student: record for record in run.records}
    assert sorted(records) == sorted(students)
    for name, folder in students.items():
        # As the class run grades: the assignment's modules, a missing one counting 0.
        alone = grade(folder, timeout=TIMEOUT, lang="en", assignment=ASSIGNMENT)
        record = records[name]
        assert record.status == "graded", (name, record.status)
        assert (record.score, record.max_score) == (alone.score, alone.max_score), name
        assert record.functions == row(alone), name
        batch = json.loads((out / name / "results.json").read_text())
        assert verdicts(batch["tests"]) == verdicts(alone.to_gradescope()["tests"]), name
        assert [t["output"].split("\n\n")[0] for t in batch["tests"]] == \
            [t["output"].split("\n\n")[0] for t in alone.to_gradescope()["tests"]], name


def test_the_mistakes_are_diagnosed_and_counted_per_student(graded_class):
    run, _, out = graded_class
    records = {record.student: record for record in run.records}
    assert records["alice"].score == records["alice"].max_score == course_total()
    assert records["bob"].score == 0
    tanh = [sorted(m.students) for m in run.summary.mistakes if m.label == "activations.tanh"]
    assert ["carol", "ivan"] in tanh  # the same mistake: one entry, both ids
    assert all(("carol" in ids) == ("ivan" in ids) for ids in tanh)
    assert {m.key for m in records["frank"].mistakes} == {"missing_module"}
    assert any(m.label == "concise.py" and m.students == ("grace",)
               for m in run.summary.mistakes)
    for name, key in (("dave", "sgd"), ("erin", "softmax"), ("heidi", "accuracy")):
        assert {m.function for m in records[name].mistakes} == {key}, name
    markdown = (out / "class.md").read_text()
    assert "carol" in markdown and "ivan" in markdown and "notes.txt" in markdown


def test_the_stubs_are_counted_apart_and_every_id_opens_its_feedback_page(graded_class):
    run, students, out = graded_class
    records = {record.student: record for record in run.records}
    stubs = {f"{m.module}.{m.function}" for m in records["bob"].mistakes
             if m.key == "not_implemented"}
    assert stubs  # bob handed in the stubs, which raise NotImplementedError
    assert {f.label for f in run.summary.not_implemented if "bob" in f.students} == stubs
    assert not any(g.key == "not_implemented" for g in run.summary.mistakes)
    assert run.summary.unimplementing == 1
    page = HtmlPage((out / "class.html").read_text(encoding="utf-8"))
    links = {attributes["href"] for tag, attributes in page.tags if tag == "a"}
    assert links == {f"{student}/feedback.html" for student in students}
    assert all((out / link).is_file() for link in links)


def test_malicious_students_get_their_own_rows_and_touch_nobody_else(graded_class):
    run, _, out = graded_class
    records = {record.student: record for record in run.records}
    assert not (out / "planted.txt").exists()
    alice = json.loads((out / "alice" / "results.json").read_text())
    assert alice["score"] == records["alice"].score == course_total()
    relu = json.loads((out / "mallory" / "results.json").read_text())["tests"]
    printed = "\n".join(t["output"] for t in relu if "relu" in t["name"])
    for attack in ("read_other", "list_class", "write_out", "plant_figure",
                   "overwrite_results", "kill_grader", "kill_all"):
        assert f"ATTACK {attack} blocked" in printed, (attack, printed)
    assert {m.key for m in records["oscar"].mistakes} == {"import_timeout"}
    assert {m.key for m in records["peggy"].mistakes} == {"import_exit"}
    assert records["trudy"].modules["linear_regression"][0] == 0
    assert records["trudy"].modules["activations"] == [3, 3]


def test_grades_csv_has_a_row_per_student_with_points_per_function(graded_class):
    run, students, out = graded_class
    with open(out / "grades.csv", newline="", encoding="utf-8") as stream:
        rows = {r["student"]: r for r in csv.DictReader(stream)}
    assert sorted(rows) == sorted(students)
    for record in run.records:
        cells = rows[record.student]
        assert cells["status"] == "graded"
        assert float(cells["total"]) == record.score
        for function, (earned, _) in record.functions.items():
            assert float(cells[function]) == earned, (record.student, function)
    assert {path for path, _ in run.skipped} == {str(out.parent / "submissions" / "notes.txt")}


# -- resuming ----------------------------------------------------------------------------

def test_a_second_run_grades_only_what_changed(tmp_path):
    submissions, out = tmp_path / "submissions", tmp_path / "out"
    for name in ("ann", "ben", "cat"):
        copy_solutions(submissions / name)
    first = grade_class(submissions, out=out, device="cpu", assignment=ASSIGNMENT, lang="en")
    assert (first.graded, first.reused) == (3, 0)
    again = grade_class(submissions, out=out, device="cpu", assignment=ASSIGNMENT, lang="en")
    assert (again.graded, again.reused) == (0, 3)
    assert [r.to_dict() for r in again.records] == [r.to_dict() for r in first.records]
    with_function(submissions / "ben", "activations", TANH_HALF)
    changed = grade_class(submissions, out=out, device="cpu", assignment=ASSIGNMENT, lang="en")
    assert (changed.graded, changed.reused) == (1, 2)
    assert {r.student: r.score < r.max_score for r in changed.records} == \
        {"ann": False, "ben": True, "cat": False}
    other_options = grade_class(submissions, out=out, device="cpu",
                                assignment=ASSIGNMENT, lang="zh")
    assert other_options.graded == 3  # the language is part of what was graded
    forced = grade_class(submissions, out=out, device="cpu",
                         assignment=ASSIGNMENT, lang="zh", force=True)
    assert (forced.graded, forced.reused) == (3, 0)


def test_a_record_without_its_reports_is_graded_again(tmp_path):
    submissions, out = tmp_path / "submissions", tmp_path / "out"
    copy_solutions(submissions / "ann")
    grade_class(submissions, out=out, device="cpu", assignment=ASSIGNMENT, lang="en")
    (out / "ann" / "feedback.html").unlink()
    assert grade_class(submissions, out=out, device="cpu",
                       assignment=ASSIGNMENT, lang="en").graded == 1


# -- a grading process that dies ---------------------------------------------------------

def test_a_grading_process_killed_marks_only_its_student(tmp_path):
    submissions, out = tmp_path / "submissions", tmp_path / "out"
    for name in ("ann", "ben", "cat", "dan"):
        copy_solutions(submissions / name)
    killed: list[int] = []

    def kill_a_grader(done: int, total: int, record: StudentRecord | None) -> None:
        if record is not None and not killed:
            graders = _children(os.getpid())
            os.kill(graders[0], signal.SIGKILL)
            killed.append(graders[0])

    run = grade_class(submissions, out=out, device="cpu", assignment=ASSIGNMENT, lang="en", jobs=2,
                      progress=kill_a_grader)
    statuses = {r.student: r.status for r in run.records}
    errors = [name for name, status in statuses.items() if status != "graded"]
    assert len(errors) <= 1 and killed
    for name in errors:
        assert statuses[name] == "error: " + render("batch.grader_died", "en",
                                                    ending="SIGKILL")
    assert all(r.score == r.max_score > 0 for r in run.records if r.graded)
    assert grade_class(submissions, out=out, device="cpu",
                       assignment=ASSIGNMENT, lang="en").graded == len(errors)


def test_a_grading_process_that_dies_after_writing_a_record_leaves_the_row_s_verdict(
        tmp_path, monkeypatch):
    """It wrote the student's reports and record, then died before saying so: the folder
    holds the error its row shows, and the next run grades that student again."""
    import autograder.batch.runner as runner

    submissions, out = tmp_path / "submissions", tmp_path / "out"
    for name in ("ann", "ben"):
        copy_solutions(submissions / name)
    grade_student = runner.grade_student

    def die_after_ben(api, factory, job, settings, **options):  # in the grading process
        record = grade_student(api, factory, job, settings, **options)
        if job["student"] == "ben":
            os._exit(9)
        return record

    monkeypatch.setattr(runner, "grade_student", die_after_ben)
    run = grade_class(submissions, out=out, device="cpu", assignment=ASSIGNMENT, lang="en",
                      jobs=1)
    died = "error: " + render("batch.grader_died", "en", ending=9)
    assert {r.student: r.status for r in run.records} == {"ann": "graded", "ben": died}
    assert json.loads((out / "ben" / "record.json").read_text())["status"] == died
    assert not (out / "ben" / "feedback.html").exists()
    monkeypatch.setattr(runner, "grade_student", grade_student)
    again = grade_class(submissions, out=out, device="cpu", assignment=ASSIGNMENT, lang="en")
    assert (again.graded, again.reused) == (1, 1)
    assert {r.student: r.status for r in again.records} == {"ann": "graded", "ben": "graded"}


def test_a_grading_process_that_stops_answering_is_replaced(tmp_path, monkeypatch):
    import autograder.batch as batch

    # A grace long enough for a slow machine's first and last students; only the student
    # whose grading process is stopped gets a short one.
    monkeypatch.setattr(batch, "_GRACE_SECONDS", 600.0)
    submissions, out = tmp_path / "submissions", tmp_path / "out"
    for name in ("ann", "ben", "cat"):
        copy_solutions(submissions / name)
    stopped: list[int] = []

    def stop_the_grader(done: int, total: int, record: StudentRecord | None) -> None:
        if record is not None and not stopped:  # it is about to get its next student
            grader = _children(os.getpid())[0]
            os.kill(grader, signal.SIGSTOP)
            stopped.append(grader)
            monkeypatch.setattr(batch, "_GRACE_SECONDS", 1.0)
        elif record is not None and not record.graded:  # the stopped one was replaced
            monkeypatch.setattr(batch, "_GRACE_SECONDS", 600.0)

    run = grade_class(submissions, out=out, device="cpu",
                      assignment=ASSIGNMENT, lang="en", jobs=1, deadline=3,
                      progress=stop_the_grader)
    statuses = [r.status for r in run.records]
    assert statuses[0] == "graded" and stopped
    assert statuses[1].startswith("error: " + render("batch.grader_stuck", "en",
                                                     seconds=4).split(" 4 ")[0])
    assert statuses[2] == "graded"  # a fresh grading process took the rest


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry))
    return sorted(found)


# -- the command line --------------------------------------------------------------------

def run_batch(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "autograder.instructor", "batch", *args],
                          capture_output=True, text=True, timeout=300,
                          env=env or {**os.environ, "LANG": "C.UTF-8", "NO_COLOR": "1"})


def test_the_command_prints_progress_lines_and_what_it_wrote(tmp_path):
    submissions, out = tmp_path / "submissions", tmp_path / "out"
    for name in ("ann", "ben"):
        copy_solutions(submissions / name)
    with_function(submissions / "ben", "activations", TANH_HALF)
    (submissions / "readme.txt").write_text("hello")
    done = run_batch(str(submissions), "--out", str(out), "--device", "cpu", "--lang", "en")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("graded ") and " of 2 students" in lines[0]
    assert any(line.startswith("skipped ") and "readme.txt" in line for line in lines)
    assert any(line.startswith("Most common mistake: activations.tanh, 1 of 2") for line in lines)
    assert lines[-1].startswith("Written: ") and str(out / "grades.csv") in lines[-1]
    for name in ("grades.csv", "class.html", "class.md", "ann/results.json",
                 "ann/feedback.html", "ann/feedback.txt", "ben/results.json"):
        assert (out / name).is_file(), name


@pytest.mark.parametrize("args, part", [
    (["-j", "0"], "-j 0: the number of students graded at once must be a whole number"),
    (["--sandbox", "sometimes"], "--sandbox sometimes: choose auto, strict or off"),
    (["--timeout", "-1"], "--timeout -1:"),
    (["--device", "gpu"], "--device gpu: choose cpu, cuda, placement or all"),
])
def test_bad_options_are_refused_on_one_line(tmp_path, args, part):
    copy_solutions(tmp_path / "submissions" / "ann")
    done = run_batch(str(tmp_path / "submissions"), "--out", str(tmp_path / "out"), *args)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and part in done.stderr, done.stderr
    assert not (tmp_path / "out").exists()


def test_a_missing_folder_is_refused_on_one_line(tmp_path):
    done = run_batch(str(tmp_path / "nowhere"), "--out", str(tmp_path / "out"))
    assert done.returncode == 2 and done.stderr.count("\n") == 1, done.stderr
    assert "nowhere" in done.stderr


def test_an_out_that_is_a_file_is_refused_on_one_line(tmp_path):
    copy_solutions(tmp_path / "submissions" / "ann")
    (tmp_path / "out").write_text("")
    done = run_batch(str(tmp_path / "submissions"), "--out", str(tmp_path / "out"))
    assert done.returncode == 2 and done.stderr.count("\n") == 1, done.stderr
    assert "EEXIST: the class's results cannot be written there" in done.stderr


def test_a_terminal_gets_a_progress_bar(tmp_path):
    submissions, out = tmp_path / "submissions", tmp_path / "out"
    for name in ("ann", "ben"):
        copy_solutions(submissions / name)
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    code, shown = in_terminal([sys.executable, "-m", "autograder.instructor", "batch",
                               str(submissions), "--out", str(out), "--device", "cpu",
                               "--lang", "en"], env={**env, "TERM": "xterm"})
    assert code == 0, shown
    assert render("batch.run.bar", "en") in shown and "2/2" in shown
    assert "\x1b[" in shown  # drawn in place, in colour
    assert "graded 1 of 2" not in shown  # the bar, not the lines of a log


def test_the_columns_read_from_the_class_are_the_suites_own(graded_class):
    from autograder.batch import _columns

    run, _, _ = graded_class
    from autograder import registry

    modules = registry.assignments()[ASSIGNMENT]
    from_class, from_suites = _columns("all", run.records, modules), _columns("all", [], modules)
    assert list(from_class.items()) == list(from_suites.items())
    assert [list(f) for f in from_class.values()] == [list(f) for f in from_suites.values()]


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (Debian: apt-get "
                    "install chromium), so the page could not be rendered in a real browser")
def test_chromium_renders_the_class_page(graded_class, tmp_path):
    _, _, out = graded_class
    colours = screenshot_colours(out / "class.html", tmp_path)
    assert len(colours) > 20, "the screenshot is blank"
    blue = sum(count for count, (r, g, b) in colours  # the histogram's bars
               if abs(r - 0x1f) < 12 and abs(g - 0x77) < 12 and abs(b - 0xb4) < 12)
    assert blue > 1000, "no histogram was drawn"


def test_the_class_run_never_loads_the_grading_side_it_forks_graders_from(tmp_path):
    """The grading processes, and the zygote factories forked from them, start as copies
    of the class run's process: whenever one may be forked (before the first student,
    after each), it holds no suite, reference or check."""
    copy_solutions(tmp_path / "submissions" / "ann")
    copy_solutions(tmp_path / "submissions" / "ben")
    code = textwrap.dedent(f"""
        import sys
        from autograder.batch import grade_class
        grading_side = ("autograder.reference", "autograder.checks", "autograder.plugin",
                        "test_", "pytest")
        seen = set()
        def look(done, total, record):
            seen.update(m for m in sys.modules if m.startswith(grading_side))
        grade_class({str(tmp_path / 'submissions')!r}, out={str(tmp_path / 'out')!r},
                    device="cpu", lang="en", jobs=1, progress=look)
        print(sorted(seen))
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"
    assert json.loads((tmp_path / "out" / "ben" / "record.json").read_text())["score"] > 0


def test_strict_refuses_the_class_with_one_line_when_a_layer_is_missing(tmp_path):
    from autograder.sandbox import SIMULATE_FAILURE_VARIABLE

    copy_solutions(tmp_path / "submissions" / "ann")
    done = run_batch(str(tmp_path / "submissions"), "--out", str(tmp_path / "out"),
                     "--sandbox", "strict", "--device", "cpu", "--lang", "en",
                     env={**os.environ, "LANG": "C.UTF-8", SIMULATE_FAILURE_VARIABLE: "net"})
    assert done.returncode == 3, done.stderr
    assert done.stderr.strip() == render("sandbox.refused", "en",
                                         layer=render("sandbox.layer.net", "en"),
                                         reason=SIMULATE_FAILURE_VARIABLE)
    assert not (tmp_path / "out" / "grades.csv").exists()


def course_total() -> float:
    """The assignment's points, every module and device counted: computed from the suites."""
    from autograder import registry
    from autograder.course import points_by_function

    modules = registry.assignments()[ASSIGNMENT]
    return pytest.approx(sum(points.points for module, functions
                             in points_by_function("all").items() if module in modules
                             for points in functions.values()))

