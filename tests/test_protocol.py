"""The wire format: plain data and plain tensors travel, nothing is unpickled."""

from __future__ import annotations

import socket
import struct
import time

import pytest
import torch

from autograder import placement, protocol


def roundtrip(body, device=None, place=False):
    a, b = socket.socketpair()
    with a, b:
        protocol.send(a, body, device=device)
        return protocol.receive(b, place=place)


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64, torch.float16, torch.bfloat16,
                                   torch.int64, torch.int32, torch.uint8, torch.bool,
                                   torch.complex64])
def test_tensors_of_every_dtype_roundtrip(dtype):
    tensor = (torch.arange(12).reshape(3, 4) % 3).to(dtype)
    received = roundtrip({"t": tensor}).body["t"]
    assert type(received) is torch.Tensor
    assert received.dtype == dtype and torch.equal(received, tensor)


def test_shapes_strides_and_scalars_roundtrip():
    strided = torch.arange(24.0).reshape(4, 6)[:, ::2].T
    body = [strided, torch.tensor(3.5), torch.empty(0, 3), (1, 2.5, None, "s", True)]
    received = roundtrip(body).body
    assert torch.equal(received[0], strided)
    assert received[1].shape == () and float(received[1]) == 3.5
    assert received[2].shape == (0, 3)
    assert received[3] == (1, 2.5, None, "s", True)


def test_non_finite_floats_dtypes_and_devices_roundtrip():
    received = roundtrip([float("nan"), float("inf"), torch.float16, torch.device("cpu")]).body
    assert received[0] != received[0] and received[1] == float("inf")
    assert received[2] is torch.float16 and received[3] == torch.device("cpu")


def test_device_and_grad_information_travel():
    leaf = torch.ones(2, requires_grad=True)
    message = roundtrip([leaf, leaf * 2])
    first, second = message.body
    assert first.requires_grad and message.info(first).is_leaf
    assert not message.info(second).is_leaf
    assert message.info(first).device == "cpu"


def test_tensors_placed_on_the_simulated_gpu_keep_their_values():
    sent = torch.arange(6.0).reshape(2, 3)
    message = roundtrip([sent], device="placement", place=True)
    received = message.body[0]
    assert placement.on_gpu(received) and torch.equal(received, sent)
    assert message.info(received).device == "placement"


def test_a_tensor_on_the_simulated_gpu_is_reported_on_cuda():
    message = roundtrip([placement.to_gpu(torch.ones(2)), torch.ones(2)])
    assert [message.info(t).device for t in message.body] == ["cuda:0", "cpu"]


def test_anything_else_arrives_as_an_opaque_description():
    class Sneaky(torch.Tensor):
        pass

    received = roundtrip([object(), torch.ones(2).as_subclass(Sneaky), {1: 2}]).body
    assert all(isinstance(v, protocol.Opaque) for v in received)
    assert received[1].tensor_subclass and received[1].type_name.endswith("Sneaky")
    assert not received[0].tensor_subclass


def test_an_oversized_message_is_refused_before_it_is_read():
    a, b = socket.socketpair()
    with a, b:
        a.sendall(struct.pack("!QQ", 16, protocol.MAX_MESSAGE_BYTES))
        with pytest.raises(protocol.ProtocolError, match="too large"):
            protocol.receive(b)


def test_bytes_that_do_not_match_the_shape_are_refused():
    a, b = socket.socketpair()
    with a, b:
        header = (b'{"body": {"__tensor__": {"dtype": "float32", "shape": [4], "device": "cpu",'
                  b' "requires_grad": false, "is_leaf": true, "blob": 0}}, "blobs": [4]}')
        a.sendall(struct.pack("!QQ", len(header), 4) + header + b"abcd")
        with pytest.raises(protocol.ProtocolError, match="do not match"):
            protocol.receive(b)


def test_end_of_stream_is_connection_closed():
    a, b = socket.socketpair()
    a.close()
    with b, pytest.raises(protocol.ConnectionClosed):
        protocol.receive(b)


def test_an_oversized_header_is_refused_before_it_is_read():
    a, b = socket.socketpair()
    with a, b:
        a.sendall(struct.pack("!QQ", protocol.MAX_HEADER_BYTES + 1, 0))
        with pytest.raises(protocol.ProtocolError, match="header .* too large"):
            protocol.receive(b)


def test_decoding_counts_against_the_deadline():
    header = {"body": list(range(100_000)), "blobs": []}
    with pytest.raises(TimeoutError):
        protocol._decode(header, memoryview(b""), False, deadline=time.monotonic() - 1)
    assert protocol._decode(header, memoryview(b""), False, deadline=None).body[-1] == 99_999


def test_a_reply_past_its_deadline_times_out():
    a, b = socket.socketpair()
    with a, b:
        a.sendall(struct.pack("!QQ", 1000, 0) + b"[0")  # the rest never comes
        with pytest.raises(TimeoutError):
            protocol.receive(b, deadline=time.monotonic() + 0.2)


@pytest.mark.parametrize("header", [
    b'{"body": {"__tensor__": {"dtype": "float32", "shape": [65536, 65536], "device": "cpu",'
    b' "requires_grad": false, "is_leaf": true, "blob": null}}, "blobs": []}',
    b'{"body": {"__dict__": [1, 2]}, "blobs": []}',
    b'{"body": 1, "blobs": {"a": 1}}',
    b'[1, 2]',
    b'[' * 20_000 + b']' * 20_000,
], ids=["tensor-without-bytes", "dict-not-a-dict", "blobs-not-a-list", "not-an-object",
        "deep-nesting"])
def test_malformed_messages_are_protocol_errors(header):
    a, b = socket.socketpair()
    with a, b:
        a.sendall(struct.pack("!QQ", len(header), 0) + header)
        with pytest.raises(protocol.ProtocolError):
            protocol.receive(b)


def test_the_texts_a_worker_describes_arrive_bounded_and_marked_where_cut():
    huge = "x" * 1_000_000
    error = {"type": huge, "message": huge, "where": {"file": huge, "line": 3, "code": huge},
             "explicit_raise": "yes", "traceback": "first frame" + huge + "last frame"}
    opaque = protocol.Opaque(huge, huge)
    # Encoded and decoded without a socket, which would hold only a part of megabytes.
    encoder = protocol._Encoder()
    header = {"body": encoder.encode([opaque, protocol.Drained([], error=error),
                                      protocol.Collaborator(huge)]), "blobs": []}
    received = protocol._decode(header, memoryview(b""), False, None).body
    assert len(received[0].type_name) == protocol.MAX_NAME_CHARS + len(protocol.CUT_MARK)
    assert received[0].text.endswith(protocol.CUT_MARK)
    assert len(received[0].text) == protocol.MAX_TEXT_CHARS + len(protocol.CUT_MARK)
    bounded = received[1].error
    assert bounded["message"] == "x" * protocol.MAX_TEXT_CHARS + protocol.CUT_MARK
    assert bounded["where"]["line"] == 3 and bounded["explicit_raise"] is False
    # A traceback keeps its end: the frame that raised.
    assert bounded["traceback"].startswith(protocol.CUT_MARK)
    assert bounded["traceback"].endswith("last frame")
    assert len(received[2].name) == protocol.MAX_NAME_CHARS + len(protocol.CUT_MARK)


def test_what_the_workers_own_code_describes_is_kept_whole():
    from autograder import harness

    try:
        raise ValueError("m" * 10_000)
    except ValueError as raised:
        described = harness.describe_error(raised)
    assert protocol.bounded_error(described) == described
    opaque = roundtrip([object()]).body[0]
    assert protocol.CUT_MARK not in opaque.text


class _CountedWrites:
    """A socket's sending end that counts its writes."""

    def __init__(self, sock: socket.socket):
        self.sock, self.writes = sock, 0

    def sendall(self, data: bytes) -> None:
        self.writes += 1
        self.sock.sendall(data)


@pytest.mark.parametrize("extra, writes", [(0, 1), (1, 2)])
def test_a_message_is_written_in_one_piece_unless_its_tensors_are_large(extra, writes):
    """The other side wakes up once for a message; a large one is not copied again."""
    import threading

    numel = protocol._ONE_WRITE_BYTES // 4 + extra  # float32: at, or just past, the size
    sent = torch.arange(numel, dtype=torch.float32)
    a, b = socket.socketpair()
    with a, b:
        sender = _CountedWrites(a)
        thread = threading.Thread(target=protocol.send, args=(sender, {"t": sent}))
        thread.start()
        received = protocol.receive(b).body["t"]
        thread.join()
    assert sender.writes == writes
    assert torch.equal(received, sent)
