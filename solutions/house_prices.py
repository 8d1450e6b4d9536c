"""Predicting house prices on Kaggle: the error measure and k-fold cross-validation.

D2L, chapter "Multilayer Perceptrons", section "Predicting House Prices on
Kaggle" (section 5.7 in the 1.0 edition; 3.16 in the study group's Chinese
edition, whose versions you write here). Prices range over orders of
magnitude, so the competition measures the error of their logarithms; and
with a small training set, k-fold cross-validation estimates how well a
model generalises before anything is submitted.
"""

from __future__ import annotations

from collections.abc import Callable

import torch

loss = torch.nn.MSELoss()


def log_rmse(net: Callable[[torch.Tensor], torch.Tensor], features: torch.Tensor,
             labels: torch.Tensor) -> float:
    """The root-mean-square error between the logarithms of predictions and labels.

    An error of 100,000 dollars is small on a 1,000,000-dollar house and huge
    on a 100,000-dollar one; the error of the logarithms measures the
    relative error instead. A prediction below 1 is set to 1 first (with
    torch.max(preds, torch.tensor(1.0)) or preds.clamp(min=1)): the log of a
    negative prediction, which an untrained linear net makes, is nan.

    The book computes, with loss = torch.nn.MSELoss() (define it, as the
    book does at the top of its notebook),
    torch.sqrt(2 * loss(clipped_preds.log(), labels.log()).mean());
    without the factor 2, the competition's own measure
    sqrt(mean((log(clipped_preds) - log(labels)) ** 2)) is accepted too.
    Compute it under torch.no_grad(): it is a measurement, not a loss to train.

    Args:
        net: the model, an nn.Module such as the book's nn.Linear(d, 1):
            net(features) gives predictions of shape (n, 1).
        features: float32 tensor of shape (n, d), on net's device.
        labels: float32 tensor of shape (n, 1), the prices (all >= 1), on the
            same device.

    Returns:
        The error as a Python float (rmse.item()), not a tensor. Nothing is
        modified in place.
    """
    with torch.no_grad():
        # Predictions below 1 are set to 1, so that the log is stable.
        clipped_preds = torch.max(net(features), torch.tensor(1.0))
        rmse = torch.sqrt(2 * loss(clipped_preds.log(), labels.log()).mean())
    return rmse.item()


def get_k_fold_data(
    k: int, i: int, X: torch.Tensor, y: torch.Tensor
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    """The training and validation data of the i-th fold of k-fold cross-validation.

    Cut the rows into k folds of fold_size = X.shape[0] // k rows each
    (fold j holds rows j * fold_size to (j + 1) * fold_size; the last
    X.shape[0] % k rows are left out, as the book leaves them). Fold i
    validates; the other k - 1 folds, concatenated along the rows (dim 0) in
    their order, train. Every example serves once for validation over the
    k calls i = 0 .. k - 1, and never trains the model that validates on it.

    Args:
        k: the number of folds, k > 1.
        i: the validation fold, 0 <= i < k.
        X: features, shape (n, d), any device.
        y: labels, shape (n, 1) (or (n,)), on X's device.

    Returns:
        (X_train, y_train, X_valid, y_valid): X_train of shape
        ((k - 1) * fold_size, d) and y_train with (k - 1) * fold_size rows,
        X_valid = X[i * fold_size:(i + 1) * fold_size] and y_valid likewise,
        all on X's device. X and y are not modified.
    """
    assert k > 1
    fold_size = X.shape[0] // k
    X_train, y_train = None, None
    for j in range(k):
        idx = slice(j * fold_size, (j + 1) * fold_size)
        X_part, y_part = X[idx, :], y[idx]
        if j == i:
            X_valid, y_valid = X_part, y_part
        elif X_train is None:
            X_train, y_train = X_part, y_part
        else:
            X_train = torch.cat((X_train, X_part), dim=0)
            y_train = torch.cat((y_train, y_part), dim=0)
    return X_train, y_train, X_valid, y_valid
