"""Cheap forks: frozen objects for the child's garbage collector, the heap in huge pages.

Each runs in a fresh interpreter: freezing is for the whole process, and so is its heap.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest


def run(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_a_frozen_fork_gives_the_child_frozen_objects_and_leaves_the_parent_as_it_was():
    shown = run("""
        import gc, os
        from autograder.forks import fork_frozen
        kept = [[i] for i in range(10000)]  # objects the child inherits
        read, write = os.pipe()
        pid = fork_frozen()
        if pid == 0:
            os.write(write, str(gc.get_freeze_count()).encode())
            os._exit(0)
        os.waitpid(pid, 0)
        print(os.read(read, 100).decode(), gc.get_freeze_count())
    """)
    child, parent = map(int, shown.split())
    assert child >= 10000 and parent == 0


def test_a_frozen_fork_from_a_frozen_process_leaves_it_frozen():
    shown = run("""
        import gc, os
        from autograder.forks import fork_frozen
        gc.freeze()
        frozen = gc.get_freeze_count()
        pid = fork_frozen()
        if pid == 0:
            os._exit(0)
        os.waitpid(pid, 0)
        print(frozen, gc.get_freeze_count())
    """)
    before, after = map(int, shown.split())
    assert after >= before > 0


def _kernel_collapses() -> bool:
    release = tuple(int(part) for part in os.uname().release.split(".")[:2]
                    if part.isdigit())
    settings = Path("/sys/kernel/mm/transparent_hugepage/enabled")
    return (release >= (6, 1) and settings.exists()
            and "[never]" not in settings.read_text())


@pytest.mark.skipif(not _kernel_collapses(), reason="MADV_COLLAPSE needs Linux 6.1 and "
                    "transparent huge pages that are not set to never")
def test_the_heap_moves_into_huge_pages_with_its_contents_and_forks_still_work():
    shown = run("""
        import hashlib, os
        from autograder.forks import share_in_huge_pages
        def huge_kb():
            for line in open("/proc/self/smaps_rollup"):
                if line.startswith("AnonHugePages:"):
                    return int(line.split()[1])
        data = bytearray(os.urandom(64 * 2**20))  # a heap of the size of a library's
        digest = hashlib.sha256(data).hexdigest()
        before = huge_kb()
        moved = share_in_huge_pages()
        pid = os.fork()
        if pid == 0:
            data[0] ^= 1  # a child's write copies a page, and the parent's stays
            os._exit(0 if hashlib.sha256(data).hexdigest() != digest else 1)
        _, status = os.waitpid(pid, 0)
        print(moved, huge_kb() - before, hashlib.sha256(data).hexdigest() == digest,
              os.waitstatus_to_exitcode(status))
    """)
    moved, huge_kb, intact, child = shown.split()
    assert int(moved) >= 60 * 2**20
    assert int(huge_kb) >= 60 * 2**10
    assert intact == "True" and child == "0"


def test_a_kernel_without_collapse_moves_nothing():
    """An advice the kernel does not know gets EINVAL, as MADV_COLLAPSE does before 6.1."""
    shown = run("""
        from autograder import forks
        data = bytearray(range(256)) * (16 * 2**12)  # 16 MB
        forks._MADV_COLLAPSE = 999
        print(forks.share_in_huge_pages(), data == bytearray(range(256)) * (16 * 2**12))
    """)
    assert shown.split() == ["0", "True"]
