"""Lesson 04's trainer, run outside a notebook: change controls, check state and artists."""
import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

import bpkit  # noqa: E402
from bpkit.widgets.one_neuron import count_right, one_neuron_trainer, train_neuron  # noqa: E402


@pytest.fixture
def panel():
    panel = one_neuron_trainer(lr=1.0, activation="sigmoid", gate="AND", epochs=1000)
    yield panel
    matplotlib.pyplot.close(panel.fig)


def test_count_right_needs_the_correct_side_by_a_margin():
    y = np.array([0, 1, 1, 0])
    assert count_right([0.1, 0.9, 0.9, 0.1], y) == 4
    assert count_right([0.1, 0.9, 0.9, 0.9], y) == 3
    assert count_right([0.5, 0.5, 0.5, 0.5], y) == 0          # a coin flip is not an answer
    assert count_right([0.495, 0.505, 0.505, 0.495], y) == 0   # nor is 0.5 ± 0.005


def test_train_neuron_is_bpkit_fit_on_the_gate():
    net, history = train_neuron("OR", "sigmoid", lr=0.5, epochs=300, seed=3)
    twin = bpkit.MLP([2, 1], activation="sigmoid", output="sigmoid", init="uniform", seed=3)
    twin_history = twin.fit(*bpkit.datasets.or_gate(), lr=0.5, epochs=300)
    np.testing.assert_array_equal(history.loss, twin_history.loss)
    np.testing.assert_array_equal(net.weights[0], twin.weights[0])


def test_and_is_learned_and_the_readout_says_so(panel):
    assert panel.right == 4
    assert "4 of 4 right" in panel.message_text
    X, y = bpkit.datasets.and_gate()
    assert np.array_equal(panel.net.predict(X), y.astype(int))
    # the loss curve holds the whole run, and it went down
    xs, ys = panel.loss_line.get_data()
    assert len(xs) == 1000 and ys[-1] < ys[0] / 10


def test_xor_never_gets_four_right(panel):
    panel.controls["gate"].value = "XOR"
    assert panel.right < 4
    assert f"{panel.right} of 4 right" in panel.message_text
    for activation in ("tanh", "relu", "leaky_relu"):
        panel.controls["activation"].value = activation
        assert panel.right < 4, activation
    panel.controls["activation"].value = "sigmoid"
    # sigmoid ends with every output at 0.5 (the loss plateau 1/8), so nothing counts as right
    np.testing.assert_allclose(panel.outputs, 0.5, atol=1e-3)
    assert panel.right == 0
    assert abs(panel.history.loss[-1] - 0.125) < 1e-4
    assert panel.decision_map.boundary is None          # a flat map: no decision line drawn
    panel.controls["gate"].value = "OR"
    assert panel.decision_map.boundary is not None


def test_changing_the_gate_recolours_the_points_and_redraws_the_map(panel):
    before = panel.decision_map.image.get_array().copy()
    orange_before = panel.ax_map.collections[1].get_offsets().copy()   # the points labelled 1
    panel.controls["gate"].value = "OR"
    orange_after = panel.ax_map.collections[1].get_offsets()
    assert len(orange_before) == 1 and len(orange_after) == 3
    assert not np.allclose(before, panel.decision_map.image.get_array())
    assert panel.ax_map.get_title() == "OR with sigmoid: 4 of 4 right"


def test_learning_rate_and_epochs_change_the_loss_curve(panel):
    slow = panel.history.loss.copy()
    panel.controls["lr"].value = 0.1
    assert panel.history.loss[-1] > slow[-1]          # a smaller step gets less far in 1000 epochs
    panel.controls["epochs"].value = 3000
    xs, _ = panel.loss_line.get_data()
    assert len(xs) == 3000 and panel.ax_loss.get_xlim() == (0, 3000)
    assert panel.settings == {"lr": 0.1, "activation": "sigmoid", "gate": "AND", "epochs": 3000}


def test_a_diverging_run_shows_the_message_not_a_traceback(panel):
    panel.controls["activation"].value = "linear"
    panel.controls["lr"].value = 30.0
    assert panel.message_text.startswith("⚠ the loss became")
    assert "smaller learning rate" in panel.message_text
    assert "diverged at epoch" in panel.ax_map.get_title()
    # the loss curve shows the run up to the blow-up
    xs, _ = panel.loss_line.get_data()
    assert 0 < len(xs) < panel.settings["epochs"]
    # and a sensible setting recovers
    panel.controls["lr"].value = 0.1
    assert not panel.message_text.startswith("⚠")


def test_code_reproduces_the_run(panel):
    panel.controls["gate"].value = "OR"
    panel.controls["activation"].value = "tanh"
    panel.controls["lr"].value = 0.3
    namespace = {}
    exec(panel.code(), namespace)
    np.testing.assert_array_equal(namespace["history"].loss, panel.history.loss)
    np.testing.assert_array_equal(namespace["net"].weights[0], panel.net.weights[0])
