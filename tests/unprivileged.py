"""Run a command as an ordinary user (uid 65534), for the tests that run as root.

    python tests/unprivileged.py PROGRAM [ARGS...]

A checkout may sit where an ordinary user cannot go: in root's home, in a `mktemp -d`
folder (mode 0700), with an interpreter under the home as pyenv installs it. The folders
the command needs (the interpreter's, this checkout, PROGRAM's, the working folder,
`$TMPDIR`, `$PYTHONPATH`'s entries and the absolute paths among ARGS) are made
reachable first: in a mount namespace of its own, each folder on the way to them that
uid 65534 may not enter is covered by an empty, world-readable tmpfs holding only those
folders, bound at their own paths. Nothing else of the covered folder can be seen. Then
it drops to uid and gid 65534 with no supplementary group and no capability, and execs
PROGRAM. The grader it starts sees an ordinary user, as on a student's machine.

A needed folder that uid 65534 may not read itself (a checkout cloned with umask 077)
cannot be shown this way: `unreadable` names it, and the command refuses to start.
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from autograder.sandbox import kernel
from autograder.sandbox.namespaces import _interpreter_folders

NOBODY = 65534
CHECKOUT = str(Path(__file__).resolve().parent.parent)
# Each pass covers the shallowest folder still in the way; a folder in the way is inside
# a needed one, so a path has at most as many as it has components.
_MOST_PASSES = 256


def needed_folders(argv: Sequence[str], environ: Mapping[str, str] = os.environ, *,
                   cwd: str | None = None) -> list[str]:
    """The folders the command `argv` needs to reach, resolved: the interpreter's, this
    checkout, the program's folder, the working folder (`cwd`, default this process's),
    $TMPDIR, $PYTHONPATH's entries and the folder of each absolute path among the
    arguments (its nearest existing one)."""
    wanted = [*_interpreter_folders(), CHECKOUT, cwd or os.getcwd(), environ.get("TMPDIR", "")]
    wanted += environ.get("PYTHONPATH", "").split(os.pathsep)
    if argv:
        wanted.append(os.path.dirname(os.path.abspath(argv[0])))
    wanted += [argument for argument in argv[1:] if os.path.isabs(argument)]
    folders = set()
    for path in filter(None, wanted):
        path = os.path.realpath(path)
        while not os.path.isdir(path):  # a file, or one the command will write
            path = os.path.dirname(path)
        if path != "/":
            folders.add(path)
    return sorted(folders)


def may_enter(folder: str, *, read: bool = False) -> bool:
    """Whether uid 65534 (gid 65534, no other group) may go through `folder` (and list it,
    with `read`), by its mode bits."""
    info = os.stat(folder)
    shift = 6 if info.st_uid == NOBODY else 3 if info.st_gid == NOBODY else 0
    wanted = (stat.S_IXOTH | (stat.S_IROTH if read else 0)) << shift
    return info.st_mode & wanted == wanted


def unreadable(folders: Iterable[str]) -> list[str]:
    """The `folders` that uid 65534 could not read even once reached."""
    return [folder for folder in folders if not may_enter(folder, read=True)]


def _in_the_way(folder: str) -> list[str]:
    """The folders above `folder`, shallowest first, that uid 65534 may not go through."""
    above = list(reversed(Path(folder).parents))[1:]  # "/" is always open
    return [str(path) for path in above if not may_enter(str(path))]


def make_reachable(folders: Sequence[str]) -> None:
    """Cover each folder on the way to `folders` that uid 65534 may not enter with a
    0755 tmpfs holding binds of the `folders` below it, in a mount namespace of this
    process's own (none is made when nothing is in the way)."""
    handles: dict[str, int] = {}
    covered: set[str] = set()
    mask = os.umask(0o022)  # the tmpfs's folders on the way: 0755 whatever the umask
    try:
        for _ in range(_MOST_PASSES):
            blocking = sorted({b for f in folders for b in _in_the_way(f)}, key=len)
            if not blocking:
                return
            if not handles:
                kernel.unshare(kernel.CLONE_NEWNS)
                kernel.mount(None, "/", None, kernel.MS_REC | kernel.MS_PRIVATE)
                # Opened before anything is covered: the binds' sources.
                handles = {f: os.open(f, os.O_PATH | os.O_DIRECTORY) for f in folders}
            _cover(blocking[0], handles, covered)
        raise RuntimeError(f"folders still in uid {NOBODY}'s way: {blocking}")
    finally:
        os.umask(mask)
        for handle in handles.values():
            os.close(handle)


def _cover(folder: str, handles: Mapping[str, int], covered: set[str]) -> None:
    if folder in covered:
        raise RuntimeError(f"{folder} is still in uid {NOBODY}'s way once covered")
    covered.add(folder)
    kernel.mount("reachable", folder, "tmpfs", 0, "size=1m,mode=0755")
    # Sorted: a folder is bound before the folders inside it.
    for path in sorted(p for p in handles if p.startswith(folder + "/")):
        os.makedirs(path, exist_ok=True)
        kernel.mount(f"/proc/self/fd/{handles[path]}", path, None,
                     kernel.MS_BIND | kernel.MS_REC)


def main() -> None:
    command = sys.argv[1:]
    folders = needed_folders(command)
    refused = unreadable(folders)
    if refused:
        sys.exit(f"uid {NOBODY} may not read {', '.join(refused)}: make it readable "
                 "(chmod -R o+rX) or run the command as an ordinary user")
    make_reachable(folders)
    os.chdir(os.getcwd())  # the working folder as the covered tree shows it
    os.setgroups([])
    os.setresgid(NOBODY, NOBODY, NOBODY)
    os.setresuid(NOBODY, NOBODY, NOBODY)
    os.environ["HOME"] = os.environ.get("TMPDIR", "/tmp")
    os.execv(command[0], command)


if __name__ == "__main__":
    main()
