"""An nbgrader course generated from the exercises: `build_course(course_dir, ...)`.

Everything comes from the single sources of truth, so the course cannot drift from
`grade`: the stubs (autograder.assignments) give each notebook its imports, signatures
and docstrings; the reference solutions (autograder.reference) fill the regions between
`### BEGIN SOLUTION` and `### END SOLUTION`; the hidden suites, collected with pytest,
give each test cell its points. The few words of teaching that are not in a docstring
(the why of the group's notes) are the catalogue's `course.*` entries
(autograder.messages), with the formulas below as their parameters. A course is written
in English or in Chinese (`lang`): in Chinese, the catalogue also holds each docstring,
whose English is the stub's own.

The generated files are plain JSON and Python: writing a course needs neither nbgrader
nor nbformat.
"""

from __future__ import annotations

import ast
import json
import math
import os
import re
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

from autograder import registry

DEFAULT_COURSE_ID = "d2l"
DEFAULT_CELL_TIMEOUT = 300  # nbgrader's per-cell limit; its default, 30 s, is too tight
DEFAULT_DEVICE = "all"  # the `grade` command's default: the same points on any machine
DEFAULT_CALL_TIMEOUT = 5.0  # each call into the student's code, as `grade --timeout`

# The teaching that is not in a docstring is the unit's (exercises/<module>/unit.py): its
# prose in both languages among its MESSAGES ("course.<module>.*"), and the formulas and
# code, the same in every language, as FORMULAS and FUNCTION_FORMULAS.
LANGUAGES = ("en", "zh")  # of a course: its prose, contracts and the test cells' messages


def _text(key: str, lang: str, *, required: bool = True, **params: object) -> str:
    """The catalogue's text `key` in `lang`; "" for a missing key that is not required."""
    from autograder.messages import CATALOGUE, render

    if key not in CATALOGUE:
        if required:
            raise ValueError(f"autograder/messages.py has no {key!r} (its course section "
                             f"holds the {lang} text of each docstring)")
        return ""
    return render(key, lang, **params)


def module_intro(parsed: _Module, lang: str) -> str:
    """The module's docstring in `lang` (in English, the stub's own)."""
    return parsed.docstring if lang == "en" else _text(f"course.{parsed.name}.intro", lang)


def contract(parsed: _Module, qualname: str, node: ast.AST, lang: str) -> str:
    """A function's or class's docstring in `lang` (in English, the stub's own)."""
    if lang == "en" or ast.get_docstring(node) is None:
        return ast.get_docstring(node) or ""
    return _text(f"course.{parsed.name}.{qualname}.doc", lang)


# -- points, from the suites -----------------------------------------------------------


@dataclass
class FunctionPoints:
    """What the suites give one function: all its tests, and its public ones."""

    points: float = 0.0
    public: float = 0.0
    tests: list[str] = field(default_factory=list)


def points_by_function(device: str = DEFAULT_DEVICE) -> dict[str, dict[str, FunctionPoints]]:
    """{module: {function: FunctionPoints}}, collected from the hidden suites with pytest.

    A test counts when it can run on `device`; with "all" every test counts, which is
    what `grade` gives on any machine: a numeric test runs on the CPU, a placement test
    on the GPU where there is one and on the simulated GPU of `placement` where there is
    none. The points are those of the `grades` marks, each test once (its devices and
    parameters share them).
    """
    import pytest

    from autograder.plugin import module_of, run_suites

    class Collector:
        def __init__(self) -> None:
            self.marks: dict[tuple[str, str], dict] = {}
            self.errors: list[str] = []

        def pytest_collectreport(self, report: pytest.CollectReport) -> None:
            if report.failed:
                self.errors.append(f"{report.nodeid}: {report.longreprtext}")

        def pytest_configure(self, config: pytest.Config) -> None:
            config.addinivalue_line("markers", "grades: what a test grades")

        def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
            for item in items:
                marker = item.get_closest_marker("grades")
                if marker is not None:
                    self.marks[(module_of(item.path), item.originalname)] = marker.kwargs
            items[:] = []

    collector = Collector()
    code = run_suites(collector, "--collect-only")
    if code not in (pytest.ExitCode.OK, pytest.ExitCode.NO_TESTS_COLLECTED) \
            or collector.errors:
        raise RuntimeError("the hidden suites could not be collected:\n"
                           + "\n".join(collector.errors))
    result: dict[str, dict[str, FunctionPoints]] = {}
    for (module, test), kwargs in collector.marks.items():
        devices = kwargs.get("devices", ("cpu", "cuda"))
        if device != "all" and device not in devices:
            continue
        entry = result.setdefault(module, {}).setdefault(kwargs["function"], FunctionPoints())
        entry.points += float(kwargs["points"])
        entry.public += float(kwargs["points"]) if kwargs.get("public") else 0.0
        entry.tests.append(test)
    for functions in result.values():  # sums of tenths, as the report rounds them
        for entry in functions.values():
            entry.points, entry.public = round(entry.points, 6), round(entry.public, 6)
    return result


# -- notebooks ---------------------------------------------------------------------------


def _module_file(package: str, module: str) -> str:
    """The stub ("assignments") or the reference ("reference") of `module`, from its pack."""
    exercise = registry.exercise(module)
    path = exercise.stub if package == "assignments" else exercise.reference_file
    return path.read_text(encoding="utf-8")


def _segment(lines: list[str], node: ast.AST) -> list[str]:
    start = node.decorator_list[0].lineno if getattr(node, "decorator_list", None) \
        else node.lineno
    return lines[start - 1: node.end_lineno]


def _body_start(node: ast.FunctionDef) -> int:
    """The line (1-based) where a function's body starts after its docstring."""
    first = node.body[0]
    if ast.get_docstring(node) is not None:
        return first.end_lineno + 1
    return first.lineno


def _bound_names(node: ast.stmt) -> set[str]:
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return {node.name}
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return {(alias.asname or alias.name).split(".")[0] for alias in node.names}
    if isinstance(node, (ast.Assign, ast.AnnAssign)):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        return {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}
    return set()


def _used_names(lines: list[str]) -> set[str]:
    try:
        tree = ast.parse(textwrap.dedent("".join(lines)))
    except SyntaxError:
        return set()
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}


class _Module:
    """The stub and the reference of one exercise module, parsed."""

    def __init__(self, name: str):
        self.name = name
        self.stub_text = _module_file("assignments", name)
        self.ref_text = _module_file("reference", name)
        self.stub = ast.parse(self.stub_text)
        self.ref = ast.parse(self.ref_text)
        self.stub_lines = self.stub_text.splitlines(keepends=True)
        self.ref_lines = self.ref_text.splitlines(keepends=True)
        stub_names = set().union(*(_bound_names(n) for n in self.stub.body))
        # Top-level statements of the reference that the stub lacks (helpers, imports):
        # they go inside the solution region of the functions that use them.
        self.extras = [n for n in self.ref.body
                       if _bound_names(n) and not _bound_names(n) <= stub_names
                       and not (isinstance(n, ast.ImportFrom) and n.module == "__future__")]

    @property
    def docstring(self) -> str:
        return ast.get_docstring(self.stub) or self.name

    def definitions(self) -> list[ast.FunctionDef | ast.ClassDef]:
        return [n for n in self.stub.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))]

    def imports(self, lang: str = "en") -> str:
        """The stub's imports; their comments, which are English, in English only."""
        lines = []
        for node in self.stub.body:
            if not isinstance(node, (ast.Import, ast.ImportFrom)):
                continue
            if isinstance(node, ast.ImportFrom) and node.module == "__future__":
                continue
            for line in _segment(self.stub_lines, node):
                line = _without_noqa(line.rstrip("\n"))
                lines.append(line if lang == "en" else line.partition("  #")[0])
        return "\n".join(lines)

    def reference_of(self, qualname: list[str]) -> ast.FunctionDef:
        scope: list[ast.stmt] = self.ref.body
        node = None
        for name in qualname:
            node = next((n for n in scope if isinstance(n, (ast.FunctionDef, ast.ClassDef))
                         and n.name == name), None)
            if node is None:
                raise ValueError(f"solutions/{self.name}.py has no {'.'.join(qualname)}")
            scope = node.body
        return node

    def solution_cell(self, node: ast.FunctionDef | ast.ClassDef, lang: str = "en") -> str:
        """The stub's definition with each body replaced by the marked reference body,
        and its docstrings in `lang`."""
        lines = _segment(self.stub_lines, node)
        offset = (node.decorator_list[0].lineno if node.decorator_list else node.lineno) - 1
        functions = [([node.name], node)] if isinstance(node, ast.FunctionDef) else \
            [([node.name, m.name], m) for m in node.body if isinstance(m, ast.FunctionDef)]
        if isinstance(node, ast.ClassDef):
            self._check_methods(node)
        changes = []  # (first line, end line, new lines), 0-based within the segment
        for qualname, function in functions:
            start, end = _body_start(function) - 1 - offset, function.end_lineno - offset
            indent = " " * function.body[0].col_offset
            body = self._reference_body(qualname, indent)
            changes.append((start, end, [f"{indent}### BEGIN SOLUTION\n", *body,
                                         f"{indent}### END SOLUTION\n"]))
        if lang != "en":
            methods = functions if isinstance(node, ast.ClassDef) else []
            documented = [([node.name], node), *methods]
            for qualname, documented_node in documented:
                if ast.get_docstring(documented_node) is None:
                    continue
                first = documented_node.body[0]
                text = contract(self, ".".join(qualname), documented_node, lang)
                changes.append((first.lineno - 1 - offset, first.end_lineno - offset,
                                _docstring_lines(text, " " * first.col_offset)))
        # Replace from the last change up, so that earlier line numbers stay valid.
        for start, end, new in sorted(changes, reverse=True):
            lines[start:end] = new
        return "".join(lines).rstrip("\n")

    def _check_methods(self, node: ast.ClassDef) -> None:
        reference = self.reference_of([node.name])
        mine = {m.name for m in node.body if isinstance(m, ast.FunctionDef)}
        extra = [m.name for m in reference.body if isinstance(m, ast.FunctionDef)
                 and m.name not in mine]
        if extra:  # a region at class level would raise when the released class is defined
            raise ValueError(f"solutions/{self.name}.py: {node.name} has methods the stub "
                             f"lacks ({', '.join(extra)}); add them to the stub")

    def _reference_body(self, qualname: list[str], indent: str) -> list[str]:
        function = self.reference_of(qualname)
        body = self.ref_lines[_body_start(function) - 1: function.end_lineno]
        own_indent = " " * function.body[0].col_offset
        own = [line[len(own_indent):] if line.startswith(own_indent) else line
               for line in body]
        return [indent + line if line.strip() else line
                for line in [*self._helpers_for(body), *own]]

    def _helpers_for(self, body: list[str]) -> list[str]:
        """The reference's own top-level helpers this body needs, in the reference's order."""
        needed: list[ast.stmt] = []
        names = _used_names(body)
        changed = True
        while changed:
            changed = False
            for node in self.extras:
                if node not in needed and _bound_names(node) & names:
                    needed.append(node)
                    names |= _used_names(_segment(self.ref_lines, node))
                    changed = True
        out = []
        for node in sorted(needed, key=lambda n: n.lineno):
            out.extend(_segment(self.ref_lines, node))
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                out.append("\n")
        return out


def _docstring_lines(text: str, indent: str) -> list[str]:
    """A docstring's source lines, indented as the one it replaces."""
    lines = text.splitlines()
    body = [f"{indent}{line}\n" if line.strip() else "\n" for line in lines[1:]]
    return [f'{indent}"""{lines[0]}\n', *body, f'{indent}"""\n']


def _without_noqa(line: str) -> str:
    match = re.search(r"\s*#\s*noqa(:\s*[A-Z0-9, ]+)?(.*)$", line)
    if not match:
        return line
    rest = match.group(2).strip().strip("()").strip()
    return line[: match.start()] + (f"  # {rest}" if rest else "")


def _docstring_markdown(text: str) -> str:
    """A Google-style docstring as markdown: its prose, then its sections as a block."""
    lines = text.splitlines()
    section = next((i for i, line in enumerate(lines)
                    if re.fullmatch(r"(Args|Arguments|Returns|Yields|Raises|Attributes):"
                                    r"|(参数|返回|生成|引发|属性)：", line.strip())), len(lines))
    prose = "\n".join(lines[:section]).strip()
    contract = "\n".join(lines[section:]).strip()
    parts = [prose] if prose else []
    if contract:
        parts.append(f"```text\n{contract}\n```")
    return "\n\n".join(parts)


def _id(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "-", text)[:64]


def _nbgrader(grade_id: str, *, solution: bool = False, grade: bool = False,
              locked: bool = False, points: float | None = None) -> dict:
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": 3,
            "solution": solution}
    if points is not None:
        meta["points"] = points
    return {"nbgrader": meta}


def _markdown(cell_id: str, text: str) -> dict:
    return {"cell_type": "markdown", "id": _id(cell_id), "metadata": {},
            "source": text.strip() + "\n"}


def _code(cell_id: str, source: str, metadata: dict) -> dict:
    return {"cell_type": "code", "execution_count": None, "id": _id(cell_id),
            "metadata": metadata, "outputs": [], "source": source.rstrip("\n")}


def check_cell_source(module: str, function: str, points: float, *, device: str,
                     call_timeout: float, lang: str = "en", sandbox: str = "auto") -> str:
    """The source of a test cell (see autograder.notebook).

    The cell is the same in the source notebook, the release and the autograded copy:
    nbgrader keeps a locked cell's checksum, and a cell that differs from the one it
    stored is restored with a warning. The hidden checks are switched on by nbgrader's
    own NBGRADER_EXECUTION=autograde, not by a hidden-tests block that the release lacks.
    """
    from autograder.messages import render

    comment = render("course.check_cell", lang, function=function, points=points)
    language = "" if lang == "en" else f", lang={lang!r}"
    mode = "" if sandbox == "auto" else f", sandbox={sandbox!r}"
    return "\n".join([
        *(f"# {line}" for line in comment.splitlines()),
        "from autograder.notebook import Check",
        "",
        f"Check({module!r}, {function!r}, points={points!r}, device={device!r}, "
        f"timeout={call_timeout!r}{language}{mode}).score()",
    ])


def build_notebook(module: str, *, device: str = DEFAULT_DEVICE,
                   call_timeout: float = DEFAULT_CALL_TIMEOUT,
                   points: dict[str, FunctionPoints] | None = None,
                   lang: str = "en", sandbox: str = "auto") -> dict:
    """The nbgrader source notebook of one exercise module, as a JSON-ready dict.

    lang: the language of its prose, contracts and test cells' messages ("en" or "zh").
    """
    if lang not in LANGUAGES:
        raise ValueError(f"no course language {lang!r} (choose from {', '.join(LANGUAGES)})")
    parsed = _Module(module)
    if points is None:
        points = points_by_function(device).get(module, {})
    title, _, rest = module_intro(parsed, lang).partition("\n")
    formulas = _unit(module).declared("FORMULAS", {})
    notes = _text(f"course.{module}.notes", lang, required=False, **formulas)
    cells = [_markdown("intro", "\n\n".join(p for p in (
        f"# {title.strip().rstrip('.。')}", rest.strip(), notes.strip(),
        _text("course.how_it_works", lang)) if p)),
        _code("imports", parsed.imports(lang), _nbgrader("imports", locked=True))]
    graded = list(points)  # the suites' functions, in the order they grade them
    placed: set[str] = set()
    for number, node in enumerate(parsed.definitions(), start=1):
        kind = "class" if isinstance(node, ast.ClassDef) else "function"
        heading = _text(f"course.heading.{kind}", lang, number=number, name=node.name)
        formula = _unit(module).declared("FUNCTION_FORMULAS", {}).get(node.name, "")
        note = _text(f"course.{module}.{node.name}.note", lang, required=False)
        cells.append(_markdown(f"about-{node.name}", "\n\n".join(
            p.strip() for p in (heading, _docstring_markdown(
                contract(parsed, node.name, node, lang)), formula, note) if p.strip())))
        cells.append(_code(node.name, parsed.solution_cell(node, lang),
                           _nbgrader(node.name, solution=True)))
        mine = [f for f in graded if f == node.name or f.split(".")[0] == node.name]
        for function in mine:
            cells.append(_test_cell(module, function, points[function], device, call_timeout,
                                    lang, sandbox))
            placed.add(function)
    for function in graded:  # graded names that match no definition: checked at the end
        if function not in placed:
            cells.append(_test_cell(module, function, points[function], device, call_timeout,
                                    lang, sandbox))
    return {
        "cells": cells,
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python",
                           "name": "python3"},
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def _test_cell(module: str, function: str, worth: FunctionPoints, device: str,
               call_timeout: float, lang: str, sandbox: str = "auto") -> dict:
    points = round(worth.points, 6)
    return _code(f"test_{function}",
                 check_cell_source(module, function, points, device=device,
                                   call_timeout=call_timeout, lang=lang, sandbox=sandbox),
                 _nbgrader(f"test_{function}", grade=True, locked=True, points=points))


CONFIG_TEMPLATE = '''\
"""nbgrader configuration of the course {course_id!r}, written by `autograder nbgrader init`.

Run nbgrader from this folder (it reads this file from the current directory):
    nbgrader generate_assignment {first} --force
    nbgrader autograde {first} --force
    nbgrader generate_feedback {first} --force
    nbgrader export --to grades.csv
A mistake in this file is only logged by nbgrader, which then goes on without it:
look for "ERROR" at the top of its output after editing.

The test cells of the notebooks grade each function in a separate process, as the
`grade` command does, on device {device!r} with {call_timeout:g} s per call into the
student's code (written into each test cell: change them with
`autograder nbgrader init . --device ... --call-timeout ... --force`, then
`nbgrader generate_assignment ... --force`). The points of a test cell are those `grade`
gives the function, and nbgrader's fraction equals `grade`'s on the same notebook:
`grade submitted/<student>/<assignment>/` double-checks a score.
"""

c = get_config()  # noqa: F821 (nbgrader provides it)

c.CourseDirectory.course_id = {course_id!r}
{packs}
# Autograde runs every cell in a fresh python3 kernel. A test cell grades one function;
# it stays well within this limit unless the student's code loops (each call into it
# stops after {call_timeout:g} s). nbgrader's default, 30 s, is too tight.
c.Execute.timeout = {timeout!r}
c.Execute.startup_timeout = 120
c.Execute.kernel_name = "python3"

# nbgrader gives 0 to a test cell that wrote anything to stderr; PyTorch's warnings do.
c.IgnorePattern.enabled = True
c.IgnorePattern.pattern = r"(UserWarning|DeprecationWarning|FutureWarning|RuntimeWarning)"
{code_stub}

# Feedback is nbgrader's own (GetGrades, then the page): a test cell holds no hidden
# test to clear, and nbgrader's NbGraderPreprocessor classes (ClearHiddenTests among
# them) would each log "Config option `display_data_priority` not recognized" there.
'''


def config_text(*, course_id: str = DEFAULT_COURSE_ID, timeout: float = DEFAULT_CELL_TIMEOUT,
                device: str = DEFAULT_DEVICE,
                call_timeout: float = DEFAULT_CALL_TIMEOUT, lang: str = "en") -> str:
    """The course's nbgrader_config.py."""
    code_stub = ""
    if lang != "en":  # what generate_assignment leaves in a solution region, in `lang`
        stub = {"python": f"# {_text('course.code_stub', lang)}\nraise NotImplementedError()"}
        code_stub = ("\n# What the release holds in place of a solution.\n"
                     f"c.ClearSolutions.code_stub = {stub!r}\n")
    # nbgrader's timeouts are whole seconds (a float there is a configuration error).
    return CONFIG_TEMPLATE.format(course_id=course_id, timeout=math.ceil(timeout),
                                  device=device, call_timeout=call_timeout,
                                  code_stub=code_stub, first=(registry.names() or ["M"])[0],
                                  packs=_packs_setting())


def build_course(course_dir: str | os.PathLike, *, course_id: str = DEFAULT_COURSE_ID,
                 timeout: float = DEFAULT_CELL_TIMEOUT, device: str = DEFAULT_DEVICE,
                 call_timeout: float = DEFAULT_CALL_TIMEOUT, modules: list[str] | None = None,
                 force: bool = False, lang: str = "en",
                 sandbox: str = "auto") -> list[Path]:
    """Write an nbgrader course: nbgrader_config.py and source/<m>/<m>.ipynb per module.

    course_id: nbgrader's CourseDirectory.course_id.
    timeout: nbgrader's limit in seconds for one cell (Execute.timeout).
    device, call_timeout, sandbox: how the test cells grade (as `grade --device
    --timeout --sandbox`).
    modules: the exercise modules to make assignments of (default: every one).
    force: overwrite files that exist (otherwise FileExistsError, nothing written).
    lang: the language of the notebooks' prose, contracts and test cells' messages, and so
        of the diagnoses in nbgrader's feedback ("en" or "zh").
    Returns the files written.
    """
    from autograder import registry
    from autograder.api import devices_for

    if device != "all":
        devices_for(device, cuda=False)  # ValueError for a device that does not exist
    if lang not in LANGUAGES:
        raise ValueError(f"no course language {lang!r} (choose from {', '.join(LANGUAGES)})")
    chosen = list(registry.names()) if modules is None else list(modules)
    unknown = [m for m in chosen if m not in registry.names()]
    if unknown:
        raise ValueError(f"no exercise module {', '.join(unknown)} "
                         f"(choose from {', '.join(registry.names())})")
    root = Path(course_dir)
    files = {root / "nbgrader_config.py": config_text(course_id=course_id, timeout=timeout,
                                                      device=device,
                                                      call_timeout=call_timeout,
                                                      lang=lang)}
    points = points_by_function(device)
    for module in chosen:
        notebook = build_notebook(module, device=device, call_timeout=call_timeout,
                                  points=points.get(module, {}), lang=lang,
                                  sandbox=sandbox)
        files[root / "source" / module / f"{module}.ipynb"] = \
            json.dumps(notebook, indent=1, ensure_ascii=False) + "\n"
    existing = [str(path) for path in files if path.exists()]
    if existing and not force:
        raise FileExistsError(f"{', '.join(existing)} exist "
                              "(--force, or force=True, overwrites them)")
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return list(files)


def _unit(module: str) -> registry.Exercise:
    """The exercise unit of `module` (autograder.registry)."""
    return registry.exercise(module)


def _packs_setting() -> str:
    """The packs of --exercises, for the kernels nbgrader starts and their grading
    service (autograder.registry reads them from the environment); "" without any."""
    packs = registry.extra_packs()
    if not packs:
        return ""
    return ("\n# The exercise packs of `autograder nbgrader init --exercises`, for the grading\n"
            "# service of the kernels nbgrader starts (an installed pack needs none).\n"
            "import os  # noqa: E402\n\n"
            f"os.environ[{registry.PACKS_VARIABLE!r}] = {os.pathsep.join(packs)!r}\n")

