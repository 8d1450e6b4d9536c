"""Public self-checks for language_model.py: run `python -m pytest` in this folder."""

import torch
from language_model import data_iter_consecutive, data_iter_random

CORPUS = list(range(30))
# int64, or float32 as the book's PyTorch port makes them.
TOKEN_DTYPES = (torch.int64, torch.float32)


def test_random_windows_are_shifted_by_one():
    windows, rows = [], []
    for X, Y in data_iter_random(CORPUS, batch_size=2, num_steps=5, device="cpu"):
        assert X.dtype in TOKEN_DTYPES and X.shape[1] == 5
        assert torch.equal(Y, X + 1), "Y is X shifted one token"
        windows += X[:, 0].tolist()
        rows.append(len(X))
    assert len(set(windows)) == len(windows), "each window once"
    assert set(windows) <= {0, 5, 10, 15, 20}, "non-overlapping windows on the num_steps grid"
    # 5 windows in minibatches of 2: the last one has 1 row, or it is dropped.
    assert rows in ([2, 2, 1], [2, 2]), "minibatches of batch_size rows (the last may be short)"


def test_consecutive_rows_continue():
    batches = list(data_iter_consecutive(CORPUS, batch_size=2, num_steps=5, device="cpu"))
    assert len(batches) == 2
    (X1, Y1), (X2, _) = batches
    assert X1.dtype in TOKEN_DTYPES
    assert torch.equal(Y1, X1 + 1)
    assert torch.equal(X2[:, 0], X1[:, -1] + 1), "row i of the next batch continues row i"
