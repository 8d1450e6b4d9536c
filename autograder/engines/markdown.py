"""A grading run as Markdown, for a CI job's page (GitHub Actions' $GITHUB_STEP_SUMMARY):
the table of points per function and device, what to fix, and the total, in the report's
language. What the student's code printed goes in code blocks, where nothing is markup."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING

from autograder.messages import render
from autograder.report import DEVICES, _cell, _distinct_failures, _group, _points

if TYPE_CHECKING:
    from autograder.report import Report, TestResult

MARKS = {"passed": "✅ ", "failed": "❌ ", "skipped": "⏭️ "}
# Lines of what the student's code printed shown per failure, as in the text report: a
# job's summary holds at most 1 MiB.
OUTPUT_LINES = 20


def to_markdown(report: Report) -> str:
    lang = report.lang
    lines = [f"## {render('engines.summary.title', lang)}", "", f"**{report.summary_line()}**",
             ""]
    devices = [d for d in DEVICES if any(t.device == d for t in report.tests)]
    by_module: dict[str, list[TestResult]] = defaultdict(list)
    for test in report.tests:
        by_module[test.module].append(test)
    for module, tests in by_module.items():
        lines += [f"### `{module}.py`", "", _table(tests, devices, lang), ""]
    if devices:
        lines += [report.devices_line(), ""]
    failures = _distinct_failures(report.tests)
    if failures:
        lines += [f"### {render('engines.summary.failures', lang)}", ""]
        for label, message, output in failures:
            lines += [f"- ❌ {_inline(label)}", "", _block(message)]
            if output:
                shown = "\n".join(output.splitlines()[:OUTPUT_LINES])
                lines += ["", f"  {render('report.output', lang)}", "", _block(shown)]
            lines.append("")
    elif report.tests:
        lines += [render("engines.summary.all_passed", lang), ""]
    return "\n".join(lines)


def write_markdown(report: Report, path: str | Path) -> None:
    Path(path).write_text(to_markdown(report), encoding="utf-8")


def _table(tests: list[TestResult], devices: list[str], lang: str) -> str:
    header = [render("engines.summary.function", lang), render("report.points", lang),
              *devices]
    rows = ["| " + " | ".join(header) + " |",
            "|---|---:|" + ":-:|" * len(devices)]
    for function, found in _group(tests, lambda t: t.function).items():
        earned = sum(t.score for t in found)
        worth = sum(t.max_score for t in found)
        cells = []
        for device in devices:
            word, role = _cell(found, device, lang)
            cells.append(MARKS.get(role, "") + word)
        rows.append(f"| `{function}` | {_points(earned, worth)} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def _inline(text: str) -> str:
    """`text` as inline code, whatever backticks it holds."""
    longest = max((len(run) for run in re.findall("`+", text)), default=0)
    fence = "`" * (longest + 1)
    return f"{fence} {text} {fence}"


def _block(text: str) -> str:
    """`text` as an indented code block of the list item, fenced longer than any run of
    backticks in it, so that nothing in it is read as markup."""
    longest = max((len(run) for run in re.findall("`{3,}", text)), default=2)
    fence = "`" * (longest + 1)
    body = "\n".join(f"  {line}" for line in text.splitlines())
    return f"  {fence}text\n{body}\n  {fence}"
