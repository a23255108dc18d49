"""The XOR trainer panel of lesson 06, used like a learner uses it: in JupyterLab.

After Run All, the test moves the learning-rate slider with the keyboard and
changes the activation, and checks that the live (ipympl) figure was redrawn and
the readout shows the new value; then it pushes the learning rate to its maximum
with a linear output unit and checks that the panel says the run diverged.

It also prints how long the browser took from the key press (or the dropdown
change) to the redrawn figure: training included, measured in the page. That is
a number to look at, not an assertion (the machine is shared; see benchmarks/).
"""
import re

from .conftest import SCREENSHOTS
from .jupyterlab import error_outputs, open_notebook, run_all, wait_for_kernel_idle, widget_console_errors, widget_problems

NOTEBOOK = "notebooks/06_mlp_solves_xor.ipynb"
PANEL_TITLE = "Train an MLP"            # the Trainer's default title (bpkit/widgets/trainer.py)
DIVERGED = re.compile(r"the loss became (inf|nan|-inf)\b.*smaller learning rate", re.DOTALL)
REDRAW_TIMEOUT = 60_000                 # ms; a retrain is ~0.2 s, but the machine is shared

# Installed once on the panel's canvas. ``arm()`` (called from the test just
# before an action) keeps the current picture; the next key press or <select>
# change is the action's time, and a hook on drawImage records when the canvas
# first shows a picture different from the kept one. (The picture is kept
# before the action so that the copy's cost is not counted.)
WATCH_CANVAS = """(canvas) => {
    const watch = {before: null, action: null, changed: null};
    watch.arm = () => { watch.before = canvas.toDataURL(); watch.action = null; watch.changed = null; };
    window.bpkitCanvasWatch = watch;
    const act = () => { if (watch.before !== null && watch.action === null) watch.action = performance.now(); };
    document.addEventListener("keydown", act, true);
    document.addEventListener("change", (event) => { if (event.target.tagName === "SELECT") act(); }, true);
    const drawImage = CanvasRenderingContext2D.prototype.drawImage;
    CanvasRenderingContext2D.prototype.drawImage = function (...args) {
        const result = drawImage.apply(this, args);
        if (this.canvas === canvas && watch.action !== null && watch.changed === null
                && canvas.toDataURL() !== watch.before) {
            watch.changed = performance.now();
        }
        return result;
    };
}"""


def trainer_panel(page):
    """The panel's box: the widget VBox whose header reads the panel's title."""
    title = page.locator(".widget-html", has_text=PANEL_TITLE)
    panel = page.locator(".widget-vbox").filter(has=title).filter(has=page.locator(".jupyter-matplotlib canvas"))
    assert panel.count() == 1, f"expected one trainer panel titled {PANEL_TITLE!r}, found {panel.count()}"
    return panel


def control(panel, kind, label):
    """A control of the panel by its kind (".widget-slider", ".widget-dropdown") and description."""
    box = panel.locator(kind).filter(has=panel.page.locator(".widget-label", has_text=label))
    assert box.count() == 1, f"expected one {kind} labelled {label!r} in the panel, found {box.count()}"
    return box


def message(panel):
    """The panel's message line (the last HTML widget in it) as plain text."""
    return panel.locator(".widget-html").last.inner_text().strip()


def readout(locator):
    """A slider's readout as a number (it shows 3 significant digits: "1.00", "1.12", "10.0")."""
    return float(locator.inner_text().strip())


def arm(page):
    """Keep the canvas's current picture; the next action is timed against it."""
    page.evaluate("() => window.bpkitCanvasWatch.arm()")


def wait_for_redraw(page, lab, what):
    """Wait until the canvas changed after the last action and the kernel is idle;
    return the milliseconds from the action to the changed picture."""
    page.wait_for_function("() => window.bpkitCanvasWatch.changed !== null", timeout=REDRAW_TIMEOUT)
    wait_for_kernel_idle(lab, NOTEBOOK, timeout=60, settle=0.5)
    page.wait_for_timeout(300)           # the message line's update may trail the figure's
    milliseconds = page.evaluate("() => window.bpkitCanvasWatch.changed - window.bpkitCanvasWatch.action")
    print(f"{what}: figure redrawn {milliseconds:.0f} ms after the action (training included)")
    return milliseconds


def test_xor_trainer_responds_to_learning_rate_and_activation(lab, page):
    open_notebook(page, lab, NOTEBOOK)
    run_all(page, lab, NOTEBOOK)
    assert error_outputs(page) == [], f"{NOTEBOOK} shows an error"
    assert widget_problems(page) == [], f"{NOTEBOOK}: a widget did not render"

    panel = trainer_panel(page)
    panel.scroll_into_view_if_needed()
    canvas = panel.locator(".jupyter-matplotlib canvas").first
    canvas.evaluate(WATCH_CANVAS)
    lr = control(panel, ".widget-slider", "learning rate")
    lr_handle, lr_readout = lr.locator(".noUi-handle"), lr.locator(".widget-readout")
    activation = control(panel, ".widget-dropdown", "hidden activation").locator("select")
    output = control(panel, ".widget-dropdown", "output activation").locator("select")
    picture_at_start, message_at_start = canvas.evaluate("c => c.toDataURL()"), message(panel)
    assert readout(lr_readout) == 1.0, "the notebook should leave the learning rate at 1"

    # one step right on the log slider: η = 10**0.05 ≈ 1.12
    lr_handle.focus()
    arm(page)
    page.keyboard.press("ArrowRight")
    slider_ms = wait_for_redraw(page, lab, "learning-rate slider, one ArrowRight")
    assert readout(lr_readout) == 1.12
    assert canvas.evaluate("c => c.toDataURL()") != picture_at_start
    assert message(panel) != message_at_start, "the message line should show the new run's loss"
    assert re.match(r"epoch \d+: loss ", message(panel)), message(panel)

    # a different hidden activation: another network, another picture
    picture, text = canvas.evaluate("c => c.toDataURL()"), message(panel)
    arm(page)
    activation.select_option("relu")
    dropdown_ms = wait_for_redraw(page, lab, "activation dropdown, tanh → relu")
    assert activation.input_value() == "relu"
    assert canvas.evaluate("c => c.toDataURL()") != picture
    assert message(panel) != text

    # a linear output unit and the largest learning rate (End key): the run diverges
    arm(page)
    output.select_option("linear")
    wait_for_redraw(page, lab, "output dropdown, sigmoid → linear")
    assert not DIVERGED.search(message(panel)), "lr 1.12 should not diverge yet"
    lr_handle.focus()
    arm(page)
    page.keyboard.press("End")
    wait_for_redraw(page, lab, "learning-rate slider, End")
    assert readout(lr_readout) == 10.0
    assert DIVERGED.search(message(panel)), f"the panel should say the run diverged, it says {message(panel)!r}"

    SCREENSHOTS.mkdir(exist_ok=True)
    panel.screenshot(path=str(SCREENSHOTS / "xor_trainer_diverged.png"))
    assert error_outputs(page) == [], "a callback raised an error in the notebook"
    assert widget_problems(page) == [] and widget_console_errors(page) == []
    print(f"slider-to-redraw {slider_ms:.0f} ms, dropdown-to-redraw {dropdown_ms:.0f} ms")
