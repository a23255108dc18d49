"""Panels for lesson 07, *When training goes wrong*.

Three panels, each a ``Panel`` with the learning rate and the activation among
its controls:

    gradient_panel      a deep network on XOR: pre-activations z of the hidden
                        units, ‖∂C/∂W⁽ˡ⁾‖ per layer at the start and during
                        training, and the loss curve
    stuck_runs_panel    one seed of a small network on XOR: its loss curve and
                        its decision boundary, solved or stuck
    input_scaling_panel one feature multiplied by a scale, raw or standardised:
                        the loss curve and the decision boundary

and the small helpers they (and the lesson) use.
"""

import numpy as np

from .. import initializers, plots
from ..network import MLP
from ..training import TrainingDiverged
from ._panel import Panel, dropdown, int_slider, log_slider, new_figure

ACTIVATIONS = ["sigmoid", "tanh", "relu"]
INITS = ["uniform", "xavier", "he"]
SATURATION_THRESHOLD = 4.0   # |z| > 4: σ'(z) < 0.018 and tanh'(z) < 0.0014 — the flat tails
LAYER_CMAP = "viridis"
DISPLAY_CEILING = 1e100      # larger numbers are drawn at this height


# ---- helpers ---------------------------------------------------------------

def scaled_init(name, scale):
    """An initialiser that draws W as ``name`` does, then multiplies it by ``scale``.

    W = scale · W_name. ``scale`` > 1 makes the weights too large, < 1 too small.
    """
    base = initializers.get(name)
    if not scale > 0:
        raise ValueError(f"scale must be a positive number, got {scale!r}")

    def initialize(n_in, n_out, rng):
        return scale * base(n_in, n_out, rng)

    initialize.__name__ = f"{name}_times_{scale:g}"
    return initialize


def deep_sizes(depth, width=8, n_in=2, n_out=1):
    """Layer sizes with ``depth`` hidden layers of ``width`` units: [2, 8, …, 8, 1]."""
    return [n_in] + [width] * depth + [n_out]


def hidden_preactivations(net, X):
    """Every hidden unit's weighted input z on every sample, as one flat array."""
    zs, _ = net.forward_pass(X)
    return np.concatenate([z.ravel() for z in zs[:-1]])


def saturated_fraction(z, threshold=SATURATION_THRESHOLD):
    """The fraction of values with |z| > threshold: units sitting on a flat tail."""
    return float(np.mean(np.abs(np.asarray(z)) > threshold))


def gradient_norms(net, X, y, loss="mse"):
    """‖∂C/∂W⁽ˡ⁾‖ (Frobenius norm) for every layer l, at the network's current weights."""
    _, grads = net.loss_and_grads(X, y, loss=loss)
    return np.array([np.linalg.norm(dW) for dW, _ in grads])


def train_tracked(net, X, y, lr, epochs, loss="mse", optimizer="sgd"):
    """Train with gradient norms tracked. Returns ``(history, error)``: the error is
    the ``TrainingDiverged`` if the run blew up (history then holds the finite epochs)."""
    try:
        return net.fit(X, y, lr=lr, epochs=epochs, loss=loss, optimizer=optimizer,
                       track_grad_norms=True), None
    except TrainingDiverged as error:
        return error.history, error


def lr_sweep(sizes, X, y, lrs, seeds=range(5), **options):
    """The final loss of ``train_many`` for every learning rate: array (len(lrs), len(seeds)).
    A run that diverged has final loss inf or NaN."""
    from ..many import train_many
    return np.array([train_many(sizes, X, y, seeds=seeds, lr=lr, **options).final_loss for lr in lrs])


def capped(values, ceiling=DISPLAY_CEILING):
    """Values clipped at ``ceiling`` for drawing: a log axis cannot span up to 1e308."""
    return np.minimum(values, ceiling)


def set_log_limits(ax, values, floor=1e-12, ceiling=DISPLAY_CEILING):
    """Fit a log y-axis to ``values`` (finite, positive), even when they grow huge."""
    values = np.asarray(values, dtype=float)
    values = values[np.isfinite(values) & (values > 0)]
    if len(values):
        ax.set_ylim(max(values.min(), floor) / 2, min(values.max(), ceiling) * 2)


def outputs_text(outputs):
    """The network's outputs as one short line: "0.02, 0.98, 0.98, 0.02"."""
    return ", ".join(f"{a:.2f}" for a in np.ravel(outputs))


def loss_text(value):
    """A loss value for a message: 4 decimals when readable that way, else powers of ten."""
    return f"{value:.4f}" if 1e-3 <= value < 1e3 else f"{value:.2e}"


# ---- drawing -----------------------------------------------------------------

def layer_colors(n_layers):
    import matplotlib
    cmap = matplotlib.colormaps[LAYER_CMAP]
    return [cmap(i / max(n_layers - 1, 1) * 0.85) for i in range(n_layers)]


def draw_gradient_bars(ax, norms, title="gradient size per layer, epoch 0"):
    """One bar per layer: ‖∂C/∂W⁽ˡ⁾‖ on a log axis (layer 1 is next to the input)."""
    layers = np.arange(1, len(norms) + 1)
    bars = ax.bar(layers, np.maximum(norms, 1e-300), color=layer_colors(len(norms)), edgecolor="black")
    ax.set_yscale("log")
    ax.set_xticks(layers)
    ax.set_xlabel("layer (1 = next to the input)")
    ax.set_ylabel(r"$\|\partial C/\partial W^{(l)}\|$")
    ax.set_title(title)
    ax.grid(True, axis="y", alpha=0.3)
    return bars


def draw_gradient_history(ax, grad_norms, title="gradient size per layer, during training", legend=True):
    """‖∂C/∂W⁽ˡ⁾‖ per epoch, one line per layer, on a log axis."""
    lines = []
    colors = layer_colors(grad_norms.shape[1])
    for l in range(grad_norms.shape[1]):
        lines += ax.plot(grad_norms[:, l], color=colors[l], label=f"layer {l + 1}")
    ax.set_yscale("log")
    ax.set_xlabel("epoch")
    ax.set_ylabel(r"$\|\partial C/\partial W^{(l)}\|$")
    ax.set_title(title)
    ax.grid(True, alpha=0.3)
    if legend:
        ax.legend(fontsize="x-small", ncol=2, loc="best")
    return lines


def draw_preactivations(ax, z, threshold=SATURATION_THRESHOLD):
    """Histogram of the hidden units' z, with the flat tails |z| > threshold shaded."""
    limit = max(10.0, float(np.abs(z).max()) * 1.05)
    ax.hist(np.clip(z, -limit, limit), bins=40, range=(-limit, limit), color="#718096", edgecolor="white")
    for side in (-1, 1):
        ax.axvspan(side * threshold, side * limit, color="#c53030", alpha=0.12)
    ax.set_xlim(-limit, limit)
    ax.set_xlabel("weighted input $z$ of a hidden unit")
    ax.set_ylabel("count")
    ax.set_title(f"hidden z at the start: {saturated_fraction(z, threshold):.0%} with |z| > {threshold:g}")


# ---- panel 1: gradients of a deep network ----------------------------------

def gradient_panel(X, y, depth=5, activation="sigmoid", output="sigmoid", lr=1.0, init="xavier",
                   scale=1.0, epochs=600, width=8, seed=0):
    """A deep network on (X, y): how big is each layer's gradient, and does it learn?

    Controls: learning rate, activation, output, hidden layers, initialiser, weight scale.
    Views: hidden pre-activations z at the start, ‖∂C/∂W⁽ˡ⁾‖ per layer at epoch 0 and
    during training, and the loss curve (MSE).
    """
    fig, axes = new_figure(2, 2, width=4.4, height=3.1)
    (ax_z, ax_bars), (ax_history, ax_loss) = axes

    def update(lr, activation, output, depth, init, scale):
        net = MLP(deep_sizes(depth, width), activation=activation, output=output,
                  init=scaled_init(init, scale), seed=seed)
        z = hidden_preactivations(net, X)
        start_norms = gradient_norms(net, X, y)
        history, error = train_tracked(net, X, y, lr, epochs)
        for ax in axes.ravel():
            ax.clear()
        draw_preactivations(ax_z, z)
        draw_gradient_bars(ax_bars, start_norms)
        if history.epochs > 0:
            grad_norms, loss = capped(history.grad_norms), capped(history.loss)
            draw_gradient_history(ax_history, grad_norms)
            set_log_limits(ax_history, grad_norms)
            plots.loss_curve(ax_loss, loss)
            set_log_limits(ax_loss, loss)
        ax_history.set_xlim(0, epochs)
        ax_loss.set_xlim(0, epochs)
        ax_loss.set_xlabel("epoch")
        ax_loss.set_title(f"training loss (MSE), lr = {lr:.3g}")
        if error is not None:
            ax_loss.set_title(f"training loss: diverged at epoch {error.epoch}", color="#b91c1c")
            raise error
        ratio = start_norms[0] / start_norms[-1]
        text = (f"At the start, layer 1's gradient is {ratio:.1e} × the output layer's. "
                f"Loss {loss_text(history.loss[0])} → {loss_text(history.loss[-1])} after {epochs} epochs.")
        if history.loss[-1] > history.loss[0]:
            text += " The loss grew: try a smaller learning rate."
        return text

    controls = {
        "lr": log_slider("learning rate", lr, -3, 2),
        "activation": dropdown("hidden activation", ACTIVATIONS, activation),
        "output": dropdown("output", ["sigmoid", "linear"], output),
        "depth": int_slider("hidden layers", depth, 1, 6),
        "init": dropdown("initialiser", INITS, init),
        "scale": log_slider("weight scale", scale, -2, 1.5),
    }
    return Panel(controls, fig, update, title=f"Gradients in a deep network ({width} units per hidden layer)")


# ---- panel 2: one seed, solved or stuck ----------------------------------------

def stuck_runs_panel(X, y, hidden=2, activation="sigmoid", init="uniform", lr=2.0, epochs=4000, seed=6,
                     max_seed=99):
    """One seed of a [2, hidden, 1] network on (X, y): its loss curve and decision map.

    Controls: learning rate, activation, hidden units, initialiser, seed, epochs.
    The message says whether the run solved the task (every output on the right
    side of 0.5) and prints the outputs.
    """
    fig, (ax_loss, ax_map) = new_figure(2, 1, width=4.4, height=3.6)
    curve, = ax_loss.plot([], [], color=plots.TRAIN_COLOR)
    ax_loss.set_yscale("log")
    ax_loss.set_xlabel("epoch")
    ax_loss.set_ylabel("loss (MSE)")
    ax_loss.grid(True, alpha=0.3)
    decision = plots.DecisionMap(ax_map, X, y, lambda points: np.full(len(points), 0.5), steps=90)

    def update(lr, activation, hidden, init, seed, epochs):
        net = MLP([X.shape[1], hidden, 1], activation=activation, output="sigmoid", init=init, seed=seed)
        try:
            history = net.fit(X, y, lr=lr, epochs=epochs)
        except TrainingDiverged as error:      # possible with relu and a huge learning rate
            curve.set_data(np.arange(error.history.epochs), error.history.loss)
            raise
        curve.set_data(np.arange(history.epochs), history.loss)
        ax_loss.set_xlim(0, epochs)
        ax_loss.set_ylim(max(history.loss.min() * 0.5, 1e-5), 0.5)
        decision.update(net.forward)
        outputs = net.forward(X).ravel()
        right = int(np.sum((outputs > 0.5) == (y.ravel() > 0.5)))
        solved = right == len(y)
        verdict = "solved" if solved else "stuck"
        ax_loss.set_title(f"seed {seed}: {verdict}", color="#1f2937" if solved else "#b91c1c")
        ax_map.set_title(f"[2, {hidden}, 1] {activation}, {right} of {len(y)} points right")
        return (f"seed {seed}, lr={lr:.3g}, {epochs} epochs: {verdict} — {right} of {len(y)} points on the "
                f"right side of 0.5; outputs {outputs_text(outputs)}; final loss {history.loss[-1]:.4f}")

    controls = {
        "lr": log_slider("learning rate", lr, -1, 1.3),
        "activation": dropdown("hidden activation", ACTIVATIONS, activation),
        "hidden": int_slider("hidden units", hidden, 2, 6),
        "init": dropdown("initialiser", INITS, init),
        "seed": int_slider("seed", seed, 0, max_seed),
        "epochs": int_slider("epochs", epochs, 1000, 8000, step=1000),
    }
    return Panel(controls, fig, update, title="One seed on XOR: solved or stuck?")


# ---- panel 3: badly scaled inputs ----------------------------------------------

def scale_feature(X, scale, column=1):
    """X with one column multiplied by ``scale`` (a badly scaled measurement)."""
    X = np.array(X, dtype=float)
    X[:, column] *= scale
    return X


def input_scaling_panel(X, y, scale=100.0, inputs="raw", lr=0.3, activation="tanh", hidden=8,
                        epochs=1000, seed=0):
    """A [2, hidden, 1] network (cross-entropy) on (X, y) whose second feature is
    multiplied by ``scale``, fed raw or standardised.

    Controls: learning rate, activation, feature scale, raw/standardised.
    The decision map is drawn in the original coordinates, so the pictures compare.
    """
    fig, (ax_loss, ax_map) = new_figure(2, 1, width=4.4, height=3.6)
    curve, = ax_loss.plot([], [], color=plots.TRAIN_COLOR)
    ax_loss.set_yscale("log")
    ax_loss.set_xlabel("epoch")
    ax_loss.set_ylabel("loss (cross-entropy)")
    ax_loss.grid(True, alpha=0.3)
    decision = plots.DecisionMap(ax_map, X, y, lambda points: np.full(len(points), 0.5), steps=90)

    def update(lr, activation, scale, inputs):
        X_scaled = scale_feature(X, scale)
        mean, std = X_scaled.mean(axis=0), X_scaled.std(axis=0)
        if inputs == "raw":
            mean, std = np.zeros(2), np.ones(2)

        def network_input(points):
            return (scale_feature(points, scale) - mean) / std

        net = MLP([2, hidden, 1], activation=activation, output="sigmoid", init="xavier", seed=seed)
        try:
            history = net.fit(network_input(X), y, lr=lr, epochs=epochs, loss="bce")
        except TrainingDiverged as error:      # draw what was finite, then show the message
            curve.set_data(np.arange(error.history.epochs), error.history.loss)
            raise
        curve.set_data(np.arange(history.epochs), history.loss)
        ax_loss.set_xlim(0, epochs)
        ax_loss.set_ylim(max(history.loss.min() * 0.5, 1e-4), 1.5)
        ax_loss.set_title(f"{inputs} inputs, $x_2$ × {scale:.3g}")
        decision.update(lambda points: net.forward(network_input(points)))
        accuracy = np.mean(net.predict(network_input(X)) == y)
        ax_map.set_title(f"accuracy {accuracy:.0%} (drawn in the original units)")
        return (f"{inputs} inputs, x2 × {scale:.3g}, lr={lr:.3g}: loss {history.loss[0]:.3f} → "
                f"{history.loss[-1]:.3f} after {epochs} epochs, accuracy {accuracy:.1%}")

    controls = {
        "lr": log_slider("learning rate", lr, -3, 1),
        "activation": dropdown("hidden activation", ACTIVATIONS, activation),
        "scale": log_slider("scale of x2", scale, 0, 3),
        "inputs": dropdown("inputs", ["raw", "standardized"], inputs),
    }
    return Panel(controls, fig, update, title="Badly scaled inputs")
