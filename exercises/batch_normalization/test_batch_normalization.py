"""Hidden suite for batch_normalization.py: batch_norm and the BatchNorm layer.

batch_norm is called directly, on inputs whose features (channels) have clearly
different means and scales, so that statistics taken over the wrong dimensions, the
unbiased variance and the other momentum convention each give values of their own.
BatchNorm is built in the worker with the book's batch_norm (the reference's, sent with
the request: its tests declare batch_norm a collaborator, so they run after every test of
batch_norm; procedure bn_layer of exercises/batch_normalization/worker.py), trained for a
few steps, then asked to predict; each step is judged from the layer's own state before
it, so that one wrong value costs one test.
"""

from __future__ import annotations

import torch

from autograder.checks import (
    Outcome,
    code,
    describe,
    error_diagnosis,
    expect_inputs_unchanged,
    expect_placed,
    expect_tensor,
    is_close,
    values_right,
)
from autograder.messages import Diagnosis, Phrase
from autograder.plugin import PLACEMENT_DEVICES, grades
from autograder.registry import reference

ref = reference("batch_normalization")

# Mutants of the reference that change its code but not what it computes
# (`autograder exercise check`).
EQUIVALENT_MUTANTS: dict[str, str] = {}

EPS, MOMENTUM = 1e-5, 0.9  # BatchNorm's


def features(seed: int, *shape: int) -> torch.Tensor:
    """Random inputs whose feature (channel) k has mean 3 (k - 1) and scale k + 1."""
    generator = torch.Generator().manual_seed(seed)
    X = torch.randn(*shape, generator=generator)
    k = torch.arange(shape[1], dtype=torch.float32)
    view = (1, -1) + (1,) * (len(shape) - 2)
    return X * (k + 1).reshape(view) + (3 * (k - 1)).reshape(view)


def parameter(seed: int, shape: tuple[int, ...], low: float, high: float) -> torch.Tensor:
    generator = torch.Generator().manual_seed(seed)
    return low + (high - low) * torch.rand(*shape, generator=generator)


def shape_of(X: torch.Tensor) -> tuple[int, ...]:
    """gamma's shape for X: (1, d) or (1, c, 1, 1)."""
    return (1, X.shape[1]) if X.dim() == 2 else (1, X.shape[1], 1, 1)


def arguments(seed: int, X: torch.Tensor) -> dict[str, torch.Tensor]:
    shape = shape_of(X)
    return {"gamma": parameter(seed, shape, 0.5, 2.0), "beta": parameter(seed + 1, shape, -1, 1),
            "moving_mean": parameter(seed + 2, shape, -2, 2),
            "moving_var": parameter(seed + 3, shape, 0.5, 3.0)}


# -- batch_norm ------------------------------------------------------------------------


def statistics(X: torch.Tensor, dims: tuple[int, ...], unbiased: bool = False):
    mean = X.mean(dim=dims, keepdim=True)
    var = X.var(dim=dims, keepdim=True, unbiased=unbiased)
    return mean, var


def normalised(X, gamma, beta, mean, var, eps) -> torch.Tensor:
    return gamma * (X - mean) / torch.sqrt(var + eps) + beta


def statistics_dims(X: torch.Tensor) -> tuple[int, ...]:
    return (0,) if X.dim() == 2 else (0, 2, 3)


def call(student, device: str, is_training: bool, X: torch.Tensor, a: dict, eps: float,
         momentum: float) -> Outcome:
    return student.call("batch_norm", is_training, X, a["gamma"], a["beta"], a["moving_mean"],
                        a["moving_var"], eps, momentum, device=device)


def triple(out: Outcome) -> tuple:
    value = out.value
    if not isinstance(value, (tuple, list)) or len(value) != 3:
        raise Diagnosis("batch_norm.not_triple", actual=describe(value))
    return tuple(value)


def check_training(out: Outcome, X: torch.Tensor, a: dict, eps: float, momentum: float,
                   *, inputs: bool = True) -> None:
    """Y and the moving averages of batch_norm(True, X, ...)."""
    Y, moving_mean, moving_var = triple(out)
    expected = ref.batch_norm(True, X, a["gamma"], a["beta"], a["moving_mean"], a["moving_var"],
                              eps, momentum)
    diagnose_training_output(Y, expected[0], X, a, eps)
    expect_tensor(out, Y, expected[0], what=code("Y"))
    mean, var = statistics(X, statistics_dims(X))
    for name, actual, batch, wanted in (("moving_mean", moving_mean, mean, expected[1]),
                                        ("moving_var", moving_var, var, expected[2])):
        diagnose_moving(name, actual, wanted, a[name], batch, X, momentum)
        expect_tensor(out, actual, wanted, what=code(name))
    if inputs:
        expect_inputs_unchanged(out, {"X": X, **a}, first=1)


def scaled(X, gamma, beta, mean, var, eps) -> list[torch.Tensor]:
    """Y with eps under the square root, outside it, and left out."""
    return [normalised(X, gamma, beta, mean, var, eps),
            gamma * (X - mean) / (torch.sqrt(var) + eps) + beta,
            gamma * (X - mean) / torch.sqrt(var) + beta]


def diagnose_training_output(Y, expected, X, a, eps) -> None:
    if type(Y) is not torch.Tensor or Y.shape != expected.shape or is_close(Y, expected):
        return
    gamma, beta = a["gamma"], a["beta"]
    dims = statistics_dims(X)
    named = ", ".join(str(d) for d in dims)
    wrong_dims = [(tuple(range(1, X.dim())), Diagnosis("batch_norm.per_example", dims=named)),
                  ((1,), Diagnosis("batch_norm.per_example", dims=named))]
    if X.dim() == 4:
        wrong_dims += [((0,), Diagnosis("batch_norm.per_position")),
                       ((0, 1, 2, 3), Diagnosis("batch_norm.whole_batch"))]
    for unbiased in (False, True):
        for wrong, diagnosis in wrong_dims:
            if any(is_close(Y, y) for y in scaled(X, gamma, beta,
                                                  *statistics(X, wrong, unbiased), eps)):
                raise diagnosis
    if any(is_close(Y, y) for y in scaled(X, gamma, beta, *statistics(X, dims, True), eps)):
        raise Diagnosis("batch_norm.unbiased", where=Phrase("batch_norm.in_y"))
    if is_close(Y, normalised(X, gamma, beta, a["moving_mean"], a["moving_var"], eps)):
        raise Diagnosis("batch_norm.moving_in_training")
    if any(is_close(Y, y) for y in scaled(X, gamma, beta, *statistics(X, dims), eps)[1:]):
        raise Diagnosis("batch_norm.eps", eps=eps)


def diagnose_moving(name: str, actual, expected, old, batch, X, momentum) -> None:
    if type(actual) is not torch.Tensor or actual.shape != expected.shape \
            or is_close(actual, expected):
        return
    if is_close(actual, (1 - momentum) * old + momentum * batch):
        raise Diagnosis("batch_norm.momentum", name=name, momentum=momentum)
    if is_close(actual, batch):
        raise Diagnosis("batch_norm.batch_statistic_returned", name=name)
    if is_close(actual, old):
        raise Diagnosis("batch_norm.not_updated", name=name)
    if name == "moving_var":
        unbiased = statistics(X, statistics_dims(X), True)[1]
        if is_close(actual, momentum * old + (1 - momentum) * unbiased):
            raise Diagnosis("batch_norm.unbiased", where=Phrase("batch_norm.in_moving_var"))
        if is_close(actual, (1 - momentum) * old + momentum * unbiased):
            raise Diagnosis("batch_norm.momentum", name=name, momentum=momentum)


def check_prediction(out: Outcome, X: torch.Tensor, a: dict, eps: float, momentum: float,
                     *, inputs: bool = True) -> None:
    Y, moving_mean, moving_var = triple(out)
    expected = ref.batch_norm(False, X, a["gamma"], a["beta"], a["moving_mean"], a["moving_var"],
                              eps, momentum)
    if type(Y) is torch.Tensor and Y.shape == expected[0].shape \
            and not is_close(Y, expected[0]):
        training = ref.batch_norm(True, X, a["gamma"], a["beta"], a["moving_mean"],
                                  a["moving_var"], eps, momentum)[0]
        if is_close(Y, training):
            raise Diagnosis("batch_norm.batch_statistics_in_prediction")
        if is_close(Y, a["gamma"] * (X - a["moving_mean"]) / (torch.sqrt(a["moving_var"]) + eps)
                    + a["beta"]):
            raise Diagnosis("batch_norm.eps", eps=eps)
    expect_tensor(out, Y, expected[0], what=code("Y"))
    for name, actual in (("moving_mean", moving_mean), ("moving_var", moving_var)):
        if type(actual) is torch.Tensor and actual.shape == a[name].shape \
                and not is_close(actual, a[name]):
            raise Diagnosis("batch_norm.updated_in_prediction", name=name)
        expect_tensor(out, actual, a[name], what=code(name))
    if inputs:
        expect_inputs_unchanged(out, {"X": X, **a}, first=1)


@grades("batch_norm", points=0.7, public=True)
def test_batch_norm_fully_connected(student, device):
    """batch_norm(True, X, ...) standardises each feature of a 2-d X and moves the averages"""
    X, eps = features(71, 16, 5), EPS
    a = arguments(72, X)
    check_training(call(student, device, True, X, a, eps, MOMENTUM), X, a, eps, MOMENTUM)


@grades("batch_norm", points=0.7)
def test_batch_norm_convolutional(student, device):
    """batch_norm(True, X, ...) standardises each channel of a 4-d X over examples and positions"""
    X, eps = features(73, 4, 3, 5, 6), 0.2
    a = arguments(74, X)
    check_training(call(student, device, True, X, a, eps, 0.8), X, a, eps, 0.8)


@grades("batch_norm", points=0.6)
def test_batch_norm_prediction(student, device):
    """batch_norm(False, X, ...) uses the moving averages and leaves them as they are"""
    for seed, shape, eps in ((75, (6, 4), 0.3), (76, (3, 2, 4, 5), EPS)):
        X = features(seed, *shape)
        a = arguments(seed + 10, X)
        check_prediction(call(student, device, False, X, a, eps, MOMENTUM), X, a, eps,
                         MOMENTUM)


@grades("batch_norm", points=0.5)
def test_batch_norm_moving_averages_detached(student, device):
    """batch_norm returns Y tracked by autograd and the moving averages detached from it"""
    X = features(77, 2, 3, 4, 5).requires_grad_(True)  # a layer's output, as in a network
    a = arguments(78, X)
    a["gamma"].requires_grad_(True)
    a["beta"].requires_grad_(True)
    out = call(student, device, True, X, a, EPS, MOMENTUM)
    check_training(out, X.detach(), {k: v.detach() for k, v in a.items()}, EPS, MOMENTUM,
                   inputs=False)
    Y, moving_mean, moving_var = triple(out)
    if not Y.requires_grad:
        raise Diagnosis("batch_norm.y_detached")
    attached = [name for name, value in (("moving_mean", moving_mean),
                                         ("moving_var", moving_var)) if value.requires_grad]
    if attached:
        raise Diagnosis("batch_norm.attached", names=", ".join(attached))


@grades("batch_norm", points=0.3, devices=PLACEMENT_DEVICES)
def test_batch_norm_stays_on_device(student, device):
    """batch_norm's right results are on the input's device, in both modes"""
    X = features(79, 2, 3, 3, 4)
    a = arguments(80, X)
    out = call(student, device, True, X, a, EPS, MOMENTUM)
    expect_placed(out, out.value)
    with values_right("batch_norm"):
        check_training(out, X, a, EPS, MOMENTUM)
    out = call(student, device, False, X, a, EPS, MOMENTUM)
    expect_placed(out, out.value)
    with values_right("batch_norm"):
        check_prediction(out, X, a, EPS, MOMENTUM)


# -- BatchNorm -------------------------------------------------------------------------


def layer(student, device: str, num_features: int, num_dims: int, train: list, predict: list,
          load: dict | None = None) -> Outcome:
    return student.run("bn_layer", "BatchNorm", device=device, args=[num_features, num_dims],
                       book=["batch_norm"], train=train, predict=predict, load=load or {})


def layer_shape(num_features: int, num_dims: int) -> tuple[int, ...]:
    return (1, num_features) if num_dims == 2 else (1, num_features, 1, 1)


def check_structure(out: Outcome, num_features: int, num_dims: int) -> None:
    """gamma (ones) and beta (zeros) trainable, moving_mean and moving_var not."""
    result = out.result
    if not result["is_module"]:
        raise Diagnosis("batch_norm_layer.not_module", actual=describe(out.value))
    trainable = dict(result["trainable"])
    shape = layer_shape(num_features, num_dims)
    moving = [name for name in ("moving_mean", "moving_var") if name in trainable]
    if moving:
        raise Diagnosis("batch_norm_layer.moving_trained", names=", ".join(moving))
    missing = [name for name in ("gamma", "beta") if name not in trainable]
    if missing:
        raise Diagnosis("batch_norm_layer.missing_parameter", names=", ".join(missing),
                        found=", ".join(trainable) or Phrase("found.none"))
    extra = [name for name in trainable if name not in ("gamma", "beta")]
    if extra:
        raise Diagnosis("batch_norm_layer.extra", names=", ".join(extra))
    for name, start in (("gamma", torch.ones(shape)), ("beta", torch.zeros(shape))):
        value = trainable[name]
        if tuple(value.shape) != shape:
            raise Diagnosis("batch_norm_layer.shape", name=name, actual=tuple(value.shape),
                            expected=shape, num_features=num_features, num_dims=num_dims)
        if not torch.equal(value, start):
            raise Diagnosis(f"batch_norm_layer.{name}_start")
    values = result["start"]["values"]
    absent = [name for name in ("moving_mean", "moving_var") if values[name] is None]
    if absent:
        raise Diagnosis("batch_norm_layer.no_moving", names=", ".join(absent))
    for name in ("moving_mean", "moving_var"):
        if tuple(values[name].shape) != shape:
            raise Diagnosis("batch_norm_layer.shape", name=name,
                            actual=tuple(values[name].shape), expected=shape,
                            num_features=num_features, num_dims=num_dims)


def steps(out: Outcome) -> list[dict]:
    """Every step's record; the error a step raised, explained."""
    error = out.result["error"]
    if error is not None:
        if "same device" in error.get("message", "") or "is not on the expected device" \
                in error.get("message", ""):
            raise Diagnosis("batch_norm_layer.device")
        raise error_diagnosis("BatchNorm", {**error, "module_file": "batch_normalization.py"})
    return out.result["steps"]


def known_parameters(seed: int, num_features: int, num_dims: int) -> dict[str, torch.Tensor]:
    shape = layer_shape(num_features, num_dims)
    return {"gamma": parameter(seed, shape, 0.5, 2.0), "beta": parameter(seed + 1, shape, -1, 1)}


def statistic_of(state: dict, name: str, shape: tuple[int, ...]) -> torch.Tensor:
    """The layer's moving average `name` as it was, which the next step starts from."""
    value = state["values"][name]
    if value is None or value.numel() != torch.Size(shape).numel():
        raise Diagnosis("batch_norm_layer.no_moving", names=name)
    return value.reshape(shape)


def check_step(out: Outcome, record: dict, before: dict, X: torch.Tensor,
               values: dict[str, torch.Tensor], training: bool) -> None:
    """One step's output and moving averages, from the averages before it."""
    shape = tuple(values["gamma"].shape)
    a = {**values, "moving_mean": statistic_of(before, "moving_mean", shape),
         "moving_var": statistic_of(before, "moving_var", shape)}
    Y, new_mean, new_var = ref.batch_norm(training, X, a["gamma"], a["beta"], a["moving_mean"],
                                          a["moving_var"], EPS, MOMENTUM)
    actual = record["output"]
    if type(actual) is torch.Tensor and actual.shape == Y.shape and not is_close(actual, Y):
        other = ref.batch_norm(not training, X, a["gamma"], a["beta"], a["moving_mean"],
                               a["moving_var"], EPS, MOMENTUM)[0]
        if is_close(actual, other):
            raise Diagnosis("batch_norm_layer.training_flag" if not training
                            else "batch_norm_layer.predicts_in_training")
        swapped = ref.batch_norm(training, X, a["gamma"], a["beta"], a["moving_mean"],
                                 a["moving_var"], MOMENTUM, EPS)[0]
        if is_close(actual, swapped):
            raise Diagnosis("batch_norm_layer.arguments_swapped")
    expect_tensor(out, actual, Y, what=code("net(X)"))
    if record["tracked"]:
        raise Diagnosis("batch_norm_layer.attached")
    for name, wanted in (("moving_mean", new_mean), ("moving_var", new_var)):
        now = record["values"][name]
        if now is None:
            raise Diagnosis("batch_norm_layer.no_moving", names=name)
        if training and now.shape == wanted.shape and not is_close(now, wanted):
            if is_close(now, a[name]):
                raise Diagnosis("batch_norm_layer.not_kept", name=name)
            # PyTorch's momentum, 0.1, passed to the book's formula.
            other = ref.batch_norm(True, X, a["gamma"], a["beta"], a["moving_mean"],
                                   a["moving_var"], EPS, 1 - MOMENTUM)
            if is_close(now, other[1] if name == "moving_mean" else other[2]):
                raise Diagnosis("batch_norm_layer.momentum", momentum=1 - MOMENTUM)
        if not training and now.shape == wanted.shape and not is_close(now, wanted):
            raise Diagnosis("batch_norm_layer.updated_in_prediction", name=name)
        expect_tensor(out, now, wanted, what=code(f"net.{name}"))


def check_layer(out: Outcome, train: list, predict: list,
                values: dict[str, torch.Tensor]) -> None:
    """Each step from the layer's own state before it (what it holds is another test's)."""
    if not out.result["is_module"]:
        raise Diagnosis("batch_norm_layer.not_module", actual=describe(out.value))
    records = steps(out)
    before = out.result["start"]
    for record, X, training in zip(records, train + predict,
                                   [True] * len(train) + [False] * len(predict)):
        check_step(out, record, before, X, values, training)
        before = record


def batches(seed: int, count: int, *shape: int) -> list[torch.Tensor]:
    return [features(seed + i, *shape) for i in range(count)]


@grades("BatchNorm", points=0.5, public=True, collaborators=("batch_norm",))
def test_batch_norm_layer_parameters(student, device):
    """BatchNorm holds gamma (ones) and beta (zeros) as parameters, and the moving averages"""
    for num_features, num_dims in ((4, 2), (3, 4)):
        out = layer(student, device, num_features, num_dims, [], [])
        check_structure(out, num_features, num_dims)


@grades("BatchNorm", points=0.4, collaborators=("batch_norm",))
def test_batch_norm_layer_moving_averages_start(student, device):
    """BatchNorm's moving_mean starts at zeros and its moving_var at ones"""
    for num_features, num_dims in ((4, 2), (3, 4)):
        out = layer(student, device, num_features, num_dims, [], [])
        if not out.result["is_module"]:
            raise Diagnosis("batch_norm_layer.not_module", actual=describe(out.value))
        shape = layer_shape(num_features, num_dims)
        start = out.result["start"]
        values = {name: statistic_of(start, name, shape) for name in ("moving_mean",
                                                                      "moving_var")}
        if not torch.equal(values["moving_mean"], torch.zeros(shape)):
            raise Diagnosis("batch_norm_layer.mean_start")
        if not torch.equal(values["moving_var"], torch.ones(shape)):
            raise Diagnosis("batch_norm_layer.var_zeros" if bool((values["moving_var"] == 0)
                                                                 .all())
                            else "batch_norm_layer.var_start")


@grades("BatchNorm", points=0.7, collaborators=("batch_norm",))
def test_batch_norm_layer_training(student, device):
    """In training mode, net(X) normalises with the batch's statistics and keeps the averages"""
    train = batches(81, 3, 6, 3, 4, 5)
    values = known_parameters(84, 3, 4)
    out = layer(student, device, 3, 4, train, [], values)
    check_layer(out, train, [], values)


@grades("BatchNorm", points=0.6, collaborators=("batch_norm",))
def test_batch_norm_layer_prediction(student, device):
    """After net.eval(), net(X) normalises with the moving averages and leaves them alone"""
    train, predict = batches(85, 2, 8, 4), batches(87, 2, 3, 4)
    values = known_parameters(89, 4, 2)
    out = layer(student, device, 4, 2, train, predict, values)
    check_layer(out, train, predict, values)


@grades("BatchNorm", points=0.3, devices=PLACEMENT_DEVICES,
        collaborators=("batch_norm",))
def test_batch_norm_layer_stays_on_device(student, device):
    """BatchNorm moved to the input's device trains and predicts there"""
    train, predict = batches(90, 2, 4, 2, 3, 3), batches(92, 1, 2, 2, 3, 3)
    values = known_parameters(93, 2, 4)
    out = layer(student, device, 2, 4, train, predict, values)
    if not out.result["is_module"]:
        raise Diagnosis("placement.no_tensor", function="BatchNorm", actual=describe(out.value))
    for record in steps(out):
        expect_placed(out, record["output"])
        for name in ("moving_mean", "moving_var"):
            if record["values"][name] is not None:
                expect_placed(out, record["values"][name])
    with values_right("BatchNorm"):
        check_layer(out, train, predict, values)
