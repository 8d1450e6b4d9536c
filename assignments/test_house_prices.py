"""Public self-checks for house_prices.py: run `python -m pytest` in this folder."""

import math

import torch
from house_prices import get_k_fold_data, log_rmse


def identity_net() -> torch.nn.Linear:
    net = torch.nn.Linear(1, 1)
    with torch.no_grad():  # net(x) = x: the features are the predictions
        net.weight.fill_(1.0)
        net.bias.fill_(0.0)
    return net


def test_log_rmse_clamps_then_takes_the_root_of_the_mean_square():
    # Predictions e ** 2 and -5 (set to 1), labels 1 and e: log errors 2 and -1,
    # their mean square (4 + 1) / 2 = 2.5.
    features = torch.tensor([[math.e ** 2], [-5.0]])
    labels = torch.tensor([[1.0], [math.e]])
    value = log_rmse(identity_net(), features, labels)
    assert isinstance(value, float), "return rmse.item(), a Python float"
    assert not math.isnan(value), "set predictions below 1 to 1 before the log"
    # The book's sqrt(2 * 2.5), or the competition's sqrt(2.5).
    assert math.isclose(value, math.sqrt(5.0), rel_tol=1e-5) or \
        math.isclose(value, math.sqrt(2.5), rel_tol=1e-5)


def test_k_fold_validates_on_fold_i_and_trains_on_the_others():
    X = torch.arange(14.0).view(7, 2)  # 7 rows, k = 3: folds of 2 rows, row 6 left out
    y = torch.arange(7.0).view(7, 1)
    X_train, y_train, X_valid, y_valid = get_k_fold_data(3, 1, X, y)
    assert torch.equal(X_valid, X[2:4]) and torch.equal(y_valid, y[2:4])
    assert torch.equal(y_train, torch.tensor([[0.0], [1.0], [4.0], [5.0]]))
    assert torch.equal(X_train, X[[0, 1, 4, 5]])
