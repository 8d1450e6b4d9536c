"""grade --watch: grading again on each save, one module at a time, and Ctrl-C."""

from __future__ import annotations

import os
import queue
import select
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from autograder.watch import changed_modules, snapshot, watch
from tests.helpers import MODULES, ROOT, SOLUTIONS, with_function
from tests.test_linear_regression import SGD_NOT_DIVIDED


def children_of(pid: int) -> set[int]:
    """Every live descendant of `pid`, read from /proc."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[0] != "Z":
                parents[int(entry.name)] = int(fields[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier}
        found |= frontier
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def save(path: Path, text: str) -> None:
    """Write `path` so that a poll sees it changed, even within one tick of the clock."""
    before = path.stat().st_mtime_ns if path.exists() else 0
    path.write_text(text)
    os.utime(path, ns=(before + 10**9, before + 10**9))


@pytest.fixture
def submission(tmp_path):
    return Path(shutil.copytree(SOLUTIONS, tmp_path / "submission"))


class Watching:
    """watch() in a thread: each report in a queue, stopped at the end of the test."""

    def __init__(self, path: Path, **options):
        self.reports: queue.Queue = queue.Queue()
        self.stop = threading.Event()
        self.thread = threading.Thread(target=watch, args=(path,), kwargs=dict(
            report=self.reports.put, stop=self.stop, poll=0.05, **options))

    def next(self):
        return self.reports.get(timeout=300)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join(timeout=120)
        assert not self.thread.is_alive()


def test_a_save_grades_that_module_again_and_the_table_keeps_the_others(submission):
    before = children_of(os.getpid())
    with Watching(submission, device="cpu", lang="en") as watching:
        first = watching.next()
        assert first.score == first.max_score > 0
        assert {t.module for t in first.tests} == set(MODULES)
        kept = {id(t) for t in first.tests if t.module != "linear_regression"}

        with_function(submission, "linear_regression", SGD_NOT_DIVIDED)
        os.utime(submission / "linear_regression.py",
                 ns=(time.time_ns() + 10**9, time.time_ns() + 10**9))
        second = watching.next()
        failed = [t for t in second.tests if t.status == "failed"]
        assert failed and {(t.function, t.diagnosis) for t in failed} == \
            {("sgd", "sgd.not_divided")}
        assert "The step is batch_size times too large" in second.render_text()
        # The whole table, and only linear_regression graded again: the other modules'
        # results are the very ones of the first grading.
        assert len(second.tests) == len(first.tests)
        assert {id(t) for t in second.tests if t.module != "linear_regression"} == kept
        assert second.max_score == first.max_score
        assert watching.reports.empty()
    assert children_of(os.getpid()) <= before  # the zygote factory and its zygotes are gone


def test_a_save_of_a_file_the_modules_import_grades_them_all_again(submission):
    with Watching(submission, device="cpu", only="linear_regression", lang="en") as watching:
        first = watching.next()
        assert {t.module for t in first.tests} == {"linear_regression"}
        save(submission / "helpers.py", "SCALE = 1\n")
        second = watching.next()
        assert not {id(t) for t in second.tests} & {id(t) for t in first.tests}
        assert second.score == second.max_score


def test_a_path_without_a_submission_is_refused_at_once(tmp_path, capsys):
    from autograder.cli import grade_main

    assert grade_main([str(tmp_path / "nosuch"), "--watch", "--lang", "en"]) == 2
    assert "no such file or folder" in capsys.readouterr().err


def test_which_modules_a_change_grades_again():
    before = {"linear_regression.py": (1, 10), "softmax_regression.py": (1, 10),
              "notes.txt.py": (1, 3)}
    assert changed_modules(before, before) == []
    assert changed_modules(before, {**before, "linear_regression.py": (2, 10)}) == \
        ["linear_regression"]
    assert changed_modules(before, {**before, "concise.ipynb": (2, 10)}) == ["concise"]
    assert changed_modules(before, {**before, "concise/concise.ipynb": (2, 10)}) == ["concise"]
    deleted = {k: v for k, v in before.items() if k != "softmax_regression.py"}
    assert changed_modules(before, deleted) == ["softmax_regression"]
    assert changed_modules(before, {**before, "notes.txt.py": (2, 3)}) == MODULES
    assert changed_modules(before, {**before, "scratch/linear_regression.py": (1, 1)}) \
        == MODULES  # an importable file, not the exercise module


def test_snapshot_sees_python_files_and_notebooks_only(tmp_path):
    (tmp_path / "a.py").write_text("x = 1\n")
    (tmp_path / "b.ipynb").write_text("{}")
    (tmp_path / "notes.txt").write_text("")
    (tmp_path / ".ipynb_checkpoints").mkdir()
    (tmp_path / ".ipynb_checkpoints" / "b-checkpoint.ipynb").write_text("{}")
    (tmp_path / "__pycache__").mkdir()
    (tmp_path / "__pycache__" / "a.cpython-311.py").write_text("")
    assert set(snapshot(tmp_path)) == {"a.py", "b.ipynb"}


def test_ctrl_c_ends_the_watch_with_130_and_nothing_left_running(submission):
    watcher = subprocess.Popen(
        [sys.executable, "-m", "autograder.cli", str(submission), "--watch", "--device", "cpu",
         "--only", "sgd"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, start_new_session=True, env={**os.environ, "LANG": "en_US.UTF-8"})
    running: set[int] = set()
    try:
        waited = b""
        while b"Watching" not in waited:  # the first table is out: the watch is polling
            ready, _, _ = select.select([watcher.stdout], [], [], 300)
            assert ready, "no report"
            chunk = os.read(watcher.stdout.fileno(), 65536)  # unbuffered: select sees all
            assert chunk, watcher.stderr.read()
            waited += chunk
        running = children_of(watcher.pid)
        assert running  # the zygote factory, at least
        os.killpg(watcher.pid, signal.SIGINT)  # what a terminal's Ctrl-C does
        assert watcher.wait(timeout=120) == 130
        assert "stopped watching." in watcher.stderr.read()
        assert b"Total: 2 / 2" in waited
    finally:
        if watcher.poll() is None:
            watcher.kill()
    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in running) and time.monotonic() < deadline:
        time.sleep(0.1)  # the kernel collects the last of them
    assert not [pid for pid in running if alive(pid)]
