"""The panels of lessons 00 and 01, run outside a notebook: build a panel, move
its controls, and check what the figure now shows against numbers worked out
independently (by hand, by finite differences, by a plain loop)."""
import itertools

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import bpkit  # noqa: E402
from bpkit.widgets import neuron  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def line_by_label(ax, label):
    return next(line for line in ax.lines if line.get_label() == label)


def rings(ax):
    return next(c for c in ax.collections if c.get_label() == "labelled wrong")


# ---- the neuron's math --------------------------------------------------------

def test_weighted_sum_and_output_match_a_hand_computation():
    X = np.array([[1.0, 0.0], [0.5, 2.0]])
    w, b = (0.8, -0.4), -0.3
    # by hand: 0.8·1 − 0.4·0 − 0.3 = 0.5 and 0.8·0.5 − 0.4·2 − 0.3 = −0.7
    np.testing.assert_allclose(neuron.weighted_sum(X, w, b), [0.5, -0.7])
    np.testing.assert_allclose(neuron.neuron_output(X, w, b), 1 / (1 + np.exp([-0.5, 0.7])))
    np.testing.assert_allclose(neuron.neuron_output(X, w, b, "tanh"), np.tanh([0.5, -0.7]))


def test_weighted_sum_names_a_wrong_number_of_weights():
    with pytest.raises(ValueError, match="one weight per input"):
        neuron.weighted_sum(np.ones((4, 2)), [1.0, 2.0, 3.0], 0.0)


def test_classify_is_the_sigmoid_output_above_one_half():
    X, y = bpkit.datasets.and_gate()
    w, b = (1.0, 1.0), -1.5
    labels = neuron.classify(X, w, b)
    np.testing.assert_array_equal(labels, [0, 0, 0, 1])
    np.testing.assert_array_equal(labels, neuron.neuron_output(X, w, b) > 0.5)
    assert neuron.n_correct(X, y, w, b) == 4
    assert neuron.n_correct(*bpkit.datasets.xor(), w, b) == 1      # only (0,0) agrees with XOR


def count_by_loop(X, y, values):
    """The grid search again, one setting at a time, for comparison."""
    counts = [sum(int(w1 * x1 + w2 * x2 + b > 0) == label for (x1, x2), label in zip(X, y.ravel()))
              for w1, w2, b in itertools.product(values, repeat=3)]
    return max(counts), counts.count(max(counts)), len(counts)


@pytest.mark.parametrize("gate, best", [("and", 4), ("or", 4), ("xor", 3), ("nand", 4)])
def test_grid_search_agrees_with_a_plain_loop(gate, best):
    X, y = bpkit.datasets.gate(gate)
    values = np.linspace(-2, 2, 9)
    result = neuron.best_on_grid(X, y, values)
    assert (result.best, result.n_best, result.n_tried) == count_by_loop(X, y, values)
    assert result.best == best
    # the setting it names really gets that many right
    assert neuron.n_correct(X, y, (result.w1, result.w2), result.b) == best


def test_no_slider_setting_gets_xor_right():
    X, y = bpkit.datasets.xor()
    result = neuron.best_on_grid(X, y, neuron.SLIDER_VALUES)
    assert result.n_tried == 61 ** 3
    assert result.best == 3


def test_grid_search_names_bad_values():
    X, y = bpkit.datasets.xor()
    with pytest.raises(ValueError, match="non-empty 1-D"):
        neuron.best_on_grid(X, y, np.ones((2, 2)))
    with pytest.raises(ValueError, match="one label per row"):
        neuron.best_on_grid(X, y[:3], [0.0, 1.0])


@pytest.mark.parametrize("w1, w2, b", [(1.0, 1.0, -1.5), (3.0, -0.5, 0.2), (0.0, 2.0, -1.0), (-2.0, 0.0, 1.0)])
def test_line_through_box_lies_on_the_decision_line(w1, w2, b):
    x1, x2 = neuron.line_through_box(w1, w2, b, (-0.5, 1.5), (-0.5, 1.5))
    assert len(x1) == 2
    np.testing.assert_allclose(w1 * np.asarray(x1) + w2 * np.asarray(x2) + b, 0.0, atol=1e-12)


def test_no_line_when_both_weights_are_zero():
    assert neuron.line_through_box(0.0, 0.0, 1.0, (0, 1), (0, 1)) == ([], [])


# ---- lesson 00: the widget check ----------------------------------------------------

def test_widget_check_redraws_the_curve_with_the_new_steepness():
    panel = neuron.widget_check()
    curve = line_by_label(panel.fig.axes[0], "k = your value")
    x = curve.get_xdata()
    before = np.array(curve.get_ydata())
    panel.controls["steepness"].value = 3.0
    after = np.array(curve.get_ydata())
    assert not np.allclose(before, after)
    np.testing.assert_allclose(after, 1 / (1 + np.exp(-3.0 * x)))
    # σ(3x) = 0.1 and 0.9 at x = ∓ln(9)/3, so the climb is 2·ln(9)/3 = 1.46 wide
    assert panel.message_text == "k = 3.0: the curve climbs from 0.1 to 0.9 over a width of 1.46"


# ---- lesson 01: the activation gallery ------------------------------------------------

@pytest.mark.parametrize("name", list(bpkit.activations.ACTIVATIONS))
def test_gallery_draws_the_chosen_activation_and_its_derivative(name):
    panel = neuron.activation_gallery()
    ax_f, ax_d = panel.fig.axes
    panel.controls["activation"].value = name
    panel.controls["z"].value = -1.5
    f_line, d_line = line_by_label(ax_f, "$f(z)$"), line_by_label(ax_d, "$f'(z)$")
    zs = f_line.get_xdata()
    act = bpkit.activations.get(name)
    np.testing.assert_allclose(f_line.get_ydata(), act.function(zs))
    np.testing.assert_allclose(d_line.get_ydata(), act.derivative(zs))
    assert ax_f.get_title() == neuron.FORMULAS[name][0]
    # the tangent's slope matches a central finite difference of f at z = −1.5
    h = 1e-5
    slope = (act.function(np.array([-1.5 + h])) - act.function(np.array([-1.5 - h])))[0] / (2 * h)
    tx, ty = line_by_label(ax_f, "tangent at $z$").get_data()
    assert (ty[1] - ty[0]) / (tx[1] - tx[0]) == pytest.approx(slope, abs=1e-6)
    assert panel.message_text.startswith(f"{name} at z = -1.50:")


def test_gallery_message_gives_the_sigmoid_numbers():
    panel = neuron.activation_gallery()
    panel.controls["z"].value = 0.0
    # σ(0) = 1/2 and σ'(0) = 1/2 · 1/2
    assert panel.message_text == ("sigmoid at z = 0.00:  f(z) = 0.5000,  f'(z) = 0.2500 "
                                  "(the slope of the dashed tangent)")
    dot = line_by_label(panel.fig.axes[1], "slope at $z$")
    assert tuple(dot.get_xydata()[0]) == (0.0, 0.25)


# ---- lesson 01: one neuron over AND, OR, XOR -------------------------------------------

def set_controls(panel, **values):
    for name, value in values.items():
        panel.controls[name].value = value


def test_neuron_panel_counts_the_points_it_gets_right():
    panel = neuron.neuron_classifier(w1=1.0, w2=1.0, b=-0.5, gate="and")
    ax = panel.fig.axes[0]
    # x1 + x2 − 0.5 > 0 labels (0,1), (1,0) and (1,1) as 1: AND wants only (1,1)
    assert panel.message_text.startswith("AND: 2 of 4 points right")
    np.testing.assert_array_equal(rings(ax).get_offsets(), [[0, 1], [1, 0]])
    set_controls(panel, b=-1.5)
    assert panel.message_text == "AND: 4 of 4 points right   ·   decision line 1.0·x₁ + 1.0·x₂ − 1.5 = 0"
    assert len(rings(ax).get_offsets()) == 0
    assert ax.get_title() == "AND: 4 of 4 right"
    set_controls(panel, gate="or")
    assert panel.message_text.startswith("OR: 2 of 4 points right")     # (0,0) and (1,1) stay right
    set_controls(panel, b=-0.5)
    assert panel.message_text.startswith("OR: 4 of 4 points right")
    set_controls(panel, gate="xor")
    assert panel.message_text.startswith("XOR: 3 of 4 points right")
    np.testing.assert_array_equal(rings(ax).get_offsets(), [[1, 1]])


def test_neuron_panel_heat_map_and_line_follow_the_sliders():
    panel = neuron.neuron_classifier()
    ax = panel.fig.axes[0]
    image = ax.images[0]
    before = np.array(image.get_array())
    set_controls(panel, w1=2.0, w2=-1.0, b=0.3)
    values = np.array(image.get_array())
    assert not np.allclose(before, values)
    # the lower-left pixel is the grid's first point (−0.5, −0.5): σ(2·(−0.5) − 1·(−0.5) + 0.3)
    assert values[0, 0] == pytest.approx(1 / (1 + np.exp(-(-1.0 + 0.5 + 0.3))))
    x1, x2 = line_by_label(ax, "decision line $z = 0$").get_data()
    np.testing.assert_allclose(2.0 * np.asarray(x1) - 1.0 * np.asarray(x2) + 0.3, 0.0, atol=1e-12)
    assert panel.message_text.endswith("decision line 2.0·x₁ − 1.0·x₂ + 0.3 = 0")


def test_neuron_panel_with_zero_weights_has_no_line():
    panel = neuron.neuron_classifier()
    set_controls(panel, w1=0.0, w2=0.0, b=0.5)
    x1, _ = line_by_label(panel.fig.axes[0], "decision line $z = 0$").get_data()
    assert len(x1) == 0
    assert panel.message_text.startswith("AND: 1 of 4 points right")     # everything labelled 1
