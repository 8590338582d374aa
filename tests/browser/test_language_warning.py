"""R-RUL-3 in a real browser: a cursing chat message is held back with the words and why,
"Toch plaatsen" posts it (and it reaches the review queue); a threat never appears; an admin
hides a message and it disappears live, the author reads why.  Also at 360 px wide."""

import os
import time

import pytest

from buurtwacht.chat.models import ChatMessage
from buurtwacht.geo import actions as geo_actions
from buurtwacht.moderation.models import ModerationRecord, RecordKind
from tests.conftest import session_cookie

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("SCREENSHOT_DIR", "")


@pytest.fixture
def groningen_addresses(groningen_subset_csv):
    geo_actions.import_addresses(path=groningen_subset_csv)


def open_as(browser, server, cookie, path, **options):
    context = browser.new_context(locale="nl-NL", **options)
    name, value = cookie.split("=", 1)
    context.add_cookies([{"name": name, "value": value, "url": f"http://{server}/"}])
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"http://{server}{path}")
    page.get_by_text("Live: nieuwe meldingen verschijnen hier meteen.").wait_for()
    return context, page


def shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, name), full_page=True)


@pytest.mark.parametrize(
    "viewport",
    [{"width": 1024, "height": 800}, {"width": 360, "height": 740}],
    ids=["wide", "phone"],
)
def test_r_rul_3_warn_post_anyway_block_and_hide_live(
    browser, asgi_server, group, anna_admin, mo_member, viewport
):
    path = f"/groepen/{group.pk}/"
    anna_cookie, mo_cookie = session_cookie(anna_admin), session_cookie(mo_member)
    mo_context, mo = open_as(browser, asgi_server, mo_cookie, path, viewport=viewport)
    anna_context, anna = open_as(browser, asgi_server, anna_cookie, path)
    try:
        if viewport["width"] == 360:  # on a phone the chat is one tap away
            mo.locator("nav.tabbar").get_by_role("link", name="Chat").click()
        chat = mo.locator("form", has=mo.get_by_role("button", name="Versturen"))
        chat.get_by_role("textbox").fill("Wie zet die klootzak zijn auto steeds voor mijn deur")
        chat.get_by_role("button", name="Versturen").click()
        note = chat.locator(".language-note")
        note.get_by_text("“klootzak”", exact=False).wait_for()
        assert "een belediging" in note.inner_text()
        shot(mo, f"warn-{viewport['width']}.png")
        if viewport["width"] == 360:
            overflow = mo.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, f"the page is {overflow} px wider than a phone"
        assert not ChatMessage.objects.exists()

        note.get_by_label("Toch plaatsen").check()
        chat.get_by_role("button", name="Versturen").click()
        anna.locator("#chat li", has_text="klootzak").wait_for()  # live at the admin
        # Mo's answer may come after Anna's socket brought the message: wait for it.
        chat.locator(".language-note").wait_for(state="detached")
        assert ModerationRecord.objects.get().kind == RecordKind.POSTED_ANYWAY

        chat.get_by_role("textbox").fill("Ik maak je af")
        chat.get_by_role("button", name="Versturen").click()
        chat.locator(".language-note").get_by_text("kan niet geplaatst worden").wait_for()
        shot(mo, f"block-{viewport['width']}.png")
        assert ChatMessage.objects.count() == 1

        item = anna.locator("#chat li", has_text="klootzak")
        item.get_by_text("Melden of modereren").click()
        item.get_by_label("Reden (de schrijver ziet die)").fill("Scheldwoord, graag netjes")
        item.get_by_role("button", name="Verbergen").click()
        mo.get_by_text(
            "Een beheerder heeft je bericht verborgen: Scheldwoord, graag netjes"
        ).wait_for()
        assert mo.locator("#chat li", has_text="klootzak").count() == 0
        shot(mo, f"hidden-{viewport['width']}.png")
    finally:
        mo_context.close()
        anna_context.close()
        time.sleep(0.5)
