"""The test cells of a course notebook: grade one function, as `grade` does, from a kernel.

A test cell of a notebook made by `autograder nbgrader init` reads

    from autograder.notebook import Check

    Check("linear_regression", "sgd", points=2.0, device="all", timeout=5.0).score()

`score()` takes the code this kernel has run so far (IPython's input history: every
cell in the order it ran, the test cells left out, by the same rule as `grade` applies
to a notebook file, and run cell by cell as `grade` runs a notebook's cells, see
autograder.ipynb), sends it to a grading service (`python -m
autograder.service`, started once per kernel), which grades that function exactly as
`grade --only module.function` would: the student's code runs in a worker process, so
a crash or an infinite loop costs this cell only. The diagnosis is printed (on stdout:
nbgrader zeroes a test cell that writes to stderr) and the cell's last expression is its
score, a float between 0 and `points`, which nbgrader takes as partial credit.

The kernel imports neither the hidden suites nor the reference solutions and never
holds an expected value: this module uses the standard library only (and the message
catalogue, which does too).

A student running the cell gets the public checks only; under `nbgrader autograde`,
which sets NBGRADER_EXECUTION=autograde in the kernel's environment, every check runs.
The cell itself is the same in both, so nbgrader finds its checksum unchanged.
"""

from __future__ import annotations

import atexit
import json
import os
import subprocess
import sys
import tempfile
import threading
from typing import Any

from autograder.ipynb import is_test_cell

__all__ = ["Check", "kernel_cells"]

_service: subprocess.Popen | None = None
_log: Any = None
_requests = 0
_lock = threading.Lock()


class Check:
    """The checks of one exercise function, worth `points` in the notebook."""

    def __init__(self, module: str, function: str, *, points: float, device: str = "all",
                 timeout: float = 5.0, lang: str | None = None, sandbox: str = "auto"):
        self.module = module
        self.sandbox = sandbox
        self.function = function
        self.points = float(points)
        self.device = device
        self.timeout = float(timeout)
        self.lang = lang
        self._hidden_block = False

    def include_hidden_tests(self) -> None:
        """Run the hidden checks too: what the hidden-tests block of the test cells of
        earlier courses says (the cells of a course written now need no such block)."""
        self._hidden_block = True

    @property
    def hidden(self) -> bool:
        """Whether every check runs: when nbgrader autogrades the notebook."""
        return self._hidden_block or os.environ.get("NBGRADER_EXECUTION") == "autograde"

    def _say(self, key: str, **params: Any) -> None:
        from autograder.messages import default_language, render

        print(render(key, self.lang or default_language(), function=self.function,
                     **params))

    def score(self) -> float:
        """Grade the function, print what is wrong, and return the cell's points."""
        try:
            cells = kernel_cells()
        except RuntimeError:
            self._say("course.check.no_kernel")
            return 0.0
        hidden = self.hidden
        answer = request({"module": self.module, "function": self.function,
                          "cells": cells, "device": self.device, "timeout": self.timeout,
                          "public_only": not hidden, "lang": self.lang,
                          "sandbox": self.sandbox})
        if answer.get("status") != "ok":
            self._say("course.check.grader_failed", error=answer.get("error", ""))
            return 0.0
        print(answer["text"])
        earned, worth = float(answer["score"]), float(answer["max_score"])
        if not hidden:
            print()
            self._say("course.check.public", earned=earned, worth=worth, points=self.points)
            return _clamp(earned, self.points)
        if worth <= 0:
            print()
            self._say("course.check.no_device", device=self.device)
            return 0.0
        cell = _clamp(self.points * earned / worth, self.points)
        print()
        self._say("course.check.points", score=cell, points=self.points)
        return cell


def _clamp(value: float, points: float) -> float:
    # nbgrader refuses partial credit above the cell's points (and fails the whole
    # submission): rounding must never push a full score past them.
    return float(min(points, max(0.0, round(value, 6))))


def kernel_cells() -> list[tuple[str, str]]:
    """The cells this IPython kernel has run, in order, test cells left out."""
    try:
        from IPython import get_ipython
    except ImportError:
        get_ipython = None  # noqa: N806
    shell = get_ipython() if get_ipython else None
    if shell is None:
        raise RuntimeError("run this cell in a Jupyter notebook (IPython kernel)")
    history = list(shell.history_manager.input_hist_raw)
    # Entry n is In[n], the cell that ran n-th; entry 0 is empty.
    return [(f"In_{n}", cell) for n, cell in enumerate(history)
            if n and cell.strip() and not is_test_cell(cell)]


def request(body: dict[str, Any]) -> dict[str, Any]:
    """Send one request to this kernel's grading service and wait for its answer."""
    global _requests
    with _lock:
        _requests += 1
        body = {**body, "id": _requests}
        for attempt in range(2):
            service = _running_service()
            try:
                service.stdin.write(json.dumps(body) + "\n")
                service.stdin.flush()
                while True:
                    line = service.stdout.readline()
                    if not line:
                        raise EOFError("the grading service stopped")
                    answer = json.loads(line)
                    if answer.get("id") == body["id"]:
                        return answer
            except (OSError, EOFError, ValueError) as error:
                failure = f"{type(error).__name__}: {error}\n{_log_tail()}"
                _stop_service()
                if attempt:
                    return {"status": "error", "error": failure}
            except BaseException:  # interrupted (a cell timeout): start afresh next time
                _stop_service(kill=True)
                raise
    return {"status": "error", "error": "unreachable"}


def _running_service() -> subprocess.Popen:
    global _service, _log
    if _service is not None and _service.poll() is None:
        return _service
    _stop_service()
    _log = tempfile.TemporaryFile(prefix="autograder-service-", suffix=".log")
    # Its own session: an interrupt of the kernel does not reach it. Its own folder as
    # the working directory: files beside the notebook cannot shadow its imports.
    _service = subprocess.Popen(
        [sys.executable, "-m", "autograder.service"], stdin=subprocess.PIPE,
        stdout=subprocess.PIPE, stderr=_log, text=True, encoding="utf-8", bufsize=1,
        cwd=tempfile.gettempdir(), start_new_session=True, env=_service_environment())
    return _service


def _service_environment() -> dict[str, str]:
    env = dict(os.environ)
    # The kernel's own settings for its outputs have no business in the service.
    env.pop("MPLBACKEND", None)
    env["PYTHONUNBUFFERED"] = "1"
    return env


def _stop_service(kill: bool = False) -> None:
    """Close the service's input, which ends it; `kill` it if it is busy or must not wait."""
    global _service
    service, _service = _service, None
    if service is None:
        return
    if kill:
        service.kill()
    for stream in (service.stdin, service.stdout):
        try:
            stream.close()
        except OSError:
            pass
    try:
        service.wait(timeout=5)
    except subprocess.TimeoutExpired:
        service.kill()
        service.wait()


def _log_tail() -> str:
    if _log is None:
        return ""
    try:
        _log.seek(0)
        return _log.read()[-2000:].decode("utf-8", errors="replace")
    except OSError:
        return ""


atexit.register(_stop_service)
