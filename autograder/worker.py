"""The student worker: the only process that ever imports a submission's code.

It serves requests from the grader over a socket, one at a time: import a module,
or run one of the harness's procedures on it. Every answer is plain data and tensors
(see protocol.py). The worker is forked from a process that has already imported torch,
so starting one costs a fork, not an interpreter start.
"""

from __future__ import annotations

import importlib
import random
import socket
import sys
from contextlib import nullcontext
from types import ModuleType
from typing import Any

import torch

from autograder import harness, placement, protocol

# Modules of the grading side that a worker has no business seeing.
_GRADER_ONLY = ("autograder.reference", "autograder.exercises", "autograder.plugin",
                "autograder.registry")
# The exercises' units are loaded under this name; a worker keeps only their worker.py.
_UNITS = "autograder_exercises."


def serve(sock: socket.socket, workdir: str, warm: str | None = None) -> None:
    """Answer requests until the grader closes the connection.

    With `warm` ("cuda"), first pay that device's one-time costs and say "ready".
    """
    _forget_what_came_in()
    if warm is not None:
        WARM_UPS[warm]()
        protocol.send(sock, {"ready": True})
    harness.WORKDIR = workdir
    sys.path.insert(0, workdir)
    sys.dont_write_bytecode = True
    modules: dict[str, ModuleType] = {}
    while True:
        try:
            request = protocol.receive(sock, place=True).body
        except protocol.ConnectionClosed:
            return
        reply = _answer(request, modules)
        _flush_output()
        try:
            protocol.send(sock, reply)
        except (OSError, protocol.ProtocolError):
            return
        except Exception as error:  # a value the encoder could not describe
            protocol.send(sock, {"status": "error", "error": harness.describe_error(error)})


def _answer(request: dict[str, Any], modules: dict[str, ModuleType]) -> dict:
    name = request["module"]
    try:
        if name not in modules:
            if "timeout" in request:  # an import request says how long the import may take
                harness.CELL_TIMEOUT = harness.cell_timeout(request["timeout"])
            modules[name] = importlib.import_module(name)
    except BaseException as error:  # SystemExit and KeyboardInterrupt too: report, don't die
        return {"status": "import_error", "error": harness.describe_error(error)}
    if request["procedure"] == "import":
        return {"status": "ok"}
    _seed(request.get("seed", 0))
    # On the placement lane the call runs on the simulated GPU (autograder.placement).
    on = placement.simulated_gpu if request.get("device") == placement.LANE else nullcontext
    try:
        procedure = harness.PROCEDURES[request["procedure"]]
        with on():
            result = procedure(modules[name], **request["arguments"])
    except BaseException as error:
        return {"status": "error", "error": harness.describe_error(error)}
    return {"status": "ok", "result": result}


def _warm_cuda() -> None:
    # Creating the CUDA context takes seconds: never inside a call's timeout.
    (torch.zeros(4, device="cuda") + 1).sum().item()
    torch.cuda.synchronize()


WARM_UPS = {"cuda": _warm_cuda}


def _seed(seed: int) -> None:
    # Every call starts from the same random state, so a result can be reproduced.
    # Not torch.manual_seed: for each accelerator not started (all of them, on a worker
    # without a GPU) it queues the seed with the stack formatted, whose source lines the
    # sandbox hides; a call cost 0.69 ms with it, 0.25 ms without (bench/call_cost.py).
    # A worker's GPU, where it has one, was started by its warm-up, and is seeded here.
    torch.default_generator.manual_seed(seed)
    if torch.cuda.is_initialized():
        torch.cuda.manual_seed_all(seed)
    random.seed(seed)
    numpy = sys.modules.get("numpy")
    if numpy is not None:
        numpy.random.seed(seed % 2**32)


def _flush_output() -> None:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:  # a student may have replaced or closed the stream
            pass


def _forget_grader_modules() -> None:
    """Take the grading side's modules out of sys.modules: student code finds no
    reference solution, registry or plugin there, and of each unit its worker.py only."""
    for name in list(sys.modules):
        if name.startswith(_GRADER_ONLY) or name.startswith(_UNITS) \
                and not name.endswith(".worker"):
            del sys.modules[name]


def forget_grading_side() -> None:
    """Forget the grading side's modules in the zygote, once for every worker it forks.

    A worker then goes through sys.modules only if a module came in since: each name it
    goes through is an object written to (its count of references), and so a page
    copied from the zygote's memory, some 700 of them a worker.
    """
    global _modules_when_forgotten
    _forget_grader_modules()
    _modules_when_forgotten = len(sys.modules)


_modules_when_forgotten = -1  # len(sys.modules) after forget_grading_side, if it ran
went_through_modules = False  # whether this worker went through sys.modules itself


def _forget_what_came_in() -> None:
    """A worker's first step: forget the grading side's modules, unless its zygote did
    and no module has come in since (a zygote imports nothing once it serves)."""
    global went_through_modules
    if len(sys.modules) != _modules_when_forgotten:
        went_through_modules = True
        _forget_grader_modules()
