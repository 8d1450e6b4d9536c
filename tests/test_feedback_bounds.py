"""What a worker sends for the feedback page is bounded before the grading side reads it.

Student code runs in the worker, so it can replace the worker's harness procedures (they
are plain Python in its own process) and send anything a message can hold: the sampler
picture's batches of 200,000 rows, texts of megabytes, a training curve of a million
snapshots. The page is cut to its bounds, says so, and costs the same as an honest one.
"""

from __future__ import annotations

import textwrap
import time
import tracemalloc
from pathlib import Path
from types import SimpleNamespace

import pytest
import torch

from autograder import protocol, registry
from autograder.api import grade
from autograder.feedback import data, page_html, write_html
from autograder.messages import Diagnosis, render
from tests.helpers import copy_solutions, mistake

# The units whose pictures these tests attack, and the modules that draw any.
training = registry.exercise("linear_regression").pictures
samplers = registry.exercise("language_model").pictures
DRAWN = [exercise.name for exercise in registry.exercises() if exercise.pictures]

# A page with every picture is about 0.3 MB; an attacked one must stay near that.
PAGE_BOUND = 3 * 2**20
# The Python objects of grading an attacked submission and writing its page.
MEMORY_BOUND = 128 * 2**20
ROWS = 200_000
SNAPSHOTS = 1_000_000
HUGE_TEXT = 1_000_000

# Replaces, at import in the worker, the procedure behind the samplers' pictures: the
# first sampler's batches get 200,000 rows (and a row of a million tokens), the second
# sends no batch but an error of megabytes of text. The suites' own calls (other corpora)
# are answered honestly, so the tests still see the student's correct samplers.
SAMPLER_ATTACK = f"""

import torch as _torch
from autograder import harness as _harness
from autograder.protocol import Drained as _Drained

_honest_call = _harness.PROCEDURES["call"]


def _attacking_call(module, function, args, kwargs):
    result = _honest_call(module, function, args, kwargs)
    if function.startswith("data_iter_") and args[0] == list(range(30)):
        if function == "data_iter_random":
            tall = _torch.zeros(({ROWS}, 6), dtype=_torch.uint8)
            wide = _torch.zeros((2, {HUGE_TEXT}), dtype=_torch.uint8)
            result["value"] = _Drained([(tall, tall), (wide, wide)])
        else:
            text = "x" * {HUGE_TEXT}
            where = {{"file": text, "line": 1, "code": text}}
            result["value"] = _Drained([], error={{"type": text, "message": text,
                                                   "where": where, "traceback": text}})
    return result


_harness.PROCEDURES["call"] = _attacking_call
"""

# Replaces the procedure behind the training curve: the honest curve's last snapshot,
# repeated a million times.
CURVE_ATTACK = f"""

from autograder import harness as _harness

_honest_curve = _harness.PROCEDURES["training_curve"]


def _attacking_curve(module, function, **arguments):
    result = _honest_curve(module, function, **arguments)
    result["snapshots"] = result["snapshots"][-1:].repeat({SNAPSHOTS}, 1)
    return result


_harness.PROCEDURES["training_curve"] = _attacking_curve
"""


def plant_attacks(folder: Path) -> Path:
    """The reference solutions, whose modules replace the pictures' procedures at import."""
    for module, attack in zip(ATTACKED, (SAMPLER_ATTACK, CURVE_ATTACK)):
        path = folder / f"{module}.py"
        path.write_text(path.read_text() + textwrap.dedent(attack))
    return folder


ATTACKED = ("language_model", "linear_regression")


def attacked_modules(folder: Path) -> Path:
    """The reference of the modules the attacks are planted in, and nothing else."""
    for path in copy_solutions(folder).glob("*.py"):
        if path.stem not in ATTACKED:
            path.unlink()
    return folder


@pytest.fixture(scope="module")
def honest_report(tmp_path_factory):
    return grade(attacked_modules(tmp_path_factory.mktemp("honest")), device="cpu",
                 pictures=True, deadline=60)


@pytest.fixture(scope="module")
def attacked(tmp_path_factory):
    """The attacked submission's report, its page, and the most memory the grading
    process's Python objects took to grade it and write the page."""
    folder = plant_attacks(attacked_modules(tmp_path_factory.mktemp("attack")))
    tracemalloc.start()
    try:
        report = grade(folder, device="cpu", pictures=True, deadline=60)
        page = folder.parent / "page.html"
        write_html(report, str(page))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return report, page, peak


def _panel(report, name: str) -> data.Panel:
    return next(p for panels in report.pictures.sections.values() for p in panels
                if p.name == name)


def test_the_attacks_change_neither_the_score_nor_what_is_graded(attacked, honest_report):
    report, _, _ = attacked
    assert report.score == honest_report.score == report.max_score
    assert [(t.name, t.device, t.status) for t in report.tests] == \
        [(t.name, t.device, t.status) for t in honest_report.tests]
    # Every test ran within the deadline: none is "not graded".
    not_graded = render("robustness.not_graded", report.lang)
    assert not any(t.message == not_graded for t in report.tests)


def test_an_attacked_page_stays_small_and_says_what_was_cut(attacked):
    report, page, _ = attacked
    assert page.stat().st_size < PAGE_BOUND
    text = page.read_text()
    curve = render("feedback.cut.snapshots", "en", function="train_epoch",
                   count=SNAPSHOTS - 1, kept=training.MAX_SNAPSHOTS - 1)
    batches = render("feedback.cut.batches", "en", function="data_iter_random", rows=ROWS,
                     tokens=HUGE_TEXT, max_rows=samplers.MAX_SAMPLER_ROWS,
                     max_tokens=samplers.MAX_SAMPLER_TOKENS)
    for note in (curve, batches):
        assert note.replace("'", "&#x27;") in text
        assert note in report.notes  # the text report says it too
    assert render("feedback.cut.snapshots", "zh", function="train_epoch", count=SNAPSHOTS - 1,
                  kept=training.MAX_SNAPSHOTS - 1) in page_html(report, report.pictures, lang="zh")


def test_what_the_grader_holds_of_an_attack_is_bounded(attacked):
    report, _, peak = attacked
    # An honest submission's grading and page take about 14 MB of Python objects.
    assert peak < MEMORY_BOUND
    curve = _panel(report, "linear_regression.train_epoch")
    assert len(curve.yours["loss"]) == training.MAX_SNAPSHOTS
    sampler = _panel(report, "language_model.data_iter_random")
    for X, Y in sampler.yours["batches"]:
        for rows in (X, Y):
            assert len(rows) <= samplers.MAX_SAMPLER_ROWS
            assert all(len(row) <= samplers.MAX_SAMPLER_TOKENS for row in rows)
    # The error of megabytes is cut to the bounds of the worker's own descriptions.
    problem = _panel(report, "language_model.data_iter_consecutive").problem
    assert problem is not None
    assert len(problem.render("en")) < 3 * protocol.MAX_TEXT_CHARS
    assert protocol.CUT_MARK in problem.render("en")


def test_the_bounds_are_far_above_what_the_reference_sends():
    data.clear_book_cache()
    book_rows = [len(rows) for function in samplers.FUNCTIONS
                 for batch in samplers._book_batches(function, samplers.CORPUS_LENGTH,
                                                     samplers.SAMPLER_BATCH_SIZE,
                                                     samplers.SAMPLER_STEPS)
                 for rows in batch]
    book_tokens = [len(row) for function in samplers.FUNCTIONS
                   for batch in samplers._book_batches(function, samplers.CORPUS_LENGTH,
                                                       samplers.SAMPLER_BATCH_SIZE,
                                                       samplers.SAMPLER_STEPS)
                   for rows in batch for row in rows]
    assert 2 * max(book_rows) <= samplers.MAX_SAMPLER_ROWS
    assert 2 * max(book_tokens) <= samplers.MAX_SAMPLER_TOKENS
    assert 10 * len(training._book_curve()["loss"]) <= training.MAX_SNAPSHOTS

    # The worker's own bound.
    assert training.MAX_SNAPSHOTS == registry.exercise("linear_regression").worker.MAX_SNAPSHOTS


# Replaces, at import in the worker, the worker's answer to every call into relu by one
# out of the shape of an answer.
ANSWER_ATTACK = """

import sys as _sys

_worker = _sys.modules["autograder.worker"]
_honest_answer = _worker._answer


def _attacking_answer(request, modules):
    if request.get("procedure") == "import":
        return _honest_answer(request, modules)
    function = request["arguments"]["function"]
    if function == "relu":  # no result at all
        return {"status": "ok", "result": ["value", "args", "kwargs"]}
    if function == "sigmoid":  # a result without the keys of its procedure
        return {"status": "ok", "result": {"value": None}}
    if function == "tanh":  # no answer
        return "ok"
    return _honest_answer(request, modules)


_worker._answer = _attacking_answer
"""


def test_an_answer_out_of_shape_is_a_diagnosis_not_a_grader_error(tmp_path):
    folder = copy_solutions(tmp_path / "s")
    path = folder / "activations.py"
    path.write_text(path.read_text() + ANSWER_ATTACK)
    report = grade(folder, device="cpu", only="activations", pictures=True)
    attacked = ("relu", "sigmoid", "tanh")
    failed = {(t.function, t.message) for t in report.tests if t.status == "failed"}
    assert failed == {(f, render("garbled_answer", report.lang, function=f)) for f in attacked}
    assert all(t.status == "passed" for t in report.tests if t.function not in attacked)
    for function in attacked:
        assert _panel(report, f"activations.{function}").problem.key == "garbled_answer"


# -- the collectors, fed what an attacking worker sends --------------------------------


class _Worker:
    """A Student whose every procedure answers `result`, counting the calls."""

    def __init__(self, result: dict):
        self.result = result
        self.calls = 0

    def run(self, procedure: str, function: str, **arguments):
        self.calls += 1
        return SimpleNamespace(result=self.result)


def test_a_million_snapshots_cost_the_grader_only_the_bound():
    snapshots = torch.zeros(SNAPSHOTS, 3)
    panel = training._training(_Worker({"snapshots": snapshots}), "cpu", set())
    assert len(panel.yours["loss"]) == len(panel.yours["epoch"]) == training.MAX_SNAPSHOTS
    assert [note.key for note in panel.notes] == ["feedback.cut.snapshots"]


def test_a_loop_that_updates_past_what_the_worker_records_is_said_to_be_cut(tmp_path):
    report = grade(mistake(tmp_path, "linear_regression", """
        def train_epoch(net, loss, updater, data, params, lr, batch_size):
            for X, y in data:
                for _ in range(20):  # 20 steps of each minibatch: 6,000 in 3 epochs
                    l = loss(net(X, *params), y)
                    l.sum().backward()
                    updater(params, lr, batch_size)
                    for param in params:
                        param.grad.zero_()
        """), device="cpu", only="linear_regression", pictures=True)
    made = training.EPOCHS * training.EXAMPLES // training.BATCH_SIZE * 20
    panel = _panel(report, "linear_regression.train_epoch")
    note = Diagnosis("feedback.cut.snapshots", function="train_epoch", count=made,
                     kept=training.MAX_SNAPSHOTS - 1)
    assert [n.render("en") for n in panel.notes] == [note.render("en")]
    assert len(panel.yours["loss"]) == training.MAX_SNAPSHOTS
    assert note.render(report.lang) in report.notes


@pytest.mark.parametrize("result", [
    None, [], {"snapshots": None}, {"snapshots": torch.zeros(())},
    {"snapshots": torch.zeros(5, 3, 2)}, {"snapshots": torch.zeros(5, 4)},
    {"snapshots": list(range(10))}, {"snapshots": torch.zeros(5, 3, device="meta")},
])
def test_snapshots_of_any_other_shape_are_not_drawable(result):
    panel = training._training(_Worker(result), "cpu", set())
    assert panel.problem.key == "feedback.not_drawable"


@pytest.mark.parametrize("value", [
    "text", None, protocol.Drained([("x", "y"), 3]),
    protocol.Drained([(torch.zeros(2), torch.zeros(2))] * 2),
    protocol.Drained([(torch.zeros(2, 6, device="meta"), torch.zeros(2, 6))] * 2),
])
def test_batches_of_any_other_shape_are_not_drawable(value):
    panels = samplers._samplers(_Worker({"value": value}), "cpu")
    assert {panel.problem.key for panel in panels} == {"feedback.not_drawable"}


def test_an_error_of_any_shape_a_worker_sends_is_read_bounded():
    for error in (None, "text", [1, 2], {"type": ["x"], "message": {"a": 1}, "where": 3},
                  {"type": "E" * HUGE_TEXT, "message": "m" * HUGE_TEXT,
                   "where": {"file": "f" * HUGE_TEXT, "line": "one", "code": "c" * HUGE_TEXT},
                   "traceback": "t" * HUGE_TEXT}):
        bounded = protocol.bounded_error(error)
        assert all(isinstance(bounded[key], str) for key in ("type", "message", "traceback"))
        assert sum(len(text) for text in _texts(bounded)) < 4 * protocol.MAX_TRACEBACK_CHARS
        panels = samplers._samplers(_Worker({"value": protocol.Drained([], error=error)}), "cpu")
        assert all(len(panel.problem.render("en")) < 3 * protocol.MAX_TEXT_CHARS
                   for panel in panels)


def _texts(value) -> list[str]:
    if isinstance(value, dict):
        return [t for item in value.values() for t in _texts(item)]
    return [value] if isinstance(value, str) else []


def test_past_the_deadline_no_module_is_collected():
    session = SimpleNamespace(stop_at=time.monotonic() - 1, output_sink=None)
    session.check_deadline = lambda: _past(session)
    pictures = data.collect(session, DRAWN, failed=set())
    assert list(pictures.sections) == DRAWN
    for panels in pictures.sections.values():
        assert [panel.problem.key for panel in panels] == ["robustness.not_graded"]
    assert PAGE_BOUND > len(page_html(_empty_report(), pictures, draw=False))


def _past(session) -> None:
    if time.monotonic() >= session.stop_at:
        raise Diagnosis("robustness.not_graded")


def _empty_report():
    from autograder.report import Report

    return Report([], lang="en")


def test_past_its_deadline_an_attacked_submission_sends_nothing_to_draw(tmp_path):
    folder = plant_attacks(copy_solutions(tmp_path / "s"))
    report = grade(folder, device="cpu", pictures=True, deadline=0.001)
    not_graded = render("robustness.not_graded", report.lang)
    assert report.tests and all(t.message == not_graded for t in report.tests)
    panels = [panel for panels in report.pictures.sections.values() for panel in panels]
    assert list(report.pictures.sections) == DRAWN
    assert all(panel.problem.key == "robustness.not_graded" and not panel.yours
               for panel in panels)
    assert len(page_html(report, report.pictures)) < PAGE_BOUND


def test_what_a_submission_prints_and_raises_is_shown_within_the_pages_bound():
    from autograder.feedback import page
    from autograder.report import Report, TestResult

    # Every call may print 64 KiB, and every failure may differ: here 300 of them, each
    # with printed output and a message of characters that escaping makes six times longer.
    printed = '"' * 64 * 2**10
    tests = [TestResult(name=f"check {i}", module="activations", function="relu",
                        device="cpu", check=f"check_{i}", points=1.0, visibility="public",
                        status="failed", message=f"{i} " + "&" * 50_000, output=printed)
             for i in range(300)]
    text = page_html(Report(tests, lang="en"), None, draw=False)
    assert len(text.encode()) < PAGE_BOUND
    note = render("feedback.cut.text", "en", limit=page.TEXT_CHARS,
                  total=page.PAGE_TEXT_CHARS)
    assert note in text
    # Every failure is still listed, with its label.
    assert all(f"check {i}" in text for i in range(300))
