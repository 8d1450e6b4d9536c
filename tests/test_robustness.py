"""The grader survives anything a worker does: bombs, signals, a lost zygote."""

from __future__ import annotations

import json
import os
import platform
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from autograder import pool as pool_module
from autograder import seccomp
from autograder.api import grade
from autograder.pool import WorkerPool
from autograder.submission import NotASubmission
from tests.helpers import (
    ROOT,
    assert_full_marks,
    copy_solutions,
    failures,
    graded,
    messages,
    mistake,
)

LINUX_SECCOMP = sys.platform == "linux" and platform.machine() in ("x86_64", "aarch64")


def grade_in_subprocess(folder, limit: float = 300, **options) -> dict:
    """Grade in a process of its own (an attack on the grader must not hit the tests).

    Returns the report's tests, the grader's peak memory (KiB) and its wall time.
    """
    code = textwrap.dedent(f"""
        import json, resource, time
        from autograder.api import grade
        started = time.monotonic()
        report = grade({str(folder)!r}, **{options!r})
        print(json.dumps({{
            "tests": [[t.function, t.status, t.message] for t in report.tests],
            "peak_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
            "seconds": time.monotonic() - started}}))
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=limit, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def assert_only_linreg_affected(tests: list) -> None:
    """The report is complete: linreg's tests are there, and every other test passed."""
    functions = {function for function, _, _ in tests}
    assert {"linreg", "squared_loss", "sgd"} <= functions
    others = [(f, status, message) for f, status, message in tests if f != "linreg"]
    assert all(status == "passed" for _, status, _ in others), others


# -- reads from a worker are bounded --------------------------------------------------------

WRITE_TO_GRADER = """
    def linreg(X, w, b):
        import os, socket, stat, struct, time
        for fd in range(3, 256):
            try:
                if not stat.S_ISSOCK(os.fstat(fd).st_mode):
                    continue
            except OSError:
                continue
            sock = socket.socket(fileno=fd)
            try:
                sock.sendall(MESSAGE)
            except OSError:
                pass
            sock.detach()
        time.sleep(60)
"""


def test_a_json_bomb_costs_only_that_test_and_little_memory(tmp_path):
    # A 255 MB JSON header: parsed, it took the grader to gigabytes.
    folder = mistake(tmp_path, "linear_regression", WRITE_TO_GRADER.replace(
        "MESSAGE", 'struct.pack("!QQ", 255 * 2**20, 0) + b"[" + b"0," * (127 * 2**20)'))
    result = grade_in_subprocess(folder, only="linear_regression", device="cpu", timeout=5)
    assert_only_linreg_affected(result["tests"])
    linreg = [message for function, _, message in result["tests"] if function == "linreg"]
    assert linreg and all("linreg returned something the grader could not read" in m
                          for m in linreg), linreg
    assert result["peak_kib"] < 1024 * 1024, result["peak_kib"]  # torch alone: ~400 MB


def test_a_header_that_never_ends_times_out(tmp_path):
    # The header announces 1 MB and stops: reading it counts against the call's timeout.
    folder = mistake(tmp_path, "linear_regression", WRITE_TO_GRADER.replace(
        "MESSAGE", 'struct.pack("!QQ", 2**20, 0) + b"[0"'))
    report = grade(folder, only="linreg", device="cpu", timeout=1)
    assert report.tests and all("linreg timed out after 1 s" in t.message
                                for t in report.tests), messages(report)


# -- no signal from a worker reaches the grader or the zygote -------------------------------

FIND_GRADER = """
    def _grader():
        import os
        with open(f"/proc/{os.getppid()}/stat") as stat:
            return int(stat.read().rsplit(")", 1)[1].split()[1])
"""


@pytest.mark.skipif(not LINUX_SECCOMP, reason="the signal filter is for x86_64/aarch64 Linux")
@pytest.mark.parametrize("attack", [
    "os.kill(os.getppid(), signal.SIGKILL)",
    "os.kill(os.getppid(), signal.SIGSTOP)",
    "os.kill(_grader(), signal.SIGSTOP)",
    "os.kill(_grader(), signal.SIGINT)",
    "os.kill(_grader(), signal.SIGKILL)",
    "os.killpg(os.getpgid(_grader()), signal.SIGINT)",
    "[os.kill(int(t), signal.SIGSTOP) for t in os.listdir(f'/proc/{_grader()}/task')]",
], ids=["kill-zygote", "stop-zygote", "stop-grader", "interrupt-grader", "kill-grader",
        "interrupt-group", "stop-grader-threads"])
def test_a_signal_to_the_grader_or_zygote_costs_at_most_that_test(tmp_path, attack):
    folder = mistake(tmp_path, "linear_regression", FIND_GRADER + f"""
    def linreg(X, w, b):
        import os, signal
        {attack}
        return torch.matmul(X, w) + b
    """)
    # The filter alone, where the grader and the zygote are in the worker's sight: in the
    # sandbox's pid namespace they are not (tests/test_sandbox.py attacks from there).
    result = grade_in_subprocess(folder, limit=240, only="linear_regression", device="cpu",
                                 sandbox="off")
    assert_only_linreg_affected(result["tests"])
    linreg = [message for function, _, message in result["tests"] if function == "linreg"]
    assert linreg and all("PermissionError" in message for message in linreg), linreg


@pytest.mark.parametrize("attack", [
    "os.kill(os.getppid(), signal.SIGKILL)", "os.kill(os.getppid(), signal.SIGSTOP)",
], ids=["kill-zygote", "stop-zygote"])
def test_without_the_filter_a_lost_zygote_is_replaced_and_grading_goes_on(
        tmp_path, monkeypatch, attack):
    # Where no filter can be installed, the zygote can be hit: the grader makes a new
    # one, and the modules graded after linear_regression still get their workers.
    monkeypatch.setattr(seccomp, "install", lambda pids: False)
    monkeypatch.setattr(pool_module, "_ZYGOTE_SECONDS", 2.0)
    replacements = []
    start_zygote = pool_module._exec_zygote
    monkeypatch.setattr(pool_module, "_exec_zygote",
                        lambda end, plan: replacements.append(end) or start_zygote(end, plan))
    folder = mistake(tmp_path, "linear_regression", f"""
    def linreg(X, w, b):
        import os, signal
        {attack}
        return torch.matmul(X, w) + b
    """)
    # Without the sandbox: in its pid namespace the zygote is the init, which no signal
    # from inside can kill or stop.
    report = grade(folder, device="cpu", sandbox="off")
    assert {"linear_regression", "softmax_regression"} <= {t.module for t in report.tests}
    assert_full_marks(report)
    assert len(replacements) == 1  # the attack did hit the zygote


def probe_in_filtered_child(protected: list[int], probes: str) -> dict:
    """Run `probes` (code setting `result`) in a forked child under the filter."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        os.close(read)
        try:
            namespace = {"os": os, "ctypes": __import__("ctypes"),
                         "installed": seccomp.install(protected), "result": {}}
            exec(textwrap.dedent(probes), namespace)
            os.write(write, json.dumps({"installed": namespace["installed"],
                                        **namespace["result"]}).encode())
        finally:
            os._exit(0)
    os.close(write)
    with os.fdopen(read) as stream:
        data = stream.read()
    os.waitpid(pid, 0)
    return json.loads(data)


@pytest.mark.skipif(not LINUX_SECCOMP, reason="the signal filter is for x86_64/aarch64 Linux")
def test_the_filter_refuses_signals_to_protected_processes_only():
    # Signal 0 asks the kernel whether a signal would be allowed, and sends none.
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        result = probe_in_filtered_child([os.getpid()], f"""
            libc = ctypes.CDLL(None, use_errno=True)
            nr = {{"x86_64": (62, 234, 200), "aarch64": (129, 131, 130)}}[os.uname().machine]

            def errno(call, *args):
                return 0 if libc.syscall(call, *args) == 0 else ctypes.get_errno()

            parent, me = {os.getpid()}, os.getpid()
            result.update(
                parent=errno(nr[0], parent, 0), everyone=errno(nr[0], -1, 0),
                group=errno(nr[0], -os.getpgid(parent), 0),
                thread=errno(nr[1], parent, parent, 0), tkill=errno(nr[2], me, 0),
                other=errno(nr[0], {sleeper.pid}, 0), itself=errno(nr[0], me, 0),
                own_thread=errno(nr[1], me, me, 0))
        """)
    finally:
        sleeper.kill()
        sleeper.wait()
    eperm = 1
    assert result == {"installed": True, "parent": eperm, "everyone": eperm, "group": eperm,
                      "thread": eperm, "tkill": eperm, "other": 0, "itself": 0,
                      "own_thread": 0}


# -- a lost zygote is replaced --------------------------------------------------------------


def linreg_request() -> dict:
    return {"module": "linear_regression", "procedure": "import"}


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGSTOP], ids=["killed", "stopped"])
def test_a_lost_zygote_is_replaced_and_work_goes_on(tmp_path, monkeypatch, how):
    monkeypatch.setattr(pool_module, "_ZYGOTE_SECONDS", 1.0)
    (tmp_path / "linear_regression.py").write_text("x = 1\n")
    with WorkerPool(str(tmp_path)) as pool:
        assert pool.request(linreg_request(), timeout=30).body["status"] == "ok"
        lost = pool._zygote_pid
        os.kill(lost, how)
        pool.restart()  # asks the lost zygote to reap: it does not answer
        assert pool.request(linreg_request(), timeout=30).body["status"] == "ok"
        assert pool.zygotes_replaced == 1 and pool._zygote_pid != lost
        with pytest.raises(ChildProcessError):
            os.waitpid(lost, os.WNOHANG)  # killed and collected
    assert not _alive(pool._zygote_pid or lost)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_closing_does_not_wait_for_a_stopped_zygote(tmp_path):
    pool = WorkerPool(str(tmp_path))
    zygote = pool._zygote_pid
    os.kill(zygote, signal.SIGSTOP)
    started = time.monotonic()
    pool.close()
    assert time.monotonic() - started < 60
    with pytest.raises(ChildProcessError):
        os.waitpid(zygote, os.WNOHANG)


# -- Ctrl-C ---------------------------------------------------------------------------------


def test_ctrl_c_stops_grading_with_one_line_and_leaves_nothing_running(tmp_path):
    marker = tmp_path / "worker.pid"
    folder = mistake(tmp_path, "linear_regression", f"""
        def linreg(X, w, b):
            import os
            with open({str(marker)!r}, "w") as file:
                file.write(str(os.getpid()))
            while True:
                pass
    """)
    # Without the sandbox, so that the worker can leave its pid where this test reads it
    # (tests/test_sandbox.py kills a grader mid-call in the sandbox).
    grader = subprocess.Popen(
        [sys.executable, "-m", "autograder.cli", str(folder), "--device", "cpu",
         "--timeout", "120", "--lang", "en", "--sandbox", "off"], cwd=ROOT, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        deadline = time.monotonic() + 240
        while not (marker.exists() and marker.read_text()) and time.monotonic() < deadline:
            time.sleep(0.1)
        worker = int(marker.read_text())
        os.killpg(grader.pid, signal.SIGINT)  # as a terminal's Ctrl-C does
        stdout, stderr = grader.communicate(timeout=120)
    finally:
        if grader.poll() is None:
            os.killpg(grader.pid, signal.SIGKILL)
    assert grader.returncode == 130
    assert stderr.strip().splitlines() == ["grade: interrupted; no report was written."]
    assert "Traceback" not in stdout + stderr
    assert not _alive(worker)
    assert not processes_in_session(grader.pid)  # the zygotes are gone too


def processes_in_session(session: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        try:
            with open(f"/proc/{entry}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[3]) == session and fields[0] != "Z":  # field 6 of proc(5): session
            found.append(int(entry))
    return found


# -- time ------------------------------------------------------------------------------------


def call_request(function: str) -> dict:
    return {"module": "timing", "procedure": "call",
            "arguments": {"function": function, "args": [], "kwargs": {}}}


TIMING = """
import time

def sleeps(seconds=1.5):
    time.sleep(seconds)
    return "done"

def sleeps_forever():
    time.sleep(3600)

def loops():
    while True:
        pass
"""


def test_a_call_that_waits_is_not_failed_by_its_cpu_timeout(tmp_path):
    # 1.5 s of sleep under a 0.5 s timeout: CPU time is what counts, as on a loaded machine.
    (tmp_path / "timing.py").write_text(TIMING)
    with WorkerPool(str(tmp_path)) as pool:
        reply = pool.request(call_request("sleeps"), timeout=0.5)
    assert reply.body["result"]["value"] == "done"


@pytest.mark.parametrize("function, limit, seconds", [
    ("loops", "cpu", 0.5),
    ("sleeps_forever", "wall", pool_module.wall_limit(0.5)),
])
def test_a_timeout_says_which_limit_was_hit(tmp_path, function, limit, seconds):
    (tmp_path / "timing.py").write_text(TIMING)
    with WorkerPool(str(tmp_path)) as pool:
        with pytest.raises(pool_module.WorkerFailure) as failure:
            pool.request(call_request(function), timeout=0.5)
    assert failure.value.kind == "timeout"
    assert (failure.value.detail["limit"], failure.value.detail["seconds"]) == (limit, seconds)


def test_the_timeout_messages_name_the_limit(tmp_path):
    from autograder.checks import _call_failure, _import_failure
    from autograder.pool import WorkerFailure

    def rendered(make, limit, seconds, lang):
        return make("linreg" if make is _call_failure else "linear_regression.py",
                    WorkerFailure("timeout", {"limit": limit, "seconds": seconds})).render(lang)

    assert rendered(_call_failure, "cpu", 5, "en") == \
        "linreg timed out after 5 s of CPU time (an infinite loop?)."
    assert "25 s of wall-clock time while using little CPU" in \
        rendered(_call_failure, "wall", 25, "en")
    assert "CPU 时间超过 5 秒" in rendered(_call_failure, "cpu", 5, "zh")
    assert "按实际经过的时间计" in rendered(_import_failure, "wall", 25, "zh")
    assert rendered(_call_failure, "deadline", 5, "en") == \
        "not graded: the submission used up its time (see --deadline)."


def stalling_submission(folder):
    """Every module sleeps 4.5 s at import, and every function and method loops forever."""
    import ast

    from tests.helpers import MODULES, SOLUTIONS

    folder.mkdir()
    for module in MODULES:
        tree = ast.parse((SOLUTIONS / f"{module}.py").read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef):
                node.body = ast.parse("while True:\n    pass").body
        start = next(i for i, node in enumerate(tree.body) if not (
            isinstance(node, ast.ImportFrom) and node.module == "__future__"
            or isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)))
        tree.body[start:start] = ast.parse("import time\ntime.sleep(4.5)").body
        (folder / f"{module}.py").write_text(ast.unparse(tree))
    return folder


def test_past_the_deadline_the_rest_is_not_graded_and_the_report_is_complete(tmp_path):
    from tests.helpers import ASSIGNMENTS

    deadline = 20
    started = time.monotonic()
    report = grade(stalling_submission(tmp_path / "stalling"), device="cpu", timeout=1,
                   deadline=deadline)
    seconds = time.monotonic() - started
    every_test = grade(ASSIGNMENTS, device="cpu", lang="en")
    assert sorted((t.module, t.check, t.device) for t in report.tests) == \
        sorted((t.module, t.check, t.device) for t in every_test.tests)
    assert report.score == 0 and all(t.status == "failed" for t in report.tests)
    not_graded = [t for t in report.tests if t.message ==
                  "not graded: the submission used up its time (see --deadline)."]
    assert len(not_graded) > len(report.tests) / 2
    assert seconds < deadline + 60  # near the deadline, not 9 minutes


# -- no state crosses modules ---------------------------------------------------------------


@pytest.mark.parametrize("tail", [
    "torch.set_default_dtype(torch.float64)",
    "torch.nn.Linear.forward = lambda self, x: x",
], ids=["default-dtype", "patched-torch"])
def test_what_one_module_does_to_torch_does_not_reach_another(tmp_path, tail):
    folder = copy_solutions(tmp_path / "submission")
    activations = folder / "activations.py"
    activations.write_text(activations.read_text() + f"\n{tail}\n")
    report = grade(folder, only="concise", device="cpu")
    assert_full_marks(report)
    both = grade(folder, device="cpu")  # concise graded right after activations
    concise = [t for t in both.tests if t.module == "concise"]
    assert concise and all(t.status == "passed" for t in concise), messages(both)


# -- the ban on built-in activations holds in the source too --------------------------------

HIDDEN = "with torch._C.DisableTorchFunction():\n        "


@pytest.mark.parametrize("function, source, name", [
    ("relu", f"def relu(X):\n    {HIDDEN}return torch.relu(X)", "torch.relu"),
    ("relu", f"from torch import relu as r\ndef relu(X):\n    {HIDDEN}return r(X)",
     "from torch import relu"),
    ("relu", f"def relu(X):\n    {HIDDEN}return getattr(torch, 'relu')(X)", "'relu'"),
    ("relu", f"import torch.nn.functional as F\ndef relu(X):\n    {HIDDEN}return F.relu(X)",
     "F.relu"),
    ("relu", f"def _positive(X):\n    {HIDDEN}return torch.nn.functional.relu(X)\n"
     "def relu(X):\n    return _positive(X)", "torch.nn.functional.relu"),
    ("relu", f"_cut = torch.clamp\ndef relu(X):\n    {HIDDEN}return _cut(X, min=0)",
     "torch.clamp"),
    ("sigmoid", f"def sigmoid(X):\n    {HIDDEN}return torch.sigmoid(X)", "torch.sigmoid"),
    ("tanh", f"def tanh(X):\n    {HIDDEN}return X.tanh()", "X.tanh"),
], ids=["torch.relu", "import-as", "getattr", "F.relu", "helper", "alias", "sigmoid", "tanh"])
def test_hiding_a_builtin_from_the_recorder_is_caught_in_the_source(
        tmp_path, function, source, name):
    report = graded(tmp_path, "activations", source, function)
    failed = failures(report)
    assert list(failed) == [f"test_{function}_not_builtin"], failed
    assert f"{function} calls {name}: the exercise rules out" in failed[
        f"test_{function}_not_builtin"]


def test_only_the_function_that_reaches_a_builtin_is_failed(tmp_path):
    # sigmoid hides torch.sigmoid; relu and tanh (here from the reference sigmoid's
    # formula) do not reach it and keep their marks.
    folder = mistake(tmp_path, "activations",
                     f"def sigmoid(X):\n    {HIDDEN}return torch.sigmoid(X)")
    report = grade(folder, only="activations", device="cpu")
    assert list(failures(report)) == ["test_sigmoid_not_builtin"]


# -- staging tells the truth ----------------------------------------------------------------


def test_a_module_over_the_file_limit_is_named_with_its_size_never_missing(tmp_path):
    folder = copy_solutions(tmp_path / "submission")
    module = folder / "linear_regression.py"
    module.write_text(module.read_text() + "#" * (67 * 2**20) + "\n")
    report = grade(folder, only="linear_regression", device="cpu")
    assert report.tests and all(
        t.message == "linear_regression.py is 67 MB; the limit is 4 MB. It was not graded."
        for t in report.tests)
    zh = grade(folder, only="linear_regression", device="cpu", lang="zh")
    assert "linear_regression.py 大小为 67 MB，超过了 4 MB 的上限" in zh.tests[0].message


def test_exercise_modules_are_staged_before_other_files(tmp_path):
    # Helpers that fill the total limit: they are skipped and listed, the modules graded.
    folder = copy_solutions(tmp_path / "submission")
    for number in range(14):
        (folder / f"aaa_helper_{number:02}.py").write_text("#" * (3 * 2**20))
    report = grade(folder, device="cpu", lang="en")
    assert_full_marks(report)
    skipped = [note for note in report.notes if "was skipped: a submission may hold" in note]
    assert len(skipped) == 10 and "aaa_helper_03.py was skipped" in skipped[0]
    assert report.notes[-1] == "... and 1 more files were skipped."
    assert report.render_text().startswith("! aaa_helper_03.py was skipped")
    assert "aaa_helper_13.py" not in "".join(report.notes)  # counted, not listed


def test_fifos_and_sockets_are_skipped_with_a_note(tmp_path):
    import socket

    folder = copy_solutions(tmp_path / "submission")
    os.mkfifo(folder / "pipe.py")
    listener = socket.socket(socket.AF_UNIX)
    listener.bind(str(folder / "sock.py"))
    os.unlink(folder / "linear_regression.py")
    os.mkfifo(folder / "linear_regression.py")
    try:
        report = grade(folder, device="cpu", lang="en")
    finally:
        listener.close()
    assert report.notes == [
        "pipe.py is not a regular file (a FIFO, a socket or a device) and was skipped.",
        "sock.py is not a regular file (a FIFO, a socket or a device) and was skipped."]
    assert report.to_gradescope()["output"].startswith("pipe.py is not a regular file")
    lost = [t for t in report.tests if t.module == "linear_regression"]
    assert lost and all("linear_regression.py is not a regular file" in t.message
                        for t in lost)
    assert all(t.status == "passed" for t in report.tests if t.module != "linear_regression")


def test_a_link_inside_is_followed_and_a_link_outside_is_refused_by_name(tmp_path):
    folder = copy_solutions(tmp_path / "submission")
    (folder / "impl").mkdir()
    (folder / "linear_regression.py").rename(folder / "impl" / "linreg_impl.py")
    (folder / "linear_regression.py").symlink_to("impl/linreg_impl.py")
    secret = tmp_path / "elsewhere.py"
    secret.write_text("ANSWER = 42\n")
    (folder / "softmax_regression.py").unlink()
    (folder / "softmax_regression.py").symlink_to(secret)
    (folder / "peek.py").symlink_to(secret)
    report = grade(folder, device="cpu", lang="en")
    assert report.notes == [f"peek.py is a symbolic link to {secret}, outside the submission, "
                            "and was refused."]
    by_module = {}
    for test in report.tests:
        by_module.setdefault(test.module, []).append(test)
    assert all(t.status == "passed" for t in by_module["linear_regression"])
    assert all(t.message.startswith("softmax_regression.py is a symbolic link to")
               for t in by_module["softmax_regression"])


# -- no link leads out of a submission, folders included -------------------------------------

LINREG = "linear_regression"


def answered_notebook(folder, relative: str = f"{LINREG}/{LINREG}.ipynb"):
    """The course notebook of linear_regression, answered right, written under `folder`."""
    from tests.notebook_helpers import answered, released, source_notebook, write

    source = source_notebook(LINREG)
    write(answered(released(source), source), folder / relative)
    return folder / relative


def planned(folder):
    """What staging `folder` would write, and the submission (its refusals and notes)."""
    from autograder.submission import find_submission

    submission = find_submission(folder)
    return submission.plan(), submission


def test_a_link_to_another_students_notebook_folder_gives_none_of_their_marks(tmp_path):
    bob = tmp_path / "class" / "bob"
    answered_notebook(bob)
    alice = tmp_path / "class" / "alice"
    alice.mkdir()
    (alice / LINREG).symlink_to(f"../bob/{LINREG}")  # made easy by a shared folder or git
    report = grade(alice, only=LINREG, device="cpu", lang="en")
    assert report.tests and report.score == 0
    assert {t.message for t in report.tests} == {
        f"{LINREG} is a symbolic link to ../bob/{LINREG}, outside the submission, "
        "and was refused."}
    files, submission = planned(alice)
    assert files == {}
    assert submission.refused[f"{LINREG}.py"].render("zh") == \
        f"{LINREG} 是指向提交目录之外（../bob/{LINREG}）的符号链接，已拒绝。"
    # bob's own notebook, as graded: the whole of it staged.
    files, submission = planned(bob)
    assert submission.refused == {} and f"{LINREG}.py" in files
    # The assignment folder passed to grade as nbgrader's loop does: the link itself.
    with pytest.raises(NotASubmission, match=f"{LINREG}: a symbolic link .* not followed"):
        grade(alice / LINREG, device="cpu")
    from autograder.cli import grade_main

    assert grade_main([str(alice / LINREG), "--device", "cpu"]) == 2


def test_an_absolute_link_to_the_instructors_source_notebook_is_refused(tmp_path):
    solutions = answered_notebook(tmp_path / "course" / "source")
    alice = tmp_path / "alice"
    alice.mkdir()
    (alice / f"{LINREG}.ipynb").symlink_to(solutions)
    files, submission = planned(alice)
    assert files == {}
    assert str(submission.refused[f"{LINREG}.py"]) == (
        f"{LINREG}.ipynb is a symbolic link to {solutions}, outside the submission, "
        "and was refused.")


@pytest.mark.parametrize("layout, refused", [
    # a student's folder of assignments, whose assignment folder is a link out
    ({f"{LINREG}": "OUTSIDE"}, f"{LINREG}"),
    # a notebook linked to a path inside whose folder is a link out
    ({f"{LINREG}.ipynb": f"work/answers/{LINREG}.ipynb", "work": "OUTSIDE/.."}, "work"),
    # the same, two folders down, for the assignment folder's notebook
    ({f"{LINREG}/{LINREG}.ipynb": f"../deep/er/{LINREG}.ipynb", "deep/er": "OUTSIDE"},
     "deep/er"),
    # a module linked into a folder that is a link out, two folders down
    ({f"{LINREG}.py": "lib/impl/answer.py", "lib/impl": "OUTSIDE"}, "lib/impl"),
], ids=["assignment folder", "notebook through a folder", "at depth", "module at depth"])
def test_a_link_out_at_any_depth_is_refused(tmp_path, layout, refused):
    outside = tmp_path / "outside" / LINREG
    answered_notebook(outside, f"{LINREG}.ipynb")
    answered_notebook(outside.parent, f"answers/{LINREG}.ipynb")
    (outside / "answer.py").write_text((ROOT / "solutions" / f"{LINREG}.py").read_text())
    alice = tmp_path / "alice"
    for relative, target in layout.items():
        (alice / relative).parent.mkdir(parents=True, exist_ok=True)
        (alice / relative).symlink_to(target.replace("OUTSIDE", str(outside)))
    assert all((alice / relative).exists() for relative in layout)  # each link leads somewhere
    files, submission = planned(alice)
    assert not any(name.startswith(LINREG) for name in files), files
    problem = submission.refused[f"{LINREG}.py"]
    assert problem.key == "robustness.symlink_outside" and problem.params["file"] == refused
    assert problem.params["target"] == layout[refused].replace("OUTSIDE", str(outside))


def test_nothing_behind_a_link_to_a_folder_out_is_staged(tmp_path):
    outside = tmp_path / "outside"
    (outside / "pkg").mkdir(parents=True)
    (outside / "pkg" / "peek.py").write_text("SECRET = 1\n")
    alice = copy_solutions(tmp_path / "alice")
    (alice / "lib").mkdir()
    (alice / "lib" / "vendored").symlink_to(outside / "pkg")
    files, submission = planned(alice)
    assert not any(name.startswith("lib/") for name in files)
    assert submission.refused == {} and submission.notes == []


def test_a_link_inside_the_submission_is_followed_to_a_notebook_too(tmp_path):
    alice = tmp_path / "alice"
    answered_notebook(alice, f"drafts/final/{LINREG}.ipynb")
    (alice / f"{LINREG}.ipynb").symlink_to(f"drafts/final/{LINREG}.ipynb")
    files, submission = planned(alice)
    assert submission.refused == {} and f"{LINREG}.py" in files
    (alice / f"{LINREG}.ipynb").unlink()
    (alice / LINREG).symlink_to("drafts/final")  # a folder inside, as an assignment folder
    files, submission = planned(alice)
    assert submission.refused == {} and f"{LINREG}.py" in files


def test_a_lane_without_a_zygote_of_its_own_switches_modules_to_a_warm_spare(monkeypatch):
    # As a CUDA lane does (a CUDA context does not survive a fork), here with a warm-up
    # of the placement lane that each of its workers pays itself.
    from autograder import worker as worker_module
    from tests.helpers import SOLUTIONS

    monkeypatch.setitem(worker_module.WARM_UPS, "placement", lambda: None)
    lane = pool_module.lane_of("placement")
    with WorkerPool(str(SOLUTIONS)) as pool:
        pool.warm("placement")
        spare = pool._spares[lane]
        for module in ("activations", "concise"):
            reply = pool.request({"module": module, "procedure": "import"}, timeout=30,
                                 device="placement")
            assert reply.body["status"] == "ok"
        assert pool._workers[lane] is spare and pool._spares[lane] is not spare
    assert_full_marks(grade(SOLUTIONS, device="placement"))
