"""Hidden suite for cnn.py: cross-correlation, Conv2D, channels and pooling from scratch.

Each function is graded with the book's versions of the functions it calls (their
reference code, sent with the request to the procedures of exercises/cnn/worker.py and
declared in the test's grades(..., collaborators=...)), so that one mistake costs one
function.
Inputs are seeded random float32 tensors of shapes that are not square, so that rows
and columns, kernels and their flips, channels and their order cannot be confused.
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

ref = reference("cnn")

# Mutants of the reference that change its code but not what it computes
# (`autograder exercise check`).
EQUIVALENT_MUTANTS: dict[str, str] = {}


def random(seed: int, *shape: int) -> torch.Tensor:
    generator = torch.Generator().manual_seed(seed)
    return torch.randn(*shape, generator=generator)


def call(student, device: str, function: str, *args, book: tuple[str, ...] = ()) -> Outcome:
    """function(*args) in the worker, the functions `book` it calls being the book's (the
    test declares them: grades(..., collaborators=...))."""
    return student.run("cnn_call", function, device=device, args=list(args), kwargs={},
                       book=list(book))


# -- diagnoses shared by the functions -------------------------------------------------


def expect_float(out: Outcome, actual, X: torch.Tensor) -> None:
    """A floating result for floating X: an integer tensor has truncated every value
    written into it. (For integer X, the values say whether anything was lost.)"""
    if type(actual) is torch.Tensor and X.is_floating_point() \
            and not actual.is_floating_point() and not actual.is_complex():
        raise Diagnosis("cnn.integer_output", function=out.function, dtype=str(actual.dtype),
                        x_dtype=str(X.dtype))


def missing_windows(actual: torch.Tensor, expected: torch.Tensor) -> bool:
    """Right in the first rows and columns, and zero in the last ones: windows the loops
    never reached."""
    if actual.shape != expected.shape or expected.dim() != 2:
        return False
    for rows in range(1, expected.shape[0] + 1):
        for cols in range(1, expected.shape[1] + 1):
            if rows == expected.shape[0] and cols == expected.shape[1]:
                continue
            inside = is_close(actual[:rows, :cols], expected[:rows, :cols])
            outside = actual.clone()
            outside[:rows, :cols] = 0
            if inside and bool((outside == 0).all()):
                return True
    return False


def output_shape(X: torch.Tensor, window: tuple[int, int]) -> tuple[int, int]:
    return (X.shape[-2] - window[0] + 1, X.shape[-1] - window[1] + 1)


def check_shape(out: Outcome, actual, expected: torch.Tensor, X: torch.Tensor,
                window: tuple[int, int], what: str) -> None:
    """The output has one element per position where the whole window fits."""
    if type(actual) is not torch.Tensor or actual.shape == expected.shape:
        return
    if actual.dim() == expected.dim() and actual.shape[:-2] == expected.shape[:-2] \
            and actual.shape[-2:] == X.shape[-2:]:
        raise Diagnosis("cnn.input_shape", function=out.function, what=what,
                        actual=tuple(actual.shape), expected=tuple(expected.shape),
                        window=tuple(window))
    if actual.dim() == expected.dim() and all(
            abs(a - e) <= 1 for a, e in zip(actual.shape[-2:], expected.shape[-2:])) \
            and actual.shape[:-2] == expected.shape[:-2]:
        raise Diagnosis("cnn.off_by_one", function=out.function, what=what,
                        actual=tuple(actual.shape), expected=tuple(expected.shape),
                        x_shape=tuple(X.shape[-2:]), window=tuple(window))


# -- corr2d ----------------------------------------------------------------------------


def as_dtype_of(expected: torch.Tensor, actual, *, integers: bool) -> torch.Tensor:
    """For integer inputs any float dtype will do (float64 is as good as the book's
    float32), and an integer one where `integers`: their values are whole numbers."""
    if type(actual) is torch.Tensor and (actual.is_floating_point() or integers and not (
            actual.is_complex() or actual.dtype == torch.bool)):
        return expected.to(actual.dtype)
    return expected


def check_corr2d(out: Outcome, X: torch.Tensor, K: torch.Tensor, *,
                 inputs: bool = True) -> None:
    """corr2d(X, K)'s value; `inputs`: and X and K are left as they were."""
    expected = ref.corr2d(X, K)
    actual = out.value
    expect_float(out, actual, X)
    if not X.is_floating_point():
        expected = as_dtype_of(expected, actual, integers=True)
    check_shape(out, actual, expected, X, tuple(K.shape), "corr2d(X, K)")
    if type(actual) is torch.Tensor and actual.shape == expected.shape \
            and not is_close(actual, expected):
        for dims in ((0, 1), (1,), (0,)):
            if is_close(actual, ref.corr2d(X, K.flip(dims))):
                raise Diagnosis("corr2d.flipped")
        if missing_windows(actual, expected):
            raise Diagnosis("cnn.missing_windows", function="corr2d")
    expect_tensor(out, actual, expected, what=code("corr2d(X, K)"))
    if inputs:
        expect_inputs_unchanged(out, {"X": X, "K": K})


@grades("corr2d", points=0.6, public=True)
def test_corr2d_values(student, device):
    """corr2d slides the kernel, unflipped, over every position where it fits"""
    X, K = random(11, 5, 7), random(12, 2, 3)
    check_corr2d(call(student, device, "corr2d", X, K), X, K)


@grades("corr2d", points=0.3)
def test_corr2d_shapes(student, device):
    """corr2d's output is (n_h - k_h + 1, n_w - k_w + 1) for kernels of any shape"""
    for seed, x_shape, k_shape in ((13, (4, 6), (3, 1)), (14, (3, 5), (1, 1)),
                                   (15, (3, 4), (3, 4)), (16, (6, 3), (2, 2))):
        X, K = random(seed, *x_shape), random(seed + 100, *k_shape)
        check_corr2d(call(student, device, "corr2d", X, K), X, K)


@grades("corr2d", points=0.1)
def test_corr2d_integer_example(student, device):
    """corr2d gives the book's [[19, 25], [37, 43]] for its integer example"""
    X = torch.arange(9).reshape(3, 3)
    K = torch.arange(4).reshape(2, 2)
    check_corr2d(call(student, device, "corr2d", X, K), X, K)


@grades("corr2d", points=0.3)
def test_corr2d_gradient(student, device):
    """corr2d lets autograd reach X and K (Conv2D learns its kernel through it)"""
    X, K = random(17, 4, 5), random(18, 2, 3)
    upstream = random(19, 3, 3)
    out = student.run("cnn_grad", "corr2d", device=device, X=X, K=K, upstream=upstream)
    check_corr2d(out, X, K, inputs=False)
    if out.result["backward_error"] is not None:
        raise error_diagnosis("corr2d", out.result["backward_error"])
    if not out.result["connected"] or None in out.result["grads"]:
        raise Diagnosis("corr2d.no_grad")
    X_leaf, K_leaf = X.clone().requires_grad_(True), K.clone().requires_grad_(True)
    (ref.corr2d(X_leaf, K_leaf) * upstream).sum().backward()
    for name, actual, expected in zip(("X", "K"), out.result["grads"],
                                      (X_leaf.grad, K_leaf.grad)):
        expect_tensor(out, actual, expected,
                      what=Phrase("cnn.what_gradient", function="corr2d", argument=name))


@grades("corr2d", points=0.2, devices=PLACEMENT_DEVICES)
def test_corr2d_stays_on_device(student, device):
    """corr2d's right result is on the input's device"""
    X, K = random(20, 4, 5), random(21, 2, 2)
    out = call(student, device, "corr2d", X, K)
    expect_placed(out, out.value)
    with values_right("corr2d"):
        check_corr2d(out, X, K)


# -- Conv2D ----------------------------------------------------------------------------


def layer(student, device: str, kernel_size: tuple[int, int], x: torch.Tensor,
          load: dict[str, torch.Tensor] | None = None) -> Outcome:
    upstream = random(99, *output_shape(x, kernel_size))
    """Conv2D(kernel_size) run on x with the book's corr2d (the test declares it)."""
    return student.run("cnn_layer", "Conv2D", device=device, args=[kernel_size], x=x,
                       load=load or {}, upstream=upstream, book=["corr2d"])


def check_structure(out: Outcome, kernel_size: tuple[int, int]) -> None:
    """weight (kernel_size) and bias (1,), registered as parameters, nothing else."""
    result = out.result
    if not result["is_module"]:
        raise Diagnosis("conv2d.not_module", actual=describe(out.value))
    parameters = dict(result["parameters"])
    if not parameters and result["unregistered"]:
        raise Diagnosis("conv2d.unregistered",
                        names=", ".join(f"self.{name}" for name in result["unregistered"]))
    missing = [name for name in ("weight", "bias") if name not in parameters]
    if missing:
        raise Diagnosis("conv2d.missing_parameter", names=", ".join(missing),
                        found=", ".join(parameters) or Phrase("found.none"))
    extra = [name for name in parameters if name not in ("weight", "bias")]
    if extra:
        raise Diagnosis("conv2d.extra", names=", ".join(extra))
    weight, bias = parameters["weight"], parameters["bias"]
    if tuple(weight.shape) != tuple(kernel_size) or bias.shape != (1,):
        raise Diagnosis("conv2d.shapes", kernel_size=tuple(kernel_size),
                        weight=tuple(weight.shape), bias=tuple(bias.shape))


def known_parameters(seed: int, kernel_size: tuple[int, int]) -> dict[str, torch.Tensor]:
    """Values the test chooses: the output is judged against these."""
    return {"weight": random(seed, *kernel_size), "bias": random(seed + 1, 1)}


def reference_layer(kernel_size: tuple[int, int], values: dict[str, torch.Tensor]):
    net = ref.Conv2D(kernel_size)
    with torch.no_grad():
        net.weight.copy_(values["weight"])
        net.bias.copy_(values["bias"])
    return net


def forward(out: Outcome) -> torch.Tensor:
    result = out.result
    if not result["is_module"]:
        raise Diagnosis("conv2d.not_module", actual=describe(out.value))
    if result["forward_error"] is not None:
        raise error_diagnosis("Conv2D", {**result["forward_error"], "module_file": "cnn.py"})
    return result["output"]


def check_forward(out: Outcome, kernel_size: tuple[int, int], x: torch.Tensor,
                  values: dict[str, torch.Tensor]) -> None:
    actual = forward(out)
    expected = reference_layer(kernel_size, values)(x).detach()
    if type(actual) is torch.Tensor and actual.shape == expected.shape \
            and not is_close(actual, expected) \
            and is_close(actual, ref.corr2d(x, values["weight"])):
        raise Diagnosis("conv2d.no_bias")
    expect_tensor(out, actual, expected, what=code("net(x)"))


@grades("Conv2D", points=0.4, public=True, collaborators=("corr2d",))
def test_conv2d_parameters(student, device):
    """Conv2D(kernel_size) registers weight (kernel_size) and bias (1,) as parameters"""
    check_structure(layer(student, device, (2, 3), random(31, 4, 5)), (2, 3))


@grades("Conv2D", points=0.4, collaborators=("corr2d",))
def test_conv2d_forward(student, device):
    """net(x) is corr2d(x, weight) + bias"""
    x, values = random(32, 5, 6), known_parameters(33, (3, 2))
    check_forward(layer(student, device, (3, 2), x, values), (3, 2), x, values)


@grades("Conv2D", points=0.3, collaborators=("corr2d",))
def test_conv2d_gradient(student, device):
    """backward() through net(x) reaches weight and bias"""
    x, values = random(34, 4, 6), known_parameters(35, (2, 3))
    out = layer(student, device, (2, 3), x, values)
    check_forward(out, (2, 3), x, values)
    if out.result["backward_error"] is not None:
        raise error_diagnosis("Conv2D", out.result["backward_error"])
    net = reference_layer((2, 3), values)
    (net(x) * random(99, *output_shape(x, (2, 3)))).sum().backward()
    for name in ("weight", "bias"):
        actual = out.result["grads"].get(name)
        if actual is None:
            raise Diagnosis("conv2d.no_grad", name=name)
        expected = getattr(net, name).grad
        expect_tensor(out, actual, expected,
                      what=Phrase("cnn.what_gradient", function="Conv2D", argument=name))


@grades("Conv2D", points=0.1, collaborators=("corr2d",))
def test_conv2d_random_start(student, device):
    """Conv2D's weight and bias start random, drawn as torch.randn draws them"""
    x = random(38, 6, 6)  # one window: the values are not what this test looks at
    weights, biases = [], []
    for _ in range(16):
        out = layer(student, device, (6, 6), x)
        if not out.result["is_module"]:
            raise Diagnosis("conv2d.not_module", actual=describe(out.value))
        initial = out.result["initial"]  # registered or not: another test says which
        if set(initial) != {"weight", "bias"}:
            check_structure(out, (6, 6))  # says what is missing
        weights.append(initial["weight"].reshape(-1))
        biases.append(initial["bias"].reshape(-1))
    drawn = torch.cat(weights + biases).double()
    # 592 draws of N(0, 1): their mean is within 0.25 of 0 and their standard deviation
    # within 0.2 of 1 with a probability above 1 - 1e-9; each bias is drawn too.
    mean, std = float(drawn.mean()), float(drawn.std())
    bias_std = float(torch.cat(biases).double().std())
    if abs(mean) > 0.25 or abs(std - 1) > 0.2 or bias_std < 0.3:
        raise Diagnosis("conv2d.init", mean=mean, std=std, count=drawn.numel())


@grades("Conv2D", points=0.2, devices=PLACEMENT_DEVICES, collaborators=("corr2d",))
def test_conv2d_stays_on_device(student, device):
    """Conv2D moved to the input's device computes its right output there"""
    x, values = random(36, 4, 5), known_parameters(37, (2, 2))
    out = layer(student, device, (2, 2), x, values)
    if out.result["is_module"] and not out.result["parameters"] \
            and out.result["unregistered"]:  # net.to(device) moves no plain tensor
        raise Diagnosis("conv2d.unregistered",
                        names=", ".join(f"self.{name}" for name in out.result["unregistered"]))
    expect_placed(out, forward(out))
    with values_right("Conv2D"):
        check_forward(out, (2, 2), x, values)


# -- corr2d_multi_in -------------------------------------------------------------------


def check_multi_in(out: Outcome, X: torch.Tensor, K: torch.Tensor) -> None:
    expected = ref.corr2d_multi_in(X, K)
    actual = out.value
    expect_float(out, actual, X)
    if type(actual) is torch.Tensor and not is_close(actual, expected):
        channels = [ref.corr2d(x, k) for x, k in zip(X, K)]
        if actual.shape == (X.shape[0], *expected.shape) \
                and is_close(actual.sum(dim=0), expected):
            raise Diagnosis("corr2d_multi_in.stacked", channels=X.shape[0],
                            actual=tuple(actual.shape), expected=tuple(expected.shape))
        if is_close(actual, expected + channels[0]):
            raise Diagnosis("corr2d_multi_in.first_twice")
        if is_close(actual, channels[0]):
            raise Diagnosis("corr2d_multi_in.first_only")
        if len(channels) > 1 and is_close(actual, expected - channels[-1]):
            raise Diagnosis("corr2d_multi_in.last_missing")
        if is_close(actual, expected / X.shape[0]):
            raise Diagnosis("corr2d_multi_in.mean")
    check_shape(out, actual, expected, X, tuple(K.shape[-2:]), "corr2d_multi_in(X, K)")
    expect_tensor(out, actual, expected, what=code("corr2d_multi_in(X, K)"))
    expect_inputs_unchanged(out, {"X": X, "K": K})


@grades("corr2d_multi_in", points=0.5, public=True, collaborators=("corr2d",))
def test_corr2d_multi_in_values(student, device):
    """corr2d_multi_in adds up the cross-correlations of the c_i channels, each once"""
    X, K = random(41, 3, 5, 6), random(42, 3, 2, 3)
    check_multi_in(call(student, device, "corr2d_multi_in", X, K, book=("corr2d",)), X, K)


@grades("corr2d_multi_in", points=0.2, collaborators=("corr2d",))
def test_corr2d_multi_in_channels(student, device):
    """corr2d_multi_in works for one input channel and for several"""
    for seed, channels in ((43, 1), (44, 2), (45, 5)):
        X, K = random(seed, channels, 4, 3), random(seed + 100, channels, 2, 2)
        check_multi_in(call(student, device, "corr2d_multi_in", X, K, book=("corr2d",)),
                       X, K)


@grades("corr2d_multi_in", points=0.2, devices=PLACEMENT_DEVICES,
        collaborators=("corr2d",))
def test_corr2d_multi_in_stays_on_device(student, device):
    """corr2d_multi_in's right result is on the input's device"""
    X, K = random(46, 2, 4, 4), random(47, 2, 2, 2)
    out = call(student, device, "corr2d_multi_in", X, K, book=("corr2d",))
    expect_placed(out, out.value)
    with values_right("corr2d_multi_in"):
        check_multi_in(out, X, K)


# -- corr2d_multi_in_out ---------------------------------------------------------------


def check_multi_in_out(out: Outcome, X: torch.Tensor, K: torch.Tensor) -> None:
    expected = ref.corr2d_multi_in_out(X, K)
    actual = out.value
    expect_float(out, actual, X)
    if type(actual) is torch.Tensor and actual.shape != expected.shape:
        for dim in (1, 2):
            moved = expected.movedim(0, dim)
            if actual.shape == moved.shape and is_close(actual, moved):
                raise Diagnosis("corr2d_multi_in_out.stack_dim", dim=dim,
                                actual=tuple(actual.shape), expected=tuple(expected.shape))
        if actual.shape == expected.shape[1:] and is_close(actual, expected.sum(dim=0)):
            raise Diagnosis("corr2d_multi_in_out.summed", actual=tuple(actual.shape),
                            expected=tuple(expected.shape))
        flat = expected.reshape(-1, expected.shape[-1])
        if actual.shape == flat.shape and is_close(actual, flat):
            raise Diagnosis("corr2d_multi_in_out.concatenated", actual=tuple(actual.shape),
                            expected=tuple(expected.shape))
    if type(actual) is torch.Tensor and actual.shape == expected.shape \
            and not is_close(actual, expected) \
            and is_close(actual, torch.stack([ref.corr2d(X[0], k[0]) for k in K])):
        raise Diagnosis("corr2d_multi_in_out.one_channel")
    check_shape(out, actual, expected, X, tuple(K.shape[-2:]), "corr2d_multi_in_out(X, K)")
    expect_tensor(out, actual, expected, what=code("corr2d_multi_in_out(X, K)"))
    expect_inputs_unchanged(out, {"X": X, "K": K})


@grades("corr2d_multi_in_out", points=0.6, public=True,
        collaborators=("corr2d", "corr2d_multi_in"))
def test_corr2d_multi_in_out_values(student, device):
    """corr2d_multi_in_out stacks one output channel per kernel along dimension 0"""
    X, K = random(51, 2, 5, 6), random(52, 3, 2, 2, 3)
    out = call(student, device, "corr2d_multi_in_out", X, K,
               book=("corr2d", "corr2d_multi_in"))
    check_multi_in_out(out, X, K)


@grades("corr2d_multi_in_out", points=0.2, devices=PLACEMENT_DEVICES,
        collaborators=("corr2d", "corr2d_multi_in"))
def test_corr2d_multi_in_out_stays_on_device(student, device):
    """corr2d_multi_in_out's right result is on the input's device"""
    X, K = random(53, 2, 4, 4), random(54, 2, 2, 2, 2)
    out = call(student, device, "corr2d_multi_in_out", X, K,
               book=("corr2d", "corr2d_multi_in"))
    expect_placed(out, out.value)
    with values_right("corr2d_multi_in_out"):
        check_multi_in_out(out, X, K)


# -- pool2d ----------------------------------------------------------------------------


def pooled(X: torch.Tensor, shape: tuple[int, int], window: tuple[int, int],
           stride: tuple[int, int], mode: str) -> torch.Tensor:
    """Pooling over windows of `window` (clipped at the edges), at `stride`, into `shape`."""
    X = X.float()
    Y = torch.zeros(shape)
    for i in range(shape[0]):
        for j in range(shape[1]):
            part = X[i * stride[0]: i * stride[0] + window[0],
                     j * stride[1]: j * stride[1] + window[1]]
            if part.numel():
                Y[i, j] = part.max() if mode == "max" else part.mean()
    return Y


def check_pool(out: Outcome, X: torch.Tensor, pool_size: tuple[int, int], mode: str) -> None:
    expected = ref.pool2d(X, pool_size, mode)
    actual = out.value
    expect_float(out, actual, X)
    if not X.is_floating_point():
        if type(actual) is torch.Tensor and not (actual.is_floating_point()
                                                 or actual.is_complex()):
            raise Diagnosis("pool2d.integer_input", dtype=str(actual.dtype))
        expected = as_dtype_of(expected, actual, integers=False)
    if type(actual) is torch.Tensor and actual.dim() == 2:
        strided = (X.shape[0] // pool_size[0], X.shape[1] // pool_size[1])
        if actual.shape == strided and actual.shape != expected.shape:
            raise Diagnosis("pool2d.stride", pool_size=tuple(pool_size),
                            actual=tuple(actual.shape), expected=tuple(expected.shape))
    if type(actual) is torch.Tensor and actual.shape == expected.shape \
            and actual.is_floating_point() and not is_close(actual, expected):
        if bool((actual == 0).all()):
            raise Diagnosis("pool2d.all_zero", mode=mode)
        other = "avg" if mode == "max" else "max"
        if is_close(actual, ref.pool2d(X, pool_size, other)):
            raise Diagnosis("pool2d.mode", mode=mode, other=other)
        if mode == "avg" and is_close(actual, expected * pool_size[0] * pool_size[1]):
            raise Diagnosis("pool2d.avg_sum", count=pool_size[0] * pool_size[1])
        for window in ((pool_size[0] + a, pool_size[1] + b) for a in (-1, 0, 1)
                       for b in (-1, 0, 1)):
            if window != tuple(pool_size) and min(window) > 0 and is_close(
                    actual, pooled(X, tuple(expected.shape), window, (1, 1), mode)):
                raise Diagnosis("pool2d.window", window=window, pool_size=tuple(pool_size))
        if missing_windows(actual, expected):
            raise Diagnosis("cnn.missing_windows", function="pool2d")
    check_shape(out, actual, expected, X, tuple(pool_size), f"pool2d(X, pool_size, {mode!r})")
    expect_tensor(out, actual, expected, what=code(f"pool2d(X, pool_size, {mode!r})"))
    expect_inputs_unchanged(out, {"X": X})


@grades("pool2d", points=0.4, public=True)
def test_pool2d_max(student, device):
    """pool2d(X, pool_size) takes the maximum of every window, at stride 1"""
    X = random(61, 5, 6)
    check_pool(call(student, device, "pool2d", X, (2, 3)), X, (2, 3), "max")


@grades("pool2d", points=0.4)
def test_pool2d_avg(student, device):
    """pool2d(X, pool_size, 'avg') takes the mean of every window, at stride 1"""
    X = random(62, 6, 5)
    check_pool(call(student, device, "pool2d", X, (3, 2), "avg"), X, (3, 2), "avg")


@grades("pool2d", points=0.1)
def test_pool2d_integer_example(student, device):
    """pool2d gives floats for the book's integer example, in both modes"""
    X = torch.arange(9).reshape(3, 3)
    for mode in ("max", "avg"):
        check_pool(call(student, device, "pool2d", X, (2, 2), mode), X, (2, 2), mode)


@grades("pool2d", points=0.2, devices=PLACEMENT_DEVICES)
def test_pool2d_stays_on_device(student, device):
    """pool2d's right result is on the input's device"""
    X = random(63, 4, 5)
    out = call(student, device, "pool2d", X, (2, 2), "avg")
    expect_placed(out, out.value)
    with values_right("pool2d"):
        check_pool(out, X, (2, 2), "avg")
