"""Public self-checks for concise.py: run `python -m pytest` in this folder."""

import torch
from concise import LinearNet


def test_linear_net_maps_features_to_one_output():
    net = LinearNet(3)
    assert net(torch.ones(4, 3)).shape == (4, 1)
    assert net.linear.weight.shape == (1, 3) and net.linear.bias.shape == (1,)
    assert sum(p.numel() for p in net.parameters()) == 4


def test_linear_net_computes_with_its_layer():
    net = LinearNet(3)
    with torch.no_grad():  # weights chosen here: the output must follow them
        net.linear.weight.copy_(torch.tensor([[1.0, 2.0, 3.0]]))
        net.linear.bias.fill_(0.5)
    assert torch.allclose(net(torch.ones(4, 3)), torch.full((4, 1), 6.5))
