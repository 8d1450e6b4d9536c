"""Mutation analysis of the hidden suites: does a suite catch a wrong function?

A mutant is the reference module (solutions/<module>.py) with one small change inside
one graded function (a function a test of the module's suite grades, or a method of a
graded class): an operator swapped, a constant changed, a statement removed, a `dim=`
moved, ... (OPERATORS). Each is graded like a submission, through one ZygoteFactory, so
torch is imported once for them all. A mutant is killed when a test fails (a wrong
value, a time-out, a crash); it survives when the suite gives it full marks.

Each mutant is first graded with the tests of the function it changed alone
(only="module.function"), which is quick. A change in one function may only show in
another function's tests (a function the suite calls through another one), so a mutant
that survives them is graded again with every test of its module before it is counted
as a survivor: a survivor is one the whole module's suite lets through.

A mutant may be equivalent: it changes the code but not what the function does. Its
module's hidden suite file declares it, at module level:

    EQUIVALENT_MUTANTS = {"<mutant id>": "why no test can tell it apart", ...}

A mutant's id is made of the function, the operator and the code it changed, not of
its line, so that an edit elsewhere in the module keeps it. A declared id that no
mutant has any more is reported as stale.

`check(modules)` is `autograder exercise check`: for each module, the reference gets
full marks, the stub gets 0 with every function not implemented yet, and no mutant
survives.
"""

from __future__ import annotations

import ast
import copy
import hashlib
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from autograder import registry
from autograder.messages import default_language, render
from autograder.options import BadOption

__all__ = ["OPERATORS", "CheckReport", "Mutant", "MutantResult", "MutationReport",
           "analyse", "check", "declared_equivalents", "equivalents_in", "graded_functions",
           "mutants", "mutants_of_source"]

OPERATORS = ("arithmetic", "comparison", "negation", "constant", "divisor", "statement",
             "dim", "keepdim", "slice", "random", "reduction", "swap_values", "swap_args")


@dataclass(frozen=True)
class Mutant:
    """One change to one graded function of a module."""

    id: str  # "<function>:<operator>:<8 hex digits>", stable across edits elsewhere
    module: str
    function: str  # where the change is: "sgd", "LinearNet.forward", "f._inner"
    graded: str  # the graded function (or class) whose tests are run first
    operator: str
    line: int
    before: str  # the changed line(s) as written, comments left out
    after: str  # the same line(s) mutated
    source: str  # the whole mutated module

    @property
    def diff(self) -> str:
        return self.render_diff("en")

    def render_diff(self, lang: str) -> str:
        """`line 12: param -= lr * param.grad / batch_size  →  param -= lr * param.grad`"""
        return render("exercise.diff", lang, line=self.line, before=self.before,
                      after=self.after)


# -- which functions are graded --------------------------------------------------------


def suite_file(module: str) -> Path:
    return registry.exercise(module).suite


def graded_functions(module: str) -> list[str]:
    """The functions (and classes) the module's suite grades, in the suite's order: the
    first argument of each @grades(...) of its file, read without importing it."""
    tree = ast.parse(suite_file(module).read_text(encoding="utf-8"))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for decorator in node.decorator_list:
                name = _graded_name(decorator)
                if name and name not in names:
                    names.append(name)
    return names


def _graded_name(decorator: ast.expr) -> str | None:
    if not (isinstance(decorator, ast.Call) and isinstance(decorator.func, ast.Name)
            and decorator.func.id == "grades" and decorator.args):
        return None
    first = decorator.args[0]
    return first.value if isinstance(first, ast.Constant) and isinstance(first.value,
                                                                         str) else None


def equivalents_in(suite_source: str) -> dict[str, str]:
    """The EQUIVALENT_MUTANTS a suite's source declares at module level (id -> reason)."""
    for node in ast.parse(suite_source).body:
        targets = node.targets if isinstance(node, ast.Assign) else \
            [node.target] if isinstance(node, ast.AnnAssign) and node.value else []
        if any(isinstance(t, ast.Name) and t.id == "EQUIVALENT_MUTANTS" for t in targets):
            try:
                declared = ast.literal_eval(node.value)
            except ValueError:
                declared = None
            if not isinstance(declared, dict) or not all(
                    isinstance(k, str) and isinstance(v, str) for k, v in declared.items()):
                raise BadOption("exercise.bad_equivalents")
            return dict(declared)
    return {}


def declared_equivalents(module: str) -> dict[str, str]:
    """The equivalent mutants the module's hidden suite declares."""
    return equivalents_in(suite_file(module).read_text(encoding="utf-8"))


def reference_source(module: str) -> str:
    return registry.exercise(module).reference_file.read_text(encoding="utf-8")


# -- deriving the mutants --------------------------------------------------------------


def mutants(module: str, *, functions: Sequence[str] | None = None) -> list[Mutant]:
    """Every mutant of the reference module, in the order of its source. `functions`
    keeps those of these graded functions (or classes) only."""
    graded = graded_functions(module)
    unknown = [f for f in functions or () if f not in graded]
    if unknown:
        raise BadOption("exercise.unknown_function", name=", ".join(unknown), modules=module)
    return mutants_of_source(reference_source(module), functions or graded, module=module)


def mutants_of_source(source: str, graded: Sequence[str], *, module: str = "") -> list[Mutant]:
    """The mutants of `source` inside the top-level functions and classes named `graded`."""
    tree = ast.parse(source)
    lines = source.splitlines(keepends=True)
    comments = _comment_columns(source)
    found: list[Mutant] = []
    seen_sources = {source}
    counts: dict[str, int] = {}
    for top in tree.body:
        if getattr(top, "name", None) not in graded:
            continue
        for function, node, parent in _nodes_of(top):
            for operator, replacement in _mutations(node, parent):
                text = _splice(lines, node, replacement, parent)
                if text is None or text in seen_sources or not _compiles(text):
                    continue
                seen_sources.add(text)
                before, after = _changed_lines(source, text, node, comments)
                key = f"{function}\0{operator}\0{' '.join(before.split())}\0{after}"
                counts[key] = counts.get(key, 0) + 1
                digest = hashlib.sha256(f"{key}\0{counts[key]}".encode()).hexdigest()[:8]
                found.append(Mutant(id=f"{function}:{operator}:{digest}", module=module,
                                    function=function, graded=top.name, operator=operator,
                                    line=node.lineno, before=before, after=after, source=text))
    return found


def _nodes_of(top: ast.stmt) -> Iterator[tuple[str, ast.AST, ast.AST]]:
    """(qualified function, node, its parent) for each node of the bodies of `top`'s
    functions: never a decorator, a signature, an annotation or a docstring."""
    def walk(node: ast.AST, qualname: str) -> Iterator[tuple[str, ast.AST, ast.AST]]:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            inner = f"{qualname}.{node.name}" if qualname else node.name
            for statement in _without_docstring(node.body):
                yield inner, statement, node
                yield from walk(statement, inner)
            return
        for name, value in ast.iter_fields(node):
            if name in ("annotation", "returns", "decorator_list"):
                continue
            children = value if isinstance(value, list) else [value]
            for child in children:
                if isinstance(child, ast.AST):
                    if not isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef,
                                              ast.ClassDef)):
                        yield qualname, child, node
                    yield from walk(child, qualname)

    yield from walk(top, "")


def _without_docstring(body: list[ast.stmt]) -> list[ast.stmt]:
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
            and isinstance(body[0].value.value, str):
        return body[1:]
    return body


# -- the operators ---------------------------------------------------------------------

_ARITHMETIC = {ast.Add: [ast.Sub], ast.Sub: [ast.Add], ast.Mult: [ast.Div],
               ast.Div: [ast.Mult], ast.FloorDiv: [ast.Div], ast.Pow: [ast.Mult],
               ast.MatMult: [ast.Mult]}
_COMPARISON = {ast.Lt: [ast.LtE], ast.LtE: [ast.Lt], ast.Gt: [ast.GtE], ast.GtE: [ast.Gt],
               ast.Eq: [ast.NotEq], ast.NotEq: [ast.Eq], ast.Is: [ast.IsNot],
               ast.IsNot: [ast.Is], ast.In: [ast.NotIn], ast.NotIn: [ast.In]}
_DIMS = {0: [1, -1], 1: [0], -1: [0]}
_RANDOM = {"rand": "randn", "randn": "rand"}
_REDUCTION = {"sum": "mean", "mean": "sum"}

Mutation = tuple[str, "ast.AST | str"]  # (operator, the node or text that replaces it)


def _mutations(node: ast.AST, parent: ast.AST) -> Iterator[Mutation]:
    for operator in _NODE_OPERATORS:
        yield from operator(node, parent)


def _arithmetic(node: ast.AST, parent: ast.AST) -> Iterator[Mutation]:
    if isinstance(node, ast.BinOp):
        for op in _ARITHMETIC.get(type(node.op), []):
            yield "arithmetic", ast.BinOp(node.left, op(), node.right)
        if isinstance(node.op, ast.Div):  # a / b -> a: the divisor dropped
            yield "divisor", node.left
    if isinstance(node, ast.AugAssign):
        for op in _ARITHMETIC.get(type(node.op), []):
            yield "arithmetic", ast.AugAssign(node.target, op(), node.value)
        if isinstance(node.op, ast.Div):
            yield "divisor", "pass"


def _comparison(node: ast.AST, parent: ast.AST) -> Iterator[Mutation]:
    if isinstance(node, ast.Compare):
        for i, op in enumerate(node.ops):
            for other in _COMPARISON.get(type(op), []):
                ops = [*node.ops[:i], other(), *node.ops[i + 1:]]
                yield "comparison", ast.Compare(node.left, ops, node.comparators)


def _negation(node: ast.AST, parent: ast.AST) -> Iterator[Mutation]:
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.Not)) \
            and not _is_number(node.operand):  # -1 is a constant: mutated as one
        yield "negation", node.operand


def _constant(node: ast.AST, parent: ast.AST) -> Iterator[Mutation]:
    # A negative literal (-1) is one constant, and a dim= is the dim operator's.
    if isinstance(parent, ast.UnaryOp) and _literal(parent) is not None or \
            isinstance(parent, ast.keyword) and parent.arg in ("dim", "keepdim"):
        return
    value = _literal(node)
    if value is None:
        return
    for new in {0: [1], 1: [0, 2], 2: [1]}.get(value, [value + 1]):
        yield "constant", ast.Constant(type(value)(new))


def _literal(node: ast.AST) -> int | float | None:
    """The value of a number written in the source (-1 included), else None."""
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        inner = _literal(node.operand)
        return None if inner is None else -inner
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        return node.value
    return None


def _is_number(node: ast.AST) -> bool:
    return _literal(node) is not None


def _statement(node: ast.AST, parent: ast.AST) -> Iterator[Mutation]:
    removable = isinstance(node, (ast.Expr, ast.AugAssign)) or (
        isinstance(node, ast.Assign) and any(isinstance(t, ast.Subscript)
                                             for t in node.targets))
    if removable:
        yield "statement", "pass"


def _dim(node: ast.AST, parent: ast.AST) -> Iterator[Mutation]:
    if not isinstance(node, ast.keyword):
        return
    value = _number(node.value)
    if node.arg == "dim" and value in _DIMS:
        for new in _DIMS[value]:
            yield "dim", ast.keyword("dim", ast.Constant(new))
    if node.arg == "keepdim" and isinstance(node.value, ast.Constant) and \
            isinstance(node.value.value, bool):
        yield "keepdim", ast.keyword("keepdim", ast.Constant(not node.value.value))


def _number(node: ast.AST) -> int | None:
    value = _literal(node)
    return value if type(value) is int else None


def _slice(node: ast.AST, parent: ast.AST) -> Iterator[Mutation]:
    if not isinstance(node, ast.Slice):
        return
    for bound in ("lower", "upper"):
        value = getattr(node, bound)
        if value is None:
            continue
        for op in (ast.Add, ast.Sub):
            moved = ast.Constant(_number(value) + (1 if op is ast.Add else -1)) \
                if _number(value) is not None else ast.BinOp(value, op(), ast.Constant(1))
            yield "slice", ast.Slice(**{**_fields(node), bound: moved})


def _fields(node: ast.AST) -> dict[str, Any]:
    return {name: getattr(node, name) for name in node._fields}


def _random(node: ast.AST, parent: ast.AST) -> Iterator[Mutation]:
    if isinstance(node, ast.Attribute) and node.attr in _RANDOM and \
            isinstance(node.value, ast.Name) and node.value.id == "torch":
        yield "random", ast.Attribute(node.value, _RANDOM[node.attr], node.ctx)


def _reduction(node: ast.AST, parent: ast.AST) -> Iterator[Mutation]:
    # x.sum(...) <-> x.mean(...) and torch.sum(x) <-> torch.mean(x): a called attribute.
    if isinstance(node, ast.Attribute) and node.attr in _REDUCTION and \
            isinstance(parent, ast.Call) and parent.func is node:
        yield "reduction", ast.Attribute(node.value, _REDUCTION[node.attr], node.ctx)


def _swap_values(node: ast.AST, parent: ast.AST) -> Iterator[Mutation]:
    values = node.value if isinstance(node, (ast.Return, ast.Yield)) else None
    if isinstance(values, ast.Tuple) and len(values.elts) >= 2:
        first, second, *rest = values.elts
        if ast.dump(first) != ast.dump(second):
            swapped = ast.Tuple([second, first, *rest], values.ctx)
            if isinstance(node, ast.Return):
                yield "swap_values", ast.Return(swapped)
            else:  # a bare yield: unparsed alone, it would come in parentheses
                yield "swap_values", f"yield {ast.unparse(swapped)}"


def _swap_args(node: ast.AST, parent: ast.AST) -> Iterator[Mutation]:
    if not isinstance(node, ast.Call) or any(isinstance(a, ast.Starred) for a in node.args):
        return
    for i in range(len(node.args) - 1):
        first, second = node.args[i], node.args[i + 1]
        if ast.dump(first) != ast.dump(second):
            args = [*node.args[:i], second, first, *node.args[i + 2:]]
            yield "swap_args", ast.Call(node.func, args, node.keywords)


_NODE_OPERATORS: tuple[Callable[[ast.AST, ast.AST], Iterator[Mutation]], ...] = (
    _arithmetic, _comparison, _negation, _constant, _statement, _dim, _slice, _random,
    _reduction, _swap_values, _swap_args)


# -- writing a mutant's source ---------------------------------------------------------

# How tightly each expression binds (Python's own order): a replacement that binds less
# tightly than what it replaces needs parentheses to keep its meaning.
_BINARY = {ast.BitOr: 8, ast.BitXor: 9, ast.BitAnd: 10, ast.LShift: 11, ast.RShift: 11,
           ast.Add: 12, ast.Sub: 12, ast.Mult: 13, ast.Div: 13, ast.FloorDiv: 13,
           ast.Mod: 13, ast.MatMult: 13, ast.Pow: 15}
_LOOSE = {ast.NamedExpr: 1, ast.Lambda: 2, ast.IfExp: 3, ast.Compare: 7, ast.Await: 16}


def _precedence(node: ast.AST) -> int:
    if isinstance(node, ast.BinOp):
        return _BINARY[type(node.op)]
    if isinstance(node, ast.UnaryOp):
        return 6 if isinstance(node.op, ast.Not) else 14
    if isinstance(node, ast.BoolOp):
        return 5 if isinstance(node.op, ast.And) else 4
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) \
            and node.value < 0:
        return 14  # written as -n
    return _LOOSE.get(type(node), 17)  # an atom (unparse brackets a tuple or a yield)


def _splice(lines: list[str], node: ast.AST, replacement: ast.AST | str,
            parent: ast.AST) -> str | None:
    """The source with `node`'s text replaced by `replacement` (a node or text)."""
    if getattr(node, "end_lineno", None) is None:
        return None
    start = _offset(lines, node.lineno, node.col_offset)
    end = _offset(lines, node.end_lineno, node.end_col_offset)
    whole = "".join(lines)
    if isinstance(replacement, str):
        text = replacement
    else:
        text = ast.unparse(ast.fix_missing_locations(copy.deepcopy(replacement)))
        enclosed = whole[start - 1:start] == "(" and whole[end:end + 1] == ")"
        if not enclosed and _precedence(replacement) < _precedence(node):
            text = f"({text})"
    if "\n" in text:
        indent = re.match(r"\s*", lines[node.lineno - 1]).group()
        text = text.replace("\n", "\n" + indent)
    return whole[:start] + text + whole[end:]


def _offset(lines: list[str], lineno: int, col_offset: int) -> int:
    """The character offset of an AST position (its column counts UTF-8 bytes)."""
    before = sum(len(line) for line in lines[:lineno - 1])
    return before + len(lines[lineno - 1].encode()[:col_offset].decode())


def _compiles(source: str) -> bool:
    try:
        compile(source, "<mutant>", "exec")
    except (SyntaxError, ValueError):
        return False
    return True


def _comment_columns(source: str) -> dict[int, int]:
    """line -> the column where its comment starts."""
    import io
    import tokenize

    columns: dict[int, int] = {}
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT:
            columns[token.start[0]] = token.start[1]
    return columns


def _changed_lines(source: str, mutated: str, node: ast.AST,
                   comments: dict[int, int]) -> tuple[str, str]:
    """The lines that the change touched, before and after, on one line each."""
    old_lines, new_lines = source.splitlines(), mutated.splitlines()
    first, last = node.lineno, node.end_lineno
    before = old_lines[first - 1:last]
    after = new_lines[first - 1:last - len(old_lines) + len(new_lines)]
    if last in comments:  # the comment of the last line is not part of the change
        before[-1] = before[-1][:comments[last]]
        cut = len(old_lines[last - 1]) - comments[last]
        after[-1] = after[-1][:len(after[-1]) - cut] if after else ""
    return _one_line(before), _one_line(after)


def _one_line(lines: list[str]) -> str:
    return " ".join(" ".join(lines).split())


# -- grading the mutants ---------------------------------------------------------------


@dataclass
class MutantResult:
    mutant: Mutant
    killed: bool
    by: str = ""  # the name of the first test that failed
    diagnosis: str = ""  # its catalogue key
    scope: str = ""  # "function" or "module": which tests killed it


@dataclass
class MutationReport:
    module: str
    results: list[MutantResult]  # the mutants graded (not the equivalent ones)
    equivalent: list[tuple[Mutant, str]]  # declared equivalent, with the reason
    stale: dict[str, str]  # declared ids that no mutant has any more -> reason
    seconds: float = 0.0

    @property
    def survivors(self) -> list[Mutant]:
        return [r.mutant for r in self.results if not r.killed]

    @property
    def killed(self) -> int:
        return sum(r.killed for r in self.results)

    @property
    def score(self) -> float:
        """killed / (mutants - equivalent): 1.0 where nothing is graded."""
        return self.killed / len(self.results) if self.results else 1.0


def analyse(module: str, *, functions: Sequence[str] | None = None, lang: str = "en",
            zygotes: Any = None, sandbox: str = "auto",
            timeout: float | None = None,
            progress: Callable[[MutantResult], None] | None = None) -> MutationReport:
    """Grade every mutant of `module` (of `functions` only, where given) with its hidden
    suite. `zygotes`: a ZygoteFactory to fork from (one is made when none is given, which
    needs a process that has graded nothing yet). `progress` is called with each result."""
    started = time.perf_counter()
    declared = declared_equivalents(module)
    every = mutants(module, functions=functions)
    ids = {m.id for m in mutants(module)} if functions else {m.id for m in every}
    graded = [m for m in every if m.id not in declared]
    equivalent = [(m, declared[m.id]) for m in every if m.id in declared]
    stale = {i: reason for i, reason in declared.items() if i not in ids}
    with _factory(zygotes) as factory:
        results = []
        for mutant in graded:
            results.append(_grade_mutant(mutant, factory, lang=lang, sandbox=sandbox,
                                         timeout=timeout))
            if progress:
                progress(results[-1])
    return MutationReport(module, results, equivalent, stale,
                          seconds=time.perf_counter() - started)


class _factory:
    """The ZygoteFactory given, or one of our own for the time of the `with`."""

    def __init__(self, given: Any):
        self.given, self.own = given, None

    def __enter__(self) -> Any:
        if self.given is not None:
            return self.given
        from autograder.pool import ZygoteFactory

        self.own = ZygoteFactory()
        return self.own

    def __exit__(self, *exc: object) -> None:
        if self.own is not None:
            self.own.close()


def _grade_mutant(mutant: Mutant, factory: Any, *, lang: str, sandbox: str,
                  timeout: float | None) -> MutantResult:
    """Killed by the tests of its function, or else by those of its whole module."""
    folder = Path(tempfile.mkdtemp(prefix="mutant-"))
    try:
        (folder / f"{mutant.module}.py").write_text(mutant.source, encoding="utf-8")
        for scope, only in (("function", f"{mutant.module}.{mutant.graded}"),
                            ("module", mutant.module)):
            failed = _first_failure(folder, only, factory, lang=lang, sandbox=sandbox,
                                    timeout=timeout)
            if failed is not None:
                return MutantResult(mutant, True, by=failed.name,
                                    diagnosis=failed.diagnosis, scope=scope)
        return MutantResult(mutant, False)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _first_failure(folder: Path, only: str, factory: Any, **options: Any) -> Any:
    from autograder import api

    timeout = options.pop("timeout") or api.DEFAULT_TIMEOUT
    report = api.grade(folder, only=only, device="all", zygotes=factory, timeout=timeout,
                       **options)
    failed = [t for t in report.tests if t.status == "failed"]
    if failed or report.score < report.max_score or not report.max_score:
        return failed[0] if failed else report.tests[0]
    return None


# -- autograder exercise check ---------------------------------------------------------


@dataclass
class GradeCheck:
    """The reference's or the stub's grade, and what is wrong with it ("" when right)."""

    score: float
    max_score: float
    problems: list[str] = field(default_factory=list)  # functions graded wrongly

    @property
    def passed(self) -> bool:
        return not self.problems


@dataclass
class ModuleCheck:
    module: str
    reference: GradeCheck
    stub: GradeCheck
    mutation: MutationReport
    # What else is wrong, one line each: a declared mistake not diagnosed as declared, a
    # message missing or with English in its Chinese, a notebook that does not build.
    unit_problems: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return self.reference.passed and self.stub.passed and not self.mutation.survivors \
            and not self.unit_problems


@dataclass
class CheckReport:
    modules: list[ModuleCheck]
    lang: str = "en"
    seconds: float = 0.0

    @property
    def passed(self) -> bool:
        return all(m.passed for m in self.modules)

    def render_text(self) -> str:
        return "".join(_render_module(m, self.lang) for m in self.modules) + render(
            "exercise.passed" if self.passed else "exercise.failed", self.lang) + "\n"

    def to_json(self) -> dict[str, Any]:
        return {"passed": self.passed, "seconds": round(self.seconds, 3),
                "modules": [_module_json(m) for m in self.modules]}


def check(modules: Sequence[str] | None = None, *, lang: str | None = None,
          functions: Sequence[str] | None = None, sandbox: str = "auto",
          progress: Callable[[MutantResult], None] | None = None) -> CheckReport:
    """`autograder exercise check`: each module's reference, stub and mutants (of
    `functions` only, where given). BadOption for a module or a function that is not
    there. Must run in a process that has graded nothing yet
    (its ZygoteFactory is forked first)."""
    from autograder.pool import ZygoteFactory

    started = time.perf_counter()
    lang = lang or default_language()
    chosen = _known_modules(modules, functions)
    checks = []
    with ZygoteFactory() as factory:
        for module in chosen:
            wanted = [f for f in functions or () if f in graded_functions(module)] or None
            if functions and wanted is None:
                continue
            options = {"zygotes": factory, "lang": lang, "sandbox": sandbox}
            reference = _reference_check(module, **options)
            checks.append(ModuleCheck(
                module, reference, _stub_check(module, **options),
                analyse(module, functions=wanted, progress=progress, **options),
                [*_mistake_problems(module, **options), *_message_problems(module, lang),
                 *_notebook_problems(module, reference, lang)]))
    return CheckReport(checks, lang=lang, seconds=time.perf_counter() - started)


def _known_modules(modules: Sequence[str] | None,
                   functions: Sequence[str] | None) -> list[str]:
    """The modules to check; BadOption for a module, or a function, that none has."""
    known = registry.names()
    chosen = list(modules or known)
    unknown = [m for m in chosen if m not in known]
    if unknown:
        raise BadOption("exercise.unknown_module", name=", ".join(unknown),
                        modules=", ".join(known))
    graded = {f for m in chosen for f in graded_functions(m)}
    missing = [f for f in functions or () if f not in graded]
    if missing:
        raise BadOption("exercise.unknown_function", name=", ".join(missing),
                        modules=", ".join(chosen))
    return chosen


def _reference_check(module: str, **options: Any) -> GradeCheck:
    from autograder import api

    report = api.grade(registry.exercise(module).reference_file.parent, only=module, device="all",
                       **options)
    wrong = sorted({t.function for t in report.tests if t.status == "failed"})
    if not report.max_score or report.score < report.max_score:
        wrong = wrong or [module]
    return GradeCheck(report.score, report.max_score, wrong)


def _stub_check(module: str, **options: Any) -> GradeCheck:
    """The stub scores 0, and every test of every function says it is not implemented."""
    from autograder import api

    report = api.grade(registry.exercise(module).stub.parent, only=module,
                       device="all", **options)
    wrong = {t.function for t in report.tests
             if t.status == "passed" or t.status == "failed" and t.diagnosis != "not_implemented"}
    wrong |= set(graded_functions(module)) - {t.function for t in report.tests}
    return GradeCheck(report.score, report.max_score, sorted(wrong))


def _mistake_problems(module: str, *, lang: str, **options: Any) -> list[str]:
    """A line for each declared classic mistake that is not diagnosed as declared."""
    import shutil

    from autograder import api

    exercise = registry.exercise(module)
    reference = exercise.reference_file.read_text(encoding="utf-8")
    problems = []
    for mistake in exercise.mistakes:
        folder = Path(tempfile.mkdtemp(prefix="mistake-"))
        try:
            (folder / f"{module}.py").write_text(mistake.applied(reference), encoding="utf-8")
            report = api.grade(folder, only=module, device="all", lang=lang, **options)
        except (ValueError, SyntaxError, BadOption) as error:
            problems.append(render("exercise.mistake.broken", lang, name=mistake.name,
                                   error=f"{type(error).__name__}: {error}"))
            continue
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        got = sorted({t.diagnosis for t in report.tests
                      if t.status == "failed" and t.function == mistake.function})
        if mistake.key not in got or report.score >= report.max_score:
            problems.append(render("exercise.mistake.missed", lang, name=mistake.name,
                                   key=mistake.key, got=", ".join(got) or "-"))
    return problems


def _message_problems(module: str, lang: str) -> list[str]:
    """The registry's lines about the unit's messages, and each Chinese message of the
    unit that holds English words (autograder.wording)."""
    from autograder import wording

    exercise = registry.exercise(module)
    unit = exercise.pack.label(exercise.folder / "unit.py")
    problems = [line for line in registry.problems(lang) if unit in line]
    messages = {key: entry for key, entry in exercise.declared("MESSAGES", {}).items()
                if isinstance(entry, dict) and entry.get("zh")}
    for key, words in wording.english_in(messages, wording.stub_names()).items():
        problems.append(render("exercise.message.english", lang, file=unit, key=key,
                               words=", ".join(words)))
    return problems


def _notebook_problems(module: str, reference: GradeCheck, lang: str) -> list[str]:
    """The module's nbgrader notebook builds in both languages, and its test cells give
    the reference its full marks."""
    from autograder import course

    problems = []
    for language in course.LANGUAGES:
        try:
            notebook = course.build_notebook(module, lang=language)
        except Exception as error:
            problems.append(render("exercise.notebook.broken", lang, lang_code=language,
                                   error=f"{type(error).__name__}: {error}"))
            continue
        points = sum(cell["metadata"].get("nbgrader", {}).get("points", 0)
                     for cell in notebook["cells"])
        if abs(points - reference.max_score) > 1e-6:
            problems.append(render("exercise.notebook.points", lang, points=points,
                                   max_score=reference.max_score))
    return problems


def _render_module(check: ModuleCheck, lang: str) -> str:
    mutation = check.mutation
    lines = [render("exercise.module", lang, module=check.module)]
    for name, graded in (("reference", check.reference), ("stub", check.stub)):
        key = f"exercise.{name}.{'ok' if graded.passed else 'wrong'}"
        lines.append(render(key, lang, score=graded.score, max_score=graded.max_score,
                            functions=", ".join(graded.problems)))
    for result in mutation.results:
        if result.killed:
            lines.append(render("exercise.mutant.killed", lang, id=result.mutant.id,
                                by=result.by))
        else:
            lines.append(render("exercise.mutant.survived", lang, id=result.mutant.id,
                                diff=result.mutant.render_diff(lang)))
    for mutant, reason in mutation.equivalent:
        lines.append(render("exercise.mutant.equivalent", lang, id=mutant.id, reason=reason))
    for mutant_id, reason in mutation.stale.items():
        lines.append(render("exercise.mutant.stale", lang, id=mutant_id, reason=reason))
    lines.extend(f"  x {problem}" for problem in check.unit_problems)
    lines.append(render("exercise.mutation.score", lang, killed=mutation.killed,
                        graded=len(mutation.results), equivalent=len(mutation.equivalent),
                        survived=len(mutation.survivors),
                        percent=100 * mutation.score, seconds=mutation.seconds))
    return "\n".join(lines) + "\n\n"


def _module_json(check: ModuleCheck) -> dict[str, Any]:
    mutation = check.mutation
    return {
        "module": check.module, "passed": check.passed,
        "reference": _grade_json(check.reference), "stub": _grade_json(check.stub),
        "unit_problems": check.unit_problems,
        "mutants": len(mutation.results) + len(mutation.equivalent),
        "killed": mutation.killed, "survived": len(mutation.survivors),
        "equivalent": len(mutation.equivalent), "score": round(mutation.score, 4),
        "seconds": round(mutation.seconds, 3),
        "results": [{**_mutant_json(r.mutant), "killed": r.killed, "by": r.by,
                     "diagnosis": r.diagnosis, "scope": r.scope} for r in mutation.results],
        "equivalents": [{**_mutant_json(m), "reason": reason}
                        for m, reason in mutation.equivalent],
        "stale": mutation.stale,
    }


def _grade_json(graded: GradeCheck) -> dict[str, Any]:
    return {"passed": graded.passed, "score": graded.score, "max_score": graded.max_score,
            "problems": graded.problems}


def _mutant_json(mutant: Mutant) -> dict[str, Any]:
    return {"id": mutant.id, "function": mutant.function, "operator": mutant.operator,
            "line": mutant.line, "diff": mutant.diff}
