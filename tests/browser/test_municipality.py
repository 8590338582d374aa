"""The municipality in a real browser: the coordinator logs in, finds the dashboard in the
menu, sees her municipality's groups on the map and in the list and the statistics with a
chart, and handles a sign request that the group's admin made on the group's page, from
request to placed.  On a 360 px phone the dashboard and the request fit without sideways
scrolling."""

import datetime as dt
import os
from pathlib import Path

import pytest
import shapely
import time_machine
from django.utils import timezone

from buurtwacht.geo import actions as geo_actions
from buurtwacht.groups import actions as group_actions
from buurtwacht.groups.models import Listing
from buurtwacht.register.index import clear_register_index
from buurtwacht.signage.models import SignRequest
from tests.conftest import GROUP_STREET, PASSWORD, session_cookie
from tests.notify.test_deliveries import post

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCREENSHOTS = (
    Path(os.environ.get("SCREENSHOT_DIR", "")) if os.environ.get("SCREENSHOT_DIR") else None
)


@pytest.fixture
def groningen_addresses(groningen_subset_csv):
    geo_actions.import_addresses(path=groningen_subset_csv)


def shot(page, name):
    if SCREENSHOTS:
        page.screenshot(path=str(SCREENSHOTS / name), full_page=True)


def fits(page, width):
    sticking_out = page.evaluate(
        """(width) => [...document.querySelectorAll('main *')]
            .filter((e) => !e.closest('.leaflet-container'))  // the map clips its own panes
            .filter((e) => e.getBoundingClientRect().right > width)
            .map((e) => e.tagName + ' ' + e.textContent.slice(0, 40))""",
        width,
    )
    assert sticking_out == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_r_vis_1_coordinator_handles_a_sign_request_from_request_to_placed(
    request, browser, asgi_server, settings, group, anna_admin, mo_member, gea_gemeente
):
    settings.SIGN_MIN_MEMBERS = 2
    settings.MAP_TILES_URL = ""  # no network: outlines on a plain background
    for n in range(6):
        post(anna_admin, group, client_id=f"a{n}")
    group_actions.set_listing(admin=anna_admin, group_id=group.pk, listing=Listing.LISTED)
    clear_register_index()
    base = f"http://{asgi_server}"

    # The admin asks on the group's signs page: the facts are filled in from the group.
    admin = browser.new_context(locale="nl-NL", viewport={"width": 360, "height": 800})
    name, value = session_cookie(anna_admin).split("=", 1)
    admin.add_cookies([{"name": name, "value": value, "url": f"{base}/"}])
    page = admin.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{base}/groepen/{group.pk}/borden/")
    facts = page.locator("#sign-facts")
    assert GROUP_STREET in facts.inner_text() and "2" in facts.inner_text()
    page.get_by_label("Borden").fill("2")
    page.get_by_label("Stickers").fill("30")
    page.get_by_label("Opmerking voor de gemeente (niet verplicht)").fill("Bij de speeltuin")
    shot(page, "signs-request-360.png")
    fits(page, 360)
    page.get_by_role("button", name="Naar de gemeente sturen").click()
    page.locator("#sign-open").wait_for()  # said once: the request under way
    admin.close()

    # The coordinator logs in a week later: the statistics are of closed weeks.
    later = time_machine.travel(timezone.now() + dt.timedelta(weeks=1), tick=True)
    later.start()
    request.addfinalizer(later.stop)
    context = browser.new_context(locale="nl-NL", viewport={"width": 1024, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{base}/account/inloggen/")
    page.get_by_label("E-mailadres").fill(gea_gemeente.email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_role("link", name="Gemeente", exact=True).click()
    page.get_by_role("heading", name="Gemeente GM0014").wait_for()
    line = page.locator(f"#group-{group.pk}")
    assert group.name in line.inner_text() and GROUP_STREET in line.inner_text()
    assert "1–9 leden" in line.inner_text()  # noqa: RUF001 (the range's en dash)
    page.wait_for_selector("#municipality-map[data-ready='1']")
    assert page.locator("#municipality-map path.leaflet-interactive").count() == 1  # the map
    chart = page.locator("#statistics svg.chart").first
    assert chart.is_visible() and chart.bounding_box()["height"] > 50
    assert page.locator("#statistics [data-figure=alerts]").inner_text() == "6"
    shot(page, "municipality-dashboard.png")

    # The request: approve, ordered, delivered, placed (with where and a point).
    page.locator("#signs").get_by_role("link", name=group.name).click()
    page.get_by_role("button", name="Goedkeuren").click()
    page.get_by_text("Vastgelegd; de beheerders van de groep zijn ingelicht.").wait_for()
    page.get_by_role("button", name="Besteld").click()
    page.locator("#sign-status").get_by_text("besteld").wait_for()
    page.get_by_role("button", name="Geleverd").click()
    page.locator("#sign-status").get_by_text("geleverd").wait_for()
    page.get_by_label("Waar zijn de borden geplaatst?").fill("Lantaarnpaal bij de speeltuin")
    # A tap on the map inside the group's area fills in the point.
    page.wait_for_selector("#pick-map[data-ready='1']")
    page.locator("#pick-map").scroll_into_view_if_needed()
    box = page.locator("#pick-map path.leaflet-interactive").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    lat = float(page.get_by_label("Breedtegraad (niet verplicht)").input_value())
    lon = float(page.get_by_label("Lengtegraad (niet verplicht)").input_value())
    area = shapely.from_geojson(group.area_geometry)
    assert area.buffer(0.001).contains(shapely.Point(lon, lat))
    shot(page, "sign-request-pick-point.png")
    page.get_by_role("button", name="Geplaatst").click()
    page.locator("#sign-status").get_by_text("geplaatst").wait_for()
    assert "Lantaarnpaal bij de speeltuin" in page.locator("#sign-facts").inner_text()
    shot(page, "sign-request-placed.png")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download als pdf").click()
    assert download.value.suggested_filename.endswith(".pdf")
    placed = SignRequest.objects.get()
    assert placed.status == "placed"
    assert (placed.placed_lat, placed.placed_lon) == (pytest.approx(lat), pytest.approx(lon))

    # On a phone: the dashboard and the request fit 360 px.
    page.set_viewport_size({"width": 360, "height": 800})
    page.reload()
    shot(page, "sign-request-360.png")
    fits(page, 360)
    page.goto(f"{base}/gemeente/")
    shot(page, "municipality-dashboard-360.png")
    fits(page, 360)
    context.close()
