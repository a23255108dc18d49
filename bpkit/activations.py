"""Activation functions and their derivatives.

A neuron computes a weighted sum ``z = w·x + b`` and then an activation
``a = f(z)``. Backpropagation needs the slope ``f'(z)`` of every activation.

Each ``*_derivative`` here takes ``z``, the *input* of the activation. The
classic "11-line" network writes ``sigmoid_derivative(x) = x * (1 - x)``: that
formula takes the sigmoid's *output* ``a = sigmoid(z)``, because
σ'(z) = σ(z)(1 − σ(z)). Both forms are here, named for what they take:

    sigmoid_derivative(z)               # takes the input z
    sigmoid_derivative_from_output(a)   # takes the output a = sigmoid(z)

Every activation in this file has both forms, and the backward pass of
``bpkit.MLP`` uses the output form: the forward pass has already computed a,
so f'(z) costs one or two multiplications instead of recomputing f(z).
"""

from dataclasses import dataclass
from typing import Callable

import numpy as np

from . import _validate

LEAKY_SLOPE = 0.01


def sigmoid(z):
    """σ(z) = 1 / (1 + e^(−z)), squashing any number into (0, 1).

    Written so that e^(…) never overflows: with e = e^(−|z|) ≤ 1,
    for z ≥ 0 we use 1 / (1 + e), for z < 0 the equal form e / (1 + e).
    """
    e = np.exp(-np.abs(z))
    numerator = np.where(z >= 0, 1.0, e)
    return numerator / (1 + e)


def sigmoid_derivative(z):
    """σ'(z) = σ(z) · (1 − σ(z)). Takes the input z."""
    s = sigmoid(z)
    return s * (1 - s)


def sigmoid_derivative_from_output(a):
    """σ'(z) written in terms of the output a = σ(z): a · (1 − a)."""
    return a * (1 - a)


def tanh(z):
    """tanh(z) = (e^z − e^(−z)) / (e^z + e^(−z)), squashing into (−1, 1)."""
    return np.tanh(z)


def tanh_derivative(z):
    """tanh'(z) = 1 − tanh(z)². Takes the input z."""
    return 1 - np.tanh(z) ** 2


def tanh_derivative_from_output(a):
    """tanh'(z) written in terms of the output a = tanh(z): 1 − a²."""
    return 1 - a ** 2


def relu(z):
    """ReLU(z) = max(0, z)."""
    return np.maximum(0.0, z)


def relu_derivative(z):
    """ReLU'(z) = 1 if z > 0 else 0 (we take 0 at the kink z = 0)."""
    return (np.asarray(z) > 0).astype(np.float64)


def relu_derivative_from_output(a):
    """ReLU'(z) from a = ReLU(z): a > 0 exactly when z > 0."""
    return (np.asarray(a) > 0).astype(np.float64)


def leaky_relu(z):
    """LeakyReLU(z) = z if z > 0 else 0.01 · z: like ReLU, but never completely flat."""
    return np.where(z > 0, z, LEAKY_SLOPE * z)


def leaky_relu_derivative(z):
    """LeakyReLU'(z) = 1 if z > 0 else 0.01."""
    return np.where(z > 0, 1.0, LEAKY_SLOPE)


def leaky_relu_derivative_from_output(a):
    """LeakyReLU'(z) from a = LeakyReLU(z): a has the sign of z."""
    return np.where(a > 0, 1.0, LEAKY_SLOPE)


def linear(z):
    """linear(z) = z: no activation at all (the identity)."""
    return np.asarray(z, dtype=np.float64)


def linear_derivative(z):
    """linear'(z) = 1."""
    return np.ones_like(z, dtype=np.float64)


def linear_derivative_from_output(a):
    """linear'(z) = 1, whatever a is."""
    return np.ones_like(a, dtype=np.float64)


@dataclass(frozen=True)
class Activation:
    """An activation f with its derivative f'(z), and f' written in terms of a = f(z)."""
    name: str
    function: Callable
    derivative: Callable
    derivative_from_output: Callable

    def __call__(self, z):
        return self.function(z)


ACTIVATIONS = {
    "sigmoid": Activation("sigmoid", sigmoid, sigmoid_derivative, sigmoid_derivative_from_output),
    "tanh": Activation("tanh", tanh, tanh_derivative, tanh_derivative_from_output),
    "relu": Activation("relu", relu, relu_derivative, relu_derivative_from_output),
    "leaky_relu": Activation("leaky_relu", leaky_relu, leaky_relu_derivative, leaky_relu_derivative_from_output),
    "linear": Activation("linear", linear, linear_derivative, linear_derivative_from_output),
}


def get(name):
    """Look an activation up by name: ``get("tanh")``. Unknown names raise a
    ``ValueError`` that lists the valid ones."""
    if isinstance(name, Activation):
        return name
    return _validate.choose("activation", name, ACTIVATIONS)
