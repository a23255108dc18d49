"""Losses: hand-worked numbers, gradients against finite differences, stability."""
import warnings

import numpy as np
import pytest

from bpkit import losses


def test_mse_hand_value():
    a = np.array([[0.5], [1.0]])
    y = np.array([[1.0], [0.0]])
    # C = 1/(2n) Σ (y − a)² = 1/4 (0.25 + 1) = 0.3125
    assert losses.mse(a, y) == pytest.approx(0.3125)
    np.testing.assert_allclose(losses.mse_gradient(a, y), [[-0.25], [0.5]])


def test_mse_sums_over_outputs_and_averages_over_samples():
    a = np.array([[1.0, 2.0]])
    y = np.zeros((1, 2))
    assert losses.mse(a, y) == pytest.approx((1 + 4) / 2)


def test_bce_hand_value():
    a = np.array([[0.8], [0.1]])
    y = np.array([[1.0], [0.0]])
    expected = -(np.log(0.8) + np.log(0.9)) / 2
    assert losses.bce(a, y) == pytest.approx(expected)


@pytest.mark.parametrize("name", ["mse", "bce"])
def test_gradient_matches_finite_differences(name, rng):
    loss = losses.get(name)
    a = rng.uniform(0.05, 0.95, size=(5, 3))
    y = rng.integers(0, 2, size=(5, 3)).astype(float)
    numeric = np.zeros_like(a)
    h = 1e-6
    for i in np.ndindex(a.shape):
        up, down = a.copy(), a.copy()
        up[i] += h
        down[i] -= h
        numeric[i] = (loss(up, y) - loss(down, y)) / (2 * h)
    np.testing.assert_allclose(loss.gradient(a, y), numeric, rtol=1e-6)


def test_bce_is_finite_at_zero_and_one():
    a = np.array([[0.0], [1.0]])
    y = np.array([[1.0], [0.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        value = losses.bce(a, y)
        grad = losses.bce_gradient(a, y)
    assert np.isfinite(value) and value > 20
    assert np.all(np.isfinite(grad))
    assert losses.bce(np.array([[1.0]]), np.array([[1.0]])) == pytest.approx(0.0, abs=1e-11)


def test_unknown_loss():
    with pytest.raises(ValueError, match=r"unknown loss 'mae'.*'bce', 'mse'"):
        losses.get("mae")
