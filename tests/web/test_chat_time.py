"""Chat messages with their time (issue 13): the group page shows when each message was
written, in Amsterdam time, with the date when it is not from today, as <time datetime>."""

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse

from buurtwacht.chat import actions as chat_actions
from buurtwacht.chat.models import ChatMessage
from tests.conftest import visible_text

pytestmark = pytest.mark.django_db

YESTERDAY = dt.datetime(2026, 12, 1, 7, 35, tzinfo=dt.UTC)  # 08:35 in Amsterdam
TODAY = dt.datetime(2026, 12, 2, 13, 5, tzinfo=dt.UTC)  # 14:05 in Amsterdam


def post(user, group, client_id, text):
    chat_actions.post_chat(user=user, group_id=group.pk, client_id=client_id, text=text)


def test_chat_messages_show_their_local_time_and_the_date_when_not_today(
    client, group, anna_admin, mo_member
):
    with time_machine.travel(YESTERDAY, tick=False):
        post(mo_member, group, "c1", "Wie heeft er een ladder?")
    with time_machine.travel(TODAY, tick=False):
        post(anna_admin, group, "c2", "Ik, kom maar halen")
        client.force_login(mo_member)
        page = client.get(reverse("group", args=[group.pk])).text
    chat = visible_text(page, element_id="chat")
    assert "1 december 08:35 Mo Bakker: Wie heeft er een ladder?" in chat
    assert "14:05 Anna de Vries: Ik, kom maar halen" in chat
    assert "07:35" not in chat and "13:05" not in chat  # not UTC
    first = ChatMessage.objects.get(client_id="c1")
    stamp = re.search(rf'id="chat-{first.pk}"[^>]*><time [^>]*datetime="([^"]+)"', page)
    assert stamp, "the time is a <time datetime=...> element"
    assert dt.datetime.fromisoformat(stamp.group(1)) == YESTERDAY
