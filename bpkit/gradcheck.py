"""Gradient checking: compare backprop with finite differences.

For every parameter θ we nudge it both ways and measure the loss:

    ∂C/∂θ ≈ (C(θ + h) − C(θ − h)) / (2h)         (central difference, error O(h²))

and compare with the analytic gradient g from backprop by the relative error

    |g − g_num| / max(|g| + |g_num|, 1e-8).

(The 1e-8 floor keeps two near-zero gradients, such as those of a dead ReLU
unit, from looking wildly different because of round-off.)

How to read the result (thresholds as in Stanford's CS231n notes):

    < 1e-7         the gradient is right
    1e-7 … 1e-4    suspicious; acceptable near kinks (ReLU at 0) or with saturated units
    > 1e-4         the gradient is almost certainly wrong
"""

from dataclasses import dataclass

import numpy as np

from . import _validate, losses

GOOD = 1e-7
SUSPICIOUS = 1e-4


@dataclass
class GradCheckResult:
    """max_rel_error over all parameters, and the same per parameter array."""
    max_rel_error: float
    per_parameter: dict

    @property
    def passed(self):
        return self.max_rel_error < SUSPICIOUS

    def __repr__(self):
        verdict = ("correct" if self.max_rel_error < GOOD
                   else "suspicious" if self.max_rel_error < SUSPICIOUS else "WRONG")
        detail = ", ".join(f"{name}: {err:.1e}" for name, err in self.per_parameter.items())
        return f"GradCheckResult(max_rel_error={self.max_rel_error:.2e} ({verdict}); {detail})"


def relative_error(analytic, numeric):
    """Element-wise |g − g_num| / max(|g| + |g_num|, 1e-8)."""
    return np.abs(analytic - numeric) / np.maximum(np.abs(analytic) + np.abs(numeric), 1e-8)


def numerical_gradient(f, param, h=1e-5):
    """Central differences of the scalar function f() with respect to every entry
    of the array ``param``, which is nudged in place and restored."""
    grad = np.zeros_like(param)
    for index in np.ndindex(param.shape):
        original = param[index]
        param[index] = original + h
        loss_plus = f()
        param[index] = original - h
        loss_minus = f()
        param[index] = original
        grad[index] = (loss_plus - loss_minus) / (2 * h)
    return grad


def gradcheck(net, X, y, loss="mse", h=1e-5):
    """Check ``net.loss_and_grads`` against finite differences on (X, y)."""
    loss = losses.get(loss)
    X, y = _validate.as_inputs_and_targets(X, y, net.sizes[0], net.sizes[-1])
    _, grads = net.loss_and_grads(X, y, loss=loss)

    def current_loss():
        return loss(net.forward_pass(X)[1][-1], y)

    per_parameter = {}
    for l, (dW, db) in enumerate(grads):
        per_parameter[f"W[{l}]"] = relative_error(dW, numerical_gradient(current_loss, net.weights[l], h)).max()
        per_parameter[f"b[{l}]"] = relative_error(db, numerical_gradient(current_loss, net.biases[l], h)).max()
    return GradCheckResult(float(max(per_parameter.values())), per_parameter)
