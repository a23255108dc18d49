"""Lesson 04's trainer: one neuron learns a logic gate — or cannot.

The neuron computes z = X w + b and a = f(z), and is trained with the four
steps of ``bpkit.fit`` (forward, loss, backward, update) on the mean squared
error C = 1/(2n) Σ (a − y)². Its decision line is where a = 0.5.

    panel = one_neuron_trainer()
    panel.controls["gate"].value = "XOR"
    panel.right          # how many of the four points it gets right
    print(panel.code())  # the bpkit lines that reproduce the current run

Controls: learning rate (log scale), activation, gate, epochs. The figure
shows the loss per epoch and the neuron's output over the plane with its
decision line.
"""

import numpy as np

from .. import datasets
from ..network import MLP
from ..plots import DecisionMap
from ..training import TrainingDiverged
from ._panel import Panel, dropdown, int_slider, log_slider, new_figure
from .trainer import freeze_layout

GATES = ("AND", "OR", "XOR", "NAND", "NOR")
ACTIVATIONS = ("sigmoid", "tanh", "relu", "leaky_relu", "linear")
THRESHOLD = 0.5   # targets are 0 and 1 for every activation: the line between them is 0.5
MARGIN = 0.01     # an output this close to 0.5 is a coin flip, not an answer
LOSS_CEILING = 1e12
MAP_STEPS = 80     # grid points per side of the output map (kept small: the panel must redraw fast)
FLAT = 0.02        # an output map that varies less than this has no decision line worth drawing


def count_right(outputs, y, threshold=THRESHOLD, margin=MARGIN):
    """How many points are on their target's side of the threshold, by more than ``margin``.

    A point with target 1 is right when a > threshold + margin, a point with
    target 0 when a < threshold − margin. An output of 0.5 counts as wrong.
    """
    outputs = np.asarray(outputs, dtype=float).ravel()
    y = np.asarray(y, dtype=float).ravel()
    distance_on_correct_side = np.where(y > threshold, outputs - threshold, threshold - outputs)
    return int(np.sum(distance_on_correct_side > margin))


def train_neuron(gate, activation="sigmoid", lr=1.0, epochs=2000, seed=0):
    """Train one neuron (a ``bpkit.MLP([2, 1])``) on a gate; return ``(net, history)``.

    The weights start uniform in (−1, 1) from ``seed``, the bias at 0.
    Raises ``bpkit.TrainingDiverged`` if the loss blows up.
    """
    X, y = datasets.gate(gate.lower())
    net = MLP([2, 1], activation=activation, output=activation, init="uniform", seed=seed)
    history = net.fit(X, y, lr=lr, epochs=epochs, loss="mse")
    return net, history


class OneNeuronTrainer(Panel):
    """Loss curve and decision line of one neuron, with the four controls.

    After every change: ``net`` (the trained neuron), ``history`` (its
    ``bpkit.History``), ``outputs`` (its outputs on the four points) and
    ``right`` (how many of the four it gets right, see ``count_right``).
    """

    def __init__(self, lr=1.0, activation="sigmoid", gate="AND", epochs=2000, seed=0):
        self.seed = seed
        self.net = self.history = self.outputs = None
        self.right = 0
        fig, (self.ax_loss, self.ax_map) = new_figure(2, 1, width=4.3, height=3.7)
        self.loss_line, = self.ax_loss.plot([0], [1.0], color="#2b6cb0")
        self.ax_loss.set_yscale("log")
        self.ax_loss.set_xlabel("epoch")
        self.ax_loss.set_ylabel("loss  C = 1/(2n) Σ (a − y)²")
        self.ax_loss.set_title("loss per epoch")
        self.ax_loss.grid(True, alpha=0.3)
        self.decision_map = None
        self.map_gate = None
        controls = {
            "lr": log_slider("learning rate", lr, -2, 1.5),
            "activation": dropdown("activation", ACTIVATIONS, activation),
            "gate": dropdown("gate", GATES, gate),
            "epochs": int_slider("epochs", epochs, 100, 5000, step=100),
        }
        super().__init__(controls, fig, self.update, title="One neuron learns a gate")
        freeze_layout(fig)       # lay out once: a redraw then costs half as much

    def update(self, lr, activation, gate, epochs):
        X, y = datasets.gate(gate.lower())
        try:
            self.net, self.history = train_neuron(gate, activation, lr, epochs, self.seed)
        except TrainingDiverged as error:
            self.net, self.history = None, error.history
            self.outputs, self.right = None, 0
            self.draw_loss(self.history.loss, max(len(self.history.loss), 1))
            self.draw_map(gate, lambda points: np.full(len(points), THRESHOLD),
                          f"{gate}: diverged at epoch {error.epoch}")
            raise
        self.outputs = self.net.forward(X).ravel()
        self.right = count_right(self.outputs, y)
        self.draw_loss(self.history.loss, epochs)
        self.draw_map(gate, self.net.forward, f"{gate} with {activation}: {self.right} of 4 right")
        outputs = " ".join(f"{a:.3f}" for a in self.outputs)
        return (f"{gate}, {activation}, lr={lr:.3g}, {epochs} epochs: {self.right} of 4 right · "
                f"outputs for (0,0) (0,1) (1,0) (1,1): {outputs} · final loss {self.history.loss[-1]:.4f}")

    def code(self):
        """A few lines of bpkit that reproduce the panel's current run exactly."""
        s = self.settings
        return (f"import bpkit\n"
                f"X, y = bpkit.datasets.gate({s['gate'].lower()!r})\n"
                f"net = bpkit.MLP([2, 1], activation={s['activation']!r}, output={s['activation']!r}, "
                f"init='uniform', seed={self.seed})\n"
                f"history = net.fit(X, y, lr={s['lr']!r}, epochs={s['epochs']}, loss='mse')")

    def draw_loss(self, loss, epochs):
        """Show the loss per epoch on a log scale, zoomed to the run."""
        self.loss_line.set_data(np.arange(len(loss)), loss)
        self.ax_loss.set_xlim(0, epochs)
        shown = loss[np.isfinite(loss) & (loss > 0)]
        if len(shown):
            # a diverging run climbs towards 1e308; the top of the plot stops at LOSS_CEILING
            self.ax_loss.set_ylim(shown.min() / 1.5, min(shown.max() * 1.5, LOSS_CEILING))

    def draw_map(self, gate, predict, title):
        """The neuron's output over the plane; the black line is where it equals 0.5.

        A new gate recolours the points, so its map is drawn afresh. When the
        output is flat (it varies by less than FLAT over the plane, as when every
        output is 0.5) no line is drawn: the neuron decides nothing anywhere.
        """
        if gate != self.map_gate:
            X, y = datasets.gate(gate.lower())
            self.ax_map.clear()
            self.decision_map = DecisionMap(self.ax_map, X, y, predict, steps=MAP_STEPS, margin=0.4)
            self.ax_map.legend(loc="upper left", fontsize=8, framealpha=0.9)
            self.map_gate = gate
            values = self.decision_map.image.get_array()
        else:
            values = self.decision_map.update(predict)
        if np.ptp(values) < FLAT and self.decision_map.boundary is not None:
            self.decision_map.boundary.remove()
            self.decision_map.boundary = None
        self.ax_map.set_title(title)


def one_neuron_trainer(lr=1.0, activation="sigmoid", gate="AND", epochs=2000, seed=0):
    """The panel of lesson 04 (see ``OneNeuronTrainer``)."""
    return OneNeuronTrainer(lr=lr, activation=activation, gate=gate, epochs=epochs, seed=seed)
