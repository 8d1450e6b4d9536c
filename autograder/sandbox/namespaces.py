"""Entering the sandbox: the zygote's namespaces and root, and each worker's identity.

The zygote (one per submission, see autograder/pool.py) calls `isolate` right after it
is forked, before it forks any worker; each worker calls `confine` right after its own
fork. Both run code of the grading side only, on data prepared by `plan` in the grader.
"""

from __future__ import annotations

import dataclasses
import errno
import json
import os
import signal
import site
import sys
import sysconfig
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from autograder.sandbox import kernel
from autograder.sandbox.levels import LAYERS, SIMULATE_FAILURE_VARIABLE, Isolation, reason_of

# What a worker sees of the machine, read-only: the system, never the home folders,
# the project or the data. The interpreter's own folders are added by `plan`.
_SYSTEM_FOLDERS = ("/usr", "/etc", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
DEFAULT_DISK_LIMIT = 256 * 2**20  # the size of a submission's private /tmp
INODE_LIMIT = 16384  # the files and folders it may hold
# The workers' /dev: these devices of the machine, nothing else (no terminal).
_DEVICES = ("null", "zero", "full", "random", "urandom")
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
    inode_limit: int = INODE_LIMIT
    # The layers this machine gives (see machine_layers); None: not probed yet.
    machine: list[str] | None = None
    probe: bool = False  # the probe's own plan: no staged file is written or given


def plan(mode: str, staging: str, submission: str | os.PathLike | None = None, *,
         also_hide: Sequence[str | os.PathLike] = ()) -> Plan:
    """The sandbox for a submission staged at `staging` (from `submission`), in `mode`;
    `also_hide`: more folders to hide should a folder the interpreter needs hold them."""
    hidden = [_package_folder(name) for name in
              ("autograder", "autograder.reference", "autograder.exercises")]
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
                fail=frozenset(name.strip() for name in failing.split(",") if name.strip()),
                disk_limit=DEFAULT_DISK_LIMIT, inode_limit=INODE_LIMIT)


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


# -- the machine's layers ------------------------------------------------------------

class StagingRefused(Exception):
    """The submission's staged files broke a limit of the workers' root (its size, its
    number of files, a name): a fault of the submission, never a layer the machine lacks."""

    def __init__(self, details: dict[str, Any]):
        super().__init__(details)
        self.details = details


_MACHINE: dict[tuple, list[str]] = {}  # the probe's answers, per process


def machine_layers(plan: Plan) -> list[str]:
    """The layers this machine gives a sandbox like `plan`'s, found once per process by
    a throwaway child that sets one up around no file at all: what a submission holds
    cannot change the answer, and a layer found here is required of every submission."""
    key = (plan.mode, tuple(plan.keep), tuple(sorted(plan.fail)),
           os.path.dirname(plan.staging), os.geteuid())
    if key not in _MACHINE:
        found = _probe(dataclasses.replace(plan, probe=True, machine=None))
        if found is None:  # the probe died: nothing is known, so every layer is required
            return list(LAYERS)
        _MACHINE[key] = found
    return list(_MACHINE[key])


def _probe(plan: Plan) -> list[str] | None:
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the probe, which ends here
        try:
            os.close(read_end)
            os.write(write_end, json.dumps(isolate(plan).reached).encode())
        finally:
            os._exit(0)
    os.close(write_end)
    with open(read_end, "rb") as stream:
        answer = stream.read()
    os.waitpid(pid, 0)
    try:
        return [layer for layer in json.loads(answer) if isinstance(layer, str)]
    except ValueError:
        return None  # the probe died before it answered


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
    isolation = Isolation(mode=plan.mode, root=os.geteuid() == 0, machine=plan.machine)

    def attempt(layer: str, action: Callable[[], object]) -> bool:
        try:
            if layer in plan.fail:
                raise RuntimeError(SIMULATE_FAILURE_VARIABLE)
            action()
        except StagingRefused:
            raise
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
        try:
            attempt("mount", lambda: _enter_new_root(plan, isolation))
        except StagingRefused as refusal:  # the submission's fault: nothing of it runs
            isolation.refused = refusal.details
            return isolation
    # Workers of another uid must reach the interpreter: in their own root, through
    # the folders on the way to where each of its folders is bound; without one, through
    # the real folders, with the staged files. Where they cannot, workers get no uid of
    # their own (and, run as root, the grader refuses: see Isolation.require).
    reached = [os.path.dirname(p) for p in plan.keep] if isolation.has("mount") else [
        *plan.keep, os.path.dirname(plan.staging)]
    if isolation.uid is not None:
        if not attempt("user", lambda: _check_reachable(reached, isolation.uid)):
            isolation.uid = None
        elif not isolation.has("mount") and not plan.probe:
            _give_staging_to(plan.staging, isolation.uid)
    return isolation


def _check_reachable(folders: list[str], uid: int) -> None:
    """Raise PermissionError unless `uid`, in no group but its own, can enter every
    folder on the way to each of `folders`."""
    import stat

    for folder in folders:
        path = "/"
        for part in folder.strip("/").split("/"):
            path = os.path.join(path, part)
            status = os.stat(path)
            needed = (stat.S_IXUSR if status.st_uid == uid else
                      stat.S_IXGRP if status.st_gid == uid else stat.S_IXOTH)
            if not status.st_mode & needed:
                raise PermissionError(errno.EACCES, "not reachable", path)


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
    staged = [] if plan.probe else _read_tree(plan.staging)
    # The folders made on the way to the interpreter's: for every uid to enter.
    umask = os.umask(0o022)
    try:
        _switch_root(plan, isolation, staged)
    finally:
        os.umask(umask)


def _switch_root(plan: Plan, isolation: Isolation,
                 staged: list[tuple[str, bytes | None]]) -> None:
    kernel.mount(None, "/", None, kernel.MS_REC | kernel.MS_PRIVATE)  # nothing leaks out
    # Held open before the new root covers its mount point, which may hold some of them.
    system = [os.path.realpath(folder) for folder in _SYSTEM_FOLDERS]
    keep = [p for p in plan.keep if not any(_inside(p, folder) for folder in system)]
    shown = _open_folders([*_SYSTEM_FOLDERS, *keep, "/sys", "/proc"])
    new = "/tmp" if os.path.isdir("/tmp") else "/mnt"
    kernel.mount("sandbox", new, "tmpfs", kernel.MS_NOSUID | kernel.MS_NODEV,
                 "size=1m,mode=0755")
    try:
        _build_root(plan, isolation, staged, shown, new)
        os.chdir(new)
        kernel.pivot_root(".", ".")
    except BaseException:
        # Back to the machine's folders: this layer is missing (where the probe found
        # it, the grader refuses), or the submission did not fit (nothing of it runs).
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
    _make_devices(new + "/dev")
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
                 f"size={plan.disk_limit},nr_inodes={plan.inode_limit},mode=0700{owner}")
    try:
        _write_tree(new + "/tmp", staged, isolation.uid)
    except OSError as error:
        raise StagingRefused(_limit_broken(error, new + "/tmp", plan)) from None
    # POSIX shared memory and semaphores (multiprocessing)
    kernel.mount("shm", new + "/dev/shm", "tmpfs", kernel.MS_NOSUID | kernel.MS_NODEV,
                 f"size={_SHARED_MEMORY_LIMIT},mode=1777")
    _show_and_hide(under_tmp, plan.hide, new)
    for folder in under_tmp:
        kernel.make_tree_read_only(new + folder)


def _make_devices(dev: str) -> None:
    """The workers' /dev, in their root: a few harmless devices of the machine, bound
    one by one, and no terminal (the grader's, or anyone's, is not there to open)."""
    os.makedirs(dev + "/shm")
    for name in _DEVICES:
        if os.path.exists("/dev/" + name):
            open(f"{dev}/{name}", "x").close()
            kernel.mount("/dev/" + name, f"{dev}/{name}", None, kernel.MS_BIND)
    for name, target in (("fd", "/proc/self/fd"), ("stdin", "/proc/self/fd/0"),
                         ("stdout", "/proc/self/fd/1"), ("stderr", "/proc/self/fd/2")):
        os.symlink(target, f"{dev}/{name}")


def _limit_broken(error: OSError, folder: str, plan: Plan) -> dict[str, Any]:
    """Which limit of the private /tmp the staged files broke, as plain data."""
    from autograder.sandbox.limits import size_text

    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        if os.statvfs(folder).f_ffree == 0:
            return {"limit": "files", "value": plan.inode_limit}
        return {"limit": "size", "value": size_text(plan.disk_limit)}
    if error.errno == errno.ENAMETOOLONG:
        return {"limit": "name", "value": ""}
    return {"limit": "other", "value": reason_of(error)}


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


def end_leftovers(isolation: Isolation) -> None:
    """Without a pid namespace, whose end would kill them, end every process still
    running as the workers' uid (which no other process uses): what a worker left behind
    in a process group of its own. A child takes that uid and signals all it may."""
    if isolation.has("pid") or isolation.uid is None or not isolation.root:
        return
    pid = os.fork()
    if pid == 0:  # pragma: no cover - ends here
        try:
            os.setgroups([])
            os.setresgid(isolation.uid, isolation.uid, isolation.uid)
            os.setresuid(isolation.uid, isolation.uid, isolation.uid)
            os.kill(-1, signal.SIGKILL)  # every process of this uid but the caller
        finally:
            os._exit(0)
    os.waitpid(pid, 0)


# -- in each worker ------------------------------------------------------------------

# Where torch, triton, matplotlib and friends keep caches: inside the private folder.
_CACHE_VARIABLES = {"TORCHINDUCTOR_CACHE_DIR": ".cache/torchinductor",
                    "TRITON_CACHE_DIR": ".cache/triton", "XDG_CACHE_HOME": ".cache",
                    "TORCH_HOME": ".cache/torch", "MPLCONFIGDIR": ".cache/matplotlib",
                    "PYTORCH_KERNEL_CACHE_PATH": ".cache/torch/kernels"}


# What a worker keeps of the grader's environment, in every mode: where programs are,
# the locale, and how torch and its thread pools are set up. Nothing else (a CI token,
# a password) is there for student code to print.
_KEPT_VARIABLES = frozenset({
    "PATH", "LANG", "LANGUAGE", "TZ", "LD_LIBRARY_PATH", "NO_COLOR",
    "OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", "NUMEXPR_NUM_THREADS",
    "CUDA_VISIBLE_DEVICES", "CUDA_DEVICE_ORDER", "PYTORCH_CUDA_ALLOC_CONF",
    "PYTORCH_NVML_BASED_CUDA_CHECK"})
_KEPT_PREFIXES = ("LC_",)


def confine(isolation: Isolation, staging: str) -> str:
    """Become the sandbox's unprivileged worker; return the folder to work in."""
    workdir = prepare_environment(isolation, staging)
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
    elif isolation.root:  # the grader refuses first (Isolation.require); never root code
        raise PermissionError(errno.EPERM, "no uid of the sandbox's own to drop to")
    # Whatever identity is left (an ordinary user's without a user namespace), it keeps
    # no capability.
    kernel.clear_capabilities()
    kernel.no_new_privileges()
    return workdir


# The folder this process's environment was set up for (prepare_environment), if any.
_environment_for: str | None = None


def prepare_environment(isolation: Isolation, staging: str) -> str:
    """Set up the environment a worker runs in, and return the folder to work in: only
    the variables kept, HOME, the temporary and cache folders inside that folder. The
    zygote does it before forking its first worker, each worker inheriting it; done once
    for a folder, so that `confine` in the worker only checks."""
    global _environment_for
    workdir = isolation.workdir or staging
    if _environment_for == workdir:
        return workdir
    _clean_environment()
    os.environ.update(HOME=workdir, TMPDIR=workdir, TEMP=workdir, TMP=workdir)
    for variable, relative in _CACHE_VARIABLES.items():
        os.environ[variable] = os.path.join(workdir, relative)
    import tempfile

    tempfile.tempdir = workdir  # the grader's choice is cached there
    _environment_for = workdir
    return workdir


def _clean_environment() -> None:
    """Keep only _KEPT_VARIABLES of the environment, and wipe the environment this
    process started with, which /proc/self/environ would still show."""
    kept = {name: value for name, value in os.environ.items()
            if name in _KEPT_VARIABLES or name.startswith(_KEPT_PREFIXES)}
    os.environ.clear()
    os.environ.update(kept)  # copies, which the C library keeps apart from the original
    _wipe_initial_environment()


def _wipe_initial_environment() -> None:
    try:
        with open("/proc/self/stat", "rb") as stat:
            fields = stat.read().rsplit(b")", 1)[1].split()
        start, end = int(fields[47]), int(fields[48])  # env_start, env_end: proc(5) 50, 51
    except (OSError, IndexError, ValueError):
        return
    if 0 < start < end:
        import ctypes

        ctypes.memset(start, 0, end - start)
