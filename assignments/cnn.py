"""Convolution and pooling from scratch: cross-correlation, a convolutional layer, channels.

D2L, chapter "Convolutional Neural Networks", sections "Convolutions for Images",
"Multiple Input and Multiple Output Channels" and "Pooling" (sections 7.2, 7.4 and
7.5 in the 1.0 edition; 5.1, 5.3 and 5.4 in the study group's Chinese edition).
A convolutional layer slides a small kernel over its input and takes, at each
position, the sum of the elementwise product of the kernel and the window under it:
the same few weights are used everywhere, so a pattern is detected wherever it is.
Pooling slides a window the same way and keeps its maximum or its mean, which makes
the detection less sensitive to small shifts.

Rules for this assignment: write the loops (or any tensor operations) yourself; do
not call torch.nn.functional.conv2d, nn.Conv2d, the pooling functions of
torch.nn.functional or nn.MaxPool2d / nn.AvgPool2d.
"""

from __future__ import annotations

import torch
from torch import nn


def corr2d(X: torch.Tensor, K: torch.Tensor) -> torch.Tensor:
    """Two-dimensional cross-correlation of X with the kernel K (stride 1, no padding).

    Y[i, j] = (X[i: i + h, j: j + w] * K).sum() for K of shape (h, w): the kernel is
    laid on the window as it is, not flipped. (Convolution in the mathematical sense
    flips the kernel first; deep learning calls cross-correlation "convolution",
    which does no harm because the kernel is learned.) Every position where the
    whole kernel fits gives one output, so the output is smaller than the input by
    the kernel's size minus one in each direction.

    Args:
        X: input of shape (n_h, n_w), float32 (the book's example uses integers,
            which must give the same values as floats), any device.
        K: kernel of shape (k_h, k_w), with k_h <= n_h and k_w <= n_w, on X's device.

    Returns:
        Tensor of shape (n_h - k_h + 1, n_w - k_w + 1) on X's device, float32 for
        float32 X (never an integer dtype, which would truncate every value written
        into it); for the book's integer example, its values as floats (the book's
        float32) or as integers. Autograd must flow through it to X and K (Conv2D
        learns its kernel through it). X and K are not modified.
    """
    raise NotImplementedError("implement corr2d")


class Conv2D(nn.Module):
    """A two-dimensional convolutional layer: corr2d(x, weight) + bias.

    Its model parameters are the kernel and a scalar bias, learned by gradient
    descent (the book learns the edge detector [[1, -1]] from an image and its
    edges this way). A tensor becomes a parameter of the layer, listed by
    net.parameters() (which the optimiser updates) and moved by net.to(device),
    only when it is an nn.Parameter assigned to an attribute after
    super().__init__(): a plain tensor, even with requires_grad=True, is neither.

    Args:
        kernel_size: the kernel's shape (k_h, k_w), a tuple of two ints.

    Attributes:
        weight: nn.Parameter of shape kernel_size, random (torch.randn).
        bias: nn.Parameter of shape (1,), random (torch.randn).
    """

    def __init__(self, kernel_size: tuple[int, int]) -> None:
        """Create the parameters self.weight and self.bias (call super().__init__() first)."""
        raise NotImplementedError("implement Conv2D.__init__")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """corr2d(x, self.weight) + self.bias.

        Args:
            x: input of shape (n_h, n_w), float32, on the layer's device.

        Returns:
            Tensor of shape (n_h - k_h + 1, n_w - k_w + 1), through which autograd
            reaches weight and bias.
        """
        raise NotImplementedError("implement Conv2D.forward")


def corr2d_multi_in(X: torch.Tensor, K: torch.Tensor) -> torch.Tensor:
    """Cross-correlation of a multi-channel input with a multi-channel kernel.

    Each input channel X[c] is cross-correlated with its own kernel channel K[c],
    and the c_i results are added up: one output channel, whatever the number of
    input channels. (corr2d of the two channels of the book's example gives
    [[19, 25], [37, 43]] and [[37, 47], [67, 77]]; their sum is [[56, 72], [104, 120]].)

    Args:
        X: input of shape (c_i, n_h, n_w), float32, any device.
        K: kernel of shape (c_i, k_h, k_w), on X's device.

    Returns:
        Tensor of shape (n_h - k_h + 1, n_w - k_w + 1), float32, on X's device: the
        sum over c of corr2d(X[c], K[c]), each channel counted once. X and K are
        not modified.
    """
    raise NotImplementedError("implement corr2d_multi_in")


def corr2d_multi_in_out(X: torch.Tensor, K: torch.Tensor) -> torch.Tensor:
    """Cross-correlation with c_o kernels: one output channel per kernel.

    Output channel o is corr2d_multi_in(X, K[o]); the c_o channels are stacked
    along a new first dimension (torch.stack), not added up and not concatenated.

    Args:
        X: input of shape (c_i, n_h, n_w), float32, any device.
        K: kernels of shape (c_o, c_i, k_h, k_w), on X's device.

    Returns:
        Tensor of shape (c_o, n_h - k_h + 1, n_w - k_w + 1), float32, on X's device.
        X and K are not modified.
    """
    raise NotImplementedError("implement corr2d_multi_in_out")


def pool2d(X: torch.Tensor, pool_size: tuple[int, int], mode: str = 'max') -> torch.Tensor:
    """Two-dimensional max or average pooling, with stride 1 and no padding.

    The window of shape pool_size slides over X one element at a time, as corr2d's
    kernel does, so neighbouring windows overlap (nn.MaxPool2d's default stride is
    the window's size instead: that is another layer). Each output is the maximum
    (mode='max') or the mean (mode='avg') of the p_h * p_w elements of its window.

    Args:
        X: input of shape (n_h, n_w), float32 (the book's example uses integers,
            which must give the same values as floats), any device.
        pool_size: the window's shape (p_h, p_w), a tuple of two ints.
        mode: 'max' or 'avg'.

    Returns:
        Tensor of shape (n_h - p_h + 1, n_w - p_w + 1) on X's device, float32, for
        float32 X and for the book's integer example alike (the mean of integers is
        not an integer in general: convert X with X.float() first, as the book does).
        X is not modified.
    """
    raise NotImplementedError("implement pool2d")
