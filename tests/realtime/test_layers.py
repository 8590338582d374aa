"""The embedded channel layer keeps Channels' semantics where our consumer relies on them."""

import asyncio

import pytest

from buurtwacht.realtime.layers import InProcessChannelLayer


@pytest.fixture
def layer():
    return InProcessChannelLayer(capacity=2)


async def test_group_send_reaches_every_member_once(layer):
    names = [await layer.new_channel() for _ in range(3)]
    for name in names:
        await layer.group_add("group.1", name)
    await layer.group_send("group.1", {"type": "stream.event", "id": 1, "text": "{}"})
    for name in names:
        assert (await layer.receive(name))["id"] == 1
    await asyncio.sleep(0)
    assert all(layer.channels[name].empty() for name in names)


async def test_a_full_socket_does_not_hold_up_the_others(layer):
    stuck, fine = await layer.new_channel(), await layer.new_channel()
    for name in (stuck, fine):
        await layer.group_add("group.1", name)
    for event_id in range(3):  # capacity 2: the third cannot go to the stuck one
        await layer.group_send("group.1", {"type": "stream.event", "id": event_id})
        assert (await layer.receive(fine))["id"] == event_id
    assert layer.channels[stuck].qsize() == 2


async def test_messages_are_copies(layer):
    name = await layer.new_channel()
    nested = {"type": "x", "payload": {"a": 1}}
    flat = {"type": "y", "text": "t"}
    await layer.send(name, nested)
    await layer.send(name, flat)
    nested["payload"]["a"] = 2
    flat["text"] = "changed"
    assert (await layer.receive(name))["payload"] == {"a": 1}
    assert (await layer.receive(name))["text"] == "t"


async def test_housekeeping_drops_idle_empty_queues_but_not_a_waiting_one(layer):
    idle, waiting = await layer.new_channel(), await layer.new_channel()
    await layer.send(idle, {"type": "x"})
    await layer.receive(idle)
    receiver = asyncio.create_task(layer.receive(waiting))
    await asyncio.sleep(0)
    layer._last_clean = 0.0  # as if a second has passed
    layer._clean_expired()
    assert idle not in layer.channels
    assert waiting in layer.channels
    await layer.send(waiting, {"type": "late"})
    assert (await asyncio.wait_for(receiver, 1))["type"] == "late"
