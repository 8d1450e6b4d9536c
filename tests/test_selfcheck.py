"""`from autograder import check; check("sgd")`: grading from a learner's own notebook."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys

import pytest

from autograder.api import BadOption
from autograder.selfcheck import check, without_checks
from tests.helpers import SOLUTIONS, mistake
from tests.test_linear_regression import SGD_NOT_DIVIDED, SGD_REBINDS

MODULE = SOLUTIONS / "linear_regression.py"

# A Jupyter kernel's shell: runs each cell as a notebook does and says how each
# check() result is shown (Jupyter's text and HTML), and which grader modules it imported.
KERNEL_SCRIPT = r'''
import json, sys
from IPython.core.interactiveshell import InteractiveShell
from autograder.selfcheck import Checked

shell = InteractiveShell.instance()
shown = []
for cell in json.loads(sys.stdin.read()):
    result = shell.run_cell(cell, store_history=True)
    if isinstance(result.result, Checked):
        formats, _ = shell.display_formatter.format(result.result)
        shown.append({"score": result.result.score, "max": result.result.max_score,
                      "passed": result.result.passed, **formats})
# The suites' package lists their files (the names check() knows); no suite is imported.
grader_side = sorted(m for m in sys.modules if m.startswith(
    ("autograder.reference", "autograder.exercises.", "autograder.checks", "autograder.api",
     "autograder.plugin", "autograder.harness", "pytest")))
print("RESULTS " + json.dumps({"shown": shown, "grader_side": grader_side}))
'''


def reference_sgd() -> str:
    source = MODULE.read_text()
    node = next(n for n in ast.parse(source).body if getattr(n, "name", None) == "sgd")
    return ast.get_source_segment(source, node)


def test_check_in_a_kernel_grades_the_function_as_the_kernel_has_it():
    pytest.importorskip("IPython", reason="IPython comes with nbgrader: pip install .[nbgrader]")
    cells = ["import torch\nfrom collections.abc import Sequence",
             SGD_NOT_DIVIDED,
             "from autograder import check\ncheck('sgd', device='cpu')",
             reference_sgd(),  # fixed, as a learner does after reading the diagnosis
             "check('sgd', device='cpu')",
             # Defined and checked in one cell, naming the mistake only.
             f"{SGD_REBINDS}\ncheck(\n    'sgd',\n    device='cpu', hints='name')"]
    done = subprocess.run([sys.executable, "-c", KERNEL_SCRIPT], input=json.dumps(cells),
                          capture_output=True, text=True, timeout=300, cwd=SOLUTIONS.parent)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.split("RESULTS ", 1)[1])
    wrong, right, named = result["shown"]
    assert wrong["max"] > 0 and wrong["score"] < wrong["max"] and not wrong["passed"]
    for shown in (wrong["text/plain"], wrong["text/html"]):
        assert "The step is batch_size times too large: divide the gradient" in shown
        assert "Public checks of sgd" in shown
    assert right["score"] == right["max"] > 0 and right["passed"]
    assert "What to fix" not in right["text/plain"]
    assert "sgd did not change the caller&#x27;s tensors." in named["text/html"]
    assert "param -= lr * param.grad / batch_size" not in named["text/plain"]
    assert result["grader_side"] == []  # the kernel never held a suite or the reference


def test_check_grades_source_or_a_file_outside_a_notebook(tmp_path):
    mistaken = (mistake(tmp_path, "linear_regression", SGD_NOT_DIVIDED)
                / "linear_regression.py").read_text()
    wrong = check("sgd", source=mistaken, device="cpu", lang="zh")
    assert not wrong.passed and "更新步长大了 batch_size 倍" in str(wrong)
    right = check("linear_regression.squared_loss", path=MODULE, device="cpu", hidden=True)
    assert right.passed and right.hidden
    everything = right.max_score
    public = check("squared_loss", path=MODULE, device="cpu")
    assert public.passed and 0 < public.max_score < everything  # the hidden ones are more
    assert str(right).endswith(
        f"Every check of squared_loss: {everything:g}/{everything:g} points.")


def test_check_outside_a_notebook_without_code_says_what_to_pass(monkeypatch):
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    monkeypatch.delenv("LANGUAGE", raising=False)
    with pytest.raises(RuntimeError, match=r"check\(name, source=\.\.\.\)"):
        check("sgd")
    with pytest.raises(RuntimeError, match="笔记本内核"):  # in the language it was asked in
        check("sgd", lang="zh")


def test_check_refuses_an_unknown_name_as_grade_does():
    with pytest.raises(BadOption, match=r"did you mean sgd\?"):
        check("sgdd", source="")
    with pytest.raises(BadOption):
        check("softmax_regression.sgd", source="")


def test_the_graded_cells_leave_out_their_own_checks_line_for_line():
    cell = ("import autograder\nfrom autograder import check\nx = 1\n"
            "result = check(\n    'sgd')\nautograder.check('sgd')\n%matplotlib inline\n"
            "def check_me():\n    check('sgd')\n")
    kept = without_checks(cell)
    assert kept.splitlines() == [
        "pass  # import autograder", "pass  # from autograder import check", "x = 1",
        "pass  # result = check(", "", "pass  # autograder.check('sgd')",
        "pass  # %matplotlib inline", "def check_me():", "    check('sgd')"]
    assert without_checks("def f(:\n") == "def f(:\n"  # its own error is reported later


def test_grade_does_not_import_the_notebook_check():
    done = subprocess.run([sys.executable, "-c", "import autograder.cli, sys; "
                           "print('autograder.selfcheck' in sys.modules)"],
                          capture_output=True, text=True, timeout=60,
                          env={**os.environ, "PYTHONPATH": str(SOLUTIONS.parent)})
    assert done.stdout.strip() == "False", done.stderr
