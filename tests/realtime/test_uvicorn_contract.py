"""What realtime/fanout.py relies on in uvicorn's websockets-sansio protocol (a private
interface: pyproject.toml pins the versions it was written against).  If an upgrade
changes any of it, these fail, instead of the fan-out quietly falling back to the slower
ASGI send or writing to a socket it must not write to."""

import asyncio

import pytest
from asgiref.sync import sync_to_async
from websockets.protocol import State

from buurtwacht.geo.models import Street
from buurtwacht.realtime import liveness
from buurtwacht.realtime.consumers import StreamConsumer
from tests.conftest import GROUP_STREET

from .conftest import alert_message

pytestmark = pytest.mark.django_db(transaction=True)


def server_consumers() -> list[StreamConsumer]:
    return [c for m in list(liveness._monitors.values()) for c in m.members]


def test_the_server_serves_sockets_with_the_protocol_the_fan_out_writes_to():
    from buurtwacht.core.management.commands.serve import SOCKET_OPTIONS

    # Without an extension the same frame is right for every socket.
    assert SOCKET_OPTIONS["ws"] == "websockets-sansio"
    assert SOCKET_OPTIONS["ws_per_message_deflate"] is False


async def test_a_stream_event_is_written_to_uvicorns_transport_not_through_the_asgi_send(
    connect, group, anna_admin, mo_member
):
    street_id = await sync_to_async(lambda: Street.objects.get(name=GROUP_STREET).pk)()
    async with connect(mo_member) as mo, connect(anna_admin) as anna:
        await mo.subscribe(group.pk)
        await anna.subscribe(group.pk)
        [receiver] = [c for c in server_consumers() if c.user.pk == mo_member.pk]
        # The ASGI send is a method of uvicorn's protocol, whose state the writer reads.
        protocol = receiver.base_send.__self__
        assert receiver.transport is not None, "fanout.direct_writer no longer recognises uvicorn"
        assert isinstance(protocol.writable, asyncio.Event) and protocol.writable.is_set()
        assert protocol.close_sent is False and protocol.disconnected is False
        assert protocol.conn.state is State.OPEN and not protocol.conn.extensions
        assert receiver.transport() is protocol.transport

        through_asgi: list[dict] = []
        asgi_send = receiver.base_send

        async def spy(message):
            through_asgi.append(message)
            await asgi_send(message)

        receiver.base_send = spy
        await anna.request(**alert_message(group.pk, street_id, what="Man bij de schuur"))
        created = await mo.receive_until(lambda m: m.get("type") == "alert.created")
        # The frame written to the transport is one the client reads as the event.
        assert created["alert"]["what"] == "Man bij de schuur"
        assert created["group"] == group.pk and isinstance(created["seq"], int)
        assert not [m for m in through_asgi if "alert.created" in m.get("text", "")]
        receiver.base_send = asgi_send

    for _ in range(50):  # the client has gone: the writer must not hand out the transport
        if protocol.close_sent or protocol.disconnected:
            break
        await asyncio.sleep(0.05)
    assert receiver.transport() is None
