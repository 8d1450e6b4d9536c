"""What `autograder batch` shows while it grades: a progress bar on a terminal (rich),
a line every few seconds elsewhere (a log, CI), then what was done and written."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, TextIO

from autograder.messages import render

if TYPE_CHECKING:
    from autograder.batch import ClassRun
    from autograder.batch.record import StudentRecord

LINE_SECONDS = 5.0  # how often a line is printed when the output is not a terminal


class ProgressLines:
    """A line every LINE_SECONDS, and one when the last student is done."""

    def __init__(self, stream: TextIO, lang: str):
        self.stream, self.lang = stream, lang
        self.started = time.monotonic()
        self.last = 0.0
        self.first_done: int | None = None  # reused at the start: not counted in the rate

    def __call__(self, done: int, total: int, record: StudentRecord | None) -> None:
        now = time.monotonic()
        if self.first_done is None:
            self.first_done = done
        if record is not None and now - self.last < LINE_SECONDS and done < total:
            return
        if record is None and done < total:
            return  # nothing graded yet: the first line comes with the first student
        self.last = now
        elapsed = now - self.started
        graded = done - self.first_done
        left = elapsed / graded * (total - done) if graded else 0.0
        print(render("batch.run.progress", self.lang, done=done, total=total,
                     percent=100.0 * done / total if total else 100.0,
                     elapsed=round(elapsed), left=round(left)),
              file=self.stream, flush=True)

    def close(self) -> None:
        pass


class ProgressBar:
    """rich's progress bar with the time left. It is refreshed by each call, never by a
    thread: the class run forks its grading processes meanwhile."""

    def __init__(self, stream: TextIO, lang: str):
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        console = Console(file=stream, force_terminal=True)
        self.progress = Progress(TextColumn(render("batch.run.bar", lang)), BarColumn(),
                                 MofNCompleteColumn(), TimeElapsedColumn(),
                                 TimeRemainingColumn(), console=console, auto_refresh=False,
                                 transient=False)
        self.task = None

    def __call__(self, done: int, total: int, record: StudentRecord | None) -> None:
        if self.task is None:
            self.progress.start()
            self.task = self.progress.add_task("", total=total, completed=done)
        self.progress.update(self.task, completed=done)
        self.progress.refresh()

    def close(self) -> None:
        if self.task is not None:
            self.progress.stop()


def progress_for(stream: TextIO, lang: str, *, terminal: bool) -> ProgressLines | ProgressBar:
    return ProgressBar(stream, lang) if terminal else ProgressLines(stream, lang)


def print_outcome(run: ClassRun, stream: TextIO, lang: str) -> None:
    """What was done, what went wrong, and where the reports are."""
    errors = [r for r in run.records if not r.graded]
    for path, reason in run.skipped:
        print(render("batch.run.skipped", lang, path=path, reason=reason), file=stream)
    for record in errors:
        print(render("batch.run.error", lang, student=record.student,
                     reason=record.status.removeprefix("error: ")), file=stream)
    print(render("batch.run.done", lang, students=len(run.records), seconds=round(run.seconds,
                                                                                    1),
                 graded=run.graded, reused=run.reused, errors=len(errors),
                 skipped=len(run.skipped)), file=stream)
    top = run.summary.mistakes[0] if run.summary and run.summary.mistakes else None
    if top is not None:
        print(render("batch.run.top_mistake", lang, label=top.label, count=top.count,
                     graded=run.summary.graded), file=stream)
    files = ", ".join(str(run.out / name) for name in ("grades.csv", "class.html", "class.md"))
    print(render("batch.run.written", lang, files=files), file=stream)
