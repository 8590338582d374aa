"""Chat messages with their time (issue 13), in the browser: the message the server rendered
and the one that arrives live over the WebSocket both show Amsterdam time, also on a device
set to another time zone, and a live message shows its date on a device whose day is over."""

import datetime as dt
import time

import pytest
from django.utils import formats, timezone, translation

from buurtwacht.chat import actions as chat_actions
from buurtwacht.chat.models import ChatMessage
from buurtwacht.geo import actions as geo_actions
from tests.conftest import run_together, session_cookie

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def groningen_addresses(groningen_subset_csv):
    geo_actions.import_addresses(path=groningen_subset_csv)


def open_in_zone(browser, server, user, path, *, zone, now=None):
    context = browser.new_context(locale="nl-NL", timezone_id=zone)
    name, value = session_cookie(user).split("=", 1)
    context.add_cookies([{"name": name, "value": value, "url": f"http://{server}/"}])
    page = context.new_page()
    page.set_default_timeout(10_000)
    if now is not None:
        page.clock.set_fixed_time(now)  # Date() only; the socket's timers keep running
    page.goto(f"http://{server}{path}")
    page.get_by_text("Live: nieuwe meldingen verschijnen hier meteen.").wait_for()
    return context, page


def shown_time(page, message: ChatMessage) -> tuple[str, str]:
    stamp = page.locator(f"#chat-{message.pk} time")
    stamp.wait_for()
    return stamp.inner_text(), stamp.get_attribute("datetime")


def test_chat_time_server_rendered_and_live_is_amsterdam_time(
    browser, asgi_server, group, anna_admin, mo_member
):
    [(before, _)] = run_together(
        lambda: chat_actions.post_chat(
            user=mo_member, group_id=group.pk, client_id="before", text="Wie heeft een ladder?"
        )
    )
    path = f"/groepen/{group.pk}/"
    # Anna's phone is set to UTC; Mo's thinks it is tomorrow already.
    tomorrow = timezone.now() + dt.timedelta(days=1)
    anna_context, anna = open_in_zone(browser, asgi_server, anna_admin, path, zone="UTC")
    mo_context, mo = open_in_zone(
        browser, asgi_server, mo_member, path, zone="Europe/Amsterdam", now=tomorrow
    )
    try:
        local = timezone.localtime(before.created_at)
        assert shown_time(anna, before)[0] == local.strftime("%H:%M")  # rendered by the server

        anna.get_by_label("Bericht").fill("Ik, kom maar halen")
        anna.get_by_role("button", name="Versturen").click()
        anna.locator("#chat li", has_text="Ik, kom maar halen").wait_for()  # live, no reload
        live = ChatMessage.objects.get(text="Ik, kom maar halen")
        local = timezone.localtime(live.created_at)
        text, stamp = shown_time(anna, live)
        assert text == local.strftime("%H:%M")
        assert text != live.created_at.astimezone(dt.UTC).strftime("%H:%M")  # not the phone's UTC
        assert dt.datetime.fromisoformat(stamp) == live.created_at

        with translation.override("nl"):
            day = formats.date_format(local, "j F")
        assert shown_time(mo, live)[0] == f"{day} {local:%H:%M}"  # not today on Mo's phone
    finally:
        anna_context.close()
        mo_context.close()
        time.sleep(0.5)  # let the server finish the sockets' goodbyes while the test db is open
