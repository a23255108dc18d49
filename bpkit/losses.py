"""Loss functions: one number that says how wrong the network's outputs are.

``y`` holds the targets and ``a`` the network's outputs, both of shape
(n_samples, n_outputs). Each loss comes with its gradient ∂C/∂a, the first
number backpropagation needs.
"""

from dataclasses import dataclass
from typing import Callable

import numpy as np

from . import _validate

EPSILON = 1e-12   # keeps log() away from log(0) in cross-entropy


def mse(a, y):
    """Mean squared error, C = 1/(2n) Σ_i ‖y_i − a_i‖².

    The mean over the n samples of half the summed squared error. The ½
    cancels the 2 that the derivative brings down.
    """
    n = a.shape[0]
    return float(np.sum((y - a) ** 2) / (2 * n))


def mse_gradient(a, y):
    """∂C/∂a = (a − y) / n for C = 1/(2n) Σ ‖y − a‖²."""
    n = a.shape[0]
    return (a - y) / n


def bce(a, y):
    """Binary cross-entropy, C = −1/n Σ_i [y_i ln a_i + (1 − y_i) ln(1 − a_i)].

    Outputs are clipped into [1e-12, 1 − 1e-12] so that an output of exactly
    0 or 1 gives a large but finite loss instead of inf.
    """
    n = a.shape[0]
    a = np.clip(a, EPSILON, 1 - EPSILON)
    return float(-np.sum(y * np.log(a) + (1 - y) * np.log(1 - a)) / n)


def bce_gradient(a, y):
    """∂C/∂a = (a − y) / (a (1 − a)) / n, with a clipped as in ``bce``.

    Together with a sigmoid output, σ'(z) = a (1 − a) cancels the denominator
    and ∂C/∂z = (a − y) / n; the network uses that short form directly.
    """
    n = a.shape[0]
    a = np.clip(a, EPSILON, 1 - EPSILON)
    return (a - y) / (a * (1 - a)) / n


@dataclass(frozen=True)
class Loss:
    """A loss function paired with its gradient with respect to the output."""
    name: str
    function: Callable
    gradient: Callable

    def __call__(self, a, y):
        return self.function(a, y)


LOSSES = {
    "mse": Loss("mse", mse, mse_gradient),
    "bce": Loss("bce", bce, bce_gradient),
}


def get(name):
    """Look a loss up by name: ``get("mse")``. Unknown names raise a ``ValueError``."""
    if isinstance(name, Loss):
        return name
    return _validate.choose("loss", name, LOSSES)


def check_targets(loss, y):
    """Binary cross-entropy only makes sense for targets in [0, 1]."""
    if loss.name == "bce" and (np.any(y < 0) or np.any(y > 1)):
        raise ValueError(f"loss='bce' needs targets y in [0, 1], got values from "
                         f"{y.min():g} to {y.max():g}; use loss='mse' or rescale y")
