"""Every lesson and solution, run in real JupyterLab: no errors, every widget renders.

Screenshots go to tests/browser/screenshots/ (git-ignored): look at them.
"""
import pytest

from .conftest import ROOT, SCREENSHOTS
from .jupyterlab import error_outputs, widget_console_errors, open_notebook, run_all, unexecuted_code_cells, widget_problems

NOTEBOOKS = sorted(p.relative_to(ROOT).as_posix()
                   for folder in ("notebooks", "solutions") for p in (ROOT / folder).glob("*.ipynb"))


def full_screenshot(page, path):
    """Grow the window to the notebook's height so one picture holds every cell."""
    height = page.evaluate("document.querySelector('.jp-NotebookPanel .jp-WindowedPanel-outer').scrollHeight")
    page.set_viewport_size({"width": 1400, "height": min(int(height) + 200, 30000)})
    page.wait_for_timeout(1000)
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(path))


@pytest.mark.parametrize("path", NOTEBOOKS)
def test_runs_in_jupyterlab_with_every_widget_rendered(lab, page, path):
    open_notebook(page, lab, path)
    run_all(page, lab, path)
    full_screenshot(page, SCREENSHOTS / (path.replace("/", "__") + ".png"))
    assert error_outputs(page) == [], f"{path} shows an error"
    assert unexecuted_code_cells(page) == [], f"Run All stopped early in {path}"
    assert widget_problems(page) == [], f"{path}: a widget did not render"
    assert widget_console_errors(page) == [], f"{path}: the widget manager reported errors"
    assert page.locator(".jupyter-widgets").count() > 0, f"{path} shows no widget at all"
