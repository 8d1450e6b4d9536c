"""The sandbox holds at the operating-system level: each test makes the attack.

A malicious submission tries to read the reference, the suites and the package, to
write into site-packages, to see the grader's processes and the original submission,
to reach the network, to open the grader's terminal, to print the grader's environment,
to outlive grading, and to make the sandbox's set-up fail (more files than its /tmp
holds) so as to be graded without it, or as root; each attack is checked to fail from
outside (files, listeners, processes, exit codes), and, where it can run harmlessly, to
succeed with `--sandbox off`, so that a test whose attack were broken would fail.

The tests run as whoever runs pytest (as an ordinary user the sandbox uses a user
namespace); run as root, the command-line cases run again as uid 65534.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import pytest

import autograder
from autograder import registry
from autograder.api import grade
from autograder.messages import render
from autograder.sandbox import SIMULATE_FAILURE_VARIABLE

from . import unprivileged
from .helpers import ASSIGNMENTS, ROOT, SOLUTIONS, assert_full_marks, copy_solutions, with_function

ROOTED = os.geteuid() == 0


def _user_namespaces_allowed() -> bool:
    """Whether this kernel lets an ordinary user make a user namespace."""
    for path, minimum in (("/proc/sys/user/max_user_namespaces", 1),
                          ("/proc/sys/kernel/unprivileged_userns_clone", 1)):
        try:
            if int(Path(path).read_text()) < minimum:
                return False
        except (OSError, ValueError):
            continue
    return True


# What uid 65534 could not read even once tests/unprivileged.py has made it reachable
# (the grader runs in a shared folder, which uid 65534 owns).
UNREADABLE = unprivileged.unreadable(unprivileged.needed_folders([sys.executable], cwd="/"))
AS_NOBODY = [
    pytest.mark.skipif(not ROOTED, reason="running as an ordinary user already takes the "
                                          "user-namespace path"),
    pytest.mark.skipif(not _user_namespaces_allowed(),
                       reason="this kernel gives ordinary users no user namespace"),
    pytest.mark.skipif(bool(UNREADABLE), reason=f"uid 65534 may not read {UNREADABLE}: "
                       "make the checkout and the interpreter readable (chmod -R o+rX)")]
USERS = ["self", pytest.param("nobody", marks=AS_NOBODY)]
NOBODY = 65534
PACKAGE = Path(autograder.__file__).resolve().parent
SITE_PACKAGES = Path(pytest.__file__).resolve().parent.parent
def home_folder() -> str:
    """A folder of the home that only its owner reads (~/.ssh where there is one, not
    empty), looked at when the attack is made: the home of a run as uid 65534 is its
    TMPDIR, which holds the test's folders by then."""
    return next((str(p) for p in (Path.home() / ".ssh", Path.home())
                 if p.is_dir() and any(p.iterdir())), "/root")


def _private_entry(folder: str) -> str:
    """An entry of `folder` on no interpreter's path (the interpreter may live in the
    home, as pyenv's does, and the sandbox shows that much): what must stay unseen."""
    interpreter = [Path(p).resolve() for p in (sys.prefix, sys.base_prefix)]
    try:
        entries = sorted(os.listdir(folder))
    except OSError:
        return "id_rsa"
    for entry in entries:
        path = Path(folder, entry).resolve()
        if not any(path == shown or path in shown.parents for shown in interpreter):
            return entry
    return "id_rsa"


# -- running the grader ------------------------------------------------------------------

_FOLDERS: list[Path] = []
_TERMINALS: list[int] = []


@pytest.fixture(autouse=True)
def _remove_shared_folders():
    yield
    while _FOLDERS:
        shutil.rmtree(_FOLDERS.pop(), ignore_errors=True)
    while _TERMINALS:
        os.close(_TERMINALS.pop())


def graders_terminal(user: str) -> str:
    """A terminal of the grader's user, as the instructor's is: a fresh pseudo-terminal,
    its device given to that user (uid 65534 for "nobody")."""
    leader, follower = os.openpty()
    _TERMINALS.extend([leader, follower])
    path = os.ttyname(follower)
    if ROOTED and user == "nobody":
        os.chown(path, NOBODY, NOBODY)
    return path


def shared_folder(kind: str) -> Path:
    """A fresh folder both root and uid 65534 can use (pytest's own tmp_path is root's)."""
    folder = Path(tempfile.mkdtemp(prefix=f"sandbox-{kind}-"))
    _FOLDERS.append(folder)
    folder.chmod(0o755)
    if ROOTED:
        os.chown(folder, NOBODY, NOBODY)
    return folder


def run_grade(submission: Path, *args: str, user: str = "self", tmpdir: Path | None = None,
              env: dict[str, str] | None = None,
              entry: tuple[str, ...] = ("-m", "autograder.cli")) -> tuple[subprocess.Popen, Path]:
    """Start the `grade` command on `submission`; stdout goes to a file beside it.
    `entry`: how the interpreter starts it (a -c program that changes a limit first)."""
    _readable(submission)
    command = [sys.executable, *entry, str(submission), *args]
    if user == "nobody":
        command = [sys.executable, str(ROOT / "tests" / "unprivileged.py"), *command]
    environment = {**os.environ, **(env or {}), "PYTHONPATH": str(ROOT)}
    if tmpdir is not None:
        environment["TMPDIR"] = str(tmpdir)
    stdout = submission.parent / "stdout.txt"
    with open(stdout, "wb") as stream:
        process = subprocess.Popen(command, stdout=stream, stderr=subprocess.PIPE,
                                   env=environment, cwd=submission.parent)
    return process, stdout


def graded_cli(submission: Path, *args: str, user: str = "self", **options) -> tuple[int, str]:
    process, stdout = run_grade(submission, *args, user=user, **options)
    _, errors = process.communicate(timeout=300)
    assert process.returncode in (0, 1, 3), errors.decode()
    return process.returncode, stdout.read_text() + errors.decode()


def _readable(folder: Path) -> None:
    for path in [folder, *folder.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)


def submission_in(kind: str) -> Path:
    return copy_solutions(shared_folder(kind) / "submission")


# -- reading, writing, seeing, connecting -------------------------------------------------

# Each attack is a statement that succeeds only when the sandbox lets it.
ATTACKS = {
    "read_reference": "open({solution!r}).read()",
    "read_suites": "open({suite!r}).read()",
    # An instructor's pack (--exercises) is hidden as the built-in exercises are.
    "read_pack_suite": "open({pack_suite!r}).read()",
    "read_pack_reference": "open({pack_reference!r}).read()",
    "read_package": "open({package_file!r}).read()",
    "import_reference": "__import__('importlib').import_module('autograder.reference.activations')",
    "read_original_submission": "open({original!r}).read()",
    "see_host_process": "open('/proc/{host_pid}/cmdline').read()",
    # The worker's parent, the zygote (in the sandbox, its pid namespace's init), which
    # keeps the grader's memory from before the fork.
    "read_zygote_memory": "open(f\"/proc/{{__import__('os').getppid()}}/environ\", 'rb').read()",
    "list_home": "assert {ssh_entry!r} in __import__('os').listdir({ssh!r})",
    "connect_localhost": "socket.create_connection(('127.0.0.1', {port}), timeout=2).close()",
    "write_site_packages": "open({site_probe!r}, 'w').write('import os')",
    "write_package": "open({package_probe!r}, 'w').write('x = 1')",
    # The instructor's terminal, read-write: what is printed there passes no filter.
    "open_terminal": "open({terminal!r}, 'r+b', buffering=0).close()",
    # Privileged acts, harmless where they succeed: a worker has no capability left.
    "become_root": "__import__('os').setuid(0)",
    "raise_priority": "__import__('os').nice(-1)",
}
PRIVILEGED = ("become_root", "raise_priority")

# relu tries every attack, prints how each went, and answers wrongly so that its output
# is in the report.
ATTACKING_RELU = '''
def relu(X):
    import socket
    for name, statement in {attacks!r}.items():
        try:
            exec(statement, {{"socket": socket}})
            print("ATTACK", name, "worked")
        except Exception as error:
            print("ATTACK", name, "blocked", type(error).__name__)
    return X
'''


def attack_pack() -> Path:
    """An instructor's pack of one exercise, as `autograder exercise new` writes it."""
    from autograder.authoring import new_exercise

    folder = shared_folder("pack") / "pack"
    new_exercise("doubling", folder)
    _readable(folder)
    return folder


def attack_submission(kind: str, port: int, probe: str, user: str = "self",
                      pack: Path | None = None) -> Path:
    folder = submission_in(kind)
    pack = pack or attack_pack()
    values = {"terminal": graders_terminal(user),"solution": str(SOLUTIONS / "activations.py"),
              "suite": str(registry.exercise("activations").suite),
              "pack_suite": str(pack / "exercises" / "doubling" / "test_doubling.py"),
              "pack_reference": str(pack / "solutions" / "doubling.py"),
              "package_file": str(PACKAGE / "checks.py"),
              "original": str(folder / "activations.py"),
              "host_pid": os.getpid(), "port": port, "ssh": home_folder(),
              "ssh_entry": _private_entry(home_folder()),
              "site_probe": str(SITE_PACKAGES / f"{probe}.pth"),
              "package_probe": str(PACKAGE / f"{probe}.py")}
    attacks = {name: text.format(**values) for name, text in ATTACKS.items()}
    return with_function(folder, "activations", ATTACKING_RELU.format(attacks=attacks))


def outcomes(output: str) -> dict[str, str]:
    found = {}
    for line in output.splitlines():
        words = line.replace("|", " ").split()
        if len(words) >= 3 and words[0] == "ATTACK":
            found[words[1]] = words[2]
    return found


@pytest.fixture
def listener():
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.setblocking(False)
    yield server
    server.close()


def _accepted(server: socket.socket) -> bool:
    try:
        server.accept()[0].close()
        return True
    except BlockingIOError:
        return False


def _remove_probes(probe: str) -> list[Path]:
    created = [p for p in (SITE_PACKAGES / f"{probe}.pth", PACKAGE / f"{probe}.py") if p.exists()]
    for path in created:
        path.unlink()
    return created


@pytest.mark.parametrize("user", USERS)
def test_no_attack_reaches_outside_the_sandbox(user, listener):
    probe = f"sandbox_probe_{uuid.uuid4().hex[:8]}"
    pack = attack_pack()
    submission = attack_submission("attack", listener.getsockname()[1], probe, user, pack)
    try:
        _, output = graded_cli(submission, "--device", "cpu", "--only", "relu", "--json",
                               str(submission.parent / "results.json"),
                               "--exercises", str(pack), user=user)
        assert not _accepted(listener)
    finally:
        created = _remove_probes(probe)
    seen = outcomes(json.loads((submission.parent / "results.json").read_text())["tests"][0]
                    ["output"])
    assert seen == {name: "blocked" for name in ATTACKS}, seen
    assert not created
    assert "Isolation (auto)" in output and "missing" not in output


def test_the_attacks_work_without_the_sandbox(listener):
    """The control: with --sandbox off the same attacks succeed (as the grader's user)."""
    probe = f"sandbox_probe_{uuid.uuid4().hex[:8]}"
    pack = attack_pack()
    submission = attack_submission("control", listener.getsockname()[1], probe, pack=pack)
    try:
        report = grade(submission, device="cpu", only="relu", sandbox="off", lang="en",
                       exercises=[pack])
        connected = _accepted(listener)
    finally:
        created = _remove_probes(probe)
        registry.use([])
    seen = outcomes(report.tests[0].output)
    expected = {name: "worked" for name in ATTACKS}
    if not ROOTED:  # the grader's own user has no privilege to misuse
        expected.update({name: "blocked" for name in PRIVILEGED})
    for name, folder, access in (("write_site_packages", SITE_PACKAGES, os.W_OK),
                                 ("write_package", PACKAGE, os.W_OK),
                                 ("list_home", home_folder(), os.R_OK | os.X_OK)):
        if not os.access(folder, access):  # nor, maybe, these folders to use
            expected[name] = "blocked"
    assert connected
    assert len(created) == sum(expected[name] == "worked"
                               for name in ("write_site_packages", "write_package"))
    assert seen == expected, seen


def test_the_reference_cannot_be_imported_into_the_stubs(tmp_path):
    stubs = tmp_path / "stubs"
    stubs.mkdir()
    text = (ASSIGNMENTS / "linear_regression.py").read_text()
    (stubs / "linear_regression.py").write_text(
        text + "\nfrom autograder.reference.linear_regression import *  # noqa\n")
    sandboxed = grade(stubs, device="cpu", lang="en", only="linear_regression")
    assert sandboxed.max_score > 0 and sandboxed.score == 0
    assert_full_marks(grade(stubs, device="cpu", lang="en", only="linear_regression",
                            sandbox="off"))  # the control


# -- outliving grading ----------------------------------------------------------------

def _survivor_module(token: str, results: Path) -> str:
    """activations.py that leaves a double-forked, setsid grandchild behind, which waits
    for the grader to finish and then rewrites its results and its last line."""
    return (SOLUTIONS / "activations.py").read_text() + f'''

def _leave_a_survivor():
    import ctypes, os, time
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            ctypes.CDLL(None).prctl(15, {token.encode()!r}, 0, 0, 0)  # PR_SET_NAME
            time.sleep(1.5)
            for target in ({str(results)!r}, "/proc/1/fd/1"):
                try:
                    with open(target, "w") as stream:
                        stream.write("Total: 25 / 25 (100.0%)")
                except OSError:
                    pass
            time.sleep(60)
        os._exit(0)


_leave_a_survivor()
'''


def processes_named(token: str) -> list[int]:
    """The live processes named `token` (a killed one that its parent, maybe the
    machine's init, has not collected yet runs nothing)."""
    found = []
    for entry in os.listdir("/proc"):
        try:
            if entry.isdigit() and Path(f"/proc/{entry}/comm").read_text().strip() == token \
                    and "\nState:\tZ" not in Path(f"/proc/{entry}/status").read_text():
                found.append(int(entry))
        except OSError:
            continue
    return found


@pytest.mark.parametrize("user, failing", [
    ("self", ""), pytest.param("nobody", "", marks=AS_NOBODY),
    # Root without a pid namespace (a container's): the workers' uid is swept instead.
    pytest.param("self", "pid", marks=pytest.mark.skipif(not ROOTED, reason="as root only"))])
def test_nothing_outlives_grading_nor_rewrites_its_report(user, failing):
    token = f"agsurv{uuid.uuid4().hex[:8]}"
    submission = submission_in("survivor")
    results = submission.parent / "results.json"
    (submission / "activations.py").write_text(_survivor_module(token, results))
    process, stdout = run_grade(submission, "--device", "cpu", "--only", "activations",
                                "--json", str(results), user=user,
                                env={SIMULATE_FAILURE_VARIABLE: failing})
    process.communicate(timeout=300)
    assert processes_named(token) == []
    written = results.read_bytes(), stdout.read_bytes()
    assert json.loads(written[0])["score"] == json.loads(written[0])["max_score"] > 0
    time.sleep(2)
    assert (results.read_bytes(), stdout.read_bytes()) == written


def test_a_survivor_outlives_grading_without_the_sandbox():
    """The control: with --sandbox off the grandchild is still there."""
    token = f"agsurv{uuid.uuid4().hex[:8]}"
    submission = submission_in("survivor-control")
    (submission / "activations.py").write_text(
        _survivor_module(token, submission.parent / "elsewhere.json"))
    process, _ = run_grade(submission, "--device", "cpu", "--only", "relu", "--sandbox", "off")
    process.communicate(timeout=300)
    survivors = processes_named(token)
    for pid in survivors:
        os.kill(pid, signal.SIGKILL)
    assert survivors


# -- the next student ------------------------------------------------------------------

def test_an_honest_submission_after_a_malicious_one_in_the_same_process(listener):
    probe = f"sandbox_probe_{uuid.uuid4().hex[:8]}"
    malicious = attack_submission("malicious", listener.getsockname()[1], probe)
    (malicious / "linear_regression.py").write_text(
        _survivor_module(f"agsurv{uuid.uuid4().hex[:8]}", malicious / "results.json")
        .replace((SOLUTIONS / "activations.py").read_text(),
                 (SOLUTIONS / "linear_regression.py").read_text()))
    try:
        report = grade(malicious, device="cpu", lang="en")
    finally:
        assert not _remove_probes(probe)
    # Here the grader is this very process: its /proc entry was out of reach too.
    relu = next(t for t in report.tests if t.function == "relu" and t.status == "failed")
    assert outcomes(relu.output) == {name: "blocked" for name in ATTACKS}
    assert_full_marks(grade(submission_in("honest"), device="cpu", lang="en"))


def test_an_honest_submission_after_a_malicious_one_in_separate_runs(listener):
    probe = f"sandbox_probe_{uuid.uuid4().hex[:8]}"
    malicious = attack_submission("malicious-run", listener.getsockname()[1], probe)
    try:
        graded_cli(malicious, "--device", "cpu")
    finally:
        assert not _remove_probes(probe)
    honest = submission_in("honest-run")
    code, output = graded_cli(honest, "--device", "cpu", "--fail-under", "100")
    assert code == 0, output


# -- clean afterwards -------------------------------------------------------------------

LITTERING_ACTIVATIONS_SUFFIX = '''

def _litter():
    import os, tempfile
    for folder in (tempfile.gettempdir(), os.path.expanduser("~"), "/tmp", {tmpdir!r}):
        try:
            with open(os.path.join(folder, "left-behind.bin"), "wb") as stream:
                stream.write(b"x" * 2**20)
        except OSError:
            pass


_litter()
'''


@pytest.mark.parametrize("user", USERS)
def test_nothing_is_left_in_tmpdir(user):
    tmpdir = shared_folder("tmpdir")
    submission = submission_in("litter")
    activations = submission / "activations.py"
    activations.write_text(activations.read_text()
                           + LITTERING_ACTIVATIONS_SUFFIX.format(tmpdir=str(tmpdir)))
    # All devices: the meta device's warm-up once left torchinductor_<user> behind.
    code, output = graded_cli(submission, "--only", "activations", "--fail-under", "100",
                              user=user, tmpdir=tmpdir)
    assert code == 0, output
    assert list(tmpdir.iterdir()) == []


# -- modes ---------------------------------------------------------------------------

def test_strict_refuses_with_one_line_naming_the_missing_layer():
    submission = submission_in("strict")
    code, output = graded_cli(submission, "--device", "cpu", "--sandbox", "strict",
                              "--lang", "en", env={SIMULATE_FAILURE_VARIABLE: "net"})
    assert code == 3
    assert output.strip() == render("sandbox.refused", "en",
                                    layer=render("sandbox.layer.net", "en"),
                                    reason=SIMULATE_FAILURE_VARIABLE)


def test_a_probe_that_dies_requires_every_layer_and_is_asked_again(tmp_path, monkeypatch):
    # Nothing known of the machine is no licence to grade with less: every layer must be
    # reached, and the next submission probes again.
    from autograder.sandbox import LAYERS, namespaces

    answers = iter([None, ["user", "net"]])
    monkeypatch.setattr(namespaces, "_probe", lambda plan: next(answers))
    monkeypatch.setattr(namespaces, "_MACHINE", {})
    plan = namespaces.plan("auto", str(tmp_path))
    assert namespaces.machine_layers(plan) == list(LAYERS)
    assert namespaces.machine_layers(plan) == ["user", "net"]


def test_which_rule_refuses_and_whom_its_line_blames():
    """strict blames the machine; root without a uid of the workers' own refuses in any
    mode; a layer the machine's probe found, lost for one submission, is refused too
    (never graded with less); a submission that broke a limit is graded, not refused."""
    from autograder.sandbox import Isolation, SandboxUnavailable

    every = ["user", "mount", "pid", "net"]
    cases = [
        (Isolation("strict", reached=every[:3], missing={"net": "EPERM"}), "strict", "net"),
        (Isolation("auto", root=True, reached=every[1:], missing={"user": "EACCES"},
                   machine=every[1:]), "root", "user"),
        (Isolation("auto", reached=every[:2], missing={"pid": "ENOMEM"}, machine=every[:3]),
         "lost", "pid")]
    for isolation, kind, layer in cases:
        with pytest.raises(SandboxUnavailable) as refused:
            isolation.require()
        assert (refused.value.kind, refused.value.layer) == (kind, layer)
        assert "machine" in refused.value.render("en") and "机器" in refused.value.render("zh")
    Isolation("auto", reached=every[:2], missing={"pid": "EPERM", "net": "EPERM"},
              machine=every[:2]).require()  # what the machine gives: graded
    Isolation("strict", reached=every[:1], refused={"limit": "files", "value": 64}).require()


def test_strict_grades_when_every_layer_is_there():
    code, output = graded_cli(submission_in("strict-ok"), "--device", "cpu", "--only", "relu",
                              "--sandbox", "strict", "--fail-under", "100")
    assert code == 0, output


@pytest.mark.parametrize("user", USERS)
def test_auto_grades_without_user_namespaces_and_says_what_is_missing(user):
    """As an ordinary user, no user namespace means no namespace at all; as root, no uid
    of the workers' own means no grading (see the next test)."""
    submission = submission_in("degraded")
    results = submission.parent / "results.json"
    code, output = graded_cli(submission, "--device", "cpu", "--only", "relu", "--json",
                              str(results), "--fail-under", "100", "--lang", "en",
                              user=user, env={SIMULATE_FAILURE_VARIABLE: "user"})
    if ROOTED and user == "self":
        assert code == 3 and output.strip() == refused_as_root(SIMULATE_FAILURE_VARIABLE)
        return
    assert code == 0, output
    line = json.loads(results.read_text())["extra_data"]["isolation"]
    assert line in output and "missing" in line
    missing = line.split("missing:")[1]
    assert render("sandbox.layer.user_namespace", "en") in missing
    if user == "nobody":  # nothing else can be set up without one
        for layer in ("mount", "pid", "net"):
            assert render(f"sandbox.layer.{layer}", "en") in missing


def refused_as_root(reason: str) -> str:
    return render("sandbox.refused_root", "en", layer=render("sandbox.layer.user_root", "en"),
                  reason=reason)


# relu leaves a mark where it runs as root, then answers correctly.
ROOT_MARKING_RELU = """
def relu(X):
    import os
    if os.geteuid() == 0:
        open({marker!r}, "w").write("student code ran as root")
    return torch.where(X > 0, X, torch.zeros_like(X))
"""


@pytest.mark.skipif(not ROOTED, reason="the grader runs as root here only")
def test_root_never_runs_student_code_as_root_without_its_own_root():
    """Without the mount layer, the workers' uid reaches the interpreter through the real
    folders: where one of them admits only root (a pyenv in root's home), the grader
    refuses rather than grade as uid 0; elsewhere the workers run as the sandbox's uid."""
    from autograder.sandbox.namespaces import _check_reachable, _interpreter_folders

    folder = shared_folder("root-fallback")
    marker = folder / "marker.txt"
    submission = with_function(copy_solutions(folder / "submission"), "activations",
                               ROOT_MARKING_RELU.format(marker=str(marker)))
    code, output = graded_cli(submission, "--device", "cpu", "--only", "relu", "--lang", "en",
                              env={SIMULATE_FAILURE_VARIABLE: "mount"})
    try:
        _check_reachable(_interpreter_folders(), 2**24)
    except PermissionError:
        assert code == 3 and output.strip() == refused_as_root("EACCES")
    else:
        assert code == 0 and render("sandbox.layer.user_root", "en") in output
    assert not marker.exists()


# -- a submission that does not fit in the sandbox ----------------------------------------

# The private /tmp's number of files, lowered for the test: in the zygote's plan only, so
# that the submission reaches the sandbox, whatever staging checks before (its own limits
# keep a real submission under the real one).
FILES_LIMIT = 64
LOWERED_FILES_LIMIT = (
    "-c", "import dataclasses, sys; import autograder.api as api; real = api.sandbox_plan; "
    f"api.sandbox_plan = lambda *a, **k: dataclasses.replace(real(*a, **k), "
    f"inode_limit={FILES_LIMIT}); from autograder.cli import grade_main; "
    "sys.exit(grade_main(sys.argv[1:]))")


def overflowing_submission(kind: str) -> Path:
    """The solutions and more small files than the lowered limit allows."""
    submission = submission_in(kind)
    for number in range(FILES_LIMIT + 16):
        (submission / f"note_{number}.py").write_text("x = 1\n")
    return submission


@pytest.mark.parametrize("user, mode", [("self", "auto"), ("self", "strict"),
                                        pytest.param("nobody", "auto", marks=AS_NOBODY)])
def test_a_submission_that_does_not_fit_scores_zero_naming_the_limit(user, mode):
    """Its files exceed the private /tmp's number of files: it is not graded (0, the
    limit named in every test), the machine's layers are not lost, `grade` exits 0 with
    a complete report; strict mode does not blame the machine."""
    submission = overflowing_submission(f"overflow-{mode}")
    results = submission.parent / "results.json"
    code, output = graded_cli(submission, "--device", "cpu", "--only", "activations",
                              "--lang", "en", "--sandbox", mode, "--json", str(results),
                              user=user, entry=LOWERED_FILES_LIMIT)
    assert code == 0, output
    graded = json.loads(results.read_text())
    line = render("sandbox.staging.files", "en", limit=FILES_LIMIT)
    assert graded["score"] == 0 and graded["tests"]
    assert all(t["status"] == "failed" and line in t["output"] for t in graded["tests"])
    assert graded["extra_data"]["isolation"] in output and "missing" not in output
    assert f"Isolation ({mode})" in output


def test_without_the_sandbox_the_same_submission_is_graded(monkeypatch):
    """The control: the same files, with --sandbox off, are graded (full marks)."""
    import dataclasses

    import autograder.api as api

    real = api.sandbox_plan
    monkeypatch.setattr(api, "sandbox_plan", lambda *a, **k: dataclasses.replace(
        real(*a, **k), inode_limit=FILES_LIMIT))
    submission = overflowing_submission("overflow-off")
    assert_full_marks(grade(submission, device="cpu", only="activations", sandbox="off"))
    refused = grade(submission, device="cpu", only="relu", lang="en")
    assert refused.score == 0 and {t.diagnosis for t in refused.tests} == {
        "sandbox.staging.files"}


def test_a_submission_over_the_size_of_the_private_tmp_is_named_too(monkeypatch):
    import dataclasses

    import autograder.api as api

    real = api.sandbox_plan
    monkeypatch.setattr(api, "sandbox_plan", lambda *a, **k: dataclasses.replace(
        real(*a, **k), disk_limit=2**20))
    submission = submission_in("oversized")
    (submission / "weights.py").write_text("W = " + "1" * 2**20 + "\n")  # 1 MiB, a big file
    report = grade(submission, device="cpu", only="relu", lang="zh")
    assert report.score == 0 and {t.message for t in report.tests} == {
        render("sandbox.staging.size", "zh", limit="1 MiB")}


def test_in_a_class_the_student_who_does_not_fit_scores_zero_and_the_next_is_graded(
        monkeypatch):
    import dataclasses

    import autograder.api as api
    from autograder.batch import grade_class

    real = api.sandbox_plan
    monkeypatch.setattr(api, "sandbox_plan", lambda *a, **k: dataclasses.replace(
        real(*a, **k), inode_limit=FILES_LIMIT))
    klass = shared_folder("class")
    shutil.move(overflowing_submission("class-overflow"), klass / "a_overflow")
    shutil.move(submission_in("class-honest"), klass / "b_honest")
    run = grade_class(klass, out=shared_folder("class-out"), jobs=1, device="cpu", lang="en")
    rows = {record.student: record for record in run.records}
    assert rows["a_overflow"].status == "graded" and rows["a_overflow"].score == 0
    assert {m.key for m in rows["a_overflow"].mistakes} == {"sandbox.staging.files"}
    assert rows["b_honest"].score == rows["b_honest"].max_score > 0


def test_the_level_is_stated_in_the_text_and_results_json(tmp_path):
    report = grade(copy_solutions(tmp_path / "s"), device="cpu", only="relu", lang="zh")
    assert report.isolation in report.render_text().splitlines()
    assert report.to_gradescope()["extra_data"]["isolation"] == report.isolation
    assert render("sandbox.layer.net", "zh") in report.isolation
    off = grade(copy_solutions(tmp_path / "o"), device="cpu", only="relu", sandbox="off")
    assert off.isolation == render("sandbox.level_off", off.lang)




# -- the grader's environment --------------------------------------------------------------

# relu prints every variable it sees, and the environment its process started with, then
# answers wrongly so that what it printed is in the report.
ENVIRONMENT_RELU = """
def relu(X):
    import os
    print("VARIABLES", dict(os.environ))
    try:
        with open("/proc/self/environ", "rb") as stream:
            print("STARTED WITH", stream.read().decode(errors="replace"))
    except OSError as error:
        print("STARTED WITH unreadable", type(error).__name__)
    return X
"""


@pytest.mark.parametrize("mode", ["auto", "off"])
def test_student_code_sees_none_of_the_graders_environment(mode):
    """A token in the grader's environment (CI, Classroom) is not there to print, in any
    mode; a variable of the short list workers keep (the locale) is, which shows the
    printing worked."""
    secret = f"token-{uuid.uuid4().hex}"
    submission = with_function(submission_in(f"environment-{mode}"), "activations",
                               ENVIRONMENT_RELU)
    results = submission.parent / "results.json"
    code, output = graded_cli(submission, "--device", "cpu", "--only", "relu", "--json",
                              str(results), "--sandbox", mode,
                              env={"CLASSROOM_TOKEN": secret, "LC_PAPER": "C.UTF-8"})
    printed = "".join(t["output"] for t in json.loads(results.read_text())["tests"])
    assert "VARIABLES" in printed and "'LC_PAPER': 'C.UTF-8'" in printed, output
    assert "STARTED WITH" in printed
    assert secret not in printed and "CLASSROOM_TOKEN" not in printed


# -- the nbgrader course ------------------------------------------------------------------

def test_nbgrader_init_passes_the_mode_to_the_test_cells(tmp_path):
    from autograder import instructor, service

    assert instructor.main(["nbgrader", "init", str(tmp_path), "--only", "activations",
                            "--sandbox", "off"]) == 0
    notebook = json.loads((tmp_path / "source" / "activations" / "activations.ipynb")
                          .read_text())
    sources = ["".join(cell["source"]) for cell in notebook["cells"]]
    checks = [s for s in sources if "Check(" in s]
    assert checks and all("sandbox='off'" in s for s in checks)
    # What such a cell asks of the grading service, which the kernel's student code could
    # ask too: the service grades in the sandbox all the same (tests/test_service.py).
    import autograder.api as api

    answer = service._answer(api, {"module": "activations", "function": "relu",
                                   "source": (SOLUTIONS / "activations.py").read_text(),
                                   "device": "cpu", "lang": "en", "sandbox": "off"})
    assert answer["score"] == answer["max_score"] > 0
    assert render("sandbox.level_off", "en") not in answer["text"]


# -- the grader's view of a worker ----------------------------------------------------------

@pytest.mark.parametrize("mode", ["auto", "off"])
def test_the_grader_knows_each_workers_pid_in_its_own_namespace(tmp_path, mode):
    """A worker's pid is its pid namespace's; host_pid is the one /proc shows the grader."""
    from autograder import sandbox
    from autograder.pool import WorkerPool
    from autograder.submission import find_submission

    submission = find_submission(copy_solutions(tmp_path / "s"))
    staging = submission.stage()
    try:
        plan = sandbox.plan(mode, staging, submission.path) if mode != "off" else None
        with WorkerPool(staging, sandbox=plan) as pool:
            pool.request({"module": "activations", "procedure": "import"}, timeout=60)
            worker = pool._workers["cpu"]
            status = Path(f"/proc/{worker.host_pid}/status").read_text()
    finally:
        shutil.rmtree(staging)
    nspids = next(line for line in status.splitlines() if line.startswith("NSpid:")).split()
    assert int(nspids[1]) == worker.host_pid and int(nspids[-1]) == worker.pid
    assert (len(nspids) > 2) == (mode == "auto")


MULTIPROCESSING_RELU = """
def relu(X):
    import multiprocessing
    lock = multiprocessing.Lock()  # a POSIX semaphore, in /dev/shm
    with lock:
        return torch.where(X > 0, X, torch.zeros_like(X))
"""


def test_multiprocessing_primitives_work_in_the_sandbox(tmp_path):
    folder = with_function(copy_solutions(tmp_path / "s"), "activations", MULTIPROCESSING_RELU)
    assert_full_marks(grade(folder, device="cpu", only="relu"))


# -- signals -------------------------------------------------------------------------------

# Kill every process it may signal, but only from where that is known to be the sandbox
# (not root, and the parent is a pid namespace's init): elsewhere it would be everyone's.
# Outside it answers wrongly, so that the test fails rather than passes unattacked.
KILL_EVERYONE_RELU = """
def relu(X):
    import os, signal
    if os.getuid() == 0 or os.getppid() != 1:
        return X
    try:
        os.kill(-1, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):  # nothing it may signal, or refused
        pass
    return torch.where(X > 0, X, torch.zeros_like(X))
"""


def test_a_signal_to_every_process_reaches_no_one_outside(tmp_path):
    """kill(-1, SIGKILL) from a worker: the grader, the zygote and the worker live on."""
    folder = with_function(copy_solutions(tmp_path / "s"), "activations", KILL_EVERYONE_RELU)
    assert_full_marks(grade(folder, device="cpu", only="activations", lang="en"))


def test_nothing_outlives_a_grader_that_is_killed():
    token = f"agsurv{uuid.uuid4().hex[:8]}"
    submission = submission_in("killed")
    # The grader is still waiting on relu, which never returns, when it is killed.
    (submission / "activations.py").write_text(
        _survivor_module(token, submission.parent / "results.json")
        + "\n\ndef relu(X):\n    while True:\n        pass\n")
    process, _ = run_grade(submission, "--device", "cpu", "--only", "relu",
                           "--timeout", "600", tmpdir=shared_folder("killed-tmp"))
    for _ in range(600):  # until the survivor is there (bounded: the test fails after)
        if processes_named(token):
            break
        time.sleep(0.1)
    assert processes_named(token)
    process.kill()
    process.communicate(timeout=60)
    for _ in range(300):  # the namespace ends once the zygote sees the grader gone
        if not processes_named(token):
            break
        time.sleep(0.1)
    assert processes_named(token) == []


# A file the grading process holds open on a high descriptor, which no worker may use.
HIGH_DESCRIPTOR_RELU = """
def relu(X):
    import os
    for fd in range(3, 4096):
        try:
            os.fstat(fd)
        except OSError:
            continue
        if os.readlink(f"/proc/self/fd/{fd}").endswith("grader-secret.txt"):
            return X
    return torch.where(X > 0, X, torch.zeros_like(X))
"""


def test_a_worker_holds_none_of_the_graders_files(tmp_path):
    secret = open(tmp_path / "grader-secret.txt", "w")
    high = os.dup2(secret.fileno(), 1000)
    try:
        folder = with_function(copy_solutions(tmp_path / "s"), "activations",
                               HIGH_DESCRIPTOR_RELU)
        assert_full_marks(grade(folder, device="cpu", only="relu"))
    finally:
        os.close(high)
        secret.close()


def test_the_level_is_stated_when_no_worker_ever_started(tmp_path):
    folder = tmp_path / "s"
    folder.mkdir()
    (folder / "activations.py").write_text((SOLUTIONS / "activations.py").read_text())
    report = grade(folder, device="cpu", only="language_model", lang="en")
    assert report.score == 0 and "Isolation (auto)" in report.isolation
