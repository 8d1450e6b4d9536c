"""A whole class in one run: `grade_class(SUBMISSIONS, out=OUT)`, or `autograder batch`.

Every student is graded as `grade <their folder>` grades them, point for point, each in
a sandbox of their own (see autograder.batch.runner), and OUT receives:

    grades.csv                 a row per student: points per function and module, total
    class.html, class.md       the histogram of totals, each function's pass rate, the
                               functions not implemented yet, the class's most common
                               mistakes with the students' ids, and a row per student
                               linking to their feedback page
    <student>/results.json     Gradescope's format
    <student>/feedback.html    the feedback page, with pictures (autograder.feedback)
    <student>/feedback.txt     the text report
    <student>/record.json      what a later run reuses while the submission is unchanged

A later run grades only the students whose submission (or the grader, or the options)
changed since, by content hash, unless `force`.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import selectors
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from autograder import registry
from autograder.batch import runner
from autograder.batch.record import StudentRecord
from autograder.batch.summary import ClassSummary
from autograder.messages import default_language, render
from autograder.options import DEFAULT_DEADLINE, DEFAULT_TIMEOUT, BadOption, check_options

__all__ = ["ClassRun", "StudentRecord", "grade_class"]

# Past the deadline, this long again for the grading process to wrap up and answer:
# only a grader that is itself stuck meets it.
_GRACE_SECONDS = 60.0


@dataclass
class ClassRun:
    """What a class run did: a record per student, sorted by id, and what it skipped."""

    out: Path
    records: list[StudentRecord]
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
    graded: int = 0  # students graded in this run
    reused: int = 0  # students whose record was reused, their submission unchanged
    seconds: float = 0.0
    summary: ClassSummary | None = None  # what class.html and class.md show


Progress = Callable[[int, int, "StudentRecord | None"], None]


def grade_class(submissions: str | os.PathLike, *, out: str | os.PathLike,
                jobs: int | None = None, device: str = "all",
                timeout: float = DEFAULT_TIMEOUT, deadline: float = DEFAULT_DEADLINE,
                lang: str | None = None, sandbox: str = "auto", force: bool = False,
                progress: Progress | None = None, assignment: str | None = None,
                exercises: Sequence[str | os.PathLike] = ()) -> ClassRun:
    """Grade every student found in `submissions` into the folder `out`.

    submissions: a folder of student folders, an nbgrader `submitted/` tree (or the
        course folder above it), a folder of per-student .zip files, or a Gradescope
        export (see autograder.batch.discover); what is not a submission is skipped,
        with the reason, in ClassRun.skipped and the class report.
    jobs: students graded at once (default: the machine's cores).
    device, timeout, deadline, lang, sandbox: as for autograder.api.grade, per student.
    force: grade every student again, even those whose submission did not change.
    assignment: grade that assignment's modules (autograder.registry.assignments());
        by default every module of the course. Either way a module a student did not
        hand in counts 0, so that every student has the same maximum.
    exercises: folders of exercise packs to grade with, beside the built-in ones.
    progress: called as progress(done, total, record) before the first student (with
        record None) and after each one.
    Raises BadOption for an option that cannot be graded, NotASubmission when
    `submissions` is not a folder, SandboxUnavailable with sandbox="strict" on a
    machine that lacks a layer.
    """
    from autograder.batch import summary
    from autograder.batch.discover import find_students

    started = time.perf_counter()
    registry.use_packs(exercises)
    registry.check_assignment(assignment)
    check_options(device=device, timeout=timeout, lang=lang, deadline=deadline,
                  sandbox=sandbox)
    jobs = _jobs(jobs)
    lang = lang or default_language()
    out = Path(out).resolve()
    scratch = tempfile.mkdtemp(prefix="autograder-class-")
    try:
        students, skipped = find_students(submissions, scratch=scratch, lang=lang)
        out.mkdir(parents=True, exist_ok=True)
        settings = runner.Settings(
            out=str(out), device=device, timeout=timeout, deadline=deadline, lang=lang,
            sandbox=sandbox, pictures=importlib.util.find_spec("matplotlib") is not None,
            hide=[os.path.realpath(submissions), str(out), scratch],
            assignment=assignment, exercises=registry.extra_packs(),
            figures=os.path.join(scratch, "figures"))
        os.mkdir(settings.figures)
        fingerprint = _fingerprint(settings)
        records, todo = {}, []
        for student in students:
            digest = hashlib.sha256(f"{student.digest}:{fingerprint}".encode()).hexdigest()
            kept = None if force else _kept_record(out, student.id, digest)
            if kept is not None:
                records[student.id] = kept
            else:
                todo.append({"student": student.id, "path": str(student.path),
                             "source": str(student.source), "digest": digest})
        total = len(students)
        if progress:
            progress(len(records), total, None)
        reused = len(records)
        for record in _grade_all(todo, settings, jobs):
            records[record.student] = record
            if progress:
                progress(len(records), total, record)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    ordered = [records[s.id] for s in students]
    skipped_lines = [(str(item.path), item.reason) for item in skipped]
    chosen = registry.assignments()[assignment] if assignment else None
    columns = _columns(device, ordered, chosen)
    summary.write_grades_csv(ordered, out / "grades.csv", columns=columns, lang=lang)
    overview = summary.class_summary(ordered, columns=columns, lang=lang,
                                     skipped=skipped_lines)
    summary.write_class_markdown(overview, out / "class.md", lang=lang)
    summary.write_class_html(overview, out / "class.html", lang=lang)
    return ClassRun(out=out, records=ordered, skipped=skipped_lines, graded=len(todo),
                    reused=reused, seconds=time.perf_counter() - started, summary=overview)


def _jobs(jobs: int | None) -> int:
    if jobs is None:
        return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
                   else os.cpu_count() or 1)
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
        raise BadOption("cli.bad_jobs", value=jobs)
    return jobs


def _grade_all(todo: list[dict], settings: runner.Settings,
               jobs: int) -> Iterator[StudentRecord]:
    """Grade the students of `todo` in `jobs` grading processes; yield each record."""
    if not todo:
        return
    # torch is imported here once, and each grading process inherits it.
    import torch  # noqa: F401

    pending = list(reversed(todo))
    graders: list[runner.Grader] = []
    for _ in range(min(jobs, len(todo))):
        graders.append(runner.start_grader(settings, graders))
    selector = selectors.DefaultSelector()
    for grader in graders:
        selector.register(grader.sock, selectors.EVENT_READ, grader)
    finished = False
    try:
        for grader in graders:
            _next_job(grader, pending)
        while any(grader.job for grader in graders):
            for key, _ in selector.select(timeout=1.0):
                grader = key.data
                messages = runner.receive(grader)
                if messages is None:  # it died: its student gets the reason
                    yield from _replace(grader, graders, selector, settings, pending,
                                        killed=False)
                    continue
                for message in messages:
                    if "fatal" in message:
                        from autograder.sandbox import SandboxUnavailable

                        raise SandboxUnavailable(*message["fatal"])
                    yield StudentRecord.from_dict(message["record"])
                    _next_job(grader, pending)
            for grader in list(graders):
                # Read each time round: a test shortens the grace for one student.
                if grader.job and time.monotonic() - grader.started > \
                        settings.deadline + _GRACE_SECONDS:
                    yield from _replace(grader, graders, selector, settings, pending,
                                        killed=True)
        finished = True
    finally:  # idle once all is done: each ends its zygote factory and exits
        for grader in graders:
            selector.unregister(grader.sock)
            runner.stop(grader, kill=not finished)


def _next_job(grader: runner.Grader, pending: list[dict]) -> None:
    grader.job = pending.pop() if pending else None
    if grader.job is not None:
        grader.started = time.monotonic()
        runner.send(grader, grader.job)


def _replace(grader: runner.Grader, graders: list[runner.Grader],
             selector: selectors.BaseSelector, settings: runner.Settings,
             pending: list[dict], *, killed: bool) -> Iterator[StudentRecord]:
    """A grading process that died or got stuck: its student's row says so, and a fresh
    process takes the rest of its share."""
    job = grader.job
    selector.unregister(grader.sock)
    graders.remove(grader)
    ending = runner.stop(grader, kill=killed)
    reason = (render("batch.grader_stuck", settings.lang,
                     seconds=round(time.monotonic() - grader.started))
              if killed else render("batch.grader_died", settings.lang,
                                    ending=ending["signal"] or ending["code"]))
    record = StudentRecord(student=job["student"], source=job["source"], digest="",
                           status=f"error: {reason}")
    # The process may have written the student's reports and record before it died, and
    # not yet said so: the folder holds what this run's row says, and a later run grades
    # the student again.
    runner.write_record(runner.empty_folder(settings, job["student"]), record)
    yield record
    if pending:
        fresh = runner.start_grader(settings, graders)
        graders.append(fresh)
        selector.register(fresh.sock, selectors.EVENT_READ, fresh)
        _next_job(fresh, pending)


def _kept_record(out: Path, student: str, digest: str) -> StudentRecord | None:
    """The record of an earlier run, if it graded this very submission the same way and
    its reports are all still there."""
    folder = out / student
    try:
        record = StudentRecord.from_dict(json.loads((folder / "record.json").read_text(
            encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return None
    if record.digest != digest or not record.graded:
        return None
    if not all((folder / name).is_file() for name in _REPORTS):
        return None
    return record


_REPORTS = ("results.json", "feedback.txt", "feedback.html")


def _fingerprint(settings: runner.Settings) -> str:
    """What else a grade depends on: the options, and the grader's own files."""
    digest = hashlib.sha256()
    for name in ("device", "timeout", "deadline", "lang", "sandbox", "pictures",
                 "assignment", "exercises"):
        digest.update(f"{name}={getattr(settings, name)};".encode())
    package = Path(__file__).resolve().parent.parent
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    for exercise in registry.exercises():  # each unit, its reference and its stub
        for path in sorted([*exercise.folder.glob("*.py"), exercise.reference_file,
                            exercise.stub]):
            digest.update(path.as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _columns(device: str, records: list[StudentRecord],
             modules: list[str] | None = None) -> dict[str, dict[str, float]]:
    """{module: {function: points}} in the suites' order: grades.csv's columns.

    Every graded student's report has every function of `modules` (by default, of the
    course; a module not handed in fails its tests), with its worth; only a class with no
    one graded needs the suites collected.
    """
    from autograder.options import exercise_functions

    graded = next((r for r in records if r.graded and r.functions), None)
    if graded is not None:
        worth = {name: points for name, (_, points) in graded.functions.items()}
    else:
        from autograder.course import points_by_function

        worth = {f"{module}.{function}": points.points
                 for module, functions in points_by_function(device).items()
                 for function, points in functions.items()}
    return {module: {function: worth[f"{module}.{function}"] for function in functions
                     if f"{module}.{function}" in worth}
            for module, functions in exercise_functions().items()
            if modules is None or module in modules}
