"""Weight decay and dropout: two remedies for overfitting, from scratch.

D2L, chapter "Multilayer Perceptrons", sections "Weight Decay" and "Dropout"
(sections 3.12 and 3.13 in the study group's Chinese edition; 5.5 and 5.6 in
the 1.0 edition). A model that fits its training set far better than new
data has overfitted. Weight decay adds lambda times a penalty on the
weights' size to the loss, so training prefers small weights; dropout zeroes
each hidden unit at random during training, so no unit can rely on
particular others.
"""

from __future__ import annotations

import torch


def l2_penalty(w: torch.Tensor) -> torch.Tensor:
    """The L2 norm penalty of weight decay: the sum of w's squares, halved.

    Training minimises loss + lambd * l2_penalty(w). The 1/2 makes the
    gradient of the penalty exactly w, so that one step of SGD shrinks w by
    lr * lambd * w: hence the name "weight decay". Sum the squares (not their
    mean): the penalty is ||w||^2 / 2, whatever w's size.

    Args:
        w: the weights, a float tensor of any shape (the book's is
            (num_inputs, 1)), any device; it usually requires grad.

    Returns:
        A tensor of shape () (a scalar tensor, not a Python float) of w's
        dtype, on w's device, connected to w's autograd graph. w is not
        modified.
    """
    raise NotImplementedError("implement l2_penalty")


def dropout(X: torch.Tensor, drop_prob: float) -> torch.Tensor:
    """Inverted dropout: zero each element with probability drop_prob and
    divide the survivors by 1 - drop_prob.

    Each element of X is kept, independently, with probability
    keep_prob = 1 - drop_prob, and set to 0 otherwise; a kept element is
    divided by keep_prob, so that the expected value of each element is
    unchanged and the next layer sees activations of the same size in
    training as without dropout. Draw the mask with torch.rand (uniform on
    [0, 1): an element is kept where the draw is below keep_prob), not
    torch.randn, whose normal draws keep the wrong share; make it on X's
    device (torch.rand(X.shape, device=X.device)). At drop_prob = 1 every
    element is dropped: return zeros without dividing by keep_prob = 0.

    Args:
        X: float32 tensor of any shape (a layer's activations), any device.
        drop_prob: the probability of dropping an element, 0 <= drop_prob <= 1.

    Returns:
        A new float32 tensor of X's shape, on X's device, whose elements are
        0 or X / (1 - drop_prob); at drop_prob = 0 it equals X, at
        drop_prob = 1 it is all zeros. X is not modified in place (write
        mask * X / keep_prob, not X *= ...).
    """
    raise NotImplementedError("implement dropout")
