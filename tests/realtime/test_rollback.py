"""Issue 13: events go out after commit, so a transaction that rolls back publishes
nothing.  The real channel layer of the settings (in-process, or Redis with REDIS_URL)
and real commits (a transactional test, so on_commit runs as in production).  The
database work runs in Channels' database thread, which closes its connection after."""

import asyncio

import pytest
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.db import transaction

from buurtwacht.alerts import actions as alert_actions
from buurtwacht.alerts.models import Alert
from buurtwacht.chat import actions as chat_actions
from buurtwacht.chat.models import ChatMessage
from buurtwacht.geo.models import Street
from buurtwacht.realtime.actions import group_channel
from buurtwacht.realtime.models import Event
from tests.conftest import GROUP_STREET

pytestmark = pytest.mark.django_db(transaction=True)


class AfterTheAction(Exception):
    """Something later in the same transaction fails."""


def post_chat(user, group):
    chat_actions.post_chat(
        user=user, group_id=group.pk, client_id="c1", text="Wie heeft er een ladder?"
    )


def post_alert(user, group):
    alert_actions.post_alert(
        user=user,
        group_id=group.pk,
        draft=alert_actions.AlertDraft(
            client_id="a1",
            kind="suspicious_person",
            what="Iemand probeert deurklinken",
            street_id=Street.objects.get(name=GROUP_STREET).pk,
        ),
    )


POSTS = {"chat": (post_chat, ChatMessage), "alert": (post_alert, Alert)}


async def listening(group):
    """A channel in the group's stream, as a subscribed socket has."""
    layer = get_channel_layer()
    channel = await layer.new_channel()
    await layer.group_add(group_channel(group.pk), channel)
    return layer, channel


async def next_event(layer, channel, timeout: float):
    """The next stream event on `channel`, or None within `timeout` (other messages aside)."""
    try:
        async with asyncio.timeout(timeout):
            while (message := await layer.receive(channel))["type"] != "stream.event":
                pass
    except TimeoutError:
        return None
    return message


@pytest.mark.parametrize("kind", POSTS)
async def test_no_event_published_when_the_transaction_rolls_back(kind, group, mo_member):
    post, model = POSTS[kind]
    layer, channel = await listening(group)

    def post_then_fail():
        with transaction.atomic():
            post(mo_member, group)
            assert Event.objects.filter(group=group).exists()  # recorded, not yet published
            raise AfterTheAction

    with pytest.raises(AfterTheAction):
        await database_sync_to_async(post_then_fail)()
    assert await next_event(layer, channel, timeout=1) is None
    assert not await database_sync_to_async(Event.objects.filter(group=group).exists)()
    assert not await database_sync_to_async(model.objects.exists)()


@pytest.mark.parametrize("kind", POSTS)
async def test_the_event_is_published_once_the_transaction_commits(kind, group, mo_member):
    post, model = POSTS[kind]
    layer, channel = await listening(group)

    def post_in_a_transaction():
        with transaction.atomic():
            post(mo_member, group)
            return Event.objects.get(group=group, type__startswith=kind)

    event = await database_sync_to_async(post_in_a_transaction)()
    published = await next_event(layer, channel, timeout=5)
    assert published is not None
    assert (published["id"], published["group"], published["seq"]) == (
        event.pk,
        group.pk,
        event.seq,
    )
    assert await database_sync_to_async(model.objects.count)() == 1
