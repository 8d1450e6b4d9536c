"""Hidden suite for house_prices.py: log_rmse and get_k_fold_data.

log_rmse takes a model, which is built in the worker (procedure "log_rmse_of_linear") from a
weight and a bias the test chooses; the expected values are the reference's, with the
same model. Two forms are accepted: the book's sqrt(2 * MSE) of the logarithms, and the
competition's sqrt(MSE). get_k_fold_data is judged on rows that name themselves (the
first feature of row r is r), so a wrong split says which rows it took.
"""

from __future__ import annotations

import math

import torch

from autograder.checks import (
    RETURN_VALUE,
    Outcome,
    Student,
    code,
    describe,
    expect_inputs_unchanged,
    expect_placed,
    expect_tensor,
    values_right,
)
from autograder.messages import Diagnosis, Phrase
from autograder.plugin import PLACEMENT_DEVICES, grades
from autograder.registry import reference

ref = reference("house_prices")

# Mutants of the reference that change its code but not what it computes, or change it
# only into a form the contract accepts.
EQUIVALENT_MUTANTS = {
    "log_rmse:swap_args:2245deb2":
        "torch.max(torch.tensor(1.0), preds) instead of torch.max(preds, torch.tensor(1.0)): "
        "the elementwise maximum is symmetric, and the 0-dim tensor broadcasts to the "
        "predictions' shape and device either way: the same tensor",
    "log_rmse:constant:a50b9bf4":
        "1 * instead of 2 * gives sqrt(MSE) of the logs, the competition's own measure, "
        "which the contract accepts beside the book's sqrt(2 * MSE)",
    "log_rmse:reduction:8e361baa":
        ".sum() instead of .mean() of MSELoss's result, which is already a 0-dim mean: "
        "the sum and the mean of one element are that element",
    "log_rmse:swap_args:a5e36e0c":
        "loss(labels.log(), clipped_preds.log()) instead of loss(clipped_preds.log(), "
        "labels.log()): MSELoss is symmetric, (a - b) ** 2 and (b - a) ** 2 are equal "
        "bit for bit (negation is exact in floating point)",
    "get_k_fold_data:comparison:495e16ce":
        "assert k >= 1 instead of k > 1 differs only for k = 1, which the contract "
        "excludes (k > 1): the assert states the precondition, it computes nothing",
    "get_k_fold_data:constant:2629e350":
        "assert k > 0 instead of k > 1 differs only for k <= 1, which the contract "
        "excludes (k > 1): the assert states the precondition, it computes nothing",
}


def generator(seed: int) -> torch.Generator:
    return torch.Generator().manual_seed(seed)


# -- log_rmse ----------------------------------------------------------------------------


def house_data(seed: int, n: int, d: int, bias: float,
               scale: float) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    """(weight, bias, features, labels): a linear model and prices within a factor of
    about 1.5 of its predictions (all >= 10), for n houses of d features."""
    g = generator(seed)
    features = torch.randn(n, d, generator=g)
    weight = torch.randn(1, d, generator=g) * scale
    b = torch.tensor([bias])
    predictions = (features @ weight.T + b).clamp(min=10.0)
    labels = predictions * torch.exp(0.4 * torch.randn(n, 1, generator=g))
    return weight, b, features, labels.clamp(min=10.0)


def linear(weight: torch.Tensor, bias: torch.Tensor) -> torch.nn.Linear:
    net = torch.nn.Linear(weight.shape[1], 1)
    net.weight = torch.nn.Parameter(weight.clone())
    net.bias = torch.nn.Parameter(bias.clone())
    return net


def call_log_rmse(student: Student, device: str, data: tuple) -> Outcome:
    weight, bias, features, labels = data
    return student.run("log_rmse_of_linear", "log_rmse", device=device, weight=weight,
                       bias=bias, features=features, labels=labels)


def as_number(out: Outcome) -> float:
    """The value as a float: a Python float, or a tensor of one element (whose type the
    float test judges)."""
    value = out.value
    if type(value) is torch.Tensor and value.numel() == 1:
        return float(value.detach().reshape(()).double())
    if isinstance(value, float) or type(value) is int:
        return float(value)
    raise Diagnosis("wrong_type", what=RETURN_VALUE, function="log_rmse",
                    expected=Phrase("expected.float"), actual=describe(value))


def close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-4, abs_tol=1e-6)


def check_log_rmse(out: Outcome, data: tuple) -> float:
    weight, bias, features, labels = data
    expect_inputs_unchanged(out, {"features": features, "labels": labels})
    value = as_number(out)
    with torch.no_grad():
        predictions = linear(weight, bias)(features).double()
        logs = labels.double().log()
        clamped = predictions.clamp(min=1.0)
        book = ref.log_rmse(linear(weight, bias), features, labels)
        plain = book / math.sqrt(2)
        if close(value, book) or close(value, plain):
            return value
        if math.isnan(value) and bool((predictions < 1).any()):
            raise Diagnosis("log_rmse.no_clamp")
        if close(value, book ** 2) or close(value, plain ** 2):
            raise Diagnosis("log_rmse.no_sqrt", actual=value, expected=book)
        n = features.shape[0]
        if close(value, book * math.sqrt(n)) or close(value, plain * math.sqrt(n)):
            raise Diagnosis("log_rmse.summed", n=n)
        no_log = float(((clamped - labels.double()) ** 2).mean().sqrt())
        if close(value, no_log) or close(value, no_log * math.sqrt(2)):
            raise Diagnosis("log_rmse.no_log")
        capped = float(((predictions.clamp(max=1.0).log() - logs) ** 2).mean().sqrt())
        if close(value, capped) or close(value, capped * math.sqrt(2)):
            raise Diagnosis("log_rmse.clamp_max")
    raise Diagnosis("log_rmse.wrong_value", actual=value, book=book, plain=plain)


@grades("log_rmse", points=1.25, public=True)
def test_log_rmse_value(student, device):
    """log_rmse is the root-mean-square error of the log predictions"""
    data = house_data(seed=51, n=40, d=5, bias=300.0, scale=40.0)  # every prediction > 1
    check_log_rmse(call_log_rmse(student, device, data), data)


@grades("log_rmse", points=1)
def test_log_rmse_clamps(student, device):
    """log_rmse sets predictions below 1 to 1 before taking the log"""
    # An untrained net: predictions around 0, a third of them negative, some in (0, 1).
    data = house_data(seed=52, n=60, d=4, bias=0.0, scale=3.0)
    weight, bias, features, labels = data
    predictions = features @ weight.T + bias
    assert bool((predictions < 0).any()) and bool(((predictions > 1) & (predictions < 2)).any())
    check_log_rmse(call_log_rmse(student, device, data), data)


@grades("log_rmse", points=0.25)
def test_log_rmse_returns_float(student, device):
    """log_rmse returns a Python float, with .item()"""
    data = house_data(seed=53, n=20, d=3, bias=200.0, scale=30.0)
    out = call_log_rmse(student, device, data)
    check_log_rmse(out, data)
    if not isinstance(out.value, float):
        raise Diagnosis("log_rmse.not_float", actual=describe(out.value))


@grades("log_rmse", points=0.25, devices=PLACEMENT_DEVICES)
def test_log_rmse_on_device(student, device):
    """log_rmse computes its right value on the device of its inputs"""
    data = house_data(seed=54, n=30, d=4, bias=20.0, scale=15.0)  # some predictions < 1
    out = call_log_rmse(student, device, data)  # mixing devices raises: its diagnosis
    with values_right("log_rmse"):
        check_log_rmse(out, data)


# -- get_k_fold_data ---------------------------------------------------------------------


def rows(seed: int, n: int, d: int, flat_labels: bool = False) -> tuple[torch.Tensor, torch.Tensor]:
    """X of shape (n, d) whose first column is the row's number; y = 1000 + that number."""
    X = torch.randn(n, d, generator=generator(seed))
    X[:, 0] = torch.arange(n, dtype=torch.float32)
    y = 1000.0 + torch.arange(n, dtype=torch.float32)
    return X, (y if flat_labels else y.reshape(n, 1))


def row_numbers(tensor: torch.Tensor) -> list[int]:
    return [int(v) for v in tensor[:, 0].tolist()]


def call_k_fold(student: Student, device: str, k: int, i: int, X: torch.Tensor,
                y: torch.Tensor) -> Outcome:
    return student.call("get_k_fold_data", k, i, X, y, device=device)


def check_k_fold(out: Outcome, k: int, i: int, X: torch.Tensor, y: torch.Tensor) -> None:
    expect_inputs_unchanged(out, {"X": X, "y": y}, first=2)
    value = out.value
    if not isinstance(value, (tuple, list)) or len(value) != 4:
        raise Diagnosis("wrong_type", what=RETURN_VALUE, function="get_k_fold_data",
                        expected=Phrase("hp.expected_four"), actual=describe(value))
    names = ("X_train", "y_train", "X_valid", "y_valid")
    for name, tensor in zip(names, value):
        if type(tensor) is not torch.Tensor:
            raise Diagnosis("wrong_type", what=code(name), function="get_k_fold_data",
                            expected=Phrase("expected.tensor"), actual=describe(tensor))
    X_train, y_train, X_valid, y_valid = value
    expected = ref.get_k_fold_data(k, i, X, y)
    # (X_train, X_valid, y_train, y_valid), the order of scikit-learn's train_test_split.
    swapped = [expected[0], expected[2], expected[1], expected[3]]
    if all(a.shape == b.shape and torch.equal(a, b) for a, b in zip(value, swapped)):
        raise Diagnosis("k_fold.return_order")
    n, d = X.shape
    fold = n // k
    folds = [list(range(j * fold, (j + 1) * fold)) for j in range(k)]
    if X_valid.dim() == 2 and X_valid.shape[1] == d:
        valid = row_numbers(X_valid)
        if valid != folds[i] and valid in folds:
            raise Diagnosis("k_fold.wrong_fold", i=i, actual=folds.index(valid))
        if n > k * fold and valid == folds[i] + list(range(k * fold, n)):
            raise Diagnosis("k_fold.remainder", fold_size=fold, k=k, n=n)
        if len(valid) != fold:
            raise Diagnosis("k_fold.fold_size", actual=len(valid), fold_size=fold, k=k, n=n)
    if k > 2 and X_train.dim() == 2 and X_train.shape[0] == fold and \
            X_train.shape[1] == (k - 1) * d:
        raise Diagnosis("k_fold.cat_dim", actual=tuple(X_train.shape),
                        expected=tuple(expected[0].shape))
    if X_train.dim() == 2 and X_train.shape[1] == d:
        train = row_numbers(X_train)
        if train == folds[i] * (k - 1):
            raise Diagnosis("k_fold.slice_variable", i=i)
        if set(folds[i]) & set(train):
            raise Diagnosis("k_fold.valid_in_train", i=i)
        if set(train) - {r for j in range(k) for r in folds[j]}:
            raise Diagnosis("k_fold.remainder", fold_size=fold, k=k, n=n)
        if sorted(train) == row_numbers(expected[0]) and train != sorted(train):
            raise Diagnosis("k_fold.order")
    for name, actual, want in zip(names, value, expected):
        expect_tensor(out, actual, want, what=code(name))


@grades("get_k_fold_data", points=1.25, public=True)
def test_k_fold_split(student, device):
    """get_k_fold_data validates on fold i and trains on the other folds, in order"""
    X, y = rows(seed=61, n=23, d=3)  # k = 4: folds of 5 rows, rows 20 to 22 left out
    for i in (1, 2):
        check_k_fold(call_k_fold(student, device, 4, i, X, y), 4, i, X, y)


@grades("get_k_fold_data", points=0.75)
def test_k_fold_first_and_last_fold(student, device):
    """get_k_fold_data works for the first and last fold, k = 2 and labels of shape (n,)"""
    X, y = rows(seed=62, n=27, d=2)  # k = 5: folds of 5 rows, rows 25 and 26 left out
    for i in (0, 4):
        check_k_fold(call_k_fold(student, device, 5, i, X, y), 5, i, X, y)
    X, y = rows(seed=63, n=12, d=2, flat_labels=True)
    for i in (0, 2):
        check_k_fold(call_k_fold(student, device, 3, i, X, y), 3, i, X, y)
    X, y = rows(seed=65, n=9, d=2)  # k = 2, the fewest folds: 4 rows each, row 8 left out
    for i in (0, 1):
        check_k_fold(call_k_fold(student, device, 2, i, X, y), 2, i, X, y)


@grades("get_k_fold_data", points=0.25, devices=PLACEMENT_DEVICES)
def test_k_fold_on_device(student, device):
    """get_k_fold_data leaves the right folds on the device of X and y"""
    X, y = rows(seed=64, n=16, d=3)
    out = call_k_fold(student, device, 4, 2, X, y)
    expect_placed(out, out.value)
    with values_right("get_k_fold_data"):
        check_k_fold(out, 4, 2, X, y)
