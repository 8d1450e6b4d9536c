"""Run a command as root in a container that refuses namespaces, as Docker's default
seccomp profile does to a process without CAP_SYS_ADMIN (for the tests that run as root).

    python tests/container.py PROGRAM [ARGS...]

A seccomp filter refuses unshare, setns, mount, umount2, pivot_root and the new mount
calls with EPERM, for this process and everything it starts. As in tests/unprivileged.py,
the folders the command needs (the interpreter's among them) are first made reachable for
any user: an image's Python lives where any user may enter.
"""

from __future__ import annotations

import errno
import os
import platform
import sys

from autograder import seccomp

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from unprivileged import make_reachable, needed_folders  # noqa: E402

# The calls refused, per machine (from the kernel's syscall tables).
REFUSED = {
    "x86_64": (0xC000003E, {"unshare": 272, "setns": 308, "mount": 165, "umount2": 166,
                            "pivot_root": 155, "open_tree": 428, "move_mount": 429,
                            "fsopen": 430, "fsmount": 432, "mount_setattr": 442}),
    "aarch64": (0xC00000B7, {"unshare": 97, "setns": 268, "mount": 40, "umount2": 39,
                             "pivot_root": 41, "open_tree": 428, "move_mount": 429,
                             "fsopen": 430, "fsmount": 432, "mount_setattr": 442}),
}
_LOAD_ARCH, _LOAD_NR = (0x20, 0, 0, 4), (0x20, 0, 0, 0)
_JEQ, _RET = 0x15, 0x06
_ALLOW, _EPERM = 0x7FFF0000, 0x00050000 | errno.EPERM


def refusing_filter(arch: str) -> list[tuple[int, int, int, int]]:
    """Allow every call but the refused ones (and every call of another architecture)."""
    audit_arch, numbers = REFUSED[arch]
    refused = sorted(numbers.values())
    rows = [_LOAD_ARCH, (_JEQ, 1, 0, audit_arch), (_RET, 0, 0, _ALLOW), _LOAD_NR]
    for at, number in enumerate(refused):  # on a match, jump to the EPERM at the end
        rows.append((_JEQ, len(refused) - at, 0, number))
    return [*rows, (_RET, 0, 0, _ALLOW), (_RET, 0, 0, _EPERM)]


def main() -> None:
    make_reachable(needed_folders(sys.argv[1:]))
    if not seccomp.load(refusing_filter(platform.machine())):
        sys.exit("tests/container.py: the kernel refused the seccomp filter")
    os.execv(sys.argv[1], sys.argv[1:])


if __name__ == "__main__":
    main()
