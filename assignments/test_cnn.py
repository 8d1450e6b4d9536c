"""Public self-checks for cnn.py: run `python -m pytest` in this folder."""

import torch
from cnn import Conv2D, corr2d, corr2d_multi_in, corr2d_multi_in_out, pool2d

# The book's figure 5.1: 0*0 + 1*1 + 3*2 + 4*3 = 19, and so on.
X = torch.tensor([[0.0, 1.0, 2.0], [3.0, 4.0, 5.0], [6.0, 7.0, 8.0]])
K = torch.tensor([[0.0, 1.0], [2.0, 3.0]])


def test_corr2d_of_the_books_figure():
    Y = corr2d(X, K)
    assert Y.dtype == torch.float32
    assert torch.equal(Y, torch.tensor([[19.0, 25.0], [37.0, 43.0]]))


def test_corr2d_finds_the_edges():
    image = torch.ones(2, 5)
    image[:, 1:3] = 0  # white, black, black, white, white
    edges = corr2d(image, torch.tensor([[1.0, -1.0]]))
    assert edges.shape == (2, 4)  # one column fewer: the kernel is two wide
    assert torch.equal(edges, torch.tensor([[1.0, 0.0, -1.0, 0.0]] * 2))


def test_corr2d_does_not_flip_the_kernel():
    # A convolution would flip [[1, 2]] to [[2, 1]]: 2 * 1 + 1 * 10 = 12, not 21.
    assert torch.equal(corr2d(torch.tensor([[1.0, 10.0]]), torch.tensor([[1.0, 2.0]])),
                       torch.tensor([[21.0]]))


def test_conv2d_registers_its_parameters():
    net = Conv2D((1, 2))
    assert dict(net.named_parameters()).keys() == {"weight", "bias"}
    assert net.weight.shape == (1, 2) and net.bias.shape == (1,)


def test_conv2d_adds_its_bias():
    net = Conv2D((2, 2))
    with torch.no_grad():
        net.weight.copy_(K)
        net.bias.fill_(0.5)
    Y = net(X)
    assert torch.equal(Y.detach(), torch.tensor([[19.5, 25.5], [37.5, 43.5]]))
    Y.sum().backward()  # the kernel is learned: the gradient reaches it
    assert torch.equal(net.weight.grad, torch.tensor([[8.0, 12.0], [20.0, 24.0]]))


def test_corr2d_multi_in_adds_the_channels():
    X2 = torch.stack([X, X + 1])
    K2 = torch.stack([K, K + 1])
    assert torch.equal(corr2d_multi_in(X2, K2), torch.tensor([[56.0, 72.0], [104.0, 120.0]]))


def test_corr2d_multi_in_out_stacks_the_outputs():
    X2 = torch.stack([X, X + 1])
    K2 = torch.stack([K, K + 1])
    Y = corr2d_multi_in_out(X2, torch.stack([K2, K2 + 1, K2 + 2]))
    assert Y.shape == (3, 2, 2)
    assert torch.equal(Y[0], torch.tensor([[56.0, 72.0], [104.0, 120.0]]))
    # Each kernel element one larger adds the sum of every window of both channels.
    assert torch.equal(Y[1], torch.tensor([[76.0, 100.0], [148.0, 172.0]]))


def test_pool2d_max_and_avg():
    assert torch.equal(pool2d(X, (2, 2)), torch.tensor([[4.0, 5.0], [7.0, 8.0]]))
    assert torch.equal(pool2d(X, (2, 2), 'avg'), torch.tensor([[2.0, 3.0], [5.0, 6.0]]))


def test_pool2d_windows_overlap():
    # Stride 1: a 2 x 1 window gives 3 - 2 + 1 = 2 rows, the middle row used twice.
    Y = pool2d(X, (2, 1))
    assert Y.shape == (2, 3)
    assert torch.equal(Y, torch.tensor([[3.0, 4.0, 5.0], [6.0, 7.0, 8.0]]))


def test_the_books_integer_example():
    Xi, Ki = X.long(), K.long()  # the book's example uses integers
    assert torch.equal(corr2d(Xi, Ki).float(), torch.tensor([[19.0, 25.0], [37.0, 43.0]]))
    Y = pool2d(Xi, (2, 2), 'avg')  # the mean of integers is not an integer in general
    assert Y.is_floating_point()
    assert torch.equal(Y, torch.tensor([[2.0, 3.0], [5.0, 6.0]]))
