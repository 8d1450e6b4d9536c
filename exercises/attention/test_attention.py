"""Hidden suite for attention.py: the masked softmax, two attention layers, the heads.

The layers are built in the worker (procedure "attention_layer",
exercises/attention/worker.py), in eval mode unless a test says otherwise, with the
book's SequenceMask and masked_softmax in place of the student's, so that one mistake
costs one function (masked_softmax likewise runs with the book's SequenceMask). The
book's code is the reference's, sent with the request to the tests that declare it
(grades(..., collaborators=...)), which run after every test of those functions.
MLPAttention is judged on its own parameters: the grader computes what its layers give
in the book's form, v(tanh(W_q q + W_k k)), and in the course's, v(W_k q + W_q k).
"""

from __future__ import annotations

import math

import torch

from autograder.checks import (
    Outcome,
    code,
    describe,
    error_diagnosis,
    expect_placed,
    expect_tensor,
    is_close,
    values_right,
)
from autograder.messages import Diagnosis, Phrase
from autograder.plugin import PLACEMENT_DEVICES, grades
from autograder.registry import reference

ref = reference("attention")

# Mutants of the reference that change its code but not what it computes
# (`autograder exercise check`).
EQUIVALENT_MUTANTS = {
    "DotProductAttention.forward:swap_args:6a0f367a":
        "key.transpose(2, 1) instead of key.transpose(1, 2) swaps the same two axes: "
        "transpose is symmetric in its two arguments, so the scores are identical",
}


def random(seed: int, *shape: int, scale: float = 1.0) -> torch.Tensor:
    generator = torch.Generator().manual_seed(seed)
    return torch.randn(*shape, generator=generator) * scale


def masked_scores(X: torch.Tensor, valid_length: torch.Tensor, value: float) -> torch.Tensor:
    """X with the positions past each valid length set to `value` (3-d, not flattened)."""
    lengths = valid_length if valid_length.dim() == 2 else \
        valid_length[:, None].expand(X.shape[0], X.shape[1])
    mask = torch.arange(X.shape[-1])[None, None, :] >= lengths[:, :, None]
    return X.masked_fill(mask, value)


# -- SequenceMask ------------------------------------------------------------------------


def check_sequence_mask(out: Outcome, X: torch.Tensor, X_len: torch.Tensor,
                        value: float) -> None:
    expected = ref.SequenceMask(X.clone(), X_len, value)
    actual = out.value
    if type(actual) is torch.Tensor and actual.shape == X.shape and \
            not is_close(actual, expected):
        kept = torch.arange(X.shape[1])[None, :] < X_len[:, None]
        if is_close(actual, torch.where(kept, value, X)):
            raise Diagnosis("sequence_mask.inverted")
        for shift in (1, -1):
            if is_close(actual, ref.SequenceMask(X.clone(), X_len + shift, value)):
                raise Diagnosis("sequence_mask.off_by_one")
        if value != -1e6 and is_close(actual, ref.SequenceMask(X.clone(), X_len)):
            raise Diagnosis("sequence_mask.ignores_value", value=value)
    expect_tensor(out, actual, expected, what=code("SequenceMask(X, X_len, value)"))


@grades("SequenceMask", points=0.5, public=True)
def test_sequence_mask_values(student, device):
    """SequenceMask sets X[i, j] to -1e6 where j >= X_len[i]"""
    X, X_len = random(11, 4, 6), torch.tensor([0, 6, 2, 5])
    out = student.call("SequenceMask", X, X_len, device=device)
    check_sequence_mask(out, X, X_len, -1e6)


@grades("SequenceMask", points=0.25)
def test_sequence_mask_value_and_float_lengths(student, device):
    """SequenceMask uses the given value, and lengths given as floats"""
    X, X_len = random(12, 3, 5), torch.tensor([4.0, 1.0, 3.0])
    out = student.call("SequenceMask", X, X_len, value=0.5, device=device)
    check_sequence_mask(out, X, X_len, 0.5)


@grades("SequenceMask", points=0.25, devices=PLACEMENT_DEVICES)
def test_sequence_mask_stays_on_device(student, device):
    """SequenceMask builds its mask on X's device and keeps its right result there"""
    X, X_len = random(13, 3, 4), torch.tensor([1, 4, 2])
    out = student.call("SequenceMask", X, X_len, device=device)
    expect_placed(out, out.value)
    with values_right("SequenceMask"):
        check_sequence_mask(out, X, X_len, -1e6)


# -- masked_softmax ----------------------------------------------------------------------


def masked_softmax_call(student, device: str, X: torch.Tensor,
                        valid_length: torch.Tensor | None) -> Outcome:
    """masked_softmax(X, valid_length) in the worker, with the book's SequenceMask (the
    test declares it: grades(..., collaborators=("SequenceMask",)))."""
    return student.run("attention_masked", "masked_softmax", device=device,
                       args=[X, valid_length], book=["SequenceMask"])


def sums_to_one(tensor: torch.Tensor, dim: int) -> bool:
    total = tensor.sum(dim=dim)
    return is_close(total, torch.ones_like(total))


def check_masked_softmax(out: Outcome, X: torch.Tensor,
                         valid_length: torch.Tensor | None) -> None:
    expected = ref.masked_softmax(X, valid_length)
    actual = out.value
    if type(actual) is torch.Tensor and actual.dtype == expected.dtype:
        diagnose_masked_softmax(actual, expected, X, valid_length)
    expect_tensor(out, actual, expected, what=code("masked_softmax(X, valid_length)"))


def diagnose_masked_softmax(actual: torch.Tensor, expected: torch.Tensor, X: torch.Tensor,
                            valid_length: torch.Tensor | None) -> None:
    flat = (X.shape[0] * X.shape[1], X.shape[2])
    if actual.shape == flat and is_close(actual, expected.reshape(flat)):
        raise Diagnosis("masked_softmax.no_reshape", actual=tuple(actual.shape),
                        expected=tuple(X.shape))
    if actual.shape != X.shape or is_close(actual, expected):
        return
    if valid_length is not None:
        if is_close(actual, torch.softmax(X, dim=-1)):
            raise Diagnosis("masked_softmax.not_masked")
        if is_close(actual, torch.softmax(masked_scores(X, valid_length, 0.0), dim=-1)):
            raise Diagnosis("masked_softmax.mask_value_zero")
        if valid_length.dim() == 1:
            tiled = valid_length.repeat(X.shape[1]).reshape(X.shape[0], X.shape[1])
            if is_close(actual, ref.masked_softmax(X, tiled)):
                raise Diagnosis("masked_softmax.tiled_lengths")
    if not sums_to_one(actual, -1) and any(sums_to_one(actual, dim) for dim in (0, 1)):
        raise Diagnosis("masked_softmax.wrong_axis")


@grades("masked_softmax", points=0.75, public=True, collaborators=("SequenceMask",))
def test_masked_softmax_one_length_per_example(student, device):
    """masked_softmax masks each example past its valid length (1-d valid_length)"""
    X, valid_length = random(21, 3, 4, 6, scale=2.0), torch.tensor([1, 6, 3])
    out = masked_softmax_call(student, device, X, valid_length)
    check_masked_softmax(out, X, valid_length)


@grades("masked_softmax", points=0.5, collaborators=("SequenceMask",))
def test_masked_softmax_one_length_per_query(student, device):
    """masked_softmax masks each query past its own valid length (2-d float valid_length)"""
    X = random(22, 2, 3, 5, scale=2.0)
    valid_length = torch.tensor([[1.0, 2.0, 5.0], [3.0, 4.0, 2.0]])
    out = masked_softmax_call(student, device, X, valid_length)
    check_masked_softmax(out, X, valid_length)


@grades("masked_softmax", points=0.25, collaborators=("SequenceMask",))
def test_masked_softmax_without_lengths(student, device):
    """masked_softmax(X, None) is the softmax over the last axis"""
    X = random(23, 2, 3, 4, scale=2.0)
    out = masked_softmax_call(student, device, X, None)
    check_masked_softmax(out, X, None)


@grades("masked_softmax", points=0.25, devices=PLACEMENT_DEVICES,
        collaborators=("SequenceMask",))
def test_masked_softmax_stays_on_device(student, device):
    """masked_softmax keeps its right result on X's device"""
    X, valid_length = random(24, 2, 2, 4), torch.tensor([2, 3])
    out = masked_softmax_call(student, device, X, valid_length)
    expect_placed(out, out.value)
    with values_right("masked_softmax"):
        check_masked_softmax(out, X, valid_length)


# -- the layers --------------------------------------------------------------------------


def attention_case(seed: int, batch: int = 2, queries: int = 3, pairs: int = 5, d: int = 4,
                   d_v: int = 3) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    generator = torch.Generator().manual_seed(seed)
    query = torch.randn(batch, queries, d, generator=generator)
    key = torch.randn(batch, pairs, d, generator=generator)
    value = torch.randn(batch, pairs, d_v, generator=generator)
    return query, key, value


def attend(student, device: str, layer: str, args: list, cases: list,
           training: bool = False) -> Outcome:
    """The layer built and called in the worker, with the book's masked_softmax and the
    SequenceMask it calls (the test declares both: grades(..., collaborators=...))."""
    return student.run("attention_layer", layer, device=device, args=args, cases=cases,
                       training=training, book=["SequenceMask", "masked_softmax"])


def outputs(out: Outcome, layer: str, count: int) -> list:
    """The layer's output for each of `count` cases, once it is a module whose forward
    ran. An answer of another shape was not written by the worker's own code."""
    result = out.result
    if not result["is_module"]:
        raise Diagnosis("attention.not_module", layer=layer, actual=describe(out.value))
    if result["forward_error"] is not None:
        raise error_diagnosis(layer, {**result["forward_error"],
                                      "module_file": "attention.py"})
    found = result["outputs"]
    if not isinstance(found, list) or len(found) != count:
        raise Diagnosis("garbled_answer", function=layer)
    return found


def parameters(out: Outcome, layer: str) -> list[tuple[str, torch.Tensor]]:
    """The module's named parameters, as the worker's own code sends them."""
    found = out.result["parameters"]
    if not isinstance(found, list) or not all(
            isinstance(item, (tuple, list)) and len(item) == 2 and isinstance(item[0], str)
            and type(item[1]) is torch.Tensor for item in found):
        raise Diagnosis("garbled_answer", function=layer)
    return [(name, tensor) for name, tensor in found]


def dot_product(query, key, value, valid_length, scale: float) -> torch.Tensor:
    scores = torch.bmm(query, key.transpose(1, 2)) / scale
    return torch.bmm(ref.masked_softmax(scores, valid_length), value)


def past_lengths(tensor: torch.Tensor, valid_length: torch.Tensor, seed: int) -> torch.Tensor:
    """`tensor` (batch, pairs, ...) with its rows past each example's length redrawn."""
    changed = tensor.clone()
    for b, length in enumerate(valid_length.tolist()):
        rows = changed[b, int(length):]
        rows.copy_(random(seed + b, *rows.shape, scale=3.0))
    return changed


DOT_PRODUCT = code("DotProductAttention(dropout)(query, key, value, valid_length)")


@grades("DotProductAttention", points=1, public=True,
        collaborators=("SequenceMask", "masked_softmax"))
def test_dot_product_attention_values(student, device):
    """DotProductAttention weighs the values by the masked softmax of Q K^T / sqrt(d)"""
    query, key, value = attention_case(31)
    valid_length = torch.tensor([2, 4])
    # Tensors of their own for each case: a forward that masks in place changes only its own.
    cases = [(query.clone(), key.clone(), value.clone(), valid_length.clone()),
             (query.clone(), past_lengths(key, valid_length, 32), value.clone(),
              valid_length.clone()),
             (query.clone(), key.clone(), past_lengths(value, valid_length, 34),
              valid_length.clone())]
    out = attend(student, device, "DotProductAttention", [0], cases)
    actual, other_keys, other_values = outputs(out, "DotProductAttention", 3)
    d = query.shape[-1]
    expected = dot_product(query, key, value, valid_length, math.sqrt(d))
    if type(actual) is torch.Tensor and actual.shape == expected.shape \
            and actual.dtype == expected.dtype and not is_close(actual, expected):
        if type(other_keys) is torch.Tensor and not is_close(other_keys, actual):
            if type(other_values) is torch.Tensor and is_close(other_values, actual):
                raise Diagnosis("attention.masked_values")
            raise Diagnosis("attention.not_masked")
        for scale, key_name in ((d, "attention.scaled_by_d"), (1.0, "attention.not_scaled")):
            if is_close(actual, dot_product(query, key, value, valid_length, scale)):
                raise Diagnosis(key_name, d=d)
    expect_tensor(out, actual, expected, what=DOT_PRODUCT)


@grades("DotProductAttention", points=0.5,
        collaborators=("SequenceMask", "masked_softmax"))
def test_dot_product_attention_lengths_per_query_and_none(student, device):
    """DotProductAttention takes a 2-d valid_length, or None"""
    query, key, value = attention_case(35, batch=2, queries=2, pairs=4, d=9, d_v=2)
    per_query = torch.tensor([[1, 3], [4, 2]])
    out = attend(student, device, "DotProductAttention", [0],
                 [(query, key, value, per_query), (query, key, value, None)])
    for actual, valid_length in zip(outputs(out, "DotProductAttention", 2), (per_query, None)):
        expected = dot_product(query, key, value, valid_length, 3.0)
        if type(actual) is torch.Tensor and actual.shape == expected.shape and \
                actual.dtype == expected.dtype and not is_close(actual, expected):
            for scale, key_name in ((9, "attention.scaled_by_d"), (1.0, "attention.not_scaled")):
                if is_close(actual, dot_product(query, key, value, valid_length, scale)):
                    raise Diagnosis(key_name, d=9)
        expect_tensor(out, actual, expected, what=DOT_PRODUCT)


@grades("DotProductAttention", points=0.25,
        collaborators=("SequenceMask", "masked_softmax"))
def test_dot_product_attention_dropout(student, device):
    """DotProductAttention drops attention weights in training mode only"""
    query, key, value = attention_case(36)
    valid_length = torch.tensor([3, 5])
    case = (query, key, value, valid_length)
    (kept,) = outputs(attend(student, device, "DotProductAttention", [0], [case]),
                      "DotProductAttention", 1)
    (evaluated,) = outputs(attend(student, device, "DotProductAttention", [0.5], [case]),
                           "DotProductAttention", 1)
    if type(kept) is torch.Tensor and type(evaluated) is torch.Tensor and \
            kept.shape == evaluated.shape and not is_close(evaluated, kept):
        raise Diagnosis("attention.dropout_in_eval")
    out = attend(student, device, "DotProductAttention", [1.0], [case], training=True)
    (dropped,) = outputs(out, "DotProductAttention", 1)
    zeros = torch.zeros(query.shape[0], query.shape[1], value.shape[-1])
    expect_tensor(out, dropped, zeros, what=DOT_PRODUCT, check_values=False)
    if bool(dropped.any()):
        raise Diagnosis("attention.no_dropout")


@grades("DotProductAttention", points=0.25, devices=PLACEMENT_DEVICES,
        collaborators=("SequenceMask", "masked_softmax"))
def test_dot_product_attention_stays_on_device(student, device):
    """DotProductAttention keeps its right output on the inputs' device"""
    query, key, value = attention_case(37)
    valid_length = torch.tensor([1, 5])
    out = attend(student, device, "DotProductAttention", [0],
                 [(query, key, value, valid_length)])
    if not out.result["is_module"]:
        raise Diagnosis("placement.no_tensor", function="DotProductAttention",
                        actual=describe(out.value))
    (actual,) = outputs(out, "DotProductAttention", 1)
    expect_placed(out, actual)
    with values_right("DotProductAttention"):
        expect_tensor(out, actual, dot_product(query, key, value, valid_length, 2.0),
                      what=DOT_PRODUCT)


# -- MLPAttention ------------------------------------------------------------------------

UNITS, IPT_DIM = 5, 3


class Layer:
    """One of the module's linear maps, as its parameters say: x -> x W^T (+ b)."""

    def __init__(self, name: str, weight: torch.Tensor, bias: torch.Tensor | None,
                 transposed: bool):
        self.name, self.weight, self.bias, self.transposed = name, weight, bias, transposed

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        weight = self.weight.reshape(-1, 1) if self.weight.dim() == 1 else self.weight
        y = x @ weight if self.transposed or self.weight.dim() == 1 else x @ weight.T
        return y if self.bias is None else y + self.bias


def mlp_layers(parameters: list) -> tuple[list[Layer], Layer, list[str]]:
    """The two projections (ipt_dim -> units) and the scoring layer (units -> 1) among the
    module's parameters, and the names of its biases."""
    named = dict(parameters)
    projections, scorers, biases = [], [], []
    for name, tensor in parameters:
        prefix, _, kind = name.rpartition(".")
        if kind == "bias":
            biases.append(name)
            continue
        bias = named.get(f"{prefix}.bias") if prefix and kind == "weight" else None
        shape = tuple(tensor.shape)
        if shape in ((UNITS, IPT_DIM), (IPT_DIM, UNITS)):
            projections.append(Layer(name, tensor, bias, shape == (IPT_DIM, UNITS)))
        elif shape in ((1, UNITS), (UNITS, 1), (UNITS,)):
            scorers.append(Layer(name, tensor, bias, shape == (UNITS, 1)))
    if len(projections) != 2 or len(scorers) != 1:
        found = ", ".join(f"{name} {tuple(t.shape)}" for name, t in parameters)
        raise Diagnosis("mlp_attention.layers", units=UNITS, ipt_dim=IPT_DIM,
                        found=found or Phrase("found.none"))
    return projections, scorers[0], biases


def mlp_output(on_query: Layer, on_key: Layer, v: Layer, tanh: bool, query, key, value,
               valid_length) -> torch.Tensor:
    features = on_query(query).unsqueeze(2) + on_key(key).unsqueeze(1)
    scores = v(torch.tanh(features) if tanh else features).squeeze(-1)
    return torch.bmm(ref.masked_softmax(scores, valid_length), value)


MLP = code("MLPAttention(units, ipt_dim, dropout=0)(query, key, value, valid_length)")


def check_mlp_output(out: Outcome, cases: list) -> str:
    """The form the module computes ("book" or "course"), or the diagnosis why neither."""
    projections, v, _ = mlp_layers(parameters(out, "MLPAttention"))
    first, second = projections
    forms = {}
    for actual, (query, key, value, valid_length) in zip(
            outputs(out, "MLPAttention", len(cases)), cases):
        expected = mlp_output(first, second, v, True, query, key, value, valid_length)
        expect_tensor(out, actual, expected, what=MLP, check_values=False)
        for tanh, form in ((True, "book"), (False, "course")):
            for on_query, on_key in ((first, second), (second, first)):
                if is_close(actual, mlp_output(on_query, on_key, v, tanh, query, key, value,
                                               valid_length)):
                    forms.setdefault(form, 0)
                    forms[form] += 1
                    break
        for same in (first, second):
            if is_close(actual, mlp_output(same, same, v, True, query, key, value,
                                           valid_length)):
                raise Diagnosis("mlp_attention.same_projection", layer=same.name)
    matched = [form for form, count in forms.items() if count == len(cases)]
    if not matched:
        raise Diagnosis("mlp_attention.neither_form",
                        names=", ".join(layer.name for layer in (first, second, v)))
    return matched[0]


@grades("MLPAttention", points=0.5,
        collaborators=("SequenceMask", "masked_softmax"))
def test_mlp_attention_layers(student, device):
    """MLPAttention holds W_k, W_q: ipt_dim -> units and v: units -> 1, without bias"""
    out = attend(student, device, "MLPAttention", [UNITS, IPT_DIM, 0], [])
    if not out.result["is_module"]:
        raise Diagnosis("attention.not_module", layer="MLPAttention",
                        actual=describe(out.value))
    _, _, biases = mlp_layers(parameters(out, "MLPAttention"))
    if biases:
        raise Diagnosis("mlp_attention.bias", names=", ".join(biases))
    extra = len(out.result["parameters"]) - 3
    if extra:
        raise Diagnosis("mlp_attention.extra", count=extra)


@grades("MLPAttention", points=1, public=True,
        collaborators=("SequenceMask", "masked_softmax"))
def test_mlp_attention_values(student, device):
    """MLPAttention scores with v(tanh(W_q q + W_k k)), or the course's v(W_k q + W_q k)"""
    query, key, value = attention_case(42, d=IPT_DIM)
    cases = [(query, key, value, torch.tensor([2, 4])),
             (query, key, value, torch.tensor([[1, 5, 3], [2, 2, 4]])),
             (query, key, value, None)]
    out = attend(student, device, "MLPAttention", [UNITS, IPT_DIM, 0], cases)
    check_mlp_output(out, cases)


@grades("MLPAttention", points=0.25, devices=PLACEMENT_DEVICES,
        collaborators=("SequenceMask", "masked_softmax"))
def test_mlp_attention_stays_on_device(student, device):
    """MLPAttention moved to the inputs' device keeps its right output there"""
    query, key, value = attention_case(43, d=IPT_DIM)
    cases = [(query, key, value, torch.tensor([3, 1]))]
    out = attend(student, device, "MLPAttention", [UNITS, IPT_DIM, 0], cases)
    if not out.result["is_module"]:
        raise Diagnosis("placement.no_tensor", function="MLPAttention",
                        actual=describe(out.value))
    (actual,) = outputs(out, "MLPAttention", 1)
    expect_placed(out, actual)
    with values_right("MLPAttention"):
        check_mlp_output(out, cases)


# -- the heads of multi-head attention ---------------------------------------------------


def wrong_heads(X: torch.Tensor, num_heads: int) -> dict[str, torch.Tensor]:
    """transpose_qkv's classic wrong layouts of X (batch, seq, hiddens), by diagnosis."""
    b, n, hiddens = X.shape
    size = hiddens // num_heads
    return {
        "heads.interleaved": X.reshape(b, n, size, num_heads).permute(0, 3, 1, 2)
        .reshape(-1, n, size),
        "heads.head_major": X.reshape(b, n, num_heads, size).permute(2, 0, 1, 3)
        .reshape(-1, n, size),
        "heads.no_permute": X.reshape(-1, n, size),
    }


def check_heads(out: Outcome, expected: torch.Tensor,
                wrong: dict[str, torch.Tensor], what) -> None:
    actual = out.value
    if type(actual) is torch.Tensor and actual.shape == expected.shape and \
            not is_close(actual, expected):
        for key, layout in wrong.items():
            if is_close(actual, layout):
                raise Diagnosis(key, function=out.function)
    expect_tensor(out, actual, expected, what=what)


def check_transpose_qkv(out: Outcome, X: torch.Tensor, num_heads: int) -> None:
    check_heads(out, ref.transpose_qkv(X, num_heads), wrong_heads(X, num_heads),
                code("transpose_qkv(X, num_heads)"))


def check_transpose_output(out: Outcome, X: torch.Tensor, num_heads: int) -> None:
    """X is transpose_qkv of some Y: each wrong inverse is found by the Y it returns."""
    Y = ref.transpose_output(X, num_heads)
    b, n, hiddens = Y.shape
    size = hiddens // num_heads
    wrong = {
        "heads.interleaved": X.reshape(b, num_heads, n, size).permute(0, 2, 3, 1)
        .reshape(b, n, -1),
        "heads.head_major": X.reshape(num_heads, b, n, size).permute(1, 2, 0, 3)
        .reshape(b, n, -1),
        "heads.no_permute": X.reshape(b, n, -1),
    }
    check_heads(out, Y, wrong, code("transpose_output(X, num_heads)"))


@grades("transpose_qkv", points=0.5)
def test_transpose_qkv(student, device):
    """transpose_qkv puts head h of example b, a contiguous slice of features, in row b*H+h"""
    X = random(51, 2, 3, 8)
    check_transpose_qkv(student.call("transpose_qkv", X, 4, device=device), X, 4)


@grades("transpose_qkv", points=0.1, devices=PLACEMENT_DEVICES)
def test_transpose_qkv_stays_on_device(student, device):
    """transpose_qkv keeps its right result on X's device"""
    X = random(52, 3, 2, 6)
    out = student.call("transpose_qkv", X, 2, device=device)
    expect_placed(out, out.value)
    with values_right("transpose_qkv"):
        check_transpose_qkv(out, X, 2)


@grades("transpose_output", points=0.5)
def test_transpose_output(student, device):
    """transpose_output undoes transpose_qkv"""
    X = random(53, 8, 3, 2)
    check_transpose_output(student.call("transpose_output", X, 4, device=device), X, 4)


@grades("transpose_output", points=0.1, devices=PLACEMENT_DEVICES)
def test_transpose_output_stays_on_device(student, device):
    """transpose_output keeps its right result on X's device"""
    X = random(54, 6, 2, 3)
    out = student.call("transpose_output", X, 2, device=device)
    expect_placed(out, out.value)
    with values_right("transpose_output"):
        check_transpose_output(out, X, 2)
