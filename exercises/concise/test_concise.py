"""Hidden suite for concise.py: LinearNet, an nn.Module holding a single nn.Linear.

The module is built in the worker (harness procedure "build"); only its registered
state, the names of its parameters and submodules, and its outputs come back. Its
outputs are judged with weights the test loads into its layer, computed by the
reference: a module that ignores its layer cannot match them with its own.
"""

from __future__ import annotations

import torch

from autograder.checks import (
    Outcome,
    Student,
    code,
    describe,
    error_diagnosis,
    expect_device,
    expect_tensor,
    placed_tensors,
    values_right,
)
from autograder.messages import Diagnosis, Phrase
from autograder.plugin import PLACEMENT_DEVICES, grades
from autograder.registry import reference

ref = reference("concise")


def features(seed: int, n: int, d: int) -> torch.Tensor:
    generator = torch.Generator().manual_seed(seed)
    return torch.randn(n, d, generator=generator)


def build(student: Student, device: str, n_feature: int, inputs: list[torch.Tensor],
          load: dict[str, torch.Tensor] | None = None) -> Outcome:
    """LinearNet(n_feature) in the worker, moved to the inputs' device, `load`'s values
    copied into its parameters of those names, applied to each input."""
    return student.run("build", "LinearNet", device=device, args=[n_feature], inputs=inputs,
                       load=load or {})


def check_structure(out: Outcome, n_feature: int) -> tuple[torch.Tensor, torch.Tensor]:
    """One nn.Linear named linear, weight (1, n_feature), bias (1,), nothing else."""
    result = out.result
    if not result["is_module"]:
        raise Diagnosis("linear_net.not_module", actual=describe(out.value))
    names = [name for name, _ in result["parameters"]]
    linears = [name for name, _, is_linear in result["submodules"] if is_linear]
    unregistered = ", ".join(f"self.{name}" for name in result["unregistered"])
    if "linear" not in linears:
        if unregistered and not names:
            raise Diagnosis("linear_net.unregistered", names=unregistered)
        found = ", ".join(f"{name} ({kind})" for name, kind, _ in result["submodules"])
        raise Diagnosis("linear_net.no_linear", found=found or Phrase("found.none"))
    state = result["state"]
    if "linear.bias" not in state:
        raise Diagnosis("linear_net.no_bias")
    extra = [name for name in names if name not in ("linear.weight", "linear.bias")]
    if extra:
        raise Diagnosis("linear_net.extra", names=", ".join(extra))
    weight, bias = state["linear.weight"], state["linear.bias"]
    if weight.shape != (1, n_feature) or bias.shape != (1,):
        raise Diagnosis("linear_net.sizes", n_feature=n_feature, weight=tuple(weight.shape),
                        bias=tuple(bias.shape), expected_weight=(1, n_feature))
    return weight, bias


def forward_layer(out: Outcome, n_feature: int) -> str:
    """The name of the nn.Linear that forward should use.

    The forward pass is graded on its own: a single nn.Linear of the right size under
    another name than `linear` (which costs the structure test) is used as it is.
    """
    result = out.result
    linears = [name for name, _, is_linear in result.get("submodules", []) if is_linear]
    if result["is_module"] and "linear" not in linears and len(linears) == 1:
        weight = result["state"].get(f"{linears[0]}.weight")
        bias = result["state"].get(f"{linears[0]}.bias")
        if weight is not None and bias is not None and weight.shape == (1, n_feature) \
                and bias.shape == (1,):
            return linears[0]
    check_structure(out, n_feature)
    return "linear"


def known_parameters(seed: int, n_feature: int, layer: str) -> dict[str, torch.Tensor]:
    """Weights the test chooses for `layer`: the output is judged against these, never
    against the module's own (a forward that ignores its layer cannot match them)."""
    generator = torch.Generator().manual_seed(seed)
    return {f"{layer}.weight": torch.randn(1, n_feature, generator=generator),
            f"{layer}.bias": torch.randn(1, generator=generator)}


def reference_output(n_feature: int, values: dict[str, torch.Tensor],
                     x: torch.Tensor) -> torch.Tensor:
    """The reference LinearNet, holding `values`, applied to x."""
    net = ref.LinearNet(n_feature)
    weight, bias = values.values()
    with torch.no_grad():
        net.linear.weight.copy_(weight)
        net.linear.bias.copy_(bias)
        return net(x)


def check_forward(student: Student, device: str, n_feature: int, x: torch.Tensor,
                  seed: int) -> None:
    values = known_parameters(seed, n_feature, "linear")
    out = build(student, device, n_feature, [x], load=values)
    layer = forward_layer(out, n_feature)
    if layer != "linear":
        values = known_parameters(seed, n_feature, layer)
        out = build(student, device, n_feature, [x], load=values)
    if out.result["forward_error"] is not None:
        raise error_diagnosis("LinearNet", {**out.result["forward_error"],
                                            "module_file": "concise.py"})
    actual = out.result["outputs"][0]
    expected_shape = (x.shape[0], 1)
    if type(actual) is torch.Tensor and actual.shape != expected_shape:
        raise Diagnosis("linear_net.forward_shape", actual=tuple(actual.shape),
                        x_shape=tuple(x.shape), expected=expected_shape)
    expected = reference_output(n_feature, values, x)
    expect_tensor(out, actual, expected, what=code("net(x)"))


@grades("LinearNet", points=0.75, public=True)
def test_linear_net_structure(student, device):
    """LinearNet(n_feature) holds one nn.Linear(n_feature, 1) named linear"""
    check_structure(build(student, device, 3, []), 3)


@grades("LinearNet", points=1, public=True)
def test_linear_net_forward(student, device):
    """net(x) is x @ linear.weight.T + linear.bias, of shape (n, 1)"""
    x = features(seed=91, n=8, d=5)
    check_forward(student, device, 5, x, seed=93)


@grades("LinearNet", points=0.25, devices=PLACEMENT_DEVICES)
def test_linear_net_stays_on_device(student, device):
    """LinearNet moved to the input's device gives its right output there"""
    x = features(seed=92, n=6, d=4)
    out = build(student, device, 4, [x])
    if not out.result["is_module"]:  # no module, so no output to place: the cpu tests say why
        raise Diagnosis("placement.no_tensor", function="LinearNet", actual=describe(out.value))
    if out.result["forward_error"] is not None:  # mixing devices raises
        raise error_diagnosis("LinearNet", {**out.result["forward_error"],
                                            "module_file": "concise.py"})
    for output in placed_tensors(out, out.result["outputs"][0]):
        expect_device(out, output, what=code("net(x)"))
    with values_right("LinearNet"):
        check_forward(student, device, 4, x, seed=94)
