"""Input checks that turn a learner's mistake into a sentence, not a traceback.

Every function here either returns a cleaned-up value or raises a
``ValueError`` / ``TypeError`` whose message names the parameter, what was
expected and what came.
"""

import difflib
import numbers

import numpy as np


def choose(kind, name, options):
    """Return ``options[name]``; if ``name`` is unknown, list the valid names
    and suggest the closest one."""
    if not isinstance(name, str):
        raise TypeError(f"{kind} must be a name (a string) such as {sorted(options)[0]!r}, "
                        f"got {type(name).__name__} {name!r}")
    key = name.lower().replace("-", "_").replace(" ", "_")
    if key in options:
        return options[key]
    valid = ", ".join(repr(o) for o in sorted(options))
    close = difflib.get_close_matches(key, list(options), n=1)
    hint = f" Did you mean {close[0]!r}?" if close else ""
    raise ValueError(f"unknown {kind} {name!r}. Valid names: {valid}.{hint}")


def as_matrix(name, values, n_columns=None):
    """Return ``values`` as a finite float64 array of shape (n_samples, n_columns)."""
    if isinstance(values, (str, bytes)) or values is None:
        raise TypeError(f"{name} must be a 2-D array of numbers, got {type(values).__name__}")
    try:
        array = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a 2-D array of numbers, "
                        f"got something that is not numeric: {type(values).__name__}") from None
    if array.ndim != 2:
        fix = (f" (for one feature per sample use {name}.reshape(-1, 1); "
               f"for one sample use {name}.reshape(1, -1))") if array.ndim == 1 else ""
        raise ValueError(f"{name} must be 2-D with shape (n_samples, n_features), "
                         f"got shape {array.shape}{fix}")
    if array.shape[0] == 0:
        raise ValueError(f"{name} must hold at least one sample, got shape {array.shape}")
    if n_columns is not None and array.shape[1] != n_columns:
        raise ValueError(f"{name} must have {n_columns} column(s), got shape {array.shape} "
                         f"with {array.shape[1]} column(s)")
    if not np.all(np.isfinite(array)):
        bad = np.argwhere(~np.isfinite(array))[0]
        raise ValueError(f"{name} must hold finite numbers, but {name}[{bad[0]}, {bad[1]}] "
                         f"is {array[tuple(bad)]}")
    return array


def as_inputs_and_targets(X, y, n_inputs, n_outputs):
    """Check a pair (X, y) against a network with ``n_inputs`` inputs and ``n_outputs`` outputs."""
    X = as_matrix("X", X)
    if X.shape[1] != n_inputs:
        raise ValueError(f"X has {X.shape[1]} feature(s) per sample (shape {X.shape}) "
                         f"but the network's first layer expects {n_inputs}")
    y = np.asarray(y, dtype=np.float64) if not isinstance(y, (str, bytes)) else y
    if isinstance(y, np.ndarray) and y.ndim == 1 and n_outputs == 1:
        raise ValueError(f"y must be 2-D with shape (n_samples, {n_outputs}), got shape {y.shape}; "
                         f"use y.reshape(-1, 1)")
    y = as_matrix("y", y)
    if y.shape[1] != n_outputs:
        raise ValueError(f"y has {y.shape[1]} column(s) (shape {y.shape}) "
                         f"but the network has {n_outputs} output(s)")
    if y.shape[0] != X.shape[0]:
        raise ValueError(f"X and y must have the same number of samples, "
                         f"got X with {X.shape[0]} and y with {y.shape[0]}")
    return X, y


def positive_number(name, value):
    """A real number > 0 (for example a learning rate)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a positive number, got {type(value).__name__} {value!r}")
    if not np.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a positive number, got {value!r}")
    return float(value)


def positive_int(name, value):
    """A whole number >= 1 (for example a number of epochs)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be a positive whole number, got {type(value).__name__} {value!r}")
    if value < 1:
        raise ValueError(f"{name} must be a positive whole number, got {value!r}")
    return int(value)


def seed(value):
    """A seed for ``np.random.default_rng``: a non-negative whole number."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"seed must be a whole number such as 0 or 42, got {type(value).__name__} {value!r}")
    if value < 0:
        raise ValueError(f"seed must be a non-negative whole number, got {value!r}")
    return int(value)


def layer_sizes(sizes):
    """A list of at least two positive whole numbers, e.g. [2, 4, 1]."""
    if isinstance(sizes, (str, bytes)) or not hasattr(sizes, "__len__"):
        raise TypeError(f"sizes must be a list of layer widths such as [2, 4, 1], got {sizes!r}")
    sizes = list(sizes)
    if len(sizes) < 2:
        raise ValueError(f"sizes needs at least an input and an output width, such as [2, 1], got {sizes!r}")
    for i, size in enumerate(sizes):
        if isinstance(size, bool) or not isinstance(size, numbers.Integral) or size < 1:
            raise ValueError(f"every layer width must be a positive whole number, "
                             f"but sizes[{i}] is {size!r} in {sizes!r}")
    return [int(s) for s in sizes]
