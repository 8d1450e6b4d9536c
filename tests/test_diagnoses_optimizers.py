"""The optimisers: the forms the book's text and PyTorch use keep their marks.

The classic mistakes are declared in exercises/optimizers/unit.py (MISTAKES) and graded
with the other units'; here are the accepted variants, which no mistake covers.
"""

from __future__ import annotations

from autograder.api import grade
from tests.helpers import assert_full_marks, copy_solutions, with_function

VARIANTS = [
    # PyTorch's velocity, without lr in it, updated with in-place methods.
    """
    def sgd_momentum(params, states, hyperparams):
        with torch.no_grad():
            for p, v in zip(params, states):
                v.mul_(hyperparams['momentum']).add_(p.grad)
                p -= hyperparams['lr'] * v
    """,
    # eps outside the square root, as torch.optim.Adagrad and RMSprop put it.
    """
    def adagrad(params, states, hyperparams):
        with torch.no_grad():
            for p, s in zip(params, states):
                s += p.grad ** 2
                p -= hyperparams['lr'] * p.grad / (s.sqrt() + 1e-6)
    """,
    """
    def rmsprop(params, states, hyperparams):
        gamma = hyperparams['gamma']
        for p, s in zip(params, states):
            s.data = gamma * s.data + (1 - gamma) * p.grad.data ** 2
            p.data -= hyperparams['lr'] * p.grad.data / (torch.sqrt(s) + 1e-6)
    """,
    """
    def adadelta(params, states, hyperparams):
        rho, eps = hyperparams['rho'], 1e-5
        for p, (s, delta) in zip(params, states):
            s.data = rho * s + (1 - rho) * p.grad.data ** 2
            g = p.grad.data * torch.sqrt(delta + eps) / torch.sqrt(s + eps)
            p.data.sub_(g)
            delta.data = rho * delta + (1 - rho) * g ** 2
    """,
    # The moments named m and v, t read once, the gradients zeroed after use.
    """
    def adam(params, states, hyperparams):
        beta1, beta2, eps = 0.9, 0.999, 1e-6
        t = hyperparams['t']
        with torch.no_grad():
            for p, (m, v) in zip(params, states):
                m.mul_(beta1).add_((1 - beta1) * p.grad)
                v.mul_(beta2).add_((1 - beta2) * p.grad * p.grad)
                m_hat, v_hat = m / (1 - beta1 ** t), v / (1 - beta2 ** t)
                p.sub_(hyperparams['lr'] * m_hat / (v_hat.sqrt() + eps))
                p.grad.zero_()
        hyperparams['t'] = t + 1
    """,
]


def test_pytorchs_forms_of_the_updates_get_full_marks(tmp_path):
    folder = copy_solutions(tmp_path / "submission")
    for source in VARIANTS:
        with_function(folder, "optimizers", source)
    assert_full_marks(grade(folder, only="optimizers", device="all"))
