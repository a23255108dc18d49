import numpy as np
import pytest

import bpkit
from bpkit import datasets


@pytest.mark.parametrize("name, outputs", [("and", [0, 0, 0, 1]), ("or", [0, 1, 1, 1]), ("xor", [0, 1, 1, 0])])
def test_gates(name, outputs):
    X, y = datasets.gate(name)
    np.testing.assert_array_equal(X, [[0, 0], [0, 1], [1, 0], [1, 1]])
    np.testing.assert_array_equal(y.ravel(), outputs)
    assert y.shape == (4, 1) and y.dtype == np.float64
    np.testing.assert_array_equal(getattr(datasets, {"and": "and_gate", "or": "or_gate", "xor": "xor"}[name])()[1], y)


@pytest.mark.parametrize("make", [datasets.moons, datasets.circles, datasets.spirals])
def test_random_datasets_are_seeded_and_balanced(make):
    X, y = make(n=101, seed=3)
    assert X.shape == (101, 2) and y.shape == (101, 1)
    assert set(np.unique(y)) == {0.0, 1.0} and abs(y.sum() - 50.5) <= 1
    X2, _ = make(n=101, seed=3)
    X3, _ = make(n=101, seed=4)
    np.testing.assert_array_equal(X, X2)
    assert not np.array_equal(X, X3)


def test_circles_radii():
    X, y = datasets.circles(n=200, noise=0.0, factor=0.4)
    r = np.linalg.norm(X, axis=1)
    np.testing.assert_allclose(r[y.ravel() == 0], 1.0)
    np.testing.assert_allclose(r[y.ravel() == 1], 0.4)


def test_split_partitions_the_data():
    X, y = datasets.moons(n=40, seed=0)
    Xt, yt, Xv, yv = datasets.train_val_split(X, y, val_fraction=0.25, seed=1)
    assert len(Xt) == 30 and len(Xv) == 10
    rows = {tuple(r) for r in np.vstack([Xt, Xv])}
    assert rows == {tuple(r) for r in X}


def test_standardize_uses_training_statistics():
    X = np.array([[1.0, 10.0], [3.0, 10.0], [5.0, 10.0]])
    Xn, mean, std = datasets.standardize(X)
    np.testing.assert_allclose(Xn.mean(axis=0), 0, atol=1e-15)
    np.testing.assert_allclose(Xn[:, 0].std(), 1)
    np.testing.assert_array_equal(Xn[:, 1], 0)      # constant feature: no division by zero
    Xv, _, _ = datasets.standardize(np.array([[3.0, 12.0]]), mean, std)
    np.testing.assert_allclose(Xv, [[0.0, 2.0]])


def test_an_mlp_can_learn_moons():
    X, y = datasets.moons(n=100, noise=0.1, seed=0)
    net = bpkit.MLP([2, 8, 1], seed=0)
    net.fit(X, y, lr=0.5, epochs=2000, loss="bce")
    assert np.mean(net.predict(X) == y) > 0.95
