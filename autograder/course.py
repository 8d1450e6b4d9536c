"""An nbgrader course generated from the exercises: `build_course(course_dir, ...)`.

Everything comes from the single sources of truth, so the course cannot drift from
`grade`: the stubs (autograder.assignments) give each notebook its imports, signatures
and docstrings; the reference solutions (autograder.reference) fill the regions between
`### BEGIN SOLUTION` and `### END SOLUTION`; the hidden suites, collected with pytest,
give each test cell its points. The few words of teaching that are not in a docstring
(the formulas and the why of the group's notes) are the data below.

The generated files are plain JSON and Python: writing a course needs neither nbgrader
nor nbformat.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import math
import os
import re
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_COURSE_ID = "d2l"
DEFAULT_CELL_TIMEOUT = 300  # nbgrader's per-cell limit; its default, 30 s, is too tight
DEFAULT_DEVICE = "all"  # the `grade` command's default: the same points on any machine
DEFAULT_CALL_TIMEOUT = 5.0  # each call into the student's code, as `grade --timeout`

# -- the teaching that is not in a docstring ------------------------------------------

MODULE_NOTES: dict[str, str] = {
    "linear_regression": r"""
The model predicts $\hat{\mathbf{y}} = \mathbf{X}\mathbf{w} + b$ for a minibatch
$\mathbf{X}$ of shape $(n, d)$. Training repeats, for each minibatch
$\mathcal{B}$: compute the loss, backpropagate, and take one step of minibatch
stochastic gradient descent

$$(\mathbf{w}, b) \leftarrow (\mathbf{w}, b) - \frac{\eta}{|\mathcal{B}|}
\sum_{i \in \mathcal{B}} \partial_{(\mathbf{w}, b)}\, l^{(i)}(\mathbf{w}, b).$$

The study group's loop, which your functions must fit:

```python
for epoch in range(num_epochs):
    for X, y in data_iter(batch_size, features, labels):
        l = loss(net(X, w, b), y).sum()
        l.backward()
        sgd([w, b], lr, batch_size)
        w.grad.data.zero_()
        b.grad.data.zero_()
```
""",
    "softmax_regression": r"""
**Why softmax, and why cross-entropy instead of squared error?** Used directly as
predictions, the outputs $o_j$ of a linear layer have no fixed range: an output of 10
means "very sure" next to outputs of 0.1, and "not sure at all" next to outputs of
1000; and the error between such unbounded values and a discrete label is hard to
measure. Softmax turns the outputs into a probability distribution over the $q$
classes,
$\hat{y}_j = \exp(o_j) / \sum_k \exp(o_k)$, without changing which class is the most
likely. To fit it, squared error would ask every wrong class's probability to be exactly
right too, which is far stricter than classification needs; cross-entropy
$l = -\sum_j y_j \log \hat{y}_j = -\log \hat{y}_{y}$ only asks the true class's
probability to be as large as possible.
""",
    "activations": r"""
**Why an activation at all?** A stack of affine layers is itself an affine function:
$\mathbf{H} = \mathbf{X}\mathbf{W}_1 + \mathbf{b}_1$ followed by
$\mathbf{O} = \mathbf{H}\mathbf{W}_2 + \mathbf{b}_2$ is just
$\mathbf{X}\mathbf{W}_1\mathbf{W}_2 + (\mathbf{b}_1\mathbf{W}_2 + \mathbf{b}_2)$,
so hidden layers add nothing. A nonlinear function applied to every hidden unit,
$\mathbf{H} = \sigma(\mathbf{X}\mathbf{W}_1 + \mathbf{b}_1)$, prevents that collapse.
""",
    "language_model": r"""
A language model learns $P(x_t \mid x_{t-1}, \ldots, x_1)$: it reads a window of
`num_steps` tokens and is trained to predict each next token, so every sampler yields
inputs `X` and targets `Y` that are `X` shifted one token to the left. The two samplers
differ in how windows are cut and ordered: random sampling shuffles independent windows;
consecutive sampling lets row $i$ of one minibatch continue row $i$ of the previous one.
""",
    "concise": r"""
The same linear regression as before, written the way it is done in practice: an
`nn.Linear` layer owns the weight and the bias, `nn.MSELoss` and `torch.optim.SGD` would
replace `squared_loss` and `sgd`.
""",
}

FUNCTION_NOTES: dict[tuple[str, str], str] = {
    ("linear_regression", "linreg"): r"$\hat{\mathbf{y}} = \mathbf{X}\mathbf{w} + b$",
    ("linear_regression", "squared_loss"):
        r"$l^{(i)}(\mathbf{w}, b) = \frac{1}{2}\left(\hat{y}^{(i)} - y^{(i)}\right)^2$",
    ("linear_regression", "sgd"): r"""
**Why divide by `batch_size`?** The loss the training loop calls `backward()` on is the
*sum* of the minibatch's per-example losses, so `param.grad` is the sum of `batch_size`
gradients. Dividing by `batch_size` makes it their mean: the step no longer grows with
the batch, and the learning rate means the same for any batch size.
""",
    ("linear_regression", "train_epoch"): r"""
**Why sum the loss before `backward()`?** `loss(net(X, *params), y)` is a vector, one
loss per example, and `backward()` needs a scalar (PyTorch refuses to backpropagate a
vector without being told how to weigh its entries). The sum is that scalar, and its
gradient is the sum of the per-example gradients, which `sgd` divides by `batch_size`.
**Why zero the gradients?** `backward()` adds into `.grad`: without zeroing, each
minibatch would also step along all the earlier minibatches' gradients.
""",
    ("softmax_regression", "softmax"):
        r"$\mathrm{softmax}(\mathbf{X})_{ij} = \frac{\exp(X_{ij})}{\sum_k \exp(X_{ik})}$",
    ("softmax_regression", "cross_entropy"): r"$l^{(i)} = -\log \hat{y}^{(i)}_{y^{(i)}}$",
    ("activations", "relu"): r"$\mathrm{ReLU}(x) = \max(x, 0)$",
    ("activations", "sigmoid"): r"$\mathrm{sigmoid}(x) = \frac{1}{1 + \exp(-x)}$",
    ("activations", "tanh"): r"$\tanh(x) = \frac{1 - \exp(-2x)}{1 + \exp(-2x)}$",
}

HOW_IT_WORKS = """
**How this notebook works.** Write your code in each cell that says
`raise NotImplementedError()` (replace that line; keep the signature and the docstring).
The cell after it checks your function: it runs it in a separate process, exactly as
the `grade` command does, and prints what is wrong. When you run it yourself you get
the public checks; when your notebook is graded the hidden checks run too. A crash or an
infinite loop in your function costs only that cell's points. The checks run the code
of every cell you ran before them (test cells excepted), so put long experiments, such
as a training run, under `if __name__ == "__main__":`, which the checks skip.
"""


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
    on the GPU where there is one and on `meta` where there is none. The points are those
    of the `grades` marks, each test once (its devices and parameters share them).
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
    return result


# -- notebooks ---------------------------------------------------------------------------


def _module_file(package: str, module: str) -> str:
    spec = importlib.util.find_spec(f"autograder.{package}.{module}")
    if spec is None or spec.origin is None:
        raise FileNotFoundError(f"autograder.{package}.{module} is not installed")
    return Path(spec.origin).read_text(encoding="utf-8")


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

    def imports(self) -> str:
        lines = []
        for node in self.stub.body:
            if not isinstance(node, (ast.Import, ast.ImportFrom)):
                continue
            if isinstance(node, ast.ImportFrom) and node.module == "__future__":
                continue
            for line in _segment(self.stub_lines, node):
                lines.append(_without_noqa(line.rstrip("\n")))
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

    def solution_cell(self, node: ast.FunctionDef | ast.ClassDef) -> str:
        """The stub's definition with each body replaced by the marked reference body."""
        lines = _segment(self.stub_lines, node)
        offset = (node.decorator_list[0].lineno if node.decorator_list else node.lineno) - 1
        functions = [([node.name], node)] if isinstance(node, ast.FunctionDef) else \
            [([node.name, m.name], m) for m in node.body if isinstance(m, ast.FunctionDef)]
        if isinstance(node, ast.ClassDef):
            self._check_methods(node)
        # Replace from the last function up, so that earlier line numbers stay valid.
        for qualname, function in reversed(functions):
            start, end = _body_start(function) - 1 - offset, function.end_lineno - offset
            indent = " " * function.body[0].col_offset
            body = self._reference_body(qualname, indent)
            lines[start:end] = [f"{indent}### BEGIN SOLUTION\n", *body,
                                f"{indent}### END SOLUTION\n"]
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
                    if re.fullmatch(r"(Args|Arguments|Returns|Yields|Raises|Attributes):",
                                    line.strip())), len(lines))
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
                     call_timeout: float, sandbox: str = "auto") -> str:
    """The source of a test cell (see autograder.notebook)."""
    mode = "" if sandbox == "auto" else f", sandbox={sandbox!r}"
    return "\n".join([
        f"# Checks `{function}` ({points:g} points) in a separate process, as `grade` does;",
        "# what is wrong is printed below. (Locked: your edits here are undone.)",
        "from autograder.notebook import Check",
        "",
        f"check = Check({module!r}, {function!r}, points={points!r}, device={device!r}, "
        f"timeout={call_timeout!r}{mode})",
        "### BEGIN HIDDEN TESTS",
        "check.include_hidden_tests()",
        "### END HIDDEN TESTS",
        "check.score()",
    ])


def build_notebook(module: str, *, device: str = DEFAULT_DEVICE,
                   call_timeout: float = DEFAULT_CALL_TIMEOUT,
                   points: dict[str, FunctionPoints] | None = None,
                   sandbox: str = "auto") -> dict:
    """The nbgrader source notebook of one exercise module, as a JSON-ready dict."""
    parsed = _Module(module)
    if points is None:
        points = points_by_function(device).get(module, {})
    title, _, rest = parsed.docstring.partition("\n")
    cells = [_markdown("intro", "\n\n".join(p for p in (
        f"# {title.strip().rstrip('.')}", rest.strip(), MODULE_NOTES.get(module, "").strip(),
        HOW_IT_WORKS.strip()) if p)),
        _code("imports", parsed.imports(), _nbgrader("imports", locked=True))]
    graded = list(points)  # the suites' functions, in the order they grade them
    placed: set[str] = set()
    for number, node in enumerate(parsed.definitions(), start=1):
        doc = ast.get_docstring(node) or ""
        kind = "class" if isinstance(node, ast.ClassDef) else "function"
        heading = f"## {number}. The {kind} `{node.name}`"
        note = FUNCTION_NOTES.get((module, node.name), "").strip()
        cells.append(_markdown(f"about-{node.name}", "\n\n".join(
            p for p in (heading, _docstring_markdown(doc), note) if p)))
        cells.append(_code(node.name, parsed.solution_cell(node),
                           _nbgrader(node.name, solution=True)))
        mine = [f for f in graded if f == node.name or f.split(".")[0] == node.name]
        for function in mine:
            cells.append(_test_cell(module, function, points[function], device,
                                    call_timeout, sandbox))
            placed.add(function)
    for function in graded:  # graded names that match no definition: checked at the end
        if function not in placed:
            cells.append(_test_cell(module, function, points[function], device,
                                    call_timeout, sandbox))
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
               call_timeout: float, sandbox: str = "auto") -> dict:
    points = round(worth.points, 6)
    return _code(f"test_{function}",
                 check_cell_source(module, function, points, device=device,
                                  call_timeout=call_timeout, sandbox=sandbox),
                 _nbgrader(f"test_{function}", grade=True, locked=True, points=points))


CONFIG_TEMPLATE = '''\
"""nbgrader configuration of the course {course_id!r}, written by `autograder nbgrader init`.

Run nbgrader from this folder (it reads this file from the current directory):
    nbgrader generate_assignment linear_regression --force
    nbgrader autograde linear_regression --force
    nbgrader generate_feedback linear_regression --force
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

from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
from nbgrader.preprocessors import ClearHiddenTests, GetGrades, NbGraderPreprocessor

c = get_config()  # noqa: F821 (nbgrader provides it)

c.CourseDirectory.course_id = {course_id!r}

# Autograde runs every cell in a fresh python3 kernel. A test cell grades one function;
# it stays well within this limit unless the student's code loops (each call into it
# stops after {call_timeout:g} s). nbgrader's default, 30 s, is too tight.
c.Execute.timeout = {timeout!r}
c.Execute.startup_timeout = 120
c.Execute.kernel_name = "python3"

# nbgrader gives 0 to a test cell that wrote anything to stderr; PyTorch's warnings do.
c.IgnorePattern.enabled = True
c.IgnorePattern.pattern = r"(UserWarning|DeprecationWarning|FutureWarning|RuntimeWarning)"


class StripTracebacks(NbGraderPreprocessor):
    """Reduce the error of a test cell to its last line: a traceback quotes the cell's
    code, hidden tests included, which ClearHiddenTests cannot see."""

    def preprocess_cell(self, cell, resources, index):
        meta = cell.metadata.get("nbgrader", {{}})
        if cell.cell_type == "code" and meta.get("grade") and not meta.get("solution"):
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error":
                    output["traceback"] = [f"{{output.get('ename')}}: {{output.get('evalue')}}"]
        return cell, resources


# Feedback shows the diagnosis each test cell printed, never the hidden tests.
c.GenerateFeedback.preprocessors = [
    GetGrades, ClearHiddenTests, StripTracebacks, CSSHTMLHeaderPreprocessor]
'''


def config_text(*, course_id: str = DEFAULT_COURSE_ID, timeout: float = DEFAULT_CELL_TIMEOUT,
                device: str = DEFAULT_DEVICE,
                call_timeout: float = DEFAULT_CALL_TIMEOUT) -> str:
    """The course's nbgrader_config.py."""
    # nbgrader's timeouts are whole seconds (a float there is a configuration error).
    return CONFIG_TEMPLATE.format(course_id=course_id, timeout=math.ceil(timeout),
                                  device=device, call_timeout=call_timeout)


def build_course(course_dir: str | os.PathLike, *, course_id: str = DEFAULT_COURSE_ID,
                 timeout: float = DEFAULT_CELL_TIMEOUT, device: str = DEFAULT_DEVICE,
                 call_timeout: float = DEFAULT_CALL_TIMEOUT, modules: list[str] | None = None,
                 force: bool = False, sandbox: str = "auto") -> list[Path]:
    """Write an nbgrader course: nbgrader_config.py and source/<m>/<m>.ipynb per module.

    course_id: nbgrader's CourseDirectory.course_id.
    timeout: nbgrader's limit in seconds for one cell (Execute.timeout).
    device, call_timeout, sandbox: how the test cells grade (as `grade --device
    --timeout --sandbox`).
    modules: the exercise modules to make assignments of (default: every one).
    force: overwrite files that exist (otherwise FileExistsError, nothing written).
    Returns the files written.
    """
    from autograder.api import devices_for
    from autograder.suites import MODULES

    if device != "all":
        devices_for(device, cuda=False)  # ValueError for a device that does not exist
    chosen = list(MODULES) if modules is None else list(modules)
    unknown = [m for m in chosen if m not in MODULES]
    if unknown:
        raise ValueError(f"no exercise module {', '.join(unknown)} "
                         f"(choose from {', '.join(MODULES)})")
    root = Path(course_dir)
    files = {root / "nbgrader_config.py": config_text(course_id=course_id, timeout=timeout,
                                                      device=device,
                                                      call_timeout=call_timeout)}
    points = points_by_function(device)
    for module in chosen:
        notebook = build_notebook(module, device=device, call_timeout=call_timeout,
                                  points=points.get(module, {}), sandbox=sandbox)
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
