"""How long does the mutation analysis of each exercise module take?

    python bench/mutation_speed.py [--module M ...] [--sandbox auto|off]

Grades every mutant of each module's reference with its hidden suite, as
`autograder exercise check` does, through one ZygoteFactory made before anything is
graded, and prints one row per module: its mutants, those graded (all but the ones its
suite declares equivalent), killed, survived, equivalent, the seconds its analysis took
and the seconds per mutant graded.
"""

from __future__ import annotations

import argparse
import time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--module", action="append")
    parser.add_argument("--sandbox", default="auto")
    args = parser.parse_args()
    from autograder.pool import ZygoteFactory  # forked before anything is graded

    with ZygoteFactory() as factory:
        from autograder import mutation, registry

        print(f"{'module':<20}{'mutants':>8}{'graded':>8}{'killed':>8}{'survived':>9}{'equivalent':>11}"
              f"{'seconds':>9}{'s/mutant':>10}")
        started = time.perf_counter()
        for module in args.module or registry.names():
            report = mutation.analyse(module, zygotes=factory, sandbox=args.sandbox)
            graded = len(report.results)
            per_mutant = report.seconds / graded if graded else 0.0
            every = graded + len(report.equivalent)
            print(f"{module:<20}{every:>8}{graded:>8}{report.killed:>8}{len(report.survivors):>9}"
                  f"{len(report.equivalent):>11}{report.seconds:>9.1f}{per_mutant:>10.3f}")
        print(f"all modules: {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
