"""fit: the loss goes down, optimisers and options work, divergence is reported."""
import numpy as np
import pytest

import bpkit


def test_loss_decreases_with_full_batch_gradient_descent(xor):
    X, y = xor
    history = bpkit.MLP([2, 4, 1], seed=1).fit(X, y, lr=0.1, epochs=300)
    assert history.loss.shape == (300,)
    assert np.all(np.diff(history.loss) < 0)    # small lr, full batch: monotone


def test_history_loss_is_the_loss_before_each_update(xor):
    X, y = xor
    net = bpkit.MLP([2, 3, 1], seed=2)
    first = net.loss(X, y)
    history = net.fit(X, y, epochs=5)
    assert history.loss[0] == first
    again = bpkit.MLP([2, 3, 1], seed=2)
    again.fit(X, y, epochs=4)
    assert history.loss[4] == pytest.approx(again.loss(X, y), rel=1e-14)


def test_one_sgd_step_by_hand(xor):
    X, y = xor
    net = bpkit.MLP([2, 3, 1], seed=3)
    _, grads = net.loss_and_grads(X, y)
    expected = [W - 0.7 * dW for W, (dW, _) in zip(net.weights, grads)]
    net.fit(X, y, lr=0.7, epochs=1)
    for W, E in zip(net.weights, expected):
        np.testing.assert_allclose(W, E, rtol=1e-14)


@pytest.mark.parametrize("optimizer, lr", [("sgd", 0.5), ("momentum", 0.1), ("adam", 0.05)])
def test_every_optimizer_solves_xor(xor, optimizer, lr):
    X, y = xor
    net = bpkit.MLP([2, 4, 1], seed=0)
    net.fit(X, y, lr=lr, epochs=3000, optimizer=optimizer)
    np.testing.assert_array_equal(net.predict(X), y)


def test_momentum_and_adam_first_steps_by_hand():
    p, g = np.array([1.0]), np.array([2.0])
    opt = bpkit.optimizers.Momentum(lr=0.1, beta=0.9)
    opt.step([p], [g])            # v = −0.2
    opt.step([p], [g])            # v = 0.9·(−0.2) − 0.2 = −0.38
    assert p[0] == pytest.approx(1 - 0.2 - 0.38)
    p = np.array([1.0])
    adam = bpkit.optimizers.Adam(lr=0.1)
    adam.step([p], [g])           # first Adam step moves by lr·sign(g)
    assert p[0] == pytest.approx(0.9, rel=1e-6)


def test_mini_batches_are_seeded_and_train(xor):
    X, y = xor
    runs = [bpkit.MLP([2, 4, 1], seed=5).fit(X, y, epochs=200, batch_size=1).loss for _ in range(2)]
    np.testing.assert_array_equal(runs[0], runs[1])
    assert runs[0][-1] < runs[0][0]


def test_bce_training_solves_xor(xor):
    X, y = xor
    net = bpkit.MLP([2, 4, 1], seed=0)
    history = net.fit(X, y, lr=0.5, epochs=2000, loss="bce")
    np.testing.assert_array_equal(net.predict(X), y)
    assert history.loss[-1] < 0.05


def test_validation_grad_norms_and_snapshots(xor):
    X, y = xor
    net = bpkit.MLP([2, 3, 3, 1], seed=1)
    history = net.fit(X, y, epochs=50, validation_data=(X, y), track_grad_norms=True, snapshot_every=20)
    np.testing.assert_allclose(history.val_loss, history.loss)   # same data, same moment
    assert history.grad_norms.shape == (50, 3) and np.all(history.grad_norms >= 0)
    assert [s.epoch for s in history.snapshots] == [0, 20, 40, 50]
    np.testing.assert_array_equal(history.snapshots[-1].weights[0], net.weights[0])
    fresh = bpkit.MLP([2, 3, 3, 1], seed=1)
    np.testing.assert_array_equal(history.snapshots[0].weights[0], fresh.weights[0])
    _, grads = fresh.loss_and_grads(X, y)
    np.testing.assert_allclose(history.grad_norms[0], [np.linalg.norm(dW) for dW, _ in grads])


def test_default_path_records_nothing_extra(xor):
    history = bpkit.MLP([2, 2, 1]).fit(*xor, epochs=3)
    assert history.val_loss is None and history.grad_norms is None and history.snapshots == []


def test_divergence_names_the_epoch_and_suggests_a_smaller_lr():
    X = np.array([[1.0], [2.0], [3.0]])
    y = np.array([[2.0], [4.0], [6.0]])
    net = bpkit.MLP([1, 1], output="linear", seed=0)
    with pytest.raises(bpkit.TrainingDiverged, match=r"the loss became (inf|nan) at epoch \d+ .*smaller learning rate than lr=50") as info:
        net.fit(X, y, lr=50, epochs=5000)
    err = info.value
    assert err.epoch > 0 and len(err.history.loss) == err.epoch
    assert np.all(np.isfinite(err.history.loss)) and err.history.loss[-1] > err.history.loss[0]


def test_linear_regression_recovers_the_line():
    X = np.linspace(-1, 1, 20).reshape(-1, 1)
    y = 3 * X - 1
    net = bpkit.MLP([1, 1], output="linear")
    net.fit(X, y, lr=0.5, epochs=500)
    assert net.weights[0][0, 0] == pytest.approx(3, abs=1e-6)
    assert net.biases[0][0] == pytest.approx(-1, abs=1e-6)


def test_optimizer_object_keeps_its_state_across_calls(xor):
    X, y = xor
    once = bpkit.MLP([2, 3, 1], seed=3)
    once.fit(X, y, epochs=20, optimizer=bpkit.optimizers.Adam(0.05))
    twice = bpkit.MLP([2, 3, 1], seed=3)
    adam = bpkit.optimizers.Adam(0.05)
    twice.fit(X, y, epochs=10, optimizer=adam)
    twice.fit(X, y, epochs=10, optimizer=adam)
    np.testing.assert_allclose(once.weights[0], twice.weights[0], rtol=1e-13)
