"""How long does `grade --watch` take to grade one module again after a save?

    python bench/watch_speed.py [--saves 8] [--module linear_regression] [--device all]

Watches a copy of the reference solutions, as `grade submission/ --watch` does, and
saves the module's file again and again, alternating a wrong sgd (the step not divided
by batch_size) and the right one. Each figure is the time from the save to the whole
table being reported, less the watch's polling interval (the wait before the save is
seen, which a shorter --poll shrinks). Also printed: the first grading of every module,
and `grade` of that one module from a fresh process (what each save cost before
--watch).
"""

from __future__ import annotations

import argparse
import queue
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WRONG_STEP = "param -= lr * param.grad\n"
RIGHT_STEP = "param -= lr * param.grad / batch_size\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saves", type=int, default=8)
    parser.add_argument("--module", default="linear_regression")
    parser.add_argument("--device", default="all")
    parser.add_argument("--poll", type=float, default=0.05)
    args = parser.parse_args()
    from autograder.watch import watch

    folder = Path(tempfile.mkdtemp(prefix="watch-speed-"))
    submission = folder / "submission"
    shutil.copytree(ROOT / "solutions", submission)
    module = submission / f"{args.module}.py"
    reports: queue.Queue = queue.Queue()
    stop = threading.Event()
    thread = threading.Thread(target=watch, args=(submission,), daemon=True, kwargs=dict(
        report=lambda report: reports.put((time.perf_counter(), report)), stop=stop,
        poll=args.poll, device=args.device, lang="en"))
    started = time.perf_counter()
    thread.start()
    first_at, first = reports.get(timeout=600)
    regrades = []
    try:
        for save in range(args.saves):
            text = module.read_text()
            wrong = save % 2 == 0
            text = text.replace(RIGHT_STEP, WRONG_STEP) if wrong \
                else text.replace(WRONG_STEP, RIGHT_STEP)
            saved_at = time.perf_counter()
            module.write_text(text)
            reported_at, report = reports.get(timeout=120)
            failed = any(t.status == "failed" for t in report.tests)
            assert failed == wrong or args.module != "linear_regression", "a wrong verdict"
            regrades.append(reported_at - saved_at)
    finally:
        stop.set()
        thread.join(timeout=60)
    started_fresh = time.perf_counter()
    subprocess.run([sys.executable, "-m", "autograder.cli", str(submission), "--only",
                    args.module, "--device", args.device], check=True, capture_output=True)
    fresh = time.perf_counter() - started_fresh
    shutil.rmtree(folder, ignore_errors=True)

    print(f"first grading, every module ({len(first.tests)} tests) "
          f"{first_at - started:8.3f} s")
    print(f"one module again after a save, median of {len(regrades)} "
          f"{statistics.median(regrades):8.3f} s   (min {min(regrades):.3f}, "
          f"max {max(regrades):.3f}; polling every {args.poll:g} s included)")
    print(f"grade --only {args.module} from a fresh process {fresh:8.3f} s")


if __name__ == "__main__":
    main()
