"""Minibatch samplers for language modeling.

D2L, chapter "Recurrent Neural Networks", section "Language Models"
(subsection "Partitioning Sequences" in the 1.0 edition, section 9.3;
section 6.3 "Language Model Data Sets" in the study group's Chinese edition,
whose versions of the two samplers, without a random starting offset, are
the ones you implement here). A language model is trained to predict the
next token, so every sampler yields inputs X together with targets Y that
are X shifted one token to the left: Y[i, t] is the token that follows
X[i, t] in the corpus.
"""

from __future__ import annotations

import random  # noqa: F401  (data_iter_random needs random.shuffle)
from collections.abc import Iterator

import torch


def data_iter_random(
    corpus_indices: list[int],
    batch_size: int,
    num_steps: int,
    device: torch.device | str | None = None,
) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
    """Random sampling: minibatches of non-overlapping subsequences in random order.

    Cut the corpus into num_examples = (len(corpus_indices) - 1) // num_steps
    non-overlapping windows starting at 0, num_steps, 2 * num_steps, ...
    (minus 1 because the last token has no successor to serve as a target),
    shuffle the start positions with random.shuffle, and take batch_size of
    them per minibatch. Two neighbouring minibatches are generally not
    adjacent in the corpus, so the hidden state of an RNN must be
    re-initialised for every minibatch.

    Args:
        corpus_indices: the corpus as a Python list of token indices (ints).
        batch_size: number of subsequences per minibatch.
        num_steps: number of time steps (tokens) per subsequence.
        device: where to put the tensors; None means
            torch.device('cuda' if torch.cuda.is_available() else 'cpu').

    Yields:
        (X, Y), int64 tensors on device, of shape (batch_size, num_steps),
        where X[i] = corpus_indices[s : s + num_steps] for a window start s,
        and Y[i] = corpus_indices[s + 1 : s + num_steps + 1]; float32
        tensors (the book's PyTorch port, d2lzh_pytorch) are accepted too.
        When num_examples % batch_size != 0, the last minibatch has fewer
        rows; dropping that short minibatch instead, as the book's port does
        (for i in range(num_examples // batch_size)), is accepted too.
        corpus_indices is not modified.
    """
    raise NotImplementedError("implement data_iter_random")


def data_iter_consecutive(
    corpus_indices: list[int],
    batch_size: int,
    num_steps: int,
    device: torch.device | str | None = None,
) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
    """Consecutive (sequential) sampling: adjacent minibatches continue each other.

    Keep the first len(corpus_indices) // batch_size * batch_size tokens,
    lay them out as a (batch_size, -1) matrix (row i is one contiguous
    stretch of the corpus), and slide a window of num_steps columns over it.
    Row i of minibatch k + 1 continues row i of minibatch k, so an RNN can
    carry its hidden state from one minibatch to the next (detaching it from
    the graph so backpropagation stays within a minibatch).

    Args:
        corpus_indices: the corpus as a Python list of token indices (ints).
        batch_size: number of rows (parallel streams) per minibatch.
        num_steps: number of time steps (tokens) per minibatch.
        device: where to put the tensors; None means
            torch.device('cuda' if torch.cuda.is_available() else 'cpu').

    Yields:
        (X, Y), int64 tensors on device, of shape (batch_size, num_steps),
        with Y[:, t] the token after X[:, t] in the same row;
        (indices.shape[1] - 1) // num_steps minibatches in all. float32
        tensors (the book's PyTorch port, d2lzh_pytorch) are accepted too.
        corpus_indices is not modified.
    """
    raise NotImplementedError("implement data_iter_consecutive")
