"""Members' pages show every alert event from what it carries: an alert, a 112 claim, an
update, an acknowledgement and a close appear in every open page without a reload and
without a single HTTP request from those pages (the WebSocket brings it all)."""

import time

import pytest

from buurtwacht.geo import actions as geo_actions
from tests.conftest import session_cookie

from .test_live_alerts import open_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def groningen_addresses(groningen_subset_csv):
    geo_actions.import_addresses(path=groningen_subset_csv)


def test_every_alert_event_reaches_open_pages_without_any_request(
    browser, asgi_server, group, anna_admin, mo_member, pieter_politie
):
    path = f"/groepen/{group.pk}/"
    cookies = [session_cookie(user) for user in (anna_admin, mo_member, pieter_politie)]
    opened = [open_as(browser, asgi_server, cookie, path) for cookie in cookies]
    [anna, mo, pieter] = [page for _context, page in opened]
    requests: dict[str, list[str]] = {"mo": [], "pieter": []}
    try:
        for page in (anna, mo, pieter):
            page.get_by_text("Live: nieuwe meldingen verschijnen hier meteen.").wait_for()
        for name, page in (("mo", mo), ("pieter", pieter)):
            page.on("request", lambda request, name=name: requests[name].append(request.url))

        # Anna (admin) does everything from her page; Mo and Pieter only watch.
        anna.get_by_text("Melding maken").click()
        anna.get_by_label("Wat zag je? Beschrijf het gedrag.").fill(
            "Man met breekijzer bij de achterdeur van nummer 12"
        )
        anna.get_by_role("button", name="Melding versturen").click()
        mine = anna.locator("article.alert", has_text="breekijzer")
        mine.wait_for()
        cards = [page.locator("article.alert", has_text="breekijzer") for page in (mo, pieter)]
        for card in cards:
            card.wait_for()
            assert "Nog niemand heeft 112 gebeld" in card.inner_text()
            assert "door Anna de Vries" not in card.inner_text()  # nothing invented
        mo_card, pieter_card = cards
        assert "Anna de Vries" in mo_card.locator("header").inner_text()
        # Mo is a member: he gets the buttons; Pieter (wijkagent) reads only.
        assert mo_card.get_by_role("button", name="Ik bel 112").is_visible()
        assert pieter_card.get_by_role("button", name="Ik bel 112").count() == 0
        # Only the author or an admin may close: Mo does not see it, Anna does.
        assert not mo_card.get_by_role("button", name="Melding afsluiten").is_visible()
        assert mine.get_by_role("button", name="Melding afsluiten").is_visible()

        mine.get_by_role("button", name="Ik bel 112").click()
        for card in cards:
            card.get_by_text("112 gebeld door Anna de Vries om").wait_for()
        assert not mo_card.get_by_role("button", name="Ik bel 112").is_visible()

        mine.get_by_label("Informatie toevoegen").fill("Hij loopt nu richting de Korreweg")
        mine.get_by_role("button", name="Toevoegen").click()
        for card in cards:
            card.get_by_text("Anna de Vries: Hij loopt nu richting de Korreweg").wait_for()

        mine.get_by_role("button", name="Ik ga kijken").click()
        for card in cards:
            card.get_by_text("0 gezien · 1 gaan kijken").wait_for()

        mine.get_by_label("Hoe is het afgelopen?").select_option("police_on_site")
        anna.once("dialog", lambda dialog: dialog.accept())  # "Deze melding afsluiten?"
        mine.get_by_role("button", name="Melding afsluiten").click()
        for page in (mo, pieter):
            page.locator("#closed-list article.alert", has_text="breekijzer").wait_for(
                state="attached"
            )
            assert page.locator("#alerts article.alert").count() == 0  # folded away
            page.get_by_text("Afgesloten meldingen").click()
            page.get_by_text("Afgesloten: Politie ter plaatse").wait_for()
        assert not mo_card.get_by_role("button", name="Gezien").is_visible()

        # The screen reader heard about the new alert.
        assert "Nieuwe melding" in mo.locator("#alert-announce").inner_text()
        assert requests == {"mo": [], "pieter": []}
    finally:
        for context, _page in opened:
            context.close()
        time.sleep(0.5)  # let the server finish the sockets' goodbyes while the test db is open
