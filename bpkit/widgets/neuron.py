"""Panels for lessons 00 and 01, and the single neuron's math they draw.

    widget_check()          a sigmoid with a steepness slider: do widgets work? (lesson 00)
    activation_gallery()    an activation f(z) beside its derivative f'(z), from a dropdown
    neuron_classifier()     sliders for w1, w2, b: the neuron's decision line over AND, OR, XOR

Each returns a ``Panel`` (see ``_panel.py``). The functions above them are one
neuron, written out: the weighted sum z = w·x + b, the output a = f(z), the
label it gives (1 where a > 0.5, which for a sigmoid is where z > 0), and a
brute-force search over many (w1, w2, b).
"""

from collections import namedtuple

import numpy as np

from .. import _validate, activations, datasets, plots
from ._panel import Panel, dropdown, new_figure, slider

GATES = ("and", "or", "xor")
MISTAKE_COLOR = "#c53030"


# ---- one neuron -------------------------------------------------------------

def weighted_sum(X, w, b):
    """z = w·x + b for every row x of X, i.e. z = X @ w + b (one z per row)."""
    X = _validate.as_matrix("X", X)
    w = np.asarray(w, dtype=np.float64).ravel()
    if w.shape != (X.shape[1],):
        raise ValueError(f"w must hold one weight per input ({X.shape[1]}), got {w.size} weight(s)")
    return X @ w + b


def neuron_output(X, w, b, activation="sigmoid"):
    """a = f(z) = f(w·x + b) for every row x of X."""
    return activations.get(activation)(weighted_sum(X, w, b))


def classify(X, w, b):
    """The neuron's labels: 1 where its sigmoid output a = σ(z) is above 0.5.

    σ(z) > 0.5 exactly when z > 0, so the border between the labels is the
    line w·x + b = 0.
    """
    return (weighted_sum(X, w, b) > 0).astype(int)


def n_correct(X, y, w, b):
    """How many rows of X the neuron labels the way y does."""
    return int(np.sum(classify(X, w, b) == np.asarray(y).ravel()))


GridSearch = namedtuple("GridSearch", "best n_best n_tried w1 w2 b")
GridSearch.__doc__ = ("The most points any setting labels right, how many settings do, how many were "
                      "tried, and one of the best settings: the one whose line keeps farthest from the points.")


def best_on_grid(X, y, values):
    """Try every (w1, w2, b) with each number taken from ``values`` and count
    the points each setting labels right (label 1 ↔ z = w1·x1 + w2·x2 + b > 0).

    Returns a ``GridSearch``. Among the best settings it picks the one with the
    widest margin: the largest smallest distance |z| / ‖w‖ from its line to a
    point it labels right; among equal margins, the largest weights (the
    sharpest output).
    """
    X = _validate.as_matrix("X", X, n_columns=2)
    labels = np.asarray(y, dtype=np.float64).ravel()
    if labels.shape != (len(X),):
        raise ValueError(f"y must hold one label per row of X ({len(X)}), got {labels.size}")
    values = np.asarray(values, dtype=np.float64)
    if values.ndim != 1 or values.size == 0:
        raise ValueError(f"values must be a non-empty 1-D array of numbers, got shape {values.shape}")
    w1, w2, b = (grid.ravel() for grid in np.meshgrid(values, values, values, indexing="ij"))
    z = np.outer(X[:, 0], w1) + np.outer(X[:, 1], w2) + b      # one row per point, one column per setting
    right = (z > 0) == (labels[:, None] == 1)
    correct = right.sum(axis=0)
    best = correct.max()
    size = np.hypot(w1, w2)
    distance = np.abs(z) / np.maximum(size, 1e-12)
    margin = np.where(right, distance, np.inf).min(axis=0)
    margin = np.where(correct == best, np.round(margin, 9), -1.0)
    i = int(np.lexsort((np.round(size, 9), margin))[-1])     # sorted by margin, then size: take the last
    return GridSearch(int(best), int(np.sum(correct == best)), w1.size, float(w1[i]), float(w2[i]), float(b[i]))


def line_through_box(w1, w2, b, xlim, ylim):
    """Two points of the line w1·x1 + w2·x2 + b = 0 spanning the box, or
    ``([], [])`` when w1 = w2 = 0 (then there is no line)."""
    if w1 == 0 and w2 == 0:
        return [], []
    if abs(w2) >= abs(w1):                      # closer to horizontal: solve for x2
        x1 = np.array(xlim, dtype=np.float64)
        return x1, -(w1 * x1 + b) / w2
    x2 = np.array(ylim, dtype=np.float64)       # closer to vertical: solve for x1
    return -(w2 * x2 + b) / w1, x2


def freeze_layout(fig):
    """Lay the figure out once and keep that layout.

    Moving a slider changes lines and colours, never the space the axes need,
    so re-running the constrained layout on every redraw (about half the time
    of a redraw) is wasted. ``draw_without_rendering`` lays out the figure
    (titles and tick labels included) like ``savefig`` does, without touching a
    live canvas.
    """
    fig.draw_without_rendering()
    fig.set_layout_engine("none")


def line_equation(w1, w2, b):
    """The decision line as text, signs tidied: ``2.0·x₁ − 1.0·x₂ + 0.3 = 0``."""
    def term(value, name):
        sign = "−" if round(value, 1) < 0 else "+"       # no "− 0.0"
        return f" {sign} {abs(value):.1f}{name}"
    return f"{w1:.1f}·x₁" + term(w2, "·x₂") + term(b, "") + " = 0"


# ---- lesson 00: do widgets work? ----------------------------------------------

def widget_check(steepness=2.0):
    """A sigmoid σ(k·x) with a slider for the steepness k.

    Moving the slider should make the curve steeper or flatter at once; the
    grey curve (k = 1) stays put for comparison (the default k = 2 keeps the
    two apart, so the still picture shows both).
    """
    fig, ax = new_figure(width=5.0, height=3.0)
    x = np.linspace(-6, 6, 241)
    ax.plot(x, activations.sigmoid(x), color="0.7", lw=1.5, label="k = 1")
    (curve,) = ax.plot(x, activations.sigmoid(steepness * x), color=plots.TRAIN_COLOR, lw=2.5, label="k = your value")
    ax.set_xlabel("$x$")
    ax.set_ylabel(r"$\sigma(k\,x)$")
    ax.set_title(r"$\sigma(k\,x) = 1 / (1 + e^{-k x})$")
    ax.set_ylim(-0.05, 1.05)
    ax.grid(True, alpha=0.3)
    ax.legend(loc="upper left")

    def update(steepness):
        curve.set_ydata(activations.sigmoid(steepness * x))
        width = 2 * np.log(9) / steepness           # σ(kx) goes from 0.1 to 0.9 between x = ±ln 9 / k
        return f"k = {steepness:.1f}: the curve climbs from 0.1 to 0.9 over a width of {width:.2f}"

    freeze_layout(fig)
    controls = {"steepness": slider("steepness k", steepness, 0.2, 5.0, 0.1,
                                    continuous_update=True, readout_format=".1f")}
    return Panel(controls, fig, update, title="Move the slider: the blue curve should change")


# ---- lesson 01: the activation gallery -------------------------------------------

FORMULAS = {   # (f, f') in LaTeX, for the titles
    "sigmoid": (r"$\sigma(z) = 1 / (1 + e^{-z})$", r"$\sigma'(z) = \sigma(z)\,(1 - \sigma(z))$"),
    "tanh": (r"$\tanh(z)$", r"$\tanh'(z) = 1 - \tanh^2(z)$"),
    "relu": (r"$\mathrm{ReLU}(z) = \max(0, z)$", r"$\mathrm{ReLU}'(z) = 1$ if $z > 0$, else $0$"),
    "leaky_relu": (r"$\mathrm{LeakyReLU}(z) = z$ if $z > 0$, else $0.01\,z$",
                   r"$\mathrm{LeakyReLU}'(z) = 1$ if $z > 0$, else $0.01$"),
    "linear": (r"$f(z) = z$", r"$f'(z) = 1$"),
}
Z_RANGE = (-4.0, 4.0)
TANGENT_HALF_WIDTH = 1.2


def activation_gallery(name="sigmoid", z=1.0):
    """An activation f(z) (left) and its derivative f'(z) (right), chosen from a
    dropdown, with a slider for one point z: the dashed tangent on the left has
    slope f'(z), the height of the dot on the right."""
    fig, (ax_f, ax_d) = new_figure(2, width=4.3, height=3.4)
    zs = np.linspace(*Z_RANGE, 401)
    (f_line,) = ax_f.plot(zs, zs, color=plots.TRAIN_COLOR, lw=2.5, label="$f(z)$")
    (tangent,) = ax_f.plot([], [], "--", color=MISTAKE_COLOR, lw=1.8, label="tangent at $z$")
    (f_dot,) = ax_f.plot([], [], "o", color=MISTAKE_COLOR, ms=7, zorder=3)
    (d_line,) = ax_d.plot(zs, zs, color=plots.CLASS_COLORS[1], lw=2.5, label="$f'(z)$")
    (d_dot,) = ax_d.plot([], [], "o", color=MISTAKE_COLOR, ms=7, zorder=3, label="slope at $z$")
    for ax, ylabel in ((ax_f, "$f(z)$"), (ax_d, "$f'(z)$")):
        ax.axhline(0, color="0.5", lw=0.8)
        ax.axvline(0, color="0.5", lw=0.8)
        ax.set_xlim(*Z_RANGE)
        ax.set_xlabel("$z$")
        ax.set_ylabel(ylabel)
        ax.grid(True, alpha=0.3)
        ax.legend(loc="upper left")
    ax_d.set_ylim(-0.1, 1.15)       # the same scale for every activation, so their slopes compare

    def update(activation, z):
        act = activations.get(activation)
        f, d = act.function(zs), act.derivative(zs)
        f_line.set_ydata(f)
        d_line.set_ydata(d)
        pad = 0.08 * (f.max() - f.min())
        ax_f.set_ylim(f.min() - pad, f.max() + pad)
        at_z = np.array([z])                  # an array: bpkit's activations expect arrays
        fz, dz = float(act.function(at_z)[0]), float(act.derivative(at_z)[0])
        near = np.array([z - TANGENT_HALF_WIDTH, z + TANGENT_HALF_WIDTH])
        tangent.set_data(near, fz + dz * (near - z))
        f_dot.set_data([z], [fz])
        d_dot.set_data([z], [dz])
        ax_f.set_title(FORMULAS[act.name][0])
        ax_d.set_title(FORMULAS[act.name][1])
        return f"{act.name} at z = {z:.2f}:  f(z) = {fz:.4f},  f'(z) = {dz:.4f} (the slope of the dashed tangent)"

    update("sigmoid", z)          # lay out with real titles
    freeze_layout(fig)
    controls = {"activation": dropdown("activation", list(activations.ACTIVATIONS), name),
                "z": slider("z", z, Z_RANGE[0], Z_RANGE[1], 0.1, continuous_update=True)}
    return Panel(controls, fig, update, title="Activation functions and their slopes")


# ---- lesson 01: one neuron over AND, OR, XOR -------------------------------------

class NeuronMap:
    """One neuron over the four inputs of a gate: its output a = σ(w1·x1 + w2·x2 + b)
    as a heat map, its decision line w1·x1 + w2·x2 + b = 0, the four points, and
    a red ring around each point it labels wrong. ``update(w1, w2, b, gate)`` redraws in place."""

    def __init__(self, ax, steps=100, margin=0.5):
        self.ax = ax
        self.xs, self.ys, self.points = plots.grid(datasets.GATE_INPUTS, steps, margin)
        self.steps = steps
        self.xlim, self.ylim = (self.xs[0], self.xs[-1]), (self.ys[0], self.ys[-1])
        self.image = ax.imshow(np.zeros((steps, steps)), origin="lower", extent=self.xlim + self.ylim,
                               aspect="auto", cmap=plots.OUTPUT_CMAP, vmin=0, vmax=1, interpolation="bilinear")
        ax.figure.colorbar(self.image, ax=ax, label=r"neuron output $a = \sigma(z)$", shrink=0.9)
        (self.line,) = ax.plot([], [], color="black", lw=2, label="decision line $z = 0$")
        self.dots = plots.scatter_classes(ax, datasets.GATE_INPUTS, np.zeros(4), size=110)
        self.rings = ax.scatter([], [], s=420, facecolors="none", edgecolors=MISTAKE_COLOR, linewidths=2.2,
                                label="labelled wrong", zorder=4)
        ax.set_xlim(*self.xlim)
        ax.set_ylim(*self.ylim)
        ax.set_xlabel("$x_1$")
        ax.set_ylabel("$x_2$")
        ax.figure.legend(handles=[self.line, *self.dots, self.rings], loc="outside lower center", ncol=2,
                         fontsize=9, frameon=False)

    def update(self, w1, w2, b, gate):
        X, y = datasets.gate(gate)
        labels = y.ravel().astype(int)
        for dots, label in zip(self.dots, (0, 1)):           # the gate decides which points are 0 and 1
            dots.set_offsets(X[labels == label].reshape(-1, 2))
        w = (w1, w2)
        self.image.set_data(neuron_output(self.points, w, b).reshape(self.steps, self.steps))
        self.line.set_data(*line_through_box(w1, w2, b, self.xlim, self.ylim))
        wrong = classify(X, w, b) != labels
        self.rings.set_offsets(X[wrong].reshape(-1, 2))
        correct = len(X) - int(wrong.sum())
        self.ax.set_title(f"{gate.upper()}: {correct} of {len(X)} right")
        return correct


SLIDER_VALUES = np.round(np.linspace(-3, 3, 61), 1)    # every value the w1, w2, b sliders can take


def neuron_classifier(w1=1.0, w2=1.0, b=-0.5, gate="and"):
    """Sliders for w1, w2, b and a gate dropdown; the neuron's output over the
    plane, its decision line, and how many of the gate's 4 points it gets right."""
    fig, ax = new_figure(width=4.9, height=4.4)
    neuron_map = NeuronMap(ax)
    neuron_map.update(w1, w2, b, gate)                  # the layout must see the real title
    freeze_layout(fig)

    def update(w1, w2, b, gate):
        correct = neuron_map.update(w1, w2, b, gate)
        return f"{gate.upper()}: {correct} of 4 points right   ·   decision line {line_equation(w1, w2, b)}"

    controls = {"w1": slider("w1", w1, -3, 3, 0.1, continuous_update=True, readout_format=".1f"),
                "w2": slider("w2", w2, -3, 3, 0.1, continuous_update=True, readout_format=".1f"),
                "b": slider("b", b, -3, 3, 0.1, continuous_update=True, readout_format=".1f"),
                "gate": dropdown("gate", {"AND": "and", "OR": "or", "XOR": "xor"}, gate)}
    return Panel(controls, fig, update, title="One neuron: a = σ(w1·x1 + w2·x2 + b)")

