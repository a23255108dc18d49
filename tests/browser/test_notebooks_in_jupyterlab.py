"""Every lesson and solution, run in real JupyterLab: no errors, every widget renders.

Screenshots go to tests/browser/screenshots/ (git-ignored): look at them.
"""
import pytest

from .conftest import ROOT, SCREENSHOTS
from .jupyterlab import (canvases_wider_than_their_output, error_outputs, open_notebook, run_all,
                         unexecuted_code_cells, widget_console_errors, widget_problems)

NOTEBOOKS = sorted(p.relative_to(ROOT).as_posix()
                   for folder in ("notebooks", "solutions") for p in (ROOT / folder).glob("*.ipynb"))


def full_screenshot(page, path):
    """Grow the window to the notebook's height so one picture holds every cell
    (scrolled back to the top: Run All leaves the notebook scrolled to its end)."""
    scroller = "document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-WindowedPanel-outer')"
    height = page.evaluate(f"{scroller}.scrollHeight")
    page.set_viewport_size({"width": 1400, "height": min(int(height) + 200, 30000)})
    page.evaluate(f"{scroller}.scrollTop = 0")
    page.wait_for_timeout(500)
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(path))


@pytest.mark.parametrize("path", NOTEBOOKS)
def test_runs_in_jupyterlab_with_every_widget_rendered(lab, page, path):
    open_notebook(page, lab, path)
    run_all(page, lab, path)
    too_wide = canvases_wider_than_their_output(page)      # JupyterLab beside its file browser
    full_screenshot(page, SCREENSHOTS / (path.replace("/", "__") + ".png"))
    assert error_outputs(page) == [], f"{path} shows an error"
    assert unexecuted_code_cells(page) == [], f"Run All stopped early in {path}"
    assert widget_problems(page) == [], f"{path}: a widget did not render"
    assert widget_console_errors(page) == [], f"{path}: the widget manager reported errors"
    assert too_wide == [], f"{path}: a live figure is cut off at the right"
    if path.startswith("notebooks/"):      # every lesson has a panel; the exercises' solutions have none
        assert page.locator(".jupyter-widgets").count() > 0, f"{path} shows no widget at all"
