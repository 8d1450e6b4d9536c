"""Hidden suite for linear_regression.py: the pieces of the from-scratch training loop."""

from __future__ import annotations

import torch

from autograder.checks import (
    RETURN_VALUE,
    Outcome,
    code,
    describe,
    error_diagnosis,
    expect_device,
    expect_inputs_unchanged,
    expect_none,
    expect_placed,
    expect_tensor,
    expect_tensor_pairs,
    is_close,
    values_right,
)
from autograder.messages import Diagnosis, Phrase
from autograder.plugin import PLACEMENT_DEVICES, grades
from autograder.protocol import Drained
from autograder.registry import reference

ref = reference("linear_regression")


def regression_data(seed: int, n: int = 10, d: int = 3, dtype: torch.dtype = torch.float32):
    generator = torch.Generator().manual_seed(seed)
    X = torch.randn(n, d, generator=generator, dtype=dtype)
    w = torch.randn(d, 1, generator=generator, dtype=dtype)
    b = torch.randn(1, generator=generator, dtype=dtype)
    return X, w, b


# -- linreg ------------------------------------------------------------------------------


@grades("linreg", points=1, public=True)
def test_linreg_values(student, device):
    """linreg computes X @ w + b with shape (n, 1)"""
    X, w, b = regression_data(seed=1)
    out = student.call("linreg", X, w, b, device=device)
    expect_tensor(out, out.value, ref.linreg(X, w, b), what=code("linreg(X, w, b)"))
    expect_inputs_unchanged(out, {"X": X, "w": w, "b": b})


@grades("linreg", points=0.5, devices=PLACEMENT_DEVICES)
def test_linreg_stays_on_device(student, device):
    """linreg keeps its right result on the inputs' device"""
    X, w, b = regression_data(seed=2)
    out = student.call("linreg", X, w, b, device=device)
    expect_placed(out, out.value)
    with values_right("linreg"):
        expect_tensor(out, out.value, ref.linreg(X, w, b), what=code("linreg(X, w, b)"))


# -- squared_loss ------------------------------------------------------------------------


def check_squared_loss(out: Outcome, y_hat: torch.Tensor, y: torch.Tensor) -> None:
    expected = ref.squared_loss(y_hat, y)
    actual = out.value
    if type(actual) is torch.Tensor and actual.shape != expected.shape:
        n = y_hat.shape[0]
        if actual.shape == (n, n):
            raise Diagnosis("squared_loss.broadcast", actual=tuple(actual.shape),
                            y_hat_shape=tuple(y_hat.shape), y_shape=tuple(y.shape))
        if actual.numel() == 1:
            for reduction in ("mean", "sum"):
                if is_close(actual.reshape(()), getattr(expected, reduction)()):
                    raise Diagnosis("squared_loss.reduced",
                                    reduction=Phrase(f"reduction.{reduction}"))
    if type(actual) is torch.Tensor and is_close(actual, 2 * expected) and \
            not is_close(actual, expected):
        raise Diagnosis("squared_loss.no_half")
    expect_tensor(out, actual, expected, what=code("squared_loss(y_hat, y)"))
    expect_inputs_unchanged(out, {"y_hat": y_hat, "y": y})


@grades("squared_loss", points=1, public=True)
def test_squared_loss_values(student, device):
    """squared_loss gives (y_hat - y) ** 2 / 2 for each example"""
    X, w, b = regression_data(seed=3)
    y_hat, y = ref.linreg(X, w, b), torch.randn(10, 1, generator=torch.Generator().manual_seed(4))
    check_squared_loss(student.call("squared_loss", y_hat, y, device=device), y_hat, y)


@grades("squared_loss", points=1)
def test_squared_loss_reshapes_labels(student, device):
    """squared_loss reshapes labels of shape (n,) to y_hat's shape (n, 1)"""
    X, w, b = regression_data(seed=5)
    y_hat, y = ref.linreg(X, w, b), torch.randn(10, generator=torch.Generator().manual_seed(6))
    check_squared_loss(student.call("squared_loss", y_hat, y, device=device), y_hat, y)


@grades("squared_loss", points=0.5, devices=PLACEMENT_DEVICES)
def test_squared_loss_stays_on_device(student, device):
    """squared_loss keeps its right result on the inputs' device"""
    X, w, b = regression_data(seed=9)
    y_hat, y = ref.linreg(X, w, b), torch.randn(10, generator=torch.Generator().manual_seed(10))
    out = student.call("squared_loss", y_hat, y, device=device)
    expect_placed(out, out.value)
    with values_right("squared_loss"):
        check_squared_loss(out, y_hat, y)


# -- sgd ---------------------------------------------------------------------------------


def sgd_case(seed: int):
    generator = torch.Generator().manual_seed(seed)
    params = [torch.randn(3, 1, generator=generator, dtype=torch.float64).requires_grad_(),
              torch.randn(1, generator=generator, dtype=torch.float64).requires_grad_()]
    grads = [torch.randn(p.shape, generator=generator, dtype=torch.float64) * 5 for p in params]
    return params, grads


@grades("sgd", points=2, public=True)
def test_sgd_step(student, device):
    """sgd updates each parameter in place by lr * grad / batch_size"""
    params, grads = sgd_case(seed=7)
    lr, batch_size = 0.03, 10
    out = student.run("step", "sgd", device=device, params=params, grads=grads, lr=lr,
                      batch_size=batch_size)
    expect_none(out)
    expected = [p.detach() - lr * g / batch_size for p, g in zip(params, grads)]
    names = ["w", "b"]
    after = out.result["params"]
    if all(torch.equal(a, p.detach()) for a, p in zip(after, params)):
        raise Diagnosis("sgd.rebinds")
    for name, still_leaf in zip(names, out.result["leaves"]):
        if not still_leaf:
            raise Diagnosis("sgd.replaced_param", name=name)
    for name, actual, param, grad, want in zip(names, after, params, grads, expected):
        if is_close(actual, want):
            continue
        if is_close(actual, param.detach() - lr * grad):
            raise Diagnosis("sgd.not_divided")
        if is_close(actual, param.detach() - lr * grad / batch_size**2):
            raise Diagnosis("sgd.divided_twice")
        raise Diagnosis("sgd.wrong_step", name=name)
    for param_grad, given in zip(out.result["grads"], grads):
        # Leaving the gradient alone and zeroing it (d2l-zh) are both accepted.
        if param_grad is not None and not (torch.equal(param_grad, given)
                                           or not bool(param_grad.any())):
            raise Diagnosis("sgd.changed_grad")
    for tensor in after:
        expect_device(out, tensor, what=Phrase("what.updated_parameter"))


# -- train_epoch -------------------------------------------------------------------------


def epoch_case(seed: int, batches: int = 3, batch_size: int = 4):
    generator = torch.Generator().manual_seed(seed)
    true_w = torch.tensor([[2.0], [-3.4]], dtype=torch.float64)
    data = []
    for _ in range(batches):
        X = torch.randn(batch_size, 2, generator=generator, dtype=torch.float64)
        y = X @ true_w + 4.2 + 0.01 * torch.randn(batch_size, 1, generator=generator,
                                                  dtype=torch.float64)
        data.append((X, y))
    params = [torch.zeros(2, 1, dtype=torch.float64, requires_grad=True),
              torch.zeros(1, dtype=torch.float64, requires_grad=True)]
    return data, params


def reference_epoch(data, params, lr, batch_size):
    """The reference train_epoch with a recording sgd: the gradient at each update."""
    params = [p.detach().clone().requires_grad_() for p in params]
    seen = []

    def updater(update_params, update_lr, update_batch):
        seen.append([p.grad.clone() for p in update_params])
        ref.sgd(update_params, update_lr, update_batch)

    ref.train_epoch(ref.linreg, ref.squared_loss, updater, data, params, lr, batch_size)
    return seen, [p.detach() for p in params]


def check_update_gradients(updates: list[dict], expected: list[list[torch.Tensor]],
                           batch_size: int) -> None:
    for k, (update, want) in enumerate(zip(updates, expected), start=1):
        seen = update["grads"]
        if all(s is not None and is_close(s, w) for s, w in zip(seen, want)):
            continue
        if all(s is None or not bool(s.any()) for s in seen):
            raise Diagnosis("train_epoch.zeroes_before_update")
        if all(s is not None and is_close(s, w / batch_size) for s, w in zip(seen, want)):
            raise Diagnosis("train_epoch.mean_loss")
        if k > 1:
            before = updates[k - 2]["grads"]
            if all(s is not None and b is not None and is_close(s, w + b)
                   for s, w, b in zip(seen, want, before)):
                raise Diagnosis("train_epoch.never_zeroes", batch=k)
        raise Diagnosis("train_epoch.wrong_gradient", batch=k)


def check_loss_argument_order(prediction_at: list[int | None]) -> None:
    """The loss was handed the prediction first, then the label, as loss(y_hat, y).

    The squared loss gives the same value and gradients either way, so the gradients
    cannot show the swap; the harness's loss records which argument autograd tracks.
    """
    if 1 in prediction_at:
        raise Diagnosis("train_epoch.loss_arguments_swapped")


# train_epoch is run with the book's linreg, squared_loss and sgd around it (a mistake
# in one of those costs that function alone), so it is graded after every test of them.
@grades("train_epoch", points=2, public=True,
        collaborators=("linreg", "squared_loss", "sgd"))
def test_train_epoch(student, device):
    """train_epoch sums the loss, backpropagates, updates and zeroes the gradients per batch"""
    lr, batch_size = 0.1, 4
    data, params = epoch_case(seed=8, batch_size=batch_size)
    out = student.run("train_epoch", "train_epoch", device=device,
                      book=["linreg", "squared_loss", "sgd"], data=data, params=params, lr=lr,
                      batch_size=batch_size)
    expect_none(out)
    check_loss_argument_order(out.result["prediction_at"])
    expected_grads, expected_params = reference_epoch(data, params, lr, batch_size)
    updates = out.result["updates"]
    if len(updates) != len(data):
        raise Diagnosis("train_epoch.update_count", actual=len(updates), expected=len(data))
    for update in updates:
        if update["lr"] != lr or update["batch_size"] != batch_size:
            raise Diagnosis("train_epoch.updater_arguments", lr=update["lr"],
                            batch_size=update["batch_size"], expected_lr=lr,
                            expected_batch_size=batch_size)
    check_update_gradients(updates, expected_grads, batch_size)
    for name, actual, want in zip(["w", "b"], out.result["params"], expected_params):
        expect_tensor(out, actual, want, what=Phrase("what.after_epoch", name=name))


# -- data_iter ---------------------------------------------------------------------------


def numbered_data(n: int):
    """Features whose row i is (i, -i) and labels i: every example says which it is."""
    index = torch.arange(n, dtype=torch.float32)
    return torch.stack([index, -index], dim=1), index.clone()


def drain_batches(out: Outcome, features: torch.Tensor, labels: torch.Tensor) -> list:
    """The (X, y) batches data_iter yielded, checked for type, pairing and device."""
    value = out.value
    if isinstance(value, Drained):
        if value.error is not None:
            raise error_diagnosis("data_iter", value.error)
        items = value.items
    elif isinstance(value, (list, tuple)):
        items = list(value)
    else:
        raise Diagnosis("wrong_type", what=RETURN_VALUE, function="data_iter",
                        expected=Phrase("expected.minibatches", pair="(X, y)"),
                        actual=describe(value))
    expect_tensor_pairs("data_iter", items, key="data_iter.not_pairs", pair="(X, y)")
    for X, y in items:
        expect_device(out, X, what=code("X"))
        expect_device(out, y, what=code("y"))
        if X.dim() != 2 or X.shape[1:] != features.shape[1:] or y.shape[1:] != labels.shape[1:]:
            width = ", ".join(str(size) for size in features.shape[1:])
            raise Diagnosis("wrong_shape", what=Phrase("what.minibatch", name="X"),
                            actual=tuple(X.shape), expected=f"(batch_size, {width})")
    expect_inputs_unchanged(out, {"features": features, "labels": labels}, first=1)
    return items


def batch_order(items: list) -> list[int]:
    order = []
    for X, y in items:
        if not torch.equal(X[:, 0], y):
            raise Diagnosis("data_iter.mismatched_pairs")
        order.extend(int(i) for i in y.tolist())
    return order


def check_coverage(order: list[int], n: int, batch_size: int, sizes: list[int]) -> None:
    # Counted only once every row is one of the n given: a worker's 1e9 would otherwise
    # make the count a billion long.
    stranger = next((i for i in order if not 0 <= i < n), None)
    if stranger is not None:
        raise Diagnosis("data_iter.not_an_example", value=stranger)
    counts = torch.bincount(torch.tensor(order, dtype=torch.long), minlength=n) \
        if order else torch.zeros(n, dtype=torch.long)
    if int(counts.max()) > 1:
        example = int(counts.argmax())
        raise Diagnosis("data_iter.repeated", example=example, times=int(counts[example]))
    missing = (counts == 0).nonzero().flatten().tolist()
    if missing and len(order) == n - n % batch_size and all(s == batch_size for s in sizes):
        raise Diagnosis("data_iter.dropped_last", count=n % batch_size)
    if missing:
        raise Diagnosis("data_iter.missing", count=len(missing), example=missing[0])
    check_batch_sizes(sizes, batch_size)


def check_batch_sizes(sizes: list[int], batch_size: int) -> None:
    """Every batch holds batch_size examples but the last, which holds the rest.

    Called once every example was seen exactly once, so the last batch's size follows from
    the others': a batch larger than batch_size (one batch of everything) is the one left.
    """
    if 0 in sizes:  # after a short last batch too: the empty one is the mistake
        raise Diagnosis("data_iter.empty_batch", batch=sizes.index(0) + 1)
    for k, size in enumerate(sizes, start=1):
        if size > batch_size:
            raise Diagnosis("data_iter.batch_too_large", batch=k, actual=size,
                            batch_size=batch_size)
        if size != batch_size and k < len(sizes):
            raise Diagnosis("data_iter.batch_size", actual=size, expected=batch_size)


@grades("data_iter", points=1, public=True)
def test_data_iter_covers_every_example(student, device):
    """data_iter yields every example exactly once, in batches of batch_size"""
    n, batch_size = 100, 10
    features, labels = numbered_data(n)
    out = student.call("data_iter", batch_size, features, labels, device=device)
    items = drain_batches(out, features, labels)
    check_coverage(batch_order(items), n, batch_size, [len(y) for _, y in items])


@grades("data_iter", points=0.5)
def test_data_iter_keeps_short_last_batch(student, device):
    """data_iter keeps the short last batch"""
    n, batch_size = 103, 10
    features, labels = numbered_data(n)
    out = student.call("data_iter", batch_size, features, labels, device=device)
    items = drain_batches(out, features, labels)
    check_coverage(batch_order(items), n, batch_size, [len(y) for _, y in items])


@grades("data_iter", points=1)
def test_data_iter_shuffles(student, device):
    """data_iter reads the examples in a fresh random order each epoch"""
    n, batch_size = 50, 10
    features, labels = numbered_data(n)
    orders = []
    for _ in range(2):
        out = student.call("data_iter", batch_size, features, labels, device=device)
        items = drain_batches(out, features, labels)
        order = batch_order(items)
        check_coverage(order, n, batch_size, [len(y) for _, y in items])
        orders.append(order)
    # A correct shuffle returns the stored order, or repeats itself, with probability 1/50!.
    if orders[0] == list(range(n)):
        raise Diagnosis("data_iter.not_shuffled")
    if orders[0] == orders[1]:
        raise Diagnosis("data_iter.same_order")


@grades("data_iter", points=0.5, devices=PLACEMENT_DEVICES)
def test_data_iter_stays_on_device(student, device):
    """data_iter yields the right minibatches on the data's device"""
    n, batch_size = 25, 10
    features, labels = numbered_data(n)
    out = student.call("data_iter", batch_size, features, labels, device=device)
    expect_placed(out, out.value)
    with values_right("data_iter"):
        items = drain_batches(out, features, labels)
        check_coverage(batch_order(items), n, batch_size, [len(y) for _, y in items])
