"""The one Panel every lesson's widget is built on.

A panel is a row of controls, a figure and a message line. When a control
changes, the panel calls its ``update(**settings)`` function, which changes
the figure's artists (``line.set_ydata``, ``image.set_data``, …); the panel
then redraws the figure in place.
"""

import html

import ipywidgets as widgets
import matplotlib.pyplot as plt
from IPython.display import Image, display

from .. import plots
from ..training import TrainingDiverged

CONTROL_STYLE = {"description_width": "initial"}
MAX_LIVE_WIDTH = 900    # pixels: a live figure must fit JupyterLab's output area beside the file browser
CONTROL_LAYOUT = widgets.Layout(width="300px")


def setup():
    """Use in-place figures (ipympl, ``%matplotlib widget``) when installed.

    Without ipympl, figures are redrawn as still images; one line says so.
    Returns True when figures are live.
    """
    from IPython import get_ipython
    shell = get_ipython()
    if shell is None:
        return False
    try:
        import ipympl  # noqa: F401
    except ImportError:
        shell.run_line_magic("matplotlib", "inline")
        print("ipympl is not installed: figures will redraw as still images "
              "(pip install ipympl for smooth, in-place updates).")
        return False
    shell.run_line_magic("matplotlib", "widget")
    return True


def in_notebook():
    """True inside IPython or Jupyter (where ``display`` shows something)."""
    from IPython import get_ipython
    return get_ipython() is not None


def is_live(fig):
    """True when the figure draws into an ipympl canvas that updates in place."""
    return type(fig.canvas).__module__.startswith("ipympl")


def new_figure(n_cols=1, n_rows=1, width=4.2, height=3.6, **kwargs):
    """A figure for a panel: made without being shown (the panel shows it),
    with ipympl's toolbar and title bar hidden."""
    with plt.ioff():
        fig, axes = plots.figure(n_cols, n_rows, width, height, **kwargs)
    if is_live(fig):
        # A live canvas is as many pixels wide as inches × dpi; a wide figure keeps
        # its layout and draws at a lower dpi instead of spilling out of the page.
        fig.set_dpi(min(fig.dpi, MAX_LIVE_WIDTH / fig.get_figwidth()))
        fig.canvas.header_visible = False
        fig.canvas.footer_visible = False
        fig.canvas.toolbar_visible = False
        fig.canvas.resizable = False
    return fig, axes


# ---- controls with the course's look ---------------------------------------

def slider(description, value, min, max, step, continuous_update=False, readout_format=".2f"):
    return widgets.FloatSlider(value=value, min=min, max=max, step=step, description=description,
                               continuous_update=continuous_update, readout_format=readout_format,
                               style=CONTROL_STYLE, layout=CONTROL_LAYOUT)


def log_slider(description, value, min_exponent, max_exponent, continuous_update=False):
    """A slider on a log scale: from 10**min_exponent to 10**max_exponent.
    Learning rates live on a log scale: 0.01 and 0.1 differ as much as 0.1 and 1."""
    return widgets.FloatLogSlider(value=value, base=10, min=min_exponent, max=max_exponent, step=0.05,
                                  description=description, continuous_update=continuous_update,
                                  readout_format=".3g", style=CONTROL_STYLE, layout=CONTROL_LAYOUT)


def int_slider(description, value, min, max, step=1, continuous_update=False):
    return widgets.IntSlider(value=value, min=min, max=max, step=step, description=description,
                             continuous_update=continuous_update, style=CONTROL_STYLE, layout=CONTROL_LAYOUT)


def dropdown(description, options, value=None):
    return widgets.Dropdown(options=options, value=value if value is not None else list(options)[0],
                            description=description, style=CONTROL_STYLE, layout=CONTROL_LAYOUT)


# ---- the panel ----------------------------------------------------------------

class Panel(widgets.VBox):
    """Controls, a figure and a message line, wired together.

    controls  dict name → widget; their values are passed to ``update`` by name
    fig       the matplotlib figure (make it with ``new_figure``)
    update    function(**settings) that changes the figure's artists and may
              return a short status text; a ``TrainingDiverged`` or ``ValueError``
              it raises is shown in the message line instead of a traceback
    buttons   optional list of ``widgets.Button`` to show beside the controls
    """

    def __init__(self, controls, fig, update, buttons=(), title=None):
        self.controls = dict(controls)
        self.fig = fig
        self._update = update
        self.message = widgets.HTML(layout=widgets.Layout(min_height="1.6em"))
        if is_live(fig):
            self.view = fig.canvas
        else:
            self.view = widgets.Output()
        control_box = widgets.HBox(list(self.controls.values()) + list(buttons),
                                   layout=widgets.Layout(flex_flow="row wrap"))
        header = [widgets.HTML(f"<b>{html.escape(title)}</b>")] if title else []
        super().__init__(header + [control_box, self.view, self.message])
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        self.refresh()

    @property
    def settings(self):
        """The current value of every control, by name."""
        return {name: control.value for name, control in self.controls.items()}

    def _on_change(self, change):
        self.refresh()

    def refresh(self):
        """Run ``update`` with the current settings and redraw the figure."""
        try:
            status = self._update(**self.settings)
        except TrainingDiverged as error:
            self.show_message(f"⚠ {error}", error=True)
        except ValueError as error:
            self.show_message(f"⚠ {error}", error=True)
        else:
            self.show_message(status or "")
        self.redraw()

    def redraw(self):
        if is_live(self.fig):
            self.fig.canvas.draw_idle()
        elif in_notebook():     # (in a plain Python script there is nothing to show)
            with self.view:
                self.view.clear_output(wait=True)
                display(self.fig)

    def show_message(self, text, error=False):
        """Show one line under the figure (red for problems)."""
        color = "#b91c1c" if error else "#1f2937"
        self.message.value = f'<span style="color:{color}">{html.escape(text)}</span>' if text else ""

    @property
    def message_text(self):
        """The message line as plain text (what a learner reads)."""
        return html.unescape(self.message.value.split(">", 1)[-1].rsplit("<", 1)[0]) if self.message.value else ""

    def snapshot(self):
        """Display a still PNG of the figure as it is now: readers on GitHub or
        nbviewer, who have no running kernel, see this instead of the live panel.

        (It renders with ``savefig``; calling ``fig.canvas.draw()`` on a live
        ipympl canvas before the browser has attached breaks its first image.)
        """
        display(Image(data=plots.png_bytes(self.fig)))
