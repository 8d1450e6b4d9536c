"""Hidden suite for overfitting.py: weight decay's L2 penalty and inverted dropout.

dropout is random, so it is judged by what every correct version shares, never by one
draw: each element is 0 or X / keep_prob, and over many seeded calls of thousands of
elements each the share kept is 1 - drop_prob within a few standard deviations.
"""

from __future__ import annotations

import ast
import math

import torch

from autograder.checks import (
    Outcome,
    Student,
    code,
    expect_placed,
    expect_tensor,
    is_close,
    values_right,
)
from autograder.messages import Diagnosis, Phrase
from autograder.plugin import PLACEMENT_DEVICES, grades
from autograder.registry import reference

ref = reference("overfitting")

# Mutants of the reference that change its code but not what it computes
# (`autograder exercise check`).
EQUIVALENT_MUTANTS = {
    "dropout:comparison:66e6c420":
        "torch.rand(...) <= keep_prob instead of < keep_prob keeps, in addition, the draws "
        "exactly equal to keep_prob: float32 draws (on the CPU, multiples of 2 ** -24 in "
        "[0, 1)) equal a given keep_prob with probability about 2 ** -24, one element in "
        "16.8 million, and none at keep_prob = 1, which every draw is below: the share kept "
        "changes by less than 1e-7, which no statistic can see, and every kept element is "
        "still X / keep_prob",
}


def uniform(seed: int, shape: tuple[int, ...], low: float, high: float,
            dtype: torch.dtype = torch.float32) -> torch.Tensor:
    generator = torch.Generator().manual_seed(seed)
    return low + (high - low) * torch.rand(*shape, generator=generator, dtype=dtype)


def normal(seed: int, shape: tuple[int, ...], dtype: torch.dtype = torch.float32) -> torch.Tensor:
    generator = torch.Generator().manual_seed(seed)
    return torch.randn(*shape, generator=generator, dtype=dtype)


# -- l2_penalty --------------------------------------------------------------------------


def check_penalty(out: Outcome, w: torch.Tensor) -> None:
    expected = ref.l2_penalty(w)
    actual = out.value
    if type(actual) is torch.Tensor and actual.shape == w.shape and actual.dtype == w.dtype \
            and (is_close(actual, w ** 2 / 2) or is_close(actual, w ** 2)):
        raise Diagnosis("l2_penalty.no_sum", shape=tuple(w.shape))
    if type(actual) is torch.Tensor and actual.shape == () and actual.dtype == w.dtype \
            and not is_close(actual, expected):
        n = w.numel()
        if is_close(actual * n, expected) or is_close(actual * n, 2 * expected):
            raise Diagnosis("l2_penalty.mean", count=n)
        if is_close(actual, 2 * expected):
            raise Diagnosis("l2_penalty.no_half")
        norm = (2 * expected).sqrt()
        if is_close(actual, norm) or is_close(actual, norm / 2):
            raise Diagnosis("l2_penalty.not_squared")
    expect_tensor(out, actual, expected, what=code("l2_penalty(w)"))
    after = out.result.get("args", [w])[0]  # the grad procedure hands over a copy of w
    if type(after) is torch.Tensor and not torch.equal(after, w):
        raise Diagnosis("modified_input", function="l2_penalty", argument="w")


@grades("l2_penalty", points=1, public=True)
def test_l2_penalty_values(student, device):
    """l2_penalty is the sum of w's squares, halved, as a scalar tensor"""
    for w in (normal(11, (12, 1)), normal(12, (3, 4), dtype=torch.float64)):
        check_penalty(student.call("l2_penalty", w, device=device), w)


@grades("l2_penalty", points=0.5)
def test_l2_penalty_gradient(student, device):
    """l2_penalty's gradient with respect to w is w itself"""
    w = normal(13, (6, 1), dtype=torch.float64)
    upstream = torch.tensor(0.7, dtype=torch.float64)
    out = student.run("grad", "l2_penalty", device=device, X=w, upstream=upstream)
    check_penalty(out, w)
    if out.result["backward_error"] is not None or not out.result["connected"] \
            or out.result["grad"] is None:
        raise Diagnosis("l2_penalty.no_grad")
    expect_tensor(out, out.result["grad"], upstream * w,
                  what=Phrase("l2_penalty.what_gradient"))


@grades("l2_penalty", points=0.25, devices=PLACEMENT_DEVICES)
def test_l2_penalty_stays_on_device(student, device):
    """l2_penalty keeps its right result on w's device"""
    w = normal(14, (5, 1))
    out = student.call("l2_penalty", w, device=device)
    expect_placed(out, out.value)
    with values_right("l2_penalty"):
        check_penalty(out, w)


# -- dropout -----------------------------------------------------------------------------


def uses_numpy(student: Student) -> bool:
    """Whether the student's dropout mentions NumPy (np.random.rand, numpy.random...)."""
    tree = student.source_tree()
    for node in tree.body if tree is not None else []:
        if isinstance(node, ast.FunctionDef) and node.name == "dropout":
            return any(isinstance(n, ast.Name) and n.id in ("np", "numpy")
                       or isinstance(n, ast.ImportFrom) and (n.module or "").startswith("numpy")
                       or isinstance(n, ast.Import)
                       and any(a.name.startswith("numpy") for a in n.names)
                       for n in ast.walk(node))
    return False


def call_dropout(student: Student, X: torch.Tensor, drop_prob: float, device: str) -> Outcome:
    """dropout(X, drop_prob) in the worker, with the classic errors of dropout named."""
    try:
        return student.call("dropout", X, drop_prob, device=device)
    except Diagnosis as error:
        if error.key in ("mixed_devices", "dropout.cpu_mask", "dropout.numpy_mask"):
            key = "dropout.numpy_mask" if uses_numpy(student) else "dropout.cpu_mask"
            raise Diagnosis(key, **error.params) from None
        if error.key == "raised" and error.params.get("error_type") == "ZeroDivisionError":
            raise Diagnosis("dropout.divide_by_zero", function="dropout",
                            where=error.params.get("where", "")) from None
        raise


SURVIVORS_PROB = 0.25  # so that 1, keep_prob, 1 / keep_prob, drop_prob, 1 / drop_prob differ


def check_survivors(out: Outcome, X: torch.Tensor, drop_prob: float) -> None:
    """Every element of dropout(X, drop_prob) is 0 or X / (1 - drop_prob); X > 0."""
    what = code(f"dropout(X, {drop_prob:g})")
    Y = expect_tensor(out, out.value, X, what=what, check_values=False)
    if not bool(torch.isfinite(Y).all()):
        raise Diagnosis("not_finite", what=what)
    kept = Y != 0
    if not bool(kept.any()):
        raise Diagnosis("dropout.nothing_kept", drop_prob=drop_prob)
    ratio = Y[kept].double() / X[kept].double()
    keep_prob = 1 - drop_prob
    if not bool(torch.isclose(ratio, ratio[0].expand_as(ratio), rtol=1e-5).all()):
        index = int((~torch.isclose(ratio, ratio[0].expand_as(ratio), rtol=1e-5))
                    .nonzero()[0])
        raise Diagnosis("dropout.not_binary", x=float(X[kept][index]),
                        actual=float(Y[kept][index]), expected=float(X[kept][index]) / keep_prob)
    factor = float(ratio[0])
    for key, wrong in (("dropout.no_scaling", 1.0), ("dropout.scaled_by_drop_prob", 1 / drop_prob),
                       ("dropout.scaled_by_drop_prob", drop_prob),
                       ("dropout.multiplied", keep_prob)):
        if math.isclose(factor, wrong, rel_tol=1e-5):
            raise Diagnosis(key, drop_prob=drop_prob, factor=factor, keep=keep_prob)
    if not math.isclose(factor, 1 / keep_prob, rel_tol=1e-5):
        raise Diagnosis("dropout.wrong_scale", drop_prob=drop_prob, factor=factor,
                        expected=1 / keep_prob)


@grades("dropout", points=1, public=True)
def test_dropout_survivors(student, device):
    """dropout zeroes elements and divides the others by 1 - drop_prob"""
    X = uniform(21, (64, 64), 0.5, 2.0)
    check_survivors(call_dropout(student, X, SURVIVORS_PROB, device), X, SURVIVORS_PROB)


# Each call draws a fresh mask (the worker seeds every call differently); a share kept
# farther than 6 standard deviations of Binomial(n, keep_prob) / n from keep_prob has
# probability below 2e-9 for a right mask.
SHARE_PROBS = (0.0, 0.2, 0.5, 0.8)
SHARE_CALLS = 3
SHARE_SIGMAS = 6.0


def normal_cdf(x: float) -> float:
    return 0.5 * (1 + math.erf(x / math.sqrt(2)))


def within(share: float, p: float, n: int) -> bool:
    """Whether `share` of n independent draws is a plausible share of probability p."""
    return abs(share - p) <= SHARE_SIGMAS * math.sqrt(p * (1 - p) / n) + 1 / n


@grades("dropout", points=1)
def test_dropout_keep_share(student, device):
    """dropout keeps each element with probability 1 - drop_prob, over many seeded draws"""
    X = uniform(22, (64, 64), 0.5, 2.0)
    n = X.numel()
    shares: dict[float, list[float]] = {}
    for drop_prob in SHARE_PROBS:
        for _ in range(SHARE_CALLS):
            out = call_dropout(student, X, drop_prob, device)
            Y = expect_tensor(out, out.value, X, what=code(f"dropout(X, {drop_prob:g})"),
                              check_values=False)
            shares.setdefault(drop_prob, []).append(float((Y != 0).double().mean()))
    wrong = [(p, s) for p, found in shares.items() for s in found if not within(s, 1 - p, n)]
    if not wrong:
        return
    drop_prob, share = wrong[0]
    # torch.randn < keep_prob keeps a normal draw below keep_prob: Phi(keep_prob) of them.
    if all(within(s, normal_cdf(1 - p), n) for p, found in shares.items() for s in found):
        raise Diagnosis("dropout.randn", share=shares[0.0][0], drop_prob=0.0)
    if all(within(s, p, n) for p, found in shares.items() for s in found):
        raise Diagnosis("dropout.inverted_mask", drop_prob=drop_prob, share=share,
                        expected=1 - drop_prob)
    raise Diagnosis("dropout.keep_share", drop_prob=drop_prob, share=share,
                    expected=1 - drop_prob)


@grades("dropout", points=0.5)
def test_dropout_extremes(student, device):
    """dropout keeps X as it is at drop_prob 0 and returns zeros at drop_prob 1"""
    X = uniform(23, (8, 16), -2.0, 2.0)
    out = call_dropout(student, X, 1.0, device)
    Y = out.value
    if type(Y) is torch.Tensor and Y.shape == X.shape and not bool(torch.isfinite(Y).all()):
        raise Diagnosis("dropout.divide_by_zero", function="dropout", where="")
    expect_tensor(out, Y, torch.zeros_like(X), what=code("dropout(X, 1)"))
    out = call_dropout(student, X, 0.0, device)
    Y = out.value
    if type(Y) is torch.Tensor and Y.shape == X.shape and bool(torch.isfinite(Y).all()) \
            and bool((Y == 0).any()):
        raise Diagnosis("dropout.drops_at_zero", count=int((Y == 0).sum()), total=X.numel())
    expect_tensor(out, Y, X, what=code("dropout(X, 0)"))


@grades("dropout", points=0.5)
def test_dropout_input_unchanged(student, device):
    """dropout leaves its input X unchanged"""
    X = uniform(24, (16, 16), 0.5, 2.0)
    out = call_dropout(student, X, 0.5, device)
    after = out.result["args"][0]
    if type(after) is torch.Tensor and not torch.equal(after, X):
        raise Diagnosis("dropout.in_place", drop_prob=0.5)


@grades("dropout", points=0.5, devices=PLACEMENT_DEVICES)
def test_dropout_stays_on_device(student, device):
    """dropout makes its mask and its right result on X's device"""
    X = uniform(25, (32, 32), 0.5, 2.0)
    out = call_dropout(student, X, SURVIVORS_PROB, device)
    expect_placed(out, out.value)
    with values_right("dropout"):
        check_survivors(out, X, SURVIVORS_PROB)
    out = call_dropout(student, X, 1.0, device)
    expect_placed(out, out.value)
    with values_right("dropout"):
        expect_tensor(out, out.value, torch.zeros_like(X), what=code("dropout(X, 1)"))
