"""Cheap forks of an interpreter that holds torch.

A class run forks seven processes per student from interpreters of some 300 MB: the
student's zygote, its pid namespace's init, and a worker per module. A fork copies the
page table of everything the parent has written, and an exit takes it down again; a
child's garbage collector writes to every object it walks, copying the page it is on.
With the garbage collector's walks, these were about a quarter of a class run's time.
"""

from __future__ import annotations

import ctypes
import gc
import os
import re

_MADV_COLLAPSE = 25  # Linux 6.1 and later; older kernels answer EINVAL, and nothing changes
_HUGE_PAGE = 2 * 2**20
_PRIVATE_ANONYMOUS = re.compile(r"^([0-9a-f]+)-([0-9a-f]+) rw-p \S+ \S+ 0\s*(\[heap\])?\s*$")


def fork_frozen() -> int:
    """os.fork(), with every object of this process frozen for the child's garbage
    collector (gc.freeze): the child never walks them, and so never writes to (and
    copies) the pages they share."""
    was_frozen = gc.get_freeze_count() > 0
    gc.freeze()
    try:
        pid = os.fork()
    except BaseException:
        if not was_frozen:
            gc.unfreeze()
        raise
    if pid and not was_frozen:
        gc.unfreeze()  # this process collects its own objects as before
    return pid


def share_in_huge_pages() -> int:
    """Move this process's heap into 2 MB pages (madvise MADV_COLLAPSE); the bytes moved.

    For a process that is forked many times: a fork copies one entry per 2 MB where it
    copied 512, and an exit frees as few; a child that writes to a page still copies
    only that 4 kB page. It costs about half a second for torch's interpreter; a child's
    fork, work and exit then took some 9 ms less, so it pays for itself after about
    fifty children (a class of 50 forks 350; bench/batch_speed.py times the whole).
    Where the kernel cannot, nothing changes.
    """
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        with open("/proc/self/maps", encoding="ascii") as maps:
            regions = [_aligned(match) for match in map(_PRIVATE_ANONYMOUS.match, maps)
                       if match]
    except OSError:
        return 0
    libc.madvise.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
    moved = 0
    for start, end in regions:
        if end - start >= _HUGE_PAGE and libc.madvise(start, end - start, _MADV_COLLAPSE) == 0:
            moved += end - start
    return moved


def _aligned(match: re.Match[str]) -> tuple[int, int]:
    """A region's whole huge pages."""
    start, end = int(match[1], 16), int(match[2], 16)
    return -(-start // _HUGE_PAGE) * _HUGE_PAGE, end // _HUGE_PAGE * _HUGE_PAGE
