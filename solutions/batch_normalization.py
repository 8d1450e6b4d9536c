"""Batch normalisation from scratch: the function and the layer.

D2L, chapter "Modern Convolutional Neural Networks", section "Batch Normalization"
(section 8.5 in the 1.0 edition; 5.10 in the study group's Chinese edition). During
training, batch normalisation standardises each feature (each channel, after a
convolution) with the mean and variance of the current minibatch, then scales and
shifts it by the learned gamma and beta; this keeps the intermediate outputs of a
deep network on a steady scale, which makes it easier to train. A prediction must not
depend on which other examples share its minibatch, so at prediction time the layer
uses moving averages of the statistics, estimated over the training batches.
"""

from __future__ import annotations

import torch
from torch import nn


def batch_norm(is_training: bool, X: torch.Tensor, gamma: torch.Tensor, beta: torch.Tensor,
               moving_mean: torch.Tensor, moving_var: torch.Tensor, eps: float,
               momentum: float) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Batch normalisation of X, in training or in prediction mode.

    Training (is_training true): the statistics are those of the minibatch, per
    feature for X of shape (m, d) (over the m examples, dimension 0) and per channel
    for X of shape (m, c, h, w) (over the examples and every position, dimensions 0,
    2 and 3: each channel has one mean and one variance). The variance is the biased
    one, the mean of (X - mean) ** 2, dividing by the number of elements, not by one
    less (torch.var's default divides by one less: unbiased=False gives this one).
    X_hat = (X - mean) / sqrt(var + eps), and the moving averages move towards the
    batch's statistics as the book writes it:

        moving_mean = momentum * moving_mean + (1 - momentum) * mean
        moving_var = momentum * moving_var + (1 - momentum) * var

    with momentum = 0.9 in BatchNorm: the old average keeps 90% of its weight.
    (PyTorch's nn.BatchNorm2d counts its momentum the other way round, 0.1 for the
    new batch's share: that is another convention.)

    Prediction (is_training false): X_hat = (X - moving_mean) / sqrt(moving_var + eps),
    the batch's own statistics unused, and the moving averages returned unchanged.

    In both modes Y = gamma * X_hat + beta.

    Args:
        is_training: whether the network is training (BatchNorm passes self.training).
        X: input of shape (m, d) or (m, c, h, w), float32, any device. In a network,
            X is the output of a layer, so autograd tracks it.
        gamma, beta: the scale and shift, of shape (1, d) or (1, c, 1, 1), on X's device.
        moving_mean, moving_var: the moving averages, of gamma's shape, on X's device.
        eps: added to the variance under the square root, e.g. 1e-5.
        momentum: the moving averages' share of their old value, e.g. 0.9.

    Returns:
        (Y, moving_mean, moving_var): Y of X's shape, dtype and device, through which
        autograd reaches X, gamma and beta; the new moving averages, of gamma's shape,
        on X's device, detached from autograd's graph (computed from mean.detach() and
        var.detach(), or returned with .detach()): they are running statistics, not
        results to differentiate, and a tensor kept attached holds on to every batch's
        graph. (The book's port returns them attached; the book's later edition
        detaches them with .data.) X, gamma, beta and the moving averages passed in
        are not modified.
    """
    if not is_training:
        # Prediction: the moving averages, not the batch's statistics.
        X_hat = (X - moving_mean) / torch.sqrt(moving_var + eps)
    else:
        assert len(X.shape) in (2, 4)
        if len(X.shape) == 2:
            # A fully connected layer: the mean and variance of each feature.
            batch_mean = X.mean(dim=0)
            batch_var = ((X - batch_mean) ** 2).mean(dim=0)
        else:
            # A convolutional layer: of each channel (dimension 1), kept as (1, c, 1, 1)
            # so that they broadcast against X.
            batch_mean = X.mean(dim=(0, 2, 3), keepdim=True)
            batch_var = ((X - batch_mean) ** 2).mean(dim=(0, 2, 3), keepdim=True)
        X_hat = (X - batch_mean) / torch.sqrt(batch_var + eps)
        # The moving averages, out of autograd's graph.
        moving_mean = momentum * moving_mean + (1.0 - momentum) * batch_mean.detach()
        moving_var = momentum * moving_var + (1.0 - momentum) * batch_var.detach()
    Y = gamma * X_hat + beta  # scale and shift
    return Y, moving_mean, moving_var


class BatchNorm(nn.Module):
    """A batch normalisation layer for a fully connected (num_dims=2) or a
    convolutional (num_dims=4) layer's output.

    It holds the learned scale gamma and shift beta, and the moving averages that
    prediction uses; forward calls batch_norm with self.training, eps=1e-5 and
    momentum=0.9, and keeps the moving averages it returns.

    Args:
        num_features: the number of outputs of a fully connected layer, or of
            channels of a convolutional layer.
        num_dims: 2 for a fully connected layer, 4 for a convolutional layer.

    Attributes:
        gamma: nn.Parameter of shape (1, num_features) (num_dims 2) or
            (1, num_features, 1, 1) (num_dims 4), initialised to ones.
        beta: nn.Parameter of gamma's shape, initialised to zeros.
        moving_mean: tensor of gamma's shape, initialised to zeros; not a parameter
            (it is never trained: a plain attribute, as in the book, or a buffer,
            self.register_buffer('moving_mean', ...)).
        moving_var: tensor of gamma's shape, initialised to ones (the variance of a
            standardised input; the book's port starts it at zeros, so that a fresh
            layer in prediction mode divides by sqrt(eps), about 0.003), not a
            parameter.
    """

    def __init__(self, num_features: int, num_dims: int) -> None:
        """Create gamma, beta, moving_mean and moving_var (call super().__init__() first)."""
        super().__init__()
        if num_dims == 2:
            param_shape = (1, num_features)
        else:
            param_shape = (1, num_features, 1, 1)
        # The scale and shift, trained: ones and zeros.
        self.gamma = nn.Parameter(torch.ones(param_shape))
        self.beta = nn.Parameter(torch.zeros(param_shape))
        # The moving averages, not trained.
        self.moving_mean = torch.zeros(param_shape)
        self.moving_var = torch.ones(param_shape)

    def forward(self, X: torch.Tensor) -> torch.Tensor:
        """Normalise X with batch_norm; keep the moving averages it returns.

        The layer may have been moved with net.to(device): a buffer moves with it,
        a plain attribute does not, so move plain moving averages to X's device first
        (self.moving_mean = self.moving_mean.to(X.device)).

        Args:
            X: input of shape (m, num_features) or (m, num_features, h, w), float32,
                on the layer's device.

        Returns:
            Y of X's shape, on X's device.
        """
        # net.to(device) does not move plain attributes: move them to X's device.
        if self.moving_mean.device != X.device:
            self.moving_mean = self.moving_mean.to(X.device)
            self.moving_var = self.moving_var.to(X.device)
        # self.training is True after net.train() (the default), False after net.eval().
        Y, self.moving_mean, self.moving_var = batch_norm(
            self.training, X, self.gamma, self.beta, self.moving_mean, self.moving_var,
            eps=1e-5, momentum=0.9)
        return Y
