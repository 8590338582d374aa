"""The phone in the hand, in a real browser on the real ASGI server, at 360 px (touch) and at
desktop size: the installable app (manifest, service worker, offline page, the last-seen
group page), an alert written offline that arrives once, tap-to-call, muting the chat on
this device, pressed acknowledgements, focus after posting and on errors, the skip link,
and the last member dissolving the group.  Every page is checked by axe (conftest.py)."""

import json
import os
import time
from pathlib import Path

import pytest

from buurtwacht.alerts import actions as alert_actions
from buurtwacht.alerts.models import Alert, PoliceCall
from buurtwacht.geo import actions as geo_actions
from buurtwacht.geo.models import Street
from buurtwacht.groups.models import Group
from tests.conftest import GROUP_STREET, session_cookie

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {
    "viewport": {"width": 360, "height": 740},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
SIZES = {"360": PHONE, "desktop": DESKTOP}
SHOTS = os.environ.get("SCREENSHOT_DIR", "")  # set it to look at the pages (360 px too)


@pytest.fixture
def groningen_addresses(groningen_subset_csv):
    geo_actions.import_addresses(path=groningen_subset_csv)


def open_as(browser, server, user, path, *, size, init_script=""):
    cookie = session_cookie(user)
    context = browser.new_context(locale="nl-NL", **SIZES[size])
    name, value = cookie.split("=", 1)
    context.add_cookies([{"name": name, "value": value, "url": f"http://{server}/"}])
    if init_script:
        context.add_init_script(init_script)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"http://{server}{path}")
    return context, page


def shot(page, name):
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=False)


def post_alert(group, user, what="Iemand trekt aan de deurklinken van auto's"):
    alert, _created = alert_actions.post_alert(
        user=user,
        group_id=group.pk,
        draft=alert_actions.AlertDraft(
            client_id=f"seed-{time.monotonic_ns()}",
            kind="suspicious_person",
            what=what,
            street_id=Street.objects.filter(name=GROUP_STREET).first().pk,
        ),
    )
    return alert


def wait_until(check, timeout=10.0):
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def controlled_by_worker(page):
    """Until the service worker controls the page (it claims it when it activates)."""
    page.evaluate("() => navigator.serviceWorker.ready")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")


def test_pwa_manifest_served_and_valid_with_icons_and_standalone(browser, asgi_server, mo_member):
    context, page = open_as(browser, asgi_server, mo_member, "/", size="desktop")
    try:
        href = page.get_attribute("link[rel=manifest]", "href")
        manifest = page.evaluate("async (href) => (await fetch(href)).json()", href)
        assert manifest["name"] == "Buurtwacht" and manifest["display"] == "standalone"
        assert manifest["start_url"] and manifest["theme_color"] == "#0b5cad"
        sizes = {icon["sizes"] for icon in manifest["icons"]}
        assert {"180x180", "192x192", "512x512"} <= sizes
        for icon in manifest["icons"]:
            status = page.evaluate("async (src) => (await fetch(src)).status", icon["src"])
            assert status == 200, icon["src"]
    finally:
        context.close()


def test_pwa_phone_alerts_first_short_header_and_tabs(
    browser, asgi_server, group, mo_member, anna_admin
):
    post_alert(group, mo_member)
    anna_context, anna = open_as(
        browser, asgi_server, anna_admin, f"/groepen/{group.pk}/", size="desktop"
    )
    context, page = open_as(browser, asgi_server, mo_member, f"/groepen/{group.pk}/", size="360")
    try:
        page.get_by_text("Live: nieuwe meldingen verschijnen hier meteen.").wait_for()
        header = page.locator("header.top").bounding_box()
        assert header["height"] < 100  # was about 320 px before the content
        compose = page.get_by_text("Melding maken").bounding_box()
        assert compose["y"] + compose["height"] < 740  # on the first screen
        assert page.locator("article.alert").first.is_visible()
        chat = page.get_by_role("heading", name="Chat")
        assert not chat.is_visible()  # one tap away
        bar = page.get_by_role("navigation", name="Onderdelen van de groepspagina")
        assert bar.is_visible()
        shot(page, "pwa-360-alerts")
        bar.get_by_role("link", name="Chat").click()
        assert chat.is_visible() and not page.locator("article.alert").first.is_visible()
        shot(page, "pwa-360-chat")
        bar.get_by_role("link", name="Groep").click()
        assert page.get_by_role("heading", name="Huisregels").is_visible()
        shot(page, "pwa-360-group")
        # A new alert while the group part is open: the alerts tab says so.
        anna.get_by_text("Live: nieuwe meldingen verschijnen hier meteen.").wait_for()
        anna.get_by_text("Melding maken").click()
        anna.get_by_label("Wat zag je? Beschrijf het gedrag.").fill(
            "Man met breekijzer bij de schuur"
        )
        anna.get_by_role("button", name="Melding versturen").click()
        page.locator("nav.tabbar a.has-new", has_text="Meldingen").wait_for()
        bar.get_by_role("link", name="Meldingen").click()
        assert page.locator("nav.tabbar a.has-new").count() == 0
        assert page.get_by_text("Man met breekijzer bij de schuur").is_visible()
    finally:
        context.close()
        anna_context.close()


def test_pwa_desktop_shows_the_whole_group_page_without_tabs(
    browser, asgi_server, group, mo_member
):
    context, page = open_as(
        browser, asgi_server, mo_member, f"/groepen/{group.pk}/", size="desktop"
    )
    try:
        assert page.get_by_role("heading", name="Chat").is_visible()
        assert page.get_by_role("heading", name="Huisregels").is_visible()
        assert not page.locator("nav.tabbar").is_visible()
        shot(page, "pwa-desktop-group")
    finally:
        context.close()


def test_offline_page_and_the_last_seen_group_page(browser, asgi_server, group, mo_member):
    post_alert(group, mo_member, what="Onbekende man fotografeert voordeuren")
    context, page = open_as(browser, asgi_server, mo_member, f"/groepen/{group.pk}/", size="360")
    try:
        controlled_by_worker(page)
        page.reload()  # now through the worker, which keeps this group page
        page.get_by_text("Onbekende man fotografeert voordeuren").wait_for()
        context.set_offline(True)
        page.goto(f"http://{asgi_server}/groepen/{group.pk}/")
        assert page.get_by_text("Onbekende man fotografeert voordeuren").is_visible()
        page.goto(f"http://{asgi_server}/kaart/")  # never seen: the offline page
        assert page.get_by_role("heading", name="Geen verbinding").is_visible()
        assert page.locator('a[href="tel:112"]').first.is_visible()
        page.get_by_role("link", name=group.name).wait_for()  # the kept page, by its name
        shot(page, "offline-360")
        context.set_offline(False)
    finally:
        context.close()


@pytest.mark.parametrize("size", ["360", "desktop"])
def test_offline_alert_waits_on_the_device_and_arrives_once(
    browser, asgi_server, group, mo_member, size
):
    context, page = open_as(browser, asgi_server, mo_member, f"/groepen/{group.pk}/", size=size)
    try:
        page.get_by_text("Live: nieuwe meldingen verschijnen hier meteen.").wait_for()
        context.set_offline(True)
        page.get_by_text("Melding maken").click()
        page.get_by_label("Wat zag je? Beschrijf het gedrag.").fill(
            "Busje rijdt rondjes zonder licht"
        )
        page.get_by_role("button", name="Melding versturen").click()
        waiting = page.locator("#outbox")
        waiting.get_by_text("Wacht op verbinding").wait_for()
        assert "Busje rijdt rondjes zonder licht" in waiting.inner_text()
        assert page.evaluate("() => document.activeElement.id") == "outbox"
        shot(page, f"offline-alert-waiting-{size}")
        assert not Alert.objects.exists()
        context.set_offline(False)  # the browser says "online": the alert goes
        wait_until(lambda: Alert.objects.count() == 1)
        waiting.wait_for(state="hidden")
        page.locator("article.alert", has_text="Busje rijdt rondjes zonder licht").wait_for()
        page.reload()  # nothing left on the device, and still one alert
        page.get_by_text("Live: nieuwe meldingen verschijnen hier meteen.").wait_for()
        assert page.locator("#outbox").is_hidden()
        assert Alert.objects.count() == 1
    finally:
        context.close()


RECORD_DIALS = """
window.__dialled = [];
document.addEventListener("click", (event) => {
  const link = event.target.closest && event.target.closest('a[href^="tel:"]');
  if (link) { event.preventDefault(); window.__dialled.push(link.getAttribute("href")); }
}, true);
"""


def test_tel_link_ik_bel_112_records_the_claim_opens_the_dialler_and_keeps_focus(
    browser, asgi_server, group, mo_member, anna_admin
):
    alert = post_alert(group, anna_admin)
    context, page = open_as(
        browser,
        asgi_server,
        mo_member,
        f"/groepen/{group.pk}/",
        size="360",
        init_script=RECORD_DIALS,
    )
    try:
        page.get_by_text("Live: nieuwe meldingen verschijnen hier meteen.").wait_for()
        card = page.locator(f"#alert-{alert.pk}")
        card.get_by_role("button", name="Ik bel 112").click()
        card.get_by_text("112 gebeld door").wait_for()
        assert PoliceCall.objects.filter(alert=alert, user=mo_member, channel="112").exists()
        assert page.evaluate("() => window.__dialled") == ["tel:112"]
        assert page.evaluate(f"() => document.activeElement.closest('#alert-{alert.pk}') !== null")
        # The SAAR help names both numbers as links to tap.
        page.get_by_text("Melding maken").click()
        saar = page.locator(".dial").first
        assert saar.locator('a[href="tel:112"]').is_visible()
        assert saar.locator('a[href="tel:09008844"]').is_visible()
        shot(page, "tel-links-360")
    finally:
        context.close()


def test_tel_link_on_desktop_records_the_claim_without_dialling(
    browser, asgi_server, group, mo_member, anna_admin
):
    alert = post_alert(group, anna_admin)
    context, page = open_as(
        browser,
        asgi_server,
        mo_member,
        f"/groepen/{group.pk}/",
        size="desktop",
        init_script=RECORD_DIALS,
    )
    try:
        page.locator(f"#alert-{alert.pk}").get_by_role("button", name="Ik bel 112").click()
        page.locator(f"#alert-{alert.pk}").get_by_text("112 gebeld door").wait_for()
        assert page.evaluate("() => window.__dialled") == []
    finally:
        context.close()


@pytest.mark.parametrize("size", ["360", "desktop"])
def test_mute_the_chat_on_this_device_and_the_acknowledgement_stays_pressed(
    browser, asgi_server, group, mo_member, anna_admin, size
):
    alert = post_alert(group, anna_admin)
    context, page = open_as(browser, asgi_server, mo_member, f"/groepen/{group.pk}/", size=size)
    try:
        controlled_by_worker(page)
        seen = page.locator(f"#alert-{alert.pk}").get_by_role("button", name="Gezien")
        seen.click()
        page.wait_for_function(
            f"() => document.querySelector('#alert-{alert.pk} form[data-ack=seen] button')"
            ".getAttribute('aria-pressed') === 'true'"
        )
        if size == "360":
            page.get_by_role("navigation", name="Onderdelen van de groepspagina").get_by_role(
                "link", name="Chat"
            ).click()
        mute = page.locator("#mute")
        mute.get_by_label("Chat dempen op dit toestel").select_option("8")
        mute.get_by_role("button", name="Dempen").click()
        mute.get_by_text("Chat op dit toestel gedempt tot").wait_for()
        shot(page, f"mute-{size}")
        page.wait_for_function(
            """async (group) => {
              const cache = await caches.open("buurtwacht-settings");
              const kept = await cache.match("/__buurtwacht/mutes");
              return kept ? (await kept.json())[String(group)] > Date.now() : false;
            }""",
            arg=group.pk,
        )
        page.reload()
        assert page.locator("#mute").get_by_text("gedempt tot").count() == 1
        pressed = page.locator(f"#alert-{alert.pk} form[data-ack=seen] button")
        assert pressed.get_attribute("aria-pressed") == "true"
        page.locator("#mute").get_by_role("button", name="Weer aanzetten").click(force=True)
        assert (
            json.loads(page.evaluate("() => JSON.stringify(localStorage)")).get(
                f"buurtwacht-mute-{group.pk}"
            )
            is None
        )
    finally:
        context.close()


@pytest.mark.parametrize("size", ["360", "desktop"])
def test_focus_moves_to_the_error_summary_and_after_posting_to_the_answer(
    browser, asgi_server, group, mo_member, size
):
    context, page = open_as(browser, asgi_server, mo_member, f"/groepen/{group.pk}/", size=size)
    try:
        page.get_by_text("Live: nieuwe meldingen verschijnen hier meteen.").wait_for()
        page.get_by_text("Melding maken").click()
        page.get_by_role("button", name="Melding versturen").click()
        summary = page.locator("#alert-errors")
        summary.wait_for()
        assert page.evaluate("() => document.activeElement.id") == "alert-errors"
        what = page.get_by_label("Wat zag je? Beschrijf het gedrag.")
        assert what.get_attribute("aria-invalid") == "true"
        described = what.get_attribute("aria-describedby").split()
        assert "error-what" in described
        assert all(page.locator(f"#{ref}").count() == 1 for ref in described)
        shot(page, f"focus-error-summary-{size}")
        summary.get_by_role("link").first.click()
        assert page.evaluate("() => document.activeElement.name") == "what"
        what.fill("Twee jongens proberen schuurtjes open te maken")
        page.get_by_role("button", name="Melding versturen").click()
        page.get_by_text("Je melding is naar de groep verstuurd.").wait_for()
        assert page.evaluate("() => document.activeElement.id") == "live-status"
        assert not summary.is_visible()
        assert what.get_attribute("aria-invalid") is None
    finally:
        context.close()


def test_focus_skip_link_leads_to_the_content(browser, asgi_server, group, mo_member):
    context, page = open_as(browser, asgi_server, mo_member, f"/groepen/{group.pk}/", size="360")
    try:
        page.keyboard.press("Tab")
        skip = page.get_by_role("link", name="Naar de inhoud")
        assert page.evaluate("() => document.activeElement.className") == "skip-link"
        assert skip.bounding_box()["y"] >= 0  # shown when focused
        page.keyboard.press("Enter")
        assert page.evaluate("() => document.activeElement.id") == "main"
    finally:
        context.close()


@pytest.mark.parametrize("size", ["360", "desktop"])
def test_last_member_leaves_and_dissolves_the_group_after_confirming(
    browser, asgi_server, group, anna_admin, size
):
    context, page = open_as(browser, asgi_server, anna_admin, f"/groepen/{group.pk}/", size=size)
    try:
        if size == "360":
            page.get_by_role("navigation", name="Onderdelen van de groepspagina").get_by_role(
                "link", name="Groep"
            ).click()
        page.get_by_role("button", name="Deze groep verlaten").click()
        page.get_by_role("heading", name="Groep opheffen?").wait_for()
        assert Group.objects.filter(pk=group.pk).exists()  # nothing happened yet
        shot(page, f"last-member-confirm-{size}")
        page.get_by_role("button", name=f"Vertrekken en {group.name} opheffen").click()
        page.get_by_text("De groep is opgeheven.").wait_for()
        assert not Group.objects.filter(pk=group.pk).exists()
    finally:
        context.close()


IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)


def test_pwa_install_guidance_for_an_iphone_on_the_members_page(
    browser, asgi_server, group, mo_member
):
    cookie = session_cookie(mo_member)
    context = browser.new_context(locale="nl-NL", user_agent=IPHONE, **PHONE)
    name, value = cookie.split("=", 1)
    context.add_cookies([{"name": name, "value": value, "url": f"http://{asgi_server}/"}])
    page = context.new_page()
    try:
        page.goto(f"http://{asgi_server}/groepen/{group.pk}/#tab-group")
        guidance = page.locator("#install .js-install-ios")
        guidance.wait_for()
        assert "Zet op beginscherm" in guidance.inner_text()
        assert "alleen vanaf het beginscherm" in guidance.inner_text()
        assert page.locator("#install .js-install").is_hidden()  # Safari has no prompt
        shot(page, "install-iphone-360")
    finally:
        context.close()
