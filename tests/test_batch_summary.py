"""The class-wide outputs of a class run: grades.csv, class.md and class.html.

The records are built by hand as a class run keeps them, with the real catalogue's
diagnoses rendered as the students' reports give them; the expected numbers are
computed from the records.
"""

from __future__ import annotations

import csv
import random
import re
import statistics
import urllib.parse
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from autograder.batch.record import Mistake, StudentRecord
from autograder.batch.summary import (
    BINS,
    ClassSummary,
    class_html,
    class_markdown,
    class_summary,
    histogram,
    md_escape,
    number,
    shown_message,
    write_class_html,
    write_class_markdown,
    write_grades_csv,
)
from autograder.messages import CATALOGUE, Phrase, render
from tests.helpers import HtmlPage
from tests.test_messages import english_words

# The book's layout as autograder.course.points_by_function() gives it, three modules of it.
COLUMNS = {
    "linear_regression": {"linreg": 1.5, "squared_loss": 2.5, "sgd": 2.0, "train_epoch": 2.0,
                          "data_iter": 3.0},
    "softmax_regression": {"softmax": 2.0, "cross_entropy": 2.0, "accuracy": 1.0},
    "concise": {"LinearNet": 2.0},
}
LABELS = [f"{m}.{f}" for m, functions in COLUMNS.items() for f in functions]
WORTH = {f"{m}.{f}": points for m, functions in COLUMNS.items() for f, points in functions.items()}
MAX_SCORE = sum(WORTH.values())


def record(student: str, mistakes: list[Mistake] = (), *, lost: dict[str, float] | None = None,
           status: str = "graded") -> StudentRecord:
    """A student's record: full points but where `lost` says (label -> points lost), or,
    by default, every point of each function with a mistake."""
    lost = dict(lost) if lost is not None else {f"{m.module}.{m.function}": WORTH[
        f"{m.module}.{m.function}"] for m in mistakes}
    if status != "graded":
        return StudentRecord(student, f"submissions/{student}", "0" * 64, status=status)
    functions = {label: [WORTH[label] - lost.get(label, 0.0), WORTH[label]] for label in LABELS}
    modules: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for label, (earned, worth) in functions.items():
        modules[label.split(".")[0]][0] += earned
        modules[label.split(".")[0]][1] += worth
    return StudentRecord(student, f"submissions/{student}", "0" * 64,
                         score=sum(e for e, _ in functions.values()), max_score=MAX_SCORE,
                         functions=functions, modules=dict(modules), mistakes=list(mistakes),
                         seconds=0.2)


def mistake(label: str, key: str, lang: str = "en", device: str = "cpu", **params) -> Mistake:
    module, function = label.split(".")
    return Mistake(module, function, key, render(key, lang, **params), device)


def missing(module: str, lang: str = "en") -> list[Mistake]:
    """What a report holds for a missing file: the same diagnosis on each function."""
    return [mistake(f"{module}.{f}", "missing_module", lang, file=f"{module}.py")
            for f in COLUMNS[module]]


def import_failed(module: str, line: int, lang: str = "en") -> list[Mistake]:
    where = render("where", lang, file=f"{module}.py", line=line, code="def softmax(X)")
    return [mistake(f"{module}.{f}", "import_failed", lang, file=f"{module}.py",
                    error_type="SyntaxError", error="expected ':'", where=where)
            for f in COLUMNS[module]]


def wrong_linreg(index: int, actual: float, lang: str = "en") -> Mistake:
    return mistake("linear_regression.linreg", "wrong_values", lang,
                   what=Phrase("what.return_value"), mismatched=10, total=10, max_abs=4.2,
                   index=f"({index}, 0)", actual=actual, expected=actual - 4.2)


def not_divided(lang: str = "en", device: str = "cpu") -> Mistake:
    return mistake("linear_regression.sgd", "sgd.not_divided", lang, device)


def a_class(lang: str = "en") -> list[StudentRecord]:
    """Ten students graded and one whose grading failed, each mistake a real diagnosis."""
    return [
        record("s01"),
        record("s02", [not_divided(lang), not_divided(lang, "cuda"), wrong_linreg(7, -2.25, lang)]),
        record("s03", [not_divided(lang)]),
        record("s04", [not_divided(lang), wrong_linreg(7, -2.25, lang)]),
        record("s05", [wrong_linreg(3, 1.5, lang)]),
        record("s06", missing("linear_regression", lang)),
        record("s07", import_failed("softmax_regression", 3, lang)),
        record("s08", import_failed("softmax_regression", 12, lang)
               + [mistake("concise.LinearNet", "wrong_shape", lang, what=Phrase(
                   "what.return_value"), actual=(10,), expected=(10, 1))]),
        record("s09", missing("concise", lang)),
        record("s10", [mistake("linear_regression.squared_loss", "squared_loss.no_half", lang)],
               lost={"linear_regression.squared_loss": 1.25}),
        record("s11", status="error: " + render("grader_error", lang,
                                                 error="BrokenPipeError: [Errno 32]")),
    ]


def by_label(summary: ClassSummary) -> dict[tuple[str, str], tuple[int, tuple[str, ...]]]:
    return {(g.label, g.key): (g.count, g.students) for g in summary.mistakes}


# -- grades.csv -------------------------------------------------------------------------------


def read_csv(path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def test_grades_csv_has_a_row_per_student_with_points_per_function_and_module(tmp_path):
    records = a_class()
    random.Random(0).shuffle(records)
    path = tmp_path / "grades.csv"
    write_grades_csv(records, path, columns=COLUMNS)
    rows = read_csv(path)
    with open(path, encoding="utf-8") as stream:
        header = next(csv.reader(stream))
    assert header == ["student", "status", *LABELS, *COLUMNS, "total", "max", "percent"]
    assert [row["student"] for row in rows] == sorted(r.student for r in records)
    for row in rows:
        student = next(r for r in records if r.student == row["student"])
        if not student.graded:
            continue
        assert row["status"] == "graded"
        for label in LABELS:
            assert float(row[label]) == student.functions[label][0]
        for module in COLUMNS:
            assert float(row[module]) == student.modules[module][0]
        assert float(row["total"]) == student.score
        assert float(row["max"]) == MAX_SCORE
        assert row["percent"] == f"{round(student.percent, 4):.4f}".rstrip("0").rstrip(".")
    s10 = next(row for row in rows if row["student"] == "s10")
    assert s10["linear_regression.squared_loss"] == "1.25"
    assert s10["linear_regression.linreg"] == "1.5" and s10["concise.LinearNet"] == "2"


def test_an_error_row_says_why_and_has_no_numbers(tmp_path):
    path = tmp_path / "grades.csv"
    records = a_class()
    write_grades_csv(records, path, columns=COLUMNS)
    row = next(row for row in read_csv(path) if row["student"] == "s11")
    assert row["status"] == records[-1].status
    assert row["status"].startswith("error: ")
    assert all(row[name] == "" for name in [*LABELS, *COLUMNS, "total", "max", "percent"])


@pytest.mark.parametrize("value, shown", [
    (1.5, "1.5"), (2.0, "2"), (1 / 3, "0.3333"), (0.1 + 0.2, "0.3"), (100 * 2 / 3, "66.6667"),
    (-1e-7, "0"), (0.0, "0"), (12.5, "12.5"), (1234.00004, "1234"),
])
def test_numbers_are_written_without_float_noise(value, shown):
    assert number(value) == shown


def test_a_third_of_the_points_is_rounded_to_four_places(tmp_path):
    third = record("s01", lost={"linear_regression.data_iter": 3 - 1 / 3})
    path = tmp_path / "grades.csv"
    write_grades_csv([third], path, columns=COLUMNS)
    row = read_csv(path)[0]
    assert row["linear_regression.data_iter"] == "0.3333"
    assert row["linear_regression"] == "8.3333"
    percent = 100 * (MAX_SCORE - 3 + 1 / 3) / MAX_SCORE
    assert row["percent"] == f"{percent:.4f}" and float(row["percent"]) != percent


def test_a_cell_a_spreadsheet_would_run_as_a_formula_is_quoted(tmp_path):
    ids = ['=HYPERLINK("http://x.invalid","click")', "+1+1", "-2", "@SUM(A1)", "\tTAB",
           "alice-smith", "张三"]
    records = [record(student) for student in ids]
    records.append(record("bob", status="error: =cmd|' /C calc'!A0"))
    path = tmp_path / "grades.csv"
    write_grades_csv(records, path, columns=COLUMNS)
    rows = {row["student"]: row for row in read_csv(path)}
    for student in ids:
        guarded = "'" + student if student[0] in "=+-@\t" else student
        assert guarded in rows, student
        assert rows[guarded]["total"] == number(MAX_SCORE)
    assert rows["bob"]["status"] == "error: =cmd|' /C calc'!A0"  # starts with "error"
    cells = [cell for row in rows.values() for cell in row.values()]
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells if cell)


def test_the_csv_is_the_same_in_every_language(tmp_path):
    records = a_class("zh")
    write_grades_csv(records, tmp_path / "en.csv", columns=COLUMNS)
    write_grades_csv(records, tmp_path / "zh.csv", columns=COLUMNS, lang="zh")
    assert (tmp_path / "en.csv").read_bytes() == (tmp_path / "zh.csv").read_bytes()


# -- the summary ------------------------------------------------------------------------------


def test_each_student_counts_once_per_mistake_and_shares_are_of_the_graded():
    records = a_class()
    summary = class_summary(records, columns=COLUMNS)
    graded = [r for r in records if r.graded]
    assert summary.graded == len(graded) == 10
    groups = by_label(summary)
    # s02 has the sgd diagnosis on two devices: still one student.
    assert groups[("linear_regression.sgd", "sgd.not_divided")] == (3, ("s02", "s03", "s04"))
    for group in summary.mistakes:
        assert group.share == group.count / len(graded)
        assert list(group.students) == sorted(set(group.students))
    # The failed student's row is listed apart, not in any count.
    assert summary.errors == [("s11", render("grader_error", "en",
                                             error="BrokenPipeError: [Errno 32]"))]
    assert not any("s11" in g.students for g in summary.mistakes)


def test_a_missing_or_broken_module_counts_once_for_the_module():
    summary = class_summary(a_class(), columns=COLUMNS)
    groups = by_label(summary)
    assert groups[("linear_regression.py", "missing_module")] == (1, ("s06",))
    # Two students, two different lines of the error: one diagnosis of the module.
    assert groups[("softmax_regression.py", "import_failed")] == (2, ("s07", "s08"))
    # A module of one function: a missing file is the module's, a wrong result the function's.
    assert groups[("concise.py", "missing_module")] == (1, ("s09",))
    assert groups[("concise.LinearNet", "wrong_shape")] == (1, ("s08",))
    assert not any(key in ("missing_module", "import_failed") and not label.endswith(".py")
                   for label, key in groups)
    module_level = next(g for g in summary.mistakes if g.label == "linear_regression.py")
    assert module_level.function is None and module_level.module == "linear_regression"
    assert module_level.message == render("missing_module", "en", file="linear_regression.py")


def test_a_mistake_that_covers_only_some_functions_stays_with_them():
    message = {"error": "KeyError: 'x'"}
    partial = [mistake(f"softmax_regression.{f}", "grader_error", **message)
               for f in ("softmax", "cross_entropy")]  # not accuracy
    summary = class_summary([record("s01", partial)], columns=COLUMNS)
    assert set(by_label(summary)) == {("softmax_regression.softmax", "grader_error"),
                                      ("softmax_regression.cross_entropy", "grader_error")}


def test_the_message_shown_is_the_most_frequent_of_the_group():
    summary = class_summary(a_class(), columns=COLUMNS)
    group = next(g for g in summary.mistakes if g.label == "linear_regression.linreg")
    assert (group.key, group.students) == ("wrong_values", ("s02", "s04", "s05"))
    # Two students' message, though s05's comes first in sorted order.
    assert group.message == wrong_linreg(7, -2.25).message
    assert wrong_linreg(3, 1.5).message < group.message


def test_mistakes_are_sorted_by_count_then_label():
    summary = class_summary(a_class(), columns=COLUMNS)
    order = [(-g.count, g.label) for g in summary.mistakes]
    assert order == sorted(order)
    assert [g.label for g in summary.mistakes][:3] == [
        "linear_regression.linreg", "linear_regression.sgd", "softmax_regression.py"]


def tied_linreg(first: int, second: int) -> list[StudentRecord]:
    """Students "a" and "b", one wrong linreg each, at two indexes: a tie of one and one."""
    return [record("a", [wrong_linreg(first, 1.5)]), record("b", [wrong_linreg(second, 1.5)])]


def test_of_equally_frequent_messages_the_shortest_is_shown_whoever_sorts_first():
    # "(12, 0)" is longer than "(3, 0)" and sorts before it: the old rule's pick.
    longer, shorter = wrong_linreg(12, 1.5).message, wrong_linreg(3, 1.5).message
    assert len(shorter) < len(longer) and longer < shorter
    for first, second in ((12, 3), (3, 12)):  # either student may hold either message
        summary = class_summary(tied_linreg(first, second), columns=COLUMNS)
        (group,) = summary.mistakes
        assert group.students == ("a", "b") and group.message == shorter


def test_of_equally_frequent_messages_of_one_length_the_first_in_code_point_order_is_shown():
    low, high = wrong_linreg(3, 1.5).message, wrong_linreg(4, 1.5).message
    assert len(low) == len(high) and low < high
    for first, second in ((4, 3), (3, 4)):
        (group,) = class_summary(tied_linreg(first, second), columns=COLUMNS).mistakes
        assert group.message == low


def test_the_shown_message_is_the_most_frequent_before_the_shortest():
    counts = Counter({"a much longer message": 2, "short": 1, "tiny": 1})
    assert shown_message(counts) == "a much longer message"
    assert shown_message(Counter({"bb": 1, "ab": 1, "abc": 1})) == "ab"


def test_the_rule_for_the_shown_message_is_stated_on_both_pages():
    summary = class_summary(a_class(), columns=COLUMNS)
    rule = render("batch.class.mistakes_intro", "en")
    assert "the shortest, then the first in code-point order" in rule
    assert rule in class_markdown(summary)
    assert rule in Page(class_html(summary)).prose


def stub(label: str, lang: str = "en", devices: tuple[str, ...] = ("cpu", "placement")
         ) -> list[Mistake]:
    """What a report holds for a function left as the stub gave it, on each device."""
    function = label.split(".")[1]
    return [mistake(label, "not_implemented", lang, device, function=function)
            for device in devices]


def unfinished_class(lang: str = "en") -> list[StudentRecord]:
    """a_class and three students with stubs left: all of linear_regression (s12), one
    function beside a real mistake (s13), and the last function of the book (s14)."""
    return [*a_class(lang),
            record("s12", [m for f in COLUMNS["linear_regression"]
                           for m in stub(f"linear_regression.{f}", lang)]),
            record("s13", [*stub("linear_regression.sgd", lang), not_divided(lang),
                           *stub("softmax_regression.softmax", lang)],
                   lost={"linear_regression.sgd": 2.0, "softmax_regression.softmax": 2.0}),
            record("s14", stub("concise.LinearNet", lang))]


def test_functions_not_implemented_are_counted_apart_from_the_mistakes():
    summary = class_summary(unfinished_class(), columns=COLUMNS)
    assert summary.unimplementing == 3 and summary.graded == 13
    shown = {f.label: f.students for f in summary.not_implemented}
    assert list(shown) == [*(f"linear_regression.{f}" for f in COLUMNS["linear_regression"]),
                           "softmax_regression.softmax", "concise.LinearNet"]  # the book's order
    assert shown["linear_regression.sgd"] == ("s12", "s13")
    assert shown["linear_regression.linreg"] == ("s12",)
    assert shown["concise.LinearNet"] == ("s14",)
    for function in summary.not_implemented:
        assert function.share == function.count / 13
    # No card is a stub's, nor the module's (s12 left all of linear_regression): the cards
    # are a_class's, s13's real mistake counted with them.
    assert not any(g.key == "not_implemented" for g in summary.mistakes)
    before = {key: students for key, (_, students) in
              by_label(class_summary(a_class(), columns=COLUMNS)).items()}
    after = {key: students for key, (_, students) in by_label(summary).items()}
    assert after == {**before, ("linear_regression.sgd", "sgd.not_divided"):
                     ("s02", "s03", "s04", "s13")}
    # Their points are still lost: the pass rates count them.
    sgd = next(r for r in summary.pass_rates if r.label == "linear_regression.sgd")
    assert sgd.passed == 13 - 6  # s02, s03, s04, s06 (no file), s12, s13


def test_both_pages_show_the_count_of_functions_not_implemented():
    summary = class_summary(unfinished_class(), columns=COLUMNS)
    intro = render("batch.class.not_implemented_intro", "en", count=3, graded=13)
    markdown = class_markdown(summary)
    assert intro in markdown
    assert ("- `linear_regression.sgd`: " + render("batch.class.many_students", "en", count=2,
                                                  share=round(100 * 2 / 13)) + ": s12, s13"
            in markdown)
    page = Page(class_html(summary))
    assert intro in page.prose
    items = {a["data-function"] for tag, a in page.tags if "data-function" in a}
    assert items == {f.label for f in summary.not_implemented}
    assert render("not_implemented", "en", function="sgd") not in "".join(page.prose)
    assert "not_implemented" not in {a.get("data-key") for _, a in page.tags}


def test_a_class_with_every_function_implemented_says_so():
    summary = class_summary(a_class(), columns=COLUMNS)
    assert summary.not_implemented == [] and summary.unimplementing == 0
    said = render("batch.class.all_implemented", "en")
    assert said in class_markdown(summary) and said in Page(class_html(summary)).prose


def test_pass_rates_histogram_and_averages_are_computed_from_the_records():
    records = a_class()
    summary = class_summary(records, columns=COLUMNS, skipped=[("readme.txt", "not a folder"),
                                                               ("a.zip", "empty archive")])
    graded = [r for r in records if r.graded]
    assert [r.label for r in summary.pass_rates] == LABELS
    for rate in summary.pass_rates:
        passed = sum(1 for r in graded if r.functions[rate.label][0] == WORTH[rate.label])
        assert (rate.passed, rate.graded, rate.worth) == (passed, 10, WORTH[rate.label])
        assert rate.rate == passed / 10
    percents = [r.percent for r in graded]
    assert summary.histogram == [sum(1 for p in percents if low <= p < low + 10 or
                                     (low == 90 and p == 100)) for low in range(0, 100, 10)]
    assert summary.mean_percent == pytest.approx(statistics.mean(percents))
    assert summary.median_percent == pytest.approx(statistics.median(percents))
    assert summary.max_score == MAX_SCORE
    assert summary.skipped == [("a.zip", "empty archive"), ("readme.txt", "not a folder")]


def test_the_histogram_puts_exact_tenths_in_the_band_they_start():
    percents = [0.0, 100 * 7 / 10, 100 * 0.7, 69.99, 99.999, 100.0, 100 * 1 / 3]
    counts = histogram(percents)
    assert len(counts) == BINS and sum(counts) == len(percents)
    assert counts[0] == 1 and counts[3] == 1 and counts[6] == 1
    assert counts[7] == 2 and counts[9] == 2


def test_an_empty_class_is_summarised_without_dividing_by_zero(tmp_path):
    summary = class_summary([record("s01", status="error: timed out")], columns=COLUMNS)
    assert summary.graded == 0 and summary.mean_percent is None and summary.mistakes == []
    assert all(rate.rate is None for rate in summary.pass_rates)
    write_class_markdown(summary, tmp_path / "class.md")
    write_class_html(summary, tmp_path / "class.html")
    assert render("batch.class.nobody_graded", "en") in (tmp_path / "class.md").read_text()
    assert render("batch.class.nobody_graded", "en") in (tmp_path / "class.html").read_text()


# -- class.md ---------------------------------------------------------------------------------

HOSTILE_ID = "a|b`c`<b>*x*"
HOSTILE_MESSAGE = "see `x` | <script>alert(1)</script>\n# not a heading\n- not a list\x1b[2J"


def hostile_class() -> list[StudentRecord]:
    odd = Mistake("activations", "relu", "raised", HOSTILE_MESSAGE)
    return [*a_class(), record(HOSTILE_ID, [odd], lost={}),
            record("[x](http://x.invalid)", [not_divided()])]


def rendered_markdown(text: str):
    return MarkdownIt("commonmark").enable("table").parse(text)


def test_class_md_holds_the_tables_and_every_mistake(tmp_path):
    summary = class_summary(a_class(), columns=COLUMNS, skipped=[("notes.txt", "not a folder")])
    path = tmp_path / "class.md"
    write_class_markdown(summary, path)
    text = path.read_text(encoding="utf-8")
    assert text == class_markdown(summary)
    html = re.sub(r' style="[^"]*"', "", MarkdownIt("commonmark").enable("table").render(text))
    assert html.count("<table>") == 3  # the pass rates, the students, the totals' bands
    for rate in summary.pass_rates:
        assert f"<td><code>{rate.label}</code></td>" in html
        assert f"<td>{rate.passed} / {rate.graded}</td>" in html
    for group in summary.mistakes:
        assert f"<code>{group.label}</code>" in html
        assert render("batch.class.many_students" if group.count > 1 else
                      "batch.class.one_student", "en", count=group.count,
                      share=round(100 * group.share)) in text
        assert render("batch.class.ids", "en", ids=", ".join(group.students)) in html
    assert "<blockquote>\n<p>The step is batch_size times too large" in html
    assert "notes.txt: not a folder" in html


def test_student_text_in_class_md_is_shown_not_obeyed():
    summary = class_summary(hostile_class(), columns=COLUMNS)
    text = class_markdown(summary)
    html = MarkdownIt("commonmark").enable("table").render(text)
    # The tables keep their columns: an id's | is not a cell's end.
    for table in re.findall(r"(?:^\|.*\n)+", text, re.M):
        rows = table.splitlines()
        header = len(re.findall(r"(?<!\\)\|", rows[0]))
        assert all(len(re.findall(r"(?<!\\)\|", row)) == header for row in rows), table
    assert "<script>" not in html and "<b>" not in html and "<em>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "a|b`c`&lt;b&gt;*x*" in html  # the id as it is
    # The only links are the students' own feedback pages, the ids percent-encoded.
    assert "[x](http://x.invalid)" in html and 'href="http' not in html
    assert set(re.findall(r'<a href="([^"]*)"', html)) == {
        urllib.parse.quote(r.student, safe="") + "/feedback.html"
        for r in hostile_class() if r.graded}
    tokens = [t.type for t in rendered_markdown(text)]
    assert tokens.count("heading_open") == 1 + 6  # the title and our six headings
    assert "\\x1b[2J" in html and "\x1b" not in text


# -- class.html -------------------------------------------------------------------------------

class Page(HtmlPage):
    """A page's tags, texts by id and by class, and the text a reader sees (not style or
    svg)."""

    def __init__(self, text: str):
        self.classes: dict[str, list[str]] = defaultdict(list)
        self.by_id: dict[str, list[str]] = defaultdict(list)  # id -> the texts inside
        self.prose: list[str] = []
        super().__init__(text)

    def handle_data(self, data: str) -> None:
        for _, attributes in self.stack:
            if "id" in attributes:
                self.by_id[attributes["id"]].append(data)
        if any(tag in ("style", "svg") for tag, _ in self.stack):
            return
        self.prose.append(data)
        for _, attributes in self.stack:
            for name in attributes.get("class", "").split():
                self.classes[name].append(data)


def test_class_html_has_the_histogram_every_mistake_and_every_id():
    summary = class_summary(a_class(), columns=COLUMNS)
    page = Page(class_html(summary))
    bars = {attributes["id"]: float(attributes["height"]) for tag, attributes in page.tags
            if tag == "rect" and attributes.get("id", "").startswith("totals-bin")}
    assert list(bars) == [f"totals-bin{i}" for i in range(BINS)]
    labels = [int(page.by_id[f"totals-count{i}"][0]) if count else None
              for i, count in enumerate(summary.histogram)]
    assert labels == [count or None for count in summary.histogram]
    # Heights in proportion to the counts, the tallest bar the largest count.
    tallest = max(summary.histogram)
    per_student = bars[f"totals-bin{summary.histogram.index(tallest)}"] / tallest
    assert list(bars.values()) == pytest.approx([c * per_student for c in summary.histogram],
                                                abs=0.1)
    messages = page.classes["message"]
    assert messages == [group.message for group in summary.mistakes]
    keys = [attributes["data-key"] for _, attributes in page.tags if "data-key" in attributes]
    assert keys == [group.key for group in summary.mistakes]
    ids = "".join(page.classes["ids"])
    for group in summary.mistakes:
        assert all(student in ids for student in group.students)
        assert group.label in page.classes["label"]
    assert "s11" in "".join(page.classes["errors"])


def test_class_html_escapes_student_text_and_fetches_nothing(tmp_path):
    summary = class_summary(hostile_class(), columns=COLUMNS)
    path = tmp_path / "class.html"
    write_class_html(summary, path)
    text = path.read_text(encoding="utf-8")
    page = Page(text)
    assert "script" not in {tag for tag, _ in page.tags}
    assert "b" not in {tag for tag, _ in page.tags}
    assert "\x1b" not in text and "\\x1b" in "".join(page.classes["ctrl"])
    shown = "".join(page.classes["message"])
    assert "<script>alert(1)</script>" in shown and "# not a heading" in shown
    assert HOSTILE_ID in "".join(page.classes["ids"])
    # Nothing is fetched, and a link goes only to a student's own page beside it.
    pages = {urllib.parse.quote(r.student, safe="") + "/feedback.html"
             for r in hostile_class() if r.graded}
    for tag, attributes in page.tags:
        for name, value in attributes.items():
            assert not name.startswith("on"), (tag, name)
            if name in ("src", "xlink:href", "action", "data"):
                assert value.startswith("#"), (tag, name, value)
            if name == "href":
                assert tag == "a" and value in pages, (tag, name, value)
    assert {a["href"] for tag, a in page.tags if tag == "a"} == pages
    assert "url(" not in text.replace("url(#", "")


class Roster(Page):
    """class.html's per-student table: {id: [the text of each cell]} and {id: link}."""

    def __init__(self, text: str):
        self.rows: dict[str, list[str]] = {}
        self.links: dict[str, str] = {}
        super().__init__(text)

    def _row(self) -> str | None:
        return next((a["data-student"] for tag, a in reversed(self.stack)
                     if tag == "tr" and "data-student" in a), None)

    def opened(self, tag: str, attributes: dict[str, str]) -> None:
        student = self._row()
        if student is not None and tag == "td":
            self.rows.setdefault(student, []).append("")
        if student is not None and tag == "a":
            self.links[student] = attributes["href"]

    def handle_data(self, data: str) -> None:
        super().handle_data(data)
        student = self._row()
        if student is not None and any(tag == "td" for tag, _ in self.stack):
            self.rows[student][-1] += data


ODD_IDS = ["a b#1?x", "张三", "50%", "..hidden"]


def test_class_html_has_a_row_per_student_with_their_points_and_status():
    records = a_class()
    summary = class_summary(records, columns=COLUMNS)
    roster = Roster(class_html(summary))
    assert list(roster.rows) == sorted(r.student for r in records)
    for r in records:
        cells = roster.rows[r.student]
        assert cells[0] == r.student
        if r.graded:
            assert cells[1:] == [*(number(r.modules[m][0]) for m in COLUMNS), number(r.score),
                                 f"{r.percent:.1f}", render("batch.class.status_graded", "en")]
        else:
            assert cells[1:-1] == ["–"] * (len(COLUMNS) + 2)
            assert cells[-1] == render("batch.class.status_error", "en",
                                       why=r.status.removeprefix("error: "))
    assert all(f"{module}.py" in roster.prose for module in COLUMNS)  # the columns' heads


def test_each_graded_id_links_to_its_feedback_page_where_out_is_opened_from_disk(tmp_path):
    """The links are relative to class.html: open OUT/class.html from the disk and each id
    opens OUT/<id>/feedback.html, whatever the id holds."""
    records = [*a_class(), *(record(student) for student in ODD_IDS)]
    for r in records:
        if r.graded:
            (tmp_path / r.student).mkdir()
            (tmp_path / r.student / "feedback.html").write_text(r.student, encoding="utf-8")
    write_class_html(class_summary(records, columns=COLUMNS), tmp_path / "class.html")
    roster = Roster((tmp_path / "class.html").read_text(encoding="utf-8"))
    assert set(roster.links) == {r.student for r in records if r.graded}  # not s11
    base = (tmp_path / "class.html").as_uri()
    for student, href in roster.links.items():
        target = urllib.parse.urlsplit(urllib.parse.urljoin(base, href))
        assert target.scheme == "file" and not target.query and not target.fragment, href
        opened = Path(urllib.parse.unquote(target.path))
        assert opened.read_text(encoding="utf-8") == student
        assert opened.parent.parent == tmp_path


# -- in Chinese -------------------------------------------------------------------------------

HEADINGS = ("batch.class.title", "batch.class.histogram", "batch.class.pass_rates",
            "batch.class.mistakes", "batch.class.errors", "batch.class.skipped")


def test_the_chinese_summary_has_no_english_prose():
    records = a_class("zh")
    summary = class_summary(records, columns=COLUMNS, lang="zh",
                            skipped=[("s12.txt", render("batch.class.skipped", "zh"))])
    markdown = class_markdown(summary, lang="zh")
    page = Page(class_html(summary, lang="zh"))
    for key in HEADINGS:
        assert f"# {CATALOGUE[key]['zh']}" in markdown
        assert CATALOGUE[key]["zh"] in page.prose
        assert CATALOGUE[key]["en"] not in markdown + "".join(page.prose)
    assert render("batch.class.many_students", "zh", count=3, share=30) in markdown
    assert ("html", {"lang": "zh-CN"}) in page.tags
    # The page's own words are Chinese; what the records hold (the diagnoses, which
    # quote Python's errors) is shown as it is.
    theirs = [g.message for g in summary.mistakes]
    for text in theirs:
        markdown = markdown.replace(md_escape(text, lines=True), "")
    assert english_words(markdown.replace("\\", "")) == []
    prose = [t for t in page.prose if not any(t in text for text in theirs)]
    assert english_words(" ".join(prose)) == []
    # What an English reader would see, to show that the check can fail.
    english = class_markdown(class_summary(a_class(), columns=COLUMNS), lang="en")
    assert english_words(english.replace("\\", ""))


def test_writing_the_class_pages_imports_no_plotting_library(tmp_path):
    """The histogram is written as SVG directly: the end of a class run imports nothing
    heavy (matplotlib took most of a second there)."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from autograder.batch.summary import class_summary, write_class_html\n"
        "from tests.test_batch_summary import COLUMNS, a_class\n"
        f"write_class_html(class_summary(a_class(), columns=COLUMNS), "
        f"{str(tmp_path / 'c.html')!r})\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'matplotlib'))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
    assert "totals-bin0" in (tmp_path / "c.html").read_text(encoding="utf-8")
