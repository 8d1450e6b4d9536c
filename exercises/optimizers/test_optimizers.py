"""Hidden suite for optimizers.py: the book's five optimisers, state and step.

Each step function runs for several steps in the worker (procedure "optimizer_steps",
exercises/optimizers/worker.py), on gradients the grader chose, with states the grader
made in the book's structure (so that a wrong init_*_states costs only its own test).
The parameters after every step are judged against the reference's: a state that is
rebound instead of updated in place, or a step counter that is not incremented, shows
only from the second step on. The classic mistakes are recognised by running the
mistaken update here, on the same gradients, and finding the one the student's
parameters follow.
"""

from __future__ import annotations

from collections.abc import Callable

import torch

from autograder.checks import (
    Outcome,
    describe,
    expect_device,
    expect_placed,
    expect_tensor,
    is_close,
    values_right,
)
from autograder.messages import Diagnosis, Phrase
from autograder.plugin import PLACEMENT_DEVICES, grades
from autograder.registry import reference

ref = reference("optimizers")

EQUIVALENT_MUTANTS: dict[str, str] = {}

# The book's hyperparameters (d2lzh_pytorch, chapter 7), and each optimiser's init.
HYPERPARAMS = {
    "sgd_momentum": {"lr": 0.02, "momentum": 0.5},
    "adagrad": {"lr": 0.1},
    "rmsprop": {"lr": 0.01, "gamma": 0.9},
    "adadelta": {"rho": 0.9},
    "adam": {"lr": 0.01, "t": 1},
}
INIT = {"sgd_momentum": "init_momentum_states", "adagrad": "init_adagrad_states",
        "rmsprop": "init_rmsprop_states", "adadelta": "init_adadelta_states",
        "adam": "init_adam_states"}
STEPS = 4
NAMES = ["w", "b"]


# -- init_*_states ---------------------------------------------------------------------


def features(seed: int, n: int = 6, d: int = 3) -> torch.Tensor:
    generator = torch.Generator().manual_seed(seed)
    return torch.randn(n, d, generator=generator)


def check_states(out: Outcome, function: str, X: torch.Tensor) -> None:
    """The value has the reference's structure, and each tensor its shape, dtype, zeros."""
    expected = getattr(ref, function)(X)
    actual = out.value
    paired = isinstance(expected[0], tuple)
    well_formed = isinstance(actual, (tuple, list)) and len(actual) == 2 and (
        not paired or all(isinstance(a, (tuple, list)) and len(a) == 2 for a in actual))
    if not well_formed:
        raise Diagnosis("optimizers.init_structure", function=function,
                        expected=Phrase(f"optimizers.structure.{'pairs' if paired else 'two'}"),
                        actual=describe(actual))
    pairs = zip(actual, expected) if not paired else \
        ((a, e) for got, want in zip(actual, expected) for a, e in zip(got, want))
    for got, want in pairs:
        expect_tensor(out, got, want, what=Phrase("optimizers.what.state", function=function))


def init_test(student, device: str, function: str, seed: int) -> None:
    X = features(seed)
    check_states(student.call(function, X, device=device), function, X)


def init_placement_test(student, device: str, function: str, seed: int) -> None:
    X = features(seed)
    out = student.call(function, X, device=device)
    expect_placed(out, out.value)
    with values_right(function):
        check_states(out, function, X)


# -- the steps -------------------------------------------------------------------------


def step_case(seed: int, function: str) -> tuple[list[torch.Tensor], list[list[torch.Tensor]]]:
    """Parameters w (3, 1) and b (1,), and STEPS gradients for each.

    The gradients are 0.5 to 2 in size, with random signs, except w[0]'s, which is 0 at
    every step (0 / sqrt(0) is nan: a missing eps shows there) and, for Adam, w[1]'s,
    which is about 1e-4 (there sqrt(s_hat) is about eps, so eps inside the square root
    shows). At 0.5 and above, AdaGrad's and RMSProp's sqrt(s + eps) and sqrt(s) + eps
    agree, and both are accepted.
    """
    generator = torch.Generator().manual_seed(seed)
    params = [torch.randn(3, 1, generator=generator), torch.randn(1, generator=generator)]
    grads = []
    for _ in range(STEPS):
        step = []
        for p in params:
            size = 0.5 + 1.5 * torch.rand(p.shape, generator=generator)
            sign = torch.randint(0, 2, p.shape, generator=generator) * 2 - 1
            step.append(size * sign)
        step[0][0, 0] = 0.0
        if function == "adam":
            step[0][1, 0] = step[0][1, 0] * 1e-4
        grads.append(step)
    return params, grads


def fresh_states(function: str) -> tuple:
    return getattr(ref, INIT[function])(torch.zeros(1, 3))


def run_steps(step: Callable, function: str, params: list[torch.Tensor],
              grads: list[list[torch.Tensor]], *, rebound: bool = False) -> list[list]:
    """The parameters after each step of `step` (the reference or a mistaken one).
    `rebound`: the state starts from zeros at every step, as if it were never stored."""
    params = [p.clone().requires_grad_(True) for p in params]
    hyperparams = dict(HYPERPARAMS[function])
    states = fresh_states(function)
    after = []
    for step_grads in grads:
        for p, g in zip(params, step_grads):
            p.grad = g.clone()
        step(params, fresh_states(function) if rebound else states, hyperparams)
        after.append([p.detach().clone() for p in params])
    return after


# The classic mistakes, each written as the student's step function would be.


def _momentum_lr_twice(params, states, hyperparams):
    for p, v in zip(params, states):
        v.data = hyperparams["momentum"] * v + hyperparams["lr"] * p.grad
        p.data -= hyperparams["lr"] * v


def _adagrad_not_accumulated(params, states, hyperparams):
    for p, s in zip(params, states):
        s.data = p.grad ** 2
        p.data -= hyperparams["lr"] * p.grad / torch.sqrt(s + 1e-6)


def _rmsprop_gamma_swapped(params, states, hyperparams):
    gamma = hyperparams["gamma"]
    for p, s in zip(params, states):
        s.data = (1 - gamma) * s + gamma * p.grad ** 2
        p.data -= hyperparams["lr"] * p.grad / torch.sqrt(s + 1e-6)


def _adadelta_no_eps_above(params, states, hyperparams):
    rho = hyperparams["rho"]
    for p, (s, delta) in zip(params, states):
        s[:] = rho * s + (1 - rho) * p.grad ** 2
        g = p.grad * torch.sqrt(delta / (s + 1e-5))
        p.data -= g
        delta[:] = rho * delta + (1 - rho) * g * g


def _adam(*, bias_correction: bool = True, eps_inside: bool = False, t_shift: int = 0,
          moments_swapped: bool = False, betas_swapped: bool = False,
          eps: float = 1e-6) -> Callable:
    def step(params, states, hyperparams):
        beta1, beta2 = 0.9, 0.999
        if betas_swapped:
            beta1, beta2 = beta2, beta1
        t = hyperparams["t"] + t_shift
        for p, (v, s) in zip(params, states):
            v[:] = beta1 * v + (1 - beta1) * p.grad
            s[:] = beta2 * s + (1 - beta2) * p.grad ** 2
            v_hat = v / (1 - beta1 ** t) if bias_correction else v
            s_hat = s / (1 - beta2 ** t) if bias_correction else s
            if moments_swapped:
                v_hat, s_hat = s_hat, v_hat
            root = torch.sqrt(s_hat + eps) if eps_inside else torch.sqrt(s_hat) + eps
            p.data -= hyperparams["lr"] * v_hat / root
        hyperparams["t"] += 1
    return step


MISTAKEN_STEPS: dict[str, list[tuple[str, Callable]]] = {
    "sgd_momentum": [("sgd_momentum.lr_twice", _momentum_lr_twice)],
    "adagrad": [("adagrad.not_accumulated", _adagrad_not_accumulated)],
    "rmsprop": [("rmsprop.gamma_swapped", _rmsprop_gamma_swapped)],
    "adadelta": [("adadelta.no_eps_above", _adadelta_no_eps_above)],
    "adam": [("adam.no_bias_correction", _adam(bias_correction=False)),
             ("adam.eps_inside", _adam(eps_inside=True)),
             ("adam.t_early", _adam(t_shift=1)),
             ("adam.moments_swapped", _adam(moments_swapped=True)),
             ("adam.betas_swapped", _adam(betas_swapped=True)),
             ("adam.eps_value", _adam(eps=1e-8))],
}


def follows(steps: list[dict], trajectory: list[list], upto: int) -> bool:
    """Whether the student's parameters match `trajectory` at every step up to `upto`."""
    return all(all(isinstance(a, torch.Tensor) and is_close(a, e)
                   for a, e in zip(step["params"], want))
               for step, want in zip(steps[:upto], trajectory[:upto]))


def check_adam_counter(steps: list[dict]) -> None:
    """hyperparams['t'] goes 2, 3, 4, ... after the steps: incremented once per step."""
    seen = [step["hyperparams"].get("t") for step in steps]
    start = HYPERPARAMS["adam"]["t"]
    expected = [start + k for k in range(1, len(steps) + 1)]
    if seen == expected:
        return
    if all(t == start for t in seen):
        raise Diagnosis("adam.t_not_incremented", t=start)
    if seen == [start + 2 * k for k in range(1, len(steps) + 1)]:
        raise Diagnosis("adam.t_per_parameter")
    raise Diagnosis("adam.t_set", seen=", ".join(str(t) for t in seen),
                    expected=", ".join(str(t) for t in expected))


def well_formed(steps: object, leaves: object) -> bool:
    """Whether the worker's answer has the shape its own code gives it: a record of each
    step, with a list of parameters and of gradients, and the hyperparameters."""
    return isinstance(leaves, list) and len(leaves) == len(NAMES) \
        and isinstance(steps, list) and len(steps) == STEPS and all(
            isinstance(step, dict) and isinstance(step.get("params"), list)
            and len(step["params"]) == len(NAMES) and isinstance(step.get("grads"), list)
            and len(step["grads"]) == len(NAMES) and isinstance(step.get("hyperparams"), dict)
            for step in steps)


def after_step(name: str, k: int) -> Phrase:
    return Phrase("optimizers.what.after_step", name=name, step=k)


def check_steps(out: Outcome, function: str, params: list[torch.Tensor],
                grads: list[list[torch.Tensor]]) -> None:
    result = out.result
    steps = result["steps"]
    if not well_formed(steps, result["leaves"]):
        raise Diagnosis("garbled_answer", function=function)
    for name, still_leaf in zip(NAMES, result["leaves"]):
        if not still_leaf:
            raise Diagnosis("optimizers.param_replaced", function=function, name=name)
    expected = run_steps(getattr(ref, function), function, params, grads)
    for k, (step, want) in enumerate(zip(steps, expected), start=1):
        for name, actual, param in zip(NAMES, step["params"], want):
            expect_tensor(out, actual, param, what=after_step(name, k), check_values=False)
    if function == "adam":
        check_adam_counter(steps)
    for k in range(1, len(steps) + 1):
        if follows(steps, expected, k):
            continue
        diagnose_step(function, steps, k, params, grads)
        for name, actual, param in zip(NAMES, steps[k - 1]["params"], expected[k - 1]):
            expect_tensor(out, actual, param, what=after_step(name, k))


def diagnose_step(function: str, steps: list[dict], k: int, params: list[torch.Tensor],
                  grads: list[list[torch.Tensor]]) -> None:
    """Why the parameters first leave the reference's path at step k."""
    step = steps[k - 1]
    before = params if k == 1 else steps[k - 2]["params"]
    if all(torch.equal(a, b) for a, b in zip(step["params"], before)):
        zeroed = all(type(g) is torch.Tensor and not bool(g.any()) for g in step["grads"])
        if function == "adadelta" and not zeroed:
            raise Diagnosis("adadelta.no_eps_above", step=k)
        raise Diagnosis("optimizers.grad_zeroed" if zeroed else "optimizers.not_updated",
                        function=function)
    for key, mistaken in MISTAKEN_STEPS[function]:
        if follows(steps, run_steps(mistaken, function, params, grads), k):
            raise Diagnosis(key, step=k)
    if k > 1 and follows(steps, run_steps(getattr(ref, function), function, params, grads,
                                          rebound=True), k):
        raise Diagnosis("optimizers.state_rebound", function=function, step=k)
    if not all(bool(torch.isfinite(p).all()) for p in step["params"]):
        raise Diagnosis("optimizers.no_eps", function=function, step=k)


def step_test(student, device: str, function: str, seed: int) -> Outcome:
    params, grads = step_case(seed, function)
    out = student.run("optimizer_steps", function, device=device, params=params,
                      states=fresh_states(function), grads=grads,
                      hyperparams=dict(HYPERPARAMS[function]))
    check_steps(out, function, params, grads)
    return out


def step_placement_test(student, device: str, function: str, seed: int) -> None:
    params, grads = step_case(seed, function)
    out = student.run("optimizer_steps", function, device=device, params=params,
                      states=fresh_states(function), grads=grads,
                      hyperparams=dict(HYPERPARAMS[function]))
    if not well_formed(out.result["steps"], out.result["leaves"]):
        raise Diagnosis("garbled_answer", function=function)
    for step in out.result["steps"]:
        for param in step["params"]:
            if type(param) is torch.Tensor:
                expect_device(out, param, what=Phrase("what.updated_parameter"))
    with values_right(function):
        check_steps(out, function, params, grads)


# -- momentum --------------------------------------------------------------------------


@grades("init_momentum_states", points=0.25, public=True)
def test_init_momentum_states(student, device):
    """init_momentum_states(features) gives float32 zeros shaped like w (d, 1) and b (1,)"""
    init_test(student, device, "init_momentum_states", seed=1)


@grades("init_momentum_states", points=0.1, devices=PLACEMENT_DEVICES)
def test_init_momentum_states_on_device(student, device):
    """init_momentum_states puts its states on the features' device"""
    init_placement_test(student, device, "init_momentum_states", seed=2)


@grades("sgd_momentum", points=1, public=True)
def test_sgd_momentum_steps(student, device):
    """sgd_momentum follows v <- momentum * v + lr * grad, p <- p - v over 4 steps"""
    step_test(student, device, "sgd_momentum", seed=3)


@grades("sgd_momentum", points=0.1, devices=PLACEMENT_DEVICES)
def test_sgd_momentum_on_device(student, device):
    """sgd_momentum keeps the parameters, rightly updated, on their device"""
    step_placement_test(student, device, "sgd_momentum", seed=4)


# -- AdaGrad ---------------------------------------------------------------------------


@grades("init_adagrad_states", points=0.25)
def test_init_adagrad_states(student, device):
    """init_adagrad_states(features) gives float32 zeros shaped like w (d, 1) and b (1,)"""
    init_test(student, device, "init_adagrad_states", seed=11)


@grades("init_adagrad_states", points=0.1, devices=PLACEMENT_DEVICES)
def test_init_adagrad_states_on_device(student, device):
    """init_adagrad_states puts its states on the features' device"""
    init_placement_test(student, device, "init_adagrad_states", seed=12)


@grades("adagrad", points=1)
def test_adagrad_steps(student, device):
    """adagrad follows s <- s + grad ** 2, p <- p - lr * grad / sqrt(s + eps) over 4 steps"""
    step_test(student, device, "adagrad", seed=13)


@grades("adagrad", points=0.1, devices=PLACEMENT_DEVICES)
def test_adagrad_on_device(student, device):
    """adagrad keeps the parameters, rightly updated, on their device"""
    step_placement_test(student, device, "adagrad", seed=14)


# -- RMSProp ---------------------------------------------------------------------------


@grades("init_rmsprop_states", points=0.25)
def test_init_rmsprop_states(student, device):
    """init_rmsprop_states(features) gives float32 zeros shaped like w (d, 1) and b (1,)"""
    init_test(student, device, "init_rmsprop_states", seed=21)


@grades("init_rmsprop_states", points=0.1, devices=PLACEMENT_DEVICES)
def test_init_rmsprop_states_on_device(student, device):
    """init_rmsprop_states puts its states on the features' device"""
    init_placement_test(student, device, "init_rmsprop_states", seed=22)


@grades("rmsprop", points=1)
def test_rmsprop_steps(student, device):
    """rmsprop follows s <- gamma * s + (1 - gamma) * grad ** 2 over 4 steps"""
    step_test(student, device, "rmsprop", seed=23)


@grades("rmsprop", points=0.1, devices=PLACEMENT_DEVICES)
def test_rmsprop_on_device(student, device):
    """rmsprop keeps the parameters, rightly updated, on their device"""
    step_placement_test(student, device, "rmsprop", seed=24)


# -- AdaDelta --------------------------------------------------------------------------


@grades("init_adadelta_states", points=0.25)
def test_init_adadelta_states(student, device):
    """init_adadelta_states(features) gives the zero pairs (s, delta) for w and for b"""
    init_test(student, device, "init_adadelta_states", seed=31)


@grades("init_adadelta_states", points=0.1, devices=PLACEMENT_DEVICES)
def test_init_adadelta_states_on_device(student, device):
    """init_adadelta_states puts its states on the features' device"""
    init_placement_test(student, device, "init_adadelta_states", seed=32)


@grades("adadelta", points=1)
def test_adadelta_steps(student, device):
    """adadelta rescales each gradient by sqrt((delta + eps) / (s + eps)) over 4 steps"""
    step_test(student, device, "adadelta", seed=33)


@grades("adadelta", points=0.1, devices=PLACEMENT_DEVICES)
def test_adadelta_on_device(student, device):
    """adadelta keeps the parameters, rightly updated, on their device"""
    step_placement_test(student, device, "adadelta", seed=34)


# -- Adam ------------------------------------------------------------------------------


@grades("init_adam_states", points=0.25)
def test_init_adam_states(student, device):
    """init_adam_states(features) gives the zero pairs (v, s) for w and for b"""
    init_test(student, device, "init_adam_states", seed=41)


@grades("init_adam_states", points=0.1, devices=PLACEMENT_DEVICES)
def test_init_adam_states_on_device(student, device):
    """init_adam_states puts its states on the features' device"""
    init_placement_test(student, device, "init_adam_states", seed=42)


@grades("adam", points=1, public=True)
def test_adam_steps(student, device):
    """adam follows the bias-corrected moments and increments t once per step, 4 steps"""
    step_test(student, device, "adam", seed=43)


@grades("adam", points=0.1, devices=PLACEMENT_DEVICES)
def test_adam_on_device(student, device):
    """adam keeps the parameters, rightly updated, on their device"""
    step_placement_test(student, device, "adam", seed=44)

