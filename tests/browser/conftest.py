"""Playwright driving Debian's Chromium (headless) against pytest-django's live server."""

import os
import shutil

import pytest
from django.test import override_settings

from tests.conftest import PLAIN_HTTP

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser():
    """Per module: Playwright's sync API keeps an event loop running in this thread while it
    is open, which async tests elsewhere in the run cannot share."""
    if not shutil.which(CHROMIUM):
        if os.environ.get("BROWSER_TESTS") == "required":
            pytest.fail(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
        pytest.skip(f"Chromium not found at {CHROMIUM}; install Debian's chromium package")
    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls
    # happen between browser steps, never concurrently.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session", autouse=True)
def _plain_http_live_server():
    """The live server speaks plain http; production's HTTPS-only settings must be off
    before it starts (its middleware reads them once)."""
    with override_settings(**PLAIN_HTTP):
        yield


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="nl-NL")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()
