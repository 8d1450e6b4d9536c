"""What does the feedback page cost per student when one process writes a class's pages?

    python bench/page_speed.py [--pages 20] [--sandbox off]

In one process, with torch imported once, it grades the solutions and single-mistake
variants of them in turn (one page each), and times three ways of doing so:
  - "no pictures": grade(...) alone, what a class run without pages costs;
  - "cold": grade(..., pictures=True) and write_html with every cache cleared before
    each page, as each page cost before the caches;
  - "warm": the same with the caches kept, as a class run meets them.
It prints the seconds per page of grading and of writing, and the figure cache's hits.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # tests.helpers builds the variants

# One mistake each, in a different module: each changes one figure of its page.
MISTAKES = {
    "wrong tanh": ("activations", """
        def tanh(X):
            E = torch.exp(-X)
            return (1 - E) / (1 + E)
        """),
    "unstable softmax": ("softmax_regression", """
        def softmax(X):
            X_exp = torch.exp(X)
            return X_exp / X_exp.sum(dim=1, keepdim=True)
        """),
    "gradients never zeroed": ("linear_regression", """
        def train_epoch(net, loss, updater, data, params, lr, batch_size):
            for X, y in data:
                loss(net(X, *params), y).sum().backward()
                updater(params, lr, batch_size)
        """),
}


def submissions(folder: Path) -> list[Path]:
    """The solutions, then one copy of them per mistake."""
    from tests.helpers import copy_solutions, with_function

    made = [copy_solutions(folder / "solutions")]
    for number, (module, source) in enumerate(MISTAKES.values()):
        made.append(with_function(copy_solutions(folder / f"mistake{number}"), module, source))
    return made


def timed(pages: int, folders: list[Path], out: Path, *, pictures: bool, cold: bool,
          sandbox: str) -> dict[str, list[float]]:
    """Seconds each page took to grade and to write, in wall-clock time and in this
    process's CPU time (which other work on the machine disturbs less), and how many of
    its figures came from the cache; the folders are taken in turn."""
    from autograder.api import grade
    from autograder.feedback import write_html
    from autograder.feedback.data import clear_book_cache
    from autograder.feedback.plots import clear_figure_cache, figure_cache_info

    times: dict[str, list[float]] = {key: [] for key in
                                     ("grade", "write", "grade cpu", "write cpu", "hits",
                                      "figures")}
    for page in range(pages):
        if cold:
            clear_book_cache()
            clear_figure_cache()
        before = figure_cache_info()
        wall, cpu = time.perf_counter(), time.process_time()
        report = grade(folders[page % len(folders)], device="cpu", sandbox=sandbox,
                       pictures=pictures)
        graded_wall, graded_cpu = time.perf_counter(), time.process_time()
        if pictures:
            write_html(report, str(out / f"page{page}.html"))
        after = figure_cache_info()
        for key, value in (("grade", graded_wall - wall), ("grade cpu", graded_cpu - cpu),
                           ("write", time.perf_counter() - graded_wall),
                           ("write cpu", time.process_time() - graded_cpu),
                           ("hits", after.hits - before.hits),
                           ("figures", after.hits + after.misses - before.hits - before.misses)):
            times[key].append(value)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=20)
    parser.add_argument("--sandbox", default="off", choices=("auto", "strict", "off"))
    args = parser.parse_args()
    import torch  # noqa: F401  (imported once, before any timing, as a class run does)

    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        folders = submissions(folder)
        # Imports, the first zygote, the file cache: paid once by any class run.
        timed(len(folders), folders, folder, pictures=True, cold=True, sandbox=args.sandbox)
        print(f"{args.pages} pages, the solutions and {len(MISTAKES)} single mistakes in "
              f"turn (sandbox {args.sandbox}).\nSeconds per page, mean (median); "
              "wall-clock, then this process's CPU time")
        print(f"{'':<12} {'grade':>13} {'write_html':>13} {'total':>13}   "
              f"{'grade cpu':>13} {'write cpu':>13}   figures cached")
        for name, pictures, cold in (("no pictures", False, True), ("cold", True, True),
                                     ("warm", True, False)):
            t = timed(args.pages, folders, folder, pictures=pictures, cold=cold,
                      sandbox=args.sandbox)
            total = [g + w for g, w in zip(t["grade"], t["write"])]
            print(f"{name:<12} {_mean(t['grade'])} {_mean(t['write'])} {_mean(total)}   "
                  f"{_mean(t['grade cpu'])} {_mean(t['write cpu'])}   "
                  f"{sum(t['hits']):g}/{sum(t['figures']):g}")


def _mean(samples: list[float]) -> str:
    return f"{statistics.mean(samples):.3f} ({statistics.median(samples):.3f})"


if __name__ == "__main__":
    main()
