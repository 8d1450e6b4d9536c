"""Turning notebook cells into an exercise module that runs as the notebook does.

Two places need the same rule, so that they give the same score: `grade` staging a
folder of notebooks (submission.py reads the .ipynb as JSON) and a test cell of a course
notebook sending the code its kernel has run to the grading service (notebook.py).

The rule: every code cell in order, except the autograded test cells, with IPython's
magics and shell escapes turned into `pass`. Each cell is written to its own file,
<module>.ipynb/<cell>.py, and <module>.py runs them in order the way a kernel does: a
cell that raises (or does not compile) stops only itself, and a function it should have
defined raises that cell's error when the grader asks for it, so the report names the
cell, the line and the cause. A module made of all the cells, run top to bottom, would
instead lose every function to one failing scratch cell, which nbgrader's kernel does
not.

A cell that runs past its time limit (an endless loop at the top level) is stopped as
nbgrader stops it, alone: the worker gives each cell a share of the import's time
(autograder.harness.CELL_TIMEOUT), an alarm raises CellTimeout in the cell when it is
spent, and the cells after it still run. The worker's limit on the whole import stays
behind it, for a cell that will not be stopped (one that swallows every exception).

This module uses the standard library only: it runs in the student's kernel, and
staging imports nothing of the student's.
"""

from __future__ import annotations

import json
import os
import re
from typing import Any

# What a test cell of a course notebook says: it calls the grading service.
TEST_CELL_MARK = "autograder.notebook"

# `%matplotlib inline`, `!pip install x`; not `!=` or `% n` continuing an expression.
_MAGIC_LINE = re.compile(r"^\s*(%{1,2}[A-Za-z_]|![^=])")
_HELP_LINE = re.compile(r"^\s*(\?{1,2}[\w.]+|[\w.]+\?{1,2})\s*$")  # `linreg?`, `??linreg`
_DEFINITION = re.compile(r"^(?:async\s+def|def|class)\s+([A-Za-z_]\w*)", re.MULTILINE)
_ASSIGNMENT = re.compile(r"^([A-Za-z_]\w*)\s*(?::[^=]*)?=[^=]", re.MULTILINE)

# <module>.py of a notebook: runs the cells' files in order, as a kernel runs cells.
_LOADER = '''\
"""{module}, made from the code cells of {origin}.

The cells run in order, as in a notebook: a cell that raises, or runs past its time
limit, stops only itself. Each cell is a file of {folder}/, so an error names the cell
and its line.
"""


def __autograder_run_cells(cells):
    import __future__
    import os
    import signal
    import sys

    features = 0
    for name in __future__.all_feature_names:
        features |= getattr(__future__, name).compiler_flag
    here = os.path.dirname(os.path.abspath(__file__))
    # The worker's limit for one cell (autograder.harness.CELL_TIMEOUT), if it set one.
    budget = getattr(sys.modules.get("autograder.harness"), "CELL_TIMEOUT", None)
    CellTimeout = type("CellTimeout", (BaseException,), {{}})  # not caught by `except Exception`
    running = [None]

    def stop(signum, frame):
        if running[0] is None:  # the cell is over: never raise outside it
            signal.setitimer(signal.ITIMER_REAL, 0)
            return
        raise CellTimeout(f"{{running[0]}} ran past its time limit of {{budget:g}} s")

    def cut_at(traceback, code):
        # Drop the frames of `code`, so that the error points at the line it stopped.
        while traceback is not None and traceback.tb_next is not None:
            if traceback.tb_next.tb_frame.f_code is code:
                traceback.tb_next = None
            traceback = traceback.tb_next

    previous = signal.getsignal(signal.SIGALRM)
    flags, failed = 0, {{}}
    try:
        for path, names in cells:
            path = os.path.join(here, path)
            try:
                with open(path, encoding="utf-8") as stream:
                    code = compile(stream.read(), path, "exec", flags, dont_inherit=True)
                flags |= code.co_flags & features  # a __future__ import holds for later cells
                running[0] = os.path.basename(path)
                try:
                    if budget:  # and again every 0.1 s, should the cell catch it and go on
                        signal.signal(signal.SIGALRM, stop)  # ours again, whatever a cell set
                        signal.setitimer(signal.ITIMER_REAL, budget, 0.1)
                    exec(code, globals())
                finally:
                    running[0] = None
                    if budget:
                        signal.setitimer(signal.ITIMER_REAL, 0)
            except (Exception, SystemExit, CellTimeout) as error:
                cut_at(error.__traceback__, stop.__code__)  # the cell's line, not stop's
                for name in names:
                    failed.setdefault(name, error)
    finally:
        if budget:
            signal.signal(signal.SIGALRM, previous)
    return failed


__autograder_failed = __autograder_run_cells({cells!r})


def __getattr__(name):
    # A function whose cell failed: the cell's own error says why it is missing.
    if name in __autograder_failed:
        raise __autograder_failed[name]
    raise AttributeError(f"module {{__name__!r}} has no attribute {{name!r}}")
'''


def is_test_cell(source: str, metadata: dict[str, Any] | None = None) -> bool:
    """An autograded test cell: nbgrader's grade-and-not-solution cell, or one that grades."""
    nbgrader = (metadata if isinstance(metadata, dict) else {}).get("nbgrader")
    if not isinstance(nbgrader, dict):  # a notebook's metadata may hold anything
        nbgrader = {}
    if nbgrader.get("grade") and not nbgrader.get("solution"):
        return True
    return TEST_CELL_MARK in source


def clean_cell(source: str) -> str | None:
    """The cell as plain Python: magics and shell lines become `pass`; None for a cell magic.

    A line magic becomes `pass` rather than nothing, so that a block it sat in stays a
    block and the line numbers stay those of the cell.
    """
    if source.lstrip().startswith("%%"):
        return None  # %%bash, %%writefile, ...: the body is not Python of this module
    lines = []
    for line in source.splitlines():
        if _MAGIC_LINE.match(line) or _HELP_LINE.match(line):
            indent = line[: len(line) - len(line.lstrip())]
            line = f"{indent}pass  # {line.strip()[:60]}"
        lines.append(line)
    return "\n".join(lines) + "\n"


class NotANotebook(ValueError):
    """The bytes are no notebook. key names the reason in autograder.messages (the
    catalogue, which this module cannot import), params fill it in."""

    def __init__(self, key: str, **params: Any):
        super().__init__(key, params)
        self.key = key
        self.params = params


def write_module(workdir: str | os.PathLike, module: str, cells: list[tuple[str, str]], *,
                 origin: str) -> None:
    """Write <module>.py and its cells' files into `workdir` (see module_files)."""
    os.makedirs(os.path.join(workdir, f"{module}.ipynb"), exist_ok=True)
    for path, source in module_files(module, cells, origin=origin).items():
        with open(os.path.join(workdir, path), "w", encoding="utf-8") as stream:
            stream.write(source)


def module_files(module: str, cells: list[tuple[str, str]], *, origin: str) -> dict[str, str]:
    """The files that make `module` of a notebook's cells: <module>.ipynb/<cell>.py for
    each cell that holds code, then <module>.py, which runs them; path -> source.

    cells: (name, source) in the order they ran, test cells already left out; the name
    (e.g. "cell_3", "In_7") becomes the cell's file name. origin: where they came from,
    for the module's docstring.
    """
    folder = f"{module}.ipynb"
    files, listed = {}, []
    for name, raw in cells:
        source = clean_cell(raw)
        if source is None or not source.strip():
            continue
        path = f"{folder}/{re.sub(r'[^A-Za-z0-9_]', '_', name)}.py"
        files[path] = source
        names = list(dict.fromkeys(_DEFINITION.findall(source) + _ASSIGNMENT.findall(source)))
        listed.append((path, names))
    files[f"{module}.py"] = _LOADER.format(module=module, origin=origin, folder=folder,
                                           cells=listed)
    return files


def notebook_cells(data: bytes) -> list[tuple[str, str]]:
    """("cell_<n>", source) of a notebook's code cells, test cells left out, read as JSON
    from the notebook's bytes. Raises NotANotebook for anything else, of any shape.

    n counts every code cell from 1, test cells included, as the notebook shows them.
    """
    kept, number = [], 0
    for index, cell in enumerate(_cells(_parse(data))):
        where = f"cells[{index}]"
        if not isinstance(cell, dict):
            raise NotANotebook("notebook.not_an_object", field=where)
        if cell.get("cell_type") != "code":
            continue
        number += 1
        source = _source(cell, where)
        metadata = cell.get("metadata")
        if not is_test_cell(source, metadata if isinstance(metadata, dict) else None):
            kept.append((f"cell_{number}", source))
    return kept


def _parse(data: bytes) -> Any:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise NotANotebook("notebook.not_utf8", offset=error.start) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise NotANotebook("notebook.not_json", line=error.lineno, column=error.colno) \
            from None
    except RecursionError:  # json's C scanner counts its depth and stops safely
        raise NotANotebook("notebook.too_deep") from None
    except ValueError:  # an integer past Python's 4,300 digits
        raise NotANotebook("notebook.number_too_long") from None


def _cells(notebook: Any) -> list[Any]:
    """The cells, of nbformat 4, or of nbformat 3, which kept them in worksheets."""
    if not isinstance(notebook, dict):
        raise NotANotebook("notebook.not_an_object", field="notebook")
    if "cells" in notebook:
        return _list(notebook["cells"], "cells")
    cells = []
    for index, sheet in enumerate(_list(notebook.get("worksheets", []), "worksheets")):
        if not isinstance(sheet, dict):
            raise NotANotebook("notebook.not_an_object", field=f"worksheets[{index}]")
        cells += _list(sheet.get("cells", []), f"worksheets[{index}].cells")
    return cells


def _list(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise NotANotebook("notebook.not_a_list", field=where)
    return value


def _source(cell: dict[str, Any], where: str) -> str:
    """A code cell's source: a string, or a list of strings (its lines)."""
    key = "source" if "source" in cell else "input"  # nbformat 3 said input
    source = cell.get(key, "")
    if isinstance(source, list) and all(isinstance(line, str) for line in source):
        source = "".join(source)
    if isinstance(source, str):
        try:
            source.encode("utf-8")  # no lone surrogate, as JSON's "\ud800" gives
            return source
        except UnicodeEncodeError:
            pass
    raise NotANotebook("notebook.not_text", field=f"{where}.{key}")
