"""Where the engine finds the exercises: one registry, over the built-in pack and any other.

An exercise module M is one unit, written the same way in this package and in an
instructor's pack (see README, "Writing an exercise"). A pack is a folder holding

    assignments/M.py          the students' stub (and test_M.py, their public self-checks)
    solutions/M.py            the reference
    exercises/M/test_M.py     the hidden suite
    exercises/M/unit.py       its messages (English and Chinese), the errors it recognises,
                              its classic mistakes, its notebook's formulas
    exercises/M/worker.py     (optional) procedures the worker runs around the student's code
    exercises/M/pictures.py   (optional) what the feedback page draws
    exercises/course.py       (optional) ASSIGNMENTS: {name: [module, ...]}

The built-in pack is this project's own `assignments/`, `solutions/` and `exercises/`
(installed as autograder.assignments, autograder.reference and autograder.exercises).
Other packs come from `--exercises PACK` (see `use`) and from the entry-point group
ENTRY_POINTS. A pack that is broken costs only its own modules: each problem is one line
(`problems()`), and every other module is graded.

Nothing here imports torch: `grade`'s start-up reads the registry.
"""

from __future__ import annotations

import ast
import functools
import importlib
import importlib.util
import os
import re
import sys
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from types import ModuleType
from typing import Any

ENTRY_POINTS = "d2l_autograder.packs"
# The packs given with --exercises, for the processes this one starts (a zygote started
# afresh, a class run's grading processes): os.pathsep between folders.
PACKS_VARIABLE = "D2L_AUTOGRADER_PACKS"
# The worker procedures of the engine (autograder.harness.PROCEDURES), named here without
# importing torch: a unit's own may not take one of these names.
ENGINE_PROCEDURES = ("call", "step", "grad", "watch", "build")
BUILTIN = "builtin"
_MODULE_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")


@dataclass(frozen=True)
class Mistake:
    """A classic mistake: the reference with `function` (a function or class) replaced by
    `code`, which must lose points with the diagnosis `key`."""

    name: str
    function: str
    key: str
    code: str

    def applied(self, reference: str) -> str:
        """The source `reference` with the top-level definition that `code` defines last
        replaced by `code` (helpers before it included)."""
        import textwrap

        code = textwrap.dedent(self.code).strip("\n") + "\n"
        name = ast.parse(code).body[-1].name  # type: ignore[attr-defined]
        lines = reference.splitlines(keepends=True)
        for node in ast.parse(reference).body:
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and node.name == name:
                start = (node.decorator_list[0].lineno if node.decorator_list
                         else node.lineno) - 1
                lines[start:node.end_lineno] = [code]
                return "".join(lines)
        raise ValueError(f"no top-level definition {name} to replace")


@dataclass
class Pack:
    """A folder of exercises: its stubs, its references and its units."""

    name: str  # "builtin", or the folder / entry point it came from
    stubs: Path
    references: Path
    units: Path
    builtin: bool = False

    @property
    def root(self) -> Path:
        return self.units.parent

    def label(self, path: Path) -> str:
        """`path` as a line about this pack names it: relative to the pack's folder."""
        try:
            return str(Path(self.name if not self.builtin else "") / path.relative_to(self.root))
        except ValueError:
            return str(path)


@dataclass
class Exercise:
    """One exercise module: where its files are, and what its unit declares."""

    name: str
    pack: Pack
    folder: Path

    @property
    def suite(self) -> Path:
        return self.folder / f"test_{self.name}.py"

    @property
    def stub(self) -> Path:
        return self.pack.stubs / f"{self.name}.py"

    @property
    def public_checks(self) -> Path:
        return self.pack.stubs / f"test_{self.name}.py"

    @property
    def reference_file(self) -> Path:
        return self.pack.references / f"{self.name}.py"

    @cached_property
    def unit(self) -> ModuleType:
        return _load(self.folder / "unit.py", f"{_namespace(self.pack)}.{self.name}.unit")

    @cached_property
    def worker(self) -> ModuleType | None:
        path = self.folder / "worker.py"
        return _load(path, f"{_namespace(self.pack)}.{self.name}.worker") \
            if path.is_file() else None

    @cached_property
    def pictures(self) -> ModuleType | None:
        path = self.folder / "pictures.py"
        return _load(path, f"{_namespace(self.pack)}.{self.name}.pictures") \
            if path.is_file() else None

    @cached_property
    def functions(self) -> list[str]:
        """The functions the suite grades, in its order, read from its `@grades` markers
        with ast (neither the suite nor torch is imported)."""
        names: list[str] = []
        for name, _ in self.tests:
            if name not in names:
                names.append(name)
        return names

    @cached_property
    def tests(self) -> list[tuple[str, ast.FunctionDef]]:
        """(function, test) for each graded test of the suite, in its order."""
        tree = ast.parse(self.suite.read_text(encoding="utf-8"))
        found = []
        for node in tree.body:
            if not isinstance(node, ast.FunctionDef):
                continue
            for decorator in node.decorator_list:
                if isinstance(decorator, ast.Call) \
                        and getattr(decorator.func, "id", "") == "grades" \
                        and decorator.args and isinstance(decorator.args[0], ast.Constant):
                    found.append((decorator.args[0].value, node))
        return found

    def declared(self, name: str, default: Any = None) -> Any:
        """What the unit declares under `name` (MESSAGES, MISTAKES, ...), or `default`."""
        return getattr(self.unit, name, default)

    @property
    def mistakes(self) -> list[Mistake]:
        return list(self.declared("MISTAKES", []))


# -- the state of this process: which packs, what was found ---------------------------------

_lock = threading.RLock()
# The packs this process was started with (PACKS_VARIABLE), and those in use: these and
# the folders given with --exercises, in order.
_inherited: list[str] = [os.path.abspath(p) for p in
                         os.environ.get(PACKS_VARIABLE, "").split(os.pathsep) if p]
_extra: list[str] = list(_inherited)
_found: dict[str, Exercise] | None = None
_problems: list[tuple[str, dict[str, Any]]] = []  # (catalogue key, its values)
_assignments: dict[str, list[str]] = {}
_unit_keys: set[str] = set()  # the catalogue keys the units added


def use(packs: Iterable[str | os.PathLike] = ()) -> list[str]:
    """Grade with the built-in exercises, the installed packs, those this process was
    started with (PACKS_VARIABLE) and the folders `packs` from now on, in this process
    and those it starts. Returns the problems found, one line each."""
    global _found
    with _lock:
        _extra[:] = _with_inherited(packs)
        if _extra:
            os.environ[PACKS_VARIABLE] = os.pathsep.join(_extra)
        else:
            os.environ.pop(PACKS_VARIABLE, None)
        _found = None
        book_code.cache_clear()  # a pack's module may now be another, or another version
        _find()
        return problems()


def use_packs(packs: Iterable[str | os.PathLike] = ()) -> None:
    """As `use`, only where `packs` are not the ones in use already."""
    if _with_inherited(packs) != _extra or _found is None:
        use(packs)


def _with_inherited(packs: Iterable[str | os.PathLike]) -> list[str]:
    """The packs this process was started with, then `packs`, each folder once."""
    return list(dict.fromkeys([*_inherited, *(os.path.abspath(os.fspath(p)) for p in packs)]))


def check_assignment(name: str | None) -> None:
    """BadOption where `name` is not an assignment of the course (None: no assignment)."""
    from autograder.options import BadOption

    course = assignments()
    if name is not None and name not in course:
        raise BadOption("cli.unknown_assignment", name=name, choices=", ".join(course))


def exercises() -> list[Exercise]:
    """Every exercise module that can be graded, in the course's order."""
    return list(_find().values())


def names() -> list[str]:
    return list(_find())


def exercise(name: str) -> Exercise:
    found = _find()
    if name not in found:
        raise KeyError(name)
    return found[name]


def problems(lang: str | None = None) -> list[str]:
    """What is wrong with the packs in use, one line each in `lang` (the modules it
    concerns are left out, and everything else is graded)."""
    from autograder.messages import default_language, render

    _find()
    return [render(key, lang or default_language(), **params) for key, params in _problems]


def assignments() -> dict[str, list[str]]:
    """The course: each assignment (a check-in of the group) and its exercise modules."""
    _find()
    return {name: list(modules) for name, modules in _assignments.items()}


def extra_packs() -> list[str]:
    """The folders given with --exercises, for a process that must use the same ones."""
    return list(_extra)


def pack_folders() -> list[str]:
    """The folders of every pack in use: hidden from the workers, as the built-in ones are."""
    _find()
    return sorted({os.fspath(p) for e in _found.values()  # type: ignore[union-attr]
                   for p in (e.pack.references, e.pack.units) if not e.pack.builtin})


def reference(name: str) -> ModuleType:
    """The reference solution of the exercise module `name` (grading side only)."""
    ex = exercise(name)
    if ex.pack.builtin:
        return importlib.import_module(f"autograder.reference.{name}")
    return _load(ex.reference_file, f"{_namespace(ex.pack)}.reference.{name}")


@functools.lru_cache(maxsize=256)
def book_code(name: str, functions: tuple[str, ...]) -> str:
    """The source of the reference's `functions` of module `name` (definitions whole,
    decorators included) after the reference's top-level imports: what a worker runs as
    the book's collaborators (harness.book_functions), and nothing more of the reference.
    Raises KeyError for a function the reference does not define."""
    text = Path(reference(name).__file__).read_text(encoding="utf-8")
    tree = ast.parse(text)
    lines = text.splitlines()
    imports = [n for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))]
    defined = {n.name: n for n in tree.body
               if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))}
    chosen = [defined[f] for f in functions]  # KeyError: not the reference's
    parts = []
    for node in [*imports, *sorted(chosen, key=lambda n: n.lineno)]:
        first = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", []))])
        parts.append("\n".join(lines[first - 1:node.end_lineno]))
    return "\n".join(parts) + "\n"


def known_errors() -> list[tuple[str | None, str, str]]:
    """(function, a fragment of an error's text, its key) of every unit (KNOWN_ERRORS)."""
    return [tuple(entry) for ex in exercises() for entry in ex.declared("KNOWN_ERRORS", [])]


def procedures() -> dict[str, Any]:
    """The worker-side procedures of every unit (PROCEDURES of its worker.py)."""
    found: dict[str, Any] = {}
    for ex in exercises():
        if ex.worker is not None:
            found.update(getattr(ex.worker, "PROCEDURES", {}))
    return found


def result_keys() -> dict[str, set[str]]:
    """What each unit procedure's answer always holds (RESULT_KEYS of its worker.py)."""
    found: dict[str, set[str]] = {}
    for ex in exercises():
        if ex.worker is not None:
            found.update(getattr(ex.worker, "RESULT_KEYS", {}))
    return found


# -- finding -----------------------------------------------------------------------------

_ROOT_NAMESPACE = "autograder_exercises"


def _find() -> dict[str, Exercise]:
    global _found
    with _lock:
        if _found is not None:
            return _found
        _problems.clear()
        _assignments.clear()
        found: dict[str, Exercise] = {}
        for pack in _packs():
            for ex in _units_of(pack):
                if ex.name in found:
                    other = found[ex.name].pack
                    _problems.append(_say("exercise.pack.clash", file=pack.label(ex.folder),
                                          module=ex.name, other=other.name))
                    continue
                problem = _broken(ex) or (None if pack.builtin
                                          else _procedure_clash(ex, found))
                if problem:
                    _problems.append(problem)
                    continue
                found[ex.name] = ex
            _read_course(pack, found)
        ordered = [m for modules in _assignments.values() for m in modules if m in found]
        ordered += [m for m in found if m not in ordered]
        _found = {m: found[m] for m in dict.fromkeys(ordered)}
        _merge_messages(_found.values())
        return _found


def _packs() -> list[Pack]:
    packs = [_builtin()]
    for name, folder in _entry_point_packs() + [(p, p) for p in _extra]:
        root = Path(folder)
        if not (root / "exercises").is_dir():
            _problems.append(_say("exercise.pack.not_a_pack", file=str(root)))
            continue
        packs.append(Pack(name=str(name), stubs=root / "assignments",
                          references=root / "solutions", units=root / "exercises"))
    return packs


def _builtin() -> Pack:
    def folder(package: str) -> Path:
        spec = importlib.util.find_spec(package)
        assert spec is not None and spec.submodule_search_locations
        return Path(list(spec.submodule_search_locations)[0])

    return Pack(name=BUILTIN, stubs=folder("autograder.assignments"),
                references=folder("autograder.reference"),
                units=folder("autograder.exercises"), builtin=True)


def _entry_point_packs() -> list[tuple[str, str]]:
    from importlib.metadata import entry_points

    packs = []
    for point in entry_points(group=ENTRY_POINTS):
        try:
            loaded = point.load()
            if callable(loaded):
                loaded = loaded()
            folder = os.path.dirname(loaded.__file__) if isinstance(loaded, ModuleType) \
                else os.fspath(loaded)
            packs.append((point.name, os.path.abspath(folder)))
        except Exception as error:
            _problems.append(_say("exercise.pack.entry_point", name=point.name,
                                  error=f"{type(error).__name__}: {error}"))
    return packs


def _units_of(pack: Pack) -> list[Exercise]:
    found = []
    for folder in sorted(pack.units.iterdir()) if pack.units.is_dir() else []:
        if folder.is_dir() and (folder / f"test_{folder.name}.py").is_file():
            if not _MODULE_NAME.match(folder.name):
                _problems.append(_say("exercise.pack.bad_name", file=pack.label(folder)))
                continue
            found.append(Exercise(folder.name, pack, folder))
    return found


def _broken(ex: Exercise) -> tuple[str, dict[str, Any]] | None:
    """One line saying why `ex` cannot be graded, or None."""
    pack = ex.pack
    for path in (ex.stub, ex.reference_file, ex.folder / "unit.py"):
        if not path.is_file():
            return _say("exercise.pack.missing", file=pack.label(path), module=ex.name)
    # The files of a pack are read here; the built-in ones, which the project's tests
    # check, only when they are used (grade's start-up reads no suite).
    if not pack.builtin:
        try:
            ex.tests  # noqa: B018 - parses the suite
        except (SyntaxError, ValueError, OSError) as error:
            return _say("exercise.pack.suite", file=pack.label(ex.suite),
                        error=f"{type(error).__name__}: {error}")
    try:
        ex.unit  # noqa: B018 - plain data: imported here (a worker.py imports torch later)
        if (ex.folder / "worker.py").is_file() and not pack.builtin:
            ast.parse((ex.folder / "worker.py").read_text(encoding="utf-8"))
    except Exception as error:
        return _say("exercise.pack.import", file=pack.label(ex.folder / "unit.py"),
                    error=f"{type(error).__name__}: {error}")
    messages = ex.declared("MESSAGES", {})
    if not isinstance(messages, dict):
        return _say("exercise.pack.import", file=pack.label(ex.folder / "unit.py"),
                    error="MESSAGES is not a dict")
    return None


def _procedure_names(ex: Exercise) -> set[str]:
    """The names of the procedures the unit's worker.py declares, read with ast."""
    path = ex.folder / "worker.py"
    if not path.is_file():
        return set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "PROCEDURES"
                                                for t in node.targets) \
                and isinstance(node.value, ast.Dict):
            return {k.value for k in node.value.keys if isinstance(k, ast.Constant)}
    return set()


def _procedure_clash(ex: Exercise, found: dict[str, Exercise]) -> tuple[str, dict] | None:
    """A line where the unit's worker procedure has the name of the engine's or of an
    earlier unit's: one would replace the other in the worker."""
    for name in sorted(_procedure_names(ex)):
        owner = "autograder" if name in ENGINE_PROCEDURES else next(
            (other.name for other in found.values() if name in _procedure_names(other)), None)
        if owner:
            return _say("exercise.pack.procedure_clash", name=name, other=owner,
                        file=ex.pack.label(ex.folder / "worker.py"))
    return None


def _read_course(pack: Pack, found: dict[str, Exercise]) -> None:
    path = pack.units / "course.py"
    if not path.is_file():
        return
    try:
        course = _load(path, f"{_namespace(pack)}.course")
        declared = dict(getattr(course, "ASSIGNMENTS", {}))
    except Exception as error:
        _problems.append(_say("exercise.pack.import", file=pack.label(path),
                              error=f"{type(error).__name__}: {error}"))
        return
    for name, modules in declared.items():
        listed = _assignments.setdefault(str(name), [])
        listed.extend(m for m in modules if m not in listed)


def _merge_messages(found: Iterable[Exercise]) -> None:
    """Each unit's MESSAGES into the catalogue; the English name of a test is its docstring."""
    from autograder.messages import CATALOGUE, ENGINE_KEYS

    for key in _unit_keys:  # those of the units found before, which may be gone now
        CATALOGUE.pop(key, None)
    _unit_keys.clear()
    for ex in found:
        for key, entry in ex.declared("MESSAGES", {}).items():
            if key in ENGINE_KEYS:
                _problems.append(_say("exercise.pack.message_clash",
                                      file=ex.pack.label(ex.folder / "unit.py"), key=key))
                continue
            merged = dict(entry) if isinstance(entry, dict) else {}
            if key.startswith(f"course.{ex.name}.") and key.endswith((".doc", ".intro")):
                # In English a notebook shows the stub's own docstring.
                merged.setdefault("en", f"(the docstring in assignments/{ex.name}.py)")
            CATALOGUE[key] = merged
            _unit_keys.add(key)
        if not ex.pack.builtin:  # the built-in units' are checked by the project's tests
            _missing_messages(ex, CATALOGUE)


def _missing_messages(ex: Exercise, catalogue: dict[str, dict[str, str]]) -> None:
    """A line for each message the suite needs that the unit lacks in a language: the
    English text (or the test's name) is shown in its place."""
    from autograder.messages import LANGUAGES, Phrase

    needed = [f"test.{ex.name}.{test.name}" for _, test in ex.tests]
    needed += sorted(raised_keys(ex.suite))
    for key in needed:
        entry = catalogue.get(key, {})
        for lang in LANGUAGES:
            if not entry.get(lang):
                _problems.append(_say("exercise.pack.no_message", key=key,
                                      file=ex.pack.label(ex.folder / "unit.py"),
                                      language=Phrase(f"exercise.language.{lang}")))


def raised_keys(path: Path) -> set[str]:
    """The catalogue keys a suite file raises as Diagnosis("key", ...), read with ast."""
    keys = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Diagnosis" \
                and node.args and isinstance(node.args[0], ast.Constant) \
                and isinstance(node.args[0].value, str):
            keys.add(node.args[0].value)
    return keys


def _load(path: Path, name: str) -> ModuleType:
    """The Python file `path`, imported once per process as the module `name`."""
    if name in sys.modules:
        return sys.modules[name]
    _parents(name)
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[name]
        raise
    return module


def _parents(name: str) -> None:
    """Empty packages for each parent of `name`, so that pickling and imports find it."""
    parts = name.split(".")
    for end in range(1, len(parts)):
        parent = ".".join(parts[:end])
        if parent not in sys.modules:
            package = ModuleType(parent)
            package.__path__ = []
            sys.modules[parent] = package


def _namespace(pack: Pack) -> str:
    if pack.builtin:
        return f"{_ROOT_NAMESPACE}.builtin"
    import zlib

    safe = re.sub(r"\W", "_", os.path.basename(pack.name.rstrip("/")) or "pack")
    digest = zlib.crc32(pack.name.encode())  # the same in every process
    return f"{_ROOT_NAMESPACE}.p{digest}_{safe}"


def _say(message: str, /, **params: Any) -> tuple[str, dict[str, Any]]:
    return message, params
