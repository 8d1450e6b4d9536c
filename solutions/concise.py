"""Concise linear regression with torch.nn.

D2L, chapter "Linear Neural Networks for Regression", section "Concise
Implementation of Linear Regression" (section 3.5 in the 1.0 edition; 3.3 in
the study group's Chinese edition). Instead of managing w and b by hand, let
an nn.Linear layer own them and wrap it in an nn.Module.
"""

from __future__ import annotations

import torch
from torch import nn


class LinearNet(nn.Module):
    """Linear regression y = x W^T + b as an nn.Module with one nn.Linear.

    Why do net.weight and net.bias not exist? (The seed notes left this
    open.) An nn.Module registers a parameter when an nn.Parameter is
    assigned to one of its attributes, and a submodule when an nn.Module is
    assigned. LinearNet assigns only the submodule self.linear and declares
    no parameters of its own; the weight and bias belong to that nn.Linear.
    So they are reached through the submodule: net.linear.weight (shape
    (1, n_feature)) and net.linear.bias (shape (1,)). net.parameters() and
    net.named_parameters() still find them, recursively, under the names
    'linear.weight' and 'linear.bias'. (With nn.Sequential the submodule is
    named by its index instead: net[0].weight.)

    Args:
        n_feature: number of input features d.

    Attributes:
        linear: nn.Linear(n_feature, 1), the only submodule.
    """

    def __init__(self, n_feature: int) -> None:
        """Create the single submodule self.linear = nn.Linear(n_feature, 1).

        Call super().__init__() first: nn.Module sets up the bookkeeping
        that registers submodules and parameters on attribute assignment.
        """
        super().__init__()
        self.linear = nn.Linear(n_feature, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Apply the linear layer.

        Args:
            x: features, shape (n, n_feature), float32 (the dtype of the
                layer's parameters), on the same device as the module.

        Returns:
            Predictions of shape (n, 1). Call the module, net(x), rather
            than net.forward(x), so that nn.Module's hooks run.
        """
        return self.linear(x)
