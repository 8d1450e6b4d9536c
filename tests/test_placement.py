"""Placement without a GPU: a GPU simulated on the CPU (autograder.placement) that keeps
values and gives the verdicts a real GPU gives; placement earns points only with right values."""

from __future__ import annotations

import ast
import textwrap

import numpy as np
import pytest
import torch

from autograder import placement
from autograder.api import cuda_available, grade
from tests.helpers import ASSIGNMENTS, assert_full_marks, failures, messages, mistake

# The placement lanes of this machine: the simulated GPU everywhere, a real one where there is.
LANES = ["placement", *(["cuda"] if cuda_available() else [])]
NO_GPU = "no GPU is visible to PyTorch here: the simulated GPU is compared with a real one " \
         "on a machine that has one (.ci/gpu-check)"


# -- the simulated GPU's rules ------------------------------------------------------------


def on_gpu(*shape: int) -> torch.Tensor:
    return placement.to_gpu(torch.arange(float(np.prod(shape))).reshape(shape) - 2)


def test_a_tensor_on_the_simulated_gpu_says_cuda_and_answers_with_its_values(capsys):
    X = on_gpu(2, 3)
    with placement.simulated_gpu():
        assert X.device == torch.device("cuda", 0) and X.is_cuda and not X.is_cpu
        assert X.get_device() == 0 and torch.cuda.is_available()
        assert X[0].tolist() == [-2.0, -1.0, 0.0] and X.sum().item() == 3.0
        assert float(X[1, 2]) == 3.0 and int(X[1, 2]) == 3
        positive = X if bool((X > 0).any()) else -X  # a Python `if` on a value
        print(X[1].tolist())
    assert placement.on_gpu(positive)
    assert capsys.readouterr().out == "[1.0, 2.0, 3.0]\n"


def test_after_the_block_torch_is_as_it_was():
    available, parameter = torch.cuda.is_available, torch.nn.Parameter.__new__
    with placement.simulated_gpu():
        pass
    assert torch.cuda.is_available is available and torch.nn.Parameter.__new__ is parameter
    assert torch.cuda.is_available() == cuda_available()


@pytest.mark.parametrize("mixing", [
    lambda X: X + torch.zeros(3),
    lambda X: torch.where(X > 0, X, torch.zeros(X.shape)),
    lambda X: torch.cat([X, torch.ones(1, 3)]),
    lambda X: X @ torch.ones(3, 1),
    lambda X: X.gather(1, torch.zeros(2, 1, dtype=torch.long)),
    lambda X: torch.arange(3) == X,
    lambda X: torch.stack([X.sum(), torch.tensor(0.0)]),  # a CPU scalar, but no elementwise op
    lambda X: torch.tensor(1.0).add_(X.sum()),  # a CPU scalar as the output
], ids=["add", "where", "cat", "matmul", "gather", "compare", "stack-scalar", "scalar-out"])
def test_a_cpu_tensor_joining_a_gpu_one_raises_what_cuda_raises(mixing):
    X = on_gpu(2, 3)
    with placement.simulated_gpu(), pytest.raises(RuntimeError,
                                                  match="Expected all tensors to be on the same"):
        mixing(X)


@pytest.mark.parametrize("allowed", [
    lambda X: torch.max(X, torch.tensor(0.0)),  # a CPU scalar in an elementwise op
    lambda X: X * torch.tensor(2.0) + 1,
    lambda X: X[torch.arange(2), torch.tensor([0, 2])],  # CPU indices of a GPU tensor
    lambda X: X[[0, 1]],
    lambda X: X + torch.zeros(3, device=X.device),
    lambda X: X + torch.zeros(3).to(X.device),
    lambda X: X + torch.tensor([1.0, 2.0, 3.0], device="cuda"),
    lambda X: torch.zeros_like(X) + X.new_tensor([1.0, 2.0, 3.0]),
    lambda X: torch.nn.Linear(3, 1).to(X.device)(X),
    lambda X: X @ torch.nn.Parameter(torch.ones(3, 1, device=X.device)),
], ids=["max-scalar", "times-scalar", "cpu-indices", "list-index", "device=", "to-device",
        "device-cuda", "like-and-new", "module-to", "parameter"])
def test_what_cuda_allows_is_allowed_and_stays_on_the_gpu(allowed):
    X = on_gpu(2, 3)
    with placement.simulated_gpu():
        result = allowed(X)
    assert placement.on_gpu(result)


def test_moving_copies_and_leaves_the_original_where_it_was():
    X, cpu = on_gpu(2, 3), torch.ones(3)
    with placement.simulated_gpu():
        moved, back = cpu.to(X.device), X.cpu()
        assert X.to("cuda") is X and X.to(X.device, torch.float64).dtype == torch.float64
    assert placement.on_gpu(moved) and not placement.on_gpu(cpu)
    assert not placement.on_gpu(back) and placement.on_gpu(X) and torch.equal(back, X)


def test_numpy_of_a_gpu_tensor_raises_as_on_cuda():
    X = on_gpu(2, 3)
    with placement.simulated_gpu():
        for convert in (lambda: X.numpy(), lambda: np.asarray(X)):
            with pytest.raises(TypeError, match="can't convert cuda:0 device type tensor"):
                convert()
        assert X.cpu().numpy().tolist() == X.tolist()


def test_a_cpu_tensor_indexed_with_gpu_values_raises_as_on_cuda():
    with placement.simulated_gpu(), pytest.raises(RuntimeError, match="indices should be"):
        torch.arange(5)[on_gpu(2)]


# -- correct code that reads values: the same full marks on every machine -------------------

CORRECT = {
    "cross-entropy-labels-typed-as-a-dtype": ("softmax_regression", "cross_entropy", """
    def cross_entropy(y_hat, y):
        print(y_hat.type())
        return -torch.log(y_hat.gather(1, y.view(-1, 1).type(torch.long))).view(-1)
    """),
    "softmax-prints-rows": ("softmax_regression", "softmax", """
    def softmax(X):
        X_exp = (X - X.max(dim=1, keepdim=True).values).exp()
        for row in X_exp:
            print(row.tolist())
        return X_exp / X_exp.sum(dim=1, keepdim=True)
    """),
    "sgd-item": ("linear_regression", "sgd", """
    def sgd(params, lr, batch_size):
        with torch.no_grad():
            for param in params:
                print(param.grad.norm().item())
                param -= lr * param.grad / batch_size
    """),
    "relu-if-on-a-value": ("activations", "relu", """
    def relu(X):
        if bool((X >= 0).all()):
            return X.clone()
        return X * (X > 0)
    """),
    "cross-entropy-cpu-indices": ("softmax_regression", "cross_entropy", """
    def cross_entropy(y_hat, y):
        return -torch.log(y_hat[torch.arange(len(y)), y])
    """),
    "data-iter-book": ("linear_regression", "data_iter", """
    def data_iter(batch_size, features, labels):
        num_examples = len(features)
        indices = list(range(num_examples))
        random.shuffle(indices)
        for i in range(0, num_examples, batch_size):
            batch_indices = torch.tensor(indices[i: min(i + batch_size, num_examples)])
            yield features[batch_indices], labels[batch_indices]
    """),
    "linear-net-prints-the-mean": ("concise", "LinearNet", """
    class LinearNet(nn.Module):
        def __init__(self, n_feature):
            super().__init__()
            self.linear = nn.Linear(n_feature, 1)

        def forward(self, x):
            y = self.linear(x)
            print(f"mean output {y.mean().item():.3f}")
            return y
    """),
}


@pytest.mark.parametrize("case", CORRECT)
def test_correct_code_that_reads_values_has_full_marks_on_every_lane(tmp_path, case):
    module, function, source = CORRECT[case]
    submission = mistake(tmp_path, module, "import random\n" + textwrap.dedent(source))
    # sgd has no placement test: "all" grades it on the cpu (and cuda), as any machine does.
    lanes = [lane for lane in LANES if function != "sgd" or lane == "cuda"]
    for device in ("cpu", *lanes, "all"):
        assert_full_marks(grade(submission, only=function, device=device))


# -- placement mistakes: the same failure, with the placement diagnosis, on every lane --------

MISTAKES = {
    "softmax-zeros-without-device": ("softmax_regression", "softmax", """
    def softmax(X):
        X_exp = (X - X.max(dim=1, keepdim=True).values).exp()
        return X_exp / (X_exp.sum(dim=1, keepdim=True) + torch.zeros(X.shape[0], 1))
    """, "mixed_devices"),
    "cross-entropy-tensor-on-the-cpu": ("softmax_regression", "cross_entropy", """
    def cross_entropy(y_hat, y):
        return -torch.log(y_hat.gather(1, torch.tensor(y.tolist()).reshape(-1, 1)))
    """, "mixed_devices"),
    "cross-entropy-arange-without-device": ("softmax_regression", "cross_entropy", """
    def cross_entropy(y_hat, y):
        one_hot = torch.arange(y_hat.shape[1]) == y.reshape(-1, 1)
        return -torch.log((y_hat * one_hot).sum(dim=1))
    """, "mixed_devices"),
    "cross-entropy-labels-typed-to-the-cpu": ("softmax_regression", "cross_entropy", """
    def cross_entropy(y_hat, y):
        return -torch.log(y_hat.gather(1, y.view(-1, 1).type(torch.LongTensor))).view(-1)
    """, "mixed_devices"),
    "cross-entropy-cpu-copy-indexed-with-labels": ("softmax_regression", "cross_entropy", """
    def cross_entropy(y_hat, y):
        probabilities = y_hat.detach().cpu()  # indexed with y, which is on the GPU
        return -torch.log(probabilities[torch.arange(len(y)), y]).to(y_hat.device)
    """, "mixed_devices"),
    "relu-numpy-round-trip": ("activations", "relu", """
    def relu(X):
        return X * torch.from_numpy((X.detach().numpy() > 0).astype("float32"))
    """, "device.numpy"),
    "sigmoid-ones-without-device": ("activations", "sigmoid", """
    def sigmoid(X):
        nonneg = X >= 0
        z = torch.exp(torch.where(nonneg, -X, X))
        one = torch.ones(X.shape, dtype=X.dtype)
        return torch.where(nonneg, one / (one + z), z / (one + z))
    """, "mixed_devices"),
    "squared-loss-moved-to-the-cpu": ("linear_regression", "squared_loss", """
    def squared_loss(y_hat, y):
        return ((y_hat - y.reshape(y_hat.shape)) ** 2 / 2).cpu()
    """, "wrong_device"),
    "linear-net-zeros-in-forward": ("concise", "LinearNet", """
    class LinearNet(nn.Module):
        def __init__(self, n_feature):
            super().__init__()
            self.linear = nn.Linear(n_feature, 1)

        def forward(self, x):
            return self.linear(x) + torch.zeros(x.shape[0], 1)
    """, "mixed_devices"),
}


@pytest.mark.parametrize("device", LANES)
@pytest.mark.parametrize("case", MISTAKES)
def test_a_placement_mistake_fails_placement_alone_with_its_line(tmp_path, case, device):
    module, function, source, key = MISTAKES[case]
    submission = mistake(tmp_path, module, source)
    assert failures(grade(submission, only=function, device="cpu")) == {}
    report = grade(submission, only=function, device=device)
    placed = [t for t in report.tests if t.check.endswith("device")]
    assert placed and {(t.status, t.diagnosis) for t in placed} == {("failed", key)}
    if key != "wrong_device":  # raised in the student's code: the line is named
        assert f"({module}.py, line" in messages(report, function)


@pytest.mark.skipif(not cuda_available(), reason=NO_GPU)
@pytest.mark.parametrize("case", [*CORRECT, *MISTAKES])
def test_the_simulated_gpu_gives_the_verdicts_of_a_real_one(tmp_path, case):
    module, function, source = ({**CORRECT, **MISTAKES}[case])[:3]
    submission = mistake(tmp_path, module, "import random\n" + textwrap.dedent(source))
    simulated = grade(submission, only=function, device="placement")
    real = grade(submission, only=function, device="cuda")
    verdicts = {t.check: (t.status, t.diagnosis) for t in real.tests}
    assert {t.check: (t.status, t.diagnosis) for t in simulated.tests} == \
        {check: verdicts[check] for check in (t.check for t in simulated.tests)}


# -- placement earns nothing without right values -------------------------------------------


def identity_stubs(folder):
    """The exercises with every function returning its first tensor argument (else its
    first argument), and a LinearNet whose forward returns its input."""
    folder.mkdir()
    for path in ASSIGNMENTS.glob("*.py"):
        if path.stem.startswith("test_") or path.stem == "__init__":
            continue
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef):
                node.body = ast.parse(_identity_body(node)).body
        (folder / path.name).write_text(ast.unparse(tree))
    return folder


def _identity_body(node: ast.FunctionDef) -> str:
    names = [a.arg for a in node.args.args if a.arg != "self"]
    if node.name == "__init__":
        return "super().__init__()"
    tensors = [a.arg for a in node.args.args
               if a.annotation is not None and "Tensor" in ast.unparse(a.annotation)]
    return f"return {(tensors or names)[0]}" if tensors or names else "return None"


def test_identity_stubs_earn_nothing_from_placement(tmp_path):
    submission = identity_stubs(tmp_path / "identity")
    report = grade(submission, device="placement")
    checks = {t.check for t in report.tests}
    assert len(checks) == sum(1 for t in report.tests) > 10  # every placement test ran
    assert report.score == 0, [(t.check, t.status) for t in report.tests]
    # Each fails for what it returned: its values, no tensor, or not what was asked for.
    assert all(t.status == "failed" for t in report.tests)
    assert {"placement.wrong_values", "placement.no_tensor"} & {t.diagnosis
                                                                for t in report.tests}
    if cuda_available():
        on_gpu = grade(submission, device="cuda")
        assert sum(t.score for t in on_gpu.tests if t.check in checks) == 0
