"""Notebooks without nbgrader: `grade` on a folder of notebooks, the course notebooks that
`autograder nbgrader init` writes, the grading service and a test cell in a kernel."""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import string
import subprocess
import sys
import tempfile
import textwrap
from collections import defaultdict
from pathlib import Path

import pytest

from autograder.api import grade
from autograder.cli import grade_main
from autograder.course import build_course, check_cell_source, points_by_function
from autograder.instructor import main as autograder_main
from autograder.ipynb import TEST_CELL_MARK
from autograder.submission import NotASubmission, find_submission
from tests.helpers import MODULES, SOLUTIONS, copy_solutions, messages
from tests.notebook_helpers import (
    answered,
    english_words,
    identifiers,
    nbgrader_meta,
    prose_of,
    read,
    released,
    source_notebook,
    write,
)

MODULE = "linear_regression"
SGD_STEP = "param -= lr * param.grad / batch_size"


def code_cell(source: str, **nbgrader) -> dict:
    metadata = {"nbgrader": {"grade_id": "x", "schema_version": 3, **nbgrader}} \
        if nbgrader else {}
    return {"cell_type": "code", "metadata": metadata, "outputs": [],
            "execution_count": None, "source": source}


def notebook(*cells: dict) -> dict:
    return {"cells": list(cells), "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


def staged_cells(folder: Path, module: str = MODULE) -> str:
    """The code of the cells a notebook submission stages for `module`, joined."""
    workdir = Path(find_submission(folder).stage())
    try:
        assert (workdir / f"{module}.py").is_file()
        cells = sorted((workdir / f"{module}.ipynb").glob("*.py"),
                       key=lambda p: int(p.stem.split("_")[-1]))
        return "\n".join(p.read_text() for p in cells)
    finally:
        shutil.rmtree(workdir)


# -- grade on notebooks ------------------------------------------------------------------


def test_staging_keeps_the_code_cells_and_drops_test_cells_and_magics(tmp_path):
    linreg = "def linreg(X, w, b):\n    return X @ w + b\n"
    folder = tmp_path / "submitted" / "alice" / MODULE
    write(notebook(
        code_cell("%matplotlib inline\nimport torch"),
        {"cell_type": "markdown", "metadata": {}, "source": "def not_code(): pass"},
        code_cell(["!pip install nothing\n", linreg]),  # sources may be lists of lines
        code_cell("raise SystemExit('a test cell never reaches the module')",
                  grade=True, solution=False, points=1),
        code_cell(f"from {TEST_CELL_MARK} import Check\nraise SystemExit('nor does this')"),
        code_cell("%%bash\necho a cell magic is no Python"),
        code_cell("for i in range(2):\n    %time pass\nlinreg?"),
    ), folder / f"{MODULE}.ipynb")
    (folder / f"{MODULE}.py").write_text("raise SystemExit('the notebook wins')\n")
    (folder / "timestamp.txt").write_text("2024-01-15 10:00:00.000000 UTC")

    submission = find_submission(folder)
    assert submission.modules == [MODULE]
    assert submission.assignment == MODULE  # an nbgrader assignment folder
    source = staged_cells(folder)
    ast.parse(source)
    assert "def linreg" in source and "import torch" in source
    assert "SystemExit" not in source and "echo" not in source and "not_code" not in source
    report = grade(folder, only=f"{MODULE}.linreg", device="cpu")
    assert report.max_score > 0 and report.score == report.max_score, messages(report)


def test_a_notebook_graded_by_grade_gets_the_marks_of_its_code(tmp_path):
    source = source_notebook(MODULE)
    folder = tmp_path / "student"
    # A student's folder of nbgrader assignments: <student>/<assignment>/<assignment>.ipynb
    write(answered(released(source), source, change=("sgd", SGD_STEP, "param -= lr * param.grad")),
          folder / MODULE / f"{MODULE}.ipynb")
    assert find_submission(folder).assignment is None
    report = grade(folder, only=MODULE)
    by_function = defaultdict(float)
    for test in report.tests:
        by_function[test.function] += test.score
    assert by_function["sgd"] == 0
    assert "batch_size times too large" in messages(report, "sgd")
    assert report.score == report.max_score - 2


def test_cells_run_as_in_a_notebook_a_failing_cell_stops_only_itself(tmp_path):
    source = source_notebook(MODULE)
    broken = answered(released(source), source,
                      change=("sgd", "with torch.no_grad():", "with torch.no_grad()"))
    # The sgd cell does not compile, train_epoch's cell fails at its def, and a scratch
    # cell at the end raises: in a kernel, each of these stops only itself.
    for cell in broken["cells"]:
        if nbgrader_meta(cell).get("grade_id") == "train_epoch":
            cell["source"] = cell["source"].replace("def train_epoch(",
                                                    "@undefined_decorator\ndef train_epoch(")
    broken["cells"].append(code_cell("linreg(no_such_variable)"))
    write(broken, tmp_path / f"{MODULE}.ipynb")
    report = grade(tmp_path, only=MODULE, device="cpu")
    lost = {t.function for t in report.tests if t.status == "failed"}
    assert lost == {"sgd", "train_epoch"}
    sgd = messages(report, "sgd")
    assert "SyntaxError" in sgd and "with torch.no_grad()" in sgd and "cell_" in sgd
    assert "undefined_decorator" in messages(report, "train_epoch")


LOOP = ("sgd", "def sgd(", "while True:  # an experiment that never ends\n    pass\n\n\ndef sgd(")


def test_a_cell_that_runs_past_its_time_stops_alone(tmp_path):
    source = source_notebook(MODULE)
    write(answered(released(source), source, change=LOOP), tmp_path / f"{MODULE}.ipynb")
    report = grade(tmp_path, only=MODULE, device="cpu")
    lost = {t.function for t in report.tests if t.status == "failed"}
    assert lost == {"sgd"}  # the loop comes before its def; the later cells still ran
    sgd = messages(report, "sgd")
    assert "ran past its time limit" in sgd and "while True" in sgd, sgd
    assert f"{MODULE}.ipynb/cell_" in sgd  # the cell, named as the notebook numbers it
    zh = messages(grade(tmp_path, only=f"{MODULE}.sgd", device="cpu", lang="zh"), "sgd")
    assert "运行超时" in zh and f"{MODULE}.ipynb/cell_" in zh, zh


def test_what_is_not_a_notebook_submission(tmp_path):
    (tmp_path / "notes.ipynb").write_text("{}")
    with pytest.raises(NotASubmission):
        find_submission(tmp_path)
    (tmp_path / f"{MODULE}.ipynb").write_text("this is no JSON")
    report = grade(tmp_path, only=MODULE, device="cpu")
    assert report.score == 0
    assert f"{MODULE}.ipynb is not a notebook: it is not valid JSON (line 1, column 1)" \
        in messages(report)


# -- what a notebook may be and hold ----------------------------------------------------

def cell_json(source) -> dict:
    return {"cell_type": "code", "metadata": {}, "outputs": [], "source": source}


MALFORMED = {
    "cells not a list": (b'{"cells": 5}', "notebook.not_a_list", "cells is not a list"),
    "not an object": (b"[1, 2]", "notebook.not_an_object", "notebook is not a JSON object"),
    "a cell not an object": (b'{"cells": [{"cell_type": "code", "source": ""}, 5]}',
                             "notebook.not_an_object", "cells[1] is not a JSON object"),
    "source a number": (json.dumps({"cells": [cell_json(5)]}).encode(), "notebook.not_text",
                        "cells[0].source is neither text nor a list of lines of text"),
    "a line not text": (json.dumps({"cells": [cell_json(["x = 1\n", 2])]}).encode(),
                        "notebook.not_text",
                        "cells[0].source is neither text nor a list of lines of text"),
    "a lone surrogate": (b'{"cells": [{"cell_type": "code", "source": "x = \\ud800"}]}',
                         "notebook.not_text",
                         "cells[0].source is neither text nor a list of lines of text"),
    "worksheets not a list": (b'{"worksheets": {}}', "notebook.not_a_list",
                              "worksheets is not a list"),
    "lists 100,000 deep": (b"[" * 100_000 + b"]" * 100_000, "notebook.too_deep",
                           "its JSON is nested too deeply to be read"),
    "objects 100,000 deep": (b'{"cells": ' * 100_000 + b"[]" + b"}" * 100_000,
                             "notebook.too_deep", "its JSON is nested too deeply to be read"),
    "invalid UTF-8": (b'{"cells": []}\xff', "notebook.not_utf8",
                      "it is not UTF-8 text (byte 13)"),
    "truncated": (b'{"cells": [{"cell_type": "co', "notebook.not_json",
                  "it is not valid JSON (line 1, column 26)"),
    "empty": (b"", "notebook.not_json", "it is not valid JSON (line 1, column 1)"),
    "a number of 5,000 digits": (b'{"cells": [], "x": ' + b"1" * 5000 + b"}",
                                 "notebook.number_too_long",
                                 "it holds a number too long to be read"),
}


def test_a_cells_nbgrader_metadata_of_any_shape_is_read(tmp_path):
    cell = {**cell_json("def relu(X):\n    return X\n"), "metadata": {"nbgrader": "yes"}}
    (tmp_path / f"{MODULE}.ipynb").write_text(json.dumps({"cells": [cell]}))
    submission = find_submission(tmp_path)
    assert f"{MODULE}.py" in submission.plan() and submission.refused == {}


def test_folders_too_deep_are_not_entered_and_said_so(tmp_path):
    deep = tmp_path.joinpath(*["d"] * 40)
    deep.mkdir(parents=True)
    (deep / "helper.py").write_text("x = 1\n")
    (tmp_path / "linear_regression.py").write_text("x = 1\n")
    submission = find_submission(tmp_path)
    planned = submission.plan()
    assert list(planned) == ["linear_regression.py"]
    folder = "/".join(["d"] * 17)
    assert [n.render("en") for n in submission.notes] == [
        f"{folder} was not entered: folders more than 16 levels down are not graded."]


@pytest.mark.parametrize("data, key, reason", MALFORMED.values(), ids=list(MALFORMED))
def test_a_malformed_notebook_is_refused_with_one_line(tmp_path, data, key, reason):
    (tmp_path / f"{MODULE}.ipynb").write_bytes(data)
    submission = find_submission(tmp_path)
    assert submission.plan() == {}
    refused = submission.refused[f"{MODULE}.py"]
    assert refused.key == "robustness.not_a_notebook" and refused.params["reason"].key == key
    assert refused.render("en") == f"{MODULE}.ipynb is not a notebook: {reason}. " \
                                   "It was not graded."
    assert refused.render("zh").startswith(f"{MODULE}.ipynb 不是笔记本文件：")


@pytest.fixture
def private_tmp(tmp_path, monkeypatch) -> Path:
    """A TMPDIR of the test's own, empty, which staging and grading write under."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setenv("TMPDIR", str(folder))
    monkeypatch.setattr(tempfile, "tempdir", None)  # read TMPDIR again
    return folder


def test_grade_on_malformed_notebooks_writes_a_complete_report_and_leaves_nothing(
        tmp_path, private_tmp, capsys):
    folder = tmp_path / "student"
    folder.mkdir()
    (folder / "linear_regression.ipynb").write_text('{"cells": 5}')
    (folder / "softmax_regression.ipynb").write_bytes(b"[" * 100_000 + b"]" * 100_000)
    results = tmp_path / "results.json"
    assert grade_main([str(folder), "--device", "cpu", "--lang", "en",
                       "--json", str(results)]) == 0
    tests = json.loads(results.read_text())["tests"]
    by_module = defaultdict(set)
    for test in tests:
        by_module[test["name"].split(".")[0]].add(test["output"])
    assert by_module["linear_regression"] == {
        "linear_regression.ipynb is not a notebook: cells is not a list. It was not graded."}
    assert by_module["softmax_regression"] == {
        "softmax_regression.ipynb is not a notebook: its JSON is nested too deeply to be "
        "read. It was not graded."}
    # The modules it holds are graded; the others are not handed in, and not counted.
    assert set(by_module) == {"linear_regression", "softmax_regression"}
    assert "Traceback" not in capsys.readouterr().err
    assert os.listdir(private_tmp) == []


def many_cells(count: int, source: str = "x = 1") -> dict:
    return notebook(*(code_cell(source) for _ in range(count)))


def test_notebooks_share_the_cell_limit(tmp_path):
    from autograder.submission import MAX_CELLS

    write(many_cells(MAX_CELLS), tmp_path / f"{MODULE}.ipynb")
    submission = find_submission(tmp_path)
    files = submission.plan()
    assert submission.refused == {}
    assert len([f for f in files if f.startswith(f"{MODULE}.ipynb/")]) == MAX_CELLS
    write(many_cells(1), tmp_path / "softmax_regression.ipynb")  # one more, in another
    submission = find_submission(tmp_path)
    submission.plan()
    assert submission.refused["softmax_regression.py"].key == "robustness.too_many_cells"
    assert str(submission.refused["softmax_regression.py"]) == (
        f"softmax_regression.ipynb has 1 code cells; a submission may have at most "
        f"{MAX_CELLS} in all. It was not graded.")


def test_notebooks_over_the_limits_are_refused_and_the_rest_graded(tmp_path, private_tmp):
    from autograder.submission import MAX_CELLS

    folder = copy_solutions(tmp_path / "student")
    for module in MODULES[:3]:
        (folder / f"{module}.py").unlink()
    # 17,000 one-line cells: a file each would take more than the private /tmp's inodes.
    write(many_cells(17_000), folder / "linear_regression.ipynb")
    # 300 MB (sparse): refused by its size, never read.
    with open(folder / "softmax_regression.ipynb", "wb") as stream:
        stream.truncate(300 * 2**20)
    # 12 MB of code in four cells of 3 MB: over the 10 MB a submission may stage in all.
    write(many_cells(4, "#" * (3 * 2**20)), folder / "activations.ipynb")
    report = grade(folder, device="cpu", lang="en")
    lines = defaultdict(set)
    for test in report.tests:
        lines[test.module].add(test.message if test.status == "failed" else "passed")
    assert lines["linear_regression"] == {
        f"linear_regression.ipynb has 17000 code cells; a submission may have at most "
        f"{MAX_CELLS} in all. It was not graded."}
    assert lines["softmax_regression"] == {
        "softmax_regression.ipynb is 300 MB; the limit is 16 MB. It was not graded."}
    assert lines["activations"] == {
        "activations.ipynb holds 12 MB of code; a submission may hold at most 10 MB in all "
        "and 4 MB in one cell. It was not graded."}
    assert lines["language_model"] == lines["concise"] == {"passed"}
    assert os.listdir(private_tmp) == []
    zh = find_submission(folder)
    zh.plan()
    assert zh.refused["linear_regression.py"].render("zh") == (
        f"linear_regression.ipynb 有 17000 个代码单元格，而一份提交总共最多只能有 {MAX_CELLS} "
        "个，未予评分。")


# -- the course --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    root = tmp_path_factory.mktemp("course")
    assert autograder_main(["nbgrader", "init", str(root), "--course-id", "d2l-test",
                            "--timeout", "120"]) == 0
    return root


def test_init_writes_a_course_and_keeps_what_exists(course, capsys):
    config = (course / "nbgrader_config.py").read_text()
    assert 'c.CourseDirectory.course_id = "d2l-test"' in config.replace("'", '"')
    assert "c.Execute.timeout = 120\n" in config  # nbgrader wants whole seconds
    assert 'c.Execute.kernel_name = "python3"' in config
    assert "c.IgnorePattern.enabled = True" in config
    # Feedback is nbgrader's own: its NbGraderPreprocessor classes there log warnings.
    assert "GenerateFeedback.preprocessors" not in config
    compile(config, "nbgrader_config.py", "exec")
    for module in MODULES:
        assert (course / "source" / module / f"{module}.ipynb").is_file()
    assert autograder_main(["nbgrader", "init", str(course)]) == 2
    assert "--force" in capsys.readouterr().err
    with pytest.raises(ValueError):
        build_course(course / "other", modules=["no_such_module"])


def test_each_test_cell_is_worth_what_grade_gives_its_function(course):
    report = grade(SOLUTIONS)
    worth = defaultdict(float)
    for test in report.tests:
        worth[(test.module, test.function)] += test.max_score
    cells = {}
    for module in MODULES:
        nb = read(course / "source" / module / f"{module}.ipynb")
        ids = [nbgrader_meta(c)["grade_id"] for c in nb["cells"] if nbgrader_meta(c)]
        assert len(ids) == len(set(ids))
        for cell in nb["cells"]:
            meta = nbgrader_meta(cell)
            if meta.get("grade"):
                assert meta["locked"] and not meta["solution"]
                source = cell["source"]
                # What the release holds, so that autograde finds the checksum unchanged.
                assert "### " not in source and ".score()" in source.splitlines()[-1]
                function = meta["grade_id"].removeprefix("test_")
                cells[(module, function)] = meta["points"]
            elif meta.get("solution"):
                assert "### BEGIN SOLUTION" in cell["source"]
                assert "### END SOLUTION" in cell["source"]
    assert cells == pytest.approx(dict(worth))
    # The same on any machine: "all" counts every test, whichever device it runs on.
    points = points_by_function("all")
    assert {(m, f): p.points for m, fs in points.items() for f, p in fs.items()} \
        == pytest.approx(dict(worth))


def test_notebooks_teach_the_why(course):
    text = {m: "\n".join(c["source"] for c in read(course / "source" / m / f"{m}.ipynb")
                         ["cells"] if c["cell_type"] == "markdown") for m in MODULES}
    assert "Why divide by `batch_size`?" in text["linear_regression"]
    assert "Why sum the loss before `backward()`?" in text["linear_regression"]
    assert "instead of squared error" in text["softmax_regression"]
    assert "Args:" in text["linear_regression"]  # each function's contract


def test_source_notebooks_get_full_marks_and_releases_zero(course, tmp_path):
    for module in MODULES:
        nb = read(course / "source" / module / f"{module}.ipynb")
        write(nb, tmp_path / "source" / module / f"{module}.ipynb")
        write(released(nb), tmp_path / "release" / module / f"{module}.ipynb")
    full = grade(tmp_path / "source")
    assert full.max_score > 0 and full.score == full.max_score, messages(full)
    zero = grade(tmp_path / "release")
    assert zero.score == 0 and zero.max_score == full.max_score
    for test in zero.tests:
        if test.status == "failed":
            assert "not implemented yet" in test.message, test.message


def test_the_course_section_of_the_catalogue_has_no_english_in_chinese():
    from autograder.messages import COURSE, render

    known = identifiers()
    for key, entry in COURSE.items():
        names = {name for _, name, _, _ in string.Formatter().parse(entry["zh"]) if name}
        text = render(key, "zh", **{name: 1 for name in names})
        assert english_words(text, known) == [], key


def without_docstrings(tree: ast.Module) -> ast.Module:
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and ast.get_docstring(node):
            node.body = node.body[1:]
    return tree


def test_a_chinese_course_has_no_english_prose_and_grades_the_same(tmp_path):
    assert autograder_main(["nbgrader", "init", str(tmp_path / "zh"), "--lang", "zh"]) == 0
    known = identifiers()
    for module in MODULES:
        source = read(tmp_path / "zh" / "source" / module / f"{module}.ipynb")
        prose = prose_of(source)
        assert re.search(r"[\u4e00-\u9fff]", prose)
        assert english_words(prose, known) == [], module
        assert "lang='zh'" in "".join(c["source"] for c in source["cells"])
        # The same code as the English notebook: signatures, solutions, the contract in
        # Chinese where the stub has its docstring.
        code, english = ("\n".join(c["source"] for c in nb["cells"] if c["cell_type"] == "code"
                                   and not nbgrader_meta(c).get("grade"))
                         for nb in (source, source_notebook(module)))
        assert ast.dump(without_docstrings(ast.parse(code))) \
            == ast.dump(without_docstrings(ast.parse(english))), module
    # The English course passes the same words, so the test can tell the two apart.
    english = prose_of(source_notebook(MODULE))
    assert len(english_words(english, known)) > 100
    # The same code as the English course: a Chinese notebook grades the same.
    notebook = read(tmp_path / "zh" / "source" / MODULE / f"{MODULE}.ipynb")
    write(answered(released(notebook), notebook, change=("sgd", SGD_STEP,
                                                          "param -= lr * param.grad")),
          tmp_path / "student" / f"{MODULE}.ipynb")
    report = grade(tmp_path / "student", only=MODULE, device="cpu", lang="zh")
    assert report.score == report.max_score - 2
    assert {t.function for t in report.tests if t.status == "failed"} == {"sgd"}
    with pytest.raises(ValueError):
        build_course(tmp_path / "fr", lang="fr")


# -- the grading service and a test cell -------------------------------------------------


def test_the_service_grades_each_request_and_survives_bad_ones():
    solution = (SOLUTIONS / f"{MODULE}.py").read_text()
    requests = [
        {"id": 1, "module": MODULE, "function": "sgd", "source": solution, "device": "cpu"},
        {"id": 2, "module": MODULE, "function": "sgd", "device": "cpu",
         "source": solution.replace(SGD_STEP, "param -= lr * param.grad")},
        {"id": 3, "module": MODULE, "function": "linreg", "device": "cpu", "timeout": 1,
         "source": "def linreg(X, w, b):\n    while True:\n        pass\n"},
        "this line is no JSON",
        {"id": 5, "module": MODULE, "function": "sgd", "source": solution, "device": "cpu",
         "public_only": True},
    ]
    lines = "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in requests)
    done = subprocess.run([sys.executable, "-m", "autograder.service"], input=lines,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    answers = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(answers) == len(requests)
    full, wrong, loop, garbled, public = answers
    assert full["status"] == "ok" and full["score"] == full["max_score"] == 2
    assert wrong["score"] == 0 and "batch_size times too large" in wrong["text"]
    assert loop["score"] == 0 and "timed out" in loop["text"]
    assert garbled["status"] == "error"
    assert public["status"] == "ok" and public["id"] == 5


KERNEL_SCRIPT = r'''
import json, sys
from IPython.core.interactiveshell import InteractiveShell

shell = InteractiveShell.instance()
cells = json.loads(sys.stdin.read())
results = []
for cell in cells:
    result = shell.run_cell(cell, store_history=True)
    results.append(result.result if isinstance(result.result, float) else None)
grader_side = sorted(m for m in sys.modules if m.startswith(
    ("autograder.reference", "autograder.exercises", "autograder.checks", "autograder.api",
     "autograder.plugin", "pytest")))
print("RESULTS " + json.dumps({"scores": results, "grader_side": grader_side}))
'''


def test_a_test_cell_grades_the_code_the_kernel_ran():
    pytest.importorskip("IPython", reason="IPython comes with nbgrader: pip install .[nbgrader]")
    source = {nbgrader_meta(c).get("grade_id"): c["source"]
              for c in source_notebook(MODULE)["cells"]}
    sgd = source["sgd"]
    check = check_cell_source(MODULE, "sgd", 2.0, device="cpu", call_timeout=5.0)
    # Every check runs under `nbgrader autograde`, which says so in the environment; a
    # student running the same cell gets the public ones.
    public = 'import os; del os.environ["NBGRADER_EXECUTION"]'
    cells = [source["imports"], sgd.replace(SGD_STEP, "param -= lr * param.grad"), check,
             "sgd(undefined)", sgd, check, public, check]
    done = subprocess.run([sys.executable, "-c", KERNEL_SCRIPT], input=json.dumps(cells),
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "NBGRADER_EXECUTION": "autograde"})
    assert done.returncode == 0, done.stderr
    out = done.stdout
    result = json.loads(out.split("RESULTS ", 1)[1])
    # The wrong sgd, then (defined again, as a student fixing it does) the right one.
    # A cell that failed in the kernel (the 4th) is no reason to fail the others.
    assert result["scores"][2] == 0.0 and result["scores"][5] == 2.0
    assert result["scores"][7] == 2.0  # the public checks only, as a student's run
    assert "batch_size times too large" in out and "sgd: 0/2 points" in out
    assert "Public checks of sgd" in out
    assert result["grader_side"] == []  # the kernel never held a suite or a reference
    assert "Traceback" not in done.stderr


def test_points_never_exceed_the_cell_even_with_rounding():
    from autograder.notebook import _clamp

    assert _clamp(2.0000000001, 2.0) == 2.0
    assert _clamp(-1e-12, 2.0) == 0.0
    assert isinstance(_clamp(1, 2.0), float)


def test_the_generated_module_keeps_the_stub_contract():
    nb = source_notebook(MODULE)
    code = "\n".join(c["source"] for c in nb["cells"]
                     if c["cell_type"] == "code" and not nbgrader_meta(c).get("grade"))
    tree = ast.parse(code)
    names = [n.name for n in tree.body if isinstance(n, ast.FunctionDef)]
    assert names == ["data_iter", "linreg", "squared_loss", "sgd", "train_epoch"]
    stub = ast.parse((SOLUTIONS.parent / "assignments" / f"{MODULE}.py").read_text())
    for node in stub.body:
        if isinstance(node, ast.FunctionDef):
            mine = next(n for n in tree.body if getattr(n, "name", None) == node.name)
            assert ast.get_docstring(mine) == ast.get_docstring(node)
            assert ast.dump(mine.args) == ast.dump(node.args)
    assert textwrap.dedent("""\
        ### BEGIN SOLUTION""") in code
