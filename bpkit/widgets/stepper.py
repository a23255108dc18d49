"""Lesson 05's stepper: a 2-2-1 sigmoid network on XOR, one stage at a time.

Every click on *Step* runs one stage of one epoch of gradient descent and
shows the numbers it produced, on a drawing of the network and in tables:

    1. forward    Z1 = X W1 + b1,  A1 = σ(Z1),  Z2 = A1 W2 + b2,  A2 = σ(Z2)
    2. loss       C = 1/(2n) Σ (A2 − y)²
    3. backward   D2 = (A2 − y)/n ⊙ A2(1 − A2)           δ of the output layer
                  dW2 = A1ᵀ D2,  db2 = Σ D2
                  D1 = (D2 W2ᵀ) ⊙ A1(1 − A1)               δ of the hidden layer
                  dW1 = Xᵀ D1,  db1 = Σ D1
    4. update     W ← W − η dW,  b ← b − η db             then the next epoch

The rows of X, Z1, A1, … are the four XOR inputs (0,0), (0,1), (1,0), (1,1).
These are the same equations as ``bpkit.MLP.backward_pass``, written out for
one hidden layer; the tests check that they give the same numbers.
"""

import ipywidgets as widgets
import numpy as np
from matplotlib.patches import Circle

from .. import datasets
from ..activations import sigmoid
from ._panel import Panel, log_slider, new_figure
from .trainer import freeze_layout

STAGES = ("forward", "loss", "backward", "update")
STAGE_TEXT = {
    "start": "The starting numbers. Press Step to run the forward pass.",
    "forward": "1 forward: z⁽¹⁾ = x W⁽¹⁾ + b⁽¹⁾, a⁽¹⁾ = σ(z⁽¹⁾), z⁽²⁾ = a⁽¹⁾ W⁽²⁾ + b⁽²⁾, a⁽²⁾ = σ(z⁽²⁾)",
    "loss": "2 loss: C = 1/(2n) Σ (a⁽²⁾ − y)², the mean over the n = 4 inputs",
    "backward": ("3 backward: δ⁽²⁾ = (a⁽²⁾ − y)/n · a⁽²⁾(1 − a⁽²⁾), δ⁽¹⁾ = δ⁽²⁾ W⁽²⁾ᵀ ⊙ a⁽¹⁾(1 − a⁽¹⁾); "
                 "∂C/∂W = aᵀ δ, ∂C/∂b = Σ δ"),
    "update": "4 update: every weight and bias moves against its gradient, w ← w − η ∂C/∂w",
}
PARAMETER_ROWS = [("W1", (0, 0), "x1→h1"), ("W1", (0, 1), "x1→h2"), ("W1", (1, 0), "x2→h1"),
                  ("W1", (1, 1), "x2→h2"), ("b1", (0,), "→h1"), ("b1", (1,), "→h2"),
                  ("W2", (0, 0), "h1→out"), ("W2", (1, 0), "h2→out"), ("b2", (0,), "→out")]
SEED = 2           # starting numbers from np.random.default_rng(2), rounded to one decimal
BUTTON_LAYOUT = widgets.Layout(width="120px")
ACTIVE_COLOR, FORWARD_COLOR, BACKWARD_COLOR, UPDATE_COLOR = "#fde68a", "#2b6cb0", "#c53030", "#2f855a"


def starting_parameters(seed=SEED):
    """W1 (2, 2), b1 (2,), W2 (2, 1), b2 (1,): uniform in (−1, 1) from ``seed``,
    rounded to one decimal so they are easy to follow by hand."""
    rng = np.random.default_rng(seed)
    W1 = rng.uniform(-1, 1, (2, 2)).round(1)
    b1 = rng.uniform(-1, 1, 2).round(1)
    W2 = rng.uniform(-1, 1, (2, 1)).round(1)
    b2 = rng.uniform(-1, 1, 1).round(1)
    return {"W1": W1, "b1": b1, "W2": W2, "b2": b2}


def forward(X, W1, b1, W2, b2):
    """Z1 = X W1 + b1, A1 = σ(Z1), Z2 = A1 W2 + b2, A2 = σ(Z2)."""
    Z1 = X @ W1 + b1
    A1 = sigmoid(Z1)
    Z2 = A1 @ W2 + b2
    A2 = sigmoid(Z2)
    return {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}


def loss(A2, y):
    """C = 1/(2n) Σ (A2 − y)², the course's mean squared error."""
    return float(np.sum((A2 - y) ** 2) / (2 * len(y)))


def backward(X, y, A1, A2, W2):
    """The four equations of backpropagation for one hidden layer (σ' = a(1 − a)).

    D2 = (A2 − y)/n ⊙ A2(1 − A2)     dW2 = A1ᵀ D2    db2 = Σ_rows D2
    D1 = (D2 W2ᵀ) ⊙ A1(1 − A1)       dW1 = Xᵀ D1     db1 = Σ_rows D1
    """
    n = len(y)
    D2 = (A2 - y) / n * A2 * (1 - A2)
    D1 = (D2 @ W2.T) * A1 * (1 - A1)
    return {"D2": D2, "dW2": A1.T @ D2, "db2": D2.sum(axis=0),
            "D1": D1, "dW1": X.T @ D1, "db1": D1.sum(axis=0)}


def update(params, grads, lr):
    """New parameters: p − η ∂C/∂p for p in W1, b1, W2, b2."""
    return {name: value - lr * grads["d" + name] for name, value in params.items()}


class HiddenLayerStepper(Panel):
    """A 2-2-1 sigmoid network on XOR, stepped one stage at a time.

    State a test or a learner can read: ``epoch`` (epochs completed), ``stage``
    ("start" or one of STAGES: the stage just run), ``params`` (current W1, b1,
    W2, b2), ``values`` (everything the current epoch has computed so far:
    Z1, A1, Z2, A2, C, D2, D1, dW1, db1, dW2, db2) and ``old_params`` (the
    parameters before the last update).
    """

    def __init__(self, lr=2.0, seed=SEED):
        self.X, self.y = datasets.xor()
        self.start = starting_parameters(seed)
        self.lr = lr
        self.reset_state()
        fig, (self.ax_net, self.ax_table) = new_figure(2, 1, width=5.6, height=4.4,
                                                       gridspec_kw={"width_ratios": [1.1, 1]})
        self.draw_network()
        self.draw_tables()
        step = widgets.Button(description="Step", button_style="primary", layout=BUTTON_LAYOUT,
                              tooltip="run the next stage")
        run = widgets.Button(description="+500 epochs", layout=BUTTON_LAYOUT,
                             tooltip="finish this epoch, then run 500 whole epochs")
        reset = widgets.Button(description="Reset", layout=BUTTON_LAYOUT,
                               tooltip="back to the starting numbers")
        step.on_click(lambda _: self.step_and_show())
        run.on_click(lambda _: self.run_epochs_and_show(500))
        reset.on_click(lambda _: self.reset_and_show())
        self.buttons = {"step": step, "run": run, "reset": reset}
        controls = {"lr": log_slider("learning rate η", lr, -2, 1)}
        super().__init__(controls, fig, self.show, buttons=[step, run, reset],
                         title="A 2-2-1 network on XOR, one stage at a time")
        freeze_layout(fig)       # lay out once: a redraw then costs less

    # ---- the computation ------------------------------------------------------

    def reset_state(self):
        self.params = {name: value.copy() for name, value in self.start.items()}
        self.old_params = None
        self.values = {}
        self.epoch = 0
        self.stage = "start"
        self.losses = []

    def step(self):
        """Run the next stage: forward → loss → backward → update → forward of the next epoch."""
        next_stage = "forward" if self.stage in ("start", "update") else STAGES[STAGES.index(self.stage) + 1]
        p, v = self.params, self.values
        if next_stage == "forward":
            if self.stage == "update":
                self.epoch += 1
            self.values = v = forward(self.X, p["W1"], p["b1"], p["W2"], p["b2"])
            self.old_params = None
        elif next_stage == "loss":
            v["C"] = loss(v["A2"], self.y)
            self.losses.append(v["C"])
        elif next_stage == "backward":
            v.update(backward(self.X, self.y, v["A1"], v["A2"], p["W2"]))
        else:
            self.old_params = {name: value.copy() for name, value in p.items()}
            self.params = update(p, v, self.lr)
        self.stage = next_stage

    def run_epochs(self, epochs):
        """Finish the epoch under way (if one is), then run ``epochs`` whole epochs; stop after an update."""
        while self.stage not in ("start", "update"):
            self.step()
        for _ in range(epochs * len(STAGES)):
            self.step()

    # ---- buttons and the slider -------------------------------------------------

    def step_and_show(self):
        self.step()
        self.refresh()

    def run_epochs_and_show(self, epochs):
        self.run_epochs(epochs)
        self.refresh()

    def reset_and_show(self):
        self.reset_state()
        self.refresh()

    def show(self, lr):
        """Panel callback: take the learning rate, redraw everything, return the message line."""
        self.lr = lr
        self.update_network()
        self.update_tables()
        outputs = self.values.get("A2")
        right = "" if outputs is None else (
            f" · {int(np.sum((outputs > 0.5) == (self.y > 0.5)))} of 4 right")
        last_loss = f" · C = {self.losses[-1]:.4f}" if self.losses else ""
        return f"epoch {self.epoch} · {STAGE_TEXT[self.stage]} (η = {lr:.3g}){last_loss}{right}"

    # ---- the drawing of the network ---------------------------------------------

    NODES = {"x1": (0.9, 4.0), "x2": (0.9, 1.6), "h1": (4.3, 4.0), "h2": (4.3, 1.6), "o": (7.3, 2.8)}
    EDGES = [("x1", "h1", "W1", (0, 0)), ("x1", "h2", "W1", (0, 1)),
             ("x2", "h1", "W1", (1, 0)), ("x2", "h2", "W1", (1, 1)),
             ("h1", "o", "W2", (0, 0)), ("h2", "o", "W2", (1, 0))]
    BIASES = {"h1": ("b1", 0), "h2": ("b1", 1), "o": ("b2", 0)}
    # where along each edge its weight is written (0 = start, 1 = end), so that labels do not collide
    LABEL_AT = {("x1", "h1"): 0.5, ("x1", "h2"): 0.27, ("x2", "h1"): 0.27, ("x2", "h2"): 0.5,
                ("h1", "o"): 0.35, ("h2", "o"): 0.35}
    # where each node's numbers go: above the top row, below the others
    VALUES_ABOVE = ("x1", "h1")
    VALUES_SHIFT = {"o": 0.7}    # the output's numbers sit a little to the right, clear of the edges

    def draw_network(self):
        ax = self.ax_net
        ax.set_xlim(-0.3, 9.7)
        ax.set_ylim(-0.3, 6.9)
        ax.set_axis_off()
        ax.set_title("the network · each row of numbers: one value per input (0,0) (0,1) (1,0) (1,1)",
                     fontsize=9)
        self.edge_lines, self.edge_labels = {}, {}
        for start, end, matrix, index in self.EDGES:
            (x0, y0), (x1, y1) = self.NODES[start], self.NODES[end]
            self.edge_lines[start, end], = ax.plot([x0, x1], [y0, y1], color="#718096", lw=1.5, zorder=1)
            t = self.LABEL_AT[start, end]
            self.edge_labels[start, end] = ax.text(
                x0 + t * (x1 - x0), y0 + t * (y1 - y0), "", fontsize=7.5, ha="center", va="center", zorder=4,
                bbox=dict(boxstyle="round,pad=0.2", facecolor="white", edgecolor="#cbd5e0"))
        self.node_circles, self.node_values = {}, {}
        for name, (x, y) in self.NODES.items():
            self.node_circles[name] = ax.add_patch(
                Circle((x, y), 0.42, facecolor="white", edgecolor="#2d3748", lw=1.5, zorder=2))
            label = {"x1": "$x_1$", "x2": "$x_2$", "h1": "$h_1$", "h2": "$h_2$", "o": "out"}[name]
            ax.text(x, y, label, ha="center", va="center", fontsize=10, zorder=3)
            above = name in self.VALUES_ABOVE
            self.node_values[name] = ax.text(x + self.VALUES_SHIFT.get(name, 0.0), y + 0.55 if above else y - 0.55, "", ha="center",
                                             va="bottom" if above else "top", fontsize=8,
                                             family="monospace", zorder=4)
        self.stage_boxes = {}
        for i, stage in enumerate(STAGES):
            self.stage_boxes[stage] = ax.text(
                1.0 + 2.45 * i, 6.55, f"{i + 1} {stage}", ha="center", va="center", fontsize=9,
                bbox=dict(boxstyle="round,pad=0.3", facecolor="white", edgecolor="#a0aec0"))

    def update_network(self):
        stage, v, p = self.stage, self.values, self.params
        for name, box in self.stage_boxes.items():
            box.get_bbox_patch().set_facecolor(ACTIVE_COLOR if name == stage else "white")
            box.set_fontweight("bold" if name == stage else "normal")
        color = {"forward": FORWARD_COLOR, "backward": BACKWARD_COLOR, "update": UPDATE_COLOR}.get(stage, "#718096")
        for (start, end, matrix, index) in self.EDGES:
            self.edge_lines[start, end].set_color(color)
            self.edge_lines[start, end].set_linewidth(2.5 if stage in ("forward", "backward", "update") else 1.5)
            self.edge_labels[start, end].set_text(self.edge_text(matrix, index))
        for name in self.NODES:
            active = (stage in ("forward", "backward", "update") and name[0] != "x") or (stage == "loss" and name == "o")
            self.node_circles[name].set_facecolor(ACTIVE_COLOR if active else "white")
            self.node_values[name].set_text(self.node_text(name))

    def edge_text(self, matrix, index):
        """The weight on an edge; with its gradient after backward; old → new after update."""
        w = self.params[matrix][index]
        if self.stage == "backward":
            return f"w = {w:.3f}\n∂C/∂w = {self.values['d' + matrix][index]:+.4f}"
        if self.stage == "update":
            return f"{self.old_params[matrix][index]:.3f}\n→ {w:.3f}"
        return f"w = {w:.3f}"

    def node_text(self, name):
        """The numbers beside a node for the current stage, one per XOR input."""
        stage, v, p = self.stage, self.values, self.params

        def row(label, values, fmt="{:6.3f}"):
            return label + " " + " ".join(fmt.format(x) for x in values)

        if name in ("x1", "x2"):
            return row(name, self.X[:, int(name[1]) - 1], "{:.0f}")
        bias_name, j = self.BIASES[name]
        column = j
        z, a, d = (("Z1", "A1", "D1") if name != "o" else ("Z2", "A2", "D2"))
        lines = []
        if stage == "update":
            lines.append(f"b: {self.old_params[bias_name][j]:.3f} → {p[bias_name][j]:.3f}")
        else:
            lines.append(f"b = {p[bias_name][j]:.3f}")
        if stage == "forward":
            lines += [row("z", v[z][:, column]), row("a", v[a][:, column])]
        elif stage == "loss" and name == "o":
            lines += [row("a", v[a][:, 0]), row("y", self.y[:, 0], "{:6.0f}"), f"C = {v['C']:.4f}"]
        elif stage == "backward":
            lines += [row("δ", v[d][:, column], "{:+6.3f}"), f"∂C/∂b = {v['d' + bias_name][j]:+.4f}"]
        return "\n".join(lines)

    # ---- the tables -----------------------------------------------------------------

    def draw_tables(self):
        ax = self.ax_table
        ax.set_axis_off()
        ax.set_title("every number of this epoch", fontsize=9)
        self.table_text = ax.text(0.0, 1.0, "", transform=ax.transAxes, va="top", ha="left",
                                  family="monospace", fontsize=8.2)

    def update_tables(self):
        v, p, old = self.values, self.params, self.old_params

        def cell(key, i, j, fmt="{:7.3f}"):
            return fmt.format(v[key][i, j]) if key in v else " " * (len(fmt.format(0.0)) - 1) + "·"

        lines = ["forward      hidden h1     hidden h2     output",
                 "input " + "".join(f"{name:>7}" for name in ("z", "a", "z", "a", "z", "a")) + "  y"]
        for i, x in enumerate(self.X):
            lines.append(f"({x[0]:.0f},{x[1]:.0f}) " + "".join(
                [cell("Z1", i, 0), cell("A1", i, 0), cell("Z1", i, 1), cell("A1", i, 1),
                 cell("Z2", i, 0), cell("A2", i, 0)]) + f"  {self.y[i, 0]:.0f}")
        lines.append("loss C = 1/(2n) Σ (a − y)² = " + (f"{v['C']:.5f}" if "C" in v else "·"))
        lines += ["", "backward" + "".join(f"{name:>8}" for name in ("δ out", "δ h1", "δ h2"))]
        for i, x in enumerate(self.X):
            lines.append(f"({x[0]:.0f},{x[1]:.0f})   " + "".join(
                [cell("D2", i, 0, "{:+8.4f}"), cell("D1", i, 0, "{:+8.4f}"), cell("D1", i, 1, "{:+8.4f}")]))
        lines += ["", f"{'update':<11}{'edge':<8}{'value':>8}  {'∂C/∂·':>9}  {'new value':>9}"]
        for name, index, edge in PARAMETER_ROWS:
            before = old[name][index] if old is not None else p[name][index]
            grad = f"{v['d' + name][index]:+9.5f}" if "d" + name in v else "        ·"
            new = f"{p[name][index]:9.4f}" if old is not None else "        ·"
            label = f"{name}[{','.join(str(k) for k in index)}]"
            lines.append(f"{label:<9}  {edge:<8}{before:8.4f}  {grad}  {new}")
        self.table_text.set_text("\n".join(lines))


def hidden_layer_stepper(lr=2.0, seed=SEED):
    """The panel of lesson 05 (see ``HiddenLayerStepper``)."""
    return HiddenLayerStepper(lr=lr, seed=seed)
