"""Lesson 03: one sigmoid neuron as a computational graph, forward and backward.

The neuron and its loss on one example (x₁, x₂) with target y:

    z = w₁x₁ + w₂x₂ + b,    a = σ(z),    C = ½ (a − y)²

Backward, by the chain rule (δ = ∂C/∂z):

    ∂C/∂a = a − y
    ∂a/∂z = σ'(z) = a (1 − a)
    δ     = ∂C/∂a · ∂a/∂z
    ∂C/∂w₁ = δ x₁,  ∂C/∂w₂ = δ x₂,  ∂C/∂b = δ,  ∂C/∂x₁ = δ w₁,  ∂C/∂x₂ = δ w₂

    neuron_numbers(...)   every one of those numbers
    NeuronGraph(ax)       draws the graph; .update(numbers) writes them on the edges
    chain_rule_panel()    sliders for w₁, w₂, b, x₁, x₂, y that update the drawing live
"""

from collections import namedtuple

import numpy as np
from matplotlib.patches import Circle, FancyBboxPatch

from .. import activations, plots
from ._panel import Panel, new_figure, slider

FORWARD_COLOR = "#1a202c"
BACKWARD_COLOR = "#c53030"
OP_COLOR = "#ebf4ff"
LEAF_COLOR = "#f7fafc"

NeuronNumbers = namedtuple("NeuronNumbers", "x1 x2 w1 w2 b y z a C dC_da da_dz delta dC_dw1 dC_dw2 dC_db dC_dx1 dC_dx2")
NeuronNumbers.__doc__ = "Every number of one forward and backward pass through one sigmoid neuron (see the module)."


def neuron_numbers(w1, w2, b, x1, x2, y):
    """Forward: z, a = σ(z), C = ½(a − y)². Backward: the chain rule, factor by factor."""
    z = w1 * x1 + w2 * x2 + b
    a = float(activations.sigmoid(np.float64(z)))
    C = 0.5 * (a - y) ** 2
    dC_da = a - y
    da_dz = a * (1 - a)                   # σ'(z), written with the output a = σ(z)
    delta = dC_da * da_dz                 # ∂C/∂z
    return NeuronNumbers(x1, x2, w1, w2, b, y, z, a, C, dC_da, da_dz, delta,
                         delta * x1, delta * x2, delta, delta * w1, delta * w2)


# where each node sits (the axes run from 0 to 12.4 across and 0 to 6.4 up)
NODES = {"x1": (0.6, 5.6), "w1": (0.6, 3.9), "x2": (0.6, 2.6), "w2": (0.6, 0.9), "b": (6.0, 0.6),
         "mul1": (3.4, 4.75), "mul2": (3.4, 1.75), "sum": (6.0, 3.25), "sigma": (8.6, 3.25), "C": (11.5, 3.25),
         "y": (11.5, 0.8)}
LEAF_NAMES = {"x1": "x₁", "w1": "w₁", "x2": "x₂", "w2": "w₂", "b": "b", "y": "y"}
OP_NAMES = {"mul1": "×", "mul2": "×", "sum": "+", "sigma": "σ"}
# (from, to, what flows forward, the gradient that flows back, where the two numbers go)
# a forward field of None means the product w·x coming out of a multiply node
EDGES = [("x1", "mul1", "x1", "dC_dx1", "above"),
         ("w1", "mul1", "w1", "dC_dw1", "below"),
         ("x2", "mul2", "x2", "dC_dx2", "above"),
         ("w2", "mul2", "w2", "dC_dw2", "below"),
         ("mul1", "sum", None, "delta", "above"),
         ("mul2", "sum", None, "delta", "below"),
         ("b", "sum", "b", "dC_db", "right"),
         ("sum", "sigma", "z", "dC_dz", "above"),
         ("sigma", "C", "a", "dC_da", "above"),
         ("y", "C", "y", None, "left")]
NAMES = {"x1": "x₁", "x2": "x₂", "w1": "w₁", "w2": "w₂", "b": "b", "z": "z", "a": "a", "y": "y",
         "dC_dx1": "∂C/∂x₁", "dC_dx2": "∂C/∂x₂", "dC_dw1": "∂C/∂w₁", "dC_dw2": "∂C/∂w₂", "dC_db": "∂C/∂b",
         "delta": "δ = ∂C/∂z", "dC_dz": "∂C/∂z", "dC_da": "∂C/∂a"}
FIELD_OF = {"dC_dz": "delta"}     # a second, shorter name for δ where the arrow is short
NODE_RADIUS = 0.38
LEAF_HALF_WIDTH = 0.4


def signed(value, digits):
    """A number with a real minus sign, e.g. −0.0412."""
    return f"{value:.{digits}f}".replace("-", "−")


def forward_text(numbers, source, field):
    """What flows forward along an edge: a named value, or w·x out of a multiply node."""
    if field is not None:
        return f"{NAMES[field]} = {signed(getattr(numbers, field), 3)}"
    if source == "mul1":
        return f"w₁x₁ = {signed(numbers.w1 * numbers.x1, 3)}"
    return f"w₂x₂ = {signed(numbers.w2 * numbers.x2, 3)}"


def backward_text(numbers, grad_field):
    """What flows backward along an edge: the gradient of C with respect to it."""
    if grad_field is None:
        return "(target: no gradient needed)"
    return f"{NAMES[grad_field]} = {signed(getattr(numbers, FIELD_OF.get(grad_field, grad_field)), 4)}"


class NeuronGraph:
    """The graph of z = w₁x₁ + w₂x₂ + b, a = σ(z), C = ½(a − y)², with the
    forward value (black) and the backward gradient (red) beside every edge."""

    def __init__(self, ax):
        self.ax = ax
        ax.set_xlim(0, 12.4)
        ax.set_ylim(0, 6.4)
        ax.set_aspect("equal")
        ax.axis("off")
        for name, label in LEAF_NAMES.items():
            x, y = NODES[name]
            ax.add_patch(FancyBboxPatch((x - 0.32, y - 0.25), 0.64, 0.5, boxstyle="round,pad=0.05",
                                        facecolor=LEAF_COLOR, edgecolor="0.3"))
            ax.text(x, y, label, ha="center", va="center", fontsize=13)
        for name, label in OP_NAMES.items():
            ax.add_patch(Circle(NODES[name], NODE_RADIUS, facecolor=OP_COLOR, edgecolor=plots.TRAIN_COLOR, lw=1.5))
            ax.text(*NODES[name], label, ha="center", va="center", fontsize=15)
        x, y = NODES["C"]
        ax.add_patch(FancyBboxPatch((x - 0.75, y - 0.45), 1.5, 0.9, boxstyle="round,pad=0.05",
                                    facecolor="#fffaf0", edgecolor=plots.CLASS_COLORS[1], lw=1.5))
        ax.text(x, y + 0.17, "C = ½(a − y)²", ha="center", va="center", fontsize=10)
        self.loss_text = ax.text(x, y - 0.2, "", ha="center", va="center", fontsize=10, fontweight="bold")
        x, y = NODES["sigma"]
        self.slope_text = ax.text(x, y - NODE_RADIUS - 0.12, "", ha="center", va="top", fontsize=9, color="0.35")
        self.texts = []
        for source, target, field, grad_field, side in EDGES:
            start, end = self.edge_ends(source, target)
            ax.annotate("", xy=end, xytext=start,
                        arrowprops=dict(arrowstyle="-|>", color="0.35", lw=1.3, shrinkA=0, shrinkB=0))
            forward, backward = self.edge_labels(start, end, side)
            self.texts.append((source, field, grad_field, forward, backward))
        ax.text(6.1, 6.25, "forward values in black  ·  backward gradients in red",
                ha="center", va="center", fontsize=9, color="0.3")

    @staticmethod
    def edge_ends(source, target):
        """Where an arrow starts and stops: at the rims of the two nodes."""
        start, end = np.array(NODES[source], float), np.array(NODES[target], float)
        direction = (end - start) / np.linalg.norm(end - start)
        gap_start = NODE_RADIUS if source in OP_NAMES else LEAF_HALF_WIDTH
        gap_end = 0.52 if target == "C" and source == "y" else 0.82 if target == "C" else NODE_RADIUS
        return tuple(start + gap_start * direction), tuple(end - gap_end * direction)

    def edge_labels(self, start, end, side):
        """Two empty texts beside the middle of an edge: forward (black) over backward (red)."""
        (x0, y0), (x1, y1) = start, end
        mx, my = (x0 + x1) / 2, (y0 + y1) / 2
        style = dict(fontsize=9, bbox=dict(boxstyle="round,pad=0.1", fc="white", ec="none", alpha=0.85))
        if side in ("above", "below"):
            lift = 0.12 + 0.8 * abs((y1 - y0) / (x1 - x0))     # clear a slanted arrow
            if side == "above":
                spots = ((mx, my + lift + 0.33, "bottom"), (mx, my + lift, "bottom"))
            else:
                spots = ((mx, my - lift, "top"), (mx, my - lift - 0.33, "top"))
            return [self.ax.text(x, y, "", ha="center", va=va, color=color, **style)
                    for (x, y, va), color in zip(spots, (FORWARD_COLOR, BACKWARD_COLOR))]
        dx, ha = (0.15, "left") if side == "right" else (-0.15, "right")
        return [self.ax.text(mx + dx, my + dy, "", ha=ha, va=va, color=color, **style)
                for dy, va, color in ((0.04, "bottom", FORWARD_COLOR), (-0.04, "top", BACKWARD_COLOR))]

    def update(self, numbers):
        """Write a ``NeuronNumbers`` onto the edges."""
        for source, field, grad_field, forward, backward in self.texts:
            forward.set_text(forward_text(numbers, source, field))
            backward.set_text(backward_text(numbers, grad_field))
        self.loss_text.set_text(f"C = {signed(numbers.C, 4)}")
        self.slope_text.set_text(f"local slope\n∂a/∂z = a(1 − a)\n= {signed(numbers.da_dz, 4)}")


def describe(numbers):
    """The panel's message line: the forward values and the three gradients."""
    n = numbers
    return (f"z = {n.z:.3f}, a = σ(z) = {n.a:.4f}, C = {n.C:.5f}   ·   "
            f"∂C/∂w1 = {n.dC_dw1:.5f}, ∂C/∂w2 = {n.dC_dw2:.5f}, ∂C/∂b = {n.dC_db:.5f}")


def chain_rule_panel(w1=0.5, w2=0.3, b=0.1, x1=1.0, x2=2.0, y=1.0):
    """Sliders for w₁, w₂, b, x₁, x₂ and y; the computational graph's numbers follow them."""
    fig, ax = new_figure(width=10.0, height=5.4)     # narrower crowds the labels into the nodes
    graph = NeuronGraph(ax)
    graph.update(neuron_numbers(w1, w2, b, x1, x2, y))
    fig.get_layout_engine().execute(fig)       # lay out once: moving a slider only changes texts
    fig.set_layout_engine("none")

    def update(w1, w2, b, x1, x2, y):
        numbers = neuron_numbers(w1, w2, b, x1, x2, y)
        graph.update(numbers)
        return describe(numbers)

    controls = {name: slider(name, value, -3, 3, 0.1, continuous_update=True, readout_format=".1f")
                for name, value in (("w1", w1), ("w2", w2), ("b", b), ("x1", x1), ("x2", x2))}
    controls["y"] = slider("y (target)", y, 0, 1, 0.1, continuous_update=True, readout_format=".1f")
    return Panel(controls, fig, update, title="One neuron, forward and backward: move a slider, watch every number")
