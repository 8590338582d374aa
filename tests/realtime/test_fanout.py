"""The fan-out (realtime/fanout.py): one channel-layer member per process and group, the
frame built once, written straight to each socket, and in order behind a socket's backlog."""

import asyncio

import pytest
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from websockets.protocol import State
from websockets.server import ServerProtocol

from buurtwacht.geo.models import Street
from buurtwacht.realtime import fanout, liveness
from buurtwacht.realtime.actions import group_channel
from buurtwacht.realtime.consumers import BACKLOG, StreamConsumer
from tests.conftest import GROUP_STREET

from .conftest import alert_message


def test_a_prepared_frame_is_the_frame_the_asgi_send_writes():
    """What uvicorn's send would write for the same text, byte for byte (also above 125
    and 65,535 bytes, where the length takes more bytes)."""
    for text in ["{}", '{"what": "Man bij de schuur"}' * 10, "é" * 70_000]:
        server = ServerProtocol()
        server.state = State.OPEN
        server.send_text(text.encode())
        assert fanout.frame(text) == b"".join(server.data_to_send())


def test_a_socket_not_served_by_uvicorn_uses_the_asgi_send():
    async def send(message):  # e.g. channels' test communicator
        pass

    assert fanout.direct_writer(send) is None


class Transport:
    def __init__(self):
        self.frames: list[bytes] = []

    def write(self, data: bytes) -> None:
        self.frames.append(data)


def consumer_on(transport: Transport | None) -> StreamConsumer:
    consumer = StreamConsumer()
    consumer.positions = {7: 100}
    consumer.text_key = consumer.fallback_key = "text_nl"
    consumer.transport = None if transport is None else (lambda: transport)
    return consumer


def event(event_id: int) -> dict:
    return {"type": "stream.event", "group": 7, "id": event_id, "text_nl": f'{{"id": {event_id}}}'}


async def test_an_event_waits_behind_the_backlog_and_leaves_it_when_sent():
    """An event that arrives while the socket handles a message waits; one that arrives
    while an earlier one still waits queues behind it, also when the lock is free again and
    the earlier one has not been sent yet (it leaves the backlog only when sent)."""
    transport = Transport()
    consumer = consumer_on(transport)
    async with consumer.turn:  # e.g. a subscribe's replay
        consumer.push(event(101))
    consumer.push(event(102))  # the lock is free, 101 not sent yet: it must wait
    assert transport.frames == [] and len(consumer.backlog) == 2
    drain = asyncio.ensure_future(consumer.drain_backlog())
    try:
        for _ in range(100):
            await asyncio.sleep(0)
        consumer.push(event(103))  # nothing in its way: written at once
        consumer.push(event(103))  # and once only
    finally:
        drain.cancel()
    assert transport.frames == [fanout.frame(event(i)["text_nl"]) for i in (101, 102, 103)]
    assert consumer.positions == {7: 103}


async def test_a_socket_that_stopped_reading_keeps_a_bounded_backlog():
    """Without a writable transport every event waits; beyond BACKLOG they are dropped (the
    next heartbeat tells the client to replay them) instead of piling up."""
    consumer = consumer_on(None)
    for i in range(BACKLOG + 50):
        consumer.push(event(101 + i))
    assert len(consumer.backlog) == BACKLOG


@pytest.mark.django_db(transaction=True)
async def test_a_group_has_one_layer_member_per_process_whatever_its_sockets(
    connect, group, anna_admin, mo_member
):
    street_id = await sync_to_async(lambda: Street.objects.get(name=GROUP_STREET).pk)()
    layer = get_channel_layer()
    async with connect(mo_member) as mo, connect(anna_admin) as anna, connect(mo_member) as mo2:
        for socket in (mo, anna, mo2):
            await socket.subscribe(group.pk)
        assert len(layer.groups[group_channel(group.pk)]) == 1
        # The server's sockets write the frame to the transport themselves.
        consumers = [c for m in list(liveness._monitors.values()) for c in m.members]
        assert len(consumers) == 3 and all(c.transport is not None for c in consumers)
        await anna.request(**alert_message(group.pk, street_id))
        for socket in (mo, anna, mo2):
            created = await socket.receive_until(lambda m: m.get("type") == "alert.created")
            assert created["alert"]["what"] == "Man probeert deurklinken"
        for socket in (mo, anna, mo2):
            assert await socket.nothing_within(0.3)  # each once
    for _ in range(50):  # the last socket gone: the process leaves the group
        if not layer.groups.get(group_channel(group.pk)):
            break
        await asyncio.sleep(0.1)
    assert not layer.groups.get(group_channel(group.pk))
