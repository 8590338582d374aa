"""The member's side of notifications: preferences page, all devices off, manifest, icons and
the service worker (one device's push subscription: tests/api/test_push.py)."""

import datetime as dt
import io
import json

import pytest
from django.urls import reverse
from PIL import Image

from buurtwacht.accounts import actions as account_actions
from buurtwacht.geo import actions as geo_actions
from buurtwacht.geo.geocoders import GazetteerGeocoder
from buurtwacht.geo.geocoding import AddressQuery
from buurtwacht.notify import actions
from buurtwacht.notify.forms import normalise_mobile
from buurtwacht.notify.keys import application_server_key
from buurtwacht.notify.models import Preferences, PushSubscription
from tests.browser.conftest import browser  # noqa: F401 (module-scoped Chromium)
from tests.conftest import PASSWORD, session_cookie
from tests.notify.conftest import ENDPOINT, BrowserKeys, b64url

pytestmark = pytest.mark.django_db

PAGE = "/account/meldingen/"
PUSH_OFF = "/account/meldingen/push/verwijderen/"


def preferences(**changes):
    data = {
        "webpush": "on",
        "email": "on",
        "phone": "",
        "chat": "on",
        "quiet_start": "23:00",
        "quiet_end": "07:00",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


# --- preferences page ----------------------------------------------------------------------


def test_preferences_page_is_dutch_and_explains_what_comes_through(femke_client):
    response = femke_client.get(PAGE)
    assert response.status_code == 200
    text = response.text
    assert "<h1>Meldingsinstellingen</h1>" in text
    assert "Meldingen op dit apparaat aanzetten" in text
    assert "ook tijdens je rustige uren" in text
    assert "nooit een beschrijving van een persoon of een foto" in text.lower()
    assert f'data-key="{application_server_key()}"' in text
    assert "web/notify.js" in text
    assert "<script>" not in text  # CSP: no inline scripts


def test_notify_js_is_only_on_the_preferences_page(femke_client):
    assert "web/notify.js" not in femke_client.get(reverse("profile")).text


def test_profile_and_nav_link_to_the_preferences(femke_client):
    profile = femke_client.get(reverse("profile")).text
    assert profile.count(f'href="{PAGE}"') == 2  # nav and the list on the profile page
    assert '<link rel="manifest" href="/manifest.webmanifest">' in profile


def test_saving_preferences_normalises_the_mobile_number(femke_client, femke):
    response = femke_client.post(
        PAGE, preferences(sms="on", phone="06-1234 5678", chat=None, quiet_start="22:30")
    )
    assert response.status_code == 302
    prefs = Preferences.objects.get(user=femke)
    assert prefs.sms and prefs.webpush and prefs.email and not prefs.chat
    assert prefs.phone == "+31612345678"
    assert prefs.quiet_start == dt.time(22, 30)
    assert prefs.quiet_end == dt.time(7, 0)
    page = femke_client.get(PAGE).text
    assert "Je instellingen voor meldingen zijn opgeslagen" in page
    assert 'value="+31612345678"' in page


def test_sms_without_a_number_is_a_dutch_error_and_nothing_is_saved(femke_client, femke):
    response = femke_client.post(PAGE, preferences(sms="on", email=None))
    assert response.status_code == 200
    assert "Voor sms hebben we een mobiel nummer nodig" in response.text
    assert not Preferences.objects.filter(user=femke).exists()


@pytest.mark.parametrize("phone", ["050 1234567", "+31 50 123 4567", "12345", "06-123", "bel me"])
def test_a_number_that_is_not_mobile_is_refused(femke_client, femke, phone):
    response = femke_client.post(PAGE, preferences(sms="on", phone=phone))
    assert response.status_code == 200
    assert "Dit is geen mobiel nummer" in response.text
    assert not Preferences.objects.filter(user=femke).exists()


@pytest.mark.parametrize(
    ("written", "e164"),
    [
        ("0612345678", "+31612345678"),
        ("06 12 34 56 78", "+31612345678"),
        ("+31 6 12345678", "+31612345678"),
        ("+31 (0)6-12345678", "+31612345678"),
        ("0031612345678", "+31612345678"),
        ("+32 470 12 34 56", "+32470123456"),
        ("0049 1512 3456789", "+4915123456789"),
    ],
)
def test_mobile_numbers_are_normalised_to_e164(written, e164):
    assert normalise_mobile(written) == e164


@pytest.mark.parametrize(
    "written",
    [
        "050 1234567",  # a Dutch landline
        "+31 50 123 4567",
        "0031 50 123 4567",
        "066 1234567",  # a Dutch pager (06-6), no mobile phone
        "+49 30 1234567",  # a foreign landline
        "+12345678",  # no number of any country
        "06 12 34 ABCD",  # letters are no digits (phonenumbers would read them as such)
        "0612345678 ext 3",
        "0612345678#3",
        "",
    ],
)
def test_phonenumbers_refuses_what_is_not_a_mobile_number(written):
    with pytest.raises(ValueError):
        normalise_mobile(written)


def test_the_page_shows_what_was_saved(femke_client, femke):
    femke_client.post(PAGE, preferences(webpush=None, quiet_start="21:00", quiet_end="06:15"))
    form = femke_client.get(PAGE).context["form"]
    assert form.initial["webpush"] is False
    assert form.initial["quiet_start"] == dt.time(21, 0)
    assert form.initial["quiet_end"] == dt.time(6, 15)


# --- all devices off (the form on the page; one device: tests/api/test_push.py) ------------


def test_remove_all_devices_from_the_page(femke_client, femke, bob_buiten):
    for user, endpoint in (
        (femke, ENDPOINT),
        (femke, ENDPOINT + "-2"),
        (bob_buiten, ENDPOINT + "-b"),
    ):
        keys = BrowserKeys.new()
        actions.subscribe_push(
            user=user, endpoint=endpoint, p256dh=keys.p256dh, auth=b64url(keys.auth)
        )
    assert 'id="push-remove" hidden' not in femke_client.get(PAGE).text
    response = femke_client.post(PUSH_OFF)
    assert response.status_code == 302
    assert not PushSubscription.objects.filter(user=femke).exists()
    assert PushSubscription.objects.filter(user=bob_buiten).count() == 1
    page = femke_client.get(PAGE).text
    assert "Geen enkel apparaat krijgt nog pushmeldingen" in page
    assert 'id="push-remove" hidden' in page


def test_anonymous_visitors_must_log_in(client):
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert client.post(PAGE, preferences()).status_code == 302
    assert client.post(PUSH_OFF).status_code == 302
    assert not Preferences.objects.exists()


def test_get_is_not_allowed_on_remove_all(femke_client):
    assert femke_client.get(PUSH_OFF).status_code == 405


# --- installable web app -------------------------------------------------------------------


def test_manifest_is_valid_and_its_icons_resolve(client):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/manifest+json")
    manifest = json.loads(response.content)
    assert manifest["name"] == "Buurtwacht"
    assert manifest["short_name"]
    assert manifest["start_url"] == "/account/start/"  # a member lands on their group
    assert manifest["display"] == "standalone"
    assert manifest["lang"] == "nl"
    assert manifest["theme_color"].startswith("#")
    assert manifest["background_color"].startswith("#")
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"180x180", "192x192", "512x512", "any"} <= sizes
    for icon in manifest["icons"]:
        got = client.get(icon["src"])
        assert got.status_code == 200, icon["src"]
        body = b"".join(got.streaming_content) if got.streaming else got.content
        assert got["Content-Type"].startswith(icon["type"])
        if icon["type"] == "image/png":
            image = Image.open(io.BytesIO(body))
            assert image.format == "PNG"
            assert f"{image.width}x{image.height}" == icon["sizes"]
        else:
            assert b"<svg" in body


def test_only_the_icon_sizes_of_the_manifest_exist(client):
    assert client.get("/icon-64.png").status_code == 404


def test_service_worker_is_served_from_the_root(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    source = response.content.decode()
    assert 'addEventListener("push"' in source
    assert 'addEventListener("notificationclick"' in source
    assert 'tag.startsWith("alert-")' in source


# --- in a real browser (Debian's Chromium) --------------------------------------------------


@pytest.fixture
def femke_in_chromium(browser, asgi_server, groningen_subset_csv):  # noqa: F811
    """Femke logged in, in a Chromium context that may show notifications.  The database is
    emptied after a browser test, so this imports the rows it needs itself (not the
    session-wide `groningen_addresses`)."""
    geo_actions.import_addresses(path=groningen_subset_csv)
    address = GazetteerGeocoder().lookup(AddressQuery(postcode="9712KB", number=24, letter="C"))
    assert address is not None
    femke = account_actions.register_user(
        registration=account_actions.Registration(
            email="femke.browser@example.nl",
            name="Femke de Boer",
            password=PASSWORD,
            date_of_birth=dt.date(1980, 5, 17),
            address=address,
        )
    )
    context = browser.new_context(locale="nl-NL")
    name, value = session_cookie(femke).split("=", 1)
    context.add_cookies([{"name": name, "value": value, "url": f"http://{asgi_server}/"}])
    context.grant_permissions(["notifications"], origin=f"http://{asgi_server}")
    try:
        yield femke, context
    finally:
        context.close()


def _open(context, url):
    page = context.new_page()
    page.set_default_timeout(10_000)
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(url)
    button = page.get_by_role("button", name="Meldingen op dit apparaat aanzetten")
    button.wait_for()  # notify.js ran (the button is hidden without it)
    button.click()
    status = page.locator("#push-status")
    status.filter(has_not_text="Een moment").wait_for()
    return page, status.inner_text(), problems


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_preferences_page_runs_notify_js_without_csp_errors(femke_in_chromium, asgi_server):
    """notify.js loads under the CSP, registers /sw.js for the whole site and reports in
    Dutch."""
    femke, context = femke_in_chromium
    page, said, problems = _open(context, f"http://{asgi_server}{PAGE}")
    scope = page.evaluate("navigator.serviceWorker.getRegistration('/').then(r => r && r.scope)")
    assert scope == f"http://{asgi_server}/"
    # Headless Chromium refuses the push subscription itself ("permission denied"): the
    # Dutch message from the page's data attributes must show, not a JavaScript error.
    if said == "Pushmeldingen op dit apparaat staan aan.":
        assert PushSubscription.objects.filter(user=femke).count() == 1
    else:
        assert said.startswith("Het aanzetten van meldingen is niet gelukt")
    assert [p for p in problems if "Content Security Policy" in p] == []


# Headless Chromium has no push service: its PushManager hands out a subscription with keys
# the test made.  Everything after that is notify.js, the API and the action.
BROWSER_PUSH_SERVICE = """
(() => {
  const made = %s;
  const subscription = {
    options: { applicationServerKey: null },
    toJSON: () => made,
    unsubscribe: async () => true,
  };
  PushManager.prototype.getSubscription = async () => null;
  PushManager.prototype.subscribe = async () => subscription;
})();
"""


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_notify_js_subscribes_this_device_through_the_api(femke_in_chromium, asgi_server, settings):
    femke, context = femke_in_chromium
    settings.PUSH_LOCAL_SERVICES = True  # an address nothing is sent to, and no DNS look-up
    keys = BrowserKeys.new()
    endpoint = "http://127.0.0.1:9/push/femke"
    made = {
        "endpoint": endpoint,
        "expirationTime": None,
        "keys": {"p256dh": keys.p256dh, "auth": b64url(keys.auth)},
    }
    context.add_init_script(BROWSER_PUSH_SERVICE % json.dumps(made))
    page, said, problems = _open(context, f"http://{asgi_server}{PAGE}")
    assert said == "Pushmeldingen op dit apparaat staan aan."
    assert page.locator("#push-devices").inner_text() == "1 apparaat krijgt pushmeldingen."
    assert page.locator("#push-remove").is_visible()
    stored = PushSubscription.objects.get(user=femke)
    assert (stored.endpoint, stored.p256dh) == (endpoint, keys.p256dh)
    assert problems == []


def test_pwa_offline_page_is_dutch_and_holds_nothing_personal(client, mo_member):
    client.force_login(mo_member)
    response = client.get("/offline/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Geen verbinding" in text and 'href="tel:112"' in text
    assert mo_member.name not in text
