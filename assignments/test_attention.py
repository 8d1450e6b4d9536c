"""Public self-checks for attention.py: run `python -m pytest` in this folder."""

import math

import torch
from attention import (
    DotProductAttention,
    MLPAttention,
    SequenceMask,
    masked_softmax,
    transpose_output,
    transpose_qkv,
)


def test_sequence_mask_keeps_each_rows_valid_length():
    X = SequenceMask(torch.ones(2, 3), torch.tensor([1, 2]))
    assert torch.equal(X, torch.tensor([[1.0, -1e6, -1e6], [1.0, 1.0, -1e6]]))
    X = SequenceMask(torch.ones(2, 3), torch.tensor([1.0, 2.0]), value=0)
    assert torch.equal(X, torch.tensor([[1.0, 0.0, 0.0], [1.0, 1.0, 0.0]]))


def test_masked_softmax_with_one_length_per_example():
    # Equal scores: the weight is shared evenly among the valid positions.
    weights = masked_softmax(torch.zeros(2, 2, 4), torch.tensor([2, 3]))
    assert weights.shape == (2, 2, 4)
    assert torch.allclose(weights[0], torch.tensor([[0.5, 0.5, 0.0, 0.0]] * 2))
    assert torch.allclose(weights[1], torch.tensor([[1 / 3, 1 / 3, 1 / 3, 0.0]] * 2))


def test_masked_softmax_with_one_length_per_query_and_none():
    weights = masked_softmax(torch.zeros(1, 2, 4), torch.tensor([[1, 4]]))
    assert torch.allclose(weights[0], torch.tensor([[1.0, 0.0, 0.0, 0.0], [0.25] * 4]))
    scores = torch.tensor([[[0.0, math.log(3.0)]]])
    assert torch.allclose(masked_softmax(scores, None), torch.tensor([[[0.25, 0.75]]]))


def test_dot_product_attention_averages_the_valid_values():
    # The course's example: equal keys, so each query averages its valid values.
    attention = DotProductAttention(dropout=0)
    keys = torch.ones(2, 10, 2)
    values = torch.arange(40, dtype=torch.float32).view(1, 10, 4).repeat(2, 1, 1)
    out = attention(torch.ones(2, 1, 2), keys, values, torch.tensor([2, 6]))
    assert torch.allclose(out, torch.tensor([[[2.0, 3.0, 4.0, 5.0]], [[10.0, 11.0, 12.0, 13.0]]]))


def test_dot_product_attention_divides_by_the_square_root_of_d():
    # d = 4: the scores are q.k / 2, here 0 and log(3), so the weights are 1/4 and 3/4.
    attention = DotProductAttention(dropout=0)
    query = torch.ones(1, 1, 4)
    keys = torch.stack([torch.zeros(4), torch.full((4,), math.log(3.0) / 2)]).unsqueeze(0)
    values = torch.tensor([[[0.0], [4.0]]])
    assert torch.allclose(attention(query, keys, values), torch.tensor([[[3.0]]]))


def test_mlp_attention_layers_and_output():
    attention = MLPAttention(units=8, ipt_dim=2, dropout=0)
    shapes = sorted(tuple(p.shape) for p in attention.parameters())
    assert shapes == [(1, 8), (8, 2), (8, 2)], "W_k, W_q: (8, 2); v: (1, 8); no bias"
    keys = torch.ones(2, 10, 2)
    values = torch.arange(40, dtype=torch.float32).view(1, 10, 4).repeat(2, 1, 1)
    out = attention(torch.ones(2, 1, 2), keys, values, torch.tensor([2, 6]))
    assert torch.allclose(out, torch.tensor([[[2.0, 3.0, 4.0, 5.0]], [[10.0, 11.0, 12.0, 13.0]]]))


def test_heads_are_contiguous_slices_of_the_features():
    X = torch.arange(24, dtype=torch.float32).reshape(2, 3, 4)
    heads = transpose_qkv(X, 2)
    assert heads.shape == (4, 3, 2)
    assert torch.equal(heads[1], X[0, :, 2:])  # example 0, head 1
    assert torch.equal(heads[2], X[1, :, :2])  # example 1, head 0
    assert torch.equal(transpose_output(heads, 2), X)
