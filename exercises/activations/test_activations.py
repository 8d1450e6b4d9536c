"""Hidden suite for activations.py: relu, sigmoid and tanh from elementary operations."""

from __future__ import annotations

import torch

from autograder.checks import (
    Outcome,
    code,
    error_diagnosis,
    expect_inputs_unchanged,
    expect_placed,
    expect_tensor,
    is_close,
    source_uses,
    values_right,
)
from autograder.messages import Diagnosis, Phrase
from autograder.plugin import PLACEMENT_DEVICES, grades
from autograder.registry import reference

ref = reference("activations")

FORMULAS = {
    "relu": "max(x, 0)",
    "sigmoid": "1 / (1 + exp(-x))",
    "tanh": "(1 - exp(-2x)) / (1 + exp(-2x))",
}

# PyTorch's own activations (and clamp, which is relu by another name): the functions
# of torch, torch.Tensor, torch.nn.functional, torch.special and torch.ops that an
# exercise written "from elementary operations" may not call.
BANNED = {"relu", "relu_", "relu6", "sigmoid", "sigmoid_", "tanh", "tanh_", "expit",
          "special_expit", "clamp", "clamp_", "clamp_min", "clamp_min_", "clamp_max",
          "clamp_max_", "clip", "clip_", "hardtanh", "hardtanh_", "threshold", "threshold_",
          "leaky_relu", "leaky_relu_", "rrelu", "rrelu_", "rrelu_with_noise"}
_NAMESPACES = {"torch", "torch.Tensor", "torch.nn.functional", "torch.special",
               "torch._C._nn", "torch._C._special", "torch._C._VariableFunctions"}

# Mutants of the reference that change its code but not what it computes
# (`autograder exercise check`; the figures were measured over 100,001 points of
# [-3, 3] with 0, -0.0 and 1, in float32 and float64).
EQUIVALENT_MUTANTS = {
    "relu:comparison:732fafac":
        "X >= 0 instead of X > 0 picks X where X == 0, which is 0 as well: the values are "
        "identical, and only the gradient at exactly 0 differs (1 instead of 0), which the "
        "exercise says is not graded",
    "sigmoid:comparison:dfa6f53a":
        "X > 0 instead of X >= 0 sends x == 0 to the other branch, z / (1 + z) with "
        "z = exp(0) = 1, which is 0.5 with the same gradient 0.25: values and gradients "
        "are identical everywhere",
    "tanh:comparison:670e4576":
        "X > 0 instead of X >= 0 sends x == 0 to the other branch, -t with t = 0, which is "
        "-0.0 (equal to 0.0) with the same gradient 1: values and gradients are equal "
        "everywhere",
    "sigmoid:constant:ede4accf":
        "X >= 1 instead of X >= 0 computes exp(x) / (1 + exp(x)) for 0 <= x < 1, the same "
        "sigmoid, and exp(x) < e cannot overflow there: it differs only by rounding "
        "(at most 1.2e-7 in float32, 2.2e-16 in float64)",
    "tanh:constant:4e078368":
        "X >= 1 instead of X >= 0 computes -(-expm1(2x) / (2 + expm1(2x))) for 0 <= x < 1, "
        "the same tanh, and expm1(2x) < e ** 2 cannot overflow there: it differs only by "
        "rounding (at most 1.2e-7 in float32, 2.2e-16 in float64)",
}


def random_input(seed: int, shape: tuple[int, ...], scale: float,
                 dtype: torch.dtype = torch.float32) -> torch.Tensor:
    generator = torch.Generator().manual_seed(seed)
    return torch.randn(*shape, generator=generator, dtype=dtype) * scale


def away_from_zero(seed: int, shape: tuple[int, ...],
                   dtype: torch.dtype = torch.float64) -> torch.Tensor:
    """Inputs with 0.1 <= |x| <= 3.1: clear of relu's kink, where derivatives disagree."""
    generator = torch.Generator().manual_seed(seed)
    magnitude = 0.1 + 3 * torch.rand(*shape, generator=generator, dtype=dtype)
    sign = torch.randint(0, 2, shape, generator=generator).to(dtype) * 2 - 1
    return magnitude * sign


def check_values(out: Outcome, name: str, X: torch.Tensor) -> None:
    function = getattr(ref, name)
    expected = function(X)
    actual = out.value
    if type(actual) is torch.Tensor and actual.shape == expected.shape and \
            actual.dtype == expected.dtype and not is_close(actual, expected):
        if is_close(actual, function(-X)):
            raise Diagnosis("activation.sign_flip", function=name, formula=FORMULAS[name])
        if name == "tanh" and is_close(actual, ref.tanh(X / 2)):
            raise Diagnosis("tanh.half_argument")
    expect_tensor(out, actual, expected, what=code(f"{name}(X)"))
    expect_inputs_unchanged(out, {"X": X})


def reference_gradient(name: str, X: torch.Tensor, upstream: torch.Tensor) -> torch.Tensor:
    leaf = X.clone().requires_grad_(True)
    (getattr(ref, name)(leaf) * upstream).sum().backward()  # as the harness does
    return leaf.grad


def gradient(out: Outcome, name: str, X: torch.Tensor) -> torch.Tensor:
    """The gradient that reached X, once the value has the right shape and dtype."""
    expect_tensor(out, out.value, getattr(ref, name)(X), what=code(f"{name}(X)"),
                  check_values=False)
    if out.result["backward_error"] is not None:
        raise error_diagnosis(name, out.result["backward_error"])
    if not out.result["connected"] or out.result["grad"] is None:
        raise Diagnosis("activation.no_grad", function=name)
    return out.result["grad"]


# The true derivative at x = 0, which sigmoid's and tanh's docstrings promise ("x = 0
# included"). relu's kink is not graded: its docstring uses 0 there, the book's torch.max
# gives 0.5, and both are accepted.
DERIVATIVE_AT_ZERO = {
    "sigmoid": "sigmoid(0) * (1 - sigmoid(0)) = 0.25",
    "tanh": "1 - tanh(0) ** 2 = 1",
}
ZEROS = ([0, 1, 2], [0, 3, 1])  # where the gradient test puts x = 0


def check_gradient(student, device: str, name: str, seed: int) -> None:
    X = away_from_zero(seed, (3, 5))
    if name in DERIVATIVE_AT_ZERO:
        X[ZEROS] = 0.0
    upstream = random_input(seed + 100, (3, 5), 1.0, dtype=torch.float64)
    out = student.run("grad", name, device=device, X=X, upstream=upstream)
    actual, expected = gradient(out, name, X), reference_gradient(name, X, upstream)
    if name in DERIVATIVE_AT_ZERO:
        check_gradient_at_zero(name, X, actual, expected, upstream)
    expect_tensor(out, actual, expected, what=Phrase("what.gradient", function=name))


def check_gradient_at_zero(name: str, X: torch.Tensor, actual: torch.Tensor,
                           expected: torch.Tensor, upstream: torch.Tensor) -> None:
    """A gradient right everywhere but 0 at x = 0: sign(x) or |x| in the formula."""
    if actual.shape != X.shape or actual.dtype != expected.dtype:
        return  # expect_tensor explains
    zero = X == 0
    if not is_close(actual[~zero], expected[~zero]):
        return
    for index in zero.nonzero().tolist():
        position = tuple(index)
        if float(actual[position]) == 0.0 and float(expected[position]) != 0.0:
            raise Diagnosis("activation.zero_gradient_at_zero", function=name,
                            derivative=DERIVATIVE_AT_ZERO[name],
                            upstream=float(upstream[position]),
                            expected=float(expected[position]),
                            remedy=Phrase(f"zero_gradient.{name}"))


def first_overflow(actual: torch.Tensor, expected: torch.Tensor, X: torch.Tensor):
    """The input at which `actual` is nan or inf while `expected` is finite, or None."""
    bad = ~torch.isfinite(actual) & torch.isfinite(expected)
    return float(X[bad][0]) if bool(bad.any()) else None


def check_stability(student, device: str, name: str, seed: int) -> None:
    """Value and gradient finite and right for |x| up to about 1500 in float32."""
    X = random_input(seed, (4, 5), 500.0)
    upstream = random_input(seed + 100, (4, 5), 1.0)
    out = student.run("grad", name, device=device, X=X, upstream=upstream)
    expected = getattr(ref, name)(X)
    value = out.value
    if type(value) is torch.Tensor and value.shape == X.shape:
        x = first_overflow(value, expected, X)
        if x is not None:
            raise Diagnosis(f"{name}.overflow", part=Diagnosis("part.value"), x=x)
    expect_tensor(out, value, expected, what=code(f"{name}(X)"))
    actual_grad = gradient(out, name, X)
    expected_grad = reference_gradient(name, X, upstream)
    if actual_grad.shape == X.shape:
        x = first_overflow(actual_grad, expected_grad, X)
        if x is not None:
            raise Diagnosis(f"{name}.overflow", part=Diagnosis("part.gradient"), x=x)
    expect_tensor(out, actual_grad, expected_grad, what=Phrase("what.gradient", function=name))


def banned_call(functions: list[str]) -> str | None:
    """The first built-in activation among the torch functions a call ran."""
    for qualified in functions:
        if qualified.startswith("torch.ops."):  # torch.ops.aten.relu[.default]
            parts = qualified.split(".")
            if len(parts) > 3 and parts[3] in BANNED:
                return ".".join(parts[:4])
            continue
        namespace, _, base = qualified.rpartition(".")
        if base in BANNED and namespace in _NAMESPACES:
            return qualified
    return None


# In the source as well: torch._C.DisableTorchFunction() hides a call from the recorder.
# nn.ReLU and its kind call the functions above, and are caught at run time too.
BANNED_IN_SOURCE = BANNED | {"ReLU", "ReLU6", "Sigmoid", "Tanh", "Hardtanh", "LeakyReLU",
                             "RReLU", "Threshold"}


def check_no_builtin(student, device: str, name: str, seed: int) -> None:
    X = random_input(seed, (3, 4), 3.0)
    out = student.run("watch", name, device=device, args=[X])
    banned = banned_call(out.result["functions"])
    tree = student.source_tree() if banned is None else None
    if tree is not None:
        banned = source_uses(tree, name, BANNED_IN_SOURCE)
    if banned is not None:
        raise Diagnosis("activation.builtin", function=name, name=banned,
                        formula=FORMULAS[name])


# -- relu --------------------------------------------------------------------------------


@grades("relu", points=0.5, public=True)
def test_relu_values(student, device):
    """relu keeps positive entries and zeroes negative ones, for any shape"""
    X = random_input(41, (2, 3, 4), 3.0)
    check_values(student.call("relu", X, device=device), "relu", X)


@grades("relu", points=0.3)
def test_relu_gradient(student, device):
    """relu passes the gradient through where x > 0 and blocks it where x < 0"""
    check_gradient(student, device, "relu", seed=42)


@grades("relu", points=0.1)
def test_relu_not_builtin(student, device):
    """relu is written from elementary operations, not PyTorch's built-in"""
    check_no_builtin(student, device, "relu", seed=43)


@grades("relu", points=0.1, devices=PLACEMENT_DEVICES)
def test_relu_stays_on_device(student, device):
    """relu keeps its right result on the input's device"""
    X = random_input(44, (3, 4), 3.0)
    out = student.call("relu", X, device=device)
    expect_placed(out, out.value)
    with values_right("relu"):
        check_values(out, "relu", X)


# -- sigmoid -----------------------------------------------------------------------------


@grades("sigmoid", points=0.4, public=True)
def test_sigmoid_values(student, device):
    """sigmoid computes 1 / (1 + exp(-x)) for any shape"""
    X = random_input(51, (2, 3, 4), 3.0)
    check_values(student.call("sigmoid", X, device=device), "sigmoid", X)


@grades("sigmoid", points=0.2)
def test_sigmoid_gradient(student, device):
    """sigmoid's gradient is sigmoid(x) * (1 - sigmoid(x))"""
    check_gradient(student, device, "sigmoid", seed=52)


@grades("sigmoid", points=0.2)
def test_sigmoid_stable(student, device):
    """sigmoid and its gradient stay finite for large |x|"""
    check_stability(student, device, "sigmoid", seed=53)


@grades("sigmoid", points=0.1)
def test_sigmoid_not_builtin(student, device):
    """sigmoid is written from elementary operations, not PyTorch's built-in"""
    check_no_builtin(student, device, "sigmoid", seed=54)


@grades("sigmoid", points=0.1, devices=PLACEMENT_DEVICES)
def test_sigmoid_stays_on_device(student, device):
    """sigmoid keeps its right result on the input's device"""
    X = random_input(55, (3, 4), 3.0)
    out = student.call("sigmoid", X, device=device)
    expect_placed(out, out.value)
    with values_right("sigmoid"):
        check_values(out, "sigmoid", X)


# -- tanh --------------------------------------------------------------------------------


@grades("tanh", points=0.4, public=True)
def test_tanh_values(student, device):
    """tanh computes (1 - exp(-2x)) / (1 + exp(-2x)) for any shape"""
    X = random_input(61, (2, 3, 4), 3.0)
    check_values(student.call("tanh", X, device=device), "tanh", X)


@grades("tanh", points=0.2)
def test_tanh_gradient(student, device):
    """tanh's gradient is 1 - tanh(x) ** 2"""
    check_gradient(student, device, "tanh", seed=62)


@grades("tanh", points=0.2)
def test_tanh_stable(student, device):
    """tanh and its gradient stay finite for large |x|"""
    check_stability(student, device, "tanh", seed=63)


@grades("tanh", points=0.1)
def test_tanh_not_builtin(student, device):
    """tanh is written from elementary operations, not PyTorch's built-in"""
    check_no_builtin(student, device, "tanh", seed=64)


@grades("tanh", points=0.1, devices=PLACEMENT_DEVICES)
def test_tanh_stays_on_device(student, device):
    """tanh keeps its right result on the input's device"""
    X = random_input(65, (3, 4), 3.0)
    out = student.call("tanh", X, device=device)
    expect_placed(out, out.value)
    with values_right("tanh"):
        check_values(out, "tanh", X)
