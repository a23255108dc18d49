"""Weight initialisers: where gradient descent starts.

Each takes the layer's fan-in ``n_in`` and fan-out ``n_out`` and a random
generator (or an integer seed), and returns an (n_in, n_out) weight matrix.
Biases start at zero. Randomness never touches NumPy's global state.
"""

import numbers

import numpy as np

from . import _validate


def as_generator(rng):
    """Accept an integer seed or a ``np.random.Generator``."""
    if isinstance(rng, np.random.Generator):
        return rng
    return np.random.default_rng(_validate.seed(rng))


def uniform(n_in, n_out, rng=0):
    """W ~ U(−1, 1): the classic textbook start, independent of layer size."""
    return as_generator(rng).uniform(-1.0, 1.0, size=(n_in, n_out))


def xavier(n_in, n_out, rng=0):
    """Glorot/Xavier uniform: W ~ U(−L, L) with L = √(6 / (n_in + n_out)).

    Keeps the variance of activations and gradients roughly equal across
    layers for tanh and sigmoid (Glorot & Bengio, 2010).
    """
    limit = np.sqrt(6.0 / (n_in + n_out))
    return as_generator(rng).uniform(-limit, limit, size=(n_in, n_out))


def he(n_in, n_out, rng=0):
    """He normal: W ~ N(0, 2 / n_in). Suited to ReLU layers (He et al., 2015)."""
    std = np.sqrt(2.0 / n_in)
    return as_generator(rng).normal(0.0, std, size=(n_in, n_out))


INITIALIZERS = {"uniform": uniform, "xavier": xavier, "he": he}


def get(name):
    """Look an initialiser up by name: ``get("xavier")``."""
    if callable(name) and not isinstance(name, (str, numbers.Number)):
        return name
    return _validate.choose("init", name, INITIALIZERS)
