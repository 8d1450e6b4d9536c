"""How much slower is `grade solutions/` than Python importing torch?

Both are measured in the same run, interleaved, and the medians compared:

    python bench/grade_speed.py [--runs 7]

Grading is dominated by starting Python and importing torch; everything else
(pytest, forking the workers, every call into the student's code) should be close to free.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    commands = {
        "python -c 'import torch'": [sys.executable, "-c", "import torch"],
        "grade solutions/": [sys.executable, "-m", "autograder.cli", "solutions"],
        "grade solutions/ --device cpu": [sys.executable, "-m", "autograder.cli", "solutions",
                                          "--device", "cpu"],
        # What the sandbox (namespaces, private root, unprivileged workers) costs.
        "... --device cpu --sandbox off": [sys.executable, "-m", "autograder.cli", "solutions",
                                           "--device", "cpu", "--sandbox", "off"],
    }
    for command in commands.values():  # warm the file cache
        timed(command)
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(args.runs):
        for name, command in commands.items():
            times[name].append(timed(command))
    baseline = statistics.median(times["python -c 'import torch'"])
    for name, samples in times.items():
        median = statistics.median(samples)
        print(f"{name:<32} median {median:6.3f} s   ratio {median / baseline:5.2f}")


if __name__ == "__main__":
    main()
