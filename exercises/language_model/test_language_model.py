"""Hidden suite for language_model.py: the random and the consecutive minibatch samplers.

The corpus is a random permutation of 0 .. L-1, so every token names its own position
and each row of X or Y says exactly which stretch of the corpus it holds.
"""

from __future__ import annotations

import torch

from autograder.checks import (
    RETURN_VALUE,
    Outcome,
    Student,
    apparent_device,
    code,
    describe,
    error_diagnosis,
    expect_tensor,
    expect_tensor_pairs,
    placed_tensors,
    same_device,
    values_right,
)
from autograder.messages import Diagnosis, Phrase
from autograder.plugin import PLACEMENT_DEVICES, grades
from autograder.protocol import Drained
from autograder.registry import reference

ref = reference("language_model")


def make_corpus(seed: int, length: int) -> list[int]:
    generator = torch.Generator().manual_seed(seed)
    return torch.randperm(length, generator=generator).tolist()


def call_sampler(student: Student, function: str, corpus: list[int], batch_size: int,
                 num_steps: int, device: str, *, pass_device: bool = True) -> Outcome:
    """function(corpus, batch_size, num_steps, device=torch.device(device)) in the worker
    (on the placement lane, the simulated GPU's device: cuda)."""
    kwargs = {"device": torch.device(apparent_device(device))} if pass_device else {}
    return student.run("call", function, device=device, args=[corpus, batch_size, num_steps],
                       kwargs=kwargs)


def minibatches(out: Outcome, corpus: list[int], expected_device: str,
                default: bool = False) -> list[tuple[torch.Tensor, torch.Tensor]]:
    """The (X, Y) pairs a sampler yielded, checked for type, dtype and device."""
    function, value = out.function, out.value
    if isinstance(value, Drained):
        if value.error is not None:
            raise error_diagnosis(function, value.error)
        items = value.items
    elif isinstance(value, (list, tuple)):
        items = list(value)
    else:
        raise Diagnosis("wrong_type", what=RETURN_VALUE, function=function,
                        expected=Phrase("expected.minibatches", pair="(X, Y)"),
                        actual=describe(value))
    if out.result["args"][0] != corpus:
        raise Diagnosis("modified_input", function=function, argument="corpus_indices")
    expect_tensor_pairs(function, items, key="lm.not_pairs", pair="(X, Y)")
    for item in items:
        for name, tensor in zip("XY", item):
            if tensor.dtype not in TOKEN_DTYPES:
                raise Diagnosis("lm.dtype", function=function, what=code(name),
                                actual=str(tensor.dtype))
        check_placement(out, item, expected_device, default)
    return [tuple(item) for item in items]


# int64, as torch.tensor makes from a list of ints (the seed's samplers), or float32, as
# the book's port (d2lzh_pytorch) makes them: its to_onehot takes them back with .long(),
# and float32 holds every index below 2 ** 24 exactly.
TOKEN_DTYPES = (torch.int64, torch.float32)


def as_indices(tensor: torch.Tensor) -> torch.Tensor:
    """Token indices as int64; a value that is no whole number becomes -1, no token."""
    if tensor.dtype == torch.int64:
        return tensor
    whole = tensor == tensor.round()
    return torch.where(whole, tensor, torch.full_like(tensor, -1)).long()


def check_placement(out: Outcome, value, expected_device: str, default: bool = False) -> None:
    """Every tensor in `value` is on `expected_device` (the device given, or the default)."""
    for tensor in placed_tensors(out, value):
        where = out.device_of(tensor)
        if not same_device(where, expected_device):
            raise Diagnosis("lm.default_device" if default else "lm.ignores_device",
                            function=out.function, actual=where,
                            expected=apparent_device(expected_device))


def positions(corpus: list[int]) -> torch.Tensor:
    position = torch.empty(len(corpus), dtype=torch.int64)
    position[torch.tensor(corpus)] = torch.arange(len(corpus))
    return position


def window_starts(function: str, X: torch.Tensor, where: torch.Tensor, batch: int) -> list[int]:
    """The corpus position where each row of X starts; every row must be a run of tokens."""
    steps = torch.arange(X.shape[1])
    for row in range(X.shape[0]):
        tokens = X[row]
        if not bool(((tokens >= 0) & (tokens < len(where))).all()) or \
                not torch.equal(where[tokens] - where[tokens[0]], steps):
            if function == "data_iter_consecutive":
                raise Diagnosis("data_iter_consecutive.not_rows", batch=batch, row=row)
            raise Diagnosis("lm.not_windows", function=function, batch=batch, row=row)
    return where[X[:, 0]].tolist() if X.shape[0] else []


def check_targets(function: str, X: torch.Tensor, Y: torch.Tensor, where: torch.Tensor,
                  batch: int) -> None:
    """Y must be X shifted one token along the corpus."""
    if torch.equal(X, Y):
        raise Diagnosis("lm.y_equals_x", function=function, batch=batch)
    for row in range(X.shape[0]):
        tokens = Y[row]
        if not bool(((tokens >= 0) & (tokens < len(where))).all()) or \
                not torch.equal(where[tokens], where[X[row]] + 1):
            raise Diagnosis("lm.y_misaligned", function=function, batch=batch, row=row)


# -- data_iter_random --------------------------------------------------------------------


def random_windows(out: Outcome, corpus: list[int], batch_size: int, num_steps: int,
                   expected_device: str, default: bool = False) -> list[int]:
    """Check what data_iter_random yielded; return the window starts in the order given."""
    function = "data_iter_random"
    items = minibatches(out, corpus, expected_device, default)
    num_examples = (len(corpus) - 1) // num_steps
    for k, (X, Y) in enumerate(items, start=1):
        if X.dim() != 2 or X.shape[1] != num_steps or not 0 < X.shape[0] <= batch_size:
            raise Diagnosis("wrong_shape", what=Phrase("what.of_minibatch", name="X", batch=k),
                            actual=tuple(X.shape), expected=(batch_size, num_steps))
        if Y.shape != X.shape:
            if Y.dim() == 2 and Y.shape[0] == X.shape[0] and Y.shape[1] < num_steps:
                raise Diagnosis("data_iter_random.past_end", where="")
            raise Diagnosis("wrong_shape", what=Phrase("what.of_minibatch", name="Y", batch=k),
                            actual=tuple(Y.shape), expected=tuple(X.shape))
    sizes = [X.shape[0] for X, _ in items]
    for size in sizes[:-1]:
        if size != batch_size:
            raise Diagnosis("data_iter_random.batch_size", actual=size, expected=batch_size)
    where = positions(corpus)
    order: list[int] = []
    for k, (X, Y) in enumerate(items, start=1):
        X, Y = as_indices(X), as_indices(Y)
        order += window_starts(function, X, where, k)
        check_targets(function, X, Y, where, k)
    for start in order:
        if start % num_steps:
            raise Diagnosis("data_iter_random.off_grid", start=start, num_steps=num_steps)
    counts: dict[int, int] = {}
    for start in order:
        counts[start] = counts.get(start, 0) + 1
        if counts[start] > 1:
            raise Diagnosis("data_iter_random.repeated", start=start, times=counts[start])
    if any(start // num_steps >= num_examples for start in order):
        raise Diagnosis("data_iter_random.past_end", where="")
    missing = sorted(set(range(0, num_examples * num_steps, num_steps)) - set(order))
    # Dropping the short last minibatch is accepted: the seed's loop keeps it, others don't.
    dropped_last = len(missing) == num_examples % batch_size and \
        all(size == batch_size for size in sizes)
    if missing and not dropped_last:
        raise Diagnosis("data_iter_random.missing", count=len(missing), total=num_examples,
                        start=missing[0])
    return order


@grades("data_iter_random", points=0.75, public=True)
def test_data_iter_random_windows(student, device):
    """data_iter_random yields every non-overlapping window once, with Y shifted by one"""
    corpus = make_corpus(seed=71, length=203)  # 40 windows of 5: 6 minibatches of 6 and one of 4
    out = call_sampler(student, "data_iter_random", corpus, 6, 5, device)
    random_windows(out, corpus, 6, 5, device)


@grades("data_iter_random", points=0.25)
def test_data_iter_random_corpus_end(student, device):
    """data_iter_random stops before the end of a corpus whose length is a multiple of num_steps"""
    corpus = make_corpus(seed=72, length=200)  # the last token can only be a target: 39 windows
    out = call_sampler(student, "data_iter_random", corpus, 4, 5, device)
    random_windows(out, corpus, 4, 5, device)


# A uniformly random order of n windows puts k chosen windows right after their corpus
# neighbours with probability (n - k)! / n!; so at least 20 such successions among 40
# windows happen with probability at most C(39, 20) * 20! / 40! = 1 / (40 * 19!) < 3e-19.
SHUFFLE_WINDOWS = 40
SUCCESSION_LIMIT = 20


@grades("data_iter_random", points=0.5)
def test_data_iter_random_shuffles(student, device):
    """data_iter_random yields the windows in a fresh random order on every call"""
    num_steps, batch_size = 5, 4
    corpus = make_corpus(seed=73, length=SHUFFLE_WINDOWS * num_steps + 1)
    orders = []
    for _ in range(3):
        out = call_sampler(student, "data_iter_random", corpus, batch_size, num_steps, device)
        order = random_windows(out, corpus, batch_size, num_steps, device)
        successions = sum(b == a + num_steps for a, b in zip(order, order[1:]))
        if successions >= SUCCESSION_LIMIT:
            raise Diagnosis("data_iter_random.not_shuffled", adjacent=successions,
                            pairs=len(order) - 1)
        orders.append(order)
    # Two independent uniform orders of 40 windows agree with probability 1 / 40!.
    if orders[0] == orders[1] or orders[1] == orders[2]:
        raise Diagnosis("data_iter_random.same_order")


@grades("data_iter_random", points=0.25, devices=PLACEMENT_DEVICES)
def test_data_iter_random_device(student, device):
    """data_iter_random puts the right X and Y on the device it is given"""
    corpus = make_corpus(seed=74, length=61)
    out = call_sampler(student, "data_iter_random", corpus, 4, 5, device)
    check_placement(out, out.value, device)
    with values_right("data_iter_random"):
        random_windows(out, corpus, 4, 5, device)


@grades("data_iter_random", points=0.25, devices=PLACEMENT_DEVICES)
def test_data_iter_random_default_device(student, device):
    """data_iter_random without a device puts right X and Y on the GPU, else the CPU"""
    # Placement runs where there is a GPU, real or simulated: device=None means it.
    corpus = make_corpus(seed=75, length=61)
    out = call_sampler(student, "data_iter_random", corpus, 4, 5, device, pass_device=False)
    check_placement(out, out.value, device, default=True)
    with values_right("data_iter_random"):
        random_windows(out, corpus, 4, 5, device, default=True)


# -- data_iter_consecutive ---------------------------------------------------------------


def check_consecutive(out: Outcome, corpus: list[int], batch_size: int, num_steps: int,
                      expected_device: str, default: bool = False) -> None:
    function = "data_iter_consecutive"
    items = minibatches(out, corpus, expected_device, default)
    expected = list(ref.data_iter_consecutive(corpus, batch_size, num_steps, device="cpu"))
    for k, (X, Y) in enumerate(items, start=1):
        if X.shape != (batch_size, num_steps):
            raise Diagnosis("wrong_shape", what=Phrase("what.of_minibatch", name="X", batch=k),
                            actual=tuple(X.shape), expected=(batch_size, num_steps))
        if Y.shape != X.shape:
            if k == len(items) and Y.dim() == 2 and Y.shape[0] == batch_size and \
                    Y.shape[1] < num_steps:
                raise Diagnosis("data_iter_consecutive.past_end", actual=Y.shape[1],
                                expected=num_steps)
            raise Diagnosis("wrong_shape", what=Phrase("what.of_minibatch", name="Y", batch=k),
                            actual=tuple(Y.shape), expected=tuple(X.shape))
    where = positions(corpus)
    previous: list[int] = []
    for k, (X, Y) in enumerate(items, start=1):
        X, Y = as_indices(X), as_indices(Y)
        starts = window_starts(function, X, where, k)
        check_targets(function, X, Y, where, k)
        for row, (before, now) in enumerate(zip(previous, starts)):
            if now != before + num_steps:
                raise Diagnosis("data_iter_consecutive.not_continuous", batch=k,
                                previous=k - 1, row=row, actual=now,
                                expected=before + num_steps)
        previous = starts
    if items and expected:
        first = window_starts(function, expected[0][0], where, 1)
        for row, (actual, want) in enumerate(zip(window_starts(function,
                                                               as_indices(items[0][0]),
                                                               where, 1), first)):
            if actual != want:
                raise Diagnosis("data_iter_consecutive.layout", row=row, actual=actual,
                                expected=want)
    if len(items) != len(expected):
        raise Diagnosis("data_iter_consecutive.batch_count", actual=len(items),
                        expected=len(expected))
    for k, ((X, Y), (want_X, want_Y)) in enumerate(zip(items, expected), start=1):
        # In the dtype the student chose among TOKEN_DTYPES, which minibatches checked.
        expect_tensor(out, X, want_X.to(X.dtype),
                      what=Phrase("what.of_minibatch", name="X", batch=k))
        expect_tensor(out, Y, want_Y.to(Y.dtype),
                      what=Phrase("what.of_minibatch", name="Y", batch=k))


@grades("data_iter_consecutive", points=1, public=True)
def test_data_iter_consecutive_streams(student, device):
    """data_iter_consecutive continues each row from one minibatch to the next"""
    corpus = make_corpus(seed=81, length=205)  # rows of 51 tokens: 10 minibatches of 4 x 5
    out = call_sampler(student, "data_iter_consecutive", corpus, 4, 5, device)
    check_consecutive(out, corpus, 4, 5, device)


@grades("data_iter_consecutive", points=0.5)
def test_data_iter_consecutive_row_end(student, device):
    """data_iter_consecutive stops before the last column of its rows"""
    corpus = make_corpus(seed=82, length=202)  # rows of 50 tokens: the 50th is only a target
    out = call_sampler(student, "data_iter_consecutive", corpus, 4, 5, device)
    check_consecutive(out, corpus, 4, 5, device)


@grades("data_iter_consecutive", points=0.25, devices=PLACEMENT_DEVICES)
def test_data_iter_consecutive_device(student, device):
    """data_iter_consecutive puts the right X and Y on the device it is given"""
    corpus = make_corpus(seed=83, length=63)
    out = call_sampler(student, "data_iter_consecutive", corpus, 3, 4, device)
    check_placement(out, out.value, device)
    with values_right("data_iter_consecutive"):
        check_consecutive(out, corpus, 3, 4, device)


@grades("data_iter_consecutive", points=0.25, devices=PLACEMENT_DEVICES)
def test_data_iter_consecutive_default_device(student, device):
    """data_iter_consecutive without a device puts right X and Y on the GPU, else the CPU"""
    corpus = make_corpus(seed=84, length=63)
    out = call_sampler(student, "data_iter_consecutive", corpus, 3, 4, device,
                       pass_device=False)
    check_placement(out, out.value, device, default=True)
    with values_right("data_iter_consecutive"):
        check_consecutive(out, corpus, 3, 4, device, default=True)
