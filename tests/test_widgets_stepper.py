"""Lesson 05's stepper, run outside a notebook: click the buttons, check numbers and drawing."""
import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

import bpkit  # noqa: E402
from bpkit.widgets import stepper  # noqa: E402


@pytest.fixture
def panel():
    panel = stepper.hidden_layer_stepper(lr=2.0)
    yield panel
    matplotlib.pyplot.close(panel.fig)


def net_with(params):
    """A bpkit.MLP holding the stepper's numbers."""
    net = bpkit.MLP([2, 2, 1], activation="sigmoid", output="sigmoid")
    net.weights = [params["W1"].copy(), params["W2"].copy()]
    net.biases = [params["b1"].copy(), params["b2"].copy()]
    return net


def test_starting_numbers_are_seeded_and_rounded():
    a, b = stepper.starting_parameters(2), stepper.starting_parameters(2)
    for name in a:
        np.testing.assert_array_equal(a[name], b[name])
        np.testing.assert_array_equal(a[name], a[name].round(1))
    assert a["W1"].shape == (2, 2) and a["b1"].shape == (2,) and a["W2"].shape == (2, 1) and a["b2"].shape == (1,)


def test_backward_equals_bpkit_and_finite_differences():
    X, y = bpkit.datasets.xor()
    params = stepper.starting_parameters()
    values = stepper.forward(X, **params)
    grads = stepper.backward(X, y, values["A1"], values["A2"], params["W2"])
    net = net_with(params)
    loss, bp_grads = net.loss_and_grads(X, y)
    assert stepper.loss(values["A2"], y) == pytest.approx(loss, abs=1e-15)
    for (dW, db), layer in zip(bp_grads, ("1", "2")):
        np.testing.assert_allclose(grads["dW" + layer], dW, atol=1e-15)
        np.testing.assert_allclose(grads["db" + layer], db, atol=1e-15)
    # independently of bpkit's backprop: central differences on one weight
    h = 1e-6
    plus, minus = {k: v.copy() for k, v in params.items()}, {k: v.copy() for k, v in params.items()}
    plus["W1"][1, 0] += h
    minus["W1"][1, 0] -= h
    numeric = (stepper.loss(stepper.forward(X, **plus)["A2"], y)
               - stepper.loss(stepper.forward(X, **minus)["A2"], y)) / (2 * h)
    assert grads["dW1"][1, 0] == pytest.approx(numeric, rel=1e-6)


def test_step_walks_the_four_stages_and_fills_the_numbers(panel):
    assert panel.stage == "start" and panel.values == {}
    expected = {"forward": {"Z1", "A1", "Z2", "A2"}, "loss": {"C"},
                "backward": {"D2", "D1", "dW1", "db1", "dW2", "db2"}, "update": set()}
    seen = set()
    for stage in stepper.STAGES:
        panel.buttons["step"].click()
        assert panel.stage == stage and panel.epoch == 0
        seen |= expected[stage]
        assert set(panel.values) == seen
        assert panel.message_text.startswith(f"epoch 0 · {stepper.STAGES.index(stage) + 1} {stage}")
        # the active stage is the highlighted box, the others are white
        for name, box in panel.stage_boxes.items():
            face = matplotlib.colors.to_hex(box.get_bbox_patch().get_facecolor())
            assert (face == stepper.ACTIVE_COLOR) == (name == stage)
    panel.buttons["step"].click()
    assert panel.stage == "forward" and panel.epoch == 1


def test_the_drawing_shows_each_stage_numbers(panel):
    W1 = panel.params["W1"]
    assert panel.edge_labels["x2", "h1"].get_text() == f"w = {W1[1, 0]:.3f}"
    panel.buttons["step"].click()                      # forward: z and a beside the hidden units
    a_h1 = " ".join(f"{a:6.3f}" for a in panel.values["A1"][:, 0])
    assert "a " + a_h1 in panel.node_values["h1"].get_text()
    panel.buttons["step"].click()                      # loss: beside the output
    assert f"C = {panel.values['C']:.4f}" in panel.node_values["o"].get_text()
    panel.buttons["step"].click()                      # backward: gradients on the edges
    assert f"∂C/∂w = {panel.values['dW1'][1, 0]:+.4f}" in panel.edge_labels["x2", "h1"].get_text()
    assert matplotlib.colors.to_hex(panel.edge_lines["x1", "h1"].get_color()) == stepper.BACKWARD_COLOR
    panel.buttons["step"].click()                      # update: old → new
    assert panel.edge_labels["x2", "h1"].get_text() == f"{W1[1, 0]:.3f}\n→ {panel.params['W1'][1, 0]:.3f}"
    assert "W1[1,0]" in panel.table_text.get_text()


def test_update_is_one_bpkit_fit_step_at_the_slider_learning_rate(panel):
    panel.controls["lr"].value = 0.5
    net = net_with(panel.params)
    for _ in stepper.STAGES:
        panel.buttons["step"].click()
    net.fit(*bpkit.datasets.xor(), lr=0.5, epochs=1)
    np.testing.assert_allclose(panel.params["W1"], net.weights[0], atol=1e-15)
    np.testing.assert_allclose(panel.params["b2"], net.biases[1], atol=1e-15)
    assert "η = 0.5" in panel.message_text


def test_run_button_trains_like_bpkit_and_reset_goes_back(panel):
    start = {k: v.copy() for k, v in panel.params.items()}
    net = net_with(panel.params)
    panel.buttons["run"].click()
    assert panel.epoch == 499 and panel.stage == "update"      # 500 whole epochs: 0 … 499
    history = net.fit(*bpkit.datasets.xor(), lr=2.0, epochs=500)
    np.testing.assert_allclose(panel.params["W2"], net.weights[1], atol=1e-12)
    np.testing.assert_allclose(panel.losses, history.loss, atol=1e-14)
    panel.buttons["reset"].click()
    assert panel.stage == "start" and panel.epoch == 0 and panel.values == {}
    for name in start:
        np.testing.assert_array_equal(panel.params[name], start[name])


def test_the_starting_numbers_solve_xor_with_enough_epochs(panel):
    panel.run_epochs(1500)
    panel.step()                                             # forward with the trained numbers
    predicted = (panel.values["A2"] > 0.5).astype(float)
    np.testing.assert_array_equal(predicted, panel.y)
