"""cnn: the book's code and other correct variants keep their marks (the classic mistakes
are the unit's MISTAKES, graded by the registry's own test)."""

from __future__ import annotations

from autograder.api import cuda_available, grade
from tests.helpers import assert_full_marks, failures, mistake, with_function
from tests.test_public_checks import assert_self_checks_pass

MODULE = "cnn"
# Where device placement is checked: the GPU where there is one, else the simulated one.
PLACEMENT = "cuda" if cuda_available() else "placement"

# The book's PyTorch port (sections 5.1, 5.3 and 5.4 of ShusenTang/Dive-into-DL-PyTorch),
# verbatim but for d2l.corr2d, which is corr2d here.
BOOK_CORR2D = """
def corr2d(X, K):
    h, w = K.shape
    Y = torch.zeros((X.shape[0] - h + 1, X.shape[1] - w + 1))
    for i in range(Y.shape[0]):
        for j in range(Y.shape[1]):
            Y[i, j] = (X[i: i + h, j: j + w] * K).sum()
    return Y
"""

BOOK_CONV2D = """
class Conv2D(nn.Module):
    def __init__(self, kernel_size):
        super(Conv2D, self).__init__()
        self.weight = nn.Parameter(torch.randn(kernel_size))
        self.bias = nn.Parameter(torch.randn(1))

    def forward(self, x):
        return corr2d(x, self.weight) + self.bias
"""

BOOK_MULTI_IN = """
def corr2d_multi_in(X, K):
    # 沿着X和K的第0维（通道维）分别计算再相加
    res = corr2d(X[0, :, :], K[0, :, :])
    for i in range(1, X.shape[0]):
        res += corr2d(X[i, :, :], K[i, :, :])
    return res
"""

BOOK_MULTI_IN_OUT = """
def corr2d_multi_in_out(X, K):
    # 对K的第0维遍历，每次同输入X做互相关计算。所有结果使用stack函数合并在一起
    return torch.stack([corr2d_multi_in(X, k) for k in K])
"""

BOOK_POOL2D = """
def pool2d(X, pool_size, mode='max'):
    X = X.float()
    p_h, p_w = pool_size
    Y = torch.zeros(X.shape[0] - p_h + 1, X.shape[1] - p_w + 1)
    for i in range(Y.shape[0]):
        for j in range(Y.shape[1]):
            if mode == 'max':
                Y[i, j] = X[i: i + p_h, j: j + p_w].max()
            elif mode == 'avg':
                Y[i, j] = X[i: i + p_h, j: j + p_w].mean()
    return Y
"""


def submission_of(tmp_path, *sources: str):
    folder = mistake(tmp_path, MODULE, sources[0])
    for source in sources[1:]:
        with_function(folder, MODULE, source)
    return folder


def test_the_books_code_passes_the_self_checks(tmp_path):
    submission = submission_of(tmp_path, BOOK_CORR2D, BOOK_CONV2D, BOOK_MULTI_IN,
                               BOOK_MULTI_IN_OUT, BOOK_POOL2D)
    assert_self_checks_pass(tmp_path, submission, MODULE)


def test_the_books_code_keeps_every_mark_but_corr2d_and_pool2d_placement(tmp_path):
    # corr2d and pool2d create their output with torch.zeros(...) on the CPU, whatever
    # X's device: right on the CPU, wrong on a GPU. Everything else keeps its marks.
    submission = submission_of(tmp_path, BOOK_CORR2D, BOOK_CONV2D, BOOK_MULTI_IN,
                               BOOK_MULTI_IN_OUT, BOOK_POOL2D)
    report = grade(submission, only=MODULE, device="all")
    failed = {(t.check, t.device): t for t in report.tests if t.status == "failed"}
    assert set(failed) == {("test_corr2d_stays_on_device", PLACEMENT),
                           ("test_pool2d_stays_on_device", PLACEMENT)}, failed
    for test in failed.values():  # a GPU may also refuse to mix the devices
        assert test.diagnosis in ("wrong_device", "mixed_devices")
    passed = {t.check for t in report.tests if t.status == "passed"}
    assert {"test_conv2d_stays_on_device", "test_corr2d_multi_in_stays_on_device",
            "test_corr2d_multi_in_out_stays_on_device"} <= passed


def test_the_books_layer_and_channels_keep_full_marks(tmp_path):
    submission = submission_of(tmp_path, BOOK_CONV2D, BOOK_MULTI_IN, BOOK_MULTI_IN_OUT)
    for function in ("Conv2D", "corr2d_multi_in", "corr2d_multi_in_out"):
        report = grade(submission, only=f"{MODULE}.{function}", device="all")
        assert_full_marks(report)
        assert {t.device for t in report.tests if t.status == "passed"} >= {"cpu", PLACEMENT}


def test_vectorised_variants_keep_full_marks(tmp_path):
    submission = submission_of(tmp_path, """
def corr2d(X, K):
    h, w = K.shape
    rows, cols = X.shape[0] - h + 1, X.shape[1] - w + 1
    return sum(X[a:a + rows, b:b + cols].float() * K[a, b]
               for a in range(h) for b in range(w))
""", """
class Conv2D(nn.Module):
    def __init__(self, kernel_size):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(*kernel_size))
        self.bias = nn.Parameter(torch.randn(1))

    def forward(self, x):
        return corr2d(x, self.weight) + self.bias
""", """
def corr2d_multi_in(X, K):
    return sum(corr2d(x, k) for x, k in zip(X, K))
""", """
def pool2d(X, pool_size, mode='max'):
    p_h, p_w = pool_size
    windows = X.float().unfold(0, p_h, 1).unfold(1, p_w, 1)
    flat = windows.reshape(*windows.shape[:2], -1)
    return flat.max(dim=-1).values if mode == 'max' else flat.mean(dim=-1)
""")
    report = grade(submission, only=MODULE, device="all")
    assert_full_marks(report)


def test_corr2d_in_the_inputs_dtype_keeps_full_marks(tmp_path):
    # Integers for the book's integer example: its values are whole numbers, nothing lost.
    report = grade(mistake(tmp_path, MODULE, """
def corr2d(X, K):
    h, w = K.shape
    Y = torch.zeros(X.shape[0] - h + 1, X.shape[1] - w + 1, dtype=X.dtype, device=X.device)
    for i in range(Y.shape[0]):
        for j in range(Y.shape[1]):
            Y[i, j] = (X[i: i + h, j: j + w] * K).sum()
    return Y
"""), only=f"{MODULE}.corr2d", device="all")
    assert_full_marks(report)


def test_pool2d_of_integers_left_integers(tmp_path):
    report = grade(mistake(tmp_path, MODULE, """
def pool2d(X, pool_size, mode='max'):
    p_h, p_w = pool_size
    Y = torch.zeros(X.shape[0] - p_h + 1, X.shape[1] - p_w + 1, dtype=X.dtype,
                    device=X.device)
    for i in range(Y.shape[0]):
        for j in range(Y.shape[1]):
            window = X[i: i + p_h, j: j + p_w]
            Y[i, j] = window.max() if mode == 'max' else window.float().mean()
    return Y
"""), only=f"{MODULE}.pool2d", device="cpu")
    failed = failures(report)
    assert list(failed) == ["test_pool2d_integer_example"]
    assert "the mean of a window of integers is not an integer" in \
        failed["test_pool2d_integer_example"]


def test_conv2d_without_registered_parameters_in_chinese(tmp_path):
    submission = mistake(tmp_path, MODULE, """
class Conv2D(nn.Module):
    def __init__(self, kernel_size):
        super().__init__()
        self.weight = torch.randn(kernel_size, requires_grad=True)
        self.bias = torch.randn(1, requires_grad=True)

    def forward(self, x):
        return corr2d(x, self.weight) + self.bias
""")
    report = grade(submission, only=f"{MODULE}.Conv2D", device="cpu", lang="zh")
    failed = failures(report)
    assert list(failed) == ["test_conv2d_parameters"]  # its forward and gradient are right
    assert "net.parameters() 是空的" in failed["test_conv2d_parameters"]


def test_the_pictures_draw_the_students_edges_beside_the_books(tmp_path):
    flipped = mistake(tmp_path, MODULE, """
def corr2d(X, K):
    h, w = K.shape
    K = torch.flip(K, [0, 1])
    Y = torch.zeros((X.shape[0] - h + 1, X.shape[1] - w + 1), device=X.device)
    for i in range(Y.shape[0]):
        for j in range(Y.shape[1]):
            Y[i, j] = (X[i: i + h, j: j + w] * K).sum()
    return Y
""")
    report = grade(flipped, only=MODULE, device="cpu", pictures=True)
    panels = {panel.name: panel for panel in report.pictures.sections[MODULE]}
    assert set(panels) == {"cnn.corr2d", "cnn.pool2d"}
    edges = panels["cnn.corr2d"]
    # The book finds 1 then -1 (white to black, black to white); flipped, -1 then 1.
    assert edges.book["image"][0] == [0.0, 1.0, 0.0, 0.0, 0.0, -1.0, 0.0]
    assert edges.yours["image"][0] == [0.0, -1.0, 0.0, 0.0, 0.0, 1.0, 0.0]
    pooled = panels["cnn.pool2d"]
    assert pooled.problem is None and pooled.yours["image"] == pooled.book["image"]
