"""Driving a notebook in JupyterLab like a learner: open, Run All, look."""
import itertools
import re
import time

WIDGET_ERRORS = ("Error displaying widget", "Loading widget", "model not found")
BARE_WIDGET_TEXT = re.compile(r"^\s*(HBox|VBox|Panel|Trainer|\w+Panel)\(", re.MULTILINE)


WORKSPACES = itertools.count()


def open_notebook(page, lab, path, timeout=60):
    """Open a notebook, alone, and wait until its kernel is attached and idle.

    Each call gets a workspace of its own: JupyterLab otherwise restores the
    tabs of the previous test (their kernels, their hidden panels) next to it."""
    page.goto(lab.url(f"lab/workspaces/test-{next(WORKSPACES)}/tree/{path}"))
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=timeout * 1000)
    wait_for_kernel_idle(lab, path, timeout, settle=0.5)
    time.sleep(0.2)


def wait_for_kernel_idle(lab, path, timeout=60, settle=1.0):
    """Poll the server until the notebook's kernel has been idle for ``settle`` seconds."""
    deadline = time.monotonic() + timeout
    idle_since = None
    while time.monotonic() < deadline:
        if lab.kernel_state(path) == "idle":
            idle_since = idle_since or time.monotonic()
            if time.monotonic() - idle_since >= settle:
                return
        else:
            idle_since = None
        time.sleep(0.2)
    raise TimeoutError(f"the kernel of {path} was not idle within {timeout} s")


def run_all(page, lab, path, timeout=300):
    """Edit → Clear Outputs of All Cells, Run → Run All Cells; wait until every cell
    has run (or Run All stopped at an error) and the kernel is idle, then until the
    widgets have rendered.

    The stored notebooks carry outputs and execution counts: clearing them first
    makes sure that everything the test then looks at came from this run."""
    page.get_by_role("menuitem", name="Edit", exact=True).click()
    page.get_by_role("menuitem", name="Clear Outputs of All Cells", exact=True).click()
    page.wait_for_function("""() => {
        const cells = document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell');
        return Array.from(cells).every(cell => !cell.querySelector('.jp-OutputArea-output')
                                               && !/\\[\\d+\\]/.test(cell.querySelector('.jp-InputPrompt').innerText));
    }""", timeout=10_000)
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        time.sleep(0.3)
        pending = page.locator(".jp-InputPrompt", has_text="[*]").count()
        finished = not unexecuted_code_cells(page) or error_outputs(page)
        if pending == 0 and finished and lab.kernel_state(path) == "idle":
            break
    else:
        raise TimeoutError(f"Run All on {path} did not finish within {timeout} s")
    wait_for_kernel_idle(lab, path, timeout=60, settle=0.5)
    wait_for_widgets_to_render(page)


def wait_for_widgets_to_render(page, timeout=15):
    """Wait (at most ``timeout`` s) until no output says "Loading widget" and every live
    matplotlib canvas has a size; what is still broken then is for the test to report."""
    try:
        page.wait_for_function(
            """() => !Array.from(document.querySelectorAll('.jp-OutputArea-output'))
                         .some(o => o.innerText.includes('Loading widget'))
                  && Array.from(document.querySelectorAll('.jupyter-matplotlib canvas'))
                         .every(c => c.clientWidth > 0 && c.clientHeight > 0)""",
            timeout=timeout * 1000, polling=200)
    except Exception as error:                 # playwright's TimeoutError: report, don't hide
        if type(error).__name__ != "TimeoutError":
            raise
    time.sleep(0.3)


def unexecuted_code_cells(page):
    """Code cells whose prompt is still empty after Run All (execution stopped early)."""
    prompts = page.locator(".jp-CodeCell .jp-InputPrompt").all_inner_texts()
    return [p for p in prompts if not re.search(r"\[\d+\]", p)]


def error_outputs(page):
    """Texts of error outputs (tracebacks) shown in the notebook."""
    return page.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.error"]').all_inner_texts() \
        + page.locator(".jp-RenderedText[data-mime-type='application/vnd.jupyter.stderr']").filter(
            has_text="Traceback").all_inner_texts()


def widget_problems(page):
    """Widget error texts, widgets that fell back to their plain-text repr, and
    live matplotlib canvases that rendered with no size."""
    # Only outputs: a lesson's prose may well quote "Error displaying widget".
    text = "\n".join(page.locator(".jp-OutputArea-output").all_inner_texts())
    problems = [message for message in WIDGET_ERRORS if message in text]
    plain = page.locator('.jp-OutputArea-output[data-mime-type="text/plain"]').all_inner_texts()
    problems += [t[:80] for t in plain if BARE_WIDGET_TEXT.search(t)]
    sizes = page.evaluate("() => Array.from(document.querySelectorAll('.jupyter-matplotlib canvas'))"
                          ".map(c => [c.clientWidth, c.clientHeight])")
    problems += [f"a matplotlib canvas rendered {w}x{h}" for w, h in sizes if w == 0 or h == 0]
    return problems


def widget_console_errors(page):
    """Errors the widget manager logged to the browser console (e.g. "Error setting state")."""
    return [text for kind, text in getattr(page, "console_messages_seen", [])
            if kind == "error" and re.search(r"widget|state|model|matplotlib", text, re.IGNORECASE)]


def canvases_wider_than_their_output(page):
    """Live matplotlib canvases that stick out of the right edge of their output
    area (a learner has to scroll sideways, or sees them cut off), as
    "canvas W px, output area A px" texts. The result depends on the window
    width (1400 px here, with JupyterLab's file browser open)."""
    return page.evaluate("""() => Array.from(document.querySelectorAll('.jupyter-matplotlib-canvas-div canvas:first-child'))
        .map(canvas => [canvas, canvas.closest('.jp-OutputArea-output')])
        .filter(([canvas, area]) => area && canvas.getBoundingClientRect().right > area.getBoundingClientRect().right + 1)
        .map(([canvas, area]) => `canvas ${canvas.clientWidth} px, output area ${Math.round(area.clientWidth)} px`)""")
