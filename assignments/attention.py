"""Attention: masked softmax, dot-product and MLP attention, multi-head reshapes.

D2L, chapter "Attention Mechanisms" (sections 10.1-10.3 in the 1.0 edition;
the study group's Task04 notebook on attention and the Transformer, whose
signatures you implement here). An attention layer scores a query against
each key, turns the scores into weights with a softmax, and returns the
weighted sum of the values. Sequences in a minibatch are padded to one
length, so the softmax must give the padding positions no weight: that is
what valid_length and the masked softmax are for.

Shapes used throughout:
    query: (batch_size, num_queries, d_q)
    key:   (batch_size, num_kv_pairs, d_k)
    value: (batch_size, num_kv_pairs, d_v)
    valid_length: None; (batch_size,), one length per example, used for
        every query; or (batch_size, num_queries), one per query.
Every tensor a function creates goes on its inputs' device (a mask built
with torch.arange(maxlen) alone lives on the CPU).
"""

from __future__ import annotations

import math  # noqa: F401  (DotProductAttention scales by math.sqrt(d))

import torch
from torch import nn


def SequenceMask(X: torch.Tensor, X_len: torch.Tensor, value: float = -1e6) -> torch.Tensor:
    """Replace the entries of each row of X past its valid length by `value`.

    Row i keeps its first X_len[i] entries; every entry X[i, j] with
    j >= X_len[i] becomes `value`. masked_softmax uses -1e6, whose exp is 0
    next to any ordinary score, so masked positions get no weight.

    Args:
        X: tensor of shape (n, maxlen), float dtype, any device.
        X_len: tensor of shape (n,), the valid lengths, int64 or float
            (the course's notebook uses torch.FloatTensor), on X's device.
        value: what masked entries become (default -1e6).

    Returns:
        The masked tensor, of X's shape, dtype and device. Changing X in
        place and returning it (as the course's notebook does) and
        returning a new tensor are both accepted.
    """
    raise NotImplementedError()


def masked_softmax(X: torch.Tensor, valid_length: torch.Tensor | None) -> torch.Tensor:
    """Softmax over the last axis of X, with the positions past each valid length masked.

    Flatten X to (batch_size * num_queries, num_kv_pairs), expand
    valid_length to one length per row (a 1-d valid_length repeats each
    example's length num_queries times, e.g. with torch.repeat_interleave;
    a 2-d one is reshaped to 1-d), mask with SequenceMask(..., value=-1e6),
    take the softmax over the last axis, and reshape back to X's shape.

    Args:
        X: scores, shape (batch_size, num_queries, num_kv_pairs), float.
        valid_length: None (no masking: a plain softmax over the last axis),
            a tensor of shape (batch_size,) or (batch_size, num_queries),
            int64 or float, on X's device.

    Returns:
        Attention weights of X's shape, dtype and device: each row sums to
        1 over the last axis, and is 0 at the masked positions. X may be
        changed in place (the course's code masks a view of it).
    """
    raise NotImplementedError()


class DotProductAttention(nn.Module):
    """Scaled dot-product attention: softmax(Q K^T / sqrt(d)) V, with dropout.

    Dividing the scores by sqrt(d) (d: the length of a query and of a key)
    keeps their variance near 1 whatever d is: with d large, unscaled dot
    products are large, and the softmax saturates to a one-hot vector whose
    gradient vanishes.

    Args:
        dropout: the dropout probability applied to the attention weights
            in training mode (nn.Dropout(dropout), registered as a
            submodule so that net.eval() turns it off).
    """

    def __init__(self, dropout: float, **kwargs) -> None:
        """Create the dropout layer. Call super().__init__(**kwargs) first."""
        raise NotImplementedError()

    def forward(self, query: torch.Tensor, key: torch.Tensor, value: torch.Tensor,
                valid_length: torch.Tensor | None = None) -> torch.Tensor:
        """Attend with the scaled dot products of the queries and the keys as scores.

        Args:
            query: (batch_size, num_queries, d).
            key: (batch_size, num_kv_pairs, d).
            value: (batch_size, num_kv_pairs, d_v).
            valid_length: None, (batch_size,) or (batch_size, num_queries),
                as masked_softmax takes it.

        Returns:
            (batch_size, num_queries, d_v): for each query, the sum of the
            values weighted by masked_softmax(query @ key^T / sqrt(d)),
            the weights passed through dropout. Only the scores are masked,
            never the values.
        """
        raise NotImplementedError()


class MLPAttention(nn.Module):
    """Additive (MLP) attention: a one-hidden-layer perceptron scores each query-key pair.

    The query and the key are projected to `units` dimensions by two linear
    layers without bias, W_q and W_k, added, and a third linear layer v
    without bias maps the sum to one score:
        score(q, k) = v(tanh(W_q q + W_k k))     (the book)
    The course's notebook leaves out the tanh and applies its layers the
    other way round, score(q, k) = v(W_k q + W_q k); both forms are
    accepted, graded with your own layers. Unlike dot-product attention,
    the query and the key may have different lengths (here both ipt_dim).

    Args:
        units: the hidden size h of the perceptron.
        ipt_dim: the length of a query and of a key.
        dropout: the dropout probability on the attention weights.

    Attributes:
        W_k, W_q: nn.Linear(ipt_dim, units, bias=False).
        v: nn.Linear(units, 1, bias=False).
        dropout: nn.Dropout(dropout).
    """

    def __init__(self, units: int, ipt_dim: int, dropout: float, **kwargs) -> None:
        """Create W_k, W_q, v and the dropout layer. Call super().__init__(**kwargs) first."""
        raise NotImplementedError()

    def forward(self, query: torch.Tensor, key: torch.Tensor, value: torch.Tensor,
                valid_length: torch.Tensor | None = None) -> torch.Tensor:
        """Attend with the perceptron's scores.

        Project query to (batch_size, num_queries, units) and key to
        (batch_size, num_kv_pairs, units); add them with broadcasting as
        (batch_size, num_queries, 1, units) + (batch_size, 1, num_kv_pairs,
        units); score each pair with v, squeezing the last axis.

        Args:
            query: (batch_size, num_queries, ipt_dim).
            key: (batch_size, num_kv_pairs, ipt_dim).
            value: (batch_size, num_kv_pairs, d_v).
            valid_length: None, (batch_size,) or (batch_size, num_queries).

        Returns:
            (batch_size, num_queries, d_v): the values weighted by the
            masked softmax of the scores, the weights passed through dropout.
        """
        raise NotImplementedError()


def transpose_qkv(X: torch.Tensor, num_heads: int) -> torch.Tensor:
    """Split the features of X into num_heads heads, each head a batch row of its own.

    Multi-head attention runs num_heads attentions side by side on slices of
    the features: head h gets the h-th contiguous slice of
    num_hiddens / num_heads features (features h * size ... (h + 1) * size
    - 1). Moving the heads into the batch axis lets one batched attention
    compute them all.

    Args:
        X: (batch_size, seq_len, num_hiddens), num_hiddens divisible by
            num_heads.
        num_heads: the number of heads.

    Returns:
        (batch_size * num_heads, seq_len, num_hiddens / num_heads), where
        row b * num_heads + h is head h of example b: reshape to
        (batch_size, seq_len, num_heads, -1), move the head axis before the
        sequence axis, and merge it into the batch axis.
    """
    raise NotImplementedError()


def transpose_output(X: torch.Tensor, num_heads: int) -> torch.Tensor:
    """Undo transpose_qkv: put the heads of each example side by side again.

    Args:
        X: (batch_size * num_heads, seq_len, size), row b * num_heads + h
            holding head h of example b (as transpose_qkv lays them out).
        num_heads: the number of heads.

    Returns:
        (batch_size, seq_len, num_heads * size), head h in features
        h * size ... (h + 1) * size - 1, so that
        transpose_output(transpose_qkv(X, n), n) equals X.
    """
    raise NotImplementedError()
