"""Limits on the whole submission: each one hit is named in the diagnosis."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

from autograder.api import grade
from autograder.messages import render
from autograder.sandbox.limits import FILE_SIZE_LIMIT, OPEN_FILES_LIMIT, TASK_LIMIT, size_text
from autograder.sandbox.namespaces import DEFAULT_DISK_LIMIT

from .helpers import ROOT, copy_solutions, failures, with_function

CORRECT_RELU = "torch.where(X > 0, X, torch.zeros_like(X))"

# relu, its three children and itself each hold 450 MB at once: 1.8 GB in all, under
# 1.5 GiB per process but over 1.5 GiB together.
GREEDY_FAMILY = f"""
def relu(X):
    import os, time
    children = []
    for _ in range(3):
        pid = os.fork()
        if pid == 0:
            hold = torch.ones(450 * 2**20 // 4)
            time.sleep(3)
            os._exit(0)
        children.append(pid)
    hold = torch.ones(450 * 2**20 // 4)
    for pid in children:
        os.waitpid(pid, 0)
    return {CORRECT_RELU}
"""
FAMILY_LIMIT = 3 * 2**29  # 1.5 GiB


def test_the_memory_of_a_worker_and_its_children_is_bounded_as_a_whole(tmp_path):
    folder = with_function(copy_solutions(tmp_path / "s"), "activations", GREEDY_FAMILY)
    failed, _ = family_graded(folder, sandbox="auto")
    ending = render("ending_limit.memory", "en", limit=size_text(FAMILY_LIMIT))
    assert ending == ("was stopped because your code, with the processes it started, used "
                      "more than 1.5 GiB of memory")
    assert all(render("crashed", "en", function="relu", ending=ending) == message
               for message in failed.values()), failed
    assert failed


def test_without_the_sandbox_the_same_family_is_not_bounded(tmp_path):
    """The control: each process stays under its own limit, so nothing stops them."""
    folder = with_function(copy_solutions(tmp_path / "s"), "activations", GREEDY_FAMILY)
    failed, graded = family_graded(folder, sandbox="off")
    assert graded and not failed, failed


def family_graded(folder, *, sandbox: str) -> tuple[dict[str, str], int]:
    """GREEDY_FAMILY graded by a fresh interpreter, whose workers start as small as a
    `grade` command's (this process has grown with the tests before this one, and a
    worker's address space starts as large as the process its zygote was forked from).
    The failed checks and their messages, and how many checks ran."""
    code = textwrap.dedent(f"""
        import json
        from autograder.api import grade
        report = grade({str(folder)!r}, device="cpu", only="relu", timeout=60,
                       memory_limit={FAMILY_LIMIT}, lang="en", sandbox={sandbox!r})
        print(json.dumps([{{t.check: t.message for t in report.tests if t.status == "failed"}},
                          len(report.tests)]))
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=600, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-3000:]
    failed, graded = json.loads(done.stdout.strip().splitlines()[-1])
    return failed, graded


# Each function hits one limit, then would answer correctly.
HUNGRY = {
    ("activations", "relu"): ("processes", TASK_LIMIT, f"""
def relu(X):
    import os, time
    for _ in range({TASK_LIMIT} + 8):
        if os.fork() == 0:
            time.sleep(60)
            os._exit(0)
    return {CORRECT_RELU}
"""),
    ("activations", "sigmoid"): ("files", OPEN_FILES_LIMIT, f"""
def sigmoid(X):
    files = [open("/dev/null") for _ in range({OPEN_FILES_LIMIT} + 8)]
    return 1 / (1 + torch.exp(-X))
"""),
    ("activations", "tanh"): ("file_size", size_text(FILE_SIZE_LIMIT), f"""
def tanh(X):
    with open("big.bin", "wb") as stream:
        stream.write(b"x" * ({FILE_SIZE_LIMIT} + 1))
    return 2 / (1 + torch.exp(-2 * X)) - 1
"""),
    ("linear_regression", "linreg"): ("disk", size_text(DEFAULT_DISK_LIMIT), f"""
def linreg(X, w, b):
    for i in range({DEFAULT_DISK_LIMIT} // {FILE_SIZE_LIMIT // 2} + 2):
        with open(f"part{{i}}.bin", "wb") as stream:
            stream.write(b"x" * {FILE_SIZE_LIMIT // 2})
    return X @ w + b
"""),
}


@pytest.fixture(scope="module")
def hungry_report(tmp_path_factory):
    folder = copy_solutions(tmp_path_factory.mktemp("hungry") / "s")
    for (module, _function), (_limit, _value, source) in HUNGRY.items():
        with_function(folder, module, source)
    return grade(folder, device="cpu", lang="en", timeout=30)


@pytest.mark.parametrize("module, function", list(HUNGRY))
def test_each_limit_hit_is_named(hungry_report, module, function):
    limit, value, _source = HUNGRY[(module, function)]
    expected = render(f"limit.{limit}", "en", function=function, limit=value, where="")
    messages = [t.message for t in hungry_report.tests
                if t.function == function and t.status == "failed"]
    assert messages
    for message in messages:
        assert message.startswith(expected.rstrip(".")), message


def test_the_limits_are_named_in_chinese_too():
    for limit, value in (("memory", "2 GiB"), ("processes", TASK_LIMIT),
                         ("files", OPEN_FILES_LIMIT), ("disk", "256 MiB")):
        text = render(f"limit.{limit}", "zh", function="relu", limit=value, where="")
        assert str(value) in text and "relu" in text


ORPHANING_RELU = f"""
def relu(X):
    import os
    for _ in range(60):
        pid = os.fork()
        if pid == 0:
            if os.fork() == 0:
                os._exit(0)
            os._exit(0)
        os.waitpid(pid, 0)
    return {CORRECT_RELU}
"""


def test_orphans_do_not_use_up_the_process_limit(tmp_path):
    """Grandchildren whose parent is gone are collected: 60 a call, many calls, no limit hit."""
    folder = with_function(copy_solutions(tmp_path / "s"), "activations", ORPHANING_RELU)
    report = grade(folder, device="cpu", only="relu", timeout=60)
    assert len([t for t in report.tests if t.function == "relu"]) * 60 > TASK_LIMIT
    assert report.score == report.max_score > 0, failures(report)
