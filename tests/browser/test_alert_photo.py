"""R-RUL-6 in a browser: an alert with a photo (and why it is needed) posted by one
neighbour appears live, photo included, at another on a 360 px wide phone screen; an
outsider asking for the photo gets 404; once the photo retention has passed, the open
card drops it."""

import datetime as dt
import os
import time

import pytest

from buurtwacht.core import clock
from buurtwacht.geo import actions as geo_actions
from buurtwacht.privacy.actions import purge_expired
from tests.conftest import session_cookie
from tests.media.conftest import camera_jpeg

from .test_live_alerts import open_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("SCREENSHOT_DIR", "")


@pytest.fixture
def groningen_addresses(groningen_subset_csv):
    geo_actions.import_addresses(path=groningen_subset_csv)


def test_r_rul_6_alert_with_photo_appears_live_for_members_only(
    browser, asgi_server, group, anna_admin, mo_member, bob_buiten, tmp_path
):
    path = f"/groepen/{group.pk}/"
    photo = tmp_path / "foto.jpg"
    photo.write_bytes(camera_jpeg())
    cookies = [session_cookie(u) for u in (anna_admin, mo_member, bob_buiten)]
    anna_context, anna = open_as(browser, asgi_server, cookies[0], path)
    mo_context, mo = open_as(browser, asgi_server, cookies[1], path)
    bob_context, bob = open_as(browser, asgi_server, cookies[2], path)
    try:
        mo.set_viewport_size({"width": 360, "height": 780})
        for page in (anna, mo):
            page.get_by_text("Live: nieuwe meldingen verschijnen hier meteen.").wait_for()
        anna.get_by_text("Melding maken").click()
        anna.get_by_label("Wat zag je? Beschrijf het gedrag.").fill(
            "Man probeert deurklinken van auto's"
        )
        anna.get_by_text("Meer details: richting, persoon, voertuig").click()
        anna.get_by_label("Foto (optioneel)").set_input_files(str(photo))
        anna.get_by_label("Waarom is de foto nodig?").select_option("recognise_person")
        anna.get_by_label("Leg kort uit").fill("Zijn opvallende jas is goed te zien")
        if SHOTS:
            anna.screenshot(path=f"{SHOTS}/photo-form.png", full_page=True)
        anna.get_by_role("button", name="Melding versturen").click()

        card = mo.locator("article.alert", has_text="Man probeert deurklinken")
        card.wait_for()  # over the WebSocket, no reload
        image = card.locator("img[data-slot=photo]")
        image.wait_for()
        mo.wait_for_function(
            "img => img.complete && img.naturalWidth > 0", arg=image.element_handle()
        )
        assert "Zijn opvallende jas is goed te zien" in card.inner_text()
        box = image.bounding_box()
        assert box is not None and box["width"] <= 360
        if SHOTS:
            card.scroll_into_view_if_needed()
            mo.screenshot(path=f"{SHOTS}/photo-card-360.png", full_page=True)
        src = image.get_attribute("src")
        assert mo.request.get(f"http://{asgi_server}{src}").status == 200
        assert bob.request.get(f"http://{asgi_server}{src}").status == 404
        # the sweep after the photo retention: the open card drops it, without a reload
        purge_expired(now=clock.now() + dt.timedelta(days=31))
        card.locator("figure.photo").wait_for(state="hidden")
        assert "Man probeert deurklinken" in card.inner_text()  # the alert itself stays
        assert mo.request.get(f"http://{asgi_server}{src}").status == 404
    finally:
        for context in (anna_context, mo_context, bob_context):
            context.close()
        time.sleep(0.5)
