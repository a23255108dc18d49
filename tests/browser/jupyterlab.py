"""Driving a notebook in JupyterLab like a learner: open, Run All, look."""
import re
import time

WIDGET_ERRORS = ("Error displaying widget", "Loading widget", "model not found")
BARE_WIDGET_TEXT = re.compile(r"^\s*(HBox|VBox|Panel|Trainer|\w+Panel)\(", re.MULTILINE)


def open_notebook(page, lab, path, timeout=60):
    """Open a notebook and wait until its kernel is attached and idle."""
    page.goto(lab.url(f"lab/tree/{path}"))
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=timeout * 1000)
    wait_for_kernel_idle(lab, path, timeout)
    time.sleep(0.5)


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
    """Run → Run All Cells, then wait until every cell has run and the kernel is idle."""
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
    deadline = time.monotonic() + timeout
    time.sleep(1.0)
    while time.monotonic() < deadline:
        pending = page.locator(".jp-InputPrompt", has_text="[*]").count()
        if pending == 0 and lab.kernel_state(path) == "idle":
            break
        time.sleep(0.5)
    else:
        raise TimeoutError(f"Run All on {path} did not finish within {timeout} s")
    wait_for_kernel_idle(lab, path, timeout=60)
    time.sleep(1.5)      # let widget views and figures render


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
