"""How much slower is `grade solutions/` than Python importing torch?

Both are measured in the same run, interleaved, and the medians compared:

    python bench/grade_speed.py [--runs 7]

Grading is dominated by starting Python and importing torch; everything else
(pytest, forking the workers, every call into the student's code) should be close to free.
The "(terminal)" case runs grade with a pseudo-terminal as its stdout, so that the report
is printed in colour, through rich, as a learner sees it.
"""

from __future__ import annotations

import argparse
import os
import select
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TERMINAL = " (terminal)"  # a command name ending so runs under a pseudo-terminal


def timed(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
    return time.perf_counter() - started


def timed_in_terminal(command: list[str]) -> float:
    """The time of `command` writing to a pseudo-terminal, which is read as a terminal
    would; fails unless the output came in colour."""
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    env.setdefault("TERM", "xterm-256color")
    main, terminal = os.openpty()
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdin=subprocess.DEVNULL,
                               stdout=terminal, stderr=terminal)
    os.close(terminal)
    received = bytearray()
    while True:
        if select.select([main], [], [], 0.5)[0]:
            try:
                chunk = os.read(main, 65536)
            except OSError:  # EIO: the command has closed the terminal
                break
            if not chunk:
                break
            received += chunk
        elif process.poll() is not None:
            break
    code = process.wait()
    elapsed = time.perf_counter() - started
    os.close(main)
    if code != 0 or b"\x1b[" not in received:
        raise RuntimeError(f"{command} in a terminal: exit {code}, no colour:\n"
                           f"{received.decode(errors='replace')}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    commands = {
        "python -c 'import torch'": [sys.executable, "-c", "import torch"],
        "grade solutions/": [sys.executable, "-m", "autograder.cli", "solutions"],
        "grade solutions/ --device cpu": [sys.executable, "-m", "autograder.cli", "solutions",
                                          "--device", "cpu"],
        f"grade solutions/ --device cpu{TERMINAL}": [sys.executable, "-m", "autograder.cli",
                                                     "solutions", "--device", "cpu"],
        # What the sandbox (namespaces, private root, unprivileged workers) costs.
        "... --device cpu --sandbox off": [sys.executable, "-m", "autograder.cli", "solutions",
                                           "--device", "cpu", "--sandbox", "off"],
    }

    def run(name: str) -> float:
        return (timed_in_terminal if name.endswith(TERMINAL) else timed)(commands[name])

    for name in commands:  # warm the file cache
        run(name)
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(args.runs):
        for name in commands:
            times[name].append(run(name))
    baseline = statistics.median(times["python -c 'import torch'"])
    for name, samples in times.items():
        median = statistics.median(samples)
        print(f"{name:<43} median {median:6.3f} s   ratio {median / baseline:5.2f}")


if __name__ == "__main__":
    main()
