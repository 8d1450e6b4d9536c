"""The outcome of a grading run: scores, the per-function table, Gradescope's results.json."""

from __future__ import annotations

import json
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from autograder.messages import render
from autograder.suites import MODULES

DEVICES = ("cpu", "cuda", "meta")


@dataclass
class TestResult:
    """One test on one device. `points` is the whole test's worth across its devices."""

    name: str
    module: str
    function: str
    device: str
    check: str  # the test function, without its device
    points: float
    visibility: str  # "public" or "hidden"
    status: str  # "passed", "failed" or "skipped"
    message: str = ""
    output: str = ""
    score: float = 0.0
    max_score: float = 0.0

    @property
    def tags(self) -> list[str]:
        return [self.module, self.function, self.device]


@dataclass
class Report:
    tests: list[TestResult]
    execution_time: float = 0.0
    lang: str = "en"
    isolation: str = ""  # one line: how the student's code was sandboxed

    def __post_init__(self) -> None:
        # In the book's order of the modules; within a module, in the order they ran.
        rank = {module: i for i, module in enumerate(MODULES)}
        self.tests.sort(key=lambda t: rank.get(t.module, len(rank)))
        _share_points(self.tests)

    @property
    def score(self) -> float:
        return round(sum(t.score for t in self.tests), 6)

    @property
    def max_score(self) -> float:
        return round(sum(t.max_score for t in self.tests), 6)

    @property
    def percent(self) -> float:
        return 100.0 * self.score / self.max_score if self.max_score else 0.0

    def to_gradescope(self) -> dict[str, Any]:
        """Gradescope's results.json: https://gradescope-autograders.readthedocs.io/"""
        return {
            "score": self.score,
            "max_score": self.max_score,
            "execution_time": round(self.execution_time, 3),
            "output": self.summary_line(),
            "extra_data": {"isolation": self.isolation},
            "tests": [
                {
                    "name": t.name,
                    "number": f"{i}",
                    "score": round(t.score, 6),
                    "max_score": round(t.max_score, 6),
                    "status": "failed" if t.status == "failed" else "passed",
                    "output": "\n\n".join(p for p in (t.message, _student_output(t, self.lang))
                                          if p),
                    "tags": t.tags,
                    "visibility": "visible" if t.visibility == "public" else "hidden",
                }
                for i, t in enumerate(self.tests, start=1)
            ],
        }

    def write_json(self, path: str) -> None:
        with open(path, "w", encoding="utf-8") as stream:
            json.dump(self.to_gradescope(), stream, ensure_ascii=False, indent=2)

    def summary_line(self) -> str:
        return render("report.total", self.lang, score=self.score, max_score=self.max_score,
                      percent=self.percent)

    def render_text(self) -> str:
        """The per-function table, each failure's diagnosis, and the total."""
        lines: list[str] = []
        devices = [d for d in DEVICES if any(t.device == d for t in self.tests)]
        by_module: dict[str, list[TestResult]] = defaultdict(list)
        for test in self.tests:
            by_module[test.module].append(test)
        for module, tests in by_module.items():
            lines.append(f"{module}.py")
            header = " " * 24 + _right(render("report.points", self.lang), 12)
            lines.append(header + "".join(_right(d, 10) for d in devices))
            for function, rows in _group(tests, lambda t: t.function).items():
                earned = sum(t.score for t in rows)
                worth = sum(t.max_score for t in rows)
                cells = "".join(_right(_cell(rows, d, self.lang), 10) for d in devices)
                lines.append(f"  {function:<22}{_points(earned, worth):>12}{cells}")
            lines.append("")
        failures = _distinct_failures(self.tests)
        if failures:
            lines.append(render("report.failures", self.lang))
            for label, message, output in failures:
                lines.append(f"  x {label}")
                lines.extend(f"      {line}" for line in message.splitlines())
                if output:
                    lines.append(f"      {render('report.output', self.lang)}")
                    lines.extend(f"        | {line}" for line in output.splitlines()[:20])
            lines.append("")
        if self.isolation:
            lines.append(self.isolation)
        lines.append(self.summary_line())
        return "\n".join(lines)


def _share_points(tests: list[TestResult]) -> None:
    """A test's points are shared by the devices it ran on; a skipped device is worth 0."""
    for rows in _group(tests, lambda t: (t.module, t.check)).values():
        ran = [t for t in rows if t.status != "skipped"]
        for test in rows:
            test.max_score = test.points / len(ran) if test in ran else 0.0
            test.score = test.max_score if test.status == "passed" else 0.0


def _group(items: list[TestResult], key: Any) -> dict[Any, list[TestResult]]:
    groups: dict[Any, list[TestResult]] = defaultdict(list)
    for item in items:
        groups[key(item)].append(item)
    return groups


def _cell(rows: list[TestResult], device: str, lang: str) -> str:
    statuses = {t.status for t in rows if t.device == device}
    if not statuses:
        return "-"
    if "failed" in statuses:
        return render("report.fail", lang)
    if "passed" in statuses:
        return render("report.pass", lang)
    return render("report.skipped", lang)


def _right(text: str, width: int) -> str:
    """`text` right-aligned in `width` columns; a Chinese character takes two."""
    columns = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return " " * max(width - columns, 1) + text


def _points(earned: float, worth: float) -> str:
    return f"{earned:g}/{worth:g}"


def _distinct_failures(tests: list[TestResult]) -> list[tuple[str, str, str]]:
    """Each failure once, labelled by the test, or by the module when it fails them all alike
    (a module that is missing or cannot be imported)."""
    groups: dict[tuple[str, str], list[TestResult]] = defaultdict(list)
    for test in tests:
        if test.status == "failed":
            groups[(test.module, test.message)].append(test)
    failures = []
    for (module, message), rows in groups.items():
        first = rows[0]
        if len({t.function for t in rows}) > 1:
            label = f"{module}.py"
        else:
            label = f"{module}.{first.function} [{first.device}] {first.name}"
        failures.append((label, message, first.output))
    return failures


def _student_output(test: TestResult, lang: str) -> str:
    if not test.output:
        return ""
    return f"{render('report.output', lang)}\n{test.output}"
