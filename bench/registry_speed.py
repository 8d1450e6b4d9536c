"""What more exercise modules cost: a generated pack of ten beside the built-in ones.

    python bench/registry_speed.py [--modules 10] [--runs 3]

A pack of --modules exercises is written with `autograder exercise new` (each a function
and two tests, as an instructor starts one). Timed in the same run, each the fastest of
--runs fresh processes:

- `python -c 'import torch'`, the cost every grading process pays once (the baseline);
- `grade` of the built-in references (the course's own modules);
- `grade` of the same folder with the pack given (`--exercises`), which holds none of the
  pack's modules: the registry reads the pack, the suites collected are the same;
- `grade` of a folder holding every module's reference, built-in and pack alike: the
  suites of all of them collected, started and run;
- `pytest --collect-only` of the hidden suites through the grader's plugin (the points
  of the course), for the built-in ones and for all, which is what collecting costs alone.

Nothing here asserts a time: the numbers are printed, as ratios to `import torch`.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def fastest(command: list[str], runs: int, env: dict[str, str]) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, env=env, timeout=600)
        best = min(best, time.perf_counter() - started)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--modules", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    from autograder.authoring import new_exercise

    scratch = Path(tempfile.mkdtemp(prefix="registry-bench-"))
    try:
        pack = scratch / "pack"
        names = [f"generated{i:02d}" for i in range(args.modules)]
        for name in names:
            new_exercise(name, pack)
        builtin = scratch / "builtin"
        shutil.copytree(ROOT / "solutions", builtin, ignore=shutil.ignore_patterns("__*"))
        everything = scratch / "everything"
        shutil.copytree(builtin, everything)
        for name in names:
            shutil.copy(pack / "solutions" / f"{name}.py", everything)
        env = {**os.environ, "XDG_CACHE_HOME": str(scratch / "cache")}
        grade = [sys.executable, "-m", "autograder.cli"]
        collect = [sys.executable, "-c", "from autograder.course import points_by_function; "
                   "points_by_function('all')"]
        # The pack's references are verified once, as on an instructor's machine.
        subprocess.run([*grade, str(everything), "--exercises", str(pack)], env=env,
                       capture_output=True, timeout=600)
        from autograder import registry

        builtin_count = len(registry.names())
        total = builtin_count + args.modules
        rows = [
            ("import torch", [sys.executable, "-c", "import torch"], env),
            (f"grade: the {builtin_count} built-in modules", [*grade, str(builtin)], env),
            (f"grade: the same, {args.modules} more registered",
             [*grade, str(builtin), "--exercises", str(pack)], env),
            (f"grade: all {total} modules",
             [*grade, str(everything), "--exercises", str(pack)], env),
            (f"collect: {builtin_count} suites", collect, env),
            (f"collect: {total} suites", collect,
             {**env, "D2L_AUTOGRADER_PACKS": str(pack)}),
        ]
        baseline = None
        print(f"{'what':<44}{'seconds':>9}{'x import torch':>16}")
        for label, command, environment in rows:
            seconds = fastest(command, args.runs, environment)
            baseline = baseline or seconds
            print(f"{label:<44}{seconds:>9.2f}{seconds / baseline:>16.2f}", flush=True)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
