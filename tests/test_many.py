"""train_many: every seed follows the same trajectory as a single fit."""
import numpy as np
import pytest

import bpkit

CASES = [
    dict(sizes=[2, 4, 1], activation="tanh", output="sigmoid", init="xavier", lr=0.5, loss="mse", optimizer="sgd"),
    dict(sizes=[2, 2, 1], activation="sigmoid", output="sigmoid", init="uniform", lr=2.0, loss="mse", optimizer="sgd"),
    dict(sizes=[2, 3, 3, 1], activation="relu", output="sigmoid", init="he", lr=0.3, loss="bce", optimizer="momentum"),
    dict(sizes=[2, 5, 1], activation="leaky_relu", output="sigmoid", init="xavier", lr=0.02, loss="bce", optimizer="adam"),
    dict(sizes=[2, 4, 1], activation="tanh", output="sigmoid", init="xavier", lr=0.3, loss="mse", optimizer="sgd", batch_size=2),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: "-".join(str(v) for v in c.values()))
def test_each_seed_matches_a_single_fit(case, xor):
    X, y = xor
    case = dict(case)
    sizes = case.pop("sizes")
    net_keys = {k: case.pop(k) for k in ("activation", "output", "init")}
    seeds = [0, 3, 11]
    result = bpkit.train_many(sizes, X, y, seeds=seeds, epochs=1500, **net_keys, **case)
    for i, seed in enumerate(seeds):
        net = bpkit.MLP(sizes, seed=seed, **net_keys)
        history = net.fit(X, y, epochs=1500, **case)
        np.testing.assert_allclose(result.loss[:, i], history.loss, rtol=1e-10, atol=1e-14)
        assert result.final_loss[i] == pytest.approx(net.loss(X, y, loss=case["loss"]), rel=1e-10, abs=1e-14)
        assert result.solved[i] == bool(np.all(net.predict(X) == y))


def test_solved_at_is_the_first_epoch_with_every_output_right(xor):
    X, y = xor
    result = bpkit.train_many([2, 4, 1], X, y, seeds=[1], epochs=600)
    at = result.solved_at[0]
    assert 0 < at < 600
    net = bpkit.MLP([2, 4, 1], seed=1)
    net.fit(X, y, epochs=at)
    np.testing.assert_array_equal(net.predict(X), y)
    net = bpkit.MLP([2, 4, 1], seed=1)
    net.fit(X, y, epochs=at - 1)
    assert np.any(net.predict(X) != y)


def test_success_rates_tell_architectures_apart(xor):
    X, y = xor
    wide = bpkit.train_many([2, 4, 1], X, y, seeds=range(100), epochs=3000)
    narrow = bpkit.train_many([2, 2, 1], X, y, seeds=range(100), activation="sigmoid", init="uniform",
                              lr=2.0, epochs=5000)
    assert wide.success_rate >= 0.97
    assert 0.65 < narrow.success_rate < 0.95      # about one seed in five gets stuck
    assert np.all(wide.solved_at[wide.solved] >= 0)
    stuck = ~narrow.solved
    assert np.all(narrow.final_loss[stuck] > narrow.final_loss[narrow.solved].max())


def test_unsolved_and_diverged_seeds(xor):
    X, y = xor
    result = bpkit.train_many([2, 1], X, y, seeds=range(5), epochs=500)    # no hidden layer: XOR impossible
    assert result.success_rate == 0 and not result.solved.any()
    X1 = np.array([[1.0], [2.0]])
    y1 = np.array([[0.0], [1.0]])
    blown = bpkit.train_many([1, 1], X1, y1, seeds=[0, 1], output="linear", lr=100, epochs=300)
    assert blown.diverged.all() and blown.success_rate == 0


def test_seeds_are_validated(xor):
    with pytest.raises(ValueError, match="at least one seed"):
        bpkit.train_many([2, 2, 1], *xor, seeds=[])
    with pytest.raises(TypeError, match="seed must be a whole number"):
        bpkit.train_many([2, 2, 1], *xor, seeds=[0.5])
