"""A seccomp filter that keeps a worker's signals away from the grader and the zygote.

A worker runs as the same user as the grader, so the kernel would let it stop, kill or
interrupt them (kill(getppid(), SIGKILL), SIGSTOP to the grader, SIGINT that reads as a
Ctrl-C). Installed in the worker before any student code runs, and inherited by
everything the worker starts (execve included), this filter refuses with EPERM:

- kill, tgkill, rt_sigqueueinfo and rt_tgsigqueueinfo aimed at a protected process (its
  pid, any of its thread ids, or its process group), and kill(-1), which signals every
  process of the user;
- tkill, pidfd_open/pidfd_send_signal/pidfd_getfd, ptrace and process_vm_readv/writev,
  which student code has no use for;
- fcntl F_SETOWN/F_SETOWN_EX and ioctl FIOSETOWN/SIOCSPGRP, which would have a socket's
  SIGIO delivered to a protected process.

Signals among the worker's own processes still work (multiprocessing, subprocess).
Only x86_64 and aarch64 Linux are covered; elsewhere `install` returns False.
"""

from __future__ import annotations

import ctypes
import os
import platform
import struct
from collections.abc import Iterable

# (audit arch, {syscall: number}) per machine, from the kernel's syscall tables.
_ARCHES = {
    "x86_64": (0xC000003E, {
        "kill": 62, "tkill": 200, "tgkill": 234, "rt_sigqueueinfo": 129,
        "rt_tgsigqueueinfo": 297, "ptrace": 101, "process_vm_readv": 310,
        "process_vm_writev": 311, "pidfd_send_signal": 424, "pidfd_open": 434,
        "pidfd_getfd": 438, "fcntl": 72, "ioctl": 16}),
    "aarch64": (0xC00000B7, {
        "kill": 129, "tkill": 130, "tgkill": 131, "rt_sigqueueinfo": 138,
        "rt_tgsigqueueinfo": 240, "ptrace": 117, "process_vm_readv": 270,
        "process_vm_writev": 271, "pidfd_send_signal": 424, "pidfd_open": 434,
        "pidfd_getfd": 438, "fcntl": 25, "ioctl": 29}),
}
_X32_BIT = 0x40000000  # x86_64's x32 ABI: the same calls under other numbers

_DENIED = ("tkill", "ptrace", "process_vm_readv", "process_vm_writev",
           "pidfd_send_signal", "pidfd_open", "pidfd_getfd")
_F_SETOWN, _F_SETOWN_EX = 8, 15
_FIOSETOWN, _SIOCSPGRP = 0x8901, 0x8902

# Classic BPF, as seccomp runs it.
_LD_W_ABS, _JEQ_K, _JGE_K, _RET_K = 0x20, 0x15, 0x35, 0x06
_RET_ALLOW = 0x7FFF0000
_RET_EPERM = 0x00050000 | 1
_NR, _ARCH = 0, 4  # offsets in struct seccomp_data


def _arg(index: int) -> int:
    """Offset of the low 32 bits of argument `index` (pids and commands are 32-bit)."""
    return 16 + 8 * index


def protected_ids(pids: Iterable[int]) -> set[int]:
    """What a signal may not be aimed at: each process, its threads and its group."""
    ids = {-1}
    for pid in pids:
        ids.add(pid)
        try:
            ids.update(int(tid) for tid in os.listdir(f"/proc/{pid}/task"))
            ids.add(-os.getpgid(pid))
        except OSError:
            pass
        ids.add(-pid)
    return ids


def build_filter(arch: str, protected: set[int]) -> list[tuple[int, int, int, int]]:
    """The filter program, as (code, jump if true, jump if false, constant) rows."""
    audit_arch, numbers = _ARCHES[arch]
    rows: list[tuple[int, object, object, int]] = [
        (_LD_W_ABS, 0, 0, _ARCH), (_JEQ_K, 0, "deny", audit_arch), (_LD_W_ABS, 0, 0, _NR)]
    if arch == "x86_64":
        rows.append((_JGE_K, "deny", 0, _X32_BIT))
    for name in _DENIED:
        rows.append((_JEQ_K, "deny", 0, numbers[name]))
    values = sorted(value & 0xFFFFFFFF for value in protected)
    checked = [("kill", 0, values), ("tgkill", 0, values), ("rt_sigqueueinfo", 0, values),
               ("rt_tgsigqueueinfo", 0, values), ("fcntl", 1, [_F_SETOWN, _F_SETOWN_EX]),
               ("ioctl", 1, [_FIOSETOWN, _SIOCSPGRP])]
    for name, index, refused in checked:
        # if nr == name: load the argument; deny on any refused value, else allow
        rows.append((_JEQ_K, 0, len(refused) + 2, numbers[name]))
        rows.append((_LD_W_ABS, 0, 0, _arg(index)))
        rows += [(_JEQ_K, "deny", 0, value) for value in refused]
        rows.append((_RET_K, 0, 0, _RET_ALLOW))
    rows.append((_RET_K, 0, 0, _RET_ALLOW))
    deny = len(rows)
    rows.append((_RET_K, 0, 0, _RET_EPERM))
    return [(code, _jump(jt, at, deny), _jump(jf, at, deny), k)
            for at, (code, jt, jf, k) in enumerate(rows)]


def _jump(target: object, at: int, deny: int) -> int:
    offset = deny - at - 1 if target == "deny" else int(target)
    if not 0 <= offset <= 255:
        raise ValueError("filter too long for a jump")
    return offset


def install(pids: Iterable[int]) -> bool:
    """Install the filter in this process, protecting `pids`; False where unsupported."""
    arch = platform.machine()
    if arch not in _ARCHES or not hasattr(ctypes, "CDLL"):
        return False
    pids = list(pids)
    try:
        rows = build_filter(arch, protected_ids(pids))
    except ValueError:  # threads beyond count: the processes and their groups still
        rows = build_filter(arch, {-1, *pids, *(-pid for pid in pids)})
    return load(rows)


def load(rows: list[tuple[int, int, int, int]]) -> bool:
    """Install a filter program of (code, jump if true, jump if false, constant) rows in
    this process (with no_new_privs, which it needs); False where the kernel refuses."""
    program = b"".join(struct.pack("HBBI", *row) for row in rows)
    buffer = ctypes.create_string_buffer(program, len(program))

    class _Program(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

    fprog = _Program(len(rows), ctypes.addressof(buffer))
    libc = ctypes.CDLL(None, use_errno=True)
    pr_set_no_new_privs, pr_set_seccomp, seccomp_mode_filter = 38, 22, 2
    if libc.prctl(pr_set_no_new_privs, 1, 0, 0, 0) != 0:
        return False
    return libc.prctl(pr_set_seccomp, seccomp_mode_filter, ctypes.byref(fprog), 0, 0) == 0
