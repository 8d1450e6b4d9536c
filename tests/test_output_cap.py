"""Printing a lot is not a mistake: the output is cut, the verdict stays."""

from __future__ import annotations

from autograder.api import grade
from autograder.messages import render
from autograder.pool import OUTPUT_LIMIT_BYTES

from .helpers import assert_full_marks, mistake

# A correct relu that prints 10 MB on each call, through print and straight to fd 1.
PRINTING_RELU = """
def relu(X):
    print("x" * (10 * 2**20))
    return torch.where(X > 0, X, torch.zeros_like(X))
"""
WRITING_RELU = """
def relu(X):
    import os
    chunk = b"y" * 2**20
    for _ in range(10):
        os.write(1, chunk)
    return torch.where(X > 0, X, torch.zeros_like(X))
"""
# A wrong relu that prints as much: its output is shown, cut, with a note saying so.
WRONG_PRINTING_RELU = """
def relu(X):
    print("z" * (10 * 2**20))
    return X
"""


def test_a_flood_of_prints_keeps_full_marks(tmp_path):
    assert_full_marks(grade(mistake(tmp_path, "activations", PRINTING_RELU),
                            only="relu", device="cpu", lang="en"))


def test_writing_to_fd_1_keeps_full_marks(tmp_path):
    assert_full_marks(grade(mistake(tmp_path, "activations", WRITING_RELU),
                            only="relu", device="cpu", lang="en"))


def test_the_output_shown_is_cut_and_says_so(tmp_path):
    for lang in ("en", "zh"):
        report = grade(mistake(tmp_path / lang, "activations", WRONG_PRINTING_RELU),
                       only="relu", device="cpu", lang=lang)
        failed = [t for t in report.tests if t.status == "failed"]
        assert failed
        note = render("output_cut", lang, limit="64 KiB")
        for test in failed:
            assert test.output.endswith(note)
            assert test.output.count("z") <= OUTPUT_LIMIT_BYTES
        assert note in report.render_text()
