"""Entering the sandbox: the zygote's namespaces and root, and each worker's identity.

The zygote (one per submission, see autograder/pool.py) calls `isolate` right after it
is forked, before it forks any worker; each worker calls `confine` right after its own
fork. Both run code of the grading side only, on data prepared by `plan` in the grader.
"""

from __future__ import annotations

import os
import signal
import site
import sys
import sysconfig
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from autograder.sandbox import kernel
from autograder.sandbox.levels import SIMULATE_FAILURE_VARIABLE, Isolation, reason_of

# What a worker sees of the machine, read-only: the system, never the home folders,
# the project or the data. The interpreter's own folders are added by `plan`.
_SYSTEM_FOLDERS = ("/usr", "/etc", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
DEFAULT_DISK_LIMIT = 256 * 2**20  # the size of a submission's private /tmp
_INODE_LIMIT = 16384
_SHARED_MEMORY_LIMIT = 64 * 2**20  # a private /dev/shm
# Workers drop to a uid of their own, above any real account's: with a pid namespace,
# no other process runs as it, so RLIMIT_NPROC counts the submission's processes only.
_UID_BASE = 2**24
_SANDBOX_WORKDIR = "/tmp"


@dataclass
class Plan:
    """What the zygote needs to build the sandbox, computed in the grader before the fork."""

    mode: str
    staging: str  # the staged files, the grader's copy
    hide: list[str] = field(default_factory=list)  # folders no worker may see
    keep: list[str] = field(default_factory=list)  # folders the interpreter reads
    fail: frozenset[str] = frozenset()  # layers whose failure is simulated
    disk_limit: int = DEFAULT_DISK_LIMIT


def plan(mode: str, staging: str, submission: str | os.PathLike | None = None, *,
         also_hide: Sequence[str | os.PathLike] = ()) -> Plan:
    """The sandbox for a submission staged at `staging` (from `submission`), in `mode`;
    `also_hide`: more folders to hide should a folder the interpreter needs hold them."""
    hidden = [_package_folder(name) for name in
              ("autograder", "autograder.reference", "autograder.suites")]
    checkout = os.path.dirname(hidden[0])
    if os.path.isfile(os.path.join(checkout, "pyproject.toml")):
        hidden.append(checkout)  # a source checkout: its tests and solutions too
    hidden += [staging, os.path.expanduser("~")]
    if submission is not None:
        hidden.append(os.fspath(submission))
    hidden += [os.fspath(folder) for folder in also_hide]
    failing = os.environ.get(SIMULATE_FAILURE_VARIABLE, "")
    return Plan(mode, staging, hide=sorted({os.path.realpath(p) for p in hidden if p}),
                keep=_interpreter_folders(),
                fail=frozenset(name.strip() for name in failing.split(",") if name.strip()))


def _package_folder(name: str) -> str:
    import importlib.util

    spec = importlib.util.find_spec(name)
    return os.path.dirname(spec.origin) if spec and spec.origin else ""


def _interpreter_folders() -> list[str]:
    paths = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix,
             os.path.dirname(os.path.realpath(sys.executable)), *site.getsitepackages()}
    paths.update(sysconfig.get_paths()[key] for key in ("stdlib", "platstdlib", "purelib",
                                                         "platlib"))
    # Other package folders on sys.path (added by a .pth file), but not the current
    # folder or a script's, which may hold anything.
    paths.update(p for p in sys.path if os.path.basename(p) in ("site-packages",
                                                                 "dist-packages"))
    paths.update(p for p in os.environ.get("LD_LIBRARY_PATH", "").split(":") if p)
    folders = sorted({os.path.realpath(p) for p in paths if os.path.isdir(p)} - {"/"})
    return [p for p in folders if not any(_inside(p, other) for other in folders
                                          if other != p)]


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip("/") + "/")


# -- in the zygote -------------------------------------------------------------------

def isolate(plan: Plan | None) -> Isolation:
    """Enter every namespace the machine allows; return the level reached.

    With a pid namespace this process forks the namespace's init and returns in it: the
    original process stays outside, waits for the init and exits with its status. When
    the init exits (the grader closed the pool, or went away), the kernel kills every
    process left in the namespace before the wait returns.
    """
    if plan is None or plan.mode == "off":
        return Isolation(mode="off")
    isolation = Isolation(mode=plan.mode, root=os.geteuid() == 0)

    def attempt(layer: str, action: Callable[[], object]) -> bool:
        try:
            if layer in plan.fail:
                raise RuntimeError(SIMULATE_FAILURE_VARIABLE)
            action()
        except Exception as error:
            isolation.missing[layer] = (SIMULATE_FAILURE_VARIABLE if layer in plan.fail
                                        else reason_of(error))
            if layer in isolation.reached:
                isolation.reached.remove(layer)
            return False
        if layer not in isolation.reached:
            isolation.reached.append(layer)
        return True

    if isolation.root:
        # Each worker drops to this uid; root itself needs no user namespace.
        attempt("user", lambda: setattr(isolation, "uid", _UID_BASE + os.getpid()))
    else:
        attempt("user", _enter_user_namespace)
    attempt("mount", lambda: kernel.unshare(kernel.CLONE_NEWNS))
    attempt("net", lambda: kernel.unshare(kernel.CLONE_NEWNET))
    try:  # System V IPC and the host name: not layers of their own, taken when possible
        kernel.unshare(kernel.CLONE_NEWIPC | kernel.CLONE_NEWUTS)
    except OSError:
        pass
    if attempt("pid", lambda: kernel.unshare(kernel.CLONE_NEWPID)):
        _become_init()
    if isolation.has("mount"):
        attempt("mount", lambda: _enter_new_root(plan, isolation))
    if not isolation.has("mount") and isolation.uid is not None:
        # Without a root of their own, workers of another uid must reach the interpreter
        # and the staged files through the real folders.
        reached = [*plan.keep, os.path.dirname(plan.staging)]
        if attempt("user", lambda: _check_reachable(reached)):
            _give_staging_to(plan.staging, isolation.uid)
        else:
            isolation.uid = None
    return isolation


def _check_reachable(folders: list[str]) -> None:
    """Raise PermissionError unless any user can enter every folder on the way to each."""
    import stat

    for folder in folders:
        path = "/"
        for part in folder.strip("/").split("/"):
            path = os.path.join(path, part)
            if not os.stat(path).st_mode & stat.S_IXOTH:
                raise PermissionError(13, "not reachable", path)


def _enter_user_namespace() -> None:
    uid, gid = os.getuid(), os.getgid()
    kernel.unshare(kernel.CLONE_NEWUSER)
    for name, text in (("setgroups", "deny"), ("uid_map", f"{uid} {uid} 1"),
                       ("gid_map", f"{gid} {gid} 1")):
        with open(f"/proc/self/{name}", "w") as stream:
            stream.write(text)


def _become_init() -> None:
    """Fork the pid namespace's first process, which returns; this one waits, then exits."""
    init = os.fork()
    if init == 0:
        kernel.set_parent_death_signal(signal.SIGKILL)  # the namespace ends with the zygote
        return
    while True:
        try:
            _, status = os.waitpid(init, 0)
            break
        except InterruptedError:
            continue
        except ChildProcessError:
            os._exit(1)
    os._exit(min(max(os.waitstatus_to_exitcode(status), 0), 255))


def _enter_new_root(plan: Plan, isolation: Isolation) -> None:
    """Make a root of the system folders and the interpreter's, read-only, with a private
    size-capped /tmp holding the staged files, a fresh /proc, and switch to it."""
    staged = _read_tree(plan.staging)
    kernel.mount(None, "/", None, kernel.MS_REC | kernel.MS_PRIVATE)  # nothing leaks out
    # Held open before the new root covers its mount point, which may hold some of them.
    system = [os.path.realpath(folder) for folder in _SYSTEM_FOLDERS]
    keep = [p for p in plan.keep if not any(_inside(p, folder) for folder in system)]
    shown = _open_folders([*_SYSTEM_FOLDERS, *keep, "/dev", "/sys", "/proc"])
    new = "/tmp" if os.path.isdir("/tmp") else "/mnt"
    kernel.mount("sandbox", new, "tmpfs", kernel.MS_NOSUID | kernel.MS_NODEV,
                 "size=1m,mode=0755")
    try:
        _build_root(plan, isolation, staged, shown, new)
        os.chdir(new)
        kernel.pivot_root(".", ".")
    except BaseException:
        # Back to the machine's folders, as the workers of a run without this layer see
        # them (the staged files among them).
        os.chdir("/")
        kernel.umount(new, kernel.MNT_DETACH)
        raise
    finally:
        for handle in shown.values():
            if isinstance(handle, int):
                os.close(handle)
    kernel.umount(".", kernel.MNT_DETACH)  # the old root, with everything in it
    os.chdir("/")
    isolation.workdir = _SANDBOX_WORKDIR


def _build_root(plan: Plan, isolation: Isolation, staged: list[tuple[str, bytes | None]],
                shown: dict[str, int | str], new: str) -> None:
    # A folder under /tmp (a virtual environment made there) is shown through the private
    # /tmp, once that is mounted.
    under_tmp = {f: h for f, h in shown.items() if _inside(f, _SANDBOX_WORKDIR)}
    elsewhere = {f: h for f, h in shown.items() if f not in under_tmp}
    _show_and_hide(elsewhere, plan.hide, new)
    for mount_point in ("proc", "tmp"):
        os.makedirs(os.path.join(new, mount_point), exist_ok=True)
    kernel.make_tree_read_only(new)
    if isolation.has("pid"):
        # A /proc of this pid namespace: the grader's processes are not in it.
        kernel.mount("proc", new + "/proc", "proc",
                     kernel.MS_NOSUID | kernel.MS_NODEV | kernel.MS_NOEXEC)
    else:
        kernel.mount(_handle_path(shown["/proc"]), new + "/proc", None,
                     kernel.MS_BIND | kernel.MS_REC)
    owner = "" if isolation.uid is None else f",uid={isolation.uid},gid={isolation.uid}"
    kernel.mount("submission", new + "/tmp", "tmpfs", kernel.MS_NOSUID | kernel.MS_NODEV,
                 f"size={plan.disk_limit},nr_inodes={_INODE_LIMIT},mode=0700{owner}")
    _write_tree(new + "/tmp", staged, isolation.uid)
    if os.path.isdir(new + "/dev/shm"):  # POSIX shared memory and semaphores (multiprocessing)
        kernel.mount("shm", new + "/dev/shm", "tmpfs", kernel.MS_NOSUID | kernel.MS_NODEV,
                     f"size={_SHARED_MEMORY_LIMIT},mode=1777")
    _show_and_hide(under_tmp, plan.hide, new)
    for folder in under_tmp:
        kernel.make_tree_read_only(new + folder)


def _show_and_hide(shown: dict[str, int | str], hide: list[str], new: str) -> None:
    """Bind each shown folder into the new root, then cover the hidden folders they hold
    (the package in a site-packages folder) with an empty, read-only tmpfs."""
    for folder, handle in shown.items():
        _show(folder, handle, new)
    for folder in hide:
        if any(_inside(folder, shown_folder) for shown_folder in shown) and \
                os.path.isdir(new + folder):
            kernel.mount("hidden", new + folder, "tmpfs",
                         kernel.MS_RDONLY | kernel.MS_NOSUID | kernel.MS_NODEV,
                         "size=4k,mode=0555")


def _open_folders(folders: list[str]) -> dict[str, int | str]:
    """Each folder that exists: an O_PATH descriptor, or a system symlink's target."""
    handles: dict[str, int | str] = {}
    for folder in folders:
        if os.path.islink(folder) and folder in _SYSTEM_FOLDERS:
            handles[folder] = os.readlink(folder)
        elif os.path.isdir(folder):
            handles[folder] = os.open(folder, os.O_PATH | os.O_DIRECTORY | os.O_CLOEXEC)
    return handles


def _handle_path(handle: int | str) -> str:
    return f"/proc/self/fd/{handle}"


def _show(folder: str, handle: int | str, new: str) -> None:
    """Bind `folder` into the new root at the same path (a symlink is copied as one)."""
    if folder == "/proc":
        return  # mounted apart, once the root is read-only
    if isinstance(handle, str):
        os.symlink(handle, new + folder)
    else:
        os.makedirs(new + folder, exist_ok=True)
        kernel.mount(_handle_path(handle), new + folder, None, kernel.MS_BIND | kernel.MS_REC)


def _read_tree(folder: str) -> list[tuple[str, bytes | None]]:
    """Every file of `folder` (relative path, content; None for a folder)."""
    entries: list[tuple[str, bytes | None]] = []
    for root, dirs, names in os.walk(folder):
        relative = os.path.relpath(root, folder)
        entries += [(os.path.join(relative, d), None) for d in dirs]
        for name in names:
            with open(os.path.join(root, name), "rb") as stream:
                entries.append((os.path.join(relative, name), stream.read()))
    return entries


def _write_tree(folder: str, entries: list[tuple[str, bytes | None]], uid: int | None) -> None:
    for relative, content in entries:
        path = os.path.normpath(os.path.join(folder, relative))
        if content is None:
            os.makedirs(path, exist_ok=True)
        else:
            with open(path, "wb") as stream:
                stream.write(content)
        if uid is not None:
            os.chown(path, uid, uid)


def _give_staging_to(folder: str, uid: int) -> None:
    """Without a root of their own, workers of another uid need the staged files."""
    for root, dirs, names in os.walk(folder):
        for name in [*dirs, *names]:
            os.chown(os.path.join(root, name), uid, uid)
    os.chown(folder, uid, uid)


# -- in each worker ------------------------------------------------------------------

# Where torch, triton, matplotlib and friends keep caches: inside the private folder.
_CACHE_VARIABLES = {"TORCHINDUCTOR_CACHE_DIR": ".cache/torchinductor",
                    "TRITON_CACHE_DIR": ".cache/triton", "XDG_CACHE_HOME": ".cache",
                    "TORCH_HOME": ".cache/torch", "MPLCONFIGDIR": ".cache/matplotlib",
                    "PYTORCH_KERNEL_CACHE_PATH": ".cache/torch/kernels"}


def confine(isolation: Isolation, staging: str) -> str:
    """Become the sandbox's unprivileged worker; return the folder to work in."""
    workdir = isolation.workdir or staging
    os.environ.update(HOME=workdir, TMPDIR=workdir, TEMP=workdir, TMP=workdir)
    for variable, relative in _CACHE_VARIABLES.items():
        os.environ[variable] = os.path.join(workdir, relative)
    import tempfile

    tempfile.tempdir = workdir  # the grader's choice is cached there
    if isolation.mode == "off":
        return workdir
    try:
        kernel.drop_bounding_set()
    except OSError:  # an ordinary user outside a user namespace: there is nothing to drop
        pass
    if isolation.has("user") and isolation.uid is not None:
        os.setgroups([])
        os.setresgid(isolation.uid, isolation.uid, isolation.uid)
        os.setresuid(isolation.uid, isolation.uid, isolation.uid)
    # Whatever identity is left (root itself, where its uid could not be dropped), it
    # keeps no capability.
    kernel.clear_capabilities()
    kernel.no_new_privileges()
    return workdir
