"""Public self-checks for concise.py: run `python -m pytest` in this folder."""

import torch
from concise import LinearNet


def test_linear_net_maps_features_to_one_output():
    net = LinearNet(3)
    assert net(torch.ones(4, 3)).shape == (4, 1)
    assert net.linear.weight.shape == (1, 3) and net.linear.bias.shape == (1,)
    assert sum(p.numel() for p in net.parameters()) == 4
