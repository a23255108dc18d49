"""The panels of lessons 02 and 03, run outside a notebook: gradient descent
checked against its closed form on quadratics, the regimes against the rule
0 < η < 2/k, slopes against finite differences, and the one-neuron graph
against bpkit.MLP and finite differences. Then the panels: move a control,
check what the figure and the message line now show."""
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import bpkit  # noqa: E402
from bpkit.widgets import descent, graph  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def central_difference(f, x, h=1e-6):
    return (f(x + h) - f(x - h)) / (2 * h)


def line_by_label(ax, label):
    return next(line for line in ax.lines if line.get_label() == label)


# ---- gradient descent ------------------------------------------------------------

@pytest.mark.parametrize("lr", [0.05, 0.5, 1.0, 1.5, 1.9])
def test_descent_on_a_quadratic_follows_the_closed_form(lr):
    # C = ½kθ² gives θ_t = (1 − ηk)^t θ₀
    path = descent.gradient_descent(descent.quadratic_slope, 3.0, lr, steps=20)
    assert path.shape == (21, 1)
    np.testing.assert_allclose(path[:, 0], 3.0 * (1 - lr * descent.K) ** np.arange(21), atol=1e-12)


def test_descent_in_the_bowl_moves_each_coordinate_on_its_own():
    lr = 0.15
    path = descent.gradient_descent(descent.bowl_gradient, descent.BOWL_START, lr, steps=10)
    t = np.arange(11)[:, None]
    np.testing.assert_allclose(path, descent.BOWL_START * (1 - lr * descent.BOWL_K) ** t, atol=1e-12)


def test_a_run_that_runs_away_stops_early_without_warnings():
    with np.errstate(all="raise"):       # an overflow would raise here
        path = descent.gradient_descent(descent.two_valleys_slope, 2.2, lr=5.0, steps=30)
    assert len(path) < 31
    assert np.abs(path[-1, 0]) > descent.RUN_AWAY
    assert np.all(np.abs(path[:-1, 0]) <= descent.RUN_AWAY)


@pytest.mark.parametrize("lr", [0.0, -0.1, float("nan")])
def test_a_learning_rate_that_is_not_positive_is_named(lr):
    with pytest.raises(ValueError, match="learning rate must be a positive number"):
        descent.gradient_descent(descent.quadratic_slope, 3.0, lr)


def test_reversal_fraction_counts_steps_that_turn_back():
    assert descent.reversal_fraction(np.array([[0.0], [1.0], [2.0], [3.0]])) == 0.0
    assert descent.reversal_fraction(np.array([[0.0], [1.0], [0.5], [0.8]])) == 1.0
    assert descent.reversal_fraction(np.array([[0.0], [1.0], [2.0], [1.5]])) == 0.5
    assert descent.reversal_fraction(np.array([[0.0], [1.0]])) == 0.0


# ---- the regimes agree with the theory of the quadratic ----------------------------

@pytest.mark.parametrize("lr, expected", [
    (0.01, "too small"),      # 1 − ηk = 0.99: barely moves
    (0.5, "just right"),      # 0.5 per step, no overshoot
    (1.0, "just right"),      # one step to the bottom
    (1.2, "oscillating"),     # 1/k < η < 2/k: the sign flips but shrinks
    (1.99, "oscillating"),
    (2.01, "diverging"),      # η > 2/k
    (8.0, "diverging"),
])
def test_regimes_of_the_quadratic_match_the_rule_two_over_k(lr, expected):
    path = descent.gradient_descent(descent.quadratic_slope, 3.0, lr)
    regime = descent.classify(path, descent.quadratic, descent.quadratic_slope)
    assert regime.name == expected


def test_every_rate_in_the_stable_range_converges_and_every_other_diverges():
    for lr in np.linspace(0.05, 4.0, 80):
        path = descent.gradient_descent(descent.quadratic_slope, 3.0, lr)
        regime = descent.classify(path, descent.quadratic, descent.quadratic_slope)
        assert (regime.name == "diverging") == (lr > 2 / descent.K), lr


def test_regime_numbers_are_those_of_the_run():
    lr = 0.3
    path = descent.gradient_descent(descent.quadratic_slope, 3.0, lr)
    regime = descent.classify(path, descent.quadratic, descent.quadratic_slope)
    assert regime.steps == descent.STEPS
    assert regime.loss_start == pytest.approx(0.5 * 9.0)
    assert regime.slope_ratio == pytest.approx((1 - lr) ** descent.STEPS)     # |C'(θ_T)| / |C'(θ₀)|
    assert regime.loss_end == pytest.approx(4.5 * (1 - lr) ** (2 * descent.STEPS))


# ---- the loss curves and their derivatives -------------------------------------------

@pytest.mark.parametrize("theta", [-2.0, -0.7, 0.0, 0.4, 1.9])
def test_two_valleys_slope_and_curvature_match_finite_differences(theta):
    assert descent.two_valleys_slope(theta) == pytest.approx(central_difference(descent.two_valleys, theta), abs=1e-7)
    assert descent.two_valleys_curvature(theta) == pytest.approx(
        central_difference(descent.two_valleys_slope, theta), abs=1e-6)


def test_bowl_gradient_matches_finite_differences():
    theta = np.array([-1.3, 0.7])
    for i in range(2):
        step = np.eye(2)[i]
        numeric = central_difference(lambda s: descent.bowl(theta + s * step), 0.0)
        assert descent.bowl_gradient(theta)[i] == pytest.approx(numeric, abs=1e-6)


def test_lowest_value_of_two_valleys_is_at_its_deepest_flat_point():
    flat = np.roots([1, 0, -2, 0.5]).real          # C'(θ) = θ³ − 2θ + 1/2 = 0
    assert descent.lowest_value(descent.CURVES["two valleys"]) == pytest.approx(descent.two_valleys(flat).min())
    assert descent.lowest_value(descent.CURVES["quadratic"]) == pytest.approx(0.0, abs=1e-12)


# ---- the 1-D panel ------------------------------------------------------------------------

def test_1d_panel_draws_the_run_of_the_slider_value():
    panel = descent.descent_1d(lr=0.5)
    ax_curve, ax_loss = panel.fig.axes
    steps = line_by_label(ax_curve, "steps")
    before = np.array(steps.get_xdata())
    panel.controls["lr"].value = 1.6
    after = np.array(steps.get_xdata())
    assert not np.allclose(before, after)
    np.testing.assert_allclose(after, 3.0 * (-0.6) ** np.arange(descent.STEPS + 1), atol=1e-12)
    np.testing.assert_allclose(steps.get_ydata(), 0.5 * after ** 2)
    loss_line = ax_loss.lines[0]
    np.testing.assert_allclose(loss_line.get_ydata(), np.clip(0.5 * after ** 2, 1e-16, None))
    assert panel.message_text.startswith("η = 1.6: oscillating")
    assert "each step multiplies θ by -0.600 (theory: 1 − ηk = -0.600)" in panel.message_text


@pytest.mark.parametrize("lr, regime", [(0.02, "too small"), (0.5, "just right"), (1.6, "oscillating")])
def test_1d_panel_names_each_regime(lr, regime):
    panel = descent.descent_1d()
    panel.controls["lr"].value = lr
    assert panel.message_text.startswith(f"η = {lr:.4g}: {regime} — ")
    assert "⚠" not in panel.message_text


def test_1d_panel_shows_divergence_as_a_message_in_red():
    panel = descent.descent_1d()
    panel.controls["lr"].value = 2.5
    assert panel.message_text.startswith("⚠ η = 2.5: diverging — the loss grew from 4.5 to ")
    assert "Try a smaller learning rate" in panel.message_text
    assert "#b91c1c" in panel.message.value                  # the panel's error colour
    # the path is still drawn, so the learner sees it run away
    steps = line_by_label(panel.fig.axes[0], "steps")
    assert len(steps.get_xdata()) == descent.STEPS + 1
    panel.controls["lr"].value = 0.5                         # and it recovers
    assert panel.message_text.startswith("η = 0.5: just right")


def test_1d_panel_switches_curve():
    panel = descent.descent_1d(lr=0.1)
    ax_curve = panel.fig.axes[0]
    curve = line_by_label(ax_curve, r"loss $C(\theta)$")
    panel.controls["curve"].value = "two valleys"
    np.testing.assert_allclose(curve.get_ydata(), descent.two_valleys(np.array(curve.get_xdata())))
    assert ax_curve.get_title() == descent.CURVES["two valleys"].formula
    # a small step ends in the shallow valley on the right, a larger one hops over the hump
    assert "it ended at θ = 1.267" in panel.message_text
    panel.controls["lr"].value = 0.3
    assert "it ended at θ = -1.526" in panel.message_text
    panel.controls["lr"].value = 0.8
    assert panel.message_text.startswith("⚠ η = 0.8: diverging")
    assert "θ ran off to" in panel.message_text


# ---- the 2-D panel ------------------------------------------------------------------------

def test_2d_panel_path_follows_the_closed_form():
    panel = descent.descent_2d()
    path_line = line_by_label(panel.fig.axes[0], "steps")
    panel.controls["lr"].value = 0.18
    t = np.arange(descent.STEPS + 1)
    np.testing.assert_allclose(path_line.get_xdata(), -4.0 * 0.82 ** t, atol=1e-12)
    np.testing.assert_allclose(path_line.get_ydata(), 1.5 * (-0.8) ** t, atol=1e-12)
    assert panel.message_text.startswith("η = 0.18: oscillating")


@pytest.mark.parametrize("lr, regime", [(0.005, "too small"), (0.14, "just right"), (0.18, "oscillating"),
                                        (0.21, "diverging")])
def test_2d_panel_names_each_regime(lr, regime):
    panel = descent.descent_2d()
    panel.controls["lr"].value = lr
    assert f"η = {lr:.4g}: {regime} — " in panel.message_text
    assert panel.message_text.startswith("⚠") == (regime == "diverging")
    # the limit is set by the steep direction: 2/k₂
    assert "η < 2/k₂ = 0.20" in panel.message_text


def test_the_limit_in_the_bowl_is_two_over_the_steepest_curvature():
    limit = 2 / descent.BOWL_K.max()
    for lr in (0.95 * limit, 1.05 * limit):
        path = descent.gradient_descent(descent.bowl_gradient, descent.BOWL_START, lr)
        regime = descent.classify(path, descent.bowl, descent.bowl_gradient)
        assert (regime.name == "diverging") == (lr > limit)


# ---- lesson 03: one neuron's numbers --------------------------------------------------------

def test_neuron_numbers_by_hand():
    n = graph.neuron_numbers(w1=0.5, w2=0.3, b=0.1, x1=1.0, x2=2.0, y=1.0)
    assert n.z == pytest.approx(1.2)
    assert n.a == pytest.approx(1 / (1 + np.exp(-1.2)))
    assert n.C == pytest.approx(0.5 * (n.a - 1.0) ** 2)
    assert n.delta == pytest.approx((n.a - 1.0) * n.a * (1 - n.a))
    assert (n.dC_dw1, n.dC_dw2, n.dC_db) == pytest.approx((n.delta * 1.0, n.delta * 2.0, n.delta))
    assert (n.dC_dx1, n.dC_dx2) == pytest.approx((n.delta * 0.5, n.delta * 0.3))


def loss_of(w1, w2, b, x1, x2, y):
    return graph.neuron_numbers(w1, w2, b, x1, x2, y).C


def test_neuron_numbers_match_bpkit_and_finite_differences():
    rng = np.random.default_rng(3)
    for _ in range(5):
        w1, w2, b, x1, x2 = rng.uniform(-2, 2, size=5)
        y = float(rng.integers(0, 2))
        n = graph.neuron_numbers(w1, w2, b, x1, x2, y)
        net = bpkit.MLP([2, 1], output="sigmoid")
        net.weights[0][:] = [[w1], [w2]]
        net.biases[0][:] = [b]
        loss, [(dW, db)] = net.loss_and_grads(np.array([[x1, x2]]), np.array([[y]]))
        assert n.C == pytest.approx(loss, abs=1e-14)
        np.testing.assert_allclose([n.dC_dw1, n.dC_dw2, n.dC_db], [dW[0, 0], dW[1, 0], db[0]], atol=1e-14)
        numeric = [central_difference(lambda v: loss_of(v, w2, b, x1, x2, y), w1),
                   central_difference(lambda v: loss_of(w1, v, b, x1, x2, y), w2),
                   central_difference(lambda v: loss_of(w1, w2, v, x1, x2, y), b),
                   central_difference(lambda v: loss_of(w1, w2, b, v, x2, y), x1)]
        np.testing.assert_allclose([n.dC_dw1, n.dC_dw2, n.dC_db, n.dC_dx1], numeric, atol=1e-8)


def graph_text(panel, prefix):
    matches = [t.get_text() for t in panel.fig.axes[0].texts if t.get_text().startswith(prefix)]
    assert len(matches) == 1, (prefix, matches)
    return matches[0]


def test_graph_panel_writes_the_numbers_on_the_edges():
    panel = graph.chain_rule_panel()
    n = graph.neuron_numbers(0.5, 0.3, 0.1, 1.0, 2.0, 1.0)
    assert graph_text(panel, "z = ") == f"z = {n.z:.3f}"
    assert graph_text(panel, "∂C/∂w₁") == f"∂C/∂w₁ = {n.dC_dw1:.4f}".replace("-", "−")
    assert graph_text(panel, "C = 0") == f"C = {n.C:.4f}"
    assert panel.message_text == graph.describe(n)


def test_graph_panel_follows_its_sliders():
    panel = graph.chain_rule_panel()
    before = graph_text(panel, "∂C/∂w₂")
    panel.controls["y"].value = 0.0
    after = graph_text(panel, "∂C/∂w₂")
    assert before.startswith("∂C/∂w₂ = −") and not after.startswith("∂C/∂w₂ = −")   # target 0: the sign flips
    panel.controls["x1"].value = 0.0
    assert graph_text(panel, "∂C/∂w₁") == "∂C/∂w₁ = 0.0000"                          # input 0: no gradient
    assert graph_text(panel, "x₁ = ") == "x₁ = 0.000"
    n = graph.neuron_numbers(**{k: panel.settings[k] for k in ("w1", "w2", "b", "x1", "x2", "y")})
    assert panel.message_text == graph.describe(n)
    assert f"∂C/∂w2 = {n.dC_dw2:.5f}" in panel.message_text


def test_wrong_sigmoid_derivative_flips_the_gradient_of_the_example():
    # the classic x·(1 − x) given z = 1.2 instead of a = σ(1.2): negative, so the gradient changes sign
    n = graph.neuron_numbers(0.5, 0.3, 0.1, 1.0, 2.0, 1.0)
    wrong = bpkit.activations.sigmoid_derivative_from_output(np.array([n.z]))[0]
    assert wrong == pytest.approx(-0.24)
    assert np.sign(n.dC_da * wrong) == -np.sign(n.delta)
