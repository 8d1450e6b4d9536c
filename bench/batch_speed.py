"""How fast does `autograder batch` grade a class, against nbgrader's autograde?

    python bench/batch_speed.py [--students 50] [--nbgrader-students 5]
                                [--sizes 10,50,200] [-j N] [--device all] [--seed 0]
                                [--repeat 1] [--check] [--keep DIR] [--assignment NAME]
                                [--breakdown]

A class is generated, deterministically from --seed: SUBMISSIONS/<student>/<module>.py,
where each exercise module of a student is the reference solution, the untouched
stub, or the solution with one classic mistake in one function (its unit's MISTAKES; every
one is a mistake the grader diagnoses, and --check grades each once to prove it).
Student 0 hands in every solution and student 1 every stub, so that any subset holds
both. Each file starts with its student's name in a comment, as no two real files are
byte for byte the same: nothing may be shared between students by identical bytes.

Measured in the same run:
- `autograder batch` on the class (a fresh OUT, the default number of jobs), then a
  second run on the same OUT, which resumes every student by content hash;
- for the first --nbgrader-students students: a course from `autograder nbgrader init`,
  `nbgrader generate_assignment` of the five assignments, each student's notebooks made
  from the release with the student's code in the solution cells, timed
  `nbgrader autograde <assignment> --force`, and `autograder batch` on the same
  submitted/ tree, so that the comparison is notebook to notebook;
- how the time grows with the class (--sizes; each class is a prefix of the same
  students; "" leaves it out);
- `python -c 'import torch'`, the cost every grading process pays once, as a baseline.

--breakdown shows where the time goes: the class's first 20 students are graded again one
student at a time (-j 1, so that the wall time is one core's work), as they are, then
without the pictures (as on a machine without matplotlib), then also without the
placement checks (--device cpu), then also without the sandbox (--sandbox off), in three
rounds; each part is the difference between the medians of two of these runs, and what
is left is the grading itself.

Every time is wall time; on a machine that others share it stretches with their load
(printed first), so --repeat runs the class several times and keeps the fastest.

--assignment NAME makes a class of that assignment's modules only, graded with
`autograder batch --assignment NAME`, as a course grades a week's check-in; by default
every module of the course is handed in and graded. Each run prints the cost per student
and per module graded.

Targets on a 2-core machine: at most 0.25 s per student amortised over 50 students when
the course had five modules, that is 0.05 s per module graded; at least 50x nbgrader per
student-assignment; linear growth. Nothing here asserts a time: the numbers are printed,
to be compared across runs on the same machine.
"""

from __future__ import annotations

import argparse
import ast
import copy
import csv
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from autograder import registry

MODULES = registry.names()  # the class's exercise modules, in the report's order
ASSIGNMENT: str | None = None  # --assignment: graded with batch's --assignment

# Seconds per module graded, amortised over 50 students: 0.25 s per student of the five
# modules the course had when the target was set.
TARGET_PER_MODULE = 0.05
TARGET_RATIO = 50.0  # times nbgrader's speed, per student-assignment
# The share of a class's modules handed in as the stub, and as a single mistake; the
# rest are the reference solution.
STUB_SHARE, MISTAKE_SHARE = 0.15, 0.40


# Each exercise's classic mistakes, from its unit (exercises/<module>/unit.py): every one
# is a mistake the grader diagnoses with the key it declares.
MISTAKES = [(exercise.name, mistake) for exercise in registry.exercises()
            for mistake in exercise.mistakes]


# -- the class ---------------------------------------------------------------------------


def _package_text(package: str, module: str) -> str:
    """A module of the installed exercises: package "reference" (the solutions) or
    "assignments" (the stubs)."""
    import importlib.util

    spec = importlib.util.find_spec(f"autograder.{package}.{module}")
    if spec is None or spec.origin is None:
        raise SystemExit(f"autograder.{package}.{module} is not installed: "
                         "pip install -c constraints.txt -e \".[test]\"")
    return Path(spec.origin).read_text(encoding="utf-8")


@dataclass
class Student:
    name: str
    # module -> "solution", "stub" or a Mistake's name
    kinds: dict[str, str] = field(default_factory=dict)


def plan_class(size: int, seed: int) -> list[Student]:
    """`size` students: the first hands in every solution, the second every stub, and
    each module of the others is drawn (seeded): the stub, one mistake, or the solution."""
    draw = random.Random(seed)
    by_module = {m: [x.name for module, x in MISTAKES if module == m] for m in MODULES}
    students = []
    for number in range(size):
        student = Student(f"student{number:03d}")
        for module in MODULES:
            if number < 2:
                kind = ("solution", "stub")[number]
            else:
                roll = draw.random()
                kind = ("stub" if roll < STUB_SHARE else
                        draw.choice(by_module[module])
                        if roll < STUB_SHARE + MISTAKE_SHARE and by_module[module]
                        else "solution")
            student.kinds[module] = kind
        students.append(student)
    return students


def module_text(module: str, kind: str) -> str:
    """The source of one module of the kind `kind` (see Student.kinds)."""
    if kind == "stub":
        return _package_text("assignments", module)
    text = _package_text("reference", module)
    if kind == "solution":
        return text
    mistake = next(x for m, x in MISTAKES if m == module and x.name == kind)
    return mistake.applied(text)


def write_class(folder: Path, students: list[Student]) -> Path:
    """SUBMISSIONS/<student>/<module>.py for every student; returns SUBMISSIONS."""
    for student in students:
        for module, kind in student.kinds.items():
            path = folder / student.name / f"{module}.py"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(f"# {student.name}\n{module_text(module, kind)}", encoding="utf-8")
    return folder


def describe(students: list[Student]) -> str:
    kinds = [k for s in students for k in s.kinds.values()]
    stubs, solutions = kinds.count("stub"), kinds.count("solution")
    plural = "" if len(students) == 1 else "s"
    return (f"{len(students)} student{plural}, {len(kinds)} modules: {solutions} solutions, "
            f"{stubs} stubs, {len(kinds) - stubs - solutions} with one mistake")


# -- notebooks, as students hand them in to nbgrader ----------------------------------------


def _solution_cells(notebook: dict) -> list[dict]:
    return [c for c in notebook["cells"] if c["cell_type"] == "code"
            and c.get("metadata", {}).get("nbgrader", {}).get("solution")]


def _source(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def student_notebook(release: dict, text: str, student: str) -> dict:
    """The released notebook with the student's module `text` in its solution cells.

    Each solution cell (its grade_id is the name of the definition it holds) gets the
    student's definition of that name; whatever else the module holds at the top level
    (helpers, imports the release's locked imports cell lacks) goes at the top of the
    first solution cell, as a student writes helpers where they first need them.
    """
    notebook = copy.deepcopy(release)
    cells = _solution_cells(notebook)
    wanted = {c["metadata"]["nbgrader"]["grade_id"] for c in cells}
    imported = {ast.dump(node) for c in notebook["cells"] if c["cell_type"] == "code"
                for node in ast.parse(_source(c)).body
                if isinstance(node, (ast.Import, ast.ImportFrom))}
    lines = text.splitlines(keepends=True)
    tree = ast.parse(text)
    definitions, extras = {}, []
    for index, node in enumerate(tree.body):
        start = (node.decorator_list[0].lineno if getattr(node, "decorator_list", None)
                 else node.lineno) - 1
        segment = "".join(lines[start:node.end_lineno])
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and node.name in wanted:
            definitions[node.name] = segment
        elif (index == 0 and isinstance(node, ast.Expr)
              and isinstance(node.value, ast.Constant)):
            continue  # the module's docstring
        elif isinstance(node, ast.ImportFrom) and node.module == "__future__":
            continue
        elif ast.dump(node) not in imported:
            extras.append(segment)
    for number, cell in enumerate(cells):
        grade_id = cell["metadata"]["nbgrader"]["grade_id"]
        head = [f"# {student}\n", *extras, "\n"] if number == 0 else []
        cell["source"] = "".join(head) + definitions.get(grade_id, _source(cell))
    return notebook


# -- running the commands ----------------------------------------------------------------


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    # nbgrader's new gradebook.db runs `alembic` by PATH lookup: this environment's bin
    # first; and the `autograder` command of this environment.
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")
    return env


def run_logged(command: list[str], log: Path, *, cwd: Path | None = None) -> float:
    """Run `command` with its output in `log`; its wall time in seconds. Raises with the
    log's tail when it fails.

    Only the wall time is measured: the children's CPU time from getrusage misses part
    of the sandboxed processes' (against a cgroup's cpuacct, it counted 27 of 43 CPU
    seconds of a class of 50), so it would make the batch look cheaper than it is.
    """
    started = time.perf_counter()
    with open(log, "w", encoding="utf-8") as stream:
        done = subprocess.run(command, cwd=cwd, env=_environment(), stdin=subprocess.DEVNULL,
                              stdout=stream, stderr=subprocess.STDOUT)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        tail = log.read_text(encoding="utf-8", errors="replace")[-4000:]
        raise RuntimeError(f"{' '.join(command)} exited with {done.returncode}:\n{tail}")
    return elapsed


def each(seconds: float, count: int) -> str:
    """`seconds` in all and per item."""
    return f"{seconds:7.2f} s   {seconds / count:.3f} s each"


# `autograder batch` as on a machine without matplotlib: no pictures are drawn, nor their
# data collected.
_WITHOUT_PICTURES = ("import importlib.util as u, runpy; find = u.find_spec; "
                     "u.find_spec = lambda name, *a: None if name == 'matplotlib' "
                     "else find(name, *a); "
                     "runpy.run_module('autograder.instructor', run_name='__main__')")


def batch_command(submissions: Path, out: Path, args: argparse.Namespace, *,
                  pictures: bool = True) -> list[str]:
    """The `autograder batch` command line (python -m, so that it is this environment's)."""
    start = ["-m", "autograder.instructor"] if pictures else ["-c", _WITHOUT_PICTURES]
    command = [sys.executable, *start, "batch", str(submissions),
               "--out", str(out), "--device", args.device, "--sandbox", args.sandbox,
               "--lang", "en", *(["--assignment", ASSIGNMENT] if ASSIGNMENT else [])]
    return command + (["-j", str(args.jobs)] if args.jobs else [])


def time_batch(submissions: Path, out: Path, args: argparse.Namespace, *,
               fresh: bool = True, pictures: bool = True) -> float:
    """The time `autograder batch` takes on `submissions` into `out`: a fresh OUT (any
    earlier one removed) grades everyone; `fresh=False` keeps OUT, so the run resumes.
    The command's output goes to OUT.log (OUT.resumed.log)."""
    if fresh:
        shutil.rmtree(out, ignore_errors=True)
    log = out.with_name(out.name + (".log" if fresh else ".resumed.log"))
    return run_logged(batch_command(submissions, out, args, pictures=pictures), log)


def graded_rows(out: Path) -> tuple[int, int]:
    """(students graded, rows) of OUT/grades.csv; rows whose status is not `graded`
    are grading errors, which would make a run look faster than it is."""
    path = out / "grades.csv"
    if not path.is_file():
        return 0, 0
    with open(path, newline="", encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    return sum(1 for r in rows if r.get("status", "graded") == "graded"), len(rows)


def records(out: Path, students: list[Student]) -> dict[str, dict]:
    """{student: their OUT/<student>/record.json}, for those who have one."""
    found = {}
    for student in students:
        path = out / student.name / "record.json"
        if path.is_file():
            found[student.name] = json.loads(path.read_text(encoding="utf-8"))
    return found


def student_seconds(out: Path, students: list[Student]) -> dict[str, float]:
    """{student: seconds their grading took}: the wall time in its grading process, from
    the job's start to its record (two grade side by side, a core each); each process's
    first student also pays its imports and first figures."""
    return {name: float(record.get("seconds") or 0.0)
            for name, record in records(out, students).items()}


def record_spans(out: Path, students: list[Student]) -> list[tuple[float, float]]:
    """(start, end) of each student's grading, as time.time() gives them: record.json is
    written last, and holds how long the grading took."""
    spans = []
    for name, record in records(out, students).items():
        end = (out / name / "record.json").stat().st_mtime
        spans.append((end - float(record.get("seconds") or 0.0), end))
    return spans


def timeline(spans: list[tuple[float, float]], began: float, ended: float,
             jobs: int) -> str:
    """Where a run's wall time went: how long after its start the first student began
    (torch imported once, the grading processes started), how much of the time from then
    to the last record the grading processes spent grading (the rest: between two
    students, and one process waiting for the other's last), and what came after the
    last record (the class's reports)."""
    first, last = min(start for start, _ in spans), max(end for _, end in spans)
    busy = sum(end - start for start, end in spans) / (jobs * (last - first))
    return (f"the first student began {first - began:.2f} s in; the {jobs} grading "
            f"processes were grading {busy:.0%} of the time from then to the last "
            f"record; the reports after it took {ended - last:.2f} s")


def module_fractions(out: Path, students: list[Student]) -> dict[tuple[str, str], float]:
    """{(student, module): earned / worth} from OUT/<student>/record.json."""
    fractions = {}
    for name, record in records(out, students).items():
        for module, (earned, worth) in record.get("modules", {}).items():
            if worth:
                fractions[(name, module)] = earned / worth
    return fractions


def torch_import_seconds(runs: int = 3) -> float:
    """Median wall time of `python -c 'import torch'`."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import torch"], check=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


# -- nbgrader ----------------------------------------------------------------------------


@dataclass
class NbgraderResult:
    autograde: float  # seconds of all `nbgrader autograde` runs together
    batch: float  # seconds of `autograder batch` on the same submitted/ tree
    notebooks: int
    fractions: dict[tuple[str, str], float]  # (student, assignment) -> score / max_score
    batch_fractions: dict[tuple[str, str], float]


def nbgrader_course(root: Path, students: list[Student], args: argparse.Namespace) -> Path:
    """A course with every assignment released and each student's notebooks submitted."""
    from autograder.course import build_course

    course = root / "course"
    build_course(course, course_id="d2l-bench", device=args.device, sandbox=args.sandbox)
    for module in MODULES:
        run_logged([sys.executable, "-m", "nbgrader", "generate_assignment", module, "--force"],
                   root / f"generate_{module}.log", cwd=course)
    for module in MODULES:
        release_path = course / "release" / module / f"{module}.ipynb"
        release = json.loads(release_path.read_text(encoding="utf-8"))
        for student in students:
            text = module_text(module, student.kinds[module])
            notebook = student_notebook(release, text, student.name)
            path = course / "submitted" / student.name / module / f"{module}.ipynb"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(notebook, indent=1), encoding="utf-8")
    return course


def time_nbgrader(root: Path, students: list[Student], args: argparse.Namespace
                  ) -> NbgraderResult:
    course = nbgrader_course(root, students, args)
    autograde = 0.0
    for module in MODULES:
        autograde += run_logged([sys.executable, "-m", "nbgrader", "autograde", module,
                                 "--force"], root / f"autograde_{module}.log", cwd=course)
        print(f"  nbgrader autograde {module}: {autograde:.1f} s so far", flush=True)
    fractions = _gradebook_fractions(course, students)
    out = root / "out-notebooks"
    batch = time_batch(course / "submitted", out, args)
    return NbgraderResult(autograde, batch, len(students) * len(MODULES), fractions,
                          module_fractions(out, students))


def _gradebook_fractions(course: Path, students: list[Student]
                         ) -> dict[tuple[str, str], float]:
    from nbgrader.api import Gradebook

    fractions = {}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "d2l-bench") as book:
        for student in students:
            for module in MODULES:
                submission = book.find_submission(module, student.name)
                if submission.max_score:
                    fractions[(student.name, module)] = submission.score / submission.max_score
    return fractions


def agreement(a: dict, b: dict) -> str:
    """How many (student, module) fractions two runs share and agree on."""
    shared = sorted(set(a) & set(b))
    if not shared:
        return "n/a (no scores to compare)"
    same = sum(1 for key in shared if abs(a[key] - b[key]) < 1e-6)
    differ = [f"{s}/{m}: {a[(s, m)]:.3f} vs {b[(s, m)]:.3f}" for s, m in shared
              if abs(a[(s, m)] - b[(s, m)]) >= 1e-6]
    return f"{same} of {len(shared)} agree" + (f" (differ: {'; '.join(differ[:5])})"
                                               if differ else "")


# -- checking the generated mistakes -----------------------------------------------------


def check_mistakes(root: Path) -> bool:
    """Grade each mistake once (the solutions with that one function replaced) and the
    two whole kinds; print whether each is diagnosed as expected."""
    from autograder.api import grade

    ok = True
    for kind, expect in (("solution", "full"), ("stub", "zero")):
        folder = write_class(root / f"check-{kind}", [Student(kind, dict.fromkeys(MODULES,
                                                                                   kind))])
        report = grade(folder / kind, device="cpu", lang="en")
        good = (report.score == report.max_score > 0) if expect == "full" else \
            (report.score == 0 < report.max_score)
        ok &= good
        print(f"  {'ok' if good else 'WRONG':5} {kind}: {report.score:g} / "
              f"{report.max_score:g}", flush=True)
    for module, mistake in MISTAKES:
        kinds = {m: "solution" for m in MODULES} | {module: mistake.name}
        folder = write_class(root / f"check-{mistake.name}", [Student("s", kinds)])
        report = grade(folder / "s", only=f"{module}.{mistake.function}",
                       device="cpu", lang="en")
        failed = "\n".join(t.message for t in report.tests if t.status == "failed")
        good = mistake.key in {t.diagnosis for t in report.tests if t.status == "failed"} \
            and report.score < report.max_score
        ok &= good
        print(f"  {'ok' if good else 'WRONG':5} {mistake.name}: {module}."
              f"{mistake.function} {report.score:g} / {report.max_score:g}"
              + ("" if good else f"\n{failed or '(nothing failed)'}"), flush=True)
    return ok


# -- the run -----------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=50, help="the class size (default 50)")
    parser.add_argument("--nbgrader-students", type=int, default=5,
                        help="students graded by nbgrader too (default 5; 0 leaves it out)")
    parser.add_argument("--sizes", default="10,50,200",
                        help="class sizes for the growth table (default 10,50,200; \"\" "
                        "leaves it out)")
    parser.add_argument("-j", "--jobs", type=int, help="batch's -j (default: its own)")
    parser.add_argument("--device", default="all", help="as `grade --device` (default all)")
    parser.add_argument("--sandbox", default="auto", choices=["auto", "strict", "off"])
    parser.add_argument("--seed", type=int, default=0, help="of the class (default 0)")
    parser.add_argument("--repeat", type=int, default=1,
                        help="fresh runs of the class; the fastest counts (default 1)")
    parser.add_argument("--check", action="store_true",
                        help="first grade each kind of submission once with `grade`")
    parser.add_argument("--keep", metavar="DIR",
                        help="work in DIR and keep the classes, outputs and logs")
    parser.add_argument("--breakdown", action="store_true",
                        help="also grade 20 of the class one student at a time without "
                        "the pictures, the placement checks and the sandbox in turn")
    parser.add_argument("--assignment", choices=sorted(registry.assignments()),
                        help="a class of this assignment's modules only (default: every "
                        "module of the course)")
    args = parser.parse_args()
    global MODULES, ASSIGNMENT
    if args.assignment:
        ASSIGNMENT, MODULES = args.assignment, registry.assignments()[args.assignment]
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]

    root = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="batch-speed-"))
    root.mkdir(parents=True, exist_ok=True)
    try:
        run(root, args, sizes)
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)


def run(root: Path, args: argparse.Namespace, sizes: list[int]) -> None:
    students = plan_class(max([args.students, *sizes]), args.seed)
    baseline = torch_import_seconds()
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"machine: {os.cpu_count()} cores, load average {load}; python "
          f"{sys.version.split()[0]}; jobs: {args.jobs or 'batch default'}; "
          f"device {args.device}; sandbox {args.sandbox}")
    print(f"python -c 'import torch': {baseline:.2f} s (median of 3)\n", flush=True)
    if args.check:
        print("each kind of submission, graded once with `grade`:", flush=True)
        if not check_mistakes(root):
            raise SystemExit("a generated submission is not graded as expected")
        print()
    cls = students[:args.students]
    fresh, out = time_class(root, cls, args)
    ratio = None
    if args.nbgrader_students > 0:
        ratio = compare_nbgrader(root, students[:args.nbgrader_students],
                                 fresh / len(cls), out, args)
    if args.breakdown:
        breakdown(root, cls[:BREAKDOWN_STUDENTS], args)
    times = {len(cls): fresh}
    if sizes:
        growth(root, students, sizes, times, args)
    print("targets (2 cores):")
    print(f"  at most {TARGET_PER_MODULE} s per module graded (0.25 s per student of "
          f"five modules) over 50: {fresh / (len(cls) * len(MODULES)):.4f} s over "
          f"{len(cls)}")
    print(f"  at least {TARGET_RATIO:.0f}x nbgrader per student-assignment: "
          + (f"{ratio:.0f}x" if ratio is not None else "not measured"))
    print("  linear growth: a steady cost per added student, above" if sizes else
          "  linear growth: not measured (--sizes \"\")")


def time_class(root: Path, cls: list[Student], args: argparse.Namespace
               ) -> tuple[float, Path]:
    """Grade the class fresh (--repeat times), then again (resumed); print both.
    Returns the fastest fresh run's time and OUT."""
    submissions = write_class(root / f"class-{len(cls)}", cls)
    out = root / f"out-{len(cls)}"
    print(f"class: {describe(cls)}", flush=True)
    runs = []
    for _ in range(max(1, args.repeat)):
        began = time.time()
        runs.append(time_batch(submissions, out, args))
    fresh = min(runs)
    graded, rows = graded_rows(out)
    print(f"autograder batch, fresh:   {each(fresh, len(cls))}   ({graded} of {rows} "
          "students graded)", flush=True)
    print(f"  per module graded: {fresh / (len(cls) * len(MODULES)):.4f} s", flush=True)
    times = student_seconds(out, cls)
    if times:
        slowest = sorted(times, key=times.get, reverse=True)[:2]
        print(f"  a student's grading (record.json, the last run): median "
              f"{statistics.median(times.values()):.2f} s; the slowest "
              f"{', '.join(f'{name} {times[name]:.2f} s' for name in slowest)}", flush=True)
        jobs = min(args.jobs or os.cpu_count() or 1, len(cls))
        print(f"  where the last run's time went: "
              f"{timeline(record_spans(out, cls), began, began + runs[-1], jobs)}", flush=True)
    if len(runs) > 1:
        print(f"  the fastest of {len(runs)}: "
              f"{', '.join(f'{t:.2f}' for t in runs)} s", flush=True)
    resumed = time_batch(submissions, out, args, fresh=False)
    print(f"autograder batch, resumed: {each(resumed, len(cls))}   (nothing changed)\n",
          flush=True)
    return fresh, out


BREAKDOWN_STUDENTS = 20  # the first of the class, graded 4 x 3 times by --breakdown
# --breakdown: the class graded again, each run without one more part than the one before;
# (what the run leaves out, its options, whether it draws pictures).
_RUNS = [("nothing", {}, True),
         ("the pictures (their data in the workers, the drawing)", {}, False),
         ("placement on the simulated GPU", {"device": "cpu"}, False),
         ("the sandbox", {"device": "cpu", "sandbox": "off"}, False)]


def breakdown(root: Path, cls: list[Student], args: argparse.Namespace) -> None:
    """Grade the class one student at a time, leaving out one part after another, and
    print each part's cost per student: the difference between the median run with it
    and the median run without (see --breakdown). The runs go round by round, each
    round every variant once, so that a machine that slows down meanwhile slows all."""
    submissions = write_class(root / f"class-{len(cls)}-breakdown", cls)
    out = root / f"out-{len(cls)}-breakdown"
    rounds = max(3, args.repeat)
    print(f"where the time goes, one student at a time (-j 1, {len(cls)} students, the "
          f"median of {rounds} rounds), seconds per student:", flush=True)
    runs: list[list[float]] = [[] for _ in _RUNS]
    for _ in range(rounds):
        for times, (_, changes, pictures) in zip(runs, _RUNS):
            variant = argparse.Namespace(**{**vars(args), "jobs": 1, **changes})
            times.append(time_batch(submissions, out, variant, pictures=pictures) / len(cls))
    seconds = [statistics.median(times) for times in runs]
    print(f"  {'the whole class run':56} {seconds[0]:.3f}")
    for (part, _, _), before, after in zip(_RUNS[1:], seconds, seconds[1:]):
        print(f"  {part:56} {before - after:.3f}")
    print(f"  {'the rest: the tests on the CPU, their workers, start-up':56} {seconds[-1]:.3f}"
          f"  ({seconds[-1] / len(MODULES):.4f} per module)\n", flush=True)


def compare_nbgrader(root: Path, subset: list[Student], per_student: float, out: Path,
                     args: argparse.Namespace) -> float | None:
    """Time nbgrader on `subset` and print it against the batch, whose class run took
    `per_student` into `out`. Returns the ratio per student-assignment (nbgrader / the
    class's batch); None without nbgrader."""
    import importlib.util

    if importlib.util.find_spec("nbgrader") is None:
        print("nbgrader is not installed (pip install -c constraints.txt -e \".[test]\"): "
              "left out\n")
        return None
    print(f"nbgrader, {describe(subset)}:", flush=True)
    result = time_nbgrader(root / "nbgrader", subset, args)
    nbgrader_each = result.autograde / result.notebooks
    batch_each = per_student / len(MODULES)
    notebook_each = result.batch / result.notebooks
    print("seconds per student-assignment (notebook):")
    print(f"  nbgrader autograde:          {each(result.autograde, result.notebooks)}")
    print(f"  autograder batch, notebooks: {each(result.batch, result.notebooks)}   "
          f"nbgrader / batch: {nbgrader_each / notebook_each:.0f}x (the same submitted/ tree)")
    print(f"  autograder batch, the class: {'':7}   {batch_each:.3f} s each   "
          f"nbgrader / batch: {nbgrader_each / batch_each:.0f}x "
          f"({args.students} students, per student / {len(MODULES)})")
    print("scores, nbgrader vs batch on the notebooks: "
          f"{agreement(result.fractions, result.batch_fractions)}")
    print("scores, nbgrader vs batch on the .py class: "
          f"{agreement(result.fractions, module_fractions(out, subset))}"
          "\n", flush=True)
    return nbgrader_each / batch_each


def growth(root: Path, students: list[Student], sizes: list[int],
           times: dict[int, float], args: argparse.Namespace) -> None:
    """Grade a class of each size (the first students; `times` holds those already
    timed) and print the cost per student and per added student."""
    print("growth (each class the first N of the same students, a fresh OUT):", flush=True)
    previous = None
    for size in sorted(sizes):
        if size not in times:
            times[size] = time_batch(write_class(root / f"class-{size}", students[:size]),
                                     root / f"out-{size}", args)
        added = "" if previous is None else (
            f"   {(times[size] - times[previous]) / (size - previous):.3f} s "
            "per added student")
        print(f"  N={size:<5} {each(times[size], size)}{added}", flush=True)
        previous = size
    print()


if __name__ == "__main__":
    main()
