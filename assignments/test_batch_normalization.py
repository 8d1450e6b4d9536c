"""Public self-checks for batch_normalization.py: run `python -m pytest` in this folder."""

import torch
from batch_normalization import BatchNorm, batch_norm

# Two examples of two features: the means are [2, 4], the (biased) variances [1, 4].
X = torch.tensor([[1.0, 2.0], [3.0, 6.0]])


def test_batch_norm_standardises_each_feature():
    gamma, beta = torch.tensor([[2.0, 1.0]]), torch.tensor([[0.5, 0.0]])
    Y, moving_mean, moving_var = batch_norm(True, X, gamma, beta, torch.zeros(1, 2),
                                            torch.ones(1, 2), eps=0.0, momentum=0.9)
    # X_hat = [[-1, -1], [1, 1]]; Y = gamma * X_hat + beta.
    assert torch.allclose(Y, torch.tensor([[-1.5, -1.0], [2.5, 1.0]]))
    # moving = 0.9 * moving + 0.1 * batch statistic
    assert torch.allclose(moving_mean, torch.tensor([[0.2, 0.4]]))
    assert torch.allclose(moving_var, torch.tensor([[1.0, 1.3]]))


def test_batch_norm_standardises_each_channel():
    # Channel 0 holds 1, 3, 5, 7 (mean 4, variance 5); channel 1 holds 0, 0, 2, 2.
    X4 = torch.tensor([[[[1.0, 3.0]], [[0.0, 2.0]]],
                       [[[5.0, 7.0]], [[0.0, 2.0]]]])  # shape (2, 2, 1, 2)
    shape = (1, 2, 1, 1)
    Y, moving_mean, moving_var = batch_norm(True, X4, torch.ones(shape), torch.zeros(shape),
                                            torch.zeros(shape), torch.ones(shape),
                                            eps=0.0, momentum=0.9)
    assert Y.shape == X4.shape
    assert torch.allclose(Y[:, 1], torch.tensor([[[-1.0, 1.0]], [[-1.0, 1.0]]]))
    assert torch.allclose(Y[:, 0].flatten() * 5 ** 0.5, torch.tensor([-3.0, -1.0, 1.0, 3.0]))
    assert torch.allclose(moving_mean.flatten(), torch.tensor([0.4, 0.1]))
    assert torch.allclose(moving_var.flatten(), torch.tensor([1.4, 1.0]))


def test_batch_norm_predicts_with_the_moving_averages():
    moving_mean, moving_var = torch.tensor([[1.0, 2.0]]), torch.tensor([[4.0, 1.0]])
    Y, new_mean, new_var = batch_norm(False, torch.tensor([[3.0, 4.0]]), torch.ones(1, 2),
                                      torch.zeros(1, 2), moving_mean, moving_var,
                                      eps=0.0, momentum=0.9)
    assert torch.allclose(Y, torch.tensor([[1.0, 2.0]]))  # (3 - 1) / 2 and (4 - 2) / 1
    assert torch.equal(new_mean, moving_mean) and torch.equal(new_var, moving_var)


def test_batch_norm_detaches_the_moving_averages():
    X_tracked = X.clone().requires_grad_(True)
    Y, moving_mean, moving_var = batch_norm(True, X_tracked, torch.ones(1, 2),
                                            torch.zeros(1, 2), torch.zeros(1, 2),
                                            torch.ones(1, 2), eps=1e-5, momentum=0.9)
    assert Y.requires_grad  # the network learns through Y
    assert not moving_mean.requires_grad and not moving_var.requires_grad


def test_batch_norm_layer_starts_as_the_identity():
    net = BatchNorm(3, num_dims=4)
    assert {name for name, _ in net.named_parameters()} == {"gamma", "beta"}
    assert torch.equal(net.gamma.detach(), torch.ones(1, 3, 1, 1))
    assert torch.equal(net.beta.detach(), torch.zeros(1, 3, 1, 1))
    assert torch.equal(net.moving_mean, torch.zeros(1, 3, 1, 1))
    assert torch.equal(net.moving_var, torch.ones(1, 3, 1, 1))


def test_batch_norm_layer_trains_then_predicts():
    net = BatchNorm(2, num_dims=2)
    Y = net(X)  # training mode: the batch's statistics
    assert torch.allclose(Y.detach(), torch.tensor([[-1.0, -1.0], [1.0, 1.0]]), atol=1e-4)
    assert torch.allclose(net.moving_mean, torch.tensor([[0.2, 0.4]]))
    assert torch.allclose(net.moving_var, torch.tensor([[1.0, 1.3]]))
    net.eval()  # prediction mode: the moving averages
    with torch.no_grad():
        Y = net(X)
    expected = (X - torch.tensor([[0.2, 0.4]])) / torch.sqrt(torch.tensor([[1.0, 1.3]]) + 1e-5)
    assert torch.allclose(Y, expected)
    assert torch.allclose(net.moving_mean, torch.tensor([[0.2, 0.4]]))  # left as they were
