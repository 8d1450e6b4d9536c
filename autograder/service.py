"""The grading service a course notebook's test cells talk to: `python -m autograder.service`.

A notebook kernel starts one lazily (see autograder.notebook) and keeps it for the
kernel's life, so torch and the suites are imported once per notebook, not once per
test cell. It reads one JSON request per line on stdin:

    {"id": 1, "module": "linear_regression", "function": "sgd",
     "cells": [["In_1", "import torch"], ["In_2", "def sgd(...): ..."]],
     "device": "all", "timeout": 5.0, "public_only": false, "lang": null,
     "hints": "full"}

writes the cells as <module>.py in a fresh folder, as `grade` stages a notebook (see
autograder.ipynb; "source": "..." instead of "cells" is a plain module), grades it with
autograder.api.grade(only="<module>.<function>") exactly as `grade` would (the
student's code runs in a worker process; this process never imports it), and answers
one JSON line on stdout:

    {"id": 1, "status": "ok", "score": 0.0, "max_score": 2.0, "text": "...", ...}

or {"id": 1, "status": "error", "error": "..."} when grading itself failed. It exits at
the end of stdin, that is when the kernel goes away. Anything else printed in this
process goes to stderr, never into the answers.

The kernel runs the student's code, so a request is the student's to write: the service
chooses the sandbox itself (sandbox_level), and a request can make it stricter, never
weaker.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import traceback
from typing import Any, TextIO

from autograder.ipynb import write_module


def main() -> int:
    answers = _private_stdout()
    from autograder import api

    for line in sys.stdin:
        if not line.strip():
            continue
        request: dict[str, Any] = {}
        try:
            request = json.loads(line)
            answer = _answer(api, request)
        except Exception as error:  # the grader's own failure: say so, keep serving
            answer = {"status": "error",
                      "error": f"{type(error).__name__}: {error}",
                      "traceback": traceback.format_exc()[-4000:]}
        answer["id"] = request.get("id") if isinstance(request, dict) else None
        answers.write(json.dumps(answer) + "\n")
        answers.flush()
    return 0


def _private_stdout() -> TextIO:
    """The answers' channel: the real stdout. File descriptor 1 then points at stderr,
    so that nothing else written in this process (a library's print) garbles an answer."""
    sys.stdout.flush()
    answers = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    return answers


def _answer(api: Any, request: dict[str, Any]) -> dict[str, Any]:
    module, function = request["module"], request["function"]
    device = request.get("device", "all")
    folder = tempfile.mkdtemp(prefix="autograder-notebook-")
    try:
        if "cells" in request:  # [[name, source], ...] as a kernel ran them
            write_module(folder, module, [(str(n), str(s)) for n, s in request["cells"]],
                         origin="the notebook's kernel")
        else:
            with open(os.path.join(folder, f"{module}.py"), "w", encoding="utf-8") as stream:
                stream.write(request["source"])
        report = api.grade(folder, device=device,
                           timeout=float(request.get("timeout") or api.DEFAULT_TIMEOUT),
                           only=f"{module}.{function}",
                           public_only=bool(request.get("public_only")),
                           lang=request.get("lang"),
                           sandbox=sandbox_level(request),
                           hints=request.get("hints") or "full")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    text = report.render_text()
    total = report.summary_line()
    if text.endswith(total):  # the cell says its own total, in its own points
        text = text[: -len(total)].rstrip()
    return {"status": "ok", "score": report.score, "max_score": report.max_score,
            "text": text,
            "failed": sum(t.status == "failed" for t in report.tests),
            "tests": len(report.tests)}


def sandbox_level(request: dict[str, Any]) -> str:
    """How the service isolates a request's code: "auto", every layer the machine allows,
    or "strict" where the request asks for it (grading refused unless every layer is
    there). A request for "off" is not obeyed: it comes from the kernel, which runs the
    student's code."""
    return "strict" if request.get("sandbox") == "strict" else "auto"


if __name__ == "__main__":
    sys.exit(main())
