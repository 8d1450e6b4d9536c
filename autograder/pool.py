"""The grader's side of the student workers: start them cheaply, time them out, replace them.

A small "zygote" process is forked as soon as the grader has imported torch, before it
loads the hidden suites, the reference solutions or any CUDA state. Every worker is then
forked from the zygote: a worker starts in milliseconds, with torch already imported,
and with nothing of the grading side in its memory.
"""

from __future__ import annotations

import dataclasses
import faulthandler
import gc
import json
import math
import os
import resource
import select
import signal
import socket
import struct
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from autograder import forks, protocol, sandbox
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
class _Zygote:
    """A process that forks workers, and the grader's end of its control channel."""

    pid: int  # as the grader sees it
    control: socket.socket
    parent: _Zygote | None = None  # the ZygoteFactory's process, which forked it
    host_pid: int | None = None  # as the grader sees it (/proc/<host_pid>), when known
    # What to do with the answers to requests sent without waiting for them, in order.
    awaiting: list[Callable[[dict[str, Any]], None]] = field(default_factory=list)
    lost: bool = False


@dataclass
class _Worker:
    pid: int  # as its zygote sees it: in the sandbox's pid namespace, not the grader's
    sock: socket.socket
    output: _OutputPipe
    generation: int
    warming: bool = False  # it says "ready" once warm, before its first answer
    module: str | None = None  # the one exercise module this worker serves
    zygote: _Zygote | None = None  # which zygote forked it, and will reap it
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
    """Which worker serves a device: one worker serves a module on the CPU and on the
    simulated GPU of the placement lane (autograder.placement), another on the GPU,
    whose context each CUDA worker must create itself."""
    kind = "cpu" if device is None else device.split(":")[0]
    return "cpu" if kind == "placement" else kind


# Lanes whose one-time costs a zygote can pay for all its workers (and a ZygoteFactory
# for all its zygotes): none has any today (the simulated GPU costs nothing to start).
# Not CUDA: a CUDA context does not survive a fork.
_ZYGOTE_WARM_UPS: tuple[str, ...] = ()
# How long a worker may take to warm up before its first request counts against a timeout.
_WARM_UP_SECONDS = 120.0
# How long the zygote may take to answer (a fork takes milliseconds); past this it is
# taken for stopped or dead, killed and replaced.
_ZYGOTE_SECONDS = 10.0
# How long a replacement zygote, a fresh interpreter, may take to import torch.
_ZYGOTE_START_SECONDS = 120.0


def wall_limit(timeout: float) -> float:
    """The wall-clock backstop of a call whose CPU time may reach `timeout` seconds:
    generous, so that only a call that waits (sleep, input, a lock) ever meets it."""
    return 3 * timeout + 10


class _Stopped(Exception):
    def __init__(self, limit: str):
        super().__init__(limit)
        self.limit = limit


def _wait_for_answer(worker: _Worker, cpu_limit: float, wall_end: float,
                     wall_kind: str) -> str | None:
    """Wait until the worker starts answering; the limit it ran into, or None.

    Its CPU time is read from /proc (with the children it has collected); where there
    is no /proc, the wall clock alone counts, `cpu_limit` seconds of it.
    """
    import select

    # Only the grader's own view of the pid names the worker in the grader's /proc.
    cpu_start = _cpu_seconds(worker.host_pid) if worker.host_pid else None
    if cpu_start is None:
        wall_end, wall_kind = min(wall_end, time.monotonic() + cpu_limit), "cpu"
    waiting = select.poll()
    waiting.register(worker.sock, select.POLLIN)
    poll = 0.001
    # No process uses more CPU time than the wall time that passed on every core: its
    # CPU time is worth reading only from then on (most calls answer well before), and
    # until then only the answer or the wall clock ends the wait. A wake-up for nothing
    # costs the grader a switch in and out on a busy machine.
    cpu_possible = time.monotonic() + cpu_limit / (os.cpu_count() or 1)
    while True:
        now = time.monotonic()
        remaining = wall_end - now
        if remaining <= 0:
            return wall_kind
        wait = min(cpu_possible - now if now < cpu_possible else poll, remaining)
        if waiting.poll(1000 * wait):  # data, end of stream or error
            return None
        if now < cpu_possible:
            continue
        poll = min(poll * 2, 0.05)  # from then on, checked ever less often
        used = _cpu_seconds(worker.host_pid) if worker.host_pid else None
        if cpu_start is not None and used is not None and used - cpu_start > cpu_limit:
            return "cpu"


def _cpu_seconds(pid: int) -> float | None:
    """CPU time of a process and its collected children, in seconds (None: unknown)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            fields = stat.read().rsplit(b")", 1)[1].split()
    except (OSError, IndexError):
        return None
    # utime, stime, cutime, cstime: fields 14-17 of proc(5), counted after the name
    return sum(int(f) for f in fields[11:15]) / _CLOCK_TICKS


_CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


class _ZygoteLost(Exception):
    """The zygote did not answer: it died, was stopped or spoke nonsense."""


class WorkerPool:
    """Runs requests in student workers, one at a time, replacing a worker when it fails.

    Each lane (see lane_of) has at most one live worker, and a worker serves one exercise
    module: nothing one module does to torch's global state (default dtype, grad mode,
    a patched function) reaches another's tests. The CUDA lane keeps a spare worker
    warming up, so that switching modules costs a fork, not a warm-up.
    """

    def __init__(self, workdir: str, *, memory_limit: int | None = None, lang: str = "en",
                 sandbox: sandbox.Plan | None = None, factory: ZygoteFactory | None = None):
        """`sandbox`: how to isolate the workers (see autograder.sandbox); None for none.
        `factory`: where the zygote comes from when many submissions are graded in one
        process (see ZygoteFactory); by default it is forked from this process, which
        must not hold any of the grading side yet.

        `isolation` then says which layers the zygote could set up.
        """
        self.workdir = workdir
        self.memory_limit = memory_limit
        self.lang = lang  # for the note that a call's output was cut
        self.sandbox = sandbox  # a zygote made again enters the same sandbox
        self._factory = factory
        if factory is not None:
            self._zygote = factory.fork_zygote(sandbox)
        else:
            self._zygote = _forked(lambda end: _zygote_main(end, sandbox))
        self._isolation: sandbox.Isolation | None = None
        self.zygotes_replaced = 0
        self._workers: dict[str, _Worker] = {}
        self._spares: dict[str, _Worker] = {}
        self._spawned = 0
        self._warm: set[str] = set()

    @property
    def _zygote_pid(self) -> int | None:
        return None if self._zygote.lost else self._zygote.pid

    @property
    def isolation(self) -> sandbox.Isolation:
        """The layers the zygote set up: its first message, read when first needed (it
        enters the sandbox while the grader gets ready)."""
        return self._read_isolation(_ZYGOTE_START_SECONDS)

    def _read_isolation(self, seconds: float) -> sandbox.Isolation:
        if self._isolation is None:
            try:
                self._zygote.control.settimeout(seconds)
                self._isolation = _receive_isolation(self._zygote.control)
                if self.sandbox is not None:  # a replacement needs no probe, and no less
                    self.sandbox.machine = self._isolation.machine
            except (OSError, RuntimeError, ValueError):
                # A zygote that never said (it was killed, or stopped): nothing is known.
                self._isolation = sandbox.Isolation(
                    mode=self.sandbox.mode if self.sandbox else "off",
                    missing={layer: "?" for layer in sandbox.LAYERS} if self.sandbox else {})
        return self._isolation

    def warm(self, device: str) -> None:
        """Warm the device up now, while the grader gets ready.

        A lane of _ZYGOTE_WARM_UPS is warmed up by the zygote, once, before it forks the
        first worker, and every worker inherits it (a zygote from a ZygoteFactory has it
        already). A CUDA context does not survive a fork: a CUDA worker initialises CUDA
        itself (seconds), in the background, and a spare one warms up while another
        serves, so that neither a replacement nor a switch to another module pays it
        inside a call's timeout.
        """
        self._warm.add(device)
        if device in _ZYGOTE_WARM_UPS:
            self._warm_zygote(self._main_zygote(), device)
            return
        lane = lane_of(device)
        if lane not in self._workers:
            self._spawn(lane)
        if lane not in self._spares:  # for the next module, warming up in parallel
            self._spares[lane] = self._spawn(lane, spare=True)

    def worker_generation(self, device: str | None = None) -> int | None:
        """Which worker serves `device` now (a new number after each replacement), or None."""
        worker = self._workers.get(lane_of(device))
        return worker.generation if worker is not None else None

    def request(self, body: dict[str, Any], *, timeout: float, device: str | None = None,
                stop_at: float | None = None) -> Reply:
        """Send one request and wait for its answer.

        `timeout` counts the worker's CPU time, so that a loaded machine fails no honest
        call; a call that waits (sleep, input) is stopped by the wall clock after
        wall_limit(timeout). `stop_at` (a time.monotonic() value) stops it earlier: the
        whole submission's deadline. A WorkerFailure "timeout" says which limit was hit
        in detail["limit"]: "cpu", "wall" or "deadline".
        """
        lane = lane_of(device)
        worker = self._worker_for(lane, body.get("module"))
        wall_end = time.monotonic() + wall_limit(timeout)
        # Which limit a TimeoutError means, and its seconds, at each stage.
        limit = ("wall", wall_limit(timeout))
        if stop_at is not None and stop_at < wall_end:
            wall_end, limit = stop_at, ("deadline", timeout)
        try:
            if worker.warming:
                protocol.receive(worker.sock, deadline=min(
                    time.monotonic() + _WARM_UP_SECONDS, stop_at or math.inf))
                worker.warming = False
            worker.sock.settimeout(max(wall_end - time.monotonic(), 1e-3))
            protocol.send(worker.sock, body, device=device)
            hit = _wait_for_answer(worker, timeout, wall_end, limit[0])
            if hit is not None:
                raise _Stopped(hit)
            # Once the answer starts, reading and decoding it get `timeout` seconds.
            if time.monotonic() + timeout < wall_end:
                limit = ("wall", timeout)
            message = protocol.receive(worker.sock, deadline=min(
                wall_end, time.monotonic() + timeout))
        except (TimeoutError, _Stopped) as stopped:
            if isinstance(stopped, _Stopped):
                limit = (stopped.limit, timeout if stopped.limit == "cpu" else limit[1])
            output, _ = self._discard(worker)
            raise WorkerFailure("timeout", {"seconds": limit[1], "limit": limit[0],
                                            "output": output}) from None
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
        """Kill every worker, end the zygotes, remove the scratch folder.

        A second Ctrl-C waits until this is done: nothing is left running.
        """
        interrupts = _defer_interrupts()
        try:
            # Read before the channel closes, for the report; a stopped zygote is not waited for.
            self._read_isolation(_ZYGOTE_SECONDS)
            for worker in [*self._workers.values(), *self._spares.values()]:
                self._discard(worker)
            if not self._zygote.lost:
                self._zygote.lost = True
                self._zygote.control.close()  # the zygote sees end of stream and exits
                if self._zygote.parent is None:
                    _end_process(self._zygote.pid)
                else:  # the factory's child: the factory waits for it
                    self._factory.end(self._zygote)
        finally:
            interrupts()

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- workers ---------------------------------------------------------------------

    def _worker_for(self, lane: str, module: str | None) -> _Worker:
        """The lane's worker for `module`: a fresh one when the live one serves another."""
        worker = self._workers.get(lane)
        if worker is not None and worker.module not in (None, module):
            self._discard(worker, wait=False)  # its exit status is of no interest
            worker = None
        if worker is None:
            worker = self._spares.pop(lane, None)
            if worker is None or not self._resolve(worker):
                worker = self._spawn(lane)
            self._workers[lane] = worker
        worker.module = module
        if self._warmed_by_workers(lane) and lane not in self._spares:
            self._spawn_spare(lane)  # starts up meanwhile, for the next module
        return worker

    def _spawn_spare(self, lane: str) -> None:
        """Ask for a spare worker without waiting for the zygote's answer (its pid)."""
        zygote = self._zygote
        if zygote.lost:
            return
        worker, settings, worker_end = self._new_worker(lane, self._warmed_by_workers(lane))
        try:
            socket.send_fds(zygote.control, [json.dumps(settings).encode()],
                            [worker_end.fileno(), worker.output.write_end])
        except OSError:
            worker.sock.close()
            worker.output.close()
            return
        finally:
            worker_end.close()
            worker.output.close_write_end()
        worker.zygote = zygote
        zygote.awaiting.append(lambda answer: _spawned_as(worker, answer))
        self._spares[lane] = worker

    def _resolve(self, worker: _Worker) -> bool:
        """Make sure the worker's pid is known; False if its zygote was lost meanwhile."""
        if worker.pid:
            return True
        try:
            self._exchange(worker.zygote, None, [], _ZYGOTE_SECONDS)
        except _ZygoteLost:
            self._abandon(worker.zygote)
        if worker.pid and not worker.zygote.lost:
            return True
        worker.sock.close()  # never forked, or its zygote was lost: unusable
        worker.output.close()
        return False

    def _spawn(self, lane: str, spare: bool = False) -> _Worker:
        return self._spawn_from(self._main_zygote(), lane,
                                warm=self._warmed_by_workers(lane), spare=spare)

    def _warmed_by_workers(self, lane: str) -> str | None:
        """The device each of the lane's workers warms up itself (CUDA), if any: one the
        zygote warmed up for them all is not warmed up again in each."""
        return next((device for device in sorted(self._warm)
                     if lane_of(device) == lane and device not in _ZYGOTE_WARM_UPS), None)

    def _new_worker(self, lane: str,
                    warm: str | None) -> tuple[_Worker, dict, socket.socket]:
        """A worker not yet forked: its record, the zygote's request and the socket it gets."""
        self.isolation  # noqa: B018 - the zygote's first message comes before any pid
        self._spawned += 1
        grader_end, worker_end = socket.socketpair()
        # The processes no signal of the worker may reach, as the worker sees them: in a
        # pid namespace the grader and the main zygote are out of its sight already.
        protect = [os.getpid(), self._zygote.pid,
                   *([self._factory.pid] if self._factory is not None else [])]
        settings = {"op": "spawn", "workdir": self.workdir,
                    "memory_limit": self.memory_limit, "warm": warm,
                    "protect": protect}
        worker = _Worker(0, grader_end, _OutputPipe(), self._spawned,
                         warming=warm is not None)
        return worker, settings, worker_end

    def _spawn_from(self, zygote: _Zygote, lane: str, *, warm: str | None,
                    spare: bool) -> _Worker:
        worker, settings, worker_end = self._new_worker(lane, warm)
        try:
            _spawned_as(worker, self._ask_zygote(
                zygote, settings, fds=[worker_end.fileno(), worker.output.write_end]))
        except BaseException:
            worker.sock.close()
            worker.output.close()
            raise
        finally:
            worker_end.close()
            worker.output.close_write_end()
        worker.zygote = self._zygote if zygote.lost else zygote
        if not spare:
            self._workers[lane] = worker
        return worker

    def _discard(self, worker: _Worker, wait: bool = True) -> tuple[str, dict[str, Any]]:
        """Kill a worker and anything it started; what it printed last, and how it ended.

        Without `wait`, its zygote collects it in the background and the status is unknown.
        """
        for workers in (self._workers, self._spares):
            for lane, live in list(workers.items()):
                if live is worker:
                    del workers[lane]
        unknown = {"code": None, "signal": None}
        if not self._resolve(worker):
            return _take_output(worker, self.lang), unknown
        if worker.host_pid:
            _kill_group(worker.host_pid)
        worker.sock.close()
        # Its zygote kills it too (the worker's pid is one of the zygote's pid namespace)
        # and collects it: no zombie is left behind, and its exit status is known.
        request = {"op": "reap", "pid": worker.pid}
        if wait:
            status = self._ask_zygote(worker.zygote, request)
            return _take_output(worker, self.lang), status
        try:
            if not worker.zygote.lost:
                worker.zygote.control.send(json.dumps({**request, "quiet": True}).encode())
        except OSError:
            self._abandon(worker.zygote)
        return _take_output(worker, self.lang), unknown

    # -- the zygotes -----------------------------------------------------------------

    def _ask_zygote(self, zygote: _Zygote, request: dict[str, Any],
                    fds: list[int] = ()) -> dict[str, Any]:
        """Send a zygote one request and return its answer.

        Student code may kill or stop a zygote: every exchange has a timeout, and a
        zygote that does not answer is killed with its workers. The main zygote is then
        replaced and asked again; a zygote already replaced raises _ZygoteLost. A reap
        from a lost zygote answers "status unknown" (the worker was killed).
        """
        if not zygote.lost:
            try:
                return self._exchange(zygote, request, fds, _ZYGOTE_SECONDS)
            except _ZygoteLost:
                self._abandon(zygote)
        if request["op"] == "reap":
            return {"code": None, "signal": None}
        if zygote is not self._zygote:
            raise _ZygoteLost("a replaced zygote was asked")
        return self._exchange(self._main_zygote(), request, fds, _ZYGOTE_SECONDS)

    def _exchange(self, zygote: _Zygote, request: dict[str, Any] | None, fds: list[int],
                  seconds: float) -> dict[str, Any]:
        """Collect the answers still awaited, then send `request` (if any) and answer it."""
        control = zygote.control
        try:
            while zygote.awaiting:  # a warm-up still running delays this answer
                control.settimeout(_WARM_UP_SECONDS)
                zygote.awaiting.pop(0)(_receive_answer(control))
            if request is None:
                return {}
            control.settimeout(seconds)
            socket.send_fds(control, [json.dumps(request).encode()], list(fds))
            answer = _receive_answer(control)
        except (OSError, ValueError, KeyError, TypeError) as error:  # timeout, "" or garbage
            raise _ZygoteLost(str(error)) from None
        if not isinstance(answer, dict):
            raise _ZygoteLost(f"unexpected answer {answer!r}")
        return answer

    def _warm_zygote(self, zygote: _Zygote, lane: str) -> None:
        """Ask the zygote to warm `lane` up for all its workers. It answers once done;
        the next exchange (the first worker's fork) waits for that answer."""
        try:
            zygote.control.send(json.dumps({"op": "warm", "lane": lane}).encode())
        except OSError:
            self._abandon(zygote)
            return
        zygote.awaiting.append(lambda answer: None)

    def _main_zygote(self) -> _Zygote:
        """The main zygote, replaced first if it was lost.

        The replacement is a fresh interpreter rather than a fork of this process,
        which holds the grading side by now.
        """
        if not self._zygote.lost:
            self.isolation  # noqa: B018 - its first message, before any answer
            return self._zygote
        self.zygotes_replaced += 1
        control, zygote_end = _control_channel()
        pid = _exec_zygote(zygote_end, self.sandbox)
        self._zygote = _Zygote(pid, control, host_pid=pid)
        zygote_end.close()
        try:
            control.settimeout(_ZYGOTE_START_SECONDS)
            # It enters the same sandbox as the first, with no layer less.
            replacement = _receive_isolation(control)
            if replacement.refused or not set(self.isolation.reached) <= set(
                    replacement.reached):
                raise RuntimeError("the replacement zygote has fewer layers")
            self._exchange(self._zygote, {"op": "ping"}, [], _ZYGOTE_START_SECONDS)
        except (_ZygoteLost, OSError, RuntimeError, ValueError):
            self._abandon(self._zygote)
            raise RuntimeError("a replacement zygote could not start") from None
        for lane in self._warm & set(_ZYGOTE_WARM_UPS):
            self._warm_zygote(self._zygote, lane)
        return self._zygote

    def _abandon(self, zygote: _Zygote) -> None:
        """Kill a zygote that stopped answering (or is no longer needed) and its workers."""
        zygote.lost = True
        zygote.awaiting.clear()
        main = zygote is self._zygote
        for workers in (self._workers, self._spares):
            for lane, worker in list(workers.items()):
                if main or worker.zygote is zygote:
                    if worker.host_pid:
                        _kill_group(worker.host_pid)
                    worker.sock.close()
                    worker.output.close()
                    del workers[lane]
        zygote.control.close()
        if zygote.host_pid:
            _kill_group(zygote.host_pid, group=False)
        if zygote.parent is None:
            _end_process(zygote.pid)
        else:  # forked by the factory, which collects it
            self._factory.end(zygote)


class ZygoteFactory:
    """A process that forks each submission's zygote, for a grader that grades many.

    A zygote must come from a process that holds nothing of the grading side, and the
    grading process of a class run holds it all after the first student. The factory
    is forked before that: it imports torch and pays the warm-ups of `warm` (see
    _ZYGOTE_WARM_UPS) once, and every submission's zygote it forks inherits them. It is
    never sandboxed itself and runs no student code; each zygote enters its own sandbox,
    as one forked by the grader does.
    """

    def __init__(self, warm: tuple[str, ...] = _ZYGOTE_WARM_UPS):
        self._process = _forked(lambda end: _factory_main(end, warm))

    @property
    def pid(self) -> int:
        return self._process.pid

    def fork_zygote(self, plan: sandbox.Plan | None) -> _Zygote:
        """A new zygote that enters the sandbox `plan` and then serves a WorkerPool."""
        control, zygote_end = _control_channel()
        try:
            socket.send_fds(self._process.control,
                            [json.dumps({"op": "spawn", "zygote": "main",
                                         "plan": _describe_plan(plan)}).encode()],
                            [zygote_end.fileno()])
            self._process.control.settimeout(_ZYGOTE_START_SECONDS)
            answer = _receive_answer(self._process.control)
        except (OSError, ValueError) as error:
            control.close()
            raise RuntimeError(f"the zygote factory did not answer: {error}") from None
        finally:
            zygote_end.close()
        return _Zygote(int(answer["pid"]), control, parent=self._process,
                       host_pid=answer.get("host_pid"))

    def end(self, zygote: _Zygote) -> None:
        """Collect a zygote whose channel was closed: it exits once its workers are gone;
        past a grace of a few seconds it is killed."""
        try:
            self._process.control.settimeout(_ZYGOTE_SECONDS * 2)
            self._process.control.send(json.dumps({"op": "reap", "pid": zygote.pid,
                                                   "grace": 5.0}).encode())
            _receive_answer(self._process.control)
        except (OSError, ValueError):
            pass

    def close(self) -> None:
        self._process.control.close()  # the factory sees end of stream and exits
        _end_process(self._process.pid)

    def __enter__(self) -> ZygoteFactory:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _factory_main(control: socket.socket,
                  warm: tuple[str, ...]) -> None:  # pragma: no cover - in the factory
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the grader to handle
    status = 0
    try:
        # The grader's other channels, kept open here, would hide the grader's end from
        # whoever waits for it.
        _close_inherited_files(keep=control.fileno())
        _prepare_workers()
        for lane in warm:
            _warm_up(lane)
        forks.share_in_huge_pages()  # it forks a zygote per student
        _serve_zygote(control, sandbox.Isolation(mode="off"), None)
    except BaseException:
        status = 1
    os._exit(status)


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


def _send_spawned(control: socket.socket, pid: int) -> None:
    """Answer "spawn" with the worker's pid, in the payload and as the sender's pid of the
    message's credentials (allowed to a pid namespace's init, and to root)."""
    credentials = _CREDENTIALS.pack(pid, os.getuid(), os.getgid())
    try:
        control.sendmsg([json.dumps({"pid": pid}).encode()],
                        [(socket.SOL_SOCKET, socket.SCM_CREDENTIALS, credentials)])
    except PermissionError:  # an ordinary user outside any namespace: the same pids
        control.send(json.dumps({"pid": pid, "host_pid": pid}).encode())


def _spawned_as(worker: _Worker, answer: dict[str, Any]) -> None:
    worker.pid = int(answer["pid"])
    worker.host_pid = answer.get("host_pid")


def _take_output(worker: _Worker, lang: str) -> str:
    output = worker.output.take(lang)
    worker.output.close()
    return output


def _forked(main: Callable[[socket.socket], None]) -> _Zygote:
    """Fork a zygote (or a factory) that runs `main` on its end of a new control channel,
    never to return; the grader keeps the other end."""
    control, child_end = _control_channel()
    pid = forks.fork_frozen()
    if pid == 0:  # pragma: no cover - runs in the child
        control.close()
        main(child_end)
    child_end.close()
    return _Zygote(pid, control, host_pid=pid)


def _control_channel() -> tuple[socket.socket, socket.socket]:
    """A zygote's control channel: the grader's end and the zygote's. The zygote names
    each process it forks in the credentials of its answer, which the kernel translates
    into the grader's pid namespace."""
    control, zygote_end = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    control.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
    return control, zygote_end


def _receive_answer(control: socket.socket) -> dict[str, Any]:
    """A zygote's answer; to "spawn", with the new process's pid for the grader too."""
    data, ancillary, _flags, _address = control.recvmsg(4096,
                                                        socket.CMSG_SPACE(_CREDENTIALS.size))
    if not data:
        raise ConnectionResetError("the zygote closed its channel")
    answer = json.loads(data)
    if isinstance(answer, dict) and "pid" in answer and answer.get("host_pid") is None:
        for level, kind, value in ancillary:
            if (level, kind) == (socket.SOL_SOCKET, socket.SCM_CREDENTIALS):
                answer["host_pid"] = _CREDENTIALS.unpack(value[:_CREDENTIALS.size])[0]
    return answer


def _receive_isolation(control: socket.socket) -> sandbox.Isolation:
    data = control.recv(65536)
    if not data:
        raise RuntimeError("the workers' zygote ended before it was ready")
    return sandbox.Isolation.from_dict(json.loads(data))


def _exec_zygote(zygote_end: socket.socket, plan: sandbox.Plan | None) -> int:
    """Start a zygote in a fresh interpreter, given its end of the control channel; it
    enters the sandbox `plan` describes, as the first zygote did."""
    fd = zygote_end.fileno()
    code = ("import sys, socket; from autograder import pool; "
            "pool.zygote_entry(socket.socket(fileno=int(sys.argv[1])), sys.argv[2])")
    described = _describe_plan(plan)
    pid = os.fork()
    if pid == 0:  # pragma: no cover - becomes the new zygote
        try:
            os.set_inheritable(fd, True)
            os.execv(sys.executable, [sys.executable, "-c", code, str(fd), described])
        finally:
            os._exit(70)
    return pid


def zygote_entry(control: socket.socket,
                 described: str) -> None:  # pragma: no cover - runs in the zygote
    """The start of a replacement zygote: enter the sandbox and serve as the first did."""
    _zygote_main(control, _plan_from(described))


def _describe_plan(plan: sandbox.Plan | None) -> str:
    """A sandbox plan as JSON, for a zygote started elsewhere than by a fork of the grader."""
    return json.dumps(None if plan is None else {
        **dataclasses.asdict(plan), "fail": sorted(plan.fail)})


def _plan_from(described: str) -> sandbox.Plan | None:
    fields = json.loads(described)
    return None if fields is None else sandbox.Plan(**{**fields,
                                                      "fail": frozenset(fields["fail"])})


def _zygote_main(control: socket.socket,
                 plan: sandbox.Plan | None) -> None:  # pragma: no cover - in the zygote
    """Enter the sandbox, say which layers it has, then fork a worker for each request on
    `control`; exit when the grader goes away."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the grader to handle
    status = 0
    try:
        if plan is not None and plan.mode != "off" and plan.machine is None:
            plan.machine = sandbox.machine_layers(plan)  # before anything of the submission
        # Everything a worker runs of the package, imported while its files are visible.
        _prepare_workers()
        isolation = sandbox.isolate(plan)
        control.send(json.dumps(isolation.to_dict()).encode())
        # Where the grader grades the submission 0, or refuses, no worker is forked.
        if not isolation.refused and isolation.require_error() is None:
            # As the pid namespace's init, it can see and stop all the submission's
            # processes.
            watch = limits.MemoryWatch(0) if isolation.has("pid") else None
            try:
                _serve_zygote(control, isolation, watch)
            finally:  # also when serving ended in an error
                sandbox.end_leftovers(isolation)
    except BaseException:
        status = 1
    os._exit(status)


def _serve_zygote(control: socket.socket, isolation: sandbox.Isolation,
                  watch: limits.MemoryWatch | None) -> None:  # pragma: no cover - a zygote
    """Answer the grader's requests: fork a worker (or, in a ZygoteFactory, a zygote),
    collect one, warm a lane up for the workers to come."""
    children: set[int] = set()  # the workers (or zygotes) this process forked
    zygotes: set[int] = set()  # the zygotes among them: killed alone, not their group
    worker = sys.modules.get("autograder.worker")  # imported while the files were visible
    if worker is not None:
        worker.forget_grading_side()  # here, once, rather than in every worker
    gc.freeze()  # what every child inherits, never walked by its garbage collector
    while True:
        if watch is not None:
            _reap_orphans(children)  # the submission's, now the init's children
            if watch.limit and not select.select([control], [], [],
                                                 limits.WATCH_INTERVAL)[0]:
                # Only processes other than the workers (what student code started)
                # make the memory worth summing.
                watch.check(children)
                continue
        data, fds, _flags, _address = socket.recv_fds(control, 65536, 2)
        if not data:
            break
        request = json.loads(data)
        if request["op"] == "spawn":
            if watch is not None and request.get("memory_limit") is not None:
                watch.limit = request["memory_limit"] or 0
            plan = _plan_from(request["plan"]) if request.get("zygote") else None
            if plan is not None and plan.mode != "off":  # probed once, by the factory
                plan.machine = sandbox.machine_layers(plan)
            if not request.get("zygote"):  # a worker: what each of them would do, once
                sandbox.prepare_environment(isolation, request["workdir"])
            pid = os.fork()
            if pid == 0:
                control.close()
                if request.get("zygote"):  # the factory's: a submission's zygote
                    _zygote_main(socket.socket(fileno=fds[0]), plan)
                _worker_main(fds[0], fds[1], request, isolation)
            for fd in fds:
                os.close(fd)
            children.add(pid)
            if request.get("zygote"):
                zygotes.add(pid)
            _send_spawned(control, pid)
        elif request["op"] == "reap":
            pid = request["pid"]
            if request.get("grace"):  # a submission's zygote, whose channel was closed
                _end_process(pid, grace=request["grace"])
                ending = {"code": None, "signal": None}
            else:
                _kill_group(pid, group=pid not in zygotes)
                ending = _exit_status(pid)
            children.discard(pid)
            zygotes.discard(pid)
            if watch is not None and pid in watch.killed:
                watch.killed.discard(pid)
                ending.update(limit="memory", limit_value=watch.limit)
            if not request.get("quiet"):
                control.send(json.dumps(ending).encode())
        elif request["op"] == "warm":
            _warm_up(request["lane"])
            gc.freeze()
            control.send(b'{"ready": true}')
        elif request["op"] == "ping":
            control.send(b'{"ready": true}')


def _reap_orphans(children: set[int]) -> None:
    """Collect the exited processes that are not the zygote's own: they would stay
    zombies, and count against the submission's process limit, until the namespace ends."""
    while True:
        try:
            exited = os.waitid(os.P_ALL, 0, os.WEXITED | os.WNOHANG | os.WNOWAIT)
        except ChildProcessError:
            return
        if exited is None or exited.si_pid in children:
            return  # a worker's status is for the grader's "reap"
        os.waitpid(exited.si_pid, 0)



def _prepare_workers() -> None:  # pragma: no cover - runs in the zygote
    """What every worker would do first, done once: the first torch.manual_seed of a
    process costs about 20 ms (it asks after every accelerator), the first name of a
    torch function 5 ms, and a worker starts by importing these (while the package's
    files are still visible). A zygote forked from a ZygoteFactory has it all already."""
    global _workers_prepared
    if _workers_prepared:
        return
    try:
        import ctypes  # noqa: F401
        import platform  # noqa: F401

        import torch

        from autograder import harness, registry, seccomp, worker  # noqa: F401

        # The exercises' own procedures (their worker.py), while their files are visible.
        harness.PROCEDURES.update(registry.procedures())
        torch.manual_seed(0)
        # numpy (which torch imports where it is installed) loads numpy.random on first
        # use, as every call's seeding does: about 9 ms and 900 copied pages a worker.
        if "numpy" in sys.modules:
            import numpy.random

            numpy.random.seed(0)
        # The table of torch's functions that the activation ban names calls by.
        torch.overrides.resolve_name(torch.add)
        _workers_prepared = True
    except Exception:
        pass


_workers_prepared = False


def _warm_up(lane: str) -> None:  # pragma: no cover - runs in a zygote
    """Pay `lane`'s one-time cost here, once, for every worker forked from here on."""
    try:
        import torch

        from autograder import worker

        # As in a worker: the OpenMP pool of a process that forked us would hang here.
        torch.set_num_threads(1)
        worker.WARM_UPS[lane]()
    except Exception:
        pass  # each worker pays the warm-up in its first call instead


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
    """Become a student worker: own session, captured output, limits, sandbox, then serve."""
    status = 0
    try:
        os.setsid()  # its own process group, so a kill takes its children too
        faulthandler.disable()  # a crash is reported by its exit status, not on our stderr
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        _capture_output(output)
        _close_inherited_files(keep=fd)  # under the descriptor limit of the grader's
        limits.apply(settings.get("memory_limit"), whole_submission=isolation.has("user"))
        workdir = sandbox.confine(isolation, settings["workdir"])
        from autograder import seccomp

        seccomp.install([os.getppid(), *settings["protect"]])  # no signal reaches them
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


def _defer_interrupts():
    """Hold SIGINT back until the returned function is called (main thread only)."""
    import threading

    if threading.current_thread() is not threading.main_thread():
        return lambda: None
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    return lambda: signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _kill_group(pid: int, group: bool = True) -> None:
    if pid <= 0:  # never 0 or -1: that would be our own group, or everyone
        return
    try:
        (os.killpg if group else os.kill)(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _end_process(pid: int, grace: float = 5.0) -> None:
    """Wait for a child to exit, killing it when it has not within `grace` seconds.

    A stopped zygote never reads the end of its channel: waiting without a limit would
    hang the grader.
    """
    end = time.monotonic() + grace
    try:
        while os.waitpid(pid, os.WNOHANG) == (0, 0):
            if time.monotonic() > end:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                return
            time.sleep(0.01)
    except (ChildProcessError, ProcessLookupError):
        pass
