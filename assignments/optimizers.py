"""Optimisers from scratch: momentum, AdaGrad, RMSProp, AdaDelta and Adam.

D2L, chapter "Optimization Algorithms" (sections 12.6-12.10 in the 1.0
edition; 7.4-7.8 in the study group's Chinese edition, Task07, whose code
you implement here). Each optimiser comes as two functions, as in the book:
init_*_states(features) makes the optimiser's state for the linear
regression model (w of shape (d, 1) and b of shape (1,)), and the step
function (params, states, hyperparams) updates the parameters once, with
the gradients already in p.grad. The book's training loop
(d2lzh_pytorch.train_ch7) calls them like this:

    states = init_momentum_states(features)
    for X, y in data_iter:
        l = loss(net(X, w, b), y).mean()
        if w.grad is not None:
            w.grad.data.zero_()
            b.grad.data.zero_()
        l.backward()
        sgd_momentum([w, b], states, {'lr': 0.02, 'momentum': 0.5})

It ignores what the step function returns: the state lives in the tensors
that init_*_states made, so every step must change those tensors in place
(v[:] = ..., v.data = ..., v.mul_(...)): `v = ...` only rebinds a local
name, and the next step starts from the old state again. The parameters
are updated in place without autograd tracking (p.data -= ..., or
p -= ... under torch.no_grad()).

The book's init functions read a global `features`; here it is their
argument. w and b are float32 leaf tensors that require grad.
"""

from __future__ import annotations

import torch


def init_momentum_states(features: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """The momentum (velocity) state: zeros shaped like w and b.

    Args:
        features: the training features, shape (n, d), float32 (in the book
            a global variable; here the argument), on any device.

    Returns:
        (v_w, v_b): float32 zeros of shapes (d, 1) and (1,), on features'
        device.
    """
    raise NotImplementedError()


def sgd_momentum(params: list[torch.Tensor], states: tuple[torch.Tensor, ...],
                 hyperparams: dict) -> None:
    """One step of SGD with momentum, for each parameter p and its velocity v:

        v <- momentum * v + lr * p.grad
        p <- p - v

    The velocity is an exponentially weighted average of past gradients:
    it keeps moving along directions where the gradients agree and damps
    those where they oscillate.

    Args:
        params: [w, b], leaf tensors that require grad, gradients in p.grad.
        states: (v_w, v_b), as init_momentum_states made them; updated in
            place.
        hyperparams: {'lr': learning rate, 'momentum': gamma in [0, 1)}.

    Returns:
        None. A velocity without lr in it (v <- momentum * v + p.grad,
        p <- p - lr * v, as torch.optim.SGD keeps it) is accepted: with a
        fixed lr the parameters move the same way.
    """
    raise NotImplementedError()


def init_adagrad_states(features: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """AdaGrad's state: the running sums of squared gradients, zeros shaped like w and b.

    Args:
        features: the training features, shape (n, d), float32 (the book's
            global; here the argument), on any device.

    Returns:
        (s_w, s_b): float32 zeros of shapes (d, 1) and (1,), on features'
        device.
    """
    raise NotImplementedError()


def adagrad(params: list[torch.Tensor], states: tuple[torch.Tensor, ...],
            hyperparams: dict) -> None:
    """One step of AdaGrad, for each parameter p and its state s, with eps = 1e-6:

        s <- s + p.grad ** 2
        p <- p - lr * p.grad / sqrt(s + eps)

    Each coordinate gets its own learning rate, which shrinks as its squared
    gradients add up: steep coordinates slow down early, flat ones keep
    moving. eps keeps the division finite where s is still 0.

    Args:
        params: [w, b], leaf tensors that require grad, gradients in p.grad.
        states: (s_w, s_b), as init_adagrad_states made them; updated in
            place.
        hyperparams: {'lr': learning rate}.

    Returns:
        None. sqrt(s) + eps in the denominator (torch.optim.Adagrad's form)
        is accepted too.
    """
    raise NotImplementedError()


def init_rmsprop_states(features: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """RMSProp's state: moving averages of squared gradients, zeros shaped like w and b.

    Args:
        features: the training features, shape (n, d), float32 (the book's
            global; here the argument), on any device.

    Returns:
        (s_w, s_b): float32 zeros of shapes (d, 1) and (1,), on features'
        device.
    """
    raise NotImplementedError()


def rmsprop(params: list[torch.Tensor], states: tuple[torch.Tensor, ...],
            hyperparams: dict) -> None:
    """One step of RMSProp, for each parameter p and its state s, with eps = 1e-6:

        s <- gamma * s + (1 - gamma) * p.grad ** 2
        p <- p - lr * p.grad / sqrt(s + eps)

    Unlike AdaGrad's sum, the exponentially weighted average forgets old
    gradients, so the per-coordinate learning rate does not decay to 0.

    Args:
        params: [w, b], leaf tensors that require grad, gradients in p.grad.
        states: (s_w, s_b), as init_rmsprop_states made them; updated in
            place.
        hyperparams: {'lr': learning rate, 'gamma': the averaging weight}.

    Returns:
        None. sqrt(s) + eps in the denominator is accepted too.
    """
    raise NotImplementedError()


def init_adadelta_states(features: torch.Tensor) -> tuple[tuple[torch.Tensor, torch.Tensor],
                                                            tuple[torch.Tensor, torch.Tensor]]:
    """AdaDelta's state: for w and for b, the pair (s, delta) of zeros.

    Args:
        features: the training features, shape (n, d), float32 (the book's
            global; here the argument), on any device.

    Returns:
        ((s_w, delta_w), (s_b, delta_b)): float32 zeros, s_w and delta_w of
        shape (d, 1), s_b and delta_b of shape (1,), on features' device.
    """
    raise NotImplementedError()


def adadelta(params: list[torch.Tensor], states: tuple, hyperparams: dict) -> None:
    """One step of AdaDelta, for each parameter p and its states (s, delta), eps = 1e-5:

        s     <- rho * s + (1 - rho) * p.grad ** 2
        g'    <- p.grad * sqrt((delta + eps) / (s + eps))
        p     <- p - g'
        delta <- rho * delta + (1 - rho) * g' ** 2

    AdaDelta has no learning rate: the moving average delta of the squared
    updates takes its place. eps in the numerator is what lets the first
    step move at all (delta starts at 0).

    Args:
        params: [w, b], leaf tensors that require grad, gradients in p.grad.
        states: ((s_w, delta_w), (s_b, delta_b)), as init_adadelta_states
            made them; updated in place.
        hyperparams: {'rho': the averaging weight}.

    Returns:
        None.
    """
    raise NotImplementedError()


def init_adam_states(features: torch.Tensor) -> tuple[tuple[torch.Tensor, torch.Tensor],
                                                        tuple[torch.Tensor, torch.Tensor]]:
    """Adam's state: for w and for b, the pair (v, s) of zeros.

    Args:
        features: the training features, shape (n, d), float32 (the book's
            global; here the argument), on any device.

    Returns:
        ((v_w, s_w), (v_b, s_b)): float32 zeros, v_w and s_w of shape
        (d, 1), v_b and s_b of shape (1,), on features' device.
    """
    raise NotImplementedError()


def adam(params: list[torch.Tensor], states: tuple, hyperparams: dict) -> None:
    """One step of Adam, for each parameter p and its states (v, s), with
    beta1 = 0.9, beta2 = 0.999, eps = 1e-6 and the step number t = hyperparams['t']:

        v     <- beta1 * v + (1 - beta1) * p.grad
        s     <- beta2 * s + (1 - beta2) * p.grad ** 2
        v_hat <- v / (1 - beta1 ** t)
        s_hat <- s / (1 - beta2 ** t)
        p     <- p - lr * v_hat / (sqrt(s_hat) + eps)

    then, once every parameter is updated, hyperparams['t'] += 1. v and s
    start at 0, so in the first steps they are biased towards 0; dividing by
    1 - beta ** t corrects that bias. eps goes outside the square root.

    Args:
        params: [w, b], leaf tensors that require grad, gradients in p.grad.
        states: ((v_w, s_w), (v_b, s_b)), as init_adam_states made them;
            updated in place.
        hyperparams: {'lr': learning rate, 't': the step number, 1 at the
            first step}; t is incremented by 1 in this dict, in place.

    Returns:
        None.
    """
    raise NotImplementedError()
