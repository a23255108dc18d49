"""The course's trainer panel: pick settings, train an MLP, watch what it learns.

    from bpkit.widgets.trainer import Trainer
    trainer = Trainer()                     # XOR, 2-4-1 tanh, controls for lr, activation, …
    trainer                                 # show it (last line of a notebook cell)

Views, all updated in place:

    loss curve        training loss per epoch (and validation loss, with a split)
    decision map      the network's output over the plane and its 0.5 boundary
    success rate      histogram of "epochs to solve" over many seeds (button)
    hidden units      one small map per unit of the first hidden layer: its
                      activation a = f(w₁x₁ + w₂x₂ + b) over the plane, and the
                      line w₁x₁ + w₂x₂ + b = 0 where the unit switches

Moving a control starts a fresh network with the new settings and trains it
for ``epochs`` epochs. The buttons act on the current network: Train (another
``epochs`` epochs, with progress), Step (``step_epochs`` more), Reset (back to
epoch 0). ``trainer.settings`` reads every setting back, and ``trainer.code()``
returns a few lines of bpkit that reproduce the current run exactly.
"""

import asyncio

import ipywidgets as widgets
import numpy as np
from matplotlib.ticker import MaxNLocator

from .. import datasets, optimizers, train_many
from ..network import MLP
from ..plots import DecisionMap, TRAIN_COLOR, VAL_COLOR, scatter_classes
from ..training import TrainingDiverged
from ._panel import Panel, dropdown, int_slider, log_slider, new_figure

GATES = ("xor", "and", "or", "nand", "nor")
DATASETS = GATES + ("moons", "circles", "spirals")
ACTIVATIONS = ("tanh", "sigmoid", "relu", "leaky_relu")
INITIALIZERS = ("xavier", "he", "uniform")

# every setting a Trainer knows; the ones named in ``controls`` get a widget
DEFAULTS = dict(dataset="xor", lr=1.0, activation="tanh", output="sigmoid", hidden=4, layers=1,
                epochs=1000, seed=0, init="xavier", optimizer="sgd", val_fraction=0.0,
                normalize=False, loss="mse")
DEFAULT_CONTROLS = ("lr", "activation", "hidden", "epochs", "seed", "init")
MAP_TITLE = "network output (line: 0.5)"


def make_control(name, value, max_hidden):
    """The widget for one setting (learning rate on a log scale: 0.001 … 10)."""
    if name == "lr":
        return log_slider("learning rate η", value, -3, 1)
    if name == "activation":
        return dropdown("hidden activation", ACTIVATIONS, value)
    if name == "output":
        return dropdown("output activation", ("sigmoid", "linear"), value)
    if name == "hidden":
        return int_slider("hidden units", value, 1, max_hidden)
    if name == "layers":
        return int_slider("hidden layers", value, 1, 4)
    if name == "epochs":
        return int_slider("epochs", value, 100, 10000, step=100)
    if name == "seed":
        return int_slider("seed", value, 0, 99)
    if name == "init":
        return dropdown("initialiser", INITIALIZERS, value)
    if name == "dataset":
        return dropdown("dataset", DATASETS, value)
    if name == "optimizer":
        return dropdown("optimizer", ("sgd", "momentum", "adam"), value)
    if name == "val_fraction":
        return dropdown("validation split", (("none", 0.0), ("20 %", 0.2), ("30 %", 0.3), ("50 %", 0.5)), value)
    if name == "loss":
        return dropdown("loss", ("mse", "bce"), value)
    if name == "normalize":
        return widgets.Checkbox(value=value, description="normalise inputs", indent=False,
                                layout=widgets.Layout(width="160px"))
    raise ValueError(f"unknown control {name!r}. Valid names: {', '.join(DEFAULTS)}")


def load_data(dataset, n=200, noise=None, seed=0):
    """(X, y) for a dataset name: a logic gate's four points, or n noisy points."""
    if dataset in GATES:
        return datasets.gate(dataset)
    make = {"moons": datasets.moons, "circles": datasets.circles, "spirals": datasets.spirals}.get(dataset)
    if make is None:
        raise ValueError(f"unknown dataset {dataset!r}. Valid names: {', '.join(DATASETS)}")
    return make(n=n, seed=seed) if noise is None else make(n=n, noise=noise, seed=seed)


class Trainer(Panel):
    """An MLP trainer panel (see the module docstring for what it shows).

    Every setting has a default and can be given as a keyword:

        dataset      "xor" (also "and", "or", "nand", "nor") or "moons", "circles", "spirals"
        lr           learning rate η                       activation   hidden activation
        output       "sigmoid" or "linear" output unit     hidden       units per hidden layer
        layers       number of hidden layers               epochs       epochs per training run
        seed         the network's seed                    init         "xavier", "he", "uniform"
        optimizer    "sgd", "momentum", "adam"             val_fraction share held out (0: none)
        normalize    standardise the inputs                loss         "mse" or "bce"

    controls      which settings get a widget (the others stay fixed), e.g.
                  ``controls=("lr", "activation", "dataset", "optimizer")``
    n, noise, data_seed   size, noise and seed of the random datasets (noise: one number,
                  a dict such as ``{"moons": 0.25}``, or None for each dataset's default)
    step_epochs   epochs per press of Step
    success_seeds how many seeds the success-rate button trains (None: no button)
    map_steps     resolution of the decision map (map_steps × map_steps points)
    max_hidden    most hidden units the slider offers (and hidden maps drawn)
    """

    def __init__(self, controls=DEFAULT_CONTROLS, n=200, noise=None, data_seed=0, step_epochs=100,
                 success_seeds=100, map_steps=80, max_hidden=8, title="Train an MLP", **settings):
        for kind, names in (("setting", settings), ("control", controls)):
            unknown = [name for name in names if name not in DEFAULTS]
            if unknown:
                raise ValueError(f"unknown {kind} {unknown[0]!r}. Valid names: {', '.join(DEFAULTS)}")
        self.fixed = {**DEFAULTS, **settings}
        self.n, self.noise, self.data_seed = n, noise, data_seed
        self.step_epochs, self.success_seeds = step_epochs, success_seeds
        self.map_steps, self.max_hidden = map_steps, max_hidden
        self.data_key = None          # (dataset, val_fraction, normalize) the views are drawn for
        self.success_shown = False
        self.task = None              # a background Train run, if one is going

        controls = {name: make_control(name, self.fixed[name], max_hidden) for name in controls}
        self.train_button = widgets.Button(description="Train", icon="play", tooltip="train `epochs` more epochs")
        self.step_button = widgets.Button(description="Step", icon="step-forward",
                                          tooltip=f"train {step_epochs} more epochs")
        self.reset_button = widgets.Button(description="Reset", icon="undo", tooltip="back to epoch 0")
        buttons = [self.train_button, self.step_button, self.reset_button]
        self.train_button.on_click(lambda _: self.on_train())
        self.step_button.on_click(lambda _: self.act(self.step))
        self.reset_button.on_click(lambda _: self.act(self.reset))
        if success_seeds:
            self.success_button = widgets.Button(description=f"Success rate over {success_seeds} seeds",
                                                 layout=widgets.Layout(width="250px"))
            self.success_button.on_click(lambda _: self.act(self.success_rate))
            buttons.append(self.success_button)
        for button in buttons[:3]:
            button.layout.width = "90px"

        fig = self.make_figure()
        super().__init__(controls, fig, self.update, buttons=buttons, title=title)
        freeze_layout(fig)
        # stable hooks for the browser tests: .bpkit-control-lr, .bpkit-control-activation, …, .bpkit-message
        for name, control in self.controls.items():
            control.add_class(f"bpkit-control-{name}")
        self.message.add_class("bpkit-message")

    # ---- settings and data ---------------------------------------------------

    @property
    def settings(self):
        """Every setting, by name: the controls' current values and the fixed ones."""
        return {**self.fixed, **{name: c.value for name, c in self.controls.items()}}

    def noise_for(self, dataset):
        """The noise of a random dataset: one number for all, or a dict by name (None: its default)."""
        return self.noise.get(dataset) if isinstance(self.noise, dict) else self.noise

    def sizes(self, s):
        return [2] + [s["hidden"]] * s["layers"] + [1]

    def prepare_data(self, s):
        """Load, split and (optionally) normalise the data for settings ``s``."""
        X, y = load_data(s["dataset"], self.n, self.noise_for(s["dataset"]), self.data_seed)
        if s["val_fraction"] > 0:
            X_train, y_train, X_val, y_val = datasets.train_val_split(X, y, s["val_fraction"], seed=self.data_seed)
        else:
            X_train, y_train, X_val, y_val = X, y, None, None
        mean, std = np.zeros(2), np.ones(2)
        if s["normalize"]:
            _, mean, std = datasets.standardize(X_train)
        self.X_raw, self.y = X_train, y_train
        self.X_val_raw, self.y_val = X_val, y_val
        self.mean, self.std = mean, std
        self.X = (X_train - mean) / std
        self.X_val = None if X_val is None else (X_val - mean) / std

    # ---- training ------------------------------------------------------------

    def new_network(self, s):
        """A fresh, untrained network for settings ``s`` (epoch 0)."""
        self.net = MLP(self.sizes(s), activation=s["activation"], output=s["output"], init=s["init"], seed=s["seed"])
        self.optimizer = optimizers.make(s["optimizer"], s["lr"])   # an object: its state carries on
        self.loss_history, self.val_history = np.empty(0), np.empty(0)
        self.diverged_at = None       # the epoch where the loss stopped being finite, if it did

    def train_epochs(self, epochs):
        """Train the current network ``epochs`` more epochs (as one call to ``fit`` would)."""
        s = self.settings
        validation = None if self.X_val is None else (self.X_val, self.y_val)
        try:
            history = self.net.fit(self.X, self.y, lr=s["lr"], epochs=epochs, loss=s["loss"],
                                   optimizer=self.optimizer, validation_data=validation)
        except TrainingDiverged as error:
            self.record(error.history)
            self.diverged_at = len(self.loss_history)
            raise TrainingDiverged(len(self.loss_history), error.loss_value, error.lr, error.history) from None
        self.record(history)

    def record(self, history):
        self.loss_history = np.concatenate([self.loss_history, history.loss])
        if history.val_loss is not None:
            self.val_history = np.concatenate([self.val_history, history.val_loss])

    @property
    def epochs_done(self):
        return len(self.loss_history)

    # ---- what the buttons and controls do --------------------------------------

    def update(self, **s):
        """A control changed: fresh network with the new settings, trained ``epochs`` epochs."""
        self.cancel_background()
        key = (s["dataset"], s["val_fraction"], s["normalize"])
        if key != self.data_key:
            self.prepare_data(s)
            self.draw_data_views()
            self.data_key = key
        if self.success_shown:
            self.clear_success_view()
        self.new_network(s)
        try:
            self.train_epochs(s["epochs"])
        finally:
            self.update_views()
        return self.status()

    def step(self):
        """Train ``step_epochs`` more epochs."""
        self.cancel_background()
        try:
            self.train_epochs(self.step_epochs)
        finally:
            self.update_views()        # (a diverged run too: its curve, and a map titled so)
        return self.status()

    def reset(self):
        """Back to the untrained network (epoch 0) with the current settings."""
        self.cancel_background()
        self.new_network(self.settings)
        self.update_views()
        return self.status()

    def train(self, epochs=None, chunks=10):
        """Train ``epochs`` (default: the epochs setting) more, in chunks, showing progress."""
        epochs = self.settings["epochs"] if epochs is None else epochs
        target = self.epochs_done + epochs
        try:
            for size in chunk_sizes(epochs, chunks):
                self.train_epochs(size)
                self.show_message(f"training … epoch {self.epochs_done} of {target}")
        finally:
            self.update_views()
        return self.status()

    def success_rate(self):
        """Train ``success_seeds`` networks (seeds 0, 1, …) with the current settings
        and histogram how many epochs each took to get every point right."""
        s = self.settings
        self.show_message(f"training {self.success_seeds} networks …")
        result = train_many(self.sizes(s), self.X, self.y, seeds=range(self.success_seeds),
                            activation=s["activation"], output=s["output"], init=s["init"], lr=s["lr"],
                            epochs=s["epochs"], loss=s["loss"], optimizer=s["optimizer"])
        self.success_result = result
        self.draw_success(result, s["epochs"])
        solved = int(result.solved.sum())
        text = f"{solved} of {len(result.seeds)} seeds solved it ({result.success_rate:.0%}) within {s['epochs']} epochs"
        if solved:
            text += f"; median epochs to solve: {np.median(result.solved_at[result.solved]):.0f}"
        return text

    def act(self, action):
        """Run a button's action; show its status, or its error, in the message line."""
        try:
            status = action()
        except (TrainingDiverged, ValueError) as error:
            self.show_message(f"⚠ {error}", error=True)
        else:
            self.show_message(status or "")
        self.redraw()

    def on_train(self):
        """The Train button. In a running kernel, training goes on in the background in
        chunks (the figure and message update between chunks, the controls stay live,
        and the button turns into Stop); elsewhere it simply trains."""
        if self.task is not None:
            self.cancel_background()
            self.show_message("stopped · " + self.status())
            return
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            self.act(self.train)
            return
        self.task = asyncio.ensure_future(self.train_in_background())

    async def train_in_background(self, chunks=20):
        epochs = self.settings["epochs"]
        target = self.epochs_done + epochs
        self.train_button.description, self.train_button.icon = "Stop", "stop"
        try:
            for size in chunk_sizes(epochs, chunks):
                self.train_epochs(size)
                self.update_views()
                self.show_message(f"training … epoch {self.epochs_done} of {target}")
                self.redraw()
                await asyncio.sleep(0.02)       # let the kernel handle clicks and slider moves
            self.show_message(self.status())
        except TrainingDiverged as error:
            self.update_views()
            self.show_message(f"⚠ {error}", error=True)
            self.redraw()
        finally:
            self.task = None
            self.train_button.description, self.train_button.icon = "Train", "play"

    def cancel_background(self):
        if self.task is not None:
            self.task.cancel()
            self.task = None
            self.train_button.description, self.train_button.icon = "Train", "play"

    def status(self):
        """One line: epochs so far, loss, and how many training points are right."""
        if self.epochs_done == 0:
            return "epoch 0: untrained network (press Train or Step)"
        out = self.net.forward_pass(self.X)[1][-1]
        right = int(np.sum((out > 0.5) == (self.y > 0.5)))
        text = (f"epoch {self.epochs_done}: loss {self.net.loss(self.X, self.y, self.settings['loss']):.4g}, "
                f"{right} of {len(self.y)} training points right")
        if self.X_val is not None:
            val_out = self.net.forward_pass(self.X_val)[1][-1]
            val_right = int(np.sum((val_out > 0.5) == (self.y_val > 0.5)))
            text += f"; validation loss {self.net.loss(self.X_val, self.y_val, self.settings['loss']):.4g}, " \
                    f"{val_right} of {len(self.y_val)} right"
        return text

    # ---- the figure --------------------------------------------------------------

    def make_figure(self):
        """Top row: loss, decision map, success rate. Bottom row: one map per hidden unit."""
        fig, ax = new_figure(1, 1, width=9.2, height=4.6)
        ax.remove()
        fig.get_layout_engine().set(wspace=0.08)      # air between the three top views
        top, bottom = fig.subfigures(2, 1, height_ratios=[2.5, 1])
        self.loss_ax, self.map_ax, self.success_ax = top.subplots(1, 3)
        self.unit_axes = bottom.subplots(1, self.max_hidden)
        bottom.suptitle("first hidden layer: each unit's activation over the plane (dark = high), "
                        "its line w₁x₁ + w₂x₂ + b = 0 (dashed) and its weight to the output (→)", fontsize=9)
        (self.train_line,) = self.loss_ax.plot([], [], color=TRAIN_COLOR, label="training loss")
        (self.val_line,) = self.loss_ax.plot([], [], color=VAL_COLOR, label="validation loss")
        self.loss_ax.set_yscale("log")
        self.loss_ax.set_xlabel("epoch")
        self.loss_ax.set_ylabel("loss")
        self.loss_ax.set_title("loss curve", y=1.0)
        self.loss_ax.grid(True, alpha=0.3)
        self.clear_success_view()
        return fig

    def predict_grid(self):
        """The network on the decision map's grid: every layer's activations."""
        points = (self.decision.points - self.mean) / self.std
        with np.errstate(over="ignore", invalid="ignore"):
            return self.net.forward_pass(points)[1]

    def draw_data_views(self):
        """(Re)draw what depends on the data: the decision map and the hidden-unit maps."""
        self.map_ax.clear()
        self.decision = DecisionMap(self.map_ax, self.X_raw, self.y, lambda p: np.full(len(p), 0.5),
                                    steps=self.map_steps)
        if len(self.X_raw) > 8:                   # many points: smaller markers
            for points in self.map_ax.collections:
                points.set_sizes([12])
        if self.X_val_raw is not None:
            self.map_ax.scatter(self.X_val_raw[:, 0], self.X_val_raw[:, 1], s=14, facecolors="none",
                                edgecolors="black", linewidths=0.8, zorder=3)
        xs, ys = self.decision.xs, self.decision.ys
        extent = (xs[0], xs[-1], ys[0], ys[-1])
        self.unit_images, self.unit_lines = [], []
        for k, ax in enumerate(self.unit_axes):
            ax.clear()
            image = ax.imshow(np.zeros((self.map_steps, self.map_steps)), origin="lower", extent=extent,
                              aspect="auto", cmap="Purples", interpolation="nearest")
            (line,) = ax.plot([], [], "--", color="black", linewidth=1)
            if len(self.X_raw) <= 8:
                scatter_classes(ax, self.X_raw, self.y, size=14)
            ax.set_xlim(xs[0], xs[-1])
            ax.set_ylim(ys[0], ys[-1])
            ax.set_xticks([])
            ax.set_yticks([])
            self.unit_images.append(image)
            self.unit_lines.append(line)
        self.loss_ax.legend(handles=[self.train_line, self.val_line] if self.X_val_raw is not None
                            else [self.train_line], loc="upper right", fontsize=8)

    def update_views(self):
        """Redraw loss curve, decision map and hidden-unit maps for the current network."""
        self.update_loss_view()
        acts = self.predict_grid()
        self.decision.update(lambda _: acts[-1])
        self.update_unit_views(acts[1])
        if self.diverged_at is None:
            self.map_ax.set_title(MAP_TITLE, y=1.0, color="black")
        else:
            self.map_ax.set_title(f"diverged at epoch {self.diverged_at}: no answer", y=1.0, color="#b91c1c")

    def update_loss_view(self):
        epochs = np.arange(self.epochs_done)
        self.train_line.set_data(epochs, self.loss_history)
        has_val = self.X_val is not None and len(self.val_history) == self.epochs_done
        self.val_line.set_data(epochs if has_val else [], self.val_history if has_val else [])
        values = np.concatenate([self.loss_history, self.val_history if has_val else []])
        values = values[np.isfinite(values) & (values > 0)]
        self.loss_ax.set_xlim(0, max(self.epochs_done, 1))
        if len(values):        # (a diverging run's last values can be astronomical: cap the axis)
            low = max(values.min() / 1.5, 1e-30)
            self.loss_ax.set_ylim(low, min(values.max() * 1.5, 1e12))

    def update_unit_views(self, hidden):
        """Each first-layer unit: its activation over the plane and its switching line."""
        units = hidden.shape[1]
        W, b = self.net.weights[0], self.net.biases[0]
        low, high = {"tanh": (-1, 1), "sigmoid": (0, 1)}.get(self.net.activation.name, (None, None))
        xs = np.array([self.decision.xs[0], self.decision.xs[-1]])
        for k, (ax, image, line) in enumerate(zip(self.unit_axes, self.unit_images, self.unit_lines)):
            ax.set_visible(k < units)
            if k >= units:
                continue
            values = hidden[:, k].reshape(self.map_steps, self.map_steps)
            image.set_data(values)
            if low is None:                      # relu, leaky relu: from the smallest to the largest value
                finite = values[np.isfinite(values)]
                lo, hi = (finite.min(), finite.max()) if len(finite) else (0, 1)
                image.set_clim(lo, hi if hi > lo else lo + 1)
            else:
                image.set_clim(low, high)
            line.set_data(*switching_line(W[:, k], b[k], xs, self.mean, self.std))
            out_weight = self.net.weights[1][k, 0] if self.net.n_layers == 2 else None
            ax.set_title(f"h{k + 1}" + ("" if out_weight is None else f" → {out_weight:+.1f}"), fontsize=8, y=1.0)

    def clear_success_view(self):
        ax = self.success_ax
        ax.clear()
        ax.set_ylim(0, self.success_seeds or 1)
        ax.set_xlim(0, 10000)      # (wide tick labels, so the frozen layout leaves room for them)
        ax.xaxis.set_major_locator(MaxNLocator(4))
        ax.set_title("success rate over many seeds", y=1.0)
        ax.set_xlabel("epochs until every point is right")     # (keeps room for the histogram's labels)
        ax.set_ylabel("seeds")
        ax.set_visible(bool(self.success_seeds))
        if self.success_seeds:
            ax.text(0.5, 0.5, f"press the button\n“Success rate over\n{self.success_seeds} seeds” to train\n"
                    f"{self.success_seeds} networks with\nthese settings",
                    ha="center", va="center", transform=ax.transAxes, color="#4a5568", fontsize=9)
        self.success_shown = False

    def draw_success(self, result, epochs):
        ax = self.success_ax
        ax.clear()
        solved_at = result.solved_at[result.solved]
        bins = np.linspace(0, epochs, 21)
        ax.hist(solved_at, bins=bins, color=TRAIN_COLOR, edgecolor="white")
        ax.set_xlim(0, epochs)
        ax.xaxis.set_major_locator(MaxNLocator(4))
        ax.set_xlabel("epochs until every point is right")
        ax.set_ylabel("seeds")
        ax.set_title(f"{int(result.solved.sum())} of {len(result.seeds)} seeds solved "
                     f"({result.success_rate:.0%})", y=1.0)
        ax.grid(True, alpha=0.3)
        self.success_shown = True

    # ---- reproduce the run -------------------------------------------------------

    def code(self):
        """A few lines of bpkit that reproduce the current run (same final loss)."""
        s = self.settings
        if s["dataset"] in GATES:
            lines = [f"X, y = bpkit.datasets.gate({s['dataset']!r})"]
        else:
            noise = "" if self.noise_for(s["dataset"]) is None else f", noise={self.noise_for(s['dataset'])}"
            lines = [f"X, y = bpkit.datasets.{s['dataset']}(n={self.n}{noise}, seed={self.data_seed})"]
        fit_extra = ""
        if s["val_fraction"] > 0:
            lines.append(f"X, y, X_val, y_val = bpkit.datasets.train_val_split(X, y, {s['val_fraction']}, "
                         f"seed={self.data_seed})")
            fit_extra = ", validation_data=(X_val, y_val)"
        if s["normalize"]:
            lines.append("X, mean, std = bpkit.datasets.standardize(X)")
            if s["val_fraction"] > 0:
                lines.append("X_val, _, _ = bpkit.datasets.standardize(X_val, mean, std)")
        lines.append(f"net = bpkit.MLP({self.sizes(s)}, activation={s['activation']!r}, output={s['output']!r}, "
                     f"init={s['init']!r}, seed={s['seed']})")
        lines.append(f"history = net.fit(X, y, lr={s['lr']!r}, epochs={self.epochs_done}, loss={s['loss']!r}, "
                     f"optimizer={s['optimizer']!r}{fit_extra})")
        return "import bpkit\n" + "\n".join(lines)


def freeze_layout(fig):
    """Lay the figure out once and keep that layout: re-running the constrained
    layout on every redraw would double the time a slider move takes."""
    fig.get_layout_engine().execute(fig)
    fig.set_layout_engine("none")


def chunk_sizes(total, chunks):
    """Split ``total`` epochs into at most ``chunks`` nearly equal positive parts."""
    chunks = max(1, min(chunks, total))
    return [total // chunks + (1 if i < total % chunks else 0) for i in range(chunks)]


def switching_line(w, b, xs, mean, std):
    """Points of the line w·x' + b = 0 (x' the normalised input) in raw coordinates,
    at the two x₁ values in ``xs`` (or a vertical line if w₂ ≈ 0)."""
    # x'_i = (x_i − mean_i) / std_i, so the line in raw coordinates is
    # (w₁/std₁) x₁ + (w₂/std₂) x₂ + (b − w₁ mean₁/std₁ − w₂ mean₂/std₂) = 0
    w1, w2 = w[0] / std[0], w[1] / std[1]
    c = b - w1 * mean[0] - w2 * mean[1]
    if not np.all(np.isfinite([w1, w2, c])):
        return [], []
    if abs(w2) > 1e-9 * max(abs(w1), 1e-12):
        return xs, -(w1 * xs + c) / w2
    if abs(w1) > 0:
        x = -c / w1
        return [x, x], [-1e6, 1e6]
    return [], []
