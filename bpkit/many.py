"""Train many copies of one network at once, one per seed.

"How often does this architecture solve XOR?" needs hundreds of runs. Instead
of a Python loop over seeds, we stack the networks along a last *seed axis*:

    weights[l]   (n_in, n_out, S)      one (n_in, n_out) matrix per seed
    biases[l]    (n_out, S)
    activations  (n_samples, n_units, S)

and write the matrix products as broadcast-and-sum, so one NumPy call serves
every seed. The arithmetic is the same as ``MLP.fit``: seed s here follows
exactly the trajectory of ``MLP(sizes, ..., seed=s).fit(...)`` (the tests
check this to 1e-10).

This file is the readable version. For full-batch plain gradient descent,
``train_many`` hands the same computation to ``_fast.py``, which makes fewer
and bigger NumPy calls (docs/performance.md measures both); ``fast=False``
keeps it here.
"""

from dataclasses import dataclass

import numpy as np

from . import _fast, _validate, losses, optimizers
from .network import MLP
from .training import batches


@dataclass
class ManyResult:
    """Per-seed outcome of ``train_many`` (every array has one entry per seed).

    solved      every output on the right side of 0.5 after training
    solved_at   after how many epochs every output was first on the right side
                (0: already at the start), or -1 if never
    final_loss  the loss after the last update (NaN or inf if the run diverged)
    loss        array (epochs, S): each seed's loss at the start of every epoch
    """
    seeds: np.ndarray
    solved: np.ndarray
    solved_at: np.ndarray
    final_loss: np.ndarray
    loss: np.ndarray

    @property
    def success_rate(self):
        """Fraction of seeds that solved the task."""
        return float(np.mean(self.solved))

    @property
    def diverged(self):
        """Seeds whose loss stopped being finite."""
        return ~np.isfinite(self.final_loss)

    def __repr__(self):
        return (f"ManyResult({len(self.seeds)} seeds, success_rate={self.success_rate:.2f}, "
                f"median final_loss={np.nanmedian(self.final_loss):.3g})")


# The three matrix products of backprop, for every seed s at once. In
# einsum's notation each letter is an axis and repeated letters are summed:
# n samples, i units in, j units out, s seeds.

def matmul_per_seed(A, W):
    """z = A @ W per seed: z[n, j, s] = Σ_i A[n, i, s] W[i, j, s]."""
    return np.einsum("nis,ijs->njs", A, W)


def weight_gradient_per_seed(A, delta):
    """dW = Aᵀ δ per seed: dW[i, j, s] = Σ_n A[n, i, s] δ[n, j, s]."""
    return np.einsum("nis,njs->ijs", A, delta)


def delta_back_per_seed(delta, W):
    """δ Wᵀ per seed: out[n, i, s] = Σ_j δ[n, j, s] W[i, j, s]."""
    return np.einsum("njs,ijs->nis", delta, W)


def loss_per_seed(loss, a, y):
    """The loss of every seed: outputs a of shape (n, k, S) give shape (S,).

    (A stack of outputs of shape (epochs, n, k, S) gives one loss per epoch and seed.)
    """
    n = a.shape[-3]
    if loss.name == "mse":
        return ((y - a) ** 2).sum(axis=(-3, -2)) / (2 * n)
    a = np.clip(a, losses.EPSILON, 1 - losses.EPSILON)
    return -(y * np.log(a) + (1 - y) * np.log(1 - a)).sum(axis=(-3, -2)) / n


def forward_pass(net, A):
    """``MLP.forward_pass`` with a seed axis on everything."""
    zs, acts = [], [A]
    for l, (W, b) in enumerate(zip(net.weights, net.biases)):
        z = matmul_per_seed(acts[-1], W) + b
        zs.append(z)
        acts.append(net.activation_of_layer(l)(z))
    return zs, acts


def backward_pass(net, acts, y, loss):
    """``MLP.backward_pass`` with a seed axis on everything."""
    grads = [None] * net.n_layers
    f = net.activation
    delta = net.output_delta(acts[-1], y, loss)
    for l in reversed(range(net.n_layers)):
        dW = weight_gradient_per_seed(acts[l], delta)
        db = delta.sum(axis=0)
        grads[l] = (dW, db)
        if l > 0:
            delta = delta_back_per_seed(delta, net.weights[l]) * f.derivative_from_output(acts[l])
    return grads


def stacked_network(sizes, seeds, activation, output, init):
    """One object that looks like an MLP whose arrays carry a last seed axis,
    each seed initialised exactly as ``MLP(..., seed=s)`` would be."""
    nets = [MLP(sizes, activation=activation, output=output, init=init, seed=s) for s in seeds]
    stack = nets[0].copy()
    stack.weights = [np.stack([n.weights[l] for n in nets], axis=-1) for l in range(stack.n_layers)]
    stack.biases = [np.stack([n.biases[l] for n in nets], axis=-1) for l in range(stack.n_layers)]
    return stack, [n.rng for n in nets]


def train_many(sizes, X, y, seeds=range(100), activation="tanh", output="sigmoid", init="xavier",
               lr=0.5, epochs=5000, loss="mse", optimizer="sgd", batch_size=None, fast=True):
    """Train one network per seed, all at once, and report who solved the task.

    Takes the same keywords as ``MLP`` and ``MLP.fit``. "Solved" means every
    output is on the right side of 0.5 (so it suits 0/1 targets).

    fast   full-batch plain gradient descent goes through ``_fast.py``, which
           computes the same numbers, up to rounding, with fewer NumPy calls (tested to agree);
           ``fast=False`` always runs the readable ``train_stepwise`` below.

    >>> X, y = bpkit.datasets.xor()
    >>> bpkit.train_many([2, 2, 1], X, y, seeds=range(100), activation="sigmoid").success_rate
    """
    seeds = np.array([_validate.seed(s) for s in seeds], dtype=int)
    if len(seeds) == 0:
        raise ValueError("seeds must hold at least one seed, got an empty sequence")
    lr = _validate.positive_number("lr", lr)
    epochs = _validate.positive_int("epochs", epochs)
    loss = losses.get(loss)
    net, rngs = stacked_network(_validate.layer_sizes(sizes), seeds, activation, output, init)
    X, y = _validate.as_inputs_and_targets(X, y, net.sizes[0], net.sizes[-1])
    losses.check_targets(loss, y)
    if batch_size is not None:
        batch_size = _validate.positive_int("batch_size", batch_size)
    optimizer = optimizers.make(optimizer, lr)

    if fast and _fast.applies(optimizer, batch_size, len(X)):
        history, right, final_loss = _fast.train(net, X, y, loss, optimizer.lr, epochs)
    else:
        history, right, final_loss = train_stepwise(net, rngs, X, y, loss, optimizer, epochs, batch_size)

    solved = right[epochs] & np.isfinite(final_loss)
    solved_at = np.where(right.any(axis=0), right.argmax(axis=0), -1)
    return ManyResult(seeds, solved, solved_at, final_loss, history)


def train_stepwise(net, rngs, X, y, loss, optimizer, epochs, batch_size):
    """The training loop of ``MLP.fit``, for every seed at once.

    Returns ``(history, right, final_loss)``: history (epochs, S) holds each seed's
    loss at the start of every epoch, right (epochs + 1, S) whether every output was
    on the right side after e epochs, final_loss (S,) the loss after the last update.
    """
    S, n = net.weights[0].shape[-1], len(X)
    X3, y3 = X[:, :, None], y[:, :, None]       # add a seed axis of length 1: it broadcasts
    history = np.empty((epochs, S))
    right = np.empty((epochs + 1, S), dtype=bool)   # right[e]: all outputs right after e epochs

    with np.errstate(over="ignore", invalid="ignore"):
        for epoch in range(epochs):
            if batch_size is None:
                history[epoch], out = train_step(net, optimizer, X3, y3, loss)
                right[epoch] = on_right_side(out, y3)       # out is from before this epoch's update
            else:
                if epoch == 0:
                    right[0] = on_right_side(forward_pass(net, X3)[1][-1], y3)
                history[epoch] = 0.0
                for rows in per_seed_batches(n, batch_size, rngs):
                    X_b, y_b = gather(X3, rows), gather(y3, rows)
                    history[epoch] += train_step(net, optimizer, X_b, y_b, loss)[0] * len(X_b) / n
                right[epoch + 1] = on_right_side(forward_pass(net, X3)[1][-1], y3)

        out = forward_pass(net, X3)[1][-1]
        final_loss = loss_per_seed(loss, out, y3)
        right[epochs] = on_right_side(out, y3)
    return history, right, final_loss


def train_step(net, optimizer, X, y, loss):
    """Forward pass, loss, backward pass and update, for every seed at once.
    Returns each seed's loss and output from *before* the update."""
    acts = forward_pass(net, X)[1]
    grads = backward_pass(net, acts, y, loss)
    optimizer.step(net.parameters(), [g for pair in grads for g in pair])
    return loss_per_seed(loss, acts[-1], y), acts[-1]


def on_right_side(out, y):
    """For each seed: is every output on the same side of 0.5 as its target?
    (out has shape (n, k, S), or (epochs, n, k, S) for one answer per epoch and seed.)"""
    return np.all((out > 0.5) == (y > 0.5), axis=(-3, -2))


def per_seed_batches(n, batch_size, rngs):
    """Like ``training.batches`` for every seed: full batch, or an (B, S) index array
    per mini-batch drawn from each seed's own generator (as ``MLP.fit`` would)."""
    if batch_size is None or batch_size >= n:
        return [slice(None)]
    orders = np.stack([np.concatenate(batches(n, batch_size, rng)) for rng in rngs], axis=-1)
    return [orders[i:i + batch_size] for i in range(0, n, batch_size)]


def gather(array3, rows):
    """Pick the rows of a (n, k, 1) array for each seed: rows is a slice or a (B, S) index."""
    if isinstance(rows, slice):
        return array3
    return np.moveaxis(array3[rows, :, 0], 1, 2)   # (B, S, k) -> (B, k, S)
