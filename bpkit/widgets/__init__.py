"""Interactive panels for the notebooks: controls, a live figure, a message line.

Imported only when a notebook asks for it. Every panel in the course is built
on ``Panel`` (in ``_panel.py``), so they share one look and one behaviour:

- figures update in place with ipympl (``%matplotlib widget``); without ipympl
  they fall back to redrawing a static image, and say so once;
- a training run that diverges shows its message in the panel, not a traceback;
- ``panel.settings`` reads back the current values, ``panel.snapshot()`` leaves
  a still picture for readers who do not run the notebook.

The panels of each lesson live in their own modules (``bpkit.widgets.neuron``,
``bpkit.widgets.trainer``, …).
"""

from ._panel import Panel, dropdown, int_slider, log_slider, setup, slider

__all__ = ["Panel", "setup", "slider", "log_slider", "int_slider", "dropdown"]
