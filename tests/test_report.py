"""The reports written from a grading run: Gradescope's results.json and the text report."""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest

from autograder.api import BadOption, cuda_available, grade
from autograder.messages import render
from autograder.report import VISIBILITIES, printable
from tests.helpers import SOLUTIONS, mistake, with_function

# Gradescope's results.json, as its specification documents it
# (https://gradescope-autograders.readthedocs.io/en/latest/specs/): the keys it reads and
# their types. "max_score" at the top is ours (Gradescope sums the tests), kept for readers.
TOP_LEVEL = {"score": (int, float), "max_score": (int, float), "execution_time": (int, float),
             "output": str, "output_format": str, "test_output_format": str,
             "test_name_format": str, "visibility": str, "stdout_visibility": str,
             "extra_data": dict, "tests": list, "leaderboard": list}
TEST_KEYS = {"score": (int, float), "max_score": (int, float), "status": str, "name": str,
             "name_format": str, "number": str, "output": str, "output_format": str,
             "tags": list, "visibility": str, "extra_data": dict}
FORMATS = {"text", "html", "simple_format", "md", "ansi"}
# What a terminal or a page obeys: C0 and C1 controls but newline and tab, bidi overrides.
UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def assert_follows_the_specification(results: dict) -> None:
    for key, value in results.items():
        assert key in TOP_LEVEL, f"{key} is not a key of results.json"
        assert isinstance(value, TOP_LEVEL[key]), key
    assert results.get("visibility", "visible") in VISIBILITIES
    for key in ("output_format", "test_output_format", "test_name_format"):
        assert results.get(key, "text") in FORMATS
    names = [test["name"] for test in results["tests"]]
    assert len(set(names)) == len(names), [n for n, c in Counter(names).items() if c > 1]
    for test in results["tests"]:
        for key, value in test.items():
            assert key in TEST_KEYS, f"{key} is not a key of a test"
            assert isinstance(value, TEST_KEYS[key]) and not isinstance(value, bool), key
        assert test["status"] in ("passed", "failed")
        assert test["visibility"] in VISIBILITIES
        assert test.get("output_format", "text") in FORMATS
        assert all(isinstance(tag, str) for tag in test["tags"])
        assert 0 <= test["score"] <= test["max_score"]
        assert (test["status"] == "passed") == (test["score"] == test["max_score"] > 0)
    assert sum(t["score"] for t in results["tests"]) == pytest.approx(results["score"])


@pytest.fixture(scope="module")
def results_with_a_mistake(tmp_path_factory) -> tuple:
    """A default run (every device) of the solutions with sgd's batch_size division left out."""
    folder = mistake(tmp_path_factory.mktemp("sgd"), "linear_regression", """
        def sgd(params, lr, batch_size):
            with torch.no_grad():
                for param in params:
                    param -= lr * param.grad
                    param.grad.zero_()
    """)
    report = grade(folder)
    path = tmp_path_factory.mktemp("json") / "results.json"
    report.write_json(str(path))
    return report, json.loads(path.read_text(encoding="utf-8"))


def test_results_json_follows_gradescopes_specification(results_with_a_mistake):
    report, results = results_with_a_mistake
    assert_follows_the_specification(results)
    assert results["score"] == report.score < results["max_score"] == report.max_score
    assert [t["number"] for t in results["tests"]] \
        == [str(i) for i in range(1, len(results["tests"]) + 1)]


def test_each_test_is_named_with_its_function_and_device(results_with_a_mistake):
    report, results = results_with_a_mistake
    ran = [t for t in report.tests if t.status != "skipped"]
    assert [t["name"] for t in results["tests"]] \
        == [f"{t.module}.{t.function} [{t.device}]: {t.name}" for t in ran]
    # The same check on two devices (cpu and cuda) would share the test's own name.
    named = {f"{t.module}.{t.function} [{t.device}]: {t.name}" for t in report.tests}
    assert len({t.name for t in report.tests}) < len(named) == len(report.tests)


def test_a_skipped_device_is_left_out_not_passed(results_with_a_mistake):
    report, results = results_with_a_mistake
    skipped = [t for t in report.tests if t.status == "skipped"]
    if not cuda_available():
        assert skipped, "without a GPU the cuda tests are skipped"
    assert len(results["tests"]) == len(report.tests) - len(skipped)
    assert not any("[cuda]" in t["name"] for t in results["tests"]) or cuda_available()
    assert all(t["max_score"] > 0 for t in results["tests"])


def test_diagnoses_are_visible_by_default_hidden_tests_included(results_with_a_mistake):
    report, results = results_with_a_mistake
    failed = [t for t in results["tests"] if t["status"] == "failed"]
    assert failed and all(t["visibility"] == "visible" for t in results["tests"])
    assert any("batch_size times too large" in t["output"] for t in failed)
    hidden = {f"{t.module}.{t.function} [{t.device}]: {t.name}" for t in report.tests
              if t.visibility == "hidden"}
    assert hidden & {t["name"] for t in results["tests"]}, "hidden tests are in the results"


def test_visibility_is_chosen_by_the_api(tmp_path):
    report = grade(SOLUTIONS, only="sgd", device="cpu", visibility="after_due_date")
    path = tmp_path / "results.json"
    report.write_json(str(path))
    results = json.loads(path.read_text(encoding="utf-8"))
    assert_follows_the_specification(results)
    assert results["visibility"] == "after_due_date"
    assert {t["visibility"] for t in results["tests"]} == {"after_due_date"}
    with pytest.raises(BadOption, match="choose visible, hidden, after_due_date"):
        grade(SOLUTIONS, only="sgd", device="cpu", visibility="public")


# -- what students print is shown, never obeyed ---------------------------------------------

# Erase the line, go back to its start and up one, and draw a total of full marks.
FAKE_TOTAL = "\x1b[2K\r\x1b[1ATotal: 25 / 25 (100.0%)\x1b[0m\x08\x07"
# Set the terminal's title, turn the text red, reverse what follows.
TITLE = "\x1b]0;pwned\x07\x1b[31m\u202e"


def attacking_submission(tmp_path):
    """relu prints a fake total and is wrong; sigmoid raises an error with escapes."""
    folder = mistake(tmp_path, "activations", f"""
        def relu(X):
            print({FAKE_TOTAL!r})
            return X.clone()
    """)
    return with_function(folder, "activations", f"""
        def sigmoid(X):
            raise ValueError({TITLE!r})
    """)


def all_strings(value) -> list[str]:
    if isinstance(value, dict):
        return [s for item in value.values() for s in all_strings(item)]
    if isinstance(value, list):
        return [s for item in value for s in all_strings(item)]
    return [value] if isinstance(value, str) else []


def test_control_characters_from_student_code_are_shown_escaped(tmp_path):
    report = grade(attacking_submission(tmp_path), only="activations", device="cpu")
    relu = [t for t in report.tests if t.function == "relu" and t.status == "failed"]
    sigmoid = [t for t in report.tests if t.function == "sigmoid" and t.status == "failed"]
    assert relu and sigmoid
    assert "\\x1b[2K\\x0d\\x1b[1ATotal: 25 / 25" in relu[0].output
    assert "ValueError: \\x1b]0;pwned\\x07\\x1b[31m\\u202e" in sigmoid[0].message

    text = report.render_text()
    assert not UNPRINTABLE.search(text), repr(UNPRINTABLE.search(text))
    assert "\\x1b[1ATotal: 25 / 25" in text  # shown, as text
    assert text.splitlines()[-1] == report.summary_line()

    path = tmp_path / "results.json"
    report.write_json(str(path))
    strings = all_strings(json.loads(path.read_text(encoding="utf-8")))
    assert any("\\x1b[2K" in s for s in strings)
    assert not any(UNPRINTABLE.search(s) for s in strings)


@pytest.mark.parametrize("raw, shown", [
    ("plain\ttext\nstays", "plain\ttext\nstays"),
    ("windows\r\nlines", "windows\nlines"),
    ("\x1b[31mred", "\\x1b[31mred"),
    ("over\rwrite\x08\x7f", "over\\x0dwrite\\x08\\x7f"),
    ("\x9b2J \x00", "\\x9b2J \\x00"),
    ("abc\u202edef\u2028", "abc\\u202edef\\u2028"),
    ("中文 and é stay", "中文 and é stay"),
])
def test_printable_escapes_what_a_terminal_would_obey(raw, shown):
    assert printable(raw) == shown


def test_the_segments_are_the_text_report_with_roles(results_with_a_mistake):
    report, _ = results_with_a_mistake
    pieces = report.segments()
    assert "".join(text for text, _ in pieces) == report.render_text()
    roles = {role for _, role in pieces}
    assert {"passed", "failed", "heading", "failure", "total.partial"} <= roles
    assert ("FAIL", "failed") in pieces and ("pass", "passed") in pieces


def test_a_line_under_the_table_says_what_each_device_column_means(results_with_a_mistake):
    report, _ = results_with_a_mistake
    text = report.render_text()
    tables, after = text.split(report.devices_line())
    columns = re.findall(r"^ +points +(.*)$", tables, flags=re.MULTILINE)
    assert columns and all(c.split() == columns[0].split() for c in columns)
    for device in columns[0].split():  # every column is named in the line
        assert f"{device}:" in report.devices_line()
    assert after.lstrip().startswith("What to fix:")
    chinese = render("report.devices", "zh")
    assert "cpu：" in chinese and "cuda：" in chinese and "`placement`：" in chinese


def test_the_markdown_summary_has_the_same_line(results_with_a_mistake):
    from autograder.engines.markdown import to_markdown

    report, _ = results_with_a_mistake
    assert report.devices_line() in to_markdown(report)
