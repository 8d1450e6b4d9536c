"""The outcome of a grading run: scores, the per-function table, Gradescope's results.json."""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from autograder import registry
from autograder.messages import render

DEVICES = ("cpu", "cuda", "placement")
# Who sees a test's result on Gradescope, and when (its results.json "visibility").
VISIBILITIES = ("visible", "hidden", "after_due_date", "after_published")


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
    diagnosis: str = ""  # the catalogue key of a failure's message, for the class report
    score: float = 0.0
    max_score: float = 0.0
    # What the test remarks on whatever its verdict (which of two accepted forms the code
    # has): a suite records ("note", (key, params)) in the test's user_properties.
    notes: list[str] = field(default_factory=list)

    @property
    def tags(self) -> list[str]:
        return [self.module, self.function, self.device]


@dataclass
class Report:
    tests: list[TestResult]
    execution_time: float = 0.0
    lang: str = "en"
    visibility: str = "visible"  # of every test in results.json: the feedback is not secret
    notes: list[str] = field(default_factory=list)  # what staging left out, and why
    isolation: str = ""  # one line: how the student's code was sandboxed
    # What keeps an exercise from being graded at all (a broken pack), one line each;
    # shown among the notes.
    problems: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        # In the book's order of the modules; within a module, in the order they ran.
        rank = {module: i for i, module in enumerate(registry.names())}
        self.tests.sort(key=lambda t: rank.get(t.module, len(rank)))
        _share_points(self.tests)
        # What the student's code printed or put in its errors is shown, never obeyed:
        # made printable once here, for every report written from it.
        for test in self.tests:
            test.message, test.output = printable(test.message), printable(test.output)

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
        """Gradescope's results.json, as its specification documents it:
        https://gradescope-autograders.readthedocs.io/en/latest/specs/

        One entry per test and device that ran, named uniquely with its device; a device
        that was skipped is left out rather than shown as a test passed for 0 points.
        """
        graded = [t for t in self.tests if t.status != "skipped"]
        return {
            "score": self.score,
            "max_score": self.max_score,
            "execution_time": round(self.execution_time, 3),
            "output": "\n".join(line for line in (*self.notes, self.isolation,
                                                    self.summary_line()) if line),
            "output_format": "text",
            "test_output_format": "text",
            "test_name_format": "text",
            "visibility": self.visibility,
            "extra_data": {"isolation": self.isolation},
            "tests": [
                {
                    "name": name,
                    "number": f"{i}",
                    "score": round(t.score, 6),
                    "max_score": round(t.max_score, 6),
                    "status": "passed" if t.status == "passed" else "failed",
                    "output": "\n\n".join(p for p in (t.message, *t.notes,
                                                        _student_output(t, self.lang)) if p),
                    "output_format": "text",
                    "tags": t.tags,
                    "visibility": self.visibility,
                }
                for i, (t, name) in enumerate(zip(graded, _unique_names(graded)), start=1)
            ],
        }

    def write_json(self, path: str) -> None:
        with open(path, "w", encoding="utf-8") as stream:
            json.dump(self.to_gradescope(), stream, ensure_ascii=False, indent=2)

    def devices_line(self) -> str:
        """What the table's device columns mean: cpu, cuda and placement."""
        return render("report.devices", self.lang)

    def summary_line(self) -> str:
        return render("report.total", self.lang, score=self.score, max_score=self.max_score,
                      percent=self.percent)

    def render_text(self) -> str:
        """The per-function table, each failure's diagnosis, and the total."""
        return "".join(text for text, _ in self.segments())

    def segments(self) -> list[tuple[str, str]]:
        """The text report as (text, role) pieces, for a terminal to colour by role:
        "passed", "failed", "skipped", "heading", "failure" (a diagnosis's title),
        "total.full", "total.partial", "total.none", or "" for plain text."""
        pieces: list[tuple[str, str]] = [(f"! {note}\n", "failure") for note in self.notes]
        if self.notes:
            pieces.append(("\n", ""))
        devices = [d for d in DEVICES if any(t.device == d for t in self.tests)]
        by_module: dict[str, list[TestResult]] = defaultdict(list)
        for test in self.tests:
            by_module[test.module].append(test)
        for module, tests in by_module.items():
            pieces += [(f"{module}.py", "heading"), ("\n", "")]
            header = " " * 24 + _right(render("report.points", self.lang), 12)
            pieces.append((header + "".join(_right(d, 10) for d in devices) + "\n", ""))
            for function, rows in _group(tests, lambda t: t.function).items():
                earned = sum(t.score for t in rows)
                worth = sum(t.max_score for t in rows)
                pieces.append((f"  {function:<22}{_points(earned, worth):>12}", ""))
                for device in devices:
                    word, role = _cell(rows, device, self.lang)
                    pieces += [(_right(word, 10)[: -len(word)], ""), (word, role)]
                pieces.append(("\n", ""))
            pieces.append(("\n", ""))
        if devices:
            pieces.append((self.devices_line() + "\n\n", ""))
        failures = _distinct_failures(self.tests)
        if failures:
            pieces.append((render("report.failures", self.lang) + "\n", "heading"))
            for label, message, output in failures:
                pieces += [("  ", ""), (f"x {label}", "failure"), ("\n", "")]
                lines = [f"      {line}" for line in message.splitlines()]
                if output:
                    lines.append(f"      {render('report.output', self.lang)}")
                    lines += [f"        | {line}" for line in output.splitlines()[:20]]
                pieces += [(line + "\n", "") for line in lines]
            pieces.append(("\n", ""))
        remarks = list(dict.fromkeys(f"{t.module}.{t.function}: {note}" for t in self.tests
                                     for note in t.notes))
        if remarks:  # which accepted form the code has, say
            pieces.append((render("report.remarks", self.lang) + "\n", "heading"))
            pieces += [(f"  i {remark}\n", "") for remark in remarks]
            pieces.append(("\n", ""))
        if self.isolation:
            pieces.append((self.isolation + "\n", ""))
        pieces.append((self.summary_line(), self._total_role()))
        return pieces

    def _total_role(self) -> str:
        if self.max_score and self.score == self.max_score:
            return "total.full"
        return "total.partial" if self.score > 0 else "total.none"


# Characters a terminal or a page would obey rather than show: the C0 and C1 controls
# except newline and tab (ESC starts ANSI sequences, CR and BS overwrite what was
# written), line separators, and the marks that reorder bidirectional text.
UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029"
                         "\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """`text` with each character that a terminal would obey shown as its escape: ESC as
    \\x1b, CR as \\x0d, a bidirectional override as \\u202e. Newlines and tabs stay."""
    return UNPRINTABLE.sub(shown_escaped, text.replace("\r\n", "\n"))


def shown_escaped(match: re.Match[str]) -> str:
    """The escape that shows one matched UNPRINTABLE character: \\x1b, \\u202e."""
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _unique_names(tests: list[TestResult]) -> list[str]:
    """Each test's name for Gradescope, with its function and device: unique in the report."""
    names, seen = [], set()
    for test in tests:
        name = base = f"{test.module}.{test.function} [{test.device}]: {test.name}"
        count = 1
        while name in seen:
            count += 1
            name = f"{base} ({count})"
        seen.add(name)
        names.append(name)
    return names


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


def _cell(rows: list[TestResult], device: str, lang: str) -> tuple[str, str]:
    """What the table shows for a function on a device, and its role."""
    statuses = {t.status for t in rows if t.device == device}
    if not statuses:
        return "-", ""
    if "failed" in statuses:
        return render("report.fail", lang), "failed"
    if "passed" in statuses:
        return render("report.pass", lang), "passed"
    return render("report.skipped", lang), "skipped"


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
