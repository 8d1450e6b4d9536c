"""Hidden suite for softmax_regression.py: softmax, the cross-entropy loss and accuracy."""

from __future__ import annotations

import math

import torch

from autograder.checks import (
    RETURN_VALUE,
    Outcome,
    Student,
    code,
    describe,
    expect_close,
    expect_close_within,
    expect_inputs_unchanged,
    expect_placed,
    expect_tensor,
    is_close,
    tolerances,
    values_right,
)
from autograder.messages import Diagnosis, Phrase
from autograder.plugin import PLACEMENT_DEVICES, grades
from autograder.protocol import Opaque
from autograder.registry import reference

ref = reference("softmax_regression")


def logits(seed: int, n: int, q: int, scale: float = 1.0) -> torch.Tensor:
    generator = torch.Generator().manual_seed(seed)
    return torch.randn(n, q, generator=generator) * scale


# -- softmax -----------------------------------------------------------------------------


def softmax_mistakes(X: torch.Tensor) -> list[tuple[str, torch.Tensor]]:
    """What the classic mistakes compute on X, each with the key of its diagnosis."""
    exp = X.exp()
    shifted = (X - X.max(dim=1, keepdim=True).values).exp()
    mistakes = [("softmax.wrong_dim", exp / exp.sum(dim=0, keepdim=True)),
                ("softmax.wrong_dim", shifted / shifted.sum(dim=0, keepdim=True))]
    if X.shape[0] == X.shape[1]:
        # Without keepdim a row statistic of shape (n,) lines up with the columns.
        misaligned = (X - X.max(dim=1).values).exp()
        mistakes += [("softmax.no_keepdim", exp / exp.sum(dim=1)),
                     ("softmax.no_keepdim", shifted / shifted.sum(dim=1)),
                     ("softmax.no_keepdim", misaligned / misaligned.sum(dim=1)),
                     ("softmax.no_keepdim", misaligned / misaligned.sum(dim=1, keepdim=True))]
    return mistakes


def check_softmax(out: Outcome, X: torch.Tensor) -> None:
    expected = ref.softmax(X)
    actual = out.value
    if type(actual) is torch.Tensor and actual.shape == expected.shape and \
            actual.dtype == expected.dtype and not is_close(actual, expected):
        for key, wrong in softmax_mistakes(X):
            if is_close(actual, wrong):
                raise Diagnosis(key, where="")
    expect_tensor(out, actual, expected, what=code("softmax(X)"))
    expect_inputs_unchanged(out, {"X": X})


@grades("softmax", points=0.75, public=True)
def test_softmax_values(student, device):
    """softmax turns each row of logits into probabilities that sum to 1"""
    X = logits(seed=11, n=5, q=3)
    check_softmax(student.call("softmax", X, device=device), X)


@grades("softmax", points=0.5)
def test_softmax_square(student, device):
    """softmax normalises rows, also when there are as many rows as classes"""
    X = logits(seed=12, n=4, q=4, scale=2.0)
    check_softmax(student.call("softmax", X, device=device), X)


@grades("softmax", points=0.5)
def test_softmax_stable(student, device):
    """softmax stays finite and correct for logits around +-1000"""
    # Rows far above, far below and across zero, and one row spread over +-1000.
    offsets = torch.tensor([[1000.0], [-1000.0], [0.0], [500.0], [0.0]])
    X = logits(seed=13, n=5, q=6, scale=10.0) + offsets
    X[4] = logits(seed=14, n=1, q=6, scale=1000.0)[0]
    out = student.call("softmax", X, device=device)
    expected = ref.softmax(X)
    actual = out.value
    if type(actual) is torch.Tensor and actual.shape == expected.shape and \
            not bool(torch.isfinite(actual).all()):
        shifted = (X - X.max()).exp()
        if is_close(actual, shifted / shifted.sum(dim=1, keepdim=True)):
            raise Diagnosis("softmax.global_max")
        raise Diagnosis("softmax.overflow")
    expect_tensor(out, actual, expected, what=code("softmax(X)"), check_values=False)
    # Logits of +-1000 are themselves rounded to float32 by up to eps * |x| (about 1e-4),
    # so any correct method (max-shift, logsumexp, ...) may differ from the reference by
    # that much.
    rtol, atol = tolerances(X.dtype)
    atol = max(atol, 2 * torch.finfo(X.dtype).eps * float(X.abs().max()))
    expect_close_within(actual, expected, what=code("softmax(X)"), rtol=rtol, atol=atol)
    expect_inputs_unchanged(out, {"X": X})


@grades("softmax", points=0.25, devices=PLACEMENT_DEVICES)
def test_softmax_stays_on_device(student, device):
    """softmax keeps its right result on the input's device"""
    X = logits(seed=15, n=5, q=3)
    out = student.call("softmax", X, device=device)
    expect_placed(out, out.value)
    with values_right("softmax"):
        check_softmax(out, X)


# -- cross_entropy -----------------------------------------------------------------------


def classification(seed: int, n: int, q: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Predicted probabilities (softmax of random logits) and int64 labels."""
    generator = torch.Generator().manual_seed(seed)
    y_hat = ref.softmax(torch.randn(n, q, generator=generator))
    y = torch.randint(0, q, (n,), generator=generator)
    return y_hat, y


def per_example(out: Outcome, y_hat: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """The losses cross_entropy returned, checked for shape, dtype and device, as (n,).

    One loss per example is accepted as (n,) or, the d2lzh convention of
    -torch.log(y_hat.gather(1, y.view(-1, 1))), as (n, 1).
    """
    expected = ref.cross_entropy(y_hat, y)
    actual = out.value
    n = len(y)
    if type(actual) is torch.Tensor:
        if actual.shape == (n, n):
            raise Diagnosis("cross_entropy.fancy_index", actual=tuple(actual.shape))
        if actual.numel() == 1:
            for reduction in ("mean", "sum"):
                if is_close(actual.reshape(()), getattr(expected, reduction)()):
                    raise Diagnosis("cross_entropy.reduced",
                                    reduction=Diagnosis(f"reduction.{reduction}"))
                if is_close(actual.reshape(()), getattr(second_softmax(y_hat, y), reduction)()):
                    raise Diagnosis("cross_entropy.double_softmax")
        if actual.shape == (n, 1):
            expected = expected.reshape(n, 1)
    expect_tensor(out, actual, expected, what=code("cross_entropy(y_hat, y)"),
                  check_values=False)
    expect_inputs_unchanged(out, {"y_hat": y_hat, "y": y})
    return actual.reshape(n)


def second_softmax(y_hat: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """What F.cross_entropy gives on probabilities: it takes them for logits, so it applies
    a second (log-)softmax before picking the true class."""
    return torch.nn.functional.cross_entropy(y_hat, y, reduction="none")


def check_cross_entropy(out: Outcome, y_hat: torch.Tensor, y: torch.Tensor) -> None:
    actual = per_example(out, y_hat, y)
    expected = ref.cross_entropy(y_hat, y)
    if is_close(actual, expected):
        return
    picked = y_hat[torch.arange(len(y)), y]
    if is_close(actual, -expected):
        raise Diagnosis("cross_entropy.sign")
    if is_close(actual, picked) or is_close(actual, -picked):
        raise Diagnosis("cross_entropy.no_log")
    if is_close(actual, second_softmax(y_hat, y)):
        raise Diagnosis("cross_entropy.double_softmax")
    expect_close(actual, expected, what=code("cross_entropy(y_hat, y)"))


@grades("cross_entropy", points=1.25, public=True)
def test_cross_entropy_values(student, device):
    """cross_entropy gives -log(y_hat[i, y[i]]) for each example"""
    y_hat, y = classification(seed=21, n=6, q=4)
    check_cross_entropy(student.call("cross_entropy", y_hat, y, device=device), y_hat, y)


def with_zeros(seed: int, n: int, q: int, *, true_class: bool, rows: list[int]):
    """Probabilities where, in `rows`, the true class (or another class) has probability 0."""
    generator = torch.Generator().manual_seed(seed)
    y_hat, y = classification(seed, n, q)
    for row in rows:
        column = int(y[row]) if true_class else \
            (int(y[row]) + int(torch.randint(1, q, (1,), generator=generator))) % q
        y_hat[row, column] = 0.0
    return y_hat / y_hat.sum(dim=1, keepdim=True), y


@grades("cross_entropy", points=0.25)
def test_cross_entropy_zero_elsewhere(student, device):
    """cross_entropy stays finite where only a wrong class has probability 0"""
    y_hat, y = with_zeros(seed=22, n=6, q=4, true_class=False, rows=[0, 2, 3])
    out = student.call("cross_entropy", y_hat, y, device=device)
    actual = per_example(out, y_hat, y)
    expected = ref.cross_entropy(y_hat, y)
    for row in range(len(y)):
        if not math.isfinite(float(actual[row])):
            raise Diagnosis("cross_entropy.zero_other", row=row, actual=float(actual[row]),
                            expected=float(expected[row]))
    check_cross_entropy(out, y_hat, y)


# -log(p) for p = exp(-10), about 4.5e-5: any loss this large still says "certainly wrong".
LARGE_LOSS = 10.0


@grades("cross_entropy", points=0.25)
def test_cross_entropy_zero_true_class(student, device):
    """cross_entropy is inf where the true class has probability 0"""
    zero_rows = [1, 4]
    y_hat, y = with_zeros(seed=23, n=6, q=4, true_class=True, rows=zero_rows)
    out = student.call("cross_entropy", y_hat, y, device=device)
    actual = per_example(out, y_hat, y)
    expected = ref.cross_entropy(y_hat, y)  # inf in the zero rows
    if is_close(actual, second_softmax(y_hat, y)):
        raise Diagnosis("cross_entropy.double_softmax")
    for row in zero_rows:
        value = float(actual[row])
        # inf is right; an epsilon guard that keeps the loss very large is accepted too.
        if not (value == math.inf or (math.isfinite(value) and value >= LARGE_LOSS)):
            raise Diagnosis("cross_entropy.zero_true", row=row, actual=value)
    others = [row for row in range(len(y)) if row not in zero_rows]
    expect_close(actual[others], expected[others], what=code("cross_entropy(y_hat, y)"))


@grades("cross_entropy", points=0.25, devices=PLACEMENT_DEVICES)
def test_cross_entropy_stays_on_device(student, device):
    """cross_entropy keeps its right result on the inputs' device"""
    y_hat, y = classification(seed=24, n=6, q=4)
    out = student.call("cross_entropy", y_hat, y, device=device)
    expect_placed(out, out.value)
    with values_right("cross_entropy"):
        check_cross_entropy(out, y_hat, y)


# -- accuracy ----------------------------------------------------------------------------


def predictions(seed: int, n: int, q: int, right: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Probabilities and labels such that exactly `right` of the n argmaxes are the label."""
    generator = torch.Generator().manual_seed(seed)
    y_hat = ref.softmax(torch.randn(n, q, generator=generator))
    predicted = y_hat.argmax(dim=1)
    wrong = (predicted + torch.randint(1, q, (n,), generator=generator)) % q
    y = torch.where(torch.arange(n) < right, predicted, wrong)
    order = torch.randperm(n, generator=generator)
    return y_hat[order], y[order]


def accuracy_number(out: Outcome) -> float:
    """The value accuracy returned as a number (a one-element tensor counts here)."""
    value = out.value
    if type(value) is torch.Tensor and value.numel() == 1:
        return float(value.reshape(()))
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    raise Diagnosis("wrong_type", what=RETURN_VALUE, function="accuracy",
                    expected=Phrase("expected.float"), actual=describe(value))


def floors_the_fraction(student: Student, device: str, n: int, q: int) -> bool:
    """Whether accuracy gives 1 where every prediction is right. With 0 for a fraction
    below 1, that is floor division (`//`): every fraction below 1 rounds down to 0."""
    y_hat, y = predictions(seed=34, n=n, q=q, right=n)
    value = student.call("accuracy", y_hat, y, device=device).value
    if type(value) is torch.Tensor and value.numel() == 1:
        value = float(value.reshape(()))
    return isinstance(value, (int, float)) and abs(value - 1) <= 1e-6


def check_accuracy(student: Student, out: Outcome, y_hat: torch.Tensor,
                   y: torch.Tensor) -> None:
    expected = ref.accuracy(y_hat, y)
    actual = accuracy_number(out)
    if abs(actual - expected) <= 1e-6:
        return
    if actual == 0.0 and 0 < expected < 1 and \
            floors_the_fraction(student, out.device, *y_hat.shape):
        raise Diagnosis("accuracy.floor_division", actual=actual, expected=expected)
    correct = round(expected * len(y))
    if correct and abs(actual - correct) <= 1e-6:
        raise Diagnosis("accuracy.count", actual=actual)
    if y_hat.shape[0] == y_hat.shape[1]:
        by_column = (y_hat.argmax(dim=0) == y).float().mean().item()
        if abs(actual - by_column) <= 1e-6:
            raise Diagnosis("accuracy.argmax_dim")
        raw = (y_hat == y).float().mean().item()  # probabilities compared with labels
        if abs(actual - raw) <= 1e-6:
            raise Diagnosis("accuracy.no_argmax", actual=actual, expected=expected)
    if actual == 0.0:
        raise Diagnosis("accuracy.no_argmax", actual=actual, expected=expected)
    raise Diagnosis("accuracy.wrong_value", actual=actual, expected=expected)


@grades("accuracy", points=0.5, public=True)
def test_accuracy_values(student, device):
    """accuracy is the fraction of rows whose argmax is the label"""
    y_hat, y = predictions(seed=31, n=20, q=5, right=9)
    out = student.call("accuracy", y_hat, y, device=device)
    check_accuracy(student, out, y_hat, y)
    expect_inputs_unchanged(out, {"y_hat": y_hat, "y": y})


@grades("accuracy", points=0.25)
def test_accuracy_square(student, device):
    """accuracy compares each row's argmax with its label, also when n == q"""
    y_hat, y = predictions(seed=32, n=6, q=6, right=3)
    check_accuracy(student, student.call("accuracy", y_hat, y, device=device), y_hat, y)


@grades("accuracy", points=0.25)
def test_accuracy_returns_float(student, device):
    """accuracy returns a Python float"""
    y_hat, y = predictions(seed=33, n=8, q=3, right=6)
    out = student.call("accuracy", y_hat, y, device=device)
    value = out.value
    if isinstance(value, torch.Tensor) or (isinstance(value, Opaque) and value.tensor_subclass):
        raise Diagnosis("accuracy.tensor", actual=describe(value))
    if not isinstance(value, float):
        raise Diagnosis("wrong_type", what=RETURN_VALUE, function="accuracy",
                        expected=Phrase("expected.float"), actual=describe(value))

