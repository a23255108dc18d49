"""Training: the four steps of backpropagation, repeated.

    for each epoch:
        1. forward pass     zs, activations = net.forward_pass(X)
        2. loss             C = loss(activations[-1], y)
        3. backward pass    grads = net.backward_pass(activations, y, loss)
        4. update           W ← W − η ∂C/∂W   (or momentum, or Adam)
"""

from dataclasses import dataclass, field

import numpy as np

from . import _fast, _validate, losses, optimizers


class TrainingDiverged(RuntimeError):
    """The loss stopped being a finite number during training.

    Carries ``epoch`` (where it happened), ``lr`` and ``history`` (every
    finite epoch before it), so a plot or a widget can still show the run.
    """

    def __init__(self, epoch, loss_value, lr, history):
        self.epoch, self.loss_value, self.lr, self.history = epoch, loss_value, lr, history
        super().__init__(f"the loss became {loss_value} at epoch {epoch} — the updates grew "
                         f"instead of shrinking. Try a smaller learning rate than lr={lr:g} "
                         f"(for example lr={lr / 10:g}).")


@dataclass
class Snapshot:
    """The network's parameters at the start of one epoch."""
    epoch: int
    weights: list
    biases: list


@dataclass
class History:
    """What happened during ``fit``.

    loss        one value per epoch: the training loss at the start of that epoch
                (with mini-batches, the mean loss over that epoch's batches)
    val_loss    the same on ``validation_data``, or None
    grad_norms  array (epochs, n_layers) of ‖∂C/∂W⁽ˡ⁾‖ per layer, if tracked
    snapshots   a ``Snapshot`` every ``snapshot_every`` epochs, and one at the end
    """
    loss: np.ndarray
    val_loss: np.ndarray = None
    grad_norms: np.ndarray = None
    snapshots: list = field(default_factory=list)

    @property
    def epochs(self):
        return len(self.loss)


def batches(n, batch_size, rng):
    """Index arrays for one epoch: everything at once, or shuffled mini-batches."""
    if batch_size is None or batch_size >= n:
        return [slice(None)]
    order = rng.permutation(n)
    return [order[i:i + batch_size] for i in range(0, n, batch_size)]


def fit(net, X, y, lr=0.5, epochs=5000, loss="mse", optimizer="sgd", batch_size=None,
        validation_data=None, track_grad_norms=False, snapshot_every=None, fast=True):
    """Train ``net`` in place and return its ``History``.

    lr               learning rate η > 0
    epochs           how many passes over the data
    loss             "mse" or "bce"
    optimizer        "sgd", "momentum", "adam", or an optimiser object (its state goes on)
    batch_size       None for full-batch gradient descent; else shuffled mini-batches
    validation_data  (X_val, y_val) to record a validation loss every epoch
    track_grad_norms record ‖∂C/∂W⁽ˡ⁾‖ of every layer every epoch
    snapshot_every   keep a copy of the weights every k epochs (for animations)
    fast             plain full-batch gradient descent with nothing extra recorded goes
                     through ``_fast.py``: the same arithmetic with fewer NumPy calls,
                     tested to agree to ~1e-10. (The additions happen in another order,
                     so the last digit can differ; a long run that is sensitive to tiny
                     changes can then drift apart.) ``fast=False`` always runs the loop below.

    Raises ``TrainingDiverged`` if the loss becomes NaN or inf.
    """
    lr = _validate.positive_number("lr", lr)
    epochs = _validate.positive_int("epochs", epochs)
    loss = losses.get(loss)
    X, y = _validate.as_inputs_and_targets(X, y, net.sizes[0], net.sizes[-1])
    losses.check_targets(loss, y)
    if batch_size is not None:
        batch_size = _validate.positive_int("batch_size", batch_size)
    if snapshot_every is not None:
        snapshot_every = _validate.positive_int("snapshot_every", snapshot_every)
    if validation_data is not None:
        X_val, y_val = _validate.as_inputs_and_targets(*validation_data, net.sizes[0], net.sizes[-1])
    optimizer = optimizers.make(optimizer, lr)
    records_nothing_extra = validation_data is None and not track_grad_norms and not snapshot_every
    if fast and records_nothing_extra and _fast.applies(optimizer, batch_size, len(X)):
        return _fit_fused(net, X, y, loss, optimizer.lr, epochs, lr)

    history = History(loss=np.empty(epochs))
    if validation_data is not None:
        history.val_loss = np.empty(epochs)
    if track_grad_norms:
        history.grad_norms = np.empty((epochs, net.n_layers))

    with np.errstate(over="ignore", invalid="ignore"):
        for epoch in range(epochs):
            if snapshot_every and epoch % snapshot_every == 0:
                history.snapshots.append(_snapshot(net, epoch))
            if validation_data is not None:
                history.val_loss[epoch] = loss(net.forward_pass(X_val)[1][-1], y_val)

            epoch_loss = 0.0
            for rows in batches(len(X), batch_size, net.rng):
                X_batch, y_batch = X[rows], y[rows]
                _, acts = net.forward_pass(X_batch)                  # 1. forward pass
                batch_loss = loss(acts[-1], y_batch)                 # 2. loss
                grads = net.backward_pass(acts, y_batch, loss)        # 3. backward pass
                optimizer.step(net.parameters(), [g for pair in grads for g in pair])  # 4. update
                epoch_loss += batch_loss * len(X_batch) / len(X)

            if not np.isfinite(epoch_loss):
                _truncate(history, epoch)
                raise TrainingDiverged(epoch, epoch_loss, lr, history)
            history.loss[epoch] = epoch_loss
            if track_grad_norms:
                history.grad_norms[epoch] = [np.linalg.norm(dW) for dW, _ in grads]

    if snapshot_every:
        history.snapshots.append(_snapshot(net, epochs))
    return history


def _fit_fused(net, X, y, loss, step_size, epochs, lr):
    """The loop above for plain full-batch gradient descent, run by ``_fast.fit``."""
    loss_per_epoch, diverged_at = _fast.fit(net, X, y, loss, step_size, epochs)
    if diverged_at is not None:
        history = History(loss=loss_per_epoch[:diverged_at])
        raise TrainingDiverged(diverged_at, loss_per_epoch[diverged_at], lr, history)
    return History(loss=loss_per_epoch)


def _snapshot(net, epoch):
    return Snapshot(epoch, [W.copy() for W in net.weights], [b.copy() for b in net.biases])


def _truncate(history, epochs_done):
    history.loss = history.loss[:epochs_done]
    if history.val_loss is not None:
        history.val_loss = history.val_loss[:epochs_done]
    if history.grad_norms is not None:
        history.grad_norms = history.grad_norms[:epochs_done]
