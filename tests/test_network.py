"""MLP: shapes, hand-worked numbers, gradients against finite differences, XOR."""
import itertools

import numpy as np
import pytest

import bpkit
from bpkit import activations


def test_api_shapes(xor):
    X, y = xor
    assert X.shape == (4, 2) and y.shape == (4, 1) and X.dtype == y.dtype == np.float64
    net = bpkit.MLP([2, 4, 1], activation="tanh", output="sigmoid", init="xavier", seed=0)
    assert [W.shape for W in net.weights] == [(2, 4), (4, 1)]
    assert [b.shape for b in net.biases] == [(4,), (1,)]
    assert net.forward(X).shape == (4, 1)
    loss, grads = net.loss_and_grads(X, y, loss="mse")
    assert isinstance(loss, float)
    for (dW, db), W, b in zip(grads, net.weights, net.biases):
        assert dW.shape == W.shape and db.shape == b.shape


def test_weights_are_writable_plain_arrays(xor):
    X, _ = xor
    net = bpkit.MLP([2, 1], output="linear")
    net.weights[0][:] = [[1.0], [2.0]]
    net.biases[0][:] = 0.5
    np.testing.assert_allclose(net.forward(X).ravel(), [0.5, 2.5, 1.5, 3.5])


def test_one_neuron_by_hand():
    # z = 0.5·2 + 0 = 1, a = σ(1), C = ½(1 − a)², δ = (a − 1)·a(1 − a), ∂C/∂w = x·δ
    net = bpkit.MLP([1, 1], output="sigmoid")
    net.weights[0][:] = 0.5
    X, y = np.array([[2.0]]), np.array([[1.0]])
    loss, [(dW, db)] = net.loss_and_grads(X, y)
    assert net.forward(X)[0, 0] == pytest.approx(0.7310585786300049)
    assert loss == pytest.approx(0.036164744064256624)
    assert db[0] == pytest.approx(-0.052877092784266)
    assert dW[0, 0] == pytest.approx(-0.105754185568532)


ARCHITECTURES = [[2, 1], [2, 3, 1], [3, 4, 2], [2, 5, 3, 1], [4, 3, 3, 3, 2]]


@pytest.mark.parametrize("sizes, activation, loss", [
    (sizes, activation, loss)
    for sizes, activation, loss in itertools.product(ARCHITECTURES, sorted(activations.ACTIVATIONS), ["mse", "bce"])
])
def test_gradients_match_finite_differences(sizes, activation, loss):
    seed = len(sizes) * 100 + sizes[1]
    rng = np.random.default_rng(seed)
    net = bpkit.MLP(sizes, activation=activation, output="sigmoid", init="xavier", seed=seed)
    for b in net.biases:
        b[:] = rng.normal(0, 0.3, size=b.shape)   # nonzero biases exercise more of the maths
    X = rng.normal(size=(6, sizes[0]))
    y = rng.integers(0, 2, size=(6, sizes[-1])).astype(float)
    result = bpkit.gradcheck(net, X, y, loss=loss)
    # ReLU's kink can put a finite difference across z = 0; deep sigmoid nets have tiny
    # first-layer gradients (vanishing!) whose round-off reaches ~1e-7. A wrong derivative
    # gives 1e-2 or more (see the tests below).
    assert result.max_rel_error < (1e-5 if "relu" in activation else 1e-6), result


@pytest.mark.parametrize("output", ["linear", "tanh", "relu"])
def test_gradients_for_other_output_activations(output):
    net = bpkit.MLP([3, 4, 2], activation="tanh", output=output, seed=3)
    rng = np.random.default_rng(3)
    X, y = rng.normal(size=(5, 3)), rng.normal(size=(5, 2))
    assert bpkit.gradcheck(net, X, y).max_rel_error < 1e-6


def test_gradcheck_catches_a_broken_derivative(monkeypatch, xor):
    X, y = xor
    net = bpkit.MLP([2, 3, 1], activation="tanh", seed=1)
    assert bpkit.gradcheck(net, X, y).passed
    broken = activations.Activation("tanh", activations.tanh, activations.tanh_derivative,
                                    lambda a: 1 - a)          # tanh' written as 1 − a
    monkeypatch.setattr(net, "activation", broken)
    result = bpkit.gradcheck(net, X, y)
    assert not result.passed and result.max_rel_error > 1e-2
    assert result.per_parameter["W[0]"] > 1e-2 and result.per_parameter["W[1]"] < 1e-7


def test_gradcheck_catches_a_missing_one_over_n(monkeypatch, xor):
    X, y = xor
    net = bpkit.MLP([2, 3, 1], seed=2)
    wrong = bpkit.losses.Loss("mse", bpkit.losses.mse, lambda a, y: a - y)
    monkeypatch.setitem(bpkit.losses.LOSSES, "mse", wrong)
    assert not bpkit.gradcheck(net, X, y, loss="mse").passed


def test_gradcheck_leaves_parameters_unchanged(xor):
    X, y = xor
    net = bpkit.MLP([2, 3, 1], seed=4)
    before = [p.copy() for p in net.parameters()]
    bpkit.gradcheck(net, X, y)
    for p, q in zip(before, net.parameters()):
        np.testing.assert_array_equal(p, q)


def test_defaults_solve_xor(xor):
    X, y = xor
    net = bpkit.MLP([2, 4, 1])
    history = net.fit(X, y)
    np.testing.assert_array_equal(net.predict(X), y.astype(int))
    assert history.loss[-1] < 0.01 < history.loss[0]


def test_predict_is_thresholded_output(xor):
    X, _ = xor
    net = bpkit.MLP([2, 3, 1], seed=5)
    np.testing.assert_array_equal(net.predict(X), (net.forward(X) > 0.5).astype(int))


def test_same_seed_same_numbers_different_seed_different_numbers():
    a, b, c = (bpkit.MLP([2, 4, 1], seed=s) for s in (7, 7, 8))
    for Wa, Wb, Wc in zip(a.weights, b.weights, c.weights):
        np.testing.assert_array_equal(Wa, Wb)
        assert not np.array_equal(Wa, Wc)


def test_global_numpy_state_is_untouched():
    np.random.seed(0)
    expected = np.random.random()
    np.random.seed(0)
    bpkit.MLP([2, 8, 1], init="he", seed=3).fit(*bpkit.datasets.xor(), epochs=20, batch_size=2)
    bpkit.datasets.moons(seed=1)
    assert np.random.random() == expected


def test_copy_is_independent(xor):
    X, y = xor
    net = bpkit.MLP([2, 3, 1], seed=0)
    twin = net.copy()
    net.fit(X, y, epochs=10)
    assert not np.array_equal(net.weights[0], twin.weights[0])
    assert "MLP([2, 3, 1]" in repr(twin)


def test_initialisers_have_their_documented_scale():
    rng = np.random.default_rng(0)
    W = bpkit.initializers.xavier(300, 200, rng)
    limit = np.sqrt(6 / 500)
    assert W.min() >= -limit and W.max() <= limit and W.std() == pytest.approx(limit / np.sqrt(3), rel=0.02)
    W = bpkit.initializers.he(400, 300, rng)
    assert W.std() == pytest.approx(np.sqrt(2 / 400), rel=0.02)
    W = bpkit.initializers.uniform(300, 300, rng)
    assert W.min() >= -1 and W.max() <= 1 and W.std() == pytest.approx(1 / np.sqrt(3), rel=0.02)
    np.testing.assert_array_equal(bpkit.initializers.xavier(3, 2, 5), bpkit.initializers.xavier(3, 2, 5))
