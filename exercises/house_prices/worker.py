"""What the worker runs around house_prices' log_rmse.

This code runs next to the student's, so it holds no reference solution and no expected
value. log_rmse takes a model, which cannot cross the process boundary (only plain data
and tensors do): the grader sends a linear model's weight and bias, and the model is
built here, on their device, as the book's get_net builds it (nn.Linear(d, 1)).
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

import torch


def _linear(weight: torch.Tensor, bias: torch.Tensor) -> torch.nn.Linear:
    """nn.Linear(d, 1) holding `weight` (1, d) and `bias` (1,), on their device."""
    net = torch.nn.Linear(weight.shape[1], 1)
    net.weight = torch.nn.Parameter(weight.detach().clone())
    net.bias = torch.nn.Parameter(bias.detach().clone())
    return net


def log_rmse(module: ModuleType, function: str, weight: torch.Tensor, bias: torch.Tensor,
             features: torch.Tensor, labels: torch.Tensor) -> dict[str, Any]:
    """function(net, features, labels) with net the nn.Linear of `weight` and `bias`.
    Reports the value, the inputs afterwards and the model's parameters afterwards."""
    net = _linear(weight, bias)
    value = getattr(module, function)(net, features, labels)
    return {"value": value, "args": [features, labels],
            "params": [net.weight.detach().clone(), net.bias.detach().clone()]}


PROCEDURES = {"log_rmse_of_linear": log_rmse}
RESULT_KEYS = {"log_rmse_of_linear": {"value", "args", "params"}}
