"""The nbgrader grading service chooses the sandbox itself: a request comes from the
kernel, which runs the student's code, so it may not turn the sandbox off."""

from __future__ import annotations

import autograder
import autograder.api as api
from autograder import service
from autograder.messages import render
from tests.helpers import SOLUTIONS

# A relu that is right only where it can read the grader's own package, which the
# sandbox hides from the worker.
SNOOPING_RELU = f"""
import torch


def relu(X):
    try:
        open({autograder.__file__!r}).close()
    except OSError:
        return X
    return torch.where(X > 0, X, torch.zeros_like(X))
"""


def _request(sandbox: str) -> dict:
    return {"module": "activations", "function": "relu", "device": "cpu", "lang": "en",
            "source": (SOLUTIONS / "activations.py").read_text() + SNOOPING_RELU,
            "sandbox": sandbox}


def test_a_request_for_no_sandbox_is_still_graded_in_the_sandbox(tmp_path):
    # The control: without the sandbox the worker reads the grader's package, and the
    # snooping relu gets full marks.
    folder = tmp_path / "s"
    folder.mkdir()
    (folder / "activations.py").write_text(_request("off")["source"])
    open_report = api.grade(folder, device="cpu", only="activations.relu", sandbox="off")
    assert open_report.score == open_report.max_score > 0
    answer = service._answer(api, _request("off"))
    assert answer["status"] == "ok" and answer["tests"] > 0
    # The worker could not read the hidden file: relu's values are wrong.
    assert answer["failed"] > 0 and answer["score"] < answer["max_score"]
    assert render("sandbox.level_off", "en") not in answer["text"]


def test_the_service_chooses_the_level_and_a_request_can_only_make_it_stricter():
    assert service.sandbox_level({"sandbox": "off"}) == "auto"
    assert service.sandbox_level({}) == "auto"
    assert service.sandbox_level({"sandbox": ["off"]}) == "auto"
    assert service.sandbox_level({"sandbox": "strict"}) == "strict"
