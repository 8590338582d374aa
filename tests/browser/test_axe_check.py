"""The accessibility check itself: axe (tests/browser/axe.py) runs in the page and sees a
serious fault, so a green browser test means axe found none."""

import pytest

from tests.browser.axe import AXE, severe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_axe_runs_in_the_page_and_finds_an_image_without_alt(page, live_server):
    if not AXE.is_file():
        pytest.skip("axe-core not installed (npm ci)")
    page.goto(live_server.url + "/")
    assert severe_violations(page) == []
    page.evaluate("() => document.querySelector('main').append(document.createElement('img'))")
    assert "image-alt" in {v["id"] for v in severe_violations(page)}
    page.evaluate("() => document.querySelector('main img:last-child').remove()")
