"""bpkit/_fast.py (the fused path of train_many and fit) computes what the readable
paths compute: many.train_stepwise, and training.fit's loop (fit(..., fast=False))."""
import numpy as np
import pytest

import bpkit
from bpkit import _fast, many

CASES = [
    dict(sizes=[2, 4, 1], activation="tanh", output="sigmoid", init="xavier", lr=0.5, loss="mse"),
    dict(sizes=[2, 2, 1], activation="sigmoid", output="sigmoid", init="uniform", lr=2.0, loss="mse"),
    dict(sizes=[2, 16, 1], activation="tanh", output="sigmoid", init="xavier", lr=1.0, loss="bce"),
    dict(sizes=[2, 3, 3, 1], activation="relu", output="sigmoid", init="he", lr=0.3, loss="bce"),
    dict(sizes=[2, 5, 4, 1], activation="leaky_relu", output="sigmoid", init="xavier", lr=0.1, loss="mse"),
    dict(sizes=[2, 4, 3, 1], activation="tanh", output="linear", init="xavier", lr=0.05, loss="mse"),
    dict(sizes=[2, 1], activation="tanh", output="sigmoid", init="uniform", lr=0.5, loss="mse"),
]


def case_id(case):
    return "-".join(str(v) for v in case.values())


def split(case):
    case = dict(case)
    sizes = case.pop("sizes")
    net_keys = {k: case.pop(k) for k in ("activation", "output", "init")}
    return sizes, net_keys, case


def assert_same_result(fast, readable):
    np.testing.assert_allclose(fast.loss, readable.loss, rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose(fast.final_loss, readable.final_loss, rtol=1e-10, atol=1e-14)
    np.testing.assert_array_equal(fast.solved, readable.solved)
    np.testing.assert_array_equal(fast.solved_at, readable.solved_at)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_fast_path_agrees_with_the_readable_path(case, xor):
    sizes, net_keys, fit_keys = split(case)
    args = dict(seeds=range(12), epochs=800, **net_keys, **fit_keys)
    assert_same_result(bpkit.train_many(sizes, *xor, fast=True, **args),
                       bpkit.train_many(sizes, *xor, fast=False, **args))


@pytest.mark.parametrize("case", CASES[:4], ids=case_id)
def test_fast_path_follows_each_single_fit(case, xor):
    X, y = xor
    sizes, net_keys, fit_keys = split(case)
    seeds = [0, 5, 17]
    result = bpkit.train_many(sizes, X, y, seeds=seeds, epochs=2000, **net_keys, **fit_keys)
    for i, seed in enumerate(seeds):
        net = bpkit.MLP(sizes, seed=seed, **net_keys)
        history = net.fit(X, y, epochs=2000, fast=False, **fit_keys)
        np.testing.assert_allclose(result.loss[:, i], history.loss, rtol=1e-10, atol=1e-14)
        assert result.final_loss[i] == pytest.approx(net.loss(X, y, loss=fit_keys["loss"]), rel=1e-10, abs=1e-14)
        assert result.solved[i] == bool(np.all(net.predict(X) == y))


def test_many_samples_two_hidden_layers_and_two_outputs():
    X, labels = bpkit.datasets.moons(60, noise=0.2, seed=3)
    y = np.hstack([labels, 1 - labels])          # two outputs: one per class
    args = dict(seeds=range(5), epochs=300, lr=0.5, activation="tanh")
    assert_same_result(bpkit.train_many([2, 8, 6, 2], X, y, fast=True, **args),
                       bpkit.train_many([2, 8, 6, 2], X, y, fast=False, **args))


def test_block_boundaries_change_nothing(xor, monkeypatch):
    args = dict(seeds=range(7), epochs=101)
    whole = bpkit.train_many([2, 4, 1], *xor, **args)
    monkeypatch.setattr(_fast, "BLOCK_BYTES", 8 * 4 * 7 * 9)     # blocks of 9 epochs: 101 = 11·9 + 2
    in_blocks = bpkit.train_many([2, 4, 1], *xor, **args)
    np.testing.assert_array_equal(in_blocks.loss, whole.loss)
    np.testing.assert_array_equal(in_blocks.solved_at, whole.solved_at)


def test_which_runs_take_the_fast_path(xor, monkeypatch):
    calls = []
    original = _fast.train

    def spy(*args, **kwargs):
        calls.append(True)
        return original(*args, **kwargs)

    monkeypatch.setattr(_fast, "train", spy)
    X, y = xor
    for keys, fast in [(dict(), True),
                       (dict(batch_size=4), True),                       # a batch of every sample is full-batch
                       (dict(optimizer=bpkit.optimizers.SGD(0.5)), True),
                       (dict(fast=False), False),
                       (dict(batch_size=2), False),
                       (dict(optimizer="momentum"), False),
                       (dict(optimizer="adam", lr=0.01), False)]:
        calls.clear()
        bpkit.train_many([2, 2, 1], X, y, seeds=[0, 1], epochs=5, **keys)
        assert bool(calls) == fast, keys


def test_full_batch_size_and_optimizer_object_match_single_fits(xor):
    X, y = xor
    result = bpkit.train_many([2, 3, 1], X, y, seeds=[2, 9], epochs=300, batch_size=10,
                              optimizer=bpkit.optimizers.SGD(0.8))
    for i, seed in enumerate([2, 9]):
        history = bpkit.MLP([2, 3, 1], seed=seed).fit(X, y, epochs=300, lr=0.8, batch_size=10)
        np.testing.assert_allclose(result.loss[:, i], history.loss, rtol=1e-10, atol=1e-14)


def test_diverging_seeds_agree():
    X = np.array([[1.0], [2.0]])
    y = np.array([[0.0], [1.0]])
    args = dict(seeds=[0, 1, 2], output="linear", lr=100, epochs=300)
    fast = bpkit.train_many([1, 1], X, y, fast=True, **args)
    readable = bpkit.train_many([1, 1], X, y, fast=False, **args)
    assert fast.diverged.all() and readable.diverged.all()
    np.testing.assert_array_equal(np.isfinite(fast.loss), np.isfinite(readable.loss))
    finite = np.isfinite(readable.loss)
    np.testing.assert_allclose(fast.loss[finite], readable.loss[finite], rtol=1e-10)


def test_folded_biases_give_the_forward_pass_of_each_network(xor):
    """The fused layout (bias as the last row of W̃, a ones column on every input)
    produces exactly MLP.forward for every seed."""
    X, _ = xor
    seeds = [4, 8]
    net, _ = many.stacked_network([2, 3, 2, 1], seeds, "tanh", "sigmoid", "xavier")
    stack = _fast.FusedStack(net, X)
    out = np.empty((len(X), 1, len(seeds)))
    stack.forward(out)
    for i, seed in enumerate(seeds):
        expected = bpkit.MLP([2, 3, 2, 1], seed=seed).forward(X)
        np.testing.assert_allclose(out[:, :, i], expected, rtol=1e-12)


# ---- _fast.fit: one network, as training.fit trains it ----------------------------------

FIT_CASES = CASES[:5] + [dict(sizes=[2, 16, 16, 1], activation="tanh", output="sigmoid", init="xavier",
                              lr=0.5, loss="mse")]


@pytest.mark.parametrize("case", FIT_CASES, ids=case_id)
def test_fused_fit_of_one_network_matches_mlp_fit(case, xor):
    X, y = xor
    sizes, net_keys, fit_keys = split(case)
    readable = bpkit.MLP(sizes, seed=7, **net_keys)
    fused = readable.copy()
    arrays = fused.parameters()
    history = readable.fit(X, y, epochs=1500, fast=False, **fit_keys)
    losses, diverged_at = _fast.fit(fused, X, y, bpkit.losses.get(fit_keys["loss"]), fit_keys["lr"], 1500)
    assert diverged_at is None
    np.testing.assert_allclose(losses, history.loss, rtol=1e-10, atol=1e-14)
    for p, q, same in zip(fused.parameters(), readable.parameters(), arrays):
        assert p is same                  # trained in place, as fit does
        np.testing.assert_allclose(p, q, rtol=1e-10, atol=1e-12)


def test_fused_fit_stops_where_mlp_fit_diverges(monkeypatch):
    X = np.array([[1.0], [2.0]])
    y = np.array([[0.0], [1.0]])
    monkeypatch.setattr(_fast, "BLOCK_BYTES", 8 * 2 * 25)      # blocks of 25 epochs: divergence mid-block
    readable = bpkit.MLP([1, 1], output="linear", seed=0)
    fused = readable.copy()
    with pytest.raises(bpkit.TrainingDiverged) as error:
        readable.fit(X, y, lr=100, epochs=300, fast=False)
    losses, diverged_at = _fast.fit(fused, X, y, bpkit.losses.get("mse"), 100.0, 300)
    assert diverged_at == error.value.epoch and diverged_at % 25 != 0
    assert not np.isfinite(losses[-1]) and len(losses) == diverged_at + 1
    np.testing.assert_allclose(losses[:-1], error.value.history.loss, rtol=1e-10)
    for p, q in zip(fused.parameters(), readable.parameters()):
        np.testing.assert_allclose(p, q, rtol=1e-10)


# ---- training.fit hands plain full-batch gradient descent to _fast.fit -----------------

@pytest.mark.parametrize("case", FIT_CASES, ids=case_id)
def test_fit_gives_the_same_run_with_and_without_the_fast_path(case, xor):
    X, y = xor
    sizes, net_keys, fit_keys = split(case)
    fast, readable = bpkit.MLP(sizes, seed=3, **net_keys), bpkit.MLP(sizes, seed=3, **net_keys)
    np.testing.assert_allclose(fast.fit(X, y, epochs=1000, **fit_keys).loss,
                               readable.fit(X, y, epochs=1000, fast=False, **fit_keys).loss, rtol=1e-10, atol=1e-14)
    for p, q in zip(fast.parameters(), readable.parameters()):
        np.testing.assert_allclose(p, q, rtol=1e-10, atol=1e-12)


def test_fit_raises_the_same_divergence_with_and_without_the_fast_path():
    X, y = bpkit.datasets.xor()
    errors = []
    for fast in (True, False):
        with pytest.raises(bpkit.TrainingDiverged) as error:
            bpkit.MLP([2, 4, 1], output="linear", seed=0).fit(X, y, lr=50, epochs=500, fast=fast)
        errors.append(error.value)
    assert errors[0].epoch == errors[1].epoch and str(errors[0]) == str(errors[1])
    np.testing.assert_allclose(errors[0].history.loss, errors[1].history.loss, rtol=1e-10)


def test_fit_takes_the_fast_path_only_when_nothing_extra_is_asked_for(xor, monkeypatch):
    calls = []
    original = _fast.fit
    monkeypatch.setattr(_fast, "fit", lambda *args: calls.append(1) or original(*args))
    X, y = xor
    net = bpkit.MLP([2, 4, 1], seed=0)
    net.fit(X, y, epochs=10)
    assert calls == [1]
    for extra in (dict(optimizer="momentum"), dict(batch_size=2), dict(track_grad_norms=True),
                  dict(snapshot_every=5), dict(validation_data=(X, y)), dict(fast=False)):
        history = net.fit(X, y, epochs=10, **extra)
        assert calls == [1], extra
        assert len(history.loss) == 10
    assert net.fit(X, y, epochs=10, track_grad_norms=True).grad_norms.shape == (10, 2)
