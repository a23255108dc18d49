"""Activations: hand values, derivatives against finite differences, both derivative forms."""
import warnings

import numpy as np
import pytest

from bpkit import activations

NAMES = sorted(activations.ACTIVATIONS)


def test_hand_values():
    assert activations.sigmoid(0.0) == 0.5
    assert activations.sigmoid(np.log(3.0)) == pytest.approx(0.75)    # 1 / (1 + 1/3)
    assert activations.tanh(0.0) == 0.0
    np.testing.assert_array_equal(activations.relu(np.array([-2.0, 0.0, 3.0])), [0.0, 0.0, 3.0])
    np.testing.assert_allclose(activations.leaky_relu(np.array([-2.0, 3.0])), [-0.02, 3.0])
    np.testing.assert_array_equal(activations.linear(np.array([-2.0, 3.0])), [-2.0, 3.0])


@pytest.mark.parametrize("name", NAMES)
def test_derivative_matches_finite_differences(name):
    act = activations.get(name)
    z = np.array([-3.1, -1.2, -0.4, 0.3, 0.9, 2.5])     # away from the ReLU kink at 0
    h = 1e-6
    numeric = (act(z + h) - act(z - h)) / (2 * h)
    np.testing.assert_allclose(act.derivative(z), numeric, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("name", NAMES)
def test_derivative_from_output_equals_derivative(name):
    act = activations.get(name)
    z = np.linspace(-5, 5, 41)
    np.testing.assert_allclose(act.derivative_from_output(act(z)), act.derivative(z), rtol=1e-12, atol=1e-15)


def test_classic_sigmoid_derivative_takes_the_output():
    z = np.array([-2.0, 0.0, 1.5])
    a = activations.sigmoid(z)
    np.testing.assert_allclose(activations.sigmoid_derivative_from_output(a), activations.sigmoid_derivative(z))
    # feeding z to the output form is the classic mistake: it gives something else
    assert not np.allclose(activations.sigmoid_derivative_from_output(z), activations.sigmoid_derivative(z))


def test_sigmoid_is_stable_at_extremes():
    z = np.array([-1000.0, -40.0, 0.0, 40.0, 1000.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        a = activations.sigmoid(z)
        d = activations.sigmoid_derivative(z)
    assert np.all(np.isfinite(a)) and np.all(np.isfinite(d))
    assert a[0] == 0.0 and a[-1] == 1.0
    assert a[1] == pytest.approx(np.exp(-40.0), rel=1e-12)      # tiny, but not rounded to 0
    np.testing.assert_allclose(a + activations.sigmoid(-z), 1.0)  # symmetry σ(−z) = 1 − σ(z)


def test_unknown_activation_lists_names_and_suggests():
    with pytest.raises(ValueError, match=r"unknown activation 'sigmiod'.*'relu'.*Did you mean 'sigmoid'"):
        activations.get("sigmiod")
    with pytest.raises(TypeError, match="activation must be a name"):
        activations.get(3)


def test_names_are_forgiving_about_case_and_dashes():
    assert activations.get("Leaky-ReLU").name == "leaky_relu"
