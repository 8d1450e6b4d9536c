"""Limits on what a submission's code may use, and the diagnosis when one is hit.

Per process (rlimits, inherited by everything a worker starts): address space, file
size, open files. For the whole submission: its processes and threads together
(RLIMIT_NPROC counts every task of the workers' uid, which no one else uses: a uid of
their own as root, a user namespace otherwise), the size of its private /tmp, and the
memory of all its processes together, which the pid namespace's init watches (see
`MemoryWatch`).
"""

from __future__ import annotations

import os
import resource
import signal
from typing import Any

FILE_SIZE_LIMIT = 16 * 2**20  # any one file a worker writes
OPEN_FILES_LIMIT = 256
TASK_LIMIT = 128  # processes and threads of a whole submission
WATCH_INTERVAL = 0.1  # seconds between two looks at the submission's memory


def apply(memory_limit: int | None, *, whole_submission: bool) -> None:
    """Set a worker's rlimits (before it drops its privileges); `whole_submission` when
    the workers' uid counts this submission's tasks only."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails, not kills
    resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_SIZE_LIMIT, FILE_SIZE_LIMIT))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if memory_limit:
        resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))
    if whole_submission:
        _lower(resource.RLIMIT_NOFILE, OPEN_FILES_LIMIT)
        _lower(resource.RLIMIT_NPROC, TASK_LIMIT)


def _lower(which: int, value: int) -> None:
    soft, hard = resource.getrlimit(which)
    value = value if hard == resource.RLIM_INFINITY else min(value, hard)
    resource.setrlimit(which, (value, value))


def size_text(size: int) -> str:
    """2 GiB, 256 MiB: the way the messages name a size."""
    for unit, name in ((2**30, "GiB"), (2**20, "MiB"), (2**10, "KiB")):
        if size >= unit:
            return f"{size / unit:g} {name}"
    return f"{size} B"


# -- the whole submission's memory (in the pid namespace's init) ---------------------

class MemoryWatch:
    """Sums the memory of every process of the namespace but this one; past the limit,
    kills them all and remembers which workers it killed.

    A lone worker is held by its own RLIMIT_AS; the sum matters once a worker has
    started processes, so it is only computed then (PSS, which counts shared pages
    once across processes).
    """

    def __init__(self, limit: int):
        self.limit = limit
        self.killed: set[int] = set()

    def check(self, workers: set[int]) -> None:
        pids = [int(entry) for entry in os.listdir("/proc") if entry.isdigit()]
        others = [pid for pid in pids if pid != os.getpid()]
        if not set(others) - workers:
            return
        if sum(_proportional_size(pid) for pid in others) > self.limit:
            self.killed.update(workers)
            try:
                os.kill(-1, signal.SIGKILL)  # from a pid namespace's init: all but itself
            except ProcessLookupError:
                pass


def _proportional_size(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as stream:
            for line in stream:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


# -- diagnoses -----------------------------------------------------------------------

# What the kernel says when a limit is hit, as the student's code sees it.
_SIGNS = [("MemoryError", "", "memory"), ("", "can't allocate memory", "memory"),
          ("", "not enough memory", "memory"), ("", "out of memory", "memory"),
          ("", "[Errno 27]", "file_size"), ("", "[Errno 24]", "files"),
          ("", "[Errno 28]", "disk"), ("", "[Errno 11]", "processes"),
          ("", "can't start new thread", "processes")]


def limit_hit(error_type: str, text: str) -> str | None:
    """Which limit an exception raised in a worker shows was hit, if any."""
    for kind, fragment, limit in _SIGNS:
        if (kind and error_type == kind) or (fragment and fragment in text):
            return limit
    return None


def describe_limit(limit: str, memory_limit: int | None,
                   disk_limit: int | None = None) -> dict[str, Any]:
    """The catalogue key and values that name `limit`."""
    from autograder.sandbox.namespaces import DEFAULT_DISK_LIMIT

    values = {"memory": size_text(memory_limit) if memory_limit else "",
              "file_size": size_text(FILE_SIZE_LIMIT), "files": OPEN_FILES_LIMIT,
              "disk": size_text(disk_limit or DEFAULT_DISK_LIMIT), "processes": TASK_LIMIT}
    return {"key": f"limit.{limit}", "limit": values[limit]}
