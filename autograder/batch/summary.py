"""The class-wide outputs of a class run: grades.csv, class.md and class.html.

The input is what the run kept of each student (autograder.batch.record.StudentRecord)
and the column layout, {module: {function: points}} in the book's order. Nothing here
grades: it counts, sorts and writes.

grades.csv is data for a gradebook: its header and its statuses are identifiers, the same
in every language. class.md and class.html are for the instructor to read: every word
comes from the catalogue (autograder.messages, "batch.class.*"); everything a student
supplied (an id, a diagnosis holding the student's values) is escaped, its control
characters shown rather than obeyed.
"""

from __future__ import annotations

import csv
import html
import math
import os
import re
import statistics
import urllib.parse
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from autograder.batch.record import StudentRecord
from autograder.messages import render
from autograder.report import printable

Columns = dict[str, dict[str, float]]

BINS = 10  # the histogram of totals: bands of 10% of the points, 100% in the last
# Diagnoses about a whole file rather than a function: in a module with one function,
# a mistake that covers the module is still the module's only for these.
MODULE_KEYS = frozenset({"missing_module", "import_failed", "import_exit", "import_timeout",
                         "robustness.import_wall_timeout"})
# What a spreadsheet reads as a formula when a cell starts with it (OWASP's list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
EPSILON = 1e-9  # points are sums of floats: 0.1 + 0.2 earned of 0.3 is all of it
# The stub's own diagnosis: a function not attempted yet, counted apart from the mistakes.
NOT_IMPLEMENTED = "not_implemented"
FEEDBACK_PAGE = "feedback.html"  # each student's page, in OUT/<student>/


# -- the data -----------------------------------------------------------------------------


@dataclass(frozen=True)
class FunctionPassRate:
    """How many of the graded students earned all the points of one function."""

    module: str
    function: str
    worth: float
    passed: int
    graded: int

    @property
    def label(self) -> str:
        return f"{self.module}.{self.function}"

    @property
    def rate(self) -> float | None:
        """passed / graded, from 0 to 1; None when nobody was graded."""
        return self.passed / self.graded if self.graded else None


@dataclass(frozen=True)
class MistakeGroup:
    """One diagnosis (a catalogue key) of one function, or of a whole module when
    `function` is None, with the students who got it, each once."""

    module: str
    function: str | None
    key: str
    message: str  # the group's most frequent message (they may hold students' values)
    students: tuple[str, ...]  # sorted
    share: float  # len(students) / the number of graded students, from 0 to 1

    @property
    def label(self) -> str:
        """ "linear_regression.sgd", or "linear_regression.py" for the whole module."""
        return f"{self.module}.py" if self.function is None else f"{self.module}.{self.function}"

    @property
    def count(self) -> int:
        return len(self.students)


@dataclass(frozen=True)
class Unimplemented:
    """The students who left one function as the stub gave it (it raises
    NotImplementedError), each once."""

    module: str
    function: str
    students: tuple[str, ...]  # sorted
    share: float  # len(students) / the number of graded students, from 0 to 1

    @property
    def label(self) -> str:
        return f"{self.module}.{self.function}"

    @property
    def count(self) -> int:
        return len(self.students)


@dataclass(frozen=True)
class StudentRow:
    """One student's line of the class page: points per module and in total."""

    student: str
    graded: bool
    why: str  # why grading failed ("" when graded)
    score: float
    max_score: float
    percent: float
    modules: dict[str, float]  # module -> points earned

    @property
    def feedback(self) -> str:
        """The student's feedback page relative to OUT, as a link: the id percent-encoded,
        so that an id with a space, a # or a ? still names its own folder."""
        return f"{urllib.parse.quote(self.student, safe='')}/{FEEDBACK_PAGE}"


@dataclass
class ClassSummary:
    """What class.md and class.html show: plain data, in the order they show it."""

    lang: str  # the language the records' messages were rendered in
    graded: int  # students graded
    max_score: float  # the points of the columns
    mean_percent: float | None  # over the graded students; None when there are none
    median_percent: float | None
    # histogram[i]: graded students whose total is in [10 i, 10 i + 10)% (the last: to 100%)
    histogram: list[int] = field(default_factory=lambda: [0] * BINS)
    pass_rates: list[FunctionPassRate] = field(default_factory=list)  # the book's order
    mistakes: list[MistakeGroup] = field(default_factory=list)  # most students first
    # Functions left as the stub gave them, in the book's order; not in `mistakes`
    not_implemented: list[Unimplemented] = field(default_factory=list)
    unimplementing: int = 0  # graded students with at least one function not implemented
    modules: list[str] = field(default_factory=list)  # the per-student table's columns
    students: list[StudentRow] = field(default_factory=list)  # every student, by id
    # (student, why grading failed: the status less its "error: "), by id
    errors: list[tuple[str, str]] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (name, reason), by name


# -- grades.csv ---------------------------------------------------------------------------


def write_grades_csv(records: list[StudentRecord], path: str | os.PathLike, *,
                     columns: Columns, lang: str = "en") -> None:
    """Write grades.csv: one row per student, sorted by id.

    Columns: student, status ("graded" or "error: ..."), one per function
    ("module.function", the points earned), one per module ("module"), total, max,
    percent. A row whose grading failed has its status and empty number cells. The header
    and the statuses are identifiers, not prose: the file is the same in every `lang`.
    """
    del lang  # a gradebook's columns are not translated
    functions = [f"{module}.{function}" for module, names in columns.items() for function in names]
    modules = list(columns)
    with open(path, "w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["student", "status", *functions, *modules, "total", "max", "percent"])
        for record in sorted(records, key=lambda r: r.student):
            writer.writerow(_csv_row(record, functions, modules))


def _csv_row(record: StudentRecord, functions: list[str], modules: list[str]) -> list[str]:
    cells = [_no_formula(record.student), _no_formula(record.status)]
    if not record.graded:
        return cells + [""] * (len(functions) + len(modules) + 3)
    cells += [_earned(record.functions.get(name)) for name in functions]
    cells += [_earned(record.modules.get(name)) for name in modules]
    return cells + [number(record.score), number(record.max_score), number(record.percent)]


def _earned(points: list[float] | None) -> str:
    # A function the run did not grade (not in the record) is left empty, not given 0.
    return "" if points is None else number(points[0])


def number(value: float) -> str:
    """A number as a person writes it: 1.5, 2, 0.3333 (4 places at most, no float noise)."""
    return f"{round(value, 4) + 0.0:.4f}".rstrip("0").rstrip(".")  # + 0.0: no "-0"


def _no_formula(text: str) -> str:
    """`text` as a spreadsheet shows it, never runs it: a leading ' before a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


# -- the summary --------------------------------------------------------------------------


def class_summary(records: list[StudentRecord], *, columns: Columns, lang: str = "en",
                  skipped: Iterable[tuple[str, str]] = ()) -> ClassSummary:
    """The class's histogram of totals, pass rate per function and most common mistakes.

    Only graded students count (errors are listed apart). A mistake is grouped by its
    function and catalogue key, each student once per group; when one student's mistakes
    with the same key and message cover every function of a module (a missing file, an
    import that failed), they count once, for the module. Groups are sorted by how many
    students made them, most first, then by label. A function not implemented yet (the
    stub's NotImplementedError) is no mistake: it is counted apart, per function.
    `skipped`: (name, reason) of what the run found that was not a submission.
    """
    graded = sorted((r for r in records if r.graded), key=lambda r: r.student)
    percents = [r.percent for r in graded]
    return ClassSummary(
        lang=lang,
        graded=len(graded),
        max_score=sum(sum(names.values()) for names in columns.values()),
        mean_percent=statistics.fmean(percents) if percents else None,
        median_percent=statistics.median(percents) if percents else None,
        histogram=histogram(percents),
        pass_rates=_pass_rates(graded, columns),
        mistakes=_mistake_groups(graded, columns),
        not_implemented=_not_implemented(graded, columns),
        unimplementing=sum(1 for r in graded if any(m.key == NOT_IMPLEMENTED
                                                     for m in r.mistakes)),
        modules=list(columns),
        students=[_student_row(r, columns) for r in sorted(records, key=lambda r: r.student)],
        errors=sorted((r.student, _why(r.status)) for r in records if not r.graded),
        skipped=sorted(skipped),
    )


def _student_row(record: StudentRecord, columns: Columns) -> StudentRow:
    return StudentRow(record.student, record.graded,
                      "" if record.graded else _why(record.status), record.score,
                      record.max_score, record.percent,
                      {module: record.modules[module][0] for module in columns
                       if module in record.modules})


def _why(status: str) -> str:
    # "error:" is the status's identifier; the page says it in words, in its heading.
    return status.removeprefix("error:").strip() or status


def histogram(percents: Iterable[float]) -> list[int]:
    """How many of `percents` fall in each tenth of 0..100; 100 in the last."""
    counts = [0] * BINS
    for percent in percents:
        # Rounded first: 100 * 7 / 10 may be 69.99999999999999, which is 70.
        band = math.floor(round(min(max(percent, 0.0), 100.0), 6) * BINS / 100)
        counts[min(band, BINS - 1)] += 1
    return counts


def _pass_rates(graded: list[StudentRecord], columns: Columns) -> list[FunctionPassRate]:
    rates = []
    for module, names in columns.items():
        for function, worth in names.items():
            label = f"{module}.{function}"
            passed = sum(1 for r in graded
                         if label in r.functions and r.functions[label][0] >= worth - EPSILON)
            rates.append(FunctionPassRate(module, function, worth, passed, len(graded)))
    return rates


def _mistake_groups(graded: list[StudentRecord], columns: Columns) -> list[MistakeGroup]:
    students: dict[tuple[str, str | None, str], set[str]] = defaultdict(set)
    messages: dict[tuple[str, str | None, str], Counter[str]] = defaultdict(Counter)
    for record in graded:
        for module, function, key, message in _student_mistakes(record, columns):
            students[(module, function, key)].add(record.student)
            messages[(module, function, key)][message] += 1
    groups = []
    for (module, function, key), ids in students.items():
        message = shown_message(messages[(module, function, key)])
        groups.append(MistakeGroup(module, function, key, message, tuple(sorted(ids)),
                                   len(ids) / len(graded)))
    groups.sort(key=lambda g: (-g.count, g.label, g.key))
    return groups


def shown_message(counts: Counter[str]) -> str:
    """The message a group shows, of {message: students who got it}: the most frequent;
    of equally frequent ones the shortest, then the first in code-point order. It depends
    on the messages only, never on which student's id sorts first, so the same class
    always reads the same (the rule is stated on the pages, batch.class.mistakes_intro)."""
    return min(counts.items(), key=lambda item: (-item[1], len(item[0]), item[0]))[0]


def _not_implemented(graded: list[StudentRecord], columns: Columns) -> list[Unimplemented]:
    students: dict[str, set[str]] = defaultdict(set)
    for record in graded:
        for mistake in record.mistakes:
            if mistake.key == NOT_IMPLEMENTED:
                students[f"{mistake.module}.{mistake.function}"].add(record.student)
    # The book's order; a function outside the columns (a partial run) after them.
    order = [f"{module}.{function}" for module, names in columns.items() for function in names]
    labels = [label for label in order if label in students]
    labels += sorted(set(students) - set(order))
    return [Unimplemented(*label.split(".", 1), tuple(sorted(students[label])),
                           len(students[label]) / len(graded)) for label in labels]


def _student_mistakes(record: StudentRecord,
                      columns: Columns) -> set[tuple[str, str | None, str, str]]:
    """(module, function or None for the module, key, message) of one student, each once."""
    functions: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for mistake in record.mistakes:
        if mistake.key == NOT_IMPLEMENTED:
            continue  # counted apart: a function not attempted yet is no mistake
        functions[(mistake.module, mistake.key, mistake.message)].add(mistake.function)
    found: set[tuple[str, str | None, str, str]] = set()
    for (module, key, message), names in functions.items():
        every = set(columns.get(module, ()))
        # One cause for the whole file. In a module of one function, any mistake covers
        # it: there only a diagnosis about the file is the module's.
        if every and names >= every and (len(every) > 1 or key in MODULE_KEYS):
            found.add((module, None, key, message))
        else:
            found.update((module, name, key, message) for name in names)
    return found


# -- class.md -----------------------------------------------------------------------------


def class_markdown(summary: ClassSummary, *, lang: str = "en") -> str:
    """The summary as Markdown: what class.md holds."""
    say = _sayer(lang, lambda text: text)
    lines = [f"# {say('batch.class.title')}", ""]
    for line in _overview(summary, say):
        lines += [line, ""]
    lines += [f"## {say('batch.class.histogram')}", "", say("batch.class.histogram_caption"), "",
              f"| {say('batch.class.band')} | {say('batch.class.students')} | |", "|---|---:|---|"]
    tallest = max(summary.histogram) or 1
    for band, count in zip(band_labels(), summary.histogram):
        lines.append(f"| {band} | {count} | {'█' * round(20 * count / tallest)} |")
    lines += ["", f"## {say('batch.class.pass_rates')}", "",
              say("batch.class.pass_rates_intro", graded=summary.graded), "",
              f"| {say('batch.class.function')} | {say('batch.class.points')} | "
              f"{say('batch.class.passed')} | {say('batch.class.rate')} |",
              "|---|---:|---:|---:|"]
    for rate in summary.pass_rates:
        lines.append(f"| {_md_code(rate.label)} | {number(rate.worth)} | "
                     f"{rate.passed} / {rate.graded} | {_rate(rate.rate)} |")
    lines += ["", f"## {say('batch.class.not_implemented')}", "",
              _unimplemented_intro(summary, say), ""]
    for function in summary.not_implemented:
        ids = ", ".join(md_escape(student) for student in function.students)
        lines.append(f"- {_md_code(function.label)}: {_students(function, say)}: {ids}")
    lines += ["", f"## {say('batch.class.mistakes')}", ""]
    if summary.mistakes:
        lines += [say("batch.class.mistakes_intro"), ""]
        for group in summary.mistakes:
            lines += _md_mistake(group, say)
    else:
        lines += [say("batch.class.no_mistakes"), ""]
    lines += _md_roster(summary, say)
    for heading, entries in (("batch.class.errors", summary.errors),
                             ("batch.class.skipped", summary.skipped)):
        if entries:
            lines += [f"## {say(heading)}", ""]
            lines += [f"- {md_escape(name)}: {md_escape(why)}" for name, why in entries]
            lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def write_class_markdown(summary: ClassSummary, path: str | os.PathLike, *,
                         lang: str = "en") -> None:
    """Write class.md: the totals, the pass rates, the functions not implemented yet, the
    most common mistakes, a row per student, what was skipped; every word in `lang`,
    every student's text escaped."""
    with open(path, "w", encoding="utf-8") as stream:
        stream.write(class_markdown(summary, lang=lang))


def _md_roster(summary: ClassSummary, say: Callable[..., str]) -> list[str]:
    """The per-student table, each graded id a link to the student's feedback page."""
    modules = [_md_code(f"{module}.py") for module in summary.modules]
    header = [say("batch.class.student"), *modules, say("batch.class.total"), "%",
              say("batch.class.status")]
    lines = [f"## {say('batch.class.roster')}", "", _roster_intro(summary, say), "",
             "| " + " | ".join(header) + " |", "|---|" + "---:|" * (len(modules) + 2) + "---|"]
    for row in summary.students:
        name = md_escape(row.student)
        cells = [f"[{name}]({row.feedback})" if row.graded else name,
                 *_roster_numbers(row, summary.modules), md_escape(_status(row, say))]
        lines.append("| " + " | ".join(cells) + " |")
    return lines + [""]


def _md_mistake(group: MistakeGroup, say: Callable[..., str]) -> list[str]:
    ids = ", ".join(md_escape(student) for student in group.students)
    quoted = [f"   > {line}" if line else "   >"
              for line in md_escape(group.message, lines=True).split("\n")]
    return [f"1. **{_students(group, say)}** {_md_code(group.label)}", "", *quoted, "",
            f"   {say('batch.class.ids', ids=ids)}", ""]


# Markdown's punctuation that can start markup anywhere in a line, and the starts of a
# line that make it a heading, a list item or a heading's underline.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~!&])")
_MD_BULLET = re.compile(r"^(\s*)([-+=])", re.M)
_MD_NUMBERED = re.compile(r"^(\s*\d+)([.)])", re.M)


def md_escape(text: str, *, lines: bool = False) -> str:
    """Student text as Markdown that shows it as it is: markup characters escaped, control
    characters shown as their codes; newlines kept only with `lines`."""
    text = printable(text)
    if not lines:
        text = text.replace("\n", "\\x0a")
    text = _MD_SPECIAL.sub(r"\\\1", text)
    text = _MD_BULLET.sub(r"\1\\\2", text)
    return _MD_NUMBERED.sub(r"\1\\\2", text)


def _md_code(identifier: str) -> str:
    """An identifier (a module or function name) as inline code; a `|` would end a table
    cell even there, so it is escaped as GitHub's tables allow."""
    longest = max((len(run) for run in re.findall("`+", identifier)), default=0)
    fence = "`" * (longest + 1)
    return f"{fence}{identifier.replace('|', chr(92) + '|')}{fence}"


# -- class.html ---------------------------------------------------------------------------

BAR_COLOUR = "#1f77b4"  # the feedback pictures' colour for the student's own
HTML_STYLE = (
    f".bar {{ display: inline-block; height: 0.8em; background: {BAR_COLOUR}; "
    "vertical-align: middle; }\n"
    """
.mistake .count { font-family: "Noto Sans", "Noto Sans CJK SC", "DejaVu Sans", sans-serif;
                  margin-right: 0.6em; }
td.bar-cell { text-align: left; min-width: 110px; }
blockquote.message { margin: 0.4em 0; padding: 0.3em 0.8em; background: #fff;
                     border-left: 3px solid #e0b4b4; }
.ids { color: #444; }
""")


def class_html(summary: ClassSummary, *, lang: str = "en") -> str:
    """The summary as one self-contained HTML page: no script, nothing fetched."""
    from autograder.feedback.page import STYLE, escape

    say = _sayer(lang, escape)
    title = say("batch.class.title")
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">',
        f"<title>{title}</title><style>{STYLE}{HTML_STYLE}</style></head><body>",
        f"<h1>{title}</h1>",
        *(f'<p class="total">{line}</p>' for line in _overview(summary, say)),
        f"<h2>{say('batch.class.histogram')}</h2>",
        _html_histogram(summary.histogram, say),
        f"<h2>{say('batch.class.pass_rates')}</h2>",
        f"<p>{say('batch.class.pass_rates_intro', graded=summary.graded)}</p>",
        _html_pass_rates(summary.pass_rates, say),
        f"<h2>{say('batch.class.not_implemented')}</h2>",
        _html_unimplemented(summary, say, escape),
        f"<h2>{say('batch.class.mistakes')}</h2>",
        _html_mistakes(summary.mistakes, say, escape),
        f"<h2>{say('batch.class.roster')}</h2>",
        f"<p>{_roster_intro(summary, say)}</p>",
        _html_roster(summary, say, escape),
    ]
    for heading, kind, entries in (("batch.class.errors", "errors", summary.errors),
                                   ("batch.class.skipped", "skipped", summary.skipped)):
        if entries:
            items = "".join(f"<li><code>{escape(name)}</code>: {escape(why)}</li>"
                            for name, why in entries)
            parts += [f"<h2>{say(heading)}</h2>", f'<ul class="{kind}">{items}</ul>']
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def write_class_html(summary: ClassSummary, path: str | os.PathLike, *,
                     lang: str = "en") -> None:
    """Write class.html: class.md's content as one page, with the histogram drawn."""
    with open(path, "w", encoding="utf-8") as stream:
        stream.write(class_html(summary, lang=lang))


def _html_histogram(counts: list[int], say: Callable[..., str]) -> str:
    caption = say("batch.class.histogram_caption")
    return (f'<figure data-plot="totals"><figcaption>{caption}</figcaption>'
            f"{histogram_svg(counts)}</figure>")


def _html_pass_rates(rates: list[FunctionPassRate], say: Callable[..., str]) -> str:
    rows = [f"<tr><th>{say('batch.class.function')}</th><th>{say('batch.class.points')}</th>"
            f"<th>{say('batch.class.passed')}</th><th>{say('batch.class.rate')}</th><th></th>"
            "</tr>"]
    for rate in rates:
        width = round(100 * (rate.rate or 0.0))
        rows.append(f"<tr><td>{html.escape(rate.label)}</td><td>{number(rate.worth)}</td>"
                    f"<td>{rate.passed} / {rate.graded}</td><td>{_rate(rate.rate)}</td>"
                    f'<td class="bar-cell"><span class="bar" style="width: {width}px"></span>'
                    "</td></tr>")
    return '<table class="pass-rates">' + "\n".join(rows) + "</table>"


def _html_unimplemented(summary: ClassSummary, say: Callable[..., str],
                        escape: Callable[[str], str]) -> str:
    items = "".join(
        f'<li data-function="{html.escape(function.label)}"><code>{escape(function.label)}'
        f'</code>: <span class="count">{_students(function, say)}</span>: <span class="ids">'
        + ", ".join(f"<code>{escape(s)}</code>" for s in function.students) + "</span></li>"
        for function in summary.not_implemented)
    intro = f'<p class="not-implemented-count">{_unimplemented_intro(summary, say)}</p>'
    return intro + (f'<ul class="not-implemented">{items}</ul>' if items else "")


def _html_roster(summary: ClassSummary, say: Callable[..., str],
                 escape: Callable[[str], str]) -> str:
    """The per-student table; a graded id links to OUT/<id>/feedback.html, relative, so
    that the links work where OUT is opened from the disk."""
    modules = "".join(f"<th>{html.escape(module)}.py</th>" for module in summary.modules)
    rows = [f"<tr><th>{say('batch.class.student')}</th>{modules}"
            f"<th>{say('batch.class.total')}</th><th>%</th><th>{say('batch.class.status')}</th>"
            "</tr>"]
    for row in summary.students:
        name = f"<code>{escape(row.student)}</code>"
        if row.graded:
            name = f'<a href="{html.escape(row.feedback)}">{name}</a>'
        numbers = "".join(f"<td>{cell}</td>" for cell in _roster_numbers(row, summary.modules))
        rows.append(f'<tr data-student="{html.escape(printable(row.student))}"><td>{name}</td>'
                    f'{numbers}<td class="status">{_status(row, say)}</td></tr>')
    return '<table class="students">' + "\n".join(rows) + "</table>"


def _html_mistakes(groups: list[MistakeGroup], say: Callable[..., str],
                   escape: Callable[[str], str]) -> str:
    if not groups:
        return f"<p>{say('batch.class.no_mistakes')}</p>"
    blocks = [f"<p>{say('batch.class.mistakes_intro')}</p>"]
    for group in groups:
        # The ids are put in after the sentence around them was escaped: markup of ours.
        ids = say("batch.class.ids", ids="\ue000").replace(
            "\ue000", ", ".join(f"<code>{escape(s)}</code>" for s in group.students))
        blocks.append(
            f'<div class="failure mistake" data-key="{html.escape(printable(group.key))}">'
            f'<div class="label"><span class="count">{_students(group, say)}</span>'
            f"<code>{escape(group.label)}</code></div>"
            f'<blockquote class="message">{escape(group.message)}</blockquote>'
            f'<p class="ids">{ids}</p></div>')
    return "\n".join(blocks)


def histogram_svg(counts: list[int]) -> str:
    """The histogram as an inline <svg> in the feedback page's colours: numerals only (the
    words are the page's), a bar per band with the id "totals-bin<i>" and, above a bar
    that is not empty, its count with the id "totals-count<i>".

    Written directly rather than with matplotlib, as the samplers' grids are: ten bars
    need no layout engine, and importing matplotlib for them was most of a second at the
    end of every class run (bench/batch_speed.py).
    """
    width, height, left, right, bottom, top = 640, 220, 34, 18, 24, 18
    plot_width, plot_height = width - left - right, height - bottom - top
    step = _tick_step(max(counts))
    ceiling = max(step * math.ceil(max(max(counts), 1) / step), 1)
    scale = plot_height / ceiling
    band = plot_width / BINS
    parts = [f'<svg width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
             'font-family="DejaVu Sans, sans-serif" font-size="11" fill="#333">']
    for tick in range(0, ceiling + 1, step):
        y = top + plot_height - tick * scale
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" '
                     'stroke="#e6e6e6" stroke-width="0.8"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{tick}</text>')
    for i, count in enumerate(counts):
        x, bar = left + i * band + band * 0.04, count * scale
        parts.append(f'<rect id="totals-bin{i}" x="{x:.1f}" y="{top + plot_height - bar:.1f}" '
                     f'width="{band * 0.92:.1f}" height="{bar:.1f}" fill="{BAR_COLOUR}"/>')
        if count:
            parts.append(f'<text id="totals-count{i}" x="{x + band * 0.46:.1f}" '
                         f'y="{top + plot_height - bar - 4:.1f}" text-anchor="middle">'
                         f"{count}</text>")
    base = top + plot_height
    parts.append(f'<line x1="{left}" x2="{width - right}" y1="{base}" y2="{base}" '
                 'stroke="#333"/>')
    for i in range(BINS + 1):
        x = left + i * band
        parts.append(f'<text x="{x:.1f}" y="{base + 16}" text-anchor="middle">'
                     f"{i * 100 // BINS}</text>")
    parts.append("</svg>")
    return "\n".join(parts)


def _tick_step(tallest: int) -> int:
    """The count between two lines of the grid: 1, 2 or 5 times a power of ten, for
    at most six lines."""
    power = 1
    while True:
        for factor in (1, 2, 5):
            if tallest <= 5 * factor * power:
                return factor * power
        power *= 10


# -- shared -------------------------------------------------------------------------------


def band_labels() -> list[str]:
    """ "0–10", ..., "90–100": the histogram's bands, in percent."""
    step = 100 // BINS
    return [f"{low}–{low + step}" for low in range(0, 100, step)]


def _overview(summary: ClassSummary, say: Callable[..., str]) -> list[str]:
    lines = [say("batch.class.counts", graded=summary.graded, errors=len(summary.errors),
                 skipped=len(summary.skipped))]
    if summary.mean_percent is None or summary.median_percent is None:
        lines.append(say("batch.class.nobody_graded"))
    else:
        lines.append(say("batch.class.average", mean=summary.mean_percent,
                         median=summary.median_percent))
    return lines


def _unimplemented_intro(summary: ClassSummary, say: Callable[..., str]) -> str:
    if not summary.unimplementing:
        return say("batch.class.all_implemented")
    return say("batch.class.not_implemented_intro", count=summary.unimplementing,
               graded=summary.graded)


def _roster_intro(summary: ClassSummary, say: Callable[..., str]) -> str:
    return say("batch.class.roster_intro", max=number(summary.max_score), page=FEEDBACK_PAGE)


def _roster_numbers(row: StudentRow, modules: list[str]) -> list[str]:
    """The row's points per module, total and percent; dashes where it was not graded."""
    if not row.graded:
        return ["–"] * (len(modules) + 2)
    earned = [number(row.modules[m]) if m in row.modules else "–" for m in modules]
    return [*earned, number(row.score), f"{row.percent:.1f}"]


def _status(row: StudentRow, say: Callable[..., str]) -> str:
    """ "graded", or why not (escaped as `say` escapes)."""
    if row.graded:
        return say("batch.class.status_graded")
    return say("batch.class.status_error", why=row.why)


def _students(group: MistakeGroup | Unimplemented, say: Callable[..., str]) -> str:
    """ "3 students (12% of the class)", the share rounded as a person would say it."""
    percent = 100 * group.share
    shown = round(percent) if percent >= 1 else round(percent, 1)
    key = "batch.class.one_student" if group.count == 1 else "batch.class.many_students"
    return say(key, count=group.count, share=shown)


def _rate(rate: float | None) -> str:
    return "–" if rate is None else f"{round(100 * rate)}%"


def _sayer(lang: str, escape: Callable[[str], str]) -> Callable[..., str]:
    return lambda key, **params: escape(render(key, lang, **params))
