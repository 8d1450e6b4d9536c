"""`check("sgd")`: grade one function from a learner's own notebook, or from source.

In a Jupyter notebook (an IPython kernel), after the cell that defines sgd:

    from autograder import check
    check("sgd")

grades sgd as the kernel has it: the code the kernel has run (IPython's input history,
in the order the cells ran), staged and run cell by cell as `grade` runs a notebook's
cells (autograder.ipynb). The cells' own calls of check() and imports of autograder are
left out, so grading never grades itself. As a course notebook's test cell does
(autograder.notebook), it sends that code to this kernel's grading service (`python -m
autograder.service`, started once), which grades it as `grade --only module.function`:
the learner's code runs in a sandboxed worker, and the kernel never imports the suites
or the reference. The answer is a Checked: in Jupyter the table and each diagnosis as
HTML, as text elsewhere (print() it, or IPython's pretty printer).

By default only the public checks run, quickly, as in a course notebook when a student
runs a test cell; `hidden=True` runs every check, as `grade` does. Outside a notebook,
pass the code: `check("sgd", source=code)`, or `path=` a module's .py file or a notebook.

This module uses the standard library only (and the catalogue): it runs in the kernel.
"""

from __future__ import annotations

import ast
import html
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["Checked", "check", "without_checks"]


@dataclass
class Checked:
    """The outcome of check(): the function's points and what to fix, as `grade` says it."""

    module: str
    function: str
    score: float
    max_score: float
    text: str  # the table and each diagnosis, as `grade` prints them
    hidden: bool  # whether every check ran, or only the public ones
    lang: str
    error: str = ""  # the grader's own failure, where it failed

    @property
    def passed(self) -> bool:
        return not self.error and self.max_score > 0 and self.score == self.max_score

    def summary(self) -> str:
        from autograder.messages import render

        if self.error:
            return render("course.check.grader_failed", self.lang, function=self.function,
                          error=self.error)
        key = "check.all" if self.hidden else "check.public"
        return render(key, self.lang, function=self.function, score=self.score,
                      max_score=self.max_score)

    def __str__(self) -> str:
        return "\n\n".join(part for part in (self.text, self.summary()) if part)

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(str(self))

    def _repr_html_(self) -> str:
        colour = "#1a7f37" if self.passed else "#cf222e"
        summary = html.escape(self.summary()).replace("\n", "<br>")
        table = f"<pre>{html.escape(self.text)}</pre>" if self.text else ""
        return (f'<div class="autograder-check">{table}'
                f'<p style="color: {colour}; font-weight: bold">{summary}</p></div>')


def check(name: str, *, source: str | None = None, path: str | os.PathLike | None = None,
          hidden: bool = False, device: str = "all", timeout: float = 5.0,
          lang: str | None = None, hints: str = "full", sandbox: str = "auto") -> Checked:
    """Grade the exercise function `name` ("sgd" or "linear_regression.sgd").

    The code graded is `source` (a module's text), else the file at `path` (a .py module
    or an .ipynb notebook), else what this IPython kernel has run. hidden: run every
    check, not only the public ones. device, timeout, lang, hints and sandbox are
    `grade`'s options ("off" is graded as "auto": the grading service does not take a
    kernel's word for it). Raises BadOption for a name or option `grade` would refuse, and
    RuntimeError outside IPython without `source` or `path`.
    """
    from autograder.messages import default_language
    from autograder.notebook import request
    from autograder.options import check_options

    module, function = function_named(name)
    check_options(device=device, timeout=timeout, lang=lang, sandbox=sandbox, hints=hints)
    lang = lang or default_language()
    answer = request({"module": module, "function": function, **_code(source, path, lang),
                      "device": device, "timeout": float(timeout), "public_only": not hidden,
                      "lang": lang, "sandbox": sandbox, "hints": hints})
    if answer.get("status") != "ok":
        return Checked(module, function, 0.0, 0.0, "", hidden, lang,
                       error=str(answer.get("error", "")))
    return Checked(module, function, float(answer["score"]), float(answer["max_score"]),
                   answer["text"], hidden, lang)


def function_named(name: str) -> tuple[str, str]:
    """(module, function) of an exercise function's name, or BadOption as `--only` says it."""
    from autograder.options import exercise_functions, unknown_name

    module_name, _, function_name = name.rpartition(".")
    for module, functions in exercise_functions().items():
        if function_name in functions and module_name in ("", module):
            return module, function_name
    raise unknown_name(name)


def _code(source: str | None, path: str | os.PathLike | None,
          lang: str | None = None) -> dict[str, Any]:
    """The request's code: a module's source, or cells as a kernel ran them."""
    from autograder.ipynb import notebook_cells
    from autograder.notebook import kernel_cells

    if source is not None:
        return {"source": source}
    if path is not None:
        if Path(path).suffix == ".ipynb":
            return {"cells": [(n, without_checks(s)) for n, s in notebook_cells(path)]}
        return {"source": Path(path).read_text(encoding="utf-8")}
    try:
        cells = kernel_cells()
    except RuntimeError:
        from autograder.messages import default_language, render

        raise RuntimeError(render("check.no_code", lang or default_language())) from None
    return {"cells": [(n, without_checks(s)) for n, s in cells]}


def without_checks(cell: str) -> str:
    """`cell` with its top-level imports of autograder and calls of check() made `pass`,
    line for line, so that the graded code does not grade itself and keeps its lines."""
    from autograder.ipynb import clean_cell

    cleaned = clean_cell(cell)
    if cleaned is None:  # a cell magic: not Python, and left out where it is staged
        return cell
    try:
        tree = ast.parse(cleaned)
    except SyntaxError:  # the cell's own error is reported where it is run
        return cell
    lines = cleaned.splitlines()
    for statement in tree.body:
        if _is_check(statement):
            first, last = statement.lineno - 1, (statement.end_lineno or statement.lineno) - 1
            lines[first] = "pass  # " + lines[first].strip()[:60]
            for number in range(first + 1, last + 1):
                lines[number] = ""
    return "\n".join(lines) + "\n"


def _is_check(statement: ast.stmt) -> bool:
    """An import of autograder, or a statement whose value is a call of check()."""
    if isinstance(statement, ast.Import):
        return any(alias.name.split(".")[0] == "autograder" for alias in statement.names)
    if isinstance(statement, ast.ImportFrom):
        return (statement.module or "").split(".")[0] == "autograder"
    value = getattr(statement, "value", None)
    if isinstance(value, ast.Call):
        called = value.func
        name = called.id if isinstance(called, ast.Name) else getattr(called, "attr", None)
        return name == "check"
    return False
