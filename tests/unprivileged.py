"""Run a command as an ordinary user (uid 65534), for the tests that run as root.

    python tests/unprivileged.py PROGRAM [ARGS...]

The interpreter may live under root's home folder, which an ordinary user cannot
enter: the command runs in a mount namespace of its own where that folder is an empty,
world-readable one holding only the interpreter's folders. Then it drops to uid and
gid 65534 with no supplementary group and no capability, and execs PROGRAM. The
grader it starts sees an ordinary user, as on a student's machine.
"""

from __future__ import annotations

import os
import sys

from autograder.sandbox import kernel
from autograder.sandbox.namespaces import _interpreter_folders

NOBODY = 65534


def _show_interpreter_through_home() -> None:
    home = os.path.realpath(os.path.expanduser("~"))
    inside = [p for p in _interpreter_folders() if p.startswith(home + "/")]
    if not inside:
        return
    kernel.unshare(kernel.CLONE_NEWNS)
    kernel.mount(None, "/", None, kernel.MS_REC | kernel.MS_PRIVATE)
    handles = {p: os.open(p, os.O_PATH | os.O_DIRECTORY) for p in inside}
    kernel.mount("home", home, "tmpfs", 0, "size=1m,mode=0755")
    for path, handle in handles.items():
        os.makedirs(path, exist_ok=True)
        kernel.mount(f"/proc/self/fd/{handle}", path, None, kernel.MS_BIND | kernel.MS_REC)
        os.close(handle)


def main() -> None:
    _show_interpreter_through_home()
    os.setgroups([])
    os.setresgid(NOBODY, NOBODY, NOBODY)
    os.setresuid(NOBODY, NOBODY, NOBODY)
    os.environ["HOME"] = os.environ.get("TMPDIR", "/tmp")
    os.execv(sys.argv[1], sys.argv[1:])


if __name__ == "__main__":
    main()
