"""A real JupyterLab in headless Chromium, for tests that look at the page.

nbval runs a kernel; it never sees the page. These tests start JupyterLab on
loopback with a throwaway copy of the course and throwaway settings, open a
notebook in Debian's Chromium through Playwright, Run All, and look at what a
learner would see. Without Playwright or Chromium they skip with one line.
"""
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]

# JupyterLab user settings: no news pop-up, no autosave, start kernels by
# themselves, and render every cell (no virtual scrolling) so all outputs are in the DOM.
LAB_SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/announcements.jupyterlab-settings": {},
}


def chromium_path():
    return shutil.which("chromium") or shutil.which("chromium-browser")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def skip_or_fail(reason):
    """Skip on a learner's laptop; in CI (BPKIT_REQUIRE_BROWSER=1) a missing browser is a failure."""
    if os.environ.get("BPKIT_REQUIRE_BROWSER") == "1":
        pytest.fail(reason + " — but BPKIT_REQUIRE_BROWSER=1 requires the browser tests")
    pytest.skip(reason)


# Package scope, not session: Playwright's sync API keeps an asyncio loop marked as
# running in the main thread while it is open, and code that asks "am I in a kernel
# with a running loop?" (the trainer's Train button) must not see it in later tests.
@pytest.fixture(scope="package")
def browser():
    try:
        from playwright import sync_api as playwright
    except ImportError:
        skip_or_fail("playwright is not installed (pip install -r requirements-ci.txt); browser tests skipped")
    executable = chromium_path()
    if executable is None:
        skip_or_fail("chromium is not installed (apt-get install chromium); browser tests skipped")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Lab:
    """A JupyterLab server on loopback serving a throwaway copy of the course."""

    def __init__(self, workdir):
        self.root = workdir / "course"
        self.root.mkdir()
        for folder in ("notebooks", "solutions", "exercises"):
            if (ROOT / folder).exists():
                shutil.copytree(ROOT / folder, self.root / folder)
        for name in ("README.md",):
            shutil.copy(ROOT / name, self.root / name)
        settings = workdir / "settings"
        for name, values in LAB_SETTINGS.items():
            path = settings / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(values))
        self.port, self.token = free_port(), secrets.token_hex(16)
        command = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip", "127.0.0.1",
                   f"--port={self.port}", f"--ServerApp.token={self.token}",
                   f"--ServerApp.root_dir={self.root}", f"--LabApp.user_settings_dir={settings}",
                   f"--LabApp.workspaces_dir={workdir / 'workspaces'}",
                   "--ServerApp.disable_check_xsrf=True"]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            command.append("--allow-root")
        env = dict(os.environ, JUPYTER_CONFIG_DIR=str(workdir / "config"))
        self.log = open(workdir / "lab.log", "w")
        self.process = subprocess.Popen(command, stdout=self.log, stderr=subprocess.STDOUT, env=env)
        self.wait_until_up()

    def url(self, path):
        return f"http://127.0.0.1:{self.port}/{path}?token={self.token}"

    def api(self, path):
        with urllib.request.urlopen(self.url(f"api/{path}"), timeout=5) as response:
            return json.loads(response.read())

    def wait_until_up(self, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                self.api("status")
                return
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError("JupyterLab exited; see its log")
                time.sleep(0.3)
        raise RuntimeError(f"JupyterLab did not answer within {timeout} s")

    def kernel_state(self, notebook_path):
        """The execution state of the kernel attached to a notebook, or None."""
        for session in self.api("sessions"):
            if session.get("path") == notebook_path and session.get("kernel"):
                return session["kernel"].get("execution_state")
        return None

    def shut_down_kernels(self):
        """End every notebook session (and its kernel): a finished test's kernel
        would otherwise keep its memory and its share of the two CPUs."""
        for session in self.api("sessions"):
            request = urllib.request.Request(self.url(f"api/sessions/{session['id']}"), method="DELETE")
            urllib.request.urlopen(request, timeout=30).close()

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


@pytest.fixture(scope="package")
def lab(browser, tmp_path_factory):
    server = Lab(tmp_path_factory.mktemp("lab"))
    yield server
    server.stop()


@pytest.fixture
def page(browser, lab):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.console_messages_seen = []
    page.on("console", lambda message: page.console_messages_seen.append((message.type, message.text)))
    yield page
    context.close()
    lab.shut_down_kernels()
