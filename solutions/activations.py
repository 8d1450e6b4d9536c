"""Activation functions from elementary tensor operations.

D2L, chapter "Multilayer Perceptrons", section "Multilayer Perceptrons",
subsection "Activation Functions" (section 5.1 in the 1.0 edition; 3.8 in
the study group's Chinese edition). Without a nonlinearity between them,
stacked linear layers collapse into a single linear layer; these functions
supply that nonlinearity.

Rules for this assignment: build each function from elementary tensor
operations (comparisons, torch.where, torch.exp, arithmetic, ...). Do NOT
use PyTorch's built-in relu, sigmoid or tanh, whether as functions of the
torch module, as tensor methods or from the functional API of torch.nn,
and do not use clamp.
"""

from __future__ import annotations

import torch


def relu(X: torch.Tensor) -> torch.Tensor:
    """Rectified linear unit: max(x, 0) elementwise.

    ReLU keeps positive inputs and zeroes negative ones. Its derivative is
    1 for x > 0 and 0 for x < 0 (at x = 0 we use 0, as PyTorch does; the
    gradient at exactly 0 is not graded: the book's
    torch.max(X, torch.tensor(0.0)) gives 0.5 there), so gradients pass
    through active units without shrinking, which is why it eases the
    vanishing-gradient problem of sigmoid and tanh.

    Args:
        X: tensor of any shape, float dtype, any device.

    Returns:
        Tensor of the same shape, dtype and device as X. Autograd must flow
        through it. X is not modified in place.
    """
    # torch.where routes the gradient: 1 where X > 0, 0 elsewhere.
    return torch.where(X > 0, X, torch.zeros_like(X))


def sigmoid(X: torch.Tensor) -> torch.Tensor:
    """Sigmoid 1 / (1 + exp(-x)) elementwise, numerically stable.

    Sigmoid squashes any real input into (0, 1). Computed naively,
    exp(-x) overflows to inf for very negative x (e.g. -1000 in float32),
    which gives inf or nan in the backward pass. Only ever take exp of a
    non-positive number: for x >= 0 use 1 / (1 + exp(-x)), for x < 0 use
    the equivalent exp(x) / (1 + exp(x)). torch.where computes both
    branches, so give exp only -|x|, written torch.where(X >= 0, -X, X):
    X.abs() has gradient 0 at x = 0, where sigmoid's derivative is 0.25.

    Args:
        X: tensor of any shape, float dtype, any device.

    Returns:
        Tensor of the same shape, dtype and device as X, values in [0, 1].
        Autograd must flow through it and give the true derivative
        sigmoid(x) * (1 - sigmoid(x)) everywhere, x = 0 included; both the
        value and the gradient must be finite for large |x| (e.g. +-1000).
        X is not modified in place.
    """
    nonneg = X >= 0
    # -|x|, written with torch.where so its gradient is -1 (not 0) at x = 0.
    neg_abs = torch.where(nonneg, -X, X)
    z = torch.exp(neg_abs)  # in (0, 1]: never overflows
    return torch.where(nonneg, 1 / (1 + z), z / (1 + z))


def tanh(X: torch.Tensor) -> torch.Tensor:
    """Hyperbolic tangent (1 - exp(-2x)) / (1 + exp(-2x)) elementwise, stable.

    Tanh squashes any real input into (-1, 1) and, unlike sigmoid, is
    centered at 0 (tanh(x) = 2 * sigmoid(2x) - 1). As with sigmoid, avoid
    taking exp of a large positive number: compute t = tanh(|x|) with
    exp(-2|x|) and restore the sign, since tanh is odd. Write -|x| as
    torch.where(X >= 0, -X, X) and restore the sign with
    torch.where(X >= 0, t, -t): X.abs() and torch.sign(X) have gradient 0
    at x = 0, so a formula built on them (sign(x) * tanh(|x|)) gives the
    gradient 0 there instead of 1.

    Args:
        X: tensor of any shape, float dtype, any device.

    Returns:
        Tensor of the same shape, dtype and device as X, values in [-1, 1].
        Autograd must flow through it and give the true derivative
        1 - tanh(x) ** 2 everywhere, x = 0 included; both the value and the
        gradient must be finite for large |x| (e.g. +-1000). X is not
        modified in place.
    """
    nonneg = X >= 0
    # -|x|, written with torch.where so its gradient is -1 (not 0) at x = 0.
    neg_abs = torch.where(nonneg, -X, X)
    # m = exp(-2|x|) - 1 in (-1, 0]; expm1 keeps precision for tiny |x|.
    m = torch.expm1(2 * neg_abs)
    t = -m / (2 + m)  # tanh(|x|) = (1 - e) / (1 + e) with e = exp(-2|x|)
    return torch.where(nonneg, t, -t)
