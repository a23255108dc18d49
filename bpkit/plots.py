"""Plots shared by the notebooks and the widgets, in one look.

Imported only when used (``import bpkit`` does not load matplotlib). Each
drawing function takes a matplotlib ``Axes`` and returns the artists it made,
so a widget can update them in place instead of drawing a new figure.
"""

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.ticker import MaxNLocator

CLASS_COLORS = ("#2b6cb0", "#dd6b20")          # label 0: blue, label 1: orange
TRAIN_COLOR, VAL_COLOR = "#2b6cb0", "#c53030"
# network output 0 → light blue, 0.5 → white, 1 → light orange: the class colours, paler
OUTPUT_CMAP = LinearSegmentedColormap.from_list("bpkit_output", ["#90b4dd", "#ffffff", "#f3b27a"])
FIGURE_DPI = 100


def figure(n_cols=1, n_rows=1, width=4.2, height=3.6, **kwargs):
    """A figure with a grid of axes, sized per panel, laid out tidily."""
    fig, axes = plt.subplots(n_rows, n_cols, figsize=(width * n_cols, height * n_rows),
                             dpi=FIGURE_DPI, layout="constrained", **kwargs)
    return fig, axes


def grid(X, steps=150, margin=0.5):
    """A steps × steps grid covering the data plus a margin.

    Returns ``(xs, ys, points)``: the two axes' coordinates and an array of
    shape (steps², 2) with every grid point, ready for ``net.forward``.
    """
    lo = X.min(axis=0) - margin
    hi = X.max(axis=0) + margin
    xs = np.linspace(lo[0], hi[0], steps)
    ys = np.linspace(lo[1], hi[1], steps)
    gx, gy = np.meshgrid(xs, ys)
    return xs, ys, np.column_stack([gx.ravel(), gy.ravel()])


def scatter_classes(ax, X, y, size=60):
    """The data points, coloured by label, with a legend."""
    y = np.asarray(y).ravel()
    artists = []
    for label, color, marker in ((0, CLASS_COLORS[0], "o"), (1, CLASS_COLORS[1], "s")):
        mask = y == label
        artists.append(ax.scatter(X[mask, 0], X[mask, 1], s=size, c=color, marker=marker,
                                  edgecolors="black", linewidths=0.8, label=f"label {label}", zorder=3))
    return artists


class DecisionMap:
    """The network's output over the plane as a heat map, the 0.5 contour as the
    decision boundary, and the data on top. ``update(predict)`` redraws in place.

    ``predict`` maps an (m, 2) array of points to m outputs in [0, 1].
    """

    def __init__(self, ax, X, y, predict, steps=120, margin=0.5, title=None, colorbar=False):
        self.ax = ax
        self.xs, self.ys, self.points = grid(X, steps, margin)
        self.steps = steps
        extent = (self.xs[0], self.xs[-1], self.ys[0], self.ys[-1])
        self.image = ax.imshow(np.zeros((steps, steps)), origin="lower", extent=extent, aspect="auto",
                               cmap=OUTPUT_CMAP, vmin=0, vmax=1, interpolation="bilinear")
        self.boundary = None
        scatter_classes(ax, X, y)
        ax.set_xlabel("$x_1$")
        ax.set_ylabel("$x_2$")
        ax.xaxis.set_major_locator(MaxNLocator(5, steps=[1, 2, 5, 10]))    # few labels: they never touch
        ax.yaxis.set_major_locator(MaxNLocator(6, steps=[1, 2, 5, 10]))
        if title:
            ax.set_title(title)
        if colorbar:
            ax.figure.colorbar(self.image, ax=ax, label="network output")
        self.update(predict)

    def update(self, predict):
        values = np.asarray(predict(self.points), dtype=float).reshape(self.steps, self.steps)
        self.image.set_data(values)
        if self.boundary is not None:
            self.boundary.remove()
            self.boundary = None
        if values.min() < 0.5 < values.max():
            self.boundary = self.ax.contour(self.xs, self.ys, values, levels=[0.5],
                                            colors="black", linewidths=1.5)
        return values


def loss_curve(ax, loss, val_loss=None, log=True, label="training loss"):
    """Loss per epoch (log scale by default, where the late progress is visible)."""
    epochs = np.arange(len(loss))
    lines = [ax.plot(epochs, loss, color=TRAIN_COLOR, label=label)[0]]
    if val_loss is not None:
        lines.append(ax.plot(epochs, val_loss, color=VAL_COLOR, label="validation loss")[0])
    if log:
        ax.set_yscale("log")
    ax.set_xlabel("epoch")
    ax.set_ylabel("loss")
    ax.grid(True, alpha=0.3)
    if val_loss is not None or label != "training loss":
        ax.legend()
    return lines


def png_bytes(fig):
    """The figure rendered to PNG, for a still picture of a live panel."""
    import io
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=FIGURE_DPI)
    return buffer.getvalue()


def show(fig):
    """Display a figure as a still PNG and close it.

    Looks the same with ipympl or the inline backend, and is what readers on
    GitHub or nbviewer see. Use it for every static (non-widget) figure.
    """
    from IPython.display import Image, display
    display(Image(data=png_bytes(fig)))
    plt.close(fig)
