"""Phone (issue 13): every tap target is at least 44 x 44 CSS px on a 360 x 740 viewport.

The rule, as `TAP_TARGETS_JS` measures it with getBoundingClientRect on every visible element
(all <details> opened first, so folded forms are measured too):

- `button`, `input` (not hidden), `select`, `textarea`, `summary`: their own box is at least
  44 px high and 44 px wide.
- A checkbox or radio button is tapped through its label: it must sit inside its <label>, and
  that label's box (which holds the box and its text) is at least 44 x 44.
- A link (`a[href]`) is a tap target unless it is running text: a link that is laid out
  inline *and* shares its block (paragraph, list item, table cell) with other text is a word in
  a sentence and is exempt, as WCAG 2.5.8 exempts inline links.  Every other link (a button
  link, a menu item, a link on a line of its own) is held to 44 x 44.  So are the map's zoom
  buttons; its attribution line ("Leaflet | © Kadaster") is credits text, like running text.
- A street picker's options (`[role=option]`) are targets; the test types in the picker to
  show them.
- Invisible elements (`hidden`, `display: none`, clipped `.visually-hidden` text and the
  off-screen spam trap) are not targets.

Screenshots of the group page and the vetting page at 360 px go to phoneui-*.png in the temporary
directory (/tmp, or $PHONE_SCREENSHOTS) for a person to look at.
"""

import os
import tempfile
from pathlib import Path

import pytest

from buurtwacht.alerts import actions as alert_actions
from buurtwacht.chat import actions as chat_actions
from buurtwacht.geo import actions as geo_actions
from buurtwacht.geo.models import Street
from buurtwacht.groups import actions as group_actions
from tests.conftest import GROUP_STREET, run_together, session_cookie

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}
MIN = 44
SCREENSHOTS = Path(os.environ.get("PHONE_SCREENSHOTS", tempfile.gettempdir()))

TAP_TARGETS_JS = """(min) => {
  const bad = [];
  const shown = (el) => el.checkVisibility({ visibilityProperty: true })
    && el.getClientRects().length > 0 && !el.closest("[aria-hidden=true]")
    && !el.closest(".visually-hidden");
  const name = (el) => {
    const text = (el.innerText || el.value || el.getAttribute("aria-label") || el.name || "")
      .trim().replace(/\\s+/g, " ").slice(0, 40);
    return `${el.tagName.toLowerCase()}${el.type ? "[" + el.type + "]" : ""} "${text}"`;
  };
  const measure = (el, target, why) => {
    const box = target.getBoundingClientRect();
    if (box.height < min - 0.01 || box.width < min - 0.01) {
      bad.push(`${name(el)}${why}: ${box.width.toFixed(1)} x ${box.height.toFixed(1)}`);
    }
  };
  const CREDITS = ".leaflet-control-attribution";
  const squash = (text) => text.replace(/\\s+/g, "");
  const inRunningText = (link) => {
    if (getComputedStyle(link).display !== "inline") return false;
    let block = link.parentElement;
    while (block && getComputedStyle(block).display === "inline") block = block.parentElement;
    return squash(block.textContent) !== squash(link.textContent);
  };
  const all = "a[href], button, input:not([type=hidden]), select, textarea, summary, [role=option]";
  for (const el of document.querySelectorAll(all)) {
    if (!shown(el)) continue;
    if (el.type === "checkbox" || el.type === "radio") {
      const label = el.closest("label");
      if (!label) bad.push(`${name(el)}: not inside its label`);
      else measure(el, label, ` (its label "${label.innerText.trim().slice(0, 40)}")`);
    } else if (el.tagName === "A" && (inRunningText(el) || el.closest(CREDITS))) {
      continue;
    } else {
      measure(el, el, "");
    }
  }
  return bad;
}"""


def too_small(page) -> list[str]:
    page.evaluate("document.querySelectorAll('details').forEach((d) => { d.open = true; })")
    bad = page.evaluate(TAP_TARGETS_JS, MIN)
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > PHONE["width"]:
        bad.append(f"the page is {width} px wide: it scrolls sideways")
    return bad


def phone(browser, asgi_server, user=None):
    context = browser.new_context(locale="nl-NL", viewport=PHONE, is_mobile=True, has_touch=True)
    if user is not None:
        name, value = session_cookie(user).split("=", 1)
        context.add_cookies([{"name": name, "value": value, "url": f"http://{asgi_server}/"}])
    page = context.new_page()
    page.set_default_timeout(10_000)
    return context, page


def survey(page, asgi_server, paths: list) -> dict[str, list[str]]:
    """{path: [too small targets]} for every path that has any.  A path may come with what
    to do on the page first: (path, callable(page))."""
    found = {}
    for path in paths:
        path, prepare = path if isinstance(path, tuple) else (path, None)
        page.goto(f"http://{asgi_server}{path}")
        if prepare is not None:
            prepare(page)
        bad = too_small(page)
        if bad:
            found[path] = bad
    return found


def show_street_options(page) -> None:
    page.get_by_role("combobox", name="Zoek een straat").fill("pater")
    page.get_by_role("option").first.wait_for()


def report(found: dict[str, list[str]]) -> str:
    lines = [f"tap targets under {MIN} px on a {PHONE['width']} px phone:"]
    for path, bad in found.items():
        lines += [path, *(f"    {item}" for item in bad)]
    return "\n".join(lines)


@pytest.fixture
def groningen_addresses(groningen_subset_csv):
    geo_actions.import_addresses(path=groningen_subset_csv)


@pytest.fixture
def busy_group(group, anna_admin, mo_member, pieter_politie, resident_on):
    """The group with what its pages show: an alert with a plate and a 112 call, a chat
    message, and a request to join waiting."""
    street = Street.objects.get(name=GROUP_STREET)
    sara = resident_on("Sara Smit", GROUP_STREET, 20)

    def fill():
        alert, _ = alert_actions.post_alert(
            user=mo_member,
            group_id=group.pk,
            draft=alert_actions.AlertDraft(
                client_id="phone-alert",
                kind="suspicious_vehicle",
                what="Busje rijdt stapvoets langs de schuren",
                street_id=street.pk,
                vehicle={"colour": "wit", "plate": "12abc3"},
            ),
        )
        alert_actions.claim_call(user=anna_admin, alert_id=alert.pk, channel="112")
        chat_actions.post_chat(
            user=mo_member,
            group_id=group.pk,
            client_id="phone-chat",
            text="Wie heeft er een ladder?",
        )
        group_actions.request_to_join(user=sara, group_id=group.pk, rules_accepted=True)

    [error] = run_together(fill)
    assert error is None, error
    return group


def test_tap_targets_are_44_px_on_a_phone_for_visitors(browser, asgi_server, db, settings):
    settings.MAP_TILES_URL = ""  # no network
    context, page = phone(browser, asgi_server)
    try:
        paths = [
            "/",
            "/kaart/",
            "/account/inloggen/",
            "/account/registreren/",
            "/account/wachtwoord-vergeten/",
        ]
        found = survey(page, asgi_server, paths)
    finally:
        context.close()
    assert not found, report(found)


def test_tap_targets_are_44_px_on_a_phone_for_members_and_admins(
    browser, asgi_server, busy_group, anna_admin, mo_member, settings
):
    settings.MAP_TILES_URL = ""  # no network
    group = busy_group
    found = {}
    context, page = phone(browser, asgi_server, anna_admin)
    try:
        found |= survey(
            page,
            asgi_server,
            [
                "/",
                "/kaart/",
                f"/kaart/groep/{group.pk}/",
                "/groepen/",
                f"/groepen/{group.pk}/leden/",
                (f"/groepen/{group.pk}/instellingen/", show_street_options),
                f"/groepen/{group.pk}/werven/",
                f"/groepen/{group.pk}/moderatie/",
                f"/groepen/{group.pk}/logboek/",
                f"/groepen/{group.pk}/privacy/",
                f"/groepen/{group.pk}/politie/",
                f"/groepen/{group.pk}/berichten/",
                f"/groepen/{group.pk}/borden/",
                "/account/",
                "/account/meldingen/",
                "/account/e-mail/",
                "/account/wachtwoord/",
                "/account/verwijderen/",
                "/account/verificatie/",
                f"/groepen/{group.pk}/aanvragen/",
            ],
        )
        page.screenshot(path=str(SCREENSHOTS / "phoneui-vetting.png"), full_page=True)
        found |= {
            f"{path} (admin)": bad
            for path, bad in survey(page, asgi_server, [f"/groepen/{group.pk}/"]).items()
        }
        page.get_by_text("Live: nieuwe meldingen verschijnen hier meteen.").wait_for()
        page.screenshot(path=str(SCREENSHOTS / "phoneui-group-admin.png"), full_page=True)
    finally:
        context.close()
    context, page = phone(browser, asgi_server, mo_member)
    try:
        found |= {
            f"{path} (member)": bad
            for path, bad in survey(page, asgi_server, [f"/groepen/{group.pk}/"]).items()
        }
        page.screenshot(path=str(SCREENSHOTS / "phoneui-group.png"), full_page=True)
    finally:
        context.close()
    assert not found, report(found)
