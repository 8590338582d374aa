"""R-ADJ-1 in a real browser: an admin warns the neighbouring groups from the alert card;
the neighbouring admin's open page shows the warning at once (from the socket message,
no reload) and reposts it with one tap; the repost says where it came from."""

import csv

import pytest

from buurtwacht.geo import actions as geo_actions
from tests.alerts.test_forwarding import TOUCHING, _alert, _group_on
from tests.conftest import GROUP_STREET, OTHER_STREET, session_cookie

from .test_live_alerts import open_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def groningen_addresses(groningen_csv, tmp_path):
    part = tmp_path / "streets.csv"
    streets = {GROUP_STREET, OTHER_STREET, TOUCHING}
    with groningen_csv.open(newline="") as src, part.open("w", newline="") as dst:
        rows = csv.reader(src)
        writer = csv.writer(dst)
        writer.writerow(next(rows))
        writer.writerows(row for row in rows if row[0] in streets)
    geo_actions.import_addresses(path=part)


def test_r_adj_1_forward_and_repost_in_the_browser(
    browser, asgi_server, group, anna_admin, resident_on, tmp_path
):
    neighbour_admin = resident_on("Noor Buur", TOUCHING, 0)
    neighbour = _group_on(TOUCHING, neighbour_admin)
    alert = _alert(anna_admin, group)
    contexts = []
    try:
        context, anna = open_as(
            browser, asgi_server, session_cookie(anna_admin), f"/groepen/{group.pk}/"
        )
        contexts.append(context)
        context, noor = open_as(
            browser, asgi_server, session_cookie(neighbour_admin), f"/groepen/{neighbour.pk}/"
        )
        contexts.append(context)
        for page in (anna, noor):
            page.get_by_text("Live: nieuwe meldingen verschijnen hier meteen.").wait_for()
        assert noor.locator("#forwards").is_hidden()
        loads = []
        noor.on("request", lambda request: loads.append(request.url))

        card = anna.locator(f"#alert-{alert.pk}")
        card.get_by_role("button", name="Waarschuw de buurgroepen").click()
        anna.get_by_text("De beheerders van 1 buurgroepen zijn gewaarschuwd.").wait_for()

        item = noor.locator("#forward-list li.forward")
        item.wait_for()
        assert loads == []  # shown from the socket message, nothing fetched
        shown = item.inner_text()
        assert "Verdacht voertuig" in shown and GROUP_STREET in shown
        assert group.name in shown
        assert "Anna" not in shown and "rode jas" not in shown and "ABC" not in shown
        noor.screenshot(path=str(tmp_path / "forward-received.png"), full_page=True)

        item.get_by_role("button", name="Plaats in onze groep").click()
        repost = noor.locator("#alerts article.alert", has_text="Doorgestuurd van")
        repost.wait_for()
        assert group.name in repost.inner_text()
        assert "Noord" in repost.inner_text() or "noord" in repost.inner_text()
        noor.locator("#forwards").wait_for(state="hidden")
        noor.set_viewport_size({"width": 360, "height": 800})
        noor.screenshot(path=str(tmp_path / "forward-reposted-360.png"), full_page=True)
        width = noor.evaluate("document.documentElement.scrollWidth")
        assert width <= 360
    finally:
        for context in contexts:
            context.close()
