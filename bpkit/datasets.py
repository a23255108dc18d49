"""Small datasets, made on the spot (no downloads), and two good habits:
split off a validation set, and normalise the inputs.

Every dataset returns ``X`` of shape (n, 2) and ``y`` of shape (n, 1), float64,
with labels 0.0 / 1.0. The random ones take a ``seed``.
"""

import numpy as np

from . import _validate

GATE_INPUTS = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
GATE_TRUTH_TABLES = {
    "and": [0, 0, 0, 1],
    "or": [0, 1, 1, 1],
    "xor": [0, 1, 1, 0],
    "nand": [1, 1, 1, 0],
    "nor": [1, 0, 0, 0],
}


def gate(name):
    """The four inputs (0,0), (0,1), (1,0), (1,1) of a logic gate and its outputs."""
    table = _validate.choose("gate", name, GATE_TRUTH_TABLES)
    return GATE_INPUTS.copy(), np.array(table, dtype=np.float64).reshape(-1, 1)


def and_gate():
    """AND: 1 only when both inputs are 1. Linearly separable."""
    return gate("and")


def or_gate():
    """OR: 1 when at least one input is 1. Linearly separable."""
    return gate("or")


def xor():
    """XOR: 1 when exactly one input is 1. *Not* linearly separable."""
    return gate("xor")


def _with_noise(X, noise, rng):
    return X + rng.normal(0.0, noise, size=X.shape) if noise > 0 else X


def _labels(n_first, n_second):
    return np.concatenate([np.zeros(n_first), np.ones(n_second)]).reshape(-1, 1)


def moons(n=200, noise=0.1, seed=0):
    """Two interleaving half circles (label 0: upper moon, label 1: lower moon)."""
    n = _validate.positive_int("n", n)
    rng = np.random.default_rng(_validate.seed(seed))
    n0 = n // 2
    t0 = np.linspace(0, np.pi, n0)
    t1 = np.linspace(0, np.pi, n - n0)
    upper = np.column_stack([np.cos(t0), np.sin(t0)])
    lower = np.column_stack([1 - np.cos(t1), 0.5 - np.sin(t1)])
    return _with_noise(np.vstack([upper, lower]), noise, rng), _labels(n0, n - n0)


def circles(n=200, noise=0.05, factor=0.5, seed=0):
    """A small circle (label 1) inside a large one (label 0); ``factor`` is the radius ratio."""
    n = _validate.positive_int("n", n)
    rng = np.random.default_rng(_validate.seed(seed))
    n0 = n // 2
    t0 = np.linspace(0, 2 * np.pi, n0, endpoint=False)
    t1 = np.linspace(0, 2 * np.pi, n - n0, endpoint=False)
    outer = np.column_stack([np.cos(t0), np.sin(t0)])
    inner = factor * np.column_stack([np.cos(t1), np.sin(t1)])
    return _with_noise(np.vstack([outer, inner]), noise, rng), _labels(n0, n - n0)


def spirals(n=200, noise=0.05, turns=1.5, seed=0):
    """Two interleaved spiral arms (labels 0 and 1), the hardest of the three."""
    n = _validate.positive_int("n", n)
    rng = np.random.default_rng(_validate.seed(seed))
    n0 = n // 2
    arms = []
    for count, phase in ((n0, 0.0), (n - n0, np.pi)):
        t = np.linspace(0.05, 1, count)
        angle = 2 * np.pi * turns * t + phase
        arms.append(np.column_stack([t * np.cos(angle), t * np.sin(angle)]))
    return _with_noise(np.vstack(arms), noise, rng), _labels(n0, n - n0)


def train_val_split(X, y, val_fraction=0.25, seed=0):
    """Shuffle and split into (X_train, y_train, X_val, y_val).

    The validation set is never trained on: its loss tells you whether the
    network learned the pattern or memorised the training points.
    """
    X = _validate.as_matrix("X", X)
    y = _validate.as_matrix("y", y)
    if len(X) != len(y):
        raise ValueError(f"X and y must have the same number of samples, got {len(X)} and {len(y)}")
    if not 0 < val_fraction < 1:
        raise ValueError(f"val_fraction must be between 0 and 1, got {val_fraction!r}")
    n_val = int(round(len(X) * val_fraction))
    if n_val == 0 or n_val == len(X):
        raise ValueError(f"val_fraction={val_fraction} of {len(X)} samples leaves an empty set")
    order = np.random.default_rng(_validate.seed(seed)).permutation(len(X))
    val, train = order[:n_val], order[n_val:]
    return X[train], y[train], X[val], y[val]


def standardize(X, mean=None, std=None):
    """Normalise each input feature to mean 0 and standard deviation 1.

    Returns ``(X_normalised, mean, std)``. Compute mean and std on the training
    set only, then pass them in for the validation set:

        X_train_n, mean, std = standardize(X_train)
        X_val_n, _, _ = standardize(X_val, mean, std)
    """
    X = _validate.as_matrix("X", X)
    if mean is None:
        mean = X.mean(axis=0)
    if std is None:
        std = X.std(axis=0)
    std = np.where(std > 0, std, 1.0)    # a constant feature stays as it is
    return (X - mean) / std, mean, std
