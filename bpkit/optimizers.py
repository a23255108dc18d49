"""Optimisers: how a gradient turns into a change of the weights.

Each optimiser updates a list of parameter arrays *in place*, given a list of
gradient arrays of the same shapes. Every rule is element by element, so the
same code also updates many networks stacked along an extra axis.
"""

import numpy as np

from . import _validate


class SGD:
    """Plain gradient descent: θ ← θ − η ∂C/∂θ."""

    def __init__(self, lr):
        self.lr = _validate.positive_number("lr", lr)

    def step(self, params, grads):
        for p, g in zip(params, grads):
            p -= self.lr * g


class Momentum:
    """Gradient descent with momentum: v ← β v − η ∂C/∂θ, then θ ← θ + v.

    The velocity v remembers past steps, so the descent speeds up along a
    steady slope and damps oscillations across a narrow valley.
    """

    def __init__(self, lr, beta=0.9):
        self.lr = _validate.positive_number("lr", lr)
        self.beta = beta
        self.velocities = None

    def step(self, params, grads):
        if self.velocities is None:
            self.velocities = [np.zeros_like(p) for p in params]
        for p, g, v in zip(params, grads, self.velocities):
            v *= self.beta
            v -= self.lr * g
            p += v


class Adam:
    """Adam (Kingma & Ba, 2015): momentum on the gradient, scaled per parameter.

        m ← β₁ m + (1 − β₁) g              running mean of gradients
        s ← β₂ s + (1 − β₂) g²             running mean of squared gradients
        m̂ = m / (1 − β₁ᵗ),  ŝ = s / (1 − β₂ᵗ)   bias corrections for the zero start
        θ ← θ − η m̂ / (√ŝ + ε)
    """

    def __init__(self, lr, beta1=0.9, beta2=0.999, eps=1e-8):
        self.lr = _validate.positive_number("lr", lr)
        self.beta1, self.beta2, self.eps = beta1, beta2, eps
        self.t = 0
        self.m = self.s = None

    def step(self, params, grads):
        if self.m is None:
            self.m = [np.zeros_like(p) for p in params]
            self.s = [np.zeros_like(p) for p in params]
        self.t += 1
        for p, g, m, s in zip(params, grads, self.m, self.s):
            m *= self.beta1
            m += (1 - self.beta1) * g
            s *= self.beta2
            s += (1 - self.beta2) * g ** 2
            m_hat = m / (1 - self.beta1 ** self.t)
            s_hat = s / (1 - self.beta2 ** self.t)
            p -= self.lr * m_hat / (np.sqrt(s_hat) + self.eps)


OPTIMIZERS = {"sgd": SGD, "momentum": Momentum, "adam": Adam}


def make(optimizer, lr):
    """Build an optimiser from a name (``"sgd"``, ``"momentum"``, ``"adam"``),
    or pass an existing optimiser object through unchanged (its state goes on)."""
    if hasattr(optimizer, "step"):
        return optimizer
    return _validate.choose("optimizer", optimizer, OPTIMIZERS)(lr)
