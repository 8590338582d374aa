"""Issue 13, live: a licence plate in no known format arrives over the WebSocket marked
"onbekend formaat" (in the alert card and in a neighbouring group's warning); a Dutch plate
arrives normalised, without that note."""

import time

import pytest

from buurtwacht.alerts import actions as alert_actions
from buurtwacht.geo.models import Street
from tests.alerts.test_forwarding import TOUCHING, _group_on
from tests.browser.test_forwarding import groningen_addresses  # noqa: F401 (a fixture)
from tests.conftest import GROUP_STREET, run_together, session_cookie

from .test_live_alerts import open_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def post(user, group, client_id, plate):
    return alert_actions.post_alert(
        user=user,
        group_id=group.pk,
        draft=alert_actions.AlertDraft(
            client_id=client_id,
            kind="suspicious_vehicle",
            what=f"Auto met kenteken {client_id}",
            street_id=Street.objects.get(name=GROUP_STREET).pk,
            vehicle={"plate": plate},
        ),
    )[0]


def test_an_unknown_plate_arrives_live_as_onbekend_formaat(
    browser, asgi_server, group, anna_admin, mo_member, resident_on
):
    noor = resident_on("Noor Buur", TOUCHING, 0)
    neighbour = _group_on(TOUCHING, noor)
    cookies = [session_cookie(user) for user in (mo_member, noor)]
    mo_context, mo = open_as(browser, asgi_server, cookies[0], f"/groepen/{group.pk}/")
    noor_context, noor_page = open_as(browser, asgi_server, cookies[1], f"/groepen/{neighbour.pk}/")
    try:
        for page in (mo, noor_page):
            page.get_by_text("Live: nieuwe meldingen verschijnen hier meteen.").wait_for()
        [unknown, dutch] = run_together(
            lambda: post(anna_admin, group, "onbekend", "abc"),
            lambda: post(mo_member, group, "nederlands", "12abc3"),
        )
        for alert, shown in ((unknown, "ABC onbekend formaat"), (dutch, "12-ABC-3")):
            plate = mo.locator(f"#alert-{alert.pk} dt", has_text="Kenteken")
            plate.wait_for()  # arrived over the socket: the page was open before
            assert plate.locator("xpath=following-sibling::dd[1]").inner_text() == shown

        run_together(
            lambda: alert_actions.forward_alert(
                admin=anna_admin, alert_id=unknown.pk, keep_plate=True
            )
        )
        warning = noor_page.locator("#forward-list li.forward")
        warning.wait_for()
        assert "Kenteken: ABC onbekend formaat" in " ".join(warning.inner_text().split())
    finally:
        mo_context.close()
        noor_context.close()
        time.sleep(0.5)  # let the server finish the sockets' goodbyes while the test db is open
