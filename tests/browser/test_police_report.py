"""R-FUP-1 in a real browser: a member records on the alert card that she reported it to
the police; the report appears live at another member (from the event), and so does the
wijkagent's feedback.  On a phone-sized screen (360 px) the form fits."""

import os
import threading
from pathlib import Path

import pytest

from buurtwacht.geo import actions as geo_actions
from buurtwacht.police import actions as police_actions
from buurtwacht.police.models import PoliceReport
from tests.conftest import session_cookie
from tests.notify.test_deliveries import post

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCREENSHOTS = (
    Path(os.environ.get("SCREENSHOT_DIR", "")) if os.environ.get("SCREENSHOT_DIR") else None
)


@pytest.fixture
def groningen_addresses(groningen_subset_csv):
    geo_actions.import_addresses(path=groningen_subset_csv)


def open_as(browser, server, cookie, path, *, width=1024):
    context = browser.new_context(locale="nl-NL", viewport={"width": width, "height": 800})
    name, value = cookie.split("=", 1)
    context.add_cookies([{"name": name, "value": value, "url": f"http://{server}/"}])
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"http://{server}{path}")
    return context, page


def test_r_fup_1_report_and_feedback_appear_live_on_the_card(
    browser, asgi_server, group, anna_admin, mo_member, pieter_politie
):
    alert = post(anna_admin, group)
    path = f"/groepen/{group.pk}/"
    mo_cookie, anna_cookie = session_cookie(mo_member), session_cookie(anna_admin)
    mo_context, mo = open_as(browser, asgi_server, mo_cookie, path, width=360)
    anna_context, anna = open_as(browser, asgi_server, anna_cookie, path)
    try:
        for page in (mo, anna):
            page.get_by_text("Live: nieuwe meldingen verschijnen hier meteen.").wait_for()
        card = mo.locator(f"#alert-{alert.pk}")
        card.get_by_text("Ik heb dit bij de politie gemeld").click()
        card.get_by_label("Hoe heb je het gemeld?").select_option("0900-8844")
        card.get_by_label("Registratienummer (niet verplicht)").fill("PL0100-2026-4711")
        assert card.get_by_label("Ik heb de buurtpreventiegroep genoemd").is_checked()
        if SCREENSHOTS:
            mo.screenshot(path=str(SCREENSHOTS / "report-form-360.png"), full_page=True)
        card.get_by_role("button", name="Vastleggen").click()
        line = "Gemeld bij de politie via 0900-8844 door Mo Bakker"
        anna.locator(f"#alert-{alert.pk}").get_by_text(line).wait_for()
        card.get_by_text("registratienummer PL0100-2026-4711").wait_for()
        # The card and its report form fit a 360 px phone (nothing sticks out of it).
        sticking_out = mo.evaluate(
            """(id) => [...document.querySelectorAll('#alert-' + id + ' *')]
                .filter((e) => e.getBoundingClientRect().right > 360)
                .map((e) => e.tagName + ' ' + e.textContent.slice(0, 30))""",
            alert.pk,
        )
        assert sticking_out == []
        assert mo.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scroll
        # The wijkagent's feedback, from another thread (this one runs Playwright's loop).
        feedback = threading.Thread(
            target=police_actions.record_feedback,
            kwargs={
                "user": pieter_politie,
                "report_id": PoliceReport.objects.get().pk,
                "text": "Verdachte aangehouden.",
            },
        )
        feedback.start()
        feedback.join()
        card.get_by_text(
            "Terugkoppeling van de politie (Pieter Politie): Verdachte aangehouden."
        ).wait_for()
        if SCREENSHOTS:
            mo.screenshot(path=str(SCREENSHOTS / "report-feedback-360.png"), full_page=True)
            anna.screenshot(path=str(SCREENSHOTS / "report-feedback-1024.png"), full_page=True)
    finally:
        mo_context.close()
        anna_context.close()
