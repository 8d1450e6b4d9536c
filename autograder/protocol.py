"""The wire format between the grader and a student worker.

A message is a JSON header followed by raw tensor bytes. Nothing is ever unpickled:
a tensor travels as (dtype, shape, device, bytes) and is rebuilt with torch.frombuffer,
so whatever a worker sends, the grader only ever receives plain data and plain tensors.
Anything else a student returns arrives as an `Opaque` description of it.
"""

from __future__ import annotations

import json
import math
import socket
import struct
import time
from dataclasses import dataclass, field
from typing import Any

import torch

from autograder import placement

# A message larger than this is refused: a worker cannot exhaust the grader's memory.
MAX_MESSAGE_BYTES = 256 * 2**20
# The JSON part is refused past this: parsed, JSON takes many times its size in memory,
# while the largest honest header (10,000 drained items) is under 4 MB.
MAX_HEADER_BYTES = 8 * 2**20
# How many values one message may hold, tensors, lists and numbers alike.
MAX_VALUES = 1_000_000
# How often (in values decoded) the decoder looks at the clock.
_CLOCK_EVERY = 4096
# How many items of a student's generator are drained before giving up on it.
MAX_ITEMS = 10_000
# How many characters of each text a worker describes are kept: what the worker's own
# code sends is shorter (repr cut at 200, a message at 2,000, a traceback's last 4,000),
# so only a worker whose harness was replaced sends more, and it is cut, with CUT_MARK.
MAX_NAME_CHARS = 300
MAX_TEXT_CHARS = 2000
MAX_TRACEBACK_CHARS = 4000
CUT_MARK = " [...]"

_PREFIX = struct.Struct("!QQ")  # header length, body length
# A message whose tensors' bytes are at most this is written in one piece.
_ONE_WRITE_BYTES = 2**20


class ProtocolError(Exception):
    """The other side sent something that is not a well-formed message."""


class ConnectionClosed(ProtocolError):
    """The other side closed the connection (for a worker: it exited or crashed)."""


@dataclass(frozen=True)
class Opaque:
    """A value a student returned that is not plain data: only its type and repr travel."""

    type_name: str
    text: str
    tensor_subclass: bool = False


@dataclass(frozen=True)
class Collaborator:
    """A trusted helper the worker's harness provides, named by the grader (e.g. "linreg")."""

    name: str


@dataclass
class Drained:
    """What a student's generator yielded, drained inside the worker."""

    items: list[Any]
    error: dict[str, Any] | None = None
    truncated: bool = False


@dataclass
class TensorInfo:
    """What the worker saw of a tensor besides its values."""

    device: str
    requires_grad: bool
    is_leaf: bool


@dataclass
class _Encoder:
    # Where the receiver should place every tensor; None keeps each tensor's own device.
    device: str | None = None
    blobs: list[bytes] = field(default_factory=list)

    def encode(self, value: Any) -> Any:
        if value is None or isinstance(value, (bool, int, str)):
            return value
        if isinstance(value, float):
            return value if math.isfinite(value) else {"__float__": repr(value)}
        if type(value) is torch.Tensor:
            return self._tensor(value)
        if isinstance(value, torch.Tensor):
            return _opaque(value, tensor_subclass=True)
        if isinstance(value, tuple) and type(value) is tuple:
            return {"__tuple__": [self.encode(v) for v in value]}
        if type(value) is list:
            return [self.encode(v) for v in value]
        if type(value) is dict and all(type(k) is str for k in value):
            return {"__dict__": {k: self.encode(v) for k, v in value.items()}}
        if isinstance(value, torch.dtype):
            return {"__dtype__": str(value).removeprefix("torch.")}
        if isinstance(value, torch.device):
            return {"__device__": str(value)}
        if isinstance(value, Drained):
            return {
                "__drained__": [self.encode(v) for v in value.items],
                "error": value.error,
                "truncated": value.truncated,
            }
        if isinstance(value, Collaborator):
            return {"__collaborator__": value.name}
        if isinstance(value, Opaque):
            return {"__opaque__": value.type_name, "text": value.text,
                    "tensor_subclass": value.tensor_subclass}
        return _opaque(value)

    def _tensor(self, tensor: torch.Tensor) -> dict[str, Any]:
        header = {
            "dtype": str(tensor.dtype).removeprefix("torch."),
            "shape": list(tensor.shape),
            "device": self.device or placement.device_name(tensor),
            "requires_grad": tensor.requires_grad,
            "is_leaf": tensor.is_leaf,
            "blob": None,
        }
        if tensor.device.type != "meta" and tensor.numel() > 0:
            flat = tensor.detach().to("cpu").contiguous().reshape(-1)
            header["blob"] = len(self.blobs)
            self.blobs.append(flat.view(torch.uint8).numpy().tobytes())
        return {"__tensor__": header}


def _opaque(value: Any, tensor_subclass: bool = False) -> dict[str, Any]:
    kind = type(value)
    try:
        text = repr(value)[:200]
    except Exception:  # a student's __repr__ may raise
        text = f"<{kind.__name__} object>"
    return {"__opaque__": f"{kind.__module__}.{kind.__qualname__}", "text": text,
            "tensor_subclass": tensor_subclass}


class _Decoder:
    def __init__(self, blobs: list[memoryview], place: bool, deadline: float | None = None):
        self.blobs = blobs
        self.place = place
        self.deadline = deadline
        self.tensor_info: dict[int, TensorInfo] = {}
        self._values = 0

    def _count(self) -> None:
        # Decoding is bounded in work and counts against the caller's deadline.
        self._values += 1
        if self._values > MAX_VALUES:
            raise ProtocolError(f"message holds more than {MAX_VALUES} values")
        if self.deadline is not None and self._values % _CLOCK_EVERY == 0 \
                and time.monotonic() > self.deadline:
            raise TimeoutError("decoding the message took too long")

    def decode(self, value: Any) -> Any:
        self._count()
        if isinstance(value, list):
            return [self.decode(v) for v in value]
        if not isinstance(value, dict):
            return value
        if "__tensor__" in value:
            return self._tensor(value["__tensor__"])
        if "__tuple__" in value:
            return tuple(self.decode(v) for v in value["__tuple__"])
        if "__dict__" in value:
            return {str(k): self.decode(v) for k, v in value["__dict__"].items()}
        if "__float__" in value:
            return float(value["__float__"])
        if "__dtype__" in value:
            dtype = getattr(torch, str(value["__dtype__"]), None)
            if not isinstance(dtype, torch.dtype):
                raise ProtocolError(f"unknown dtype {value['__dtype__']!r}")
            return dtype
        if "__device__" in value:
            return torch.device(str(value["__device__"]))
        if "__drained__" in value:
            error = value.get("error")
            return Drained([self.decode(v) for v in value["__drained__"]],
                           None if error is None else bounded_error(error),
                           bool(value.get("truncated")))
        if "__collaborator__" in value:
            return Collaborator(bounded_text(value["__collaborator__"], MAX_NAME_CHARS))
        if "__opaque__" in value:
            return Opaque(bounded_text(value["__opaque__"], MAX_NAME_CHARS),
                          bounded_text(value.get("text", ""), MAX_TEXT_CHARS),
                          bool(value.get("tensor_subclass")))
        raise ProtocolError(f"unknown value tag in {sorted(value)[:3]}")

    def _tensor(self, header: dict[str, Any]) -> torch.Tensor:
        dtype = getattr(torch, str(header["dtype"]), None)
        if not isinstance(dtype, torch.dtype):
            raise ProtocolError(f"unknown dtype {header['dtype']!r}")
        shape = [int(s) for s in header["shape"]]
        if any(size < 0 for size in shape):
            raise ProtocolError(f"negative size in shape {shape}")
        device = str(header["device"])
        if header["blob"] is None and device != "meta" and math.prod(shape) > 0:
            # Bytes that were never sent cannot be conjured up (nor gigabytes reserved).
            raise ProtocolError("a tensor with elements but no bytes")
        if header["blob"] is None or device == "meta":
            tensor = torch.empty(shape, dtype=dtype,
                                 device="meta" if device == "meta" else "cpu")
        else:
            raw = self.blobs[int(header["blob"])]
            numel = math.prod(shape)
            if len(raw) != numel * dtype.itemsize:
                raise ProtocolError("tensor bytes do not match its shape and dtype")
            tensor = torch.frombuffer(raw, dtype=torch.uint8).view(dtype)
            tensor = tensor.reshape(shape)
        if self.place and device == placement.LANE:
            placement.to_gpu(tensor)
        elif self.place and tensor.device.type != torch.device(device).type:
            tensor = tensor.to(device)
        if header["requires_grad"] and (tensor.is_floating_point() or tensor.is_complex()):
            tensor.requires_grad_(True)
        self.tensor_info[id(tensor)] = TensorInfo(device, bool(header["requires_grad"]),
                                                  bool(header["is_leaf"]))
        return tensor


def bounded_text(value: Any, limit: int, *, keep_end: bool = False) -> str:
    """A text a worker sent, as a str of at most `limit` characters and the cut's mark;
    `keep_end` keeps its end (a traceback's last frames) rather than its start."""
    if isinstance(value, str):
        text = value
    elif isinstance(value, (bool, int, float)):
        text = str(value)
    else:  # None, or a list or dict where a text belongs: nothing to show
        text = ""
    if len(text) <= limit:
        return text
    return CUT_MARK + text[-limit:] if keep_end else text[:limit] + CUT_MARK


def bounded_error(error: Any) -> dict[str, Any]:
    """A worker's description of an exception (harness.describe_error) in the shape the
    grading side reads, each text bounded: a worker may send any JSON in its place."""
    error = error if isinstance(error, dict) else {}
    where = error.get("where")
    location = None
    if isinstance(where, dict):
        line = where.get("line")
        location = {"file": bounded_text(where.get("file"), MAX_NAME_CHARS),
                    "line": line if type(line) is int else None,
                    "code": bounded_text(where.get("code"), MAX_TEXT_CHARS)}
    return {"type": bounded_text(error.get("type"), MAX_NAME_CHARS) or "Exception",
            "message": bounded_text(error.get("message"), MAX_TEXT_CHARS),
            "where": location,
            "explicit_raise": error.get("explicit_raise") is True,
            "traceback": bounded_text(error.get("traceback"), MAX_TRACEBACK_CHARS,
                                      keep_end=True)}


@dataclass
class Message:
    """A decoded message, with what the sender saw of each tensor it holds."""

    body: Any
    tensor_info: dict[int, TensorInfo]

    def info(self, tensor: torch.Tensor) -> TensorInfo:
        return self.tensor_info[id(tensor)]


def send(sock: socket.socket, body: Any, device: str | None = None) -> None:
    """Encode `body` and write it to `sock` as one message.

    `device` asks the receiver to place every tensor of the message there.
    """
    encoder = _Encoder(device)
    header = json.dumps({"body": encoder.encode(body),
                         "blobs": [len(b) for b in encoder.blobs]}).encode()
    payload = b"".join(encoder.blobs)
    prefix = _PREFIX.pack(len(header), len(payload))
    if len(payload) <= _ONE_WRITE_BYTES:  # one write: the other side wakes up once
        sock.sendall(b"".join((prefix, header, payload)))
    else:  # not copied again
        sock.sendall(prefix + header)
        sock.sendall(payload)


def receive(sock: socket.socket, place: bool = False, deadline: float | None = None) -> Message:
    """Read one message from `sock`; raise ConnectionClosed at end of stream.

    With `place`, tensors are moved to the device the sender named, the simulated GPU of
    autograder.placement included (the worker's side); without, they stay on the CPU, or
    on meta, and TensorInfo says where they were (the grader's side, which never
    initialises CUDA). Past `deadline` (a time.monotonic() value) reading or decoding
    raises TimeoutError. Sizes are checked before anything is read into memory, and
    anything malformed is a ProtocolError.
    """
    def read(size: int) -> bytearray:
        return _read_exactly(sock, size, deadline)

    header_len, payload_len = _PREFIX.unpack(read(_PREFIX.size))
    if header_len > MAX_HEADER_BYTES:
        raise ProtocolError(f"message header of {header_len} bytes is too large")
    if header_len + payload_len > MAX_MESSAGE_BYTES:
        raise ProtocolError(f"message of {header_len + payload_len} bytes is too large")
    try:
        header = json.loads(read(header_len))
    except (ValueError, RecursionError) as error:
        raise ProtocolError(f"malformed header: {type(error).__name__}") from None
    payload = memoryview(read(payload_len))
    try:
        return _decode(header, payload, place, deadline)
    except (ProtocolError, TimeoutError):
        raise
    except (KeyError, TypeError, ValueError, IndexError, AttributeError, OverflowError,
            RecursionError, RuntimeError, MemoryError) as error:
        raise ProtocolError(f"malformed message: {type(error).__name__}") from None


def _decode(header: Any, payload: memoryview, place: bool, deadline: float | None) -> Message:
    if not isinstance(header, dict) or not isinstance(header.get("blobs", []), list):
        raise ProtocolError("malformed header: not a message")
    blobs, offset = [], 0
    for size in header.get("blobs", []):
        if int(size) < 0:
            raise ProtocolError("negative blob size")
        blobs.append(payload[offset:offset + int(size)])
        offset += int(size)
    if offset != len(payload):
        raise ProtocolError("blob sizes do not add up to the payload")
    decoder = _Decoder(blobs, place, deadline)
    return Message(decoder.decode(header.get("body")), decoder.tensor_info)


def _read_exactly(sock: socket.socket, size: int, deadline: float | None) -> bytearray:
    buffer = bytearray(size)
    view, received = memoryview(buffer), 0
    while received < size:
        if deadline is not None:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError("the message did not arrive in time")
            sock.settimeout(remaining)
        count = sock.recv_into(view[received:], size - received)
        if count == 0:
            raise ConnectionClosed("connection closed")
        received += count
    return buffer
