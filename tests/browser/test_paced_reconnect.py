"""live.js in a reconnect storm: a server with too many sockets opening tells the page when
to come back (realtime/pacing.py); the page waits that long, reconnects without loading
again and shows what was posted meanwhile (replayed with since=)."""

import pytest

from buurtwacht.alerts import actions as alert_actions
from buurtwacht.alerts.actions import AlertDraft
from buurtwacht.geo import actions as geo_actions
from buurtwacht.geo.models import Street
from buurtwacht.realtime import pacing
from tests.conftest import GROUP_STREET, session_cookie

from .test_live_alerts import open_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def groningen_addresses(groningen_subset_csv):
    geo_actions.import_addresses(path=groningen_subset_csv)


def test_the_page_comes_back_when_the_server_says_and_shows_what_it_missed(
    browser, asgi_server, group, anna_admin, mo_member, monkeypatch
):
    street = Street.objects.get(name=GROUP_STREET)
    cookie = session_cookie(mo_member)
    monkeypatch.setattr(pacing.PACING, "openings", 0)  # a storm: every socket is told to wait
    context, page = open_as(browser, asgi_server, cookie, f"/groepen/{group.pk}/")
    try:
        page.evaluate("window.loadedOnce = true")
        page.wait_for_function(
            "document.getElementById('live-status').textContent.includes('Verbinding')"
        )
        alert_actions.post_alert(
            user=anna_admin,
            group_id=group.pk,
            draft=AlertDraft(
                client_id="paced-1",
                kind="suspicious_person",
                what="Man met koevoet bij de garages",
                street_id=street.pk,
            ),
        )
        monkeypatch.setattr(pacing.PACING, "openings", pacing.OPENINGS)
        page.get_by_text("Man met koevoet bij de garages").wait_for()
        page.get_by_text("Live: nieuwe meldingen verschijnen hier meteen.").wait_for()
        assert page.evaluate("window.loadedOnce") is True  # no page load in between
    finally:
        context.close()
