"""Two neighbours in two browsers on the real ASGI server: an alert posted by one (with her
phone's location) appears live at the other, and the other's "Ik bel 112" appears live at
the first."""

import time

import pytest

from buurtwacht.geo import actions as geo_actions
from buurtwacht.geo.models import Address
from tests.conftest import GROUP_STREET, run_together, session_cookie

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def groningen_addresses(groningen_subset_csv):
    geo_actions.import_addresses(path=groningen_subset_csv)


def open_as(browser, server, cookie, path, geolocation=None):
    context = browser.new_context(
        locale="nl-NL",
        geolocation=geolocation,
        permissions=["geolocation"] if geolocation else [],
    )
    name, value = cookie.split("=", 1)
    context.add_cookies([{"name": name, "value": value, "url": f"http://{server}/"}])
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"http://{server}{path}")
    return context, page


def test_alert_and_112_claim_travel_live_between_two_browsers(
    browser, asgi_server, group, anna_admin, mo_member
):
    path = f"/groepen/{group.pk}/"
    # Both logins (and the address lookup) before any page is open: the test's own
    # database work stays out of the way of the server thread's.
    anna_cookie, mo_cookie = session_cookie(anna_admin), session_cookie(mo_member)
    here = Address.objects.filter(street__name=GROUP_STREET).first()
    anna_context, anna = open_as(
        browser,
        asgi_server,
        anna_cookie,
        path,
        geolocation={"longitude": here.lon, "latitude": here.lat, "accuracy": 12},
    )
    mo_context, mo = open_as(browser, asgi_server, mo_cookie, path)
    try:
        for page in (anna, mo):
            page.get_by_text("Live: nieuwe meldingen verschijnen hier meteen.").wait_for()

        anna.get_by_text("Melding maken").click()  # the form is folded: the feed comes first
        anna.get_by_label("Wat zag je? Beschrijf het gedrag.").fill(
            "Twee mannen kijken bij ramen naar binnen"
        )
        anna.get_by_role("button", name="Mijn locatie toevoegen").click()
        anna.get_by_text("Je locatie is toegevoegd (tot op ongeveer 12 m nauwkeurig).").wait_for()
        anna.get_by_role("button", name="Melding versturen").click()

        card = mo.locator("article.alert", has_text="Twee mannen kijken bij ramen naar binnen")
        card.wait_for()  # arrived over the WebSocket, no reload
        assert "Nog niemand heeft 112 gebeld" in card.inner_text()
        assert f"mlat={here.lat:.6f}" in card.get_by_role("link", name="op de kaart").get_attribute(
            "href"
        )
        card.get_by_role("button", name="Ik bel 112").click()

        anna.locator("article.alert", has_text="112 gebeld door Mo Bakker").wait_for()
        anna.get_by_text("Melding maken").click()  # folded after sending; open it again
        assert anna.get_by_label("Wat zag je? Beschrijf het gedrag.").input_value() == ""
        assert anna.locator("input[name=lat]").input_value() == ""  # the next alert starts afresh
    finally:
        anna_context.close()
        mo_context.close()
        time.sleep(0.5)  # let the server finish the sockets' goodbyes while the test db is open


def test_the_group_page_fits_a_phone(browser, asgi_server, group, anna_admin, mo_member):
    """360 px wide, touch: nothing sticks out sideways, the buttons are big enough to hit."""
    from buurtwacht.alerts import actions as alert_actions
    from buurtwacht.geo.models import Street

    street = Street.objects.get(name=GROUP_STREET)
    # Another thread: this one runs Playwright's event loop, and publishing needs its own.
    [posted] = run_together(
        lambda: alert_actions.post_alert(
            user=anna_admin,
            group_id=group.pk,
            draft=alert_actions.AlertDraft(
                client_id="phone",
                kind="suspicious_vehicle",
                what="Witte bestelbus rijdt al een half uur rondjes door de straat",
                street_id=street.pk,
                vehicle={"plate": "VB-123-X", "make": "Volkswagen", "colour": "wit"},
            ),
        )
    )
    assert not isinstance(posted, Exception), posted
    cookie = session_cookie(mo_member)
    context = browser.new_context(
        locale="nl-NL", viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True
    )
    name, value = cookie.split("=", 1)
    context.add_cookies([{"name": name, "value": value, "url": f"http://{asgi_server}/"}])
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        page.goto(f"http://{asgi_server}/groepen/{group.pk}/")
        page.get_by_text("Live: nieuwe meldingen verschijnen hier meteen.").wait_for()
        feed = page.locator("article.alert").first.bounding_box()
        assert feed and feed["y"] < 740, f"the feed is not on the first screen: {feed}"
        page.get_by_text("Melding maken").click()
        page.get_by_text("Meer details: richting, persoon, voertuig").click()  # screen 2 open
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"the page is {overflow} px wider than a phone"
        for button in ("Melding versturen", "Ik bel 112", "Gezien"):
            box = page.get_by_role("button", name=button).first.bounding_box()
            assert box is not None and box["height"] >= 44, (button, box)
            assert box["x"] >= 0 and box["x"] + box["width"] <= 360, (button, box)
    finally:
        context.close()
        time.sleep(0.5)
