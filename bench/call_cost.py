"""What does isolation cost per call? A call through a worker against the same call in-process.

    python bench/call_cost.py [--calls 500]

Both are timed in the same run on the same inputs: linreg on a (10, 3) batch, as the
hidden suite calls it (through a worker, and through a sandboxed one), and the start of
a fresh worker (a fork from the zygote plus importing the student's module) against
starting Python and importing torch, and the same start in the sandbox (see
autograder/sandbox/) beside it.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from pathlib import Path

import torch

from autograder import sandbox
from autograder.pool import WorkerPool
from autograder.reference import linear_regression as ref
from autograder.submission import find_submission

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=500)
    args = parser.parse_args()
    X, w, b = torch.randn(10, 3), torch.randn(3, 1), torch.randn(1)
    request = {"module": "linear_regression", "procedure": "call",
               "arguments": {"function": "linreg", "args": [X, w, b], "kwargs": {}}}

    started = time.perf_counter()
    for _ in range(args.calls):
        ref.linreg(X, w, b)
    direct = (time.perf_counter() - started) / args.calls

    with WorkerPool(str(ROOT / "solutions")) as pool:
        pool.request(request, timeout=30)  # the worker starts and imports the module
        started = time.perf_counter()
        for _ in range(args.calls):
            pool.request(request, timeout=30)
        isolated = (time.perf_counter() - started) / args.calls

        starts = _fresh_worker_starts(pool, request)

    # The same in the sandbox: the zygote enters its namespaces once per submission,
    # then every worker is still a fork, which drops its privileges.
    submission = find_submission(ROOT / "solutions")
    staging = submission.stage()
    try:
        started = time.perf_counter()
        with WorkerPool(staging, sandbox=sandbox.plan("auto", staging, submission.path)) as pool:
            pool.request(request, timeout=30)
            set_up = time.perf_counter() - started
            level = ", ".join(pool.isolation.reached) or "none"
            started = time.perf_counter()
            for _ in range(args.calls):
                pool.request(request, timeout=30)
            sandboxed_call = (time.perf_counter() - started) / args.calls
            sandboxed_starts = _fresh_worker_starts(pool, request)
    finally:
        shutil.rmtree(staging, ignore_errors=True)

    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import torch"], check=True)
    interpreter = time.perf_counter() - started

    fork = sorted(starts)[len(starts) // 2]
    print(f"in-process call            {direct * 1e3:8.3f} ms")
    print(f"call through a worker      {isolated * 1e3:8.3f} ms   "
          f"(+{(isolated - direct) * 1e3:.3f} ms, ratio {isolated / direct:.1f})")
    print(f"  the same, sandboxed        {sandboxed_call * 1e3:8.3f} ms")
    print(f"fresh worker + first call  {fork * 1e3:8.3f} ms")
    sandboxed = sorted(sandboxed_starts)[len(sandboxed_starts) // 2]
    print(f"  the same, sandboxed        {sandboxed * 1e3:8.3f} ms   ({level})")
    print(f"sandboxed zygote + first worker and call {set_up * 1e3:8.3f} ms (once per submission)")
    print(f"python -c 'import torch'   {interpreter * 1e3:8.3f} ms   "
          f"(ratio to a fresh worker {interpreter / fork:.0f})")


def _fresh_worker_starts(pool: WorkerPool, request: dict) -> list[float]:
    """Seconds for a fresh worker's start plus its first call (import and linreg), x10."""
    starts = []
    for _ in range(10):
        pool.restart("cpu")
        started = time.perf_counter()
        pool.request(request, timeout=30)
        starts.append(time.perf_counter() - started)
    return starts


if __name__ == "__main__":
    main()
