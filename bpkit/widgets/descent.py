"""Lesson 02's panels: gradient descent on a 1-D loss curve and a 2-D loss surface.

Gradient descent repeats one update from a starting point θ₀:

    θ ← θ − η ∇C(θ)          η is the learning rate

    descent_1d()      a loss curve C(θ) (a quadratic, or a curve with two valleys)
    descent_2d()      an elongated bowl C(θ₁, θ₂), seen from above as contours

Both have a learning-rate slider (log scale), draw the path of the steps, and
say which regime the run is in. The regime is read off the run itself
(``classify``), not looked up from a table:

    diverging      the loss ended higher than it started (or θ ran away)
    oscillating    most steps reverse the direction of the one before: they overshoot
    just right     the slope fell below 1% of where it started within the steps
    too small      none of the above: it is still crawling downhill

For the quadratic C(θ) = ½kθ² the theory is exact: θ_{t+1} = (1 − ηk) θ_t, so
gradient descent converges if and only if 0 < η < 2/k, and overshoots (the sign
of θ flips every step) when η > 1/k. The message puts the run beside that rule.
"""

from collections import namedtuple
from dataclasses import dataclass
from typing import Callable

import numpy as np

from .. import plots
from ..training import TrainingDiverged
from ._panel import Panel, dropdown, log_slider, new_figure

STEPS = 30              # gradient-descent steps per run
RUN_AWAY = 1e6          # once |θ| is beyond this the run has run away: stop it
SETTLED = 1e-2          # converged: the slope is below 1% of its size at the start
LOSS_FLOOR = 1e-16      # the loss plots are on a log scale: smaller values are drawn at this floor
PATH_COLOR = "#c53030"
START_COLOR, END_COLOR = "#2f855a", "#1a202c"


# ---- gradient descent and how to read a run -------------------------------------

def gradient_descent(gradient, theta0, lr, steps=STEPS):
    """θ_{t+1} = θ_t − η ∇C(θ_t), from θ₀, for ``steps`` steps.

    Returns every θ visited as an array of shape (t + 1, dimensions), starting
    with θ₀. Stops early once some |θ| exceeds ``RUN_AWAY`` (or is not a number):
    that run has diverged, and going on would only overflow.
    """
    if not lr > 0:
        raise ValueError(f"the learning rate must be a positive number, got {lr!r}")
    theta = np.atleast_1d(np.asarray(theta0, dtype=np.float64))
    path = [theta]
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(steps):
            theta = theta - lr * gradient(theta)
            path.append(theta)
            if not np.all(np.abs(theta) <= RUN_AWAY):
                break
    return np.array(path)


Regime = namedtuple("Regime", "name steps loss_start loss_end slope_ratio reversals")
Regime.__doc__ = """What a run did.

name         "diverging", "oscillating", "just right" or "too small"
steps        how many steps it took (fewer than asked when it ran away)
loss_start   C(θ₀);  loss_end  C at the last θ
slope_ratio  ‖∇C(θ_end)‖ / ‖∇C(θ₀)‖: below SETTLED (1%) counts as converged
reversals    the fraction of steps that point against the step before (overshoots)
"""


def reversal_fraction(path):
    """The fraction of consecutive steps Δ_t = θ_{t+1} − θ_t with Δ_t · Δ_{t−1} < 0."""
    deltas = np.diff(path, axis=0)
    if len(deltas) < 2:
        return 0.0
    dots = np.sum(deltas[1:] * deltas[:-1], axis=1)
    return float(np.mean(dots < 0))


def classify(path, loss, gradient):
    """Read the regime off a run of gradient descent (a ``Regime``)."""
    with np.errstate(over="ignore", invalid="ignore"):
        loss_start, loss_end = np.asarray(loss(path[0])).item(), np.asarray(loss(path[-1])).item()
        slope_start = float(np.linalg.norm(gradient(path[0])))
        slope_end = float(np.linalg.norm(gradient(path[-1])))
    ran_away = not (np.all(np.isfinite(path[-1])) and np.all(np.abs(path[-1]) <= RUN_AWAY))
    slope_ratio = slope_end / slope_start if slope_start > 0 else 0.0
    reversals = reversal_fraction(path)
    if ran_away or not np.isfinite(loss_end) or loss_end > loss_start:
        name = "diverging"
    elif reversals > 0.5:
        name = "oscillating"
    elif slope_ratio < SETTLED:
        name = "just right"
    else:
        name = "too small"
    return Regime(name, len(path) - 1, loss_start, loss_end, slope_ratio, reversals)


class Diverged(TrainingDiverged):
    """A gradient-descent run that diverged; the panel shows its message in red."""

    def __init__(self, regime, lr, path, message):
        super().__init__(regime.steps, regime.loss_end, lr, path)
        self.regime = regime
        self.args = (message,)


# ---- the 1-D loss curves -----------------------------------------------------------

@dataclass(frozen=True)
class Curve:
    """A 1-D loss C(θ) with its slope C'(θ), its curvature C''(θ), where the
    runs start, and the window to draw it in."""
    name: str
    formula: str
    loss: Callable
    slope: Callable
    curvature: Callable
    theta0: float
    theta_range: tuple
    loss_range: tuple


K = 1.0   # the curvature of the quadratic


def quadratic(theta, k=K):
    """C(θ) = ½ k θ²."""
    return 0.5 * k * theta ** 2


def quadratic_slope(theta, k=K):
    """C'(θ) = k θ."""
    return k * theta


def two_valleys(theta):
    """C(θ) = θ⁴/4 − θ² + θ/2: a deep valley on the left, a shallower one on the right."""
    return theta ** 4 / 4 - theta ** 2 + theta / 2


def two_valleys_slope(theta):
    """C'(θ) = θ³ − 2θ + 1/2."""
    return theta ** 3 - 2 * theta + 0.5


def two_valleys_curvature(theta):
    """C''(θ) = 3θ² − 2."""
    return 3 * theta ** 2 - 2


CURVES = {
    "quadratic": Curve("quadratic", r"$C(\theta) = \frac{1}{2} k \theta^2$, $k = 1$", quadratic, quadratic_slope,
                       lambda theta: np.full_like(theta, K), 3.0, (-4.5, 4.5), (-0.5, 10.0)),
    "two valleys": Curve("two valleys", r"$C(\theta) = \theta^4/4 - \theta^2 + \theta/2$", two_valleys,
                         two_valleys_slope, two_valleys_curvature, 2.2, (-2.6, 2.6), (-2.2, 4.0)),
}


def lowest_value(curve):
    """The lowest C(θ) inside the curve's window, found on a fine grid then
    polished with Newton steps on C'(θ) = 0."""
    thetas = np.linspace(*curve.theta_range, 2001)
    theta = thetas[np.argmin(curve.loss(thetas))]
    for _ in range(20):
        theta = theta - curve.slope(theta) / curve.curvature(np.float64(theta))
    return float(curve.loss(theta))


def describe_1d(curve, lr, regime, path):
    """One sentence on a 1-D run: its regime, the numbers behind it, and the rule η < 2/C''."""
    where = path[-1, 0]
    if curve.name == "quadratic":
        factor = path[1, 0] / path[0, 0]
        rule = (f"each step multiplies θ by {factor:.3f} (theory: 1 − ηk = {1 - lr * K:.3f}); "
                f"it converges only if η < 2/k = {2 / K:.2f}")
    elif regime.name == "diverging":
        rule = f"θ ran off to {where:.3g}"
    else:
        bend = float(curve.curvature(np.float64(where)))
        rule = (f"it ended at θ = {where:.3f}, where C'' = {bend:.2f}: steps settle there only if "
                f"η < 2/C'' = {2 / bend:.3f}")
    if regime.name == "diverging":
        return (f"η = {lr:.4g}: diverging — the loss grew from {regime.loss_start:.3g} to {regime.loss_end:.3g} "
                f"in {regime.steps} steps; {rule}. Try a smaller learning rate.")
    return f"η = {lr:.4g}: {regime.name} — {how_it_went(regime)}; {rule}."


def percent(ratio):
    """A ratio as a percentage that never rounds a small one to 0%."""
    return "less than 0.01%" if ratio < 1e-4 else f"{ratio:.2%}"


def how_it_went(regime, overshoot="of the steps reverse direction, overshooting the bottom"):
    """The part of a message that says what the run did."""
    if regime.name == "oscillating":
        return f"{regime.reversals:.0%} {overshoot}"
    if regime.name == "just right":
        return f"the slope fell to {percent(regime.slope_ratio)} of its start in {regime.steps} steps"
    return f"after {regime.steps} steps the slope is still {regime.slope_ratio:.0%} of its start"


def descent_1d(lr=0.5, curve="quadratic"):
    """Gradient descent on a 1-D loss curve: the curve with the path of the steps
    (left) and the loss above its lowest value, step by step (right)."""
    fig, (ax_curve, ax_loss) = new_figure(2, width=4.6, height=3.5)
    (curve_line,) = ax_curve.plot([], [], color=plots.TRAIN_COLOR, lw=2.2, label=r"loss $C(\theta)$")
    (path_line,) = ax_curve.plot([], [], "o-", color=PATH_COLOR, lw=1.2, ms=4, label="steps")
    (start_dot,) = ax_curve.plot([], [], "o", color=START_COLOR, ms=9, label=r"start $\theta_0$", zorder=4)
    (end_dot,) = ax_curve.plot([], [], "X", color=END_COLOR, ms=10, label="last step", zorder=4)
    ax_curve.set_xlabel(r"$\theta$")
    ax_curve.set_ylabel(r"$C(\theta)$")
    ax_curve.grid(True, alpha=0.3)
    ax_curve.legend(loc="upper center", fontsize=8, ncol=2)
    (loss_line,) = ax_loss.plot([], [], "o-", color=PATH_COLOR, lw=1.2, ms=3)
    ax_loss.set_yscale("log")
    ax_loss.set_xlim(0, STEPS)
    ax_loss.set_xlabel("step $t$")
    ax_loss.set_ylabel(r"$C(\theta_t) - C_{\min}$")
    ax_loss.set_title("loss above its lowest value")
    ax_loss.grid(True, alpha=0.3)
    ax_loss.axhspan(LOSS_FLOOR / 100, LOSS_FLOOR, color="0.85", zorder=0)
    ax_loss.text(STEPS - 0.5, LOSS_FLOOR / 15, r"below $10^{-16}$: drawn at $10^{-16}$", ha="right", va="center",
                 fontsize=8, color="0.3", clip_on=True)
    thetas = {name: np.linspace(*c.theta_range, 400) for name, c in CURVES.items()}
    floors = {name: lowest_value(c) for name, c in CURVES.items()}

    def update(lr, curve):
        c = CURVES[curve]
        curve_line.set_data(thetas[curve], c.loss(thetas[curve]))
        ax_curve.set_xlim(*c.theta_range)
        ax_curve.set_ylim(*c.loss_range)
        ax_curve.set_title(c.formula)
        path = gradient_descent(c.slope, c.theta0, lr)
        with np.errstate(over="ignore", invalid="ignore"):
            losses = c.loss(path[:, 0])
        path_line.set_data(path[:, 0], losses)
        start_dot.set_data(path[:1, 0], losses[:1])
        end_dot.set_data(path[-1:, 0], losses[-1:])
        above = np.clip(losses - floors[curve], LOSS_FLOOR, 1e30)
        loss_line.set_data(np.arange(len(path)), above)
        bottom = LOSS_FLOOR / 100 if above.min() <= LOSS_FLOOR else above.min() / 3   # show the floor's band
        ax_loss.set_ylim(bottom, max(above.max() * 3, 10.0))
        regime = classify(path, c.loss, c.slope)
        message = describe_1d(c, lr, regime, path)
        if regime.name == "diverging":
            raise Diverged(regime, lr, path, message)
        return message

    lay_out(fig, update, lr, curve)
    controls = {"lr": log_slider("learning rate η", lr, -3, 1),
                "curve": dropdown("loss curve", list(CURVES), curve)}
    return Panel(controls, fig, update, title=f"Gradient descent in 1-D: {STEPS} steps of θ ← θ − η C'(θ)")


# ---- the 2-D bowl -------------------------------------------------------------------

BOWL_K = np.array([1.0, 10.0])           # curvature along θ₁ (shallow) and θ₂ (steep)
BOWL_START = np.array([-4.0, 1.5])


def bowl(theta):
    """C(θ₁, θ₂) = ½ (k₁ θ₁² + k₂ θ₂²), k = (1, 10): a valley, steep across and shallow along.

    ``theta`` may hold many points, one per row (shape (m, 2)) or a single (2,) point.
    """
    theta = np.asarray(theta, dtype=np.float64)
    return 0.5 * np.sum(BOWL_K * theta ** 2, axis=-1)


def bowl_gradient(theta):
    """∇C = (k₁ θ₁, k₂ θ₂)."""
    return BOWL_K * np.asarray(theta, dtype=np.float64)


def describe_2d(lr, regime):
    """One sentence on a run in the bowl, beside the rule: each direction i shrinks by
    |1 − η kᵢ| per step, so the steep one sets the limit η < 2/k_max."""
    factors = 1 - lr * BOWL_K
    rule = (f"per step θ₁ is multiplied by {factors[0]:.3g} and θ₂ by {factors[1]:.3g}; "
            f"it converges only if η < 2/k₂ = {2 / BOWL_K[1]:.2f}")
    if regime.name == "diverging":
        return (f"η = {lr:.4g}: diverging — the loss grew from {regime.loss_start:.3g} to {regime.loss_end:.3g} "
                f"in {regime.steps} steps; {rule}. Try a smaller learning rate.")
    how = how_it_went(regime, overshoot="of the steps turn back: it zig-zags across the valley")
    return f"η = {lr:.4g}: {regime.name} — {how}; {rule}."


def descent_2d(lr=0.14):
    """Gradient descent in the elongated bowl: contours with the path (left) and
    the loss per step (right)."""
    fig, (ax_map, ax_loss) = new_figure(2, width=4.6, height=3.5)
    t1, t2 = np.meshgrid(np.linspace(-5, 5, 161), np.linspace(-2.5, 2.5, 101))
    surface = bowl(np.stack([t1, t2], axis=-1))
    contours = ax_map.contour(t1, t2, surface, levels=[0.1, 0.5, 1, 2, 4, 8, 16, 32],
                              colors=plots.TRAIN_COLOR, linewidths=0.9, alpha=0.7)
    ax_map.clabel(contours, fontsize=7, fmt="%g")
    (path_line,) = ax_map.plot([], [], "o-", color=PATH_COLOR, lw=1.2, ms=3, label="steps")
    ax_map.plot(*BOWL_START, "o", color=START_COLOR, ms=9, label=r"start $\theta_0$", zorder=4)
    ax_map.plot(0, 0, "*", color="black", ms=11, label="minimum", zorder=4)
    ax_map.set_xlim(-5, 5)
    ax_map.set_ylim(-2.5, 2.5)
    ax_map.set_aspect("equal")
    ax_map.set_xlabel(r"$\theta_1$ (shallow, $k_1 = 1$)")
    ax_map.set_ylabel(r"$\theta_2$ (steep, $k_2 = 10$)")
    ax_map.set_title(r"$C = \frac{1}{2}(\theta_1^2 + 10\,\theta_2^2)$")
    # the legend goes under the map: inside it would cover contour labels
    ax_map.legend(loc="upper center", bbox_to_anchor=(0.5, -0.22), ncol=3, fontsize=8, frameon=False)
    (loss_line,) = ax_loss.plot([], [], "o-", color=PATH_COLOR, lw=1.2, ms=3)
    ax_loss.set_yscale("log")
    ax_loss.set_xlim(0, STEPS)
    ax_loss.set_xlabel("step $t$")
    ax_loss.set_ylabel(r"$C(\theta_t)$")
    ax_loss.set_title("loss per step")
    ax_loss.grid(True, alpha=0.3)

    def update(lr):
        path = gradient_descent(bowl_gradient, BOWL_START, lr)
        path_line.set_data(path[:, 0], path[:, 1])
        with np.errstate(over="ignore", invalid="ignore"):
            losses = np.clip(bowl(path), LOSS_FLOOR, 1e30)
        loss_line.set_data(np.arange(len(path)), losses)
        ax_loss.set_ylim(max(losses.min() / 3, LOSS_FLOOR), max(losses.max() * 3, 100.0))
        regime = classify(path, bowl, bowl_gradient)
        message = describe_2d(lr, regime)
        if regime.name == "diverging":
            raise Diverged(regime, lr, path, message)
        return message

    lay_out(fig, update, lr)
    controls = {"lr": log_slider("learning rate η", lr, -3, 0)}
    return Panel(controls, fig, update, title=f"Gradient descent in 2-D: {STEPS} steps of θ ← θ − η ∇C(θ)")


def lay_out(fig, update, *settings):
    """Draw the starting run, lay the figure out once for it, then keep that layout.

    A slider moves lines; it never changes the space the axes need, and
    re-running the layout on every redraw would cost about half of the redraw.
    """
    try:
        update(*settings)
    except Diverged:
        pass                       # the panel will say so when it runs update again
    fig.get_layout_engine().execute(fig)
    fig.set_layout_engine("none")
