"""Linear regression from scratch.

D2L, chapter "Linear Neural Networks for Regression", section "Linear
Regression Implementation from Scratch" (section 3.4 in the 1.0 edition;
3.2 in the study group's Chinese edition). You build the four pieces of the
from-scratch training loop: a minibatch reader, the model, the loss and the
minibatch SGD update, and then one epoch of the loop that ties them together.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence

import torch


def data_iter(
    batch_size: int, features: torch.Tensor, labels: torch.Tensor
) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
    """Yield minibatches of (features, labels) in a random order.

    Every example appears exactly once per epoch (one full pass over the
    generator), in a fresh random order each time the generator is created.
    Shuffling matters because SGD assumes each minibatch is a random sample
    of the data set; reading the examples in their stored order would give
    correlated, biased gradient estimates.

    Use torch.randperm for the order, so that torch.manual_seed makes an
    epoch reproducible (random.shuffle of a list of indices, as the book
    does, is accepted too).

    Args:
        batch_size: number of examples per minibatch (int, > 0).
        features: tensor of shape (n, d), any float dtype, any device.
        labels: tensor whose first dimension is n, e.g. (n,) or (n, 1),
            on the same device as features.

    Yields:
        (X, y) where X = features[idx] and y = labels[idx] for a batch of
        indices idx of length batch_size; only the last batch may be
        shorter (n % batch_size examples). Index tensors live on
        features.device. Nothing is modified in place.
    """
    raise NotImplementedError("implement data_iter")


def linreg(X: torch.Tensor, w: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """The linear regression model X @ w + b.

    One matrix-vector product computes the prediction for every example of
    the minibatch at once; b is broadcast over the rows.

    Args:
        X: features, shape (n, d).
        w: weights, shape (d, 1), same dtype and device as X.
        b: bias, shape (1,) (or a scalar tensor), same dtype and device.

    Returns:
        Predictions y_hat of shape (n, 1). Nothing is modified in place;
        the result stays in the autograd graph of w and b.
    """
    raise NotImplementedError("implement linreg")


def squared_loss(y_hat: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Per-example squared loss (y_hat - y) ** 2 / 2.

    The factor 1/2 makes the derivative simply y_hat - y. The loss is not
    reduced here: the caller decides whether to sum or average it.

    Args:
        y_hat: predictions, shape (n, 1).
        y: true labels, shape (n,) or (n, 1), same dtype and device.
            Reshape y to y_hat's shape first: subtracting a (n,) tensor from
            a (n, 1) tensor would broadcast to (n, n).

    Returns:
        Tensor of the same shape as y_hat, one loss per example. Nothing is
        modified in place.
    """
    raise NotImplementedError("implement squared_loss")


def sgd(params: Sequence[torch.Tensor], lr: float, batch_size: int) -> None:
    """Minibatch stochastic gradient descent: param -= lr * grad / batch_size.

    The loss on which backward() was called is the *sum* of the per-example
    losses of the minibatch, so param.grad is a sum of batch_size gradients;
    dividing by batch_size turns it into the average gradient, which keeps the
    step size independent of the batch size.

    Args:
        params: leaf tensors with requires_grad=True whose .grad has been
            filled in by backward(), e.g. [w, b].
        lr: learning rate (float).
        batch_size: number of examples the gradient was summed over.

    Returns:
        None. Each param is updated in place and must remain the same leaf
        tensor with requires_grad=True: do the update under torch.no_grad()
        so that autograd neither records it nor complains about modifying a
        leaf in place (updating param.data, as the book's port does, is
        accepted too). The gradients need not be zeroed here (train_epoch
        does it); zeroing them here as well, as d2l-zh does, is accepted.
    """
    raise NotImplementedError("implement sgd")


def train_epoch(
    net: Callable[..., torch.Tensor],
    loss: Callable[[torch.Tensor, torch.Tensor], torch.Tensor],
    updater: Callable[[Sequence[torch.Tensor], float, int], None],
    data: Iterable[tuple[torch.Tensor, torch.Tensor]],
    params: Sequence[torch.Tensor],
    lr: float,
    batch_size: int,
) -> None:
    """Run one epoch of the from-scratch training loop.

    For each minibatch (X, y) in data: sum the per-example losses
    loss(net(X, *params), y) into a scalar, call backward() on it, call
    updater(params, lr, batch_size), and then zero every param's gradient
    (zeroing them before backward() instead, where optimizer.zero_grad()
    usually goes, is accepted too). The loss is summed because backward()
    needs a scalar; the gradients are zeroed because PyTorch accumulates
    (adds) into .grad, so the next minibatch would otherwise see the sum of
    all the gradients so far: each update must see its own minibatch's
    gradient.

    Args:
        net: model called as net(X, *params), e.g. linreg.
        loss: per-example loss called as loss(y_hat, y), e.g. squared_loss.
        updater: optimizer step called as updater(params, lr, batch_size),
            e.g. sgd.
        data: iterable of (X, y) minibatches, e.g.
            data_iter(batch_size, features, labels).
        params: leaf tensors with requires_grad=True, e.g. [w, b].
        lr: learning rate passed to updater.
        batch_size: batch size passed to updater.

    Returns:
        None. params are updated in place (through updater).
    """
    raise NotImplementedError("implement train_epoch")
