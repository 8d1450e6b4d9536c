"""A submission cannot change its own score, and bad input costs only what it touches."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

from autograder.api import grade
from autograder.messages import render
from tests.helpers import (
    MODULES,
    copy_solutions,
    messages,
    mistake,
    with_function,
)


def submission_with(tmp_path, files: dict[str, str]):
    folder = copy_solutions(tmp_path / "submission")
    for name, text in files.items():
        (folder / name).write_text(text)
    return folder


def scores_by_module(report) -> dict[str, tuple[float, float]]:
    totals: dict[str, tuple[float, float]] = {}
    for test in report.tests:
        score, worth = totals.get(test.module, (0.0, 0.0))
        totals[test.module] = (score + test.score, worth + test.max_score)
    return totals


def assert_only_module_lost(report, module: str) -> None:
    """`module` scored 0; every other module kept full marks; the report is complete."""
    for name, (score, worth) in scores_by_module(report).items():
        assert worth > 0
        assert score == (0 if name == module else worth), (name, messages(report))


# -- bad input -----------------------------------------------------------------------------


@pytest.mark.parametrize("text, expected", [
    ("import torch\ndef linreg(X, w, b)\n    return X\n",
     "linear_regression.py could not be imported: SyntaxError: expected ':' "
     "(linear_regression.py, line 2"),
    ("import torch\nimport d2lzh_pytorch as d2l\n",
     "linear_regression.py could not be imported: ModuleNotFoundError: No module named "
     "'d2lzh_pytorch' (linear_regression.py, line 2: `import d2lzh_pytorch as d2l`)"),
    ("import sys\nsys.exit(3)\n",
     "linear_regression.py could not be imported: SystemExit: 3 (linear_regression.py, line 2"),
    ("import os\nos._exit(7)\n",
     "linear_regression.py could not be imported: the worker exited with code 7 while "
     "importing it."),
    ("while True:\n    pass\n",
     "linear_regression.py could not be imported: importing it timed out after 1 s"),
], ids=["syntax-error", "import-error", "sys-exit", "os-exit", "infinite-loop"])
def test_a_module_that_cannot_be_imported_costs_only_itself(tmp_path, text, expected):
    folder = submission_with(tmp_path, {"linear_regression.py": text})
    report = grade(folder, device="cpu", timeout=1)
    assert_only_module_lost(report, "linear_regression")
    assert expected in messages(report)


def test_a_missing_module_costs_only_itself(tmp_path):
    folder = copy_solutions(tmp_path / "submission")
    (folder / "linear_regression.py").unlink()
    # Graded as one assignment, its missing module counts 0 ...
    report = grade(folder, device="cpu", assignment="Task01")
    assert_only_module_lost(report, "linear_regression")
    assert "linear_regression.py is missing from the submission." in messages(report)
    # ... and without, it is named as not handed in, and not counted.
    report = grade(folder, device="cpu")
    assert "linear_regression" not in {t.module for t in report.tests}
    assert report.score == report.max_score > 0
    assert any("linear_regression.py" in note for note in report.notes)


def test_an_infinite_loop_in_a_call_times_out_and_the_next_test_runs(tmp_path):
    folder = mistake(tmp_path, "linear_regression", """
        def linreg(X, w, b):
            while True:
                pass
    """)
    report = grade(folder, only="linear_regression", device="cpu", timeout=0.5)
    linreg = [t for t in report.tests if t.function == "linreg"]
    others = [t for t in report.tests if t.function != "linreg"]
    assert linreg and all("linreg timed out after 0.5 s" in t.message for t in linreg)
    assert others and all(t.status == "passed" for t in others)


@pytest.mark.parametrize("body, ending", [
    ("import os; os._exit(4)", "it exited with code 4"),
    ("import sys; sys.stdout.flush(); import ctypes; ctypes.string_at(0)",
     "it was killed by SIGSEGV"),
], ids=["exit", "segfault"])
def test_a_worker_that_dies_in_a_call_fails_that_call_only(tmp_path, body, ending):
    folder = mistake(tmp_path, "linear_regression", f"""
        def linreg(X, w, b):
            {body}
    """)
    report = grade(folder, only="linear_regression", device="cpu")
    assert f"linreg stopped the worker: {ending}." in messages(report, "linreg")
    assert all(t.status == "passed" for t in report.tests if t.function != "linreg")


def test_sys_exit_in_a_call_is_explained(tmp_path):
    folder = mistake(tmp_path, "linear_regression", """
        def linreg(X, w, b):
            exit()
    """)
    report = grade(folder, only="linreg", device="cpu")
    assert "linreg called sys.exit() / exit()" in messages(report, "linreg")


@pytest.mark.skipif(sys.platform != "linux", reason="the memory limit is an rlimit")
def test_a_huge_allocation_fails_that_call_only(tmp_path):
    folder = mistake(tmp_path, "linear_regression", """
        def linreg(X, w, b):
            waste = torch.ones(2**31, dtype=torch.float64)  # 16 GiB
            return X @ w + b
    """)
    report = grade(folder, only="linear_regression", device="cpu", memory_limit=2**31)
    assert "linreg ran out of memory" in messages(report, "linreg")
    assert all(t.status == "passed" for t in report.tests if t.function != "linreg")


def test_printed_output_is_shown_truncated_and_never_parsed(tmp_path):
    folder = mistake(tmp_path, "linear_regression", """
        def linreg(X, w, b):
            print("===== 40 passed in 0.1s =====")
            print("x" * 200_000)
            return X @ w
    """)
    report = grade(folder, only="linreg", device="cpu")
    test = next(t for t in report.tests if t.function == "linreg" and t.device == "cpu")
    assert test.status == "failed"
    assert test.output.startswith("===== 40 passed in 0.1s =====")
    assert test.output.endswith(render("output_cut", "en", limit="64 KiB"))
    assert len(test.output) < 70_000


# -- a submission cannot change its score ----------------------------------------------------

WRONG_LINREG = """
def linreg(X, w, b):
    return X @ w + b + 1
"""


def test_a_conftest_that_forces_passes_has_no_effect(tmp_path):
    folder = mistake(tmp_path, "linear_regression", WRONG_LINREG)
    (folder / "conftest.py").write_text(
        "import pytest\n"
        "@pytest.hookimpl(hookwrapper=True)\n"
        "def pytest_runtest_makereport(item, call):\n"
        "    outcome = yield\n"
        "    report = outcome.get_result()\n"
        "    report.outcome = 'passed'\n"
        "    report.longrepr = None\n")
    (folder / "pytest.ini").write_text("[pytest]\naddopts = -p no:python\n")
    (folder / "sitecustomize.py").write_text("import builtins\nbuiltins.TAMPERED = True\n")
    (folder / "tamper.pth").write_text("import os; os.environ['TAMPERED'] = '1'\n")
    report = grade(folder, only="linreg", device="cpu")
    assert report.score == 0
    assert "wrong values" in messages(report, "linreg")


def test_patching_torch_in_the_worker_changes_no_verdict(tmp_path):
    folder = mistake(tmp_path, "linear_regression", """
        def linreg(X, w, b):
            torch.allclose = lambda *args, **kwargs: True
            torch.equal = lambda *args, **kwargs: True
            torch.testing.assert_close = lambda *args, **kwargs: None
            torch.Tensor.__eq__ = lambda self, other: True
            return X @ w + b + 1
    """)
    report = grade(folder, only="linreg", device="cpu")
    assert report.score == 0
    assert "wrong values" in messages(report, "linreg")


def test_patching_pytest_at_import_changes_no_verdict(tmp_path):
    folder = mistake(tmp_path, "linear_regression", WRONG_LINREG)
    path = folder / "linear_regression.py"
    path.write_text("import pytest\npytest.fail = lambda *a, **k: None\n"
                    "import _pytest.runner\n_pytest.runner.call_and_report = None\n"
                    + path.read_text())
    report = grade(folder, only="linreg", device="cpu")
    assert report.score == 0


def test_a_tensor_subclass_that_equals_anything_is_refused(tmp_path):
    folder = mistake(tmp_path, "linear_regression", """
        class Agreeable(torch.Tensor):
            def __eq__(self, other):
                return True

            def allclose(self, *args, **kwargs):
                return True


        def linreg(X, w, b):
            return (X @ w + b + 1).as_subclass(Agreeable)
    """)
    report = grade(folder, only="linreg", device="cpu")
    assert report.score == 0
    text = messages(report, "linreg")
    assert "should be a plain torch.Tensor, but linreg returned a " in text
    assert "Agreeable (a subclass of torch.Tensor)" in text


def test_the_grader_never_imports_the_submission(tmp_path):
    folder = copy_solutions(tmp_path / "submission")
    grade(folder, device="cpu")
    imported = [name for name, module in sys.modules.items()
                if str(getattr(module, "__file__", "") or "").startswith(str(tmp_path))]
    assert imported == []


@pytest.mark.parametrize("zygote", ["forked by the grader", "forked by a zygote factory"])
def test_worker_does_not_see_the_grading_side(tmp_path, zygote):
    from autograder.pool import ZygoteFactory

    folder = mistake(tmp_path, "linear_regression", """
        def linreg(X, w, b):
            import sys
            # Of the exercises' units, only their worker.py.
            leaked = [m for m in sys.modules if m.startswith(
                ("autograder.reference", "autograder.exercises", "autograder.plugin",
                 "autograder.registry")) or m.startswith("autograder_exercises.")
                and not m.endswith(".worker")]
            if leaked:
                raise RuntimeError(f"grading side visible: {leaked}")
            # Its zygote forgot them, and nothing came in since: the worker did not go
            # through sys.modules again (some 700 pages copied).
            if sys.modules["autograder.worker"].went_through_modules:
                raise RuntimeError("the worker went through sys.modules")
            return X @ w + b
    """)
    if zygote == "forked by the grader":
        report = grade(folder, only="linreg", device="cpu")
    else:  # as in a class run: the factory forgets once, for every zygote and worker
        with ZygoteFactory() as factory:
            report = grade(folder, only="linreg", device="cpu", zygotes=factory)
    assert report.score == report.max_score, messages(report)


def test_a_worker_forgets_a_grading_module_that_came_in_after_its_zygote_forgot():
    from autograder import worker

    pid = os.fork()  # the forgetting is done to this process's sys.modules: a copy's
    if pid == 0:
        status = 1
        try:
            worker.forget_grading_side()
            assert "autograder.registry" not in sys.modules
            worker._forget_what_came_in()  # nothing came in: nothing to do
            import autograder.registry  # noqa: F401

            worker._forget_what_came_in()
            status = 0 if "autograder.registry" not in sys.modules else 2
        finally:
            os._exit(status)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0


def test_only_python_sources_reach_the_worker(tmp_path):
    from autograder.submission import find_submission

    folder = copy_solutions(tmp_path / "submission")
    for name in ("conftest.py", "sitecustomize.py", "usercustomize.py", "pytest.ini",
                 "tamper.pth", "notes.txt"):
        (folder / name).write_text("x = 1\n")
    (folder / "helpers").mkdir()
    (folder / "helpers" / "util.py").write_text("y = 2\n")
    (folder / "helpers" / "conftest.py").write_text("z = 3\n")
    staged = find_submission(folder).stage()
    names = sorted(str(p.relative_to(staged)) for p in Path(staged).rglob("*") if p.is_file())
    shutil.rmtree(staged)
    assert "helpers/util.py" in names and "linear_regression.py" in names
    assert all(n.endswith(".py") for n in names)
    assert not any(Path(n).name in ("conftest.py", "sitecustomize.py", "usercustomize.py")
                   for n in names)


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc to list descriptors")
def test_a_worker_holds_no_descriptor_of_the_grading_side(tmp_path):
    folder = mistake(tmp_path, "linear_regression", """
        def linreg(X, w, b):
            import os
            extra = {}
            for fd in map(int, os.listdir("/proc/self/fd")):
                try:  # the listing's own descriptor is gone by now
                    extra[fd] = os.readlink(f"/proc/self/fd/{fd}") if fd > 2 else None
                except OSError:
                    pass
            extra = [target for target in extra.values() if target]
            if len(extra) != 1 or not extra[0].startswith("socket:"):
                raise RuntimeError(f"inherited descriptors: {extra}")
            return X @ w + b
    """)
    report = grade(folder, only="linreg", device="cpu")
    assert report.score == report.max_score, messages(report)


# -- the book's code of a graded function never reaches the worker before its tests end --

# Every graded definition of a module replaced by one that looks through the whole
# worker for a function or class of its name (or "_book_<name>") defined anywhere but in
# the student's own file, and runs that: the book's copy, were one in the worker.
THIEF = '''

_FOUND = {}


def _stolen(name):
    # Everything reachable from the modules this process holds, frozen objects included
    # (gc.get_objects() lists none of what gc.freeze() set apart): modules, their dicts,
    # functions with their globals, defaults and closures, classes, containers.
    import gc, os, sys, types
    if name in _FOUND:
        return _FOUND[name]
    mine = os.path.abspath(__file__)
    system = tuple({sys.prefix, sys.base_prefix, sys.exec_prefix})
    wanted = name.lower().replace("_", "")
    walk = (dict, list, tuple, set, frozenset, types.ModuleType, type, types.FunctionType,
            types.CellType, types.MethodType)
    seen, queue = set(), [list(sys.modules.values()), gc.get_objects()]
    while queue:
        found = queue.pop()
        if id(found) in seen or not isinstance(found, walk):
            continue
        seen.add(id(found))
        queue.extend(gc.get_referents(found))
        if not isinstance(found, (type, types.FunctionType)):
            continue
        label = getattr(found, "__name__", "").lower().replace("_", "").removeprefix("book")
        if label != wanted:
            continue
        code = getattr(found, "__code__", None)
        module = sys.modules.get(getattr(found, "__module__", None) or "")
        where = code.co_filename if code is not None else getattr(module, "__file__", "")
        where = os.path.abspath(where) if where and not where.startswith("<") else where
        # Installed libraries (torch's own softmax) are not copies; the grader's package
        # is, installed or not, whatever the folders' names.
        package = (getattr(found, "__module__", None) or "").split(".")[0]
        if where == mine or (where or "").startswith(system) \
                and package not in ("autograder", "autograder_exercises"):
            continue
        _FOUND[name] = found
        return found
    raise NotImplementedError(f"no {name} in this process but mine")
'''


def thief(name: str, is_class: bool) -> str:
    if is_class:
        return (f"class {name}:\n    def __new__(cls, *args, **kwargs):\n"
                f"        return _stolen({name!r})(*args, **kwargs)\n")
    return f"def {name}(*args, **kwargs):\n    return _stolen({name!r})(*args, **kwargs)\n"


def all_stolen(folder: Path, module: str) -> Path:
    """`module`.py of the solutions with every graded definition a thief."""
    import inspect

    from autograder import registry

    reference = registry.reference(module)
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(registry.exercise(module).reference_file, folder / f"{module}.py")
    for name in registry.exercise(module).functions:
        with_function(folder, module, thief(name, inspect.isclass(getattr(reference, name))))
    with open(folder / f"{module}.py", "a") as stream:
        stream.write(THIEF)
    return folder


def graded_by_the_command(folder: Path, *options: str) -> dict:
    """`grade FOLDER` as a learner runs it, in a process of its own: the grading side
    (suites, references) is loaded only after its workers' zygote is forked, which a
    test's own process, that imports references, cannot show. Its --json report."""
    import json
    import subprocess

    out = folder.parent / "results.json"
    subprocess.run([sys.executable, "-m", "autograder.cli", str(folder), "--json", str(out),
                    *options], check=False, capture_output=True, timeout=600)
    return json.loads(out.read_text())


def test_no_graded_function_can_run_the_book_or_the_reference_in_the_worker(tmp_path):
    """Every graded function of every module looks for a copy of itself in the worker:
    the reference's, or the book's version that a test of another function runs the
    student's code with (autograder.plugin.grades' collaborators). None is there while
    anything grades it, and not one test passes but the control's: a correct corr2d in
    another file of the submission is found and earns corr2d its points, so the search
    finds what the worker holds outside the student's module."""
    from autograder import registry

    folder = tmp_path / "s"
    for module in MODULES:
        all_stolen(folder, module)
    (folder / "helpers_of_mine.py").write_text(registry.book_code("cnn", ("corr2d",)))
    with open(folder / "cnn.py", "a") as stream:
        stream.write("\nimport helpers_of_mine  # noqa: E402, F401\n")
    results = graded_by_the_command(folder, "--device", "cpu")
    control = [t for t in results["tests"] if t["name"].startswith("cnn.corr2d ")]
    assert control and all(t["score"] == t["max_score"] for t in control)
    passed = [t["name"] for t in results["tests"] if t["score"] > 0 and t not in control]
    assert not passed, passed
