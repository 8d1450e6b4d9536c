"""LinearNet is graded through the worker; its classic mistakes are diagnosed."""

from __future__ import annotations

import pytest

from autograder.api import cuda_available, grade
from tests import helpers
from tests.helpers import assert_full_marks, failures, mistake
from tests.test_public_checks import assert_self_checks_pass, released_folder, run_pytest

MODULE = "concise"
# Where device placement is checked: the GPU where there is one, else the simulated one.
PLACEMENT = "cuda" if cuda_available() else "placement"


def graded(tmp_path, source: str, device: str = "cpu", lang: str = "en"):
    return helpers.graded(tmp_path, MODULE, source, "LinearNet", device=device, lang=lang)


# The study group's notes (../shared/seed/), verbatim but for the comments.
SEED_LINEAR_NET = """
class LinearNet(nn.Module):
    def __init__(self, n_feature):
        super(LinearNet, self).__init__()
        self.linear = nn.Linear(n_feature, 1)

    def forward(self, x):
        y = self.linear(x)
        return y
"""


def linear_net(init: str = "self.linear = nn.Linear(n_feature, 1)",
               forward: str = "return self.linear(x)", *, super_first: bool = True) -> str:
    """A LinearNet whose __init__ body ends with `init` and whose forward is `forward`."""
    call_super = "super().__init__()"
    body = f"        {call_super}\n        {init}" if super_first else \
        f"        {init}\n        {call_super}"
    return f"""
class LinearNet(nn.Module):
    def __init__(self, n_feature):
{body}

    def forward(self, x):
        {forward}
"""


def test_the_seeds_linear_net_keeps_full_marks(tmp_path):
    submission = mistake(tmp_path, MODULE, SEED_LINEAR_NET)
    report = grade(submission, only="LinearNet", device="all")
    assert_full_marks(report)
    assert {t.device for t in report.tests if t.status == "passed"} >= {"cpu", PLACEMENT}
    assert_self_checks_pass(tmp_path, submission, MODULE)


def test_a_sequential_inside_is_no_linear_named_linear(tmp_path):
    report = graded(tmp_path, linear_net(
        init="self.linear = nn.Sequential(nn.Linear(n_feature, 1))"))
    assert "no nn.Linear submodule named linear (its submodules: linear " \
           "(torch.nn.modules.container.Sequential), linear.0 " \
           "(torch.nn.modules.linear.Linear))" in failures(report)["test_linear_net_structure"]


def test_a_layer_under_another_name_loses_only_the_structure_test(tmp_path):
    report = graded(tmp_path, linear_net(init="self.fc = nn.Linear(n_feature, 1)",
                                         forward="return self.fc(x)"))
    failed = failures(report)
    assert list(failed) == ["test_linear_net_structure"]
    assert "create it as self.linear = nn.Linear(n_feature, 1)" in \
        failed["test_linear_net_structure"]


@pytest.mark.parametrize("source, check, expected", [
    (linear_net(forward="return self.linear(x).squeeze()"), "test_linear_net_forward",
     "net(x) has shape (8,) for x of shape (8, 5); expected (8, 1)"),
    (linear_net(forward="return self.linear(x).T"), "test_linear_net_forward",
     "net(x) has shape (1, 8)"),
    (linear_net(init="self.params = [nn.Parameter(torch.randn(1, n_feature)), "
                     "nn.Parameter(torch.zeros(1))]",
                forward="return x @ self.params[0].T + self.params[1]"),
     "test_linear_net_structure", "LinearNet keeps tensors or layers in self.params, which "
                                  "nn.Module does not register"),
    (linear_net(init="self.layers = [nn.Linear(n_feature, 1)]",
                forward="return self.layers[0](x)"),
     "test_linear_net_structure", "in self.layers, which nn.Module does not register"),
    (linear_net(init="self.linear = nn.Linear(1, n_feature)"), "test_linear_net_structure",
     "LinearNet(3).linear has weight of shape (3, 1) and bias of shape (3,); expected (1, 3)"),
    (linear_net(init="self.linear = nn.Linear(3, 1)"), "test_linear_net_forward",
     "LinearNet(5).linear has weight of shape (1, 3)"),
    (linear_net(init="self.linear = nn.Linear(n_feature, 1, bias=False)"),
     "test_linear_net_structure", "LinearNet.linear has no bias"),
    (linear_net(init="self.linear = nn.Linear(n_feature, 1)\n"
                     "        self.scale = nn.Parameter(torch.ones(1))"),
     "test_linear_net_structure", "parameters besides linear.weight and linear.bias: scale"),
    (linear_net(super_first=False), "test_linear_net_structure",
     "assigns a layer before calling super().__init__() (concise.py, line"),
    (linear_net(forward="return self.linear.weight @ x.T + self.linear.bias"),
     "test_linear_net_forward", "net(x) has shape (1, 8)"),
    (linear_net(forward="return x @ self.linear.weight.T"), "test_linear_net_forward",
     "net(x) has wrong values"),
], ids=["squeezed", "transposed", "plain-list-of-parameters", "plain-list-of-layers",
        "swapped-sizes", "hard-coded-size", "no-bias", "extra-parameter", "super-last",
        "weight-times-x", "no-bias-in-forward"])
def test_linear_net_mistakes_are_diagnosed(tmp_path, source, check, expected):
    report = graded(tmp_path, source)
    assert expected in failures(report)[check]


def test_a_forward_ignoring_its_zeroed_layer_is_judged_with_the_tests_weights(tmp_path):
    # Zeros out of a zeroed layer are right for that layer's own weights; the test
    # loads its own into the layer, and the reference computes what they give.
    report = graded(tmp_path, linear_net(
        init="self.linear = nn.Linear(n_feature, 1)\n"
             "        nn.init.zeros_(self.linear.weight)\n"
             "        nn.init.zeros_(self.linear.bias)",
        forward="return torch.zeros(x.shape[0], 1)"))
    assert {t.check: t.diagnosis for t in report.tests if t.status == "failed"} == \
        {"test_linear_net_forward": "wrong_values"}
    assert "net(x) has wrong values" in failures(report)["test_linear_net_forward"]
    result = run_pytest(released_folder(tmp_path / "released", tmp_path / "submission"),
                        "test_concise.py")
    assert result.returncode == 1 and "test_linear_net_computes_with_its_layer" in result.stdout


def test_a_forward_through_a_layer_under_another_name_gets_the_tests_weights(tmp_path):
    report = graded(tmp_path, linear_net(init="self.fc = nn.Linear(n_feature, 1)\n"
                                              "        nn.init.zeros_(self.fc.weight)",
                                         forward="return self.fc(x)"))
    assert list(failures(report)) == ["test_linear_net_structure"]


def test_an_output_made_on_the_cpu_is_caught_on_the_simulated_gpu(tmp_path):
    report = graded(tmp_path, linear_net(
        forward="return self.linear(x) + torch.zeros(x.shape[0], 1)"), device="placement")
    assert "test_linear_net_stays_on_device" in failures(report)


def test_unregistered_parameters_in_chinese(tmp_path):
    report = graded(tmp_path, linear_net(init="self.layers = [nn.Linear(n_feature, 1)]",
                                         forward="return self.layers[0](x)"), lang="zh")
    assert "nn.Module 不会登记它们" in failures(report)["test_linear_net_structure"]


# -- placement, with right values ---------------------------------------------------------


@pytest.mark.parametrize("source", [
    linear_net(forward="return self.linear(x).squeeze()"),
    linear_net(init="self.linear = nn.Linear(n_feature, 1, bias=False)"),
], ids=["squeezed", "no-bias"])
def test_a_mistake_of_values_costs_placement_too(tmp_path, source):
    submission = mistake(tmp_path, MODULE, source)
    assert failures(grade(submission, only="LinearNet", device="cpu"))
    report = grade(submission, only="LinearNet", device="placement")
    assert [t.check for t in report.tests] == ["test_linear_net_stays_on_device"]
    assert [t.diagnosis for t in report.tests] == ["placement.wrong_values"]
    assert report.score == 0


def test_a_layer_under_another_name_costs_the_structure_test_not_placement(tmp_path):
    # Its forward pass is right: the values of net(x) are x @ fc.weight.T + fc.bias.
    submission = mistake(tmp_path, MODULE, linear_net(
        init="self.fc = nn.Linear(n_feature, 1)", forward="return self.fc(x)"))
    assert list(failures(grade(submission, only="LinearNet", device="cpu"))) == \
        ["test_linear_net_structure"]
    assert_full_marks(grade(submission, only="LinearNet", device="placement"))


def test_a_tensor_created_on_the_cpu_in_forward_fails_placement(tmp_path):
    report = graded(tmp_path, linear_net(forward="return self.linear(x) + torch.zeros(1, 1)"),
                    device=PLACEMENT)
    message = failures(report)["test_linear_net_stays_on_device"]
    assert "LinearNet mixes devices (concise.py, line" in message


def test_a_linear_net_that_is_no_module_has_nothing_to_place(tmp_path):
    report = graded(tmp_path, """
    def LinearNet(n_feature):
        return None
    """, device="placement")
    assert "No tensor came back from LinearNet (None)" in \
        failures(report)["test_linear_net_stays_on_device"]
