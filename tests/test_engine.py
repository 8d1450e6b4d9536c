"""The grading engine end to end: scores, devices, reports and the command line."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import defaultdict

import pytest
import torch

from autograder.api import cuda_available, grade
from autograder.submission import NotASubmission
from tests.helpers import ASSIGNMENTS, MODULES, SOLUTIONS, messages, mistake

AVAILABLE_DEVICES = ["cpu", "cuda"] if cuda_available() else ["cpu", "placement"]


@pytest.fixture(scope="module")
def solutions_report():
    return grade(SOLUTIONS)


@pytest.fixture(scope="module")
def assignments_report():
    return grade(ASSIGNMENTS)


def test_solutions_get_full_marks_on_each_available_device(solutions_report):
    report = solutions_report
    assert report.max_score > 0
    assert report.score == report.max_score, messages(report)
    ran = {t.device for t in report.tests if t.status == "passed"}
    assert ran == set(AVAILABLE_DEVICES)
    assert {t.module for t in report.tests} == set(MODULES)


def test_assignments_get_zero_and_each_function_is_not_implemented(assignments_report):
    report = assignments_report
    assert report.score == 0
    assert report.max_score == pytest.approx(grade(SOLUTIONS, device="all").max_score)
    for test in report.tests:
        if test.status != "skipped":
            assert test.message.endswith("is not implemented yet (it raises NotImplementedError).")


def test_without_a_gpu_cuda_is_skipped_and_the_scale_is_unchanged(solutions_report):
    """Each test's points are shared by the devices it ran on, whichever those are."""
    by_check = defaultdict(list)
    for test in solutions_report.tests:
        by_check[(test.module, test.check)].append(test)
    for rows in by_check.values():
        assert sum(t.max_score for t in rows) == pytest.approx(rows[0].points)
    if not cuda_available():
        cuda = [t for t in solutions_report.tests if t.device == "cuda"]
        assert cuda and all(t.status == "skipped" and t.max_score == 0 for t in cuda)
        assert all(t.message == "skipped: no CUDA device" for t in cuda)
        # Never run, each is reported in its place: a module's CPU tests, then CUDA's,
        # then the simulated GPU's, each in the suite's order.
        rank = {"cpu": 0, "cuda": 1, "placement": 2}
        for module in MODULES:
            devices = [rank[t.device] for t in solutions_report.tests if t.module == module]
            assert devices == sorted(devices), module


def test_cpu_only_keeps_the_numeric_tests_scale(solutions_report):
    cpu = grade(SOLUTIONS, device="cpu")
    numeric = {(t.module, t.check) for t in cpu.tests}
    expected = sum(t.max_score for t in solutions_report.tests
                   if (t.module, t.check) in numeric)
    assert cpu.max_score == pytest.approx(expected)


def test_every_test_carries_points_visibility_and_tags(solutions_report):
    for test in solutions_report.tests:
        assert test.points > 0
        assert test.visibility in ("public", "hidden")
        assert test.tags == [test.module, test.function, test.device]
        assert test.device in ("cpu", "cuda", "placement")


def test_gradescope_results_json(tmp_path, solutions_report):
    path = tmp_path / "results.json"
    solutions_report.write_json(str(path))
    results = json.loads(path.read_text())
    assert results["score"] == results["max_score"] == solutions_report.max_score
    assert results["execution_time"] > 0
    ran = [t for t in solutions_report.tests if t.status != "skipped"]
    assert len(results["tests"]) == len(ran)
    for i, test in enumerate(results["tests"], start=1):
        assert set(test) == {"name", "number", "score", "max_score", "status", "output",
                             "output_format", "tags", "visibility"}
        assert test["number"] == str(i)
        assert test["status"] == "passed"
        assert test["visibility"] == "visible"
    assert sum(t["score"] for t in results["tests"]) == pytest.approx(results["score"])


def test_text_report_has_a_row_per_function_and_the_total(assignments_report):
    text = assignments_report.render_text()
    assert "linear_regression.py" in text
    for function in ("data_iter", "linreg", "squared_loss", "sgd", "train_epoch"):
        assert f"  {function} " in text
    assert "sgd is not implemented yet" in text
    assert text.rstrip().endswith("(0.0%)")
    positions = [text.index(f"{module}.py\n") for module in MODULES]
    assert positions == sorted(positions), "modules in the book's order"


def test_chinese_table_columns_line_up():
    lines = grade(SOLUTIONS, only="sgd", device="cpu", lang="zh").render_text().splitlines()
    header, row = lines[1], lines[2]

    def columns(text: str) -> int:
        return sum(2 if "\u4e00" <= c <= "\u9fff" else 1 for c in text)

    assert columns(header) == columns(row) and row.endswith("通过")
    assert columns(header[:header.index("得分") + 2]) == columns(row[:row.index("2/2") + 3])


def test_only_selects_a_module_or_a_function():
    assert {t.function for t in grade(SOLUTIONS, only="sgd").tests} == {"sgd"}
    assert {t.module for t in grade(SOLUTIONS, only="linear_regression").tests} \
        == {"linear_regression"}


def test_public_runs_only_public_tests(solutions_report):
    public = grade(SOLUTIONS, public_only=True)
    assert public.tests and all(t.visibility == "public" for t in public.tests)
    assert len(public.tests) < len(solutions_report.tests)


def test_feedback_in_chinese(assignments_report):
    report = grade(ASSIGNMENTS, only="sgd", lang="zh")
    assert "sgd 还没有实现" in messages(report)
    assert "总分" in report.render_text()


@pytest.mark.parametrize("make", [
    lambda tmp: tmp / "nowhere",
    lambda tmp: tmp,
    lambda tmp: (tmp / "notes.txt").write_text("hi") and tmp / "notes.txt",
], ids=["missing", "empty-folder", "a-file"])
def test_a_path_that_is_no_submission_is_refused(tmp_path, make):
    with pytest.raises(NotASubmission):
        grade(make(tmp_path))


# -- the command line ----------------------------------------------------------------------


def run_grade(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "autograder.cli", *args],
                          capture_output=True, text=True, timeout=120)


def test_cli_prints_the_table_and_writes_json(tmp_path):
    folder = mistake(tmp_path, "linear_regression", """
        def sgd(params, lr, batch_size):
            with torch.no_grad():
                for param in params:
                    param -= lr * param.grad
    """)
    result = run_grade(str(folder), "--only", "linear_regression", "--json",
                       str(tmp_path / "r.json"), "--fail-under", "50")
    assert result.returncode == 0, result.stderr
    assert "The step is batch_size times too large" in result.stdout
    assert "Total:" in result.stdout.splitlines()[-1]
    results = json.loads((tmp_path / "r.json").read_text())
    assert 0 < results["score"] < results["max_score"]


def test_cli_fail_under_exits_1_below_the_threshold():
    result = run_grade(str(ASSIGNMENTS), "--only", "linreg", "--device", "cpu",
                       "--fail-under", "50", "--lang", "en")
    assert result.returncode == 1
    assert "linreg is not implemented yet" in result.stdout
    assert result.stderr == "score 0.0% is below --fail-under 50\n"


def test_cli_exits_2_with_one_line_for_no_submission(tmp_path):
    result = run_grade(str(tmp_path / "nowhere"))
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and "no such file or folder" in result.stderr


def test_a_library_frame_under_the_working_folder_is_not_the_students(monkeypatch):
    # In the sandbox the working folder is /tmp, where a virtual environment may lie too
    # (a CI checkout under /tmp): torch's own frames must not be named as the student's line.
    import os

    import torch

    from autograder import harness

    workdir = os.path.dirname(sys.prefix)  # holds the environment, and so torch
    monkeypatch.setattr(harness, "WORKDIR", workdir)
    student = compile("torch.nn.Linear(2, 1)(torch.zeros(3))\n",
                      os.path.join(workdir, "student.py"), "exec")
    try:
        exec(student, {"torch": torch})  # raises inside torch/nn/modules/linear.py
    except RuntimeError as error:
        where = harness.describe_error(error)["where"]
    assert where is not None and where["file"] == "student.py", where


def test_the_graders_own_frame_under_the_working_folder_is_not_the_students(monkeypatch):
    # A source checkout under /tmp (CI's): an error the worker's own code raises for the
    # student's call (the simulated GPU's) names the student's line, not the package's.
    import os

    import torch

    from autograder import harness, placement

    workdir = os.path.dirname(os.path.dirname(os.path.abspath(harness.__file__)))
    monkeypatch.setattr(harness, "WORKDIR", workdir)
    student = compile("x = placement.to_gpu(torch.ones(2))\nx + torch.ones(2)\n",
                      os.path.join(workdir, "student.py"), "exec")
    try:
        with placement.simulated_gpu():
            exec(student, {"torch": torch, "placement": placement})
    except RuntimeError as error:
        where = harness.describe_error(error)["where"]
    assert where is not None and where["file"] == "student.py" and where["line"] == 2, where


@pytest.mark.parametrize("shape, wrong", [((2, 3, 4), (1, 2, 0)), ((5,), (3,)), ((), ())])
def test_a_wrong_value_is_found_at_its_index(shape, wrong):
    """The diagnosis names the element that differs most, by its index in the tensor."""
    import torch

    from autograder.checks import expect_close
    from autograder.messages import Diagnosis, Phrase

    expected = torch.arange(float(torch.Size(shape).numel())).reshape(shape)
    actual = expected.clone()
    actual[wrong] += 5.0
    if len(shape) > 1:
        actual[0, 0, 1] += 1.0  # a smaller difference elsewhere
    with pytest.raises(Diagnosis) as caught:
        expect_close(actual, expected, what=Phrase("what.return_value"))
    params = caught.value.params
    assert caught.value.key == "wrong_values"
    assert params["index"] == list(wrong)
    assert params["mismatched"] == (2 if len(shape) > 1 else 1)
    assert params["total"] == expected.numel() and params["max_abs"] == 5.0
    assert (params["actual"], params["expected"]) == (float(actual[wrong]),
                                                      float(expected[wrong]))


RANDOM_DRAWS = """
import random

import numpy
import torch


def draws():
    return [torch.rand(3).tolist(), torch.randint(0, 100, (2,)).tolist(), random.random(),
            float(numpy.random.rand())]
"""


def test_every_call_into_student_code_starts_from_the_seeded_random_state(tmp_path):
    """Two calls draw the same numbers, the ones torch.manual_seed(seed) and the seeded
    random and numpy give here: a result can be reproduced, and compared."""
    import random

    import numpy
    import torch

    from autograder.pool import WorkerPool

    (tmp_path / "draws.py").write_text(RANDOM_DRAWS)
    request = {"module": "draws", "procedure": "call", "seed": 7,
               "arguments": {"function": "draws", "args": [], "kwargs": {}}}
    with WorkerPool(str(tmp_path)) as pool:
        first, second = (pool.request(request, timeout=30).body["result"]["value"]
                         for _ in range(2))
    torch.manual_seed(7)
    random.seed(7)
    numpy.random.seed(7)
    here = [torch.rand(3).tolist(), torch.randint(0, 100, (2,)).tolist(), random.random(),
            float(numpy.random.rand())]
    assert first == second == here


# -- the book's collaborators ---------------------------------------------------------------


def test_a_test_with_collaborators_runs_after_every_test_of_them():
    from autograder.plugin import book_phases

    tests = [("Conv2D", ("corr2d",)), ("corr2d", ()), ("multi_in_out", ("multi_in",)),
             ("multi_in", ("corr2d",)), ("corr2d", ()), ("pool2d", ())]
    phases = book_phases(tests)
    for (_, collaborators), phase in zip(tests, phases):
        for collaborator in collaborators:
            assert all(phase > p for (f, _), p in zip(tests, phases) if f == collaborator)
    assert phases == [1, 0, 2, 1, 0, 0]


def test_collaborators_that_go_round_in_a_circle_are_refused():
    from autograder.plugin import book_phases

    with pytest.raises(ValueError, match="depend on each other"):
        book_phases([("a", ("b",)), ("b", ("a",))])


def test_the_book_code_holds_the_functions_asked_and_nothing_else_of_the_reference():
    from autograder import registry

    code = registry.book_code("cnn", ("corr2d",))
    assert "def corr2d(" in code and "import torch" in code
    assert "def corr2d_multi_in(" not in code and "def pool2d(" not in code
    from autograder.harness import book_functions

    book = book_functions(code)
    X, K = torch.arange(9.0).reshape(3, 3), torch.tensor([[1.0, -1.0]])
    torch.testing.assert_close(book["corr2d"](X, K), registry.reference("cnn").corr2d(X, K))
    with pytest.raises(KeyError):
        registry.book_code("cnn", ("no_such_function",))


def test_a_test_may_not_send_book_code_it_did_not_declare():
    from autograder.checks import Student

    class Session:
        book_allowed = frozenset({"corr2d"})

    student = Student(Session(), "cnn")
    assert "def corr2d(" in student._book_code(["corr2d"])
    with pytest.raises(RuntimeError, match="without declaring"):
        student._book_code(["corr2d", "corr2d_multi_in"])
    Session.book_allowed = None  # the pictures, after every test of the module
    assert "def corr2d_multi_in(" in student._book_code(["corr2d", "corr2d_multi_in"])


def test_the_report_keeps_the_suites_order_whatever_order_the_tests_ran_in():
    from autograder import registry

    report = grade(SOLUTIONS, only="cnn", device="cpu")
    order = list(dict.fromkeys(t.function for t in report.tests))
    assert order == registry.exercise("cnn").functions


# -- one pytest session for many submissions (a class run's grading process) ----------

SESSION_MODULES = ("activations", "gated_rnn", "linear_regression")
PRINTING_WRONG_SIGMOID = """
def sigmoid(X):
    print("sigmoid sees", tuple(X.shape))
    return 1 / (1 + torch.exp(X))
"""


def _submission(folder, source_folder, replace=None):
    import shutil

    folder.mkdir()
    for module in SESSION_MODULES:
        shutil.copy(source_folder / f"{module}.py", folder)
    if replace:
        from tests.helpers import with_function

        for module, source in replace:
            with_function(folder, module, source)
    return folder


def _verdicts(report):
    return [(t.name, t.device, t.status, t.message, t.output, t.notes, t.score)
            for t in report.tests]


def test_one_session_grades_each_submission_as_a_session_of_its_own(tmp_path):
    """Graded one after another in one SuiteSession (the suites collected once), each
    submission gets the verdicts, messages, printed output and notes that a grading of
    its own gives it: nothing of one reaches the next. A grading with other settings in
    the session runs in a session of its own."""
    from autograder.plugin import SuiteSession
    from tests.test_diagnoses_gated_rnn import COURSE_GRU

    folders = [
        _submission(tmp_path / "book", SOLUTIONS),
        _submission(tmp_path / "course_gru_printing", SOLUTIONS,
                    [("gated_rnn", COURSE_GRU), ("activations", PRINTING_WRONG_SIGMOID)]),
        _submission(tmp_path / "stubs", ASSIGNMENTS),
        _submission(tmp_path / "book_again", SOLUTIONS),
    ]
    alone = [grade(folder) for folder in folders]
    alone_in_chinese = grade(folders[1], lang="zh")
    suites = SuiteSession()
    together = []

    def grade_all():
        together.extend(grade(folder, suites=suites) for folder in folders)
        together.append(grade(folders[1], lang="zh", suites=suites))

    suites.serve(grade_all)
    assert suites.collections == 1
    for own, shared in zip([*alone, alone_in_chinese], together):
        assert _verdicts(shared) == _verdicts(own)
        assert shared.score == own.score
    # The submissions differ where they should, so that the comparison means something.
    printed = [t.output for t in together[1].tests if t.function == "sigmoid"]
    assert any("sigmoid sees" in output for output in printed)
    assert not any(t.output for t in together[3].tests)
    assert together[0].score == together[0].max_score > together[1].score > together[2].score
    notes = {note for report in together[:2] for t in report.tests for note in t.notes}
    assert len(notes) >= 2  # the book's GRU and the course notebook's


def test_what_the_session_s_body_raises_is_raised_by_serve():
    from autograder.plugin import SuiteSession

    def body():
        raise ValueError("from the body")

    with pytest.raises(ValueError, match="from the body"):
        SuiteSession().serve(body)


def test_after_a_grading_that_broke_off_the_next_is_graded_in_a_session_of_its_own(
        tmp_path, monkeypatch):
    """A grading that stopped in the middle of the tests (here the grader's own failure)
    may leave tests set up: the submissions after it are graded each in a session of
    their own, as right as ever."""
    from autograder.plugin import GradingPlugin, SuiteSession

    folder = _submission(tmp_path / "book", SOLUTIONS)
    alone = grade(folder, device="cpu")
    result = GradingPlugin._result

    def fails_once(self, *args, **kwargs):
        monkeypatch.setattr(GradingPlugin, "_result", result)
        raise RuntimeError("the grader's own failure")

    monkeypatch.setattr(GradingPlugin, "_result", fails_once)
    suites = SuiteSession()
    after = []

    def grade_twice():
        with pytest.raises(RuntimeError, match="the grader's own failure"):
            grade(folder, device="cpu", suites=suites)
        after.append(grade(folder, device="cpu", suites=suites))

    suites.serve(grade_twice)
    assert _verdicts(after[0]) == _verdicts(alone)
    assert after[0].score == after[0].max_score
