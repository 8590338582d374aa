"""Playwright driving Debian's Chromium (headless) against pytest-django's live server."""

import os
import shutil

import pytest
from django.test import override_settings

from tests.browser.axe import check_axe
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
        yield axe_on_every_page(browser)
        browser.close()


def axe_on_every_page(browser):
    """Every page of every context a test makes is checked by axe when the test leaves it
    (page.goto, context.close): tests/browser/axe.py."""
    new_context = browser.new_context

    def checked_context(**options):
        context = new_context(**options)
        new_page, close = context.new_page, context.close

        def checked_page():
            return checked_by_axe(new_page())

        def close_after_check(**kwargs):
            try:
                for open_page in context.pages:
                    if not open_page.is_closed():
                        check_axe(open_page)
            finally:
                close(**kwargs)

        context.new_page = checked_page
        context.close = close_after_check
        return context

    browser.new_context = checked_context
    return browser


@pytest.fixture(scope="session", autouse=True)
def _plain_http_live_server():
    """The live server speaks plain http; production's HTTPS-only settings must be off
    before it starts (its middleware reads them once)."""
    with override_settings(**PLAIN_HTTP):
        yield


def checked_by_axe(page):
    """Every page the test leaves (by page.goto) and the one it ends on is checked by axe:
    no serious or critical violation (tests/browser/axe.py)."""
    goto = page.goto

    def goto_after_check(url, **kwargs):
        check_axe(page)
        return goto(url, **kwargs)

    page.goto = goto_after_check
    return page


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="nl-NL")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def phone(browser):
    """A 360 px phone (touch, a coarse pointer), checked by axe like `page`."""
    context = browser.new_context(
        locale="nl-NL",
        viewport={"width": 360, "height": 740},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()
