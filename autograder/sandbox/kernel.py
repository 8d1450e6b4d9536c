"""The kernel's own facilities, called through libc: namespaces, mounts, capabilities.

Python 3.11 has no os.unshare and no binding for mount(2), pivot_root(2),
mount_setattr(2), capset(2) or prctl(2); these thin wrappers raise OSError as os does.
"""

from __future__ import annotations

import ctypes
import os

_libc = ctypes.CDLL(None, use_errno=True)

CLONE_NEWNS = 0x00020000
CLONE_NEWUTS = 0x04000000
CLONE_NEWIPC = 0x08000000
CLONE_NEWUSER = 0x10000000
CLONE_NEWPID = 0x20000000
CLONE_NEWNET = 0x40000000

MS_RDONLY = 0x1
MS_NOSUID = 0x2
MS_NODEV = 0x4
MS_NOEXEC = 0x8
MS_REMOUNT = 0x20
MS_BIND = 0x1000
MS_REC = 0x4000
MS_PRIVATE = 0x40000
MNT_DETACH = 0x2

_AT_FDCWD = -100
_AT_RECURSIVE = 0x8000
MOUNT_ATTR_RDONLY = 0x1
MOUNT_ATTR_NOSUID = 0x2
_SYS_PIVOT_ROOT = 155  # x86_64; aarch64 uses 41
_SYS_MOUNT_SETATTR = 442  # the same on every architecture

_PR_CAPBSET_DROP = 24
_PR_SET_SECUREBITS = 28
_PR_SET_NO_NEW_PRIVS = 38
_PR_CAP_AMBIENT = 47
_PR_CAP_AMBIENT_CLEAR_ALL = 4
# uid 0 gets no capability from execve, and neither that nor KEEP_CAPS (off) can be
# changed. NO_SETUID_FIXUP stays off: a change of uid from 0 must clear the capabilities.
_SECURE_BITS = 0x1 | 0x2 | 0x8 | 0x20


def _check(result: int, what: str) -> None:
    if result != 0:
        number = ctypes.get_errno()
        raise OSError(number, f"{what}: {os.strerror(number)}")


def unshare(flags: int) -> None:
    _check(_libc.unshare(ctypes.c_int(flags)), "unshare")


def mount(source: str | None, target: str, fstype: str | None, flags: int = 0,
          data: str | None = None) -> None:
    def encode(text: str | None) -> bytes | None:
        return None if text is None else os.fsencode(text)

    _check(_libc.mount(encode(source), encode(target), encode(fstype),
                       ctypes.c_ulong(flags), encode(data)), f"mount {target}")


def umount(target: str, flags: int = 0) -> None:
    _check(_libc.umount2(os.fsencode(target), ctypes.c_int(flags)), f"umount {target}")


def pivot_root(new_root: str, put_old: str) -> None:
    import platform

    number = 41 if platform.machine() == "aarch64" else _SYS_PIVOT_ROOT
    _check(_libc.syscall(ctypes.c_long(number), os.fsencode(new_root), os.fsencode(put_old)),
           "pivot_root")


class _MountAttr(ctypes.Structure):
    _fields_ = [("attr_set", ctypes.c_uint64), ("attr_clr", ctypes.c_uint64),
                ("propagation", ctypes.c_uint64), ("userns_fd", ctypes.c_uint64)]


def make_tree_read_only(path: str) -> None:
    """Every mount at and under `path` read-only and nosuid (mount_setattr, Linux 5.12+)."""
    attr = _MountAttr(MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID, 0, 0, 0)
    _check(_libc.syscall(ctypes.c_long(_SYS_MOUNT_SETATTR), ctypes.c_int(_AT_FDCWD),
                         os.fsencode(path), ctypes.c_uint(_AT_RECURSIVE),
                         ctypes.byref(attr), ctypes.c_size_t(ctypes.sizeof(attr))),
           "mount_setattr")


def _prctl(option: int, argument: int = 0) -> None:
    _check(_libc.prctl(ctypes.c_int(option), ctypes.c_ulong(argument), ctypes.c_ulong(0),
                       ctypes.c_ulong(0), ctypes.c_ulong(0)), f"prctl {option}")


def no_new_privileges() -> None:
    """No execve can grant privileges again (set-uid files, file capabilities)."""
    _prctl(_PR_SET_NO_NEW_PRIVS, 1)


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32),
                ("inheritable", ctypes.c_uint32)]


def drop_bounding_set() -> None:
    """No capability can ever be gained again, whatever runs later (needs CAP_SETPCAP)."""
    with open("/proc/sys/kernel/cap_last_cap", "rb") as stream:  # no codec to import
        last = int(stream.read())
    for capability in range(last + 1):
        _prctl(_PR_CAPBSET_DROP, capability)
    _prctl(_PR_CAP_AMBIENT, _PR_CAP_AMBIENT_CLEAR_ALL)
    _prctl(_PR_SET_SECUREBITS, _SECURE_BITS)


def clear_capabilities() -> None:
    """Empty the effective, permitted and inheritable capability sets."""
    header = _CapHeader(0x20080522, 0)
    data = (_CapData * 2)()
    _check(_libc.capset(ctypes.byref(header), data), "capset")


_PR_SET_PDEATHSIG = 1


def set_parent_death_signal(number: int) -> None:
    _prctl(_PR_SET_PDEATHSIG, number)
