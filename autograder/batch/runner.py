"""The grading processes of a class run: each grades one student at a time, as `grade` does.

The class run's process forks them once torch is imported and before anything of the
grading side is loaded. Each first forks a ZygoteFactory (autograder.pool), which
prepares what every worker needs once; every student's zygote is then forked from it
and enters a sandbox of its own, as `grade`'s does: a student's code never shares a
worker or a staged folder with another's, nor, where the sandbox is complete, a pid
namespace, a /tmp or a uid.
The grading process asks nothing of the student's code but what `autograder.api.grade`
asks, and writes the student's reports itself (the class run writes the record of a
student whose grading process died).

The class run talks to each over a socket, one JSON document a line:
    -> {"student": id, "path": folder, "source": as found, "digest": hash}
    <- {"student": id, "record": {...}}   (a StudentRecord)
    <- {"fatal": [layer, reason, kind]}   (a layer that must be there is not: SandboxUnavailable)
"""

from __future__ import annotations

import gc
import json
import os
import shutil
import signal
import socket
import sys
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from autograder.batch.record import Mistake, StudentRecord


@dataclass
class Settings:
    """What every student is graded with; the same for the whole class."""

    out: str
    device: str
    timeout: float
    deadline: float
    lang: str
    sandbox: str
    pictures: bool
    hide: list[str] = field(default_factory=list)
    assignment: str | None = None  # grade its modules; None: every module of the course
    exercises: list[str] = field(default_factory=list)  # the packs beside the built-in ones
    figures: str | None = None  # where the grading processes share the figures they draw


@dataclass
class Grader:
    """The class run's end of one grading process."""

    pid: int
    sock: socket.socket
    buffer: bytes = b""
    job: dict[str, Any] | None = None  # the student it grades now
    started: float = 0.0


def start_grader(settings: Settings, others: list[Grader] = ()) -> Grader:
    """Fork a grading process; the caller must not hold threads or the grading side.

    `others`: the grading processes already running, whose channels the new one must
    not keep open (each ends when the class run closes its channel).
    """
    from autograder.forks import fork_frozen

    ours, theirs = socket.socketpair()
    pid = fork_frozen()
    if pid == 0:  # pragma: no cover - runs in the grading process
        ours.close()
        for other in others:
            other.sock.close()
        status = 0
        try:
            _serve(theirs, settings)
        except BaseException:
            status = 1
        finally:
            os._exit(status)
    theirs.close()
    return Grader(pid, ours)


def send(grader: Grader, message: dict[str, Any]) -> None:
    grader.sock.sendall(json.dumps(message).encode() + b"\n")


def receive(grader: Grader) -> list[dict[str, Any]] | None:
    """The messages that arrived (maybe none yet); None once the process has gone."""
    try:
        data = grader.sock.recv(2**20)
    except ConnectionResetError:
        data = b""
    if not data:
        return None
    grader.buffer += data
    *lines, grader.buffer = grader.buffer.split(b"\n")
    return [json.loads(line) for line in lines if line.strip()]


def stop(grader: Grader, *, kill: bool = False) -> dict[str, Any]:
    """End a grading process and collect it: its exit status as plain data."""
    grader.sock.close()  # it reads the end of its jobs and exits
    if kill:
        try:
            os.kill(grader.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    _, status = os.waitpid(grader.pid, 0)
    if os.WIFSIGNALED(status):
        return {"code": None, "signal": signal.Signals(os.WTERMSIG(status)).name}
    return {"code": os.WEXITSTATUS(status), "signal": None}


def empty_folder(settings: Settings, student: str) -> Path:
    """OUT/<student>/, emptied of what an earlier grading of the student left there."""
    folder = Path(settings.out, student)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


def write_record(folder: Path, record: StudentRecord) -> None:
    """OUT/<student>/record.json: what a later run reuses if the record says graded.
    The grading process writes it last; the class run, for a student whose grading
    process died."""
    (folder / "record.json").write_text(json.dumps(record.to_dict(), ensure_ascii=False),
                                        encoding="utf-8")


# -- in the grading process -----------------------------------------------------------

def _serve(sock: socket.socket, settings: Settings) -> None:  # pragma: no cover - a grader
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the class run answers Ctrl-C for all
    from autograder.pool import ZygoteFactory

    with ZygoteFactory() as factory:
        import torch

        torch.set_num_threads(1)  # graders run side by side, one a core
        from autograder import api, registry
        from autograder.plugin import SuiteSession

        registry.use_packs(settings.exercises)  # their suites are collected with the rest
        suites = SuiteSession()
        # The students are graded in one pytest session, whose suites are collected once.
        suites.serve(lambda: _grade_each(sock, settings, api, factory, suites))


def _grade_each(sock: socket.socket, settings: Settings, api: Any, factory: Any,
                suites: Any) -> None:  # pragma: no cover - a grader
    from autograder.sandbox import SandboxUnavailable

    stream = sock.makefile("rb")
    for graded, line in enumerate(stream):
        if graded == 1:  # what the first student's grading imported stays till the end
            gc.collect()
            gc.freeze()
        job = json.loads(line)
        # The garbage collector's automatic passes walked what grading a student
        # allocates some 70 times during one (55 ms of 1.5 s); one pass after the
        # student frees the same.
        gc.disable()
        try:
            record = grade_student(api, factory, job, settings, suites=suites)
        except SandboxUnavailable as error:
            sock.sendall(json.dumps({"fatal": list(error.args)}).encode() + b"\n")
            return
        finally:
            gc.enable()
            # All that grading the student left is in the youngest generation (the
            # collector was off): a pass over it alone frees it, in about two thirds of
            # the time of a pass that also walks every older object (42 ms against 60,
            # over ten students). Every tenth student, a full pass frees what has grown
            # old since.
            gc.collect(0 if graded % 10 else 2)
        sock.sendall(json.dumps({"student": job["student"],
                                 "record": record.to_dict()}).encode() + b"\n")


def grade_student(api: Any, factory: Any, job: dict[str, Any], settings: Settings, *,
                  suites: Any = None) -> StudentRecord:  # pragma: no cover - a grader
    """Grade one student as `grade` would and write their reports into OUT/<student>/;
    `suites`: the grading process's SuiteSession (autograder.plugin)."""
    from autograder.options import BadOption
    from autograder.submission import NotASubmission

    started = time.perf_counter()
    folder = empty_folder(settings, job["student"])
    record = StudentRecord(student=job["student"], source=job["source"], digest=job["digest"])
    try:
        report = api.grade(job["path"], device=settings.device, timeout=settings.timeout,
                           deadline=settings.deadline, lang=settings.lang,
                           sandbox=settings.sandbox, pictures=settings.pictures,
                           zygotes=factory, hide=settings.hide,
                           assignment=settings.assignment, exercises=settings.exercises,
                           whole_course=True, suites=suites)
    except (BadOption, NotASubmission) as error:
        message = error.render(settings.lang) if isinstance(error, BadOption) else str(error)
        record.status = f"error: {_one_line(message)}"
    except (RuntimeError, OSError) as error:  # the grader's own failure, for this student
        record.status = f"error: {_one_line(f'{type(error).__name__}: {error}')}"
        print(traceback.format_exc(), file=sys.stderr)
    else:
        _write_reports(report, folder, settings)
        _fill(record, report)
    record.seconds = time.perf_counter() - started
    # Written last: a run stopped before this point grades the student again.
    write_record(folder, record)
    return record


def _write_reports(report: Any, folder: Path, settings: Settings) -> None:
    report.write_json(str(folder / "results.json"))
    (folder / "feedback.txt").write_text(report.render_text() + "\n", encoding="utf-8")
    from autograder.feedback import write_html

    if settings.pictures and settings.figures:
        from autograder.feedback import plots

        plots.share_figures(settings.figures)
    write_html(report, str(folder / "feedback.html"))


def _fill(record: StudentRecord, report: Any) -> None:
    """The record's points and mistakes, from a student's report."""
    record.score, record.max_score = report.score, report.max_score
    for test in report.tests:
        for key, table in ((f"{test.module}.{test.function}", record.functions),
                           (test.module, record.modules)):
            earned, worth = table.setdefault(key, [0.0, 0.0])
            table[key] = [round(earned + test.score, 6), round(worth + test.max_score, 6)]
        if test.status == "failed":
            record.mistakes.append(Mistake(module=test.module, function=test.function,
                                           key=test.diagnosis, message=test.message,
                                           device=test.device))


def _one_line(text: str) -> str:
    return " ".join(text.split())
