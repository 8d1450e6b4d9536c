"""The vocabulary of the hidden suites: call the student's code, compare, diagnose.

A suite calls the student through `Student` (every call runs in the worker) and checks
what came back with the functions below. A failed check raises a Diagnosis: a catalogue
key and its values, never a bare assertion.
"""

from __future__ import annotations

import ast
import contextlib
import itertools
import math
import os
import re
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch

from autograder import placement, protocol
from autograder.messages import Diagnosis, Phrase
from autograder.pool import WorkerFailure, WorkerPool
from autograder.sandbox.limits import describe_limit, limit_hit

# Known exceptions and what they mean, as (function or None for any, text in the error,
# catalogue key). The first match wins.
KNOWN_ERRORS: list[tuple[str | None, str, str]] = [
    # (function or None for any, a fragment of the error's text, its catalogue key);
    # an exercise's own are in its unit (KNOWN_ERRORS of exercises/<module>/unit.py).
    (None, "is not on the expected device", "mixed_devices"),
    (None, "Expected all tensors to be on the same device", "mixed_devices"),
    # A CPU tensor indexed with a GPU tensor's values (x[y] where only y was moved).
    (None, "indices should be either on cpu or on the same device", "mixed_devices"),
    (None, "device type tensor to numpy", "device.numpy"),
    (None, "not enough memory", "out_of_memory"),
    (None, "can't allocate memory", "out_of_memory"),
    (None, "out of memory", "out_of_memory"),
    (None, "ran past its time limit of", "cell_timeout"),  # CellTimeout, autograder.ipynb
]


class Session:
    """What every Student of one grading run shares: the workers and the settings."""

    def __init__(self, pool: WorkerPool, *, workdir: str, timeout: float,
                 output_sink: Callable[[str], None] | None = None,
                 stop_at: float | None = None):
        self.pool = pool
        self.workdir = workdir
        self.timeout = timeout
        self.stop_at = stop_at  # the submission's deadline, a time.monotonic() value
        # Exercise module files that staging refused, and why (Submission.refused).
        self.refused: dict[str, Diagnosis] = {}
        self.output_sink = output_sink or (lambda text: None)
        self.broken: dict[str, Diagnosis] = {}  # module -> why it cannot be imported
        # The book's functions the test now running may send to the worker (its grades
        # mark's collaborators); None: any of the module's (the pictures, drawn after
        # every test of the module).
        self.book_allowed: frozenset[str] | None = frozenset()
        self._imported: set[tuple[int, str]] = set()

    def ensure_imported(self, module: str, device: str) -> None:
        """Import `module` in the worker serving `device`; any failure becomes a Diagnosis."""
        if module in self.broken:
            raise self.broken[module]
        if (self.pool.worker_generation(device), module) in self._imported:
            return
        file = f"{module}.py"
        if file in self.refused:  # too large, not a file, a link out: never "missing"
            self.broken[module] = self.refused[file]
            raise self.broken[module]
        if not _exists(self.workdir, file):
            self.broken[module] = Diagnosis("missing_module", file=file)
            raise self.broken[module]
        self.check_deadline()
        try:
            reply = self.pool.request({"module": module, "procedure": "import",
                                       "timeout": self.timeout},  # a notebook's cells share it
                                      timeout=self.timeout, device=device,
                                      stop_at=self.stop_at)
        except WorkerFailure as failure:
            self.output_sink(failure.detail.get("output", ""))
            self.broken[module] = _import_failure(file, failure)
            raise self.broken[module] from None
        self.output_sink(reply.output)
        if not isinstance(reply.body, dict) or reply.body.get("status") != "ok":
            error = protocol.bounded_error(_field(reply.body, "error"))
            self.broken[module] = Diagnosis("import_failed", file=file,
                                            error_type=error["type"], error=error["message"],
                                            where=_where(error))
            raise self.broken[module]
        self._imported.add((self.pool.worker_generation(device), module))

    def check_deadline(self) -> None:
        """Past the submission's deadline, nothing more is graded."""
        if self.stop_at is not None and time.monotonic() >= self.stop_at:
            raise Diagnosis("robustness.not_graded")


def _exists(workdir: str, file: str) -> bool:
    return os.path.isfile(os.path.join(workdir, file))


def _import_failure(file: str, failure: WorkerFailure) -> Diagnosis:
    if failure.kind == "timeout":
        limit = failure.detail.get("limit")
        if limit == "deadline":
            return Diagnosis("robustness.not_graded")
        key = "robustness.import_wall_timeout" if limit == "wall" else "import_timeout"
        return Diagnosis(key, file=file, seconds=failure.detail["seconds"])
    return Diagnosis("import_exit", file=file, ending=_ending(failure.detail))


def _ending(detail: dict[str, Any]) -> Diagnosis:
    if detail.get("limit"):  # the sandbox stopped the submission at one of its limits
        named = describe_limit(detail["limit"], detail.get("limit_value"))
        return Diagnosis(f"ending_{named['key']}", limit=named["limit"])
    if detail.get("signal"):
        return Diagnosis("ending_signal", signal=detail["signal"])
    return Diagnosis("ending_code", code=detail.get("code"))


def _where(error: dict[str, Any]) -> Diagnosis | str:
    where = error.get("where")
    if not where:
        return ""
    return Diagnosis("where", file=where["file"], line=where["line"], code=where["code"])


def error_diagnosis(function: str, error: dict[str, Any], *,
                    memory_limit: int | None = None) -> Diagnosis:
    """Explain an exception raised by the student's function (run under `memory_limit`)."""
    module_file = error.get("module_file") if isinstance(error, dict) else None
    error = {**protocol.bounded_error(error), "module_file": module_file}
    kind, text = error["type"], error["message"]
    limit = limit_hit(kind, text)
    if limit is not None and (limit != "memory" or memory_limit):
        named = describe_limit(limit, memory_limit)
        return Diagnosis(named.pop("key"), function=function, where=_where(error), **named)
    if kind == "NotImplementedError" and error.get("explicit_raise"):
        return Diagnosis("not_implemented", function=function)
    if kind == "SystemExit":
        return Diagnosis("system_exit", function=function, where=_where(error))
    if kind == "AttributeError" and f"has no attribute '{function}'" in text:
        return Diagnosis("missing_function",
                         file=error.get("module_file") or Phrase("what.module"),
                         function=function)
    from autograder import registry

    for name, fragment, key in (*registry.known_errors(), *KNOWN_ERRORS):
        if name in (None, function) and fragment in text:
            return Diagnosis(key, function=function, where=_where(error))
    return Diagnosis("raised", function=function, error_type=kind,
                     error=text.strip().splitlines()[0][:300] if text.strip() else "",
                     where=_where(error))


class Student:
    """One module of the submission, as the hidden suites see it."""

    def source_tree(self) -> ast.Module | None:
        """The module's staged source, parsed (never run); None where it does not parse.

        A notebook's cells, staged as files beside the module, are read in order as one
        module, as they run.
        """
        workdir = Path(self.session.workdir)
        files = [workdir / f"{self.module}.py"]
        cells = workdir / f"{self.module}.ipynb"
        if cells.is_dir():
            files += sorted(cells.glob("*.py"), key=lambda path: _natural(path.name))
        body: list[ast.stmt] = []
        try:
            for file in files:
                body += ast.parse(file.read_text(encoding="utf-8", errors="replace")).body
        except (OSError, SyntaxError, ValueError, RecursionError):
            return None
        return ast.Module(body=body, type_ignores=[])

    def __init__(self, session: Session, module: str):
        self.session = session
        self.module = module
        self._seeds = itertools.count(1)

    def _book_code(self, names: Sequence[str]) -> str:
        from autograder.registry import book_code

        allowed = self.session.book_allowed
        undeclared = sorted(set(names) - allowed) if allowed is not None else []
        if undeclared:  # the suite's own mistake: a grader error, never a verdict
            raise RuntimeError(f"the test asks for the book's {', '.join(undeclared)} "
                               "without declaring them: grades(..., collaborators=...)")
        return book_code(self.module, tuple(sorted(set(names))))

    def call(self, function: str, *args: Any, device: str, **kwargs: Any) -> Outcome:
        """module.function(*args, **kwargs) in the worker, with tensors placed on `device`."""
        return self.run("call", function, device=device, args=list(args), kwargs=kwargs)

    def run(self, procedure: str, function: str, *, device: str, book: Sequence[str] = (),
            **arguments: Any) -> Outcome:
        """Run a harness procedure (see harness.PROCEDURES) on the student's `function`.

        `book`: functions of the module whose book version (the reference's) the procedure
        runs the student's code with; their code goes with the request, as its argument
        `book` (harness.book_functions). Only a test that declares them may ask (the
        `collaborators` of its grades mark, autograder.plugin), as it runs after every
        test of those functions."""
        session = self.session
        if book:
            arguments["book"] = self._book_code(book)
        session.ensure_imported(self.module, device)
        request = {"module": self.module, "procedure": procedure, "seed": next(self._seeds),
                   "device": device, "arguments": {"function": function, **arguments}}
        session.check_deadline()
        try:
            reply = session.pool.request(request, timeout=session.timeout, device=device,
                                         stop_at=session.stop_at)
        except WorkerFailure as failure:
            session.output_sink(failure.detail.get("output", ""))
            raise _call_failure(function, failure) from None
        session.output_sink(reply.output)
        status = _field(reply.body, "status")
        if status not in ("ok", "error", "import_error") \
                or status == "ok" and not _in_shape(_field(reply.body, "result"), procedure):
            # Only a worker whose harness was replaced answers out of shape.
            raise Diagnosis("garbled_answer", function=function)
        error = protocol.bounded_error(_field(reply.body, "error"))
        if status == "import_error":  # a fresh worker failed where an old one did not
            raise Diagnosis("import_failed", file=f"{self.module}.py",
                            error_type=error["type"], error=error["message"],
                            where=_where(error))
        if status != "ok":
            error = {**error, "module_file": f"{self.module}.py"}
            raise error_diagnosis(function, error, memory_limit=session.pool.memory_limit)
        return Outcome(function, device, reply.body["result"], reply.message)


def _field(body: Any, key: str) -> Any:
    """body[key] of a worker's answer, or None where it is not a dict or lacks the key."""
    return body.get(key) if isinstance(body, dict) else None


def _in_shape(result: Any, procedure: str) -> bool:
    from autograder import registry

    keys = RESULT_KEYS.get(procedure) or registry.result_keys().get(procedure, {"value"})
    return isinstance(result, dict) and keys <= result.keys()


# What each harness procedure's result always holds (see harness.PROCEDURES): an answer
# without it was not written by the worker's own code.
RESULT_KEYS: dict[str, set[str]] = {
    "call": {"value", "args", "kwargs"},
    "step": {"value", "params", "same_objects", "leaves", "grads"},
    "grad": {"value", "connected", "grad", "backward_error"},
    "watch": {"value", "functions"},
    "build": {"value", "is_module"},
}


def _natural(name: str) -> list:
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name)]


def source_uses(tree: ast.Module, function: str, names: set[str],
                modules: tuple[str, ...] = ("torch",)) -> str | None:
    """The first use of an attribute in `names` reachable from `function` in `tree`.

    Reachable: in the function's definition, or in any top-level definition, import or
    assignment whose name it mentions, transitively. A use is `anything.name`
    (torch.relu, F.relu, X.relu()), `from <one of modules> import name`, or the string
    'name' (getattr(torch, 'relu')). Returns the use as written, for the message.
    Read from the source, this sees what a run-time recorder can be hidden from.
    """
    bindings: dict[str, list[ast.stmt]] = {}
    for node in tree.body:
        for bound in _bound_names(node):
            bindings.setdefault(bound, []).append(node)
    seen, pending = set(), [function]
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        for node in bindings.get(name, []):
            found = _use_in(node, names, modules)
            if found is not None:
                return found
            pending += [n.id for n in ast.walk(node) if isinstance(n, ast.Name)]
    return None


def _bound_names(node: ast.stmt) -> list[str]:
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return [node.name]
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return [(alias.asname or alias.name).split(".")[0] for alias in node.names]
    targets = node.targets if isinstance(node, ast.Assign) else \
        [node.target] if isinstance(node, (ast.AnnAssign, ast.AugAssign)) else []
    return [n.id for target in targets for n in ast.walk(target) if isinstance(n, ast.Name)]


# Where an attribute of the same name is no torch function: np.clip, X.numpy().clip.
_OTHER_LIBRARIES = {"np", "numpy", "math", "scipy"}


def _of_another_library(value: ast.expr) -> bool:
    while True:
        if isinstance(value, ast.Call):
            if isinstance(value.func, ast.Attribute) and value.func.attr == "numpy":
                return True
            value = value.func
        elif isinstance(value, (ast.Attribute, ast.Subscript)):
            value = value.value
        else:
            return isinstance(value, ast.Name) and value.id in _OTHER_LIBRARIES


def _use_in(node: ast.AST, names: set[str], modules: tuple[str, ...]) -> str | None:
    for child in ast.walk(node):
        if isinstance(child, ast.Attribute) and child.attr in names and \
                not _of_another_library(child.value):
            return ast.unparse(child)
        if isinstance(child, ast.ImportFrom) and (child.module or "").split(".")[0] in modules:
            for alias in child.names:
                if alias.name in names:
                    return f"from {child.module} import {alias.name}"
        if isinstance(child, ast.Constant) and child.value in names:
            return repr(child.value)
    return None


def _call_failure(function: str, failure: WorkerFailure) -> Diagnosis:
    if failure.kind == "timeout":
        limit = failure.detail.get("limit")
        if limit == "deadline":
            return Diagnosis("robustness.not_graded")
        key = "robustness.wall_timeout" if limit == "wall" else "timeout"
        return Diagnosis(key, function=function, seconds=failure.detail["seconds"])
    if failure.kind == "exit":
        return Diagnosis("crashed", function=function, ending=_ending(failure.detail))
    return Diagnosis("garbled", function=function, reason=failure.detail.get("reason", ""))


@dataclass
class Outcome:
    """What a harness procedure reported: the value returned and what it observed."""

    function: str
    device: str
    result: dict[str, Any]
    message: protocol.Message

    @property
    def value(self) -> Any:
        return self.result["value"]

    def device_of(self, tensor: torch.Tensor) -> str:
        return self.message.info(tensor).device


# -- checks ------------------------------------------------------------------------------


# How many items of a container with items of several kinds are described one by one.
_LISTED_ITEMS = 3


def describe(value: Any) -> Phrase:
    """What `value` is, in the learner's terms: 'a tensor of shape (3,)', 'a NumPy array',
    'a tuple of 2 NumPy arrays', 'an int (0)'. Never a repr of the grader's own types."""
    if isinstance(value, (tuple, list, protocol.Drained)):
        return _describe_container(value)
    kind, params = _kind(value)
    return Phrase(f"value.{kind}", **params)


def _kind(value: Any) -> tuple[str, dict[str, Any]]:
    """The catalogue kind of a value (value.<kind>, values.<kind>) and its parameters."""
    if value is None:
        return "none", {}
    if isinstance(value, protocol.Opaque):
        if value.tensor_subclass:
            return "tensor_subclass", {"type_name": value.type_name}
        if value.type_name == "numpy.ndarray":
            return "numpy", {}
        return "object", {"type_name": value.type_name}
    if isinstance(value, torch.Tensor):
        return "tensor", {"shape": tuple(value.shape)}
    if isinstance(value, protocol.Drained):
        return "generator", {}
    if isinstance(value, torch.dtype):
        return "dtype", {"value": str(value)}
    if isinstance(value, torch.device):
        return "device", {"value": str(value)}
    if isinstance(value, dict):
        return "dict", {"count": len(value)}
    if isinstance(value, (tuple, list)):
        return type(value).__name__, {}
    for kind in (bool, int, float, str):  # bool before int: True is an int
        if isinstance(value, kind):
            return kind.__name__, {"value": repr(value)[:60]}
    return "object", {"type_name": type(value).__name__}


def _describe_container(value: tuple | list | protocol.Drained) -> Phrase:
    container = "generator" if isinstance(value, protocol.Drained) else type(value).__name__
    items = list(value.items if isinstance(value, protocol.Drained) else value)
    if not items:
        return Phrase(f"value.{container}_empty")
    if len(items) == 1:
        return Phrase(f"value.{container}_one", item=describe(items[0]))
    kinds = [_kind(item) for item in items]
    kind, params = kinds[0]
    type_name = params.get("type_name")
    if all(k == kind and p.get("type_name") == type_name for k, p in kinds):
        plural = {"type_name": type_name} if type_name else {}
        return Phrase(f"value.{container}_of", count=len(items),
                      items=Phrase(f"values.{kind}", **plural))
    listed = [describe(item) for item in items[:_LISTED_ITEMS]]
    joined = listed[-1] if len(items) <= _LISTED_ITEMS else Phrase("value.and_more",
                                                                    first=listed[-1])
    for piece in reversed(listed[:-1]):
        joined = Phrase("value.and", first=piece, rest=joined)
    return Phrase(f"value.{container}_mixed", count=len(items), items=joined)


def holds_numpy(value: Any) -> bool:
    """Whether `value` is a NumPy array or a plain container holding one."""
    if isinstance(value, protocol.Opaque):
        return value.type_name == "numpy.ndarray"
    if isinstance(value, (tuple, list)):
        return any(holds_numpy(item) for item in value)
    return False


RETURN_VALUE = Phrase("what.return_value")


def code(text: str) -> Phrase:
    """A piece of code, such as `linreg(X, w, b)`, named as what a check looked at."""
    return Phrase("what.code", code=text)


def expect_tensor(outcome: Outcome, actual: Any, expected: torch.Tensor, *,
                  what: Phrase = RETURN_VALUE, check_values: bool = True) -> torch.Tensor:
    """`actual` must be a plain tensor like `expected`: shape, dtype, device, then values."""
    if isinstance(actual, protocol.Opaque) and actual.tensor_subclass:
        raise Diagnosis("tensor_subclass", what=what, function=outcome.function,
                        actual=actual.type_name)
    if type(actual) is not torch.Tensor:
        raise Diagnosis("wrong_type", what=what, function=outcome.function,
                        expected=Phrase("expected.tensor"), actual=describe(actual))
    if actual.shape != expected.shape:
        raise Diagnosis("wrong_shape", what=what, actual=tuple(actual.shape),
                        expected=tuple(expected.shape))
    if actual.dtype != expected.dtype:
        raise Diagnosis("wrong_dtype", what=what, actual=_name(actual.dtype),
                        expected=_name(expected.dtype))
    expect_device(outcome, actual, what=what)
    if check_values:
        expect_close(actual, expected, what=what)
    return actual


def apparent_device(device: str) -> str:
    """The device the student's code sees on a lane: the placement lane's simulated GPU
    says it is cuda (autograder.placement)."""
    return "cuda" if device == placement.LANE else device


def same_device(where: str, device: str) -> bool:
    """Whether a tensor the worker saw on `where` (cuda:0, cpu) is on the lane `device`."""
    return where.split(":")[0] == apparent_device(device).split(":")[0]


def expect_device(outcome: Outcome, tensor: torch.Tensor, *, what: Phrase) -> None:
    where = outcome.device_of(tensor)
    if not same_device(where, outcome.device):
        raise Diagnosis("wrong_device", what=what, actual=where,
                        expected=apparent_device(outcome.device))


# What a placement test raises for a result in the wrong place; any other diagnosis of its
# values becomes placement.wrong_values.
PLACEMENT_KEYS = {"wrong_device", "mixed_devices", "device.numpy", "placement.no_tensor",
                  "lm.ignores_device", "lm.default_device"}


@contextlib.contextmanager
def values_right(function: str) -> Iterator[None]:
    """Around a placement test's check of the values: placement earns points only where
    the values are right too (a stub that returns its input is in the right place)."""
    try:
        yield
    except Diagnosis as wrong:
        if wrong.key in PLACEMENT_KEYS:
            raise
        raise Diagnosis("placement.wrong_values", function=function) from None


def expect_tensor_pairs(function: str, items: list, *, key: str, pair: str) -> None:
    """Every item a generator yielded is a pair of plain tensors; else the diagnosis `key`
    (or, for NumPy arrays, why they are not tensors)."""
    for item in items:
        if isinstance(item, (tuple, list)) and len(item) == 2 \
                and all(type(t) is torch.Tensor for t in item):
            continue
        if holds_numpy(item):
            raise Diagnosis("not_pairs.numpy", function=function, pair=pair,
                            actual=describe(item))
        raise Diagnosis(key, function=function, actual=describe(item))


def placed_tensors(outcome: Outcome, value: Any) -> list[torch.Tensor]:
    """The tensors a placement test looks at: those `value` holds, at any depth.

    A placement test checks where results are, then that their values are right (see
    values_right; the cpu tests say what is wrong with them). An error raised while a
    generator ran is reported as it is (mixing devices raises one); a value without any
    tensor cannot be placed, and says so.
    """
    if isinstance(value, protocol.Drained) and value.error is not None:
        raise error_diagnosis(outcome.function, value.error)
    tensors = _tensors_in(value)
    if not tensors:
        raise Diagnosis("placement.no_tensor", function=outcome.function, actual=describe(value))
    return tensors


def _tensors_in(value: Any, depth: int = 0) -> list[torch.Tensor]:
    if type(value) is torch.Tensor:
        return [value]
    if depth > 3:
        return []
    if isinstance(value, protocol.Drained):
        value = value.items
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, (tuple, list)):
        return [t for item in value for t in _tensors_in(item, depth + 1)]
    return []


def expect_placed(outcome: Outcome, value: Any) -> None:
    """Every tensor `value` holds is on the device the test runs on (a placement test)."""
    kind = "what.yielded_tensor" if isinstance(value, protocol.Drained) else \
        "what.returned_tensor"
    for tensor in placed_tensors(outcome, value):
        expect_device(outcome, tensor, what=Phrase(kind, function=outcome.function))


def is_close(actual: torch.Tensor, expected: torch.Tensor) -> bool:
    """Equal within torch.testing.assert_close's default tolerances for the dtype."""
    if actual.shape != expected.shape:
        return False
    rtol, atol = tolerances(expected.dtype)
    return bool(torch.isclose(actual.to(expected.dtype), expected, rtol=rtol, atol=atol,
                              equal_nan=True).all())


def expect_close(actual: torch.Tensor, expected: torch.Tensor, *, what: Phrase) -> None:
    if is_close(actual, expected):
        return
    if bool(torch.isfinite(expected).all()) and not bool(torch.isfinite(actual).all()):
        raise Diagnosis("not_finite", what=what)
    raise _mismatch(actual, expected, what)


def _mismatch(actual: torch.Tensor, expected: torch.Tensor, what: Phrase) -> Diagnosis:
    rtol, atol = tolerances(expected.dtype)
    a, e = actual.detach().double(), expected.detach().double()
    close = torch.isclose(a, e, rtol=rtol, atol=atol, equal_nan=True)
    difference = (a - e).abs().nan_to_num(nan=math.inf)
    flat = int(difference.argmax()) if difference.numel() else 0
    index = _position(flat, e.shape) if e.numel() else ()
    return Diagnosis("wrong_values", what=what, mismatched=int((~close).sum()),
                     total=e.numel(), max_abs=float(difference.reshape(-1)[flat]),
                     index=list(index), actual=float(a.reshape(-1)[flat]),
                     expected=float(e.reshape(-1)[flat]))


def _position(flat: int, shape: torch.Size) -> tuple[int, ...]:
    """The index of element `flat` of a tensor of `shape`, in row-major order. (Not
    torch.unravel_index, whose first call imports a third of a second of torch.fx.)"""
    index = []
    for size in reversed(shape):
        flat, i = divmod(flat, size)
        index.append(i)
    return tuple(reversed(index))


def tolerances(dtype: torch.dtype) -> tuple[float, float]:
    """(rtol, atol) as torch.testing.assert_close chooses them for `dtype`."""
    return {
        torch.float16: (1e-3, 1e-5),
        torch.bfloat16: (1.6e-2, 1e-5),
        torch.float32: (1.3e-6, 1e-5),
        torch.float64: (1e-7, 1e-7),
        torch.complex64: (1.3e-6, 1e-5),
        torch.complex128: (1e-7, 1e-7),
    }.get(dtype, (0.0, 0.0))


def expect_unchanged(outcome: Outcome, before: torch.Tensor, after: Any, *, argument: str) -> None:
    """The student's function must leave its input `argument` as it was."""
    if type(after) is not torch.Tensor:
        return
    if after.shape != before.shape or not torch.equal(after.nan_to_num(), before.nan_to_num()):
        raise Diagnosis("modified_input", function=outcome.function, argument=argument)


def expect_none(outcome: Outcome) -> None:
    if outcome.value is not None:
        raise Diagnosis("should_return_none", function=outcome.function,
                        actual=describe(outcome.value))


def _name(dtype: torch.dtype) -> str:
    return str(dtype)


def expect_inputs_unchanged(outcome: Outcome, inputs: dict[str, torch.Tensor], *,
                            first: int = 0) -> None:
    """The positional arguments from index `first` on, named by `inputs`, are unmodified."""
    after = outcome.result["args"][first:]
    for (name, before), value in zip(inputs.items(), after):
        expect_unchanged(outcome, before, value, argument=name)


def expect_close_within(actual: torch.Tensor, expected: torch.Tensor, *, what: Phrase,
                        rtol: float, atol: float) -> None:
    """Like expect_close, with tolerances the caller derives from its inputs.

    For ill-conditioned inputs (logits of +-1000 in float32 carry an absolute rounding
    error of about 1e-4 already), where the dtype's defaults would fail a correct method.
    """
    if actual.shape == expected.shape and bool(torch.isclose(
            actual.detach().to(expected.dtype), expected, rtol=rtol, atol=atol,
            equal_nan=True).all()):
        return
    expect_close(actual, expected, what=what)  # not_finite, or the mismatch in detail
