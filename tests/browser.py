"""What the browser tests share: Debian's chromium driven by Playwright, a real server on
127.0.0.1 for an app, pages that collect script errors and CSP refusals, screenshots."""

import threading
from contextlib import contextmanager

from werkzeug.serving import make_server

from conftest import ROOT

ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@contextmanager
def served(app):
    """The app on a free port of 127.0.0.1, in a thread; yields its base URL."""
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}"
    finally:
        httpd.shutdown()


def watched(context):
    """A new page of `context` whose `errors` collects script errors and CSP refusals (a 4xx
    answer is logged by chromium too, and is not one)."""
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.on("console", lambda message: "Refused to" in message.text
            and page.errors.append(message.text))
    return page


def shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def field(page, path):
    return page.locator(f'[name="{path}"]')
