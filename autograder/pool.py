"""The grader's side of the student workers: start them cheaply, time them out, replace them.

A small "zygote" process is forked as soon as the grader has imported torch, before it
loads the hidden suites, the reference solutions or any CUDA state. Every worker is then
forked from the zygote: a worker starts in milliseconds, with torch already imported,
and with nothing of the grading side in its memory.
"""

from __future__ import annotations

import json
import os
import resource
import select
import signal
import socket
import struct
import sys
import threading
import time
from dataclasses import dataclass
from typing import Any

from autograder import protocol, sandbox
from autograder.sandbox import limits

OUTPUT_LIMIT_BYTES = 64 * 2**10  # what one call may print before it is cut
_OUTPUT_LIMIT_TEXT = "64 KiB"
# What the grader reads of a worker's output after a call at most (the rest is dropped
# as it comes): a child that keeps printing cannot hold the grader in the read.
_OUTPUT_DRAIN_BYTES = 64 * 2**20


class WorkerFailure(Exception):
    """A worker did not answer: it timed out, exited, crashed or spoke nonsense.

    `kind` is "timeout", "exit" or "protocol"; `detail` is plain data for the message.
    """

    def __init__(self, kind: str, detail: dict[str, Any]):
        super().__init__(kind, detail)
        self.kind = kind
        self.detail = detail


@dataclass
class _Worker:
    pid: int  # as the zygote sees it: in the sandbox's pid namespace, not the grader's
    sock: socket.socket
    output: _OutputPipe
    generation: int
    warming: bool = False  # it says "ready" once warm, before its first answer
    host_pid: int | None = None  # as the grader sees it (/proc/<host_pid>), when known


@dataclass
class Reply:
    """A worker's answer to one request, with what the student's code printed meanwhile."""

    message: protocol.Message
    output: str

    @property
    def body(self) -> Any:
        return self.message.body


def lane_of(device: str | None) -> str:
    """Which worker serves a device: one per device type, so each can be warmed up apart."""
    return "cpu" if device is None else device.split(":")[0]


# How long a worker may take to warm up before its first request counts against a timeout.
_WARM_UP_SECONDS = 120.0


class WorkerPool:
    """Runs requests in student workers, one at a time, replacing a worker when it fails.

    Each lane (see lane_of) has at most one live worker.
    """

    def __init__(self, workdir: str, *, memory_limit: int | None = None, lang: str = "en",
                 sandbox: sandbox.Plan | None = None):
        """`sandbox`: how to isolate the workers (see autograder.sandbox); None for none.

        `isolation` then says which layers the zygote could set up.
        """
        self.workdir = workdir
        self.memory_limit = memory_limit
        self.lang = lang  # for the note that a call's output was cut
        self.sandbox = sandbox  # a zygote made again enters the same sandbox
        self._control, zygote_end = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        # The zygote names each worker it forks in the credentials of its answer, which
        # the kernel translates into the grader's pid namespace.
        self._control.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
        self._zygote_pid = os.fork()
        if self._zygote_pid == 0:  # pragma: no cover - runs in the zygote
            self._control.close()
            _zygote_main(zygote_end, sandbox)
        zygote_end.close()
        self._isolation: sandbox.Isolation | None = None
        self._workers: dict[str, _Worker] = {}
        self._spawned = 0
        self._warm: set[str] = set()

    @property
    def isolation(self) -> sandbox.Isolation:
        """The layers the zygote set up: its first message, read when first needed (it
        enters the sandbox while the grader gets ready)."""
        if self._isolation is None:
            self._isolation = _receive_isolation(self._control)
        return self._isolation

    def warm(self, lane: str) -> None:
        """Start the lane's worker now, warming it up while the grader gets ready.

        A CUDA worker initialises CUDA (seconds); meta kernels import torch._dynamo on
        first use (most of a second). A warmed worker pays that in the background, in
        parallel with the grader's own start-up, and a replacement pays it again before
        its first call's timeout starts.
        """
        self._warm.add(lane)
        if lane not in self._workers:
            self._spawn(lane)

    def worker_generation(self, device: str | None = None) -> int | None:
        """Which worker serves `device` now (a new number after each replacement), or None."""
        worker = self._workers.get(lane_of(device))
        return worker.generation if worker is not None else None

    def request(self, body: dict[str, Any], *, timeout: float, device: str | None = None) -> Reply:
        """Send one request and wait at most `timeout` seconds for its answer."""
        lane = lane_of(device)
        worker = self._workers.get(lane) or self._spawn(lane)
        try:
            if worker.warming:
                protocol.receive(worker.sock, deadline=time.monotonic() + _WARM_UP_SECONDS)
                worker.warming = False
            deadline = time.monotonic() + timeout
            worker.sock.settimeout(timeout)
            protocol.send(worker.sock, body, device=device)
            message = protocol.receive(worker.sock, deadline=deadline)
        except TimeoutError:
            output, _ = self._discard(worker)
            raise WorkerFailure("timeout", {"seconds": timeout, "output": output}) from None
        except (protocol.ConnectionClosed, BrokenPipeError, ConnectionResetError):
            output, status = self._discard(worker)
            raise WorkerFailure("exit", {**status, "output": output}) from None
        except protocol.ProtocolError as error:
            output, _ = self._discard(worker)
            raise WorkerFailure("protocol", {"reason": str(error), "output": output}) from None
        return Reply(message, worker.output.take(self.lang))

    def restart(self, device: str | None = None) -> None:
        """Discard the worker serving `device`; the next request starts a fresh one."""
        worker = self._workers.get(lane_of(device))
        if worker is not None:
            self._discard(worker)

    def close(self) -> None:
        for worker in list(self._workers.values()):
            self._discard(worker)
        if self._control.fileno() >= 0:
            if self._isolation is None:  # no worker ever started: the level is still said
                try:
                    self.isolation  # noqa: B018
                except (OSError, RuntimeError, ValueError):
                    self._isolation = sandbox.Isolation(
                        mode="auto", missing={layer: "?" for layer in sandbox.LAYERS})
            self._control.close()  # the zygote sees end of stream and exits
            _wait_quietly(self._zygote_pid)

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- workers ---------------------------------------------------------------------

    def _spawn(self, lane: str) -> _Worker:
        self.isolation  # noqa: B018 - the zygote's first message comes before any pid
        self._spawned += 1
        output = _OutputPipe()
        grader_end, worker_end = socket.socketpair()
        warm = lane in self._warm
        settings = {"op": "spawn", "workdir": self.workdir,
                    "memory_limit": self.memory_limit, "warm": lane if warm else None}
        try:
            socket.send_fds(self._control, [json.dumps(settings).encode()],
                            [worker_end.fileno(), output.write_end])
            pid, host_pid = _receive_spawned(self._control)
        finally:
            worker_end.close()
            output.close_write_end()
        self._workers[lane] = _Worker(pid, grader_end, output, self._spawned, warming=warm,
                                      host_pid=host_pid)
        return self._workers[lane]

    def _discard(self, worker: _Worker) -> tuple[str, dict[str, Any]]:
        """Kill a worker and anything it started; what it printed last, and how it ended."""
        worker.sock.close()
        for lane, live in list(self._workers.items()):
            if live is worker:
                del self._workers[lane]
        # The zygote kills it (its pid is one of the zygote's pid namespace) and collects
        # it: no zombie is left behind, and its exit status is known.
        self._control.send(json.dumps({"op": "reap", "pid": worker.pid}).encode())
        status = json.loads(self._control.recv(4096))
        output = worker.output.take(self.lang)
        worker.output.close()
        return output, status


class _OutputPipe:
    """What a worker and its children print: a pipe that a thread of the grader drains.

    The thread keeps the first OUTPUT_LIMIT_BYTES of each call and drops the rest as it
    comes, so printing never blocks, never fills a disk and never fails in the student's
    code (a file would meet the worker's file size limit): a verdict does not depend on
    what a function prints.
    """

    def __init__(self) -> None:
        self._read_end, self.write_end = os.pipe()
        os.set_blocking(self._read_end, False)
        self._stop_read, self._stop_write = os.pipe()
        self._lock = threading.Lock()
        self._kept = bytearray()
        self._cut = False
        self._open = True
        self._thread = threading.Thread(target=self._drain, daemon=True)
        self._thread.start()

    def close_write_end(self) -> None:
        os.close(self.write_end)

    def take(self, lang: str) -> str:
        """What was printed since the last take, cut at OUTPUT_LIMIT_BYTES with a note.

        Everything the worker wrote before it answered is in the pipe by then: read it
        here rather than wait for the thread.
        """
        with self._lock:
            for _ in range(_OUTPUT_DRAIN_BYTES // 2**16):
                if not self._read_once():
                    break
            data, cut = bytes(self._kept), self._cut
            self._kept.clear()
            self._cut = False
        text = data.decode("utf-8", errors="replace")
        if cut:
            from autograder.messages import render

            text += "\n" + render("output_cut", lang, limit=_OUTPUT_LIMIT_TEXT)
        return text

    def close(self) -> None:
        if self._open:
            self._open = False
            os.write(self._stop_write, b"x")
            self._thread.join()
            for fd in (self._read_end, self._stop_read, self._stop_write):
                os.close(fd)

    def _drain(self) -> None:
        poller = select.poll()
        poller.register(self._read_end, select.POLLIN)
        poller.register(self._stop_read, select.POLLIN)
        while True:
            ready = {fd for fd, _event in poller.poll()}
            if self._stop_read in ready:
                return
            with self._lock:
                if self._read_once() is None:
                    poller.unregister(self._read_end)  # every writer is gone

    def _read_once(self) -> bool | None:
        """Read one chunk, keeping what fits: True when one was read, False when none is
        there for now, None at the end of the stream."""
        try:
            data = os.read(self._read_end, 2**16)
        except BlockingIOError:
            return False
        if not data:
            return None
        room = OUTPUT_LIMIT_BYTES - len(self._kept)
        self._kept += data[:max(room, 0)]
        self._cut = self._cut or len(data) > room
        return True


_CREDENTIALS = struct.Struct("iII")  # struct ucred: pid, uid, gid


def _receive_spawned(control: socket.socket) -> tuple[int, int | None]:
    """The zygote's answer to "spawn": the worker's pid for the zygote, and for us."""
    data, ancillary, _flags, _address = control.recvmsg(4096,
                                                        socket.CMSG_SPACE(_CREDENTIALS.size))
    answer = json.loads(data)
    host_pid = answer.get("host_pid")  # said outright where there is no pid namespace
    for level, kind, value in ancillary:
        if (level, kind) == (socket.SOL_SOCKET, socket.SCM_CREDENTIALS) and host_pid is None:
            host_pid = _CREDENTIALS.unpack(value[:_CREDENTIALS.size])[0]
    return int(answer["pid"]), host_pid


def _send_spawned(control: socket.socket, pid: int) -> None:
    """Answer "spawn" with the worker's pid, in the payload and as the sender's pid of the
    message's credentials (allowed to a pid namespace's init, and to root)."""
    credentials = _CREDENTIALS.pack(pid, os.getuid(), os.getgid())
    try:
        control.sendmsg([json.dumps({"pid": pid}).encode()],
                        [(socket.SOL_SOCKET, socket.SCM_CREDENTIALS, credentials)])
    except PermissionError:  # an ordinary user outside any namespace: the same pids
        control.send(json.dumps({"pid": pid, "host_pid": pid}).encode())


def _receive_isolation(control: socket.socket) -> sandbox.Isolation:
    data = control.recv(65536)
    if not data:
        raise RuntimeError("the workers' zygote ended before it was ready")
    return sandbox.Isolation.from_dict(json.loads(data))


def _zygote_main(control: socket.socket,
                 plan: sandbox.Plan | None) -> None:  # pragma: no cover - in the zygote
    """Enter the sandbox, then fork a worker for each request on `control`; exit when the
    grader goes away."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the grader to handle
    status = 0
    try:
        # Everything a worker runs of the package, imported while its files are visible.
        from autograder import worker  # noqa: F401

        isolation = sandbox.isolate(plan)
        control.send(json.dumps(isolation.to_dict()).encode())
        # As the pid namespace's init, it can see and stop all the submission's processes.
        watch = limits.MemoryWatch(0) if isolation.has("pid") else None
        workers: set[int] = set()
        while True:
            if watch is not None:
                _reap_orphans(workers)  # the submission's, now the init's children
                if watch.limit and not select.select([control], [], [],
                                                     limits.WATCH_INTERVAL)[0]:
                    watch.check(workers)
                    continue
            data, fds, _flags, _address = socket.recv_fds(control, 65536, 2)
            if not data:
                break
            request = json.loads(data)
            if request["op"] == "spawn":
                if watch is not None:
                    watch.limit = request.get("memory_limit") or 0
                pid = os.fork()
                if pid == 0:
                    control.close()
                    _worker_main(fds[0], fds[1], request, isolation)
                for fd in fds:
                    os.close(fd)
                workers.add(pid)
                _send_spawned(control, pid)
            elif request["op"] == "reap":
                _kill_group(request["pid"])
                ending = _exit_status(request["pid"])
                workers.discard(request["pid"])
                if watch is not None and request["pid"] in watch.killed:
                    watch.killed.discard(request["pid"])
                    ending.update(limit="memory", limit_value=watch.limit)
                control.send(json.dumps(ending).encode())
    except BaseException:
        status = 1
    os._exit(status)


def _reap_orphans(workers: set[int]) -> None:
    """Collect the exited processes that are not workers: they would stay zombies, and
    count against the submission's process limit, until the namespace ends."""
    while True:
        try:
            exited = os.waitid(os.P_ALL, 0, os.WEXITED | os.WNOHANG | os.WNOWAIT)
        except ChildProcessError:
            return
        if exited is None or exited.si_pid in workers:
            return  # a worker's status is for the grader's "reap"
        os.waitpid(exited.si_pid, 0)


def _kill_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _exit_status(pid: int) -> dict[str, Any]:
    try:
        _, wait_status = os.waitpid(pid, 0)
    except ChildProcessError:
        return {"code": None, "signal": None}
    if os.WIFSIGNALED(wait_status):
        number = os.WTERMSIG(wait_status)
        return {"code": None, "signal": signal.Signals(number).name}
    return {"code": os.WEXITSTATUS(wait_status), "signal": None}


def _worker_main(fd: int, output: int, settings: dict[str, Any],
                 isolation: sandbox.Isolation) -> None:  # pragma: no cover - in a worker
    """Become a student worker: own session, captured output, limits, then serve."""
    status = 0
    try:
        os.setsid()  # its own process group, so a kill takes its children too
        import faulthandler

        faulthandler.disable()  # a crash is reported by its exit status, not on our stderr
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        _capture_output(output)
        _close_inherited_files(keep=fd)  # under the descriptor limit of the grader's
        limits.apply(settings.get("memory_limit"), whole_submission=isolation.has("user"))
        workdir = sandbox.confine(isolation, settings["workdir"])
        os.chdir(workdir)
        sock = socket.socket(fileno=fd)
        # OpenMP's thread pool does not survive a fork from a process that has used it:
        # a forked worker computing in parallel would hang. Student-sized tensors need no
        # threads anyway.
        import torch

        torch.set_num_threads(1)
        from autograder import worker

        worker.serve(sock, workdir, warm=settings.get("warm"))
    except BaseException:
        status = 70
    finally:
        os._exit(status)


def _capture_output(output: int) -> None:
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.dup2(output, 1)
    os.dup2(output, 2)
    os.close(output)
    os.close(devnull)
    # Fresh text streams on the new descriptors, whatever the grader had in their place.
    sys.stdout = sys.__stdout__ = open(1, "w", encoding="utf-8", errors="replace",
                                       closefd=False)
    sys.stderr = sys.__stderr__ = open(2, "w", encoding="utf-8", errors="replace",
                                       closefd=False)
    sys.stdin = sys.__stdin__ = open(0, encoding="utf-8", closefd=False)


def _close_inherited_files(keep: int) -> None:
    """Close every descriptor the grading side had open, but the worker's own socket.

    Student code must find no channel to the grader but the one it answers on: not a
    pipe the grading process reports on, not a file it writes.
    """
    top = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    top = top if 0 < top < 2**20 else 2**16
    os.closerange(3, keep)
    os.closerange(keep + 1, top)


def _wait_quietly(pid: int) -> None:
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass
