"""Lesson 07's helpers and panels, run outside a notebook (Agg backend, no browser)."""
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import bpkit  # noqa: E402
from bpkit.widgets import troubles  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


# ---- helpers -----------------------------------------------------------------

def test_scaled_init_multiplies_the_named_initialiser():
    init = troubles.scaled_init("xavier", 3.0)
    expected = 3.0 * bpkit.initializers.xavier(4, 5, np.random.default_rng(7))
    np.testing.assert_array_equal(init(4, 5, np.random.default_rng(7)), expected)


def test_scaled_init_works_inside_an_mlp():
    plain = bpkit.MLP([2, 3, 1], init="he", seed=1)
    big = bpkit.MLP([2, 3, 1], init=troubles.scaled_init("he", 10.0), seed=1)
    for W, W_big in zip(plain.weights, big.weights):
        np.testing.assert_allclose(W_big, 10.0 * W)


@pytest.mark.parametrize("scale", [0, -1.0])
def test_scaled_init_rejects_a_scale_that_is_not_positive(scale):
    with pytest.raises(ValueError, match="scale must be a positive number"):
        troubles.scaled_init("xavier", scale)


def test_scaled_init_rejects_an_unknown_initialiser():
    with pytest.raises(ValueError, match="init"):
        troubles.scaled_init("gaussian", 1.0)


def test_deep_sizes():
    assert troubles.deep_sizes(3) == [2, 8, 8, 8, 1]
    assert troubles.deep_sizes(1, width=4) == [2, 4, 1]


def test_saturated_fraction_by_hand():
    assert troubles.saturated_fraction([-5.0, -1.0, 0.0, 4.5]) == 0.5
    assert troubles.saturated_fraction([-4.0, 4.0]) == 0.0        # the boundary itself is not saturated
    assert troubles.saturated_fraction([1.0, 9.0], threshold=0.5) == 1.0


def test_hidden_preactivations_are_x_w_plus_b_of_every_hidden_layer():
    X, _ = bpkit.datasets.xor()
    net = bpkit.MLP([2, 3, 2, 1], activation="tanh", seed=0)
    z1 = X @ net.weights[0] + net.biases[0]
    z2 = np.tanh(z1) @ net.weights[1] + net.biases[1]
    z = troubles.hidden_preactivations(net, X)
    np.testing.assert_allclose(z, np.concatenate([z1.ravel(), z2.ravel()]))
    assert z.size == 4 * 3 + 4 * 2          # the output layer is not included


def numerical_gradient_norm(net, X, y, l, h=1e-6):
    """‖∂C/∂W⁽ˡ⁾‖ from central differences, independent of backprop."""
    W = net.weights[l]
    grad = np.zeros_like(W)
    for index in np.ndindex(W.shape):
        old = W[index]
        W[index] = old + h
        up = net.loss(X, y)
        W[index] = old - h
        down = net.loss(X, y)
        W[index] = old
        grad[index] = (up - down) / (2 * h)
    return np.linalg.norm(grad)


def test_gradient_norms_agree_with_finite_differences():
    X, y = bpkit.datasets.xor()
    net = bpkit.MLP([2, 3, 3, 1], activation="sigmoid", seed=4)
    norms = troubles.gradient_norms(net, X, y)
    expected = [numerical_gradient_norm(net, X, y, l) for l in range(net.n_layers)]
    np.testing.assert_allclose(norms, expected, rtol=1e-6)


def test_sigmoid_gradients_shrink_layer_by_layer_but_tanh_ones_do_not():
    """The lesson's claim: each sigmoid layer multiplies the error by σ' ≤ 1/4."""
    X, y = bpkit.datasets.xor()
    sizes = troubles.deep_sizes(5)
    sigmoid = troubles.gradient_norms(bpkit.MLP(sizes, activation="sigmoid", seed=0), X, y)
    tanh = troubles.gradient_norms(bpkit.MLP(sizes, activation="tanh", seed=0), X, y)
    assert np.all(np.diff(sigmoid) > 0)                     # smaller the closer to the input
    assert sigmoid[0] / sigmoid[-1] < 0.25 ** 5
    assert tanh[0] / tanh[-1] > 0.1


def test_train_tracked_returns_the_error_of_a_diverged_run_instead_of_raising():
    X, y = bpkit.datasets.xor()
    net = bpkit.MLP([2, 8, 1], activation="tanh", output="linear", seed=0)
    history, error = troubles.train_tracked(net, X, y, lr=10.0, epochs=500)
    assert isinstance(error, bpkit.TrainingDiverged)
    assert history.epochs == error.epoch
    assert np.all(np.isfinite(history.loss)) and history.grad_norms.shape == (error.epoch, 2)


def test_train_tracked_returns_no_error_for_a_calm_run():
    X, y = bpkit.datasets.xor()
    net = bpkit.MLP([2, 4, 1], seed=0)
    history, error = troubles.train_tracked(net, X, y, lr=0.5, epochs=50)
    assert error is None and history.epochs == 50 and history.grad_norms.shape == (50, 2)


def test_lr_sweep_is_train_many_at_every_learning_rate():
    X, y = bpkit.datasets.xor()
    losses = troubles.lr_sweep([2, 3, 1], X, y, [0.1, 1.0], seeds=range(3), epochs=100)
    assert losses.shape == (2, 3)
    direct = bpkit.train_many([2, 3, 1], X, y, seeds=range(3), lr=1.0, epochs=100).final_loss
    np.testing.assert_array_equal(losses[1], direct)
    assert np.all(losses[1] < losses[0])            # a larger rate gets further in 100 epochs here


def test_capped_values_fit_on_a_log_axis():
    fig, ax = plt.subplots()
    values = troubles.capped(np.array([0.1, 1e50, 1e305]))
    ax.plot(values)
    ax.set_yscale("log")
    troubles.set_log_limits(ax, values)
    low, high = ax.get_ylim()
    assert values.max() == troubles.DISPLAY_CEILING
    assert low <= 0.1 and high >= troubles.DISPLAY_CEILING and np.isfinite(high)


def test_scale_feature_leaves_its_input_alone():
    X = np.array([[1.0, 2.0], [3.0, 4.0]])
    scaled = troubles.scale_feature(X, 100.0)
    np.testing.assert_array_equal(scaled, [[1.0, 200.0], [3.0, 400.0]])
    np.testing.assert_array_equal(X, [[1.0, 2.0], [3.0, 4.0]])


# ---- panel 1: gradients of a deep network -------------------------------------

@pytest.fixture
def gradient_panel():
    X, y = bpkit.datasets.xor()
    return troubles.gradient_panel(X, y, depth=5, activation="sigmoid", lr=1.0, epochs=200)


def bars_axes(panel):
    return panel.fig.axes[1]


def test_gradient_panel_starts_with_the_vanishing_sigmoid_gradients(gradient_panel):
    X, y = bpkit.datasets.xor()
    net = bpkit.MLP(troubles.deep_sizes(5), activation="sigmoid", seed=0)
    expected = troubles.gradient_norms(net, X, y)
    heights = [bar.get_height() for bar in bars_axes(gradient_panel).patches]
    np.testing.assert_allclose(heights, expected)
    assert gradient_panel.message_text.startswith(f"At the start, layer 1's gradient is "
                                                  f"{expected[0] / expected[-1]:.1e} × the output layer's.")


def test_gradient_panel_redraws_when_depth_and_activation_change(gradient_panel):
    gradient_panel.controls["depth"].value = 2
    gradient_panel.controls["activation"].value = "tanh"
    assert len(bars_axes(gradient_panel).patches) == 3            # two hidden layers and the output
    history_lines = gradient_panel.fig.axes[2].get_lines()
    assert len(history_lines) == 3 and len(history_lines[0].get_ydata()) == 200
    assert gradient_panel.settings["depth"] == 2


def test_gradient_panel_histogram_title_reports_saturation(gradient_panel):
    gradient_panel.controls["activation"].value = "tanh"
    gradient_panel.controls["scale"].value = 10 ** 1.5
    X, _ = bpkit.datasets.xor()
    net = bpkit.MLP(troubles.deep_sizes(5), activation="tanh", init=troubles.scaled_init("xavier", 10 ** 1.5), seed=0)
    fraction = troubles.saturated_fraction(troubles.hidden_preactivations(net, X))
    assert fraction > 0.5
    assert gradient_panel.fig.axes[0].get_title().startswith(f"hidden z at the start: {fraction:.0%}")


def test_gradient_panel_shows_divergence_as_a_message(gradient_panel):
    gradient_panel.controls["activation"].value = "tanh"
    gradient_panel.controls["output"].value = "linear"
    gradient_panel.controls["lr"].value = 10.0
    message = gradient_panel.message_text
    assert message.startswith("⚠ the loss became inf at epoch ")
    assert "smaller learning rate than lr=10" in message
    assert "diverged at epoch" in gradient_panel.fig.axes[3].get_title()
    gradient_panel.controls["lr"].value = 0.01                   # and it recovers
    assert gradient_panel.message_text.startswith("At the start")


def test_gradient_panel_says_when_the_loss_grew_without_overflowing(gradient_panel):
    gradient_panel.controls["output"].value = "linear"
    gradient_panel.controls["lr"].value = 2.5
    X, y = bpkit.datasets.xor()
    net = bpkit.MLP(troubles.deep_sizes(5), activation="sigmoid", output="linear", seed=0)
    history = net.fit(X, y, lr=2.5, epochs=200)
    assert history.loss[-1] > 1e60                                # huge, but still a number
    message = gradient_panel.message_text
    assert f"→ {history.loss[-1]:.2e} after 200 epochs" in message
    assert message.endswith("The loss grew: try a smaller learning rate.")


def test_loss_text_keeps_four_decimals_only_where_they_are_readable():
    assert troubles.loss_text(0.12504) == "0.1250"
    assert troubles.loss_text(4.2e-5) == "4.20e-05"
    assert troubles.loss_text(6.8e58) == "6.80e+58"


# ---- panel 2: one seed, solved or stuck ------------------------------------------

@pytest.fixture
def stuck_panel():
    X, y = bpkit.datasets.xor()
    return troubles.stuck_runs_panel(X, y, hidden=2, activation="sigmoid", init="uniform", lr=2.0,
                                     epochs=3000, seed=6)


def test_stuck_panel_reports_a_stuck_seed_like_train_many(stuck_panel):
    X, y = bpkit.datasets.xor()
    result = bpkit.train_many([2, 2, 1], X, y, seeds=[6, 0], activation="sigmoid", init="uniform",
                              lr=2.0, epochs=3000)
    assert list(result.solved) == [False, True]
    assert "stuck — 2 of 4 points" in stuck_panel.message_text
    curve = stuck_panel.fig.axes[0].get_lines()[0]
    assert len(curve.get_ydata()) == 3000
    stuck_panel.controls["seed"].value = 0
    assert "solved — 4 of 4 points" in stuck_panel.message_text
    assert stuck_panel.fig.axes[0].get_title() == "seed 0: solved"


def test_stuck_panel_message_prints_the_networks_outputs(stuck_panel):
    stuck_panel.controls["epochs"].value = 1000
    X, y = bpkit.datasets.xor()
    net = bpkit.MLP([2, 2, 1], activation="sigmoid", init="uniform", seed=6)
    history = net.fit(X, y, lr=2.0, epochs=1000)
    assert f"outputs {troubles.outputs_text(net.forward(X))}" in stuck_panel.message_text
    assert f"final loss {history.loss[-1]:.4f}" in stuck_panel.message_text
    np.testing.assert_array_equal(stuck_panel.fig.axes[0].get_lines()[0].get_ydata(), history.loss)


def test_stuck_panel_decision_map_follows_the_network(stuck_panel):
    image = stuck_panel.fig.axes[1].images[0]
    before = np.array(image.get_array())
    stuck_panel.controls["hidden"].value = 4
    stuck_panel.controls["activation"].value = "tanh"
    after = np.array(image.get_array())
    assert not np.allclose(before, after)
    assert "[2, 4, 1] tanh" in stuck_panel.fig.axes[1].get_title()


# ---- panel 3: badly scaled inputs -------------------------------------------------

@pytest.fixture
def scaling_panel():
    X, y = bpkit.datasets.moons(100, noise=0.1, seed=0)
    return troubles.input_scaling_panel(X, y, scale=100.0, inputs="raw", lr=0.3, epochs=300)


def accuracy_in(message):
    return float(message.rsplit("accuracy ", 1)[1].rstrip("%")) / 100


def test_standardizing_badly_scaled_inputs_helps(scaling_panel):
    raw = accuracy_in(scaling_panel.message_text)
    scaling_panel.controls["inputs"].value = "standardized"
    standardized = accuracy_in(scaling_panel.message_text)
    assert standardized > raw + 0.05
    assert scaling_panel.message_text.startswith("standardized inputs, x2 × 100, lr=0.3")


def test_scaling_panel_matches_training_by_hand(scaling_panel):
    scaling_panel.controls["inputs"].value = "standardized"
    X, y = bpkit.datasets.moons(100, noise=0.1, seed=0)
    X_std, _, _ = bpkit.datasets.standardize(troubles.scale_feature(X, 100.0))
    net = bpkit.MLP([2, 8, 1], activation="tanh", init="xavier", seed=0)
    history = net.fit(X_std, y, lr=0.3, epochs=300, loss="bce")
    curve = scaling_panel.fig.axes[0].get_lines()[0]
    np.testing.assert_allclose(curve.get_ydata(), history.loss)
    assert f"accuracy {np.mean(net.predict(X_std) == y):.1%}" in scaling_panel.message_text


def test_scaling_panel_activation_and_learning_rate_are_controls(scaling_panel):
    scaling_panel.controls["activation"].value = "relu"
    scaling_panel.controls["lr"].value = 0.01
    assert scaling_panel.settings == {"lr": 0.01, "activation": "relu", "scale": 100.0, "inputs": "raw"}
    assert "lr=0.01" in scaling_panel.message_text
