"""Every learner mistake gets a ValueError/TypeError that names the parameter,
what was expected and what came — never a raw NumPy error."""
import numpy as np
import pytest

import bpkit

X, Y = bpkit.datasets.xor()


@pytest.fixture
def net():
    return bpkit.MLP([2, 3, 1], seed=0)


@pytest.mark.parametrize("X_bad, error, message", [
    (np.array([0.0, 1.0]), ValueError, r"X must be 2-D with shape \(n_samples, n_features\), got shape \(2,\).*reshape"),
    (np.zeros((4, 3)), ValueError, r"X must have 2 column\(s\), got shape \(4, 3\)"),
    (np.zeros((0, 2)), ValueError, r"at least one sample"),
    (np.array([[0.0, np.nan]]), ValueError, r"X must hold finite numbers, but X\[0, 1\] is nan"),
    (np.array([[np.inf, 0.0]]), ValueError, r"X\[0, 0\] is inf"),
    ("hello", TypeError, r"X must be a 2-D array of numbers"),
    ([["a", "b"]], TypeError, r"not numeric"),
])
def test_bad_inputs_to_forward(net, X_bad, error, message):
    with pytest.raises(error, match=message):
        net.forward(X_bad)


def test_feature_count_mismatch_in_fit(net):
    with pytest.raises(ValueError, match=r"X has 3 feature\(s\) per sample \(shape \(4, 3\)\) but the network's first layer expects 2"):
        net.fit(np.zeros((4, 3)), Y)


@pytest.mark.parametrize("y_bad, message", [
    (Y.ravel(), r"y must be 2-D with shape \(n_samples, 1\), got shape \(4,\); use y.reshape\(-1, 1\)"),
    (np.zeros((3, 1)), r"X and y must have the same number of samples, got X with 4 and y with 3"),
    (np.zeros((4, 2)), r"y has 2 column\(s\) \(shape \(4, 2\)\) but the network has 1 output\(s\)"),
    (np.array([[0.0], [np.nan], [1.0], [0.0]]), r"y must hold finite numbers"),
])
def test_bad_targets(net, y_bad, message):
    with pytest.raises(ValueError, match=message):
        net.fit(X, y_bad)
    with pytest.raises(ValueError, match=message):
        net.loss_and_grads(X, y_bad)


def test_bce_needs_targets_in_zero_one(net):
    with pytest.raises(ValueError, match=r"loss='bce' needs targets y in \[0, 1\], got values from -1 to 1"):
        net.fit(X, 2 * Y - 1, loss="bce")


@pytest.mark.parametrize("lr, error, message", [
    (0, ValueError, r"lr must be a positive number, got 0"),
    (-0.1, ValueError, r"lr must be a positive number, got -0.1"),
    (float("nan"), ValueError, r"lr must be a positive number, got nan"),
    ("0.1", TypeError, r"lr must be a positive number, got str '0.1'"),
    (None, TypeError, r"lr must be a positive number, got NoneType"),
])
def test_bad_learning_rates(net, lr, error, message):
    with pytest.raises(error, match=message):
        net.fit(X, Y, lr=lr)
    with pytest.raises(error, match=message):
        bpkit.train_many([2, 2, 1], X, Y, seeds=[0], lr=lr)


@pytest.mark.parametrize("epochs, error", [(0, ValueError), (-5, ValueError), (10.5, TypeError), ("100", TypeError), (True, TypeError)])
def test_bad_epochs(net, epochs, error):
    with pytest.raises(error, match="epochs must be a positive whole number"):
        net.fit(X, Y, epochs=epochs)


def test_bad_batch_size(net):
    with pytest.raises(ValueError, match="batch_size must be a positive whole number, got 0"):
        net.fit(X, Y, batch_size=0)


@pytest.mark.parametrize("sizes, error, message", [
    ([2], ValueError, r"at least an input and an output width"),
    ([2, 0, 1], ValueError, r"sizes\[1\] is 0"),
    ([2, 2.5, 1], ValueError, r"sizes\[1\] is 2.5"),
    ("2,4,1", TypeError, r"sizes must be a list of layer widths"),
    (5, TypeError, r"sizes must be a list of layer widths"),
])
def test_bad_layer_sizes(sizes, error, message):
    with pytest.raises(error, match=message):
        bpkit.MLP(sizes)


@pytest.mark.parametrize("keyword, value, message", [
    ("activation", "tanhh", r"unknown activation 'tanhh'. Valid names: 'leaky_relu', 'linear', 'relu', 'sigmoid', 'tanh'. Did you mean 'tanh'\?"),
    ("output", "softmax", r"unknown activation 'softmax'"),
    ("init", "glorot", r"unknown init 'glorot'. Valid names: 'he', 'uniform', 'xavier'"),
])
def test_unknown_names_in_mlp(keyword, value, message):
    with pytest.raises(ValueError, match=message):
        bpkit.MLP([2, 2, 1], **{keyword: value})


def test_unknown_names_in_fit(net):
    with pytest.raises(ValueError, match=r"unknown loss 'cross_entropy'. Valid names: 'bce', 'mse'"):
        net.fit(X, Y, loss="cross_entropy")
    with pytest.raises(ValueError, match=r"unknown optimizer 'adan'.*Did you mean 'adam'\?"):
        net.fit(X, Y, optimizer="adan")


@pytest.mark.parametrize("seed, error", [(1.5, TypeError), ("0", TypeError), (-1, ValueError), (None, TypeError)])
def test_bad_seeds(seed, error):
    with pytest.raises(error, match="seed must be a"):
        bpkit.MLP([2, 2, 1], seed=seed)


def test_numpy_integer_seed_is_fine():
    bpkit.MLP([2, 2, 1], seed=np.int64(3))


def test_validation_data_is_checked(net):
    with pytest.raises(ValueError, match=r"X has 3 feature"):
        net.fit(X, Y, validation_data=(np.zeros((2, 3)), np.zeros((2, 1))))


def test_nothing_half_done_after_a_bad_call(net):
    before = [p.copy() for p in net.parameters()]
    with pytest.raises(ValueError):
        net.fit(X, Y.ravel())
    for p, q in zip(before, net.parameters()):
        np.testing.assert_array_equal(p, q)


def test_dataset_arguments(net):
    with pytest.raises(ValueError, match="n must be a positive whole number, got 0"):
        bpkit.datasets.moons(n=0)
    with pytest.raises(ValueError, match=r"unknown gate 'xnor'"):
        bpkit.datasets.gate("xnor")
    with pytest.raises(ValueError, match="val_fraction must be between 0 and 1, got 1.5"):
        bpkit.datasets.train_val_split(X, Y, val_fraction=1.5)
