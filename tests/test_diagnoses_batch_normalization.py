"""batch_normalization: the book's code and other correct variants keep their marks, and
the two places where the book's port differs from the contract cost one test each (the
classic mistakes are the unit's MISTAKES, graded by the registry's own test)."""

from __future__ import annotations

import pytest

from autograder.api import cuda_available, grade
from tests.helpers import assert_full_marks, failures, mistake, with_function
from tests.test_public_checks import assert_self_checks_pass

MODULE = "batch_normalization"
# Where device placement is checked: the GPU where there is one, else the simulated one.
PLACEMENT = "cuda" if cuda_available() else "placement"

# The book's PyTorch port (section 5.10 of ShusenTang/Dive-into-DL-PyTorch), verbatim.
BOOK_BATCH_NORM = """
def batch_norm(is_training, X, gamma, beta, moving_mean, moving_var, eps, momentum):
    # 判断当前模式是训练模式还是预测模式
    if not is_training:
        # 如果是在预测模式下，直接使用传入的移动平均所得的均值和方差
        X_hat = (X - moving_mean) / torch.sqrt(moving_var + eps)
    else:
        assert len(X.shape) in (2, 4)
        if len(X.shape) == 2:
            # 使用全连接层的情况，计算特征维上的均值和方差
            mean = X.mean(dim=0)
            var = ((X - mean) ** 2).mean(dim=0)
        else:
            # 使用二维卷积层的情况，计算通道维上（axis=1）的均值和方差。这里我们需要保持
            # X的形状以便后面可以做广播运算
            mean = X.mean(dim=0, keepdim=True).mean(dim=2, keepdim=True).mean(dim=3, keepdim=True)
            var = ((X - mean) ** 2).mean(dim=0, keepdim=True).mean(dim=2, keepdim=True).mean(dim=3, keepdim=True)
        # 训练模式下用当前的均值和方差做标准化
        X_hat = (X - mean) / torch.sqrt(var + eps)
        # 更新移动平均的均值和方差
        moving_mean = momentum * moving_mean + (1.0 - momentum) * mean
        moving_var = momentum * moving_var + (1.0 - momentum) * var
    Y = gamma * X_hat + beta  # 拉伸和偏移
    return Y, moving_mean, moving_var
"""  # noqa: E501 - verbatim

BOOK_LAYER = """
class BatchNorm(nn.Module):
    def __init__(self, num_features, num_dims):
        super(BatchNorm, self).__init__()
        if num_dims == 2:
            shape = (1, num_features)
        else:
            shape = (1, num_features, 1, 1)
        # 参与求梯度和迭代的拉伸和偏移参数，分别初始化成0和1
        self.gamma = nn.Parameter(torch.ones(shape))
        self.beta = nn.Parameter(torch.zeros(shape))
        # 不参与求梯度和迭代的变量，全在内存上初始化成0
        self.moving_mean = torch.zeros(shape)
        self.moving_var = torch.zeros(shape)

    def forward(self, X):
        # 如果X不在内存上，将moving_mean和moving_var复制到X所在显存上
        if self.moving_mean.device != X.device:
            self.moving_mean = self.moving_mean.to(X.device)
            self.moving_var = self.moving_var.to(X.device)
        # 保存更新过的moving_mean和moving_var, Module实例的traning属性默认为true, 调用.eval()后设成false
        Y, self.moving_mean, self.moving_var = batch_norm(self.training,
            X, self.gamma, self.beta, self.moving_mean,
            self.moving_var, eps=1e-5, momentum=0.9)
        return Y
"""  # noqa: E501 - verbatim

# The book's later edition (zh.d2l.ai, PyTorch), with the port's is_training argument for
# its torch.is_grad_enabled(): the moving averages returned with .data, moving_var at ones.
LATER_BATCH_NORM = """
def batch_norm(is_training, X, gamma, beta, moving_mean, moving_var, eps, momentum):
    if not is_training:
        X_hat = (X - moving_mean) / torch.sqrt(moving_var + eps)
    else:
        assert len(X.shape) in (2, 4)
        if len(X.shape) == 2:
            mean = X.mean(dim=0)
            var = ((X - mean) ** 2).mean(dim=0)
        else:
            mean = X.mean(dim=(0, 2, 3), keepdim=True)
            var = ((X - mean) ** 2).mean(dim=(0, 2, 3), keepdim=True)
        X_hat = (X - mean) / torch.sqrt(var + eps)
        moving_mean = momentum * moving_mean + (1.0 - momentum) * mean
        moving_var = momentum * moving_var + (1.0 - momentum) * var
    Y = gamma * X_hat + beta
    return Y, moving_mean.data, moving_var.data
"""

BUFFER_LAYER = """
class BatchNorm(nn.Module):
    def __init__(self, num_features, num_dims):
        super().__init__()
        shape = (1, num_features) if num_dims == 2 else (1, num_features, 1, 1)
        self.gamma = nn.Parameter(torch.ones(shape))
        self.beta = nn.Parameter(torch.zeros(shape))
        self.register_buffer("moving_mean", torch.zeros(shape))
        self.register_buffer("moving_var", torch.ones(shape))

    def forward(self, X):
        Y, self.moving_mean, self.moving_var = batch_norm(
            self.training, X, self.gamma, self.beta, self.moving_mean, self.moving_var,
            eps=1e-5, momentum=0.9)
        return Y
"""


def test_the_later_editions_batch_norm_and_a_layer_of_buffers_keep_full_marks(tmp_path):
    submission = with_function(mistake(tmp_path, MODULE, LATER_BATCH_NORM), MODULE,
                               BUFFER_LAYER)
    report = grade(submission, only=MODULE, device="all")
    assert_full_marks(report)
    assert {t.device for t in report.tests if t.status == "passed"} >= {"cpu", PLACEMENT}
    assert_self_checks_pass(tmp_path, submission, MODULE)


def test_the_books_batch_norm_loses_only_the_detached_test(tmp_path):
    report = grade(mistake(tmp_path, MODULE, BOOK_BATCH_NORM), only=f"{MODULE}.batch_norm",
                   device="all")
    failed = failures(report)
    assert list(failed) == ["test_batch_norm_moving_averages_detached"]
    assert "moving_mean, moving_var attached to autograd's graph" in \
        failed["test_batch_norm_moving_averages_detached"]


def test_the_books_batch_norm_detached_keeps_full_marks(tmp_path):
    source = BOOK_BATCH_NORM.replace("return Y, moving_mean, moving_var",
                                     "return Y, moving_mean.detach(), moving_var.detach()")
    report = grade(mistake(tmp_path, MODULE, source), only=f"{MODULE}.batch_norm",
                   device="all")
    assert_full_marks(report)


def test_the_books_layer_loses_only_the_start_of_moving_var(tmp_path):
    report = grade(mistake(tmp_path, MODULE, BOOK_LAYER), only=f"{MODULE}.BatchNorm",
                   device="all")
    failed = failures(report)
    assert list(failed) == ["test_batch_norm_layer_moving_averages_start"]
    assert "moving_var starts at zeros" in failed["test_batch_norm_layer_moving_averages_start"]
    passed = {t.check for t in report.tests if t.status == "passed"}
    assert "test_batch_norm_layer_stays_on_device" in passed  # it moves them in forward


def test_the_books_layer_starting_at_ones_keeps_full_marks(tmp_path):
    source = BOOK_LAYER.replace("self.moving_var = torch.zeros(shape)",
                                "self.moving_var = torch.ones(shape)")
    report = grade(mistake(tmp_path, MODULE, source), only=f"{MODULE}.BatchNorm",
                   device="all")
    assert_full_marks(report)


def test_torch_var_with_the_biased_estimate_keeps_full_marks(tmp_path):
    report = grade(mistake(tmp_path, MODULE, """
def batch_norm(is_training, X, gamma, beta, moving_mean, moving_var, eps, momentum):
    if is_training:
        dims = [0] if X.dim() == 2 else [0, 2, 3]
        with torch.no_grad():
            mean = X.mean(dim=dims, keepdim=True)
            var = X.var(dim=dims, unbiased=False, keepdim=True)
            moving_mean = momentum * moving_mean + (1 - momentum) * mean
            moving_var = momentum * moving_var + (1 - momentum) * var
        X_hat = (X - X.mean(dim=dims, keepdim=True)) / torch.sqrt(
            X.var(dim=dims, unbiased=False, keepdim=True) + eps)
    else:
        X_hat = (X - moving_mean) / torch.sqrt(moving_var + eps)
    return gamma * X_hat + beta, moving_mean, moving_var
"""), only=f"{MODULE}.batch_norm", device="all")
    assert_full_marks(report)


def test_the_pytorch_momentum_in_chinese(tmp_path):
    report = grade(mistake(tmp_path, MODULE, LATER_BATCH_NORM.replace(
        "moving_mean = momentum * moving_mean + (1.0 - momentum) * mean",
        "moving_mean = (1.0 - momentum) * moving_mean + momentum * mean")),
        only=f"{MODULE}.batch_norm", device="cpu", lang="zh")
    message = failures(report)["test_batch_norm_fully_connected"]
    assert "按 PyTorch 的约定更新 moving_mean" in message


def test_moving_averages_left_on_the_cpu(tmp_path):
    # Only where the layer is moved to a GPU: plain attributes stay where they were made.
    report = grade(mistake(tmp_path, MODULE, """
class BatchNorm(nn.Module):
    def __init__(self, num_features, num_dims):
        super().__init__()
        shape = (1, num_features) if num_dims == 2 else (1, num_features, 1, 1)
        self.gamma = nn.Parameter(torch.ones(shape))
        self.beta = nn.Parameter(torch.zeros(shape))
        self.moving_mean = torch.zeros(shape)
        self.moving_var = torch.ones(shape)

    def forward(self, X):
        Y, self.moving_mean, self.moving_var = batch_norm(
            self.training, X, self.gamma, self.beta, self.moving_mean, self.moving_var,
            eps=1e-5, momentum=0.9)
        return Y
"""), only=f"{MODULE}.BatchNorm", device="all")
    failed = {(t.check, t.device): t for t in report.tests if t.status == "failed"}
    assert list(failed) == [("test_batch_norm_layer_stays_on_device", PLACEMENT)]
    test = failed[("test_batch_norm_layer_stays_on_device", PLACEMENT)]
    assert test.diagnosis == "batch_norm_layer.device"
    assert "net.to(device) moves parameters and buffers, not plain tensor attributes" in \
        test.message


def test_the_pictures_draw_the_students_statistics_beside_the_books(tmp_path):
    submission = with_function(mistake(tmp_path, MODULE, LATER_BATCH_NORM.replace(
        "moving_var = momentum * moving_var + (1.0 - momentum) * var",
        "moving_var = (1.0 - momentum) * moving_var + momentum * var")), MODULE, BOOK_LAYER)
    report = grade(submission, only=MODULE, device="cpu", pictures=True)
    panels = {panel.name: panel for panel in report.pictures.sections[MODULE]}
    statistics, moving = panels["batch_normalization.batch_norm"], \
        panels["batch_normalization.BatchNorm"]
    for key in ("mean", "var"):  # Y is right: every channel standardised
        assert statistics.yours[key] == pytest.approx(statistics.book[key], abs=1e-4)
    assert statistics.book["var"] == pytest.approx([1.0] * 3, abs=1e-3)
    # batch_norm failed a test: the layer runs with the book's, and starts its
    # moving_var at zeros where the book's starts at ones.
    assert moving.yours["trusted"]
    assert moving.yours["moving_var"][0] == [0.0] * 3
    assert moving.book["moving_var"][0] == [1.0] * 3
    for mine, books in zip(moving.yours["moving_mean"], moving.book["moving_mean"],
                           strict=True):
        assert mine == pytest.approx(books, abs=1e-5)
