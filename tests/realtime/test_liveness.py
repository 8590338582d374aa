"""Process liveness (realtime/liveness.py): heartbeats from the database, presence renewed
per server process, and a broken channel layer sends every socket away (1012) to replay,
without failing a post that committed."""

import asyncio
import datetime as dt
import socket
import uuid

import pytest
import websockets
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from django.utils import timezone

from buurtwacht.alerts.models import Alert
from buurtwacht.geo.models import Street
from buurtwacht.realtime import liveness
from buurtwacht.realtime.layers import InProcessChannelLayer, WatchedConnection
from buurtwacht.realtime.models import Event, Presence
from buurtwacht.realtime.selectors import present_user_ids
from tests.conftest import GROUP_STREET, session_cookie

from .conftest import alert_message, http_post_alert


@pytest.fixture
def street_id(group):
    return Street.objects.get(name=GROUP_STREET).pk


def server_monitor() -> tuple[asyncio.AbstractEventLoop, liveness.Monitor]:
    """The monitor of the test server's event loop (in its thread of this process)."""
    here = asyncio.get_running_loop()
    return next((loop, m) for loop, m in liveness._monitors.items() if loop is not here)


async def tick_now() -> None:
    loop, monitor = server_monitor()
    await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(monitor.tick(), loop))


async def closed_with(sock) -> int:
    with pytest.raises(websockets.exceptions.ConnectionClosed) as closed:
        await sock.receive_until(lambda m: False, timeout=5)
    return closed.value.rcvd.code


@pytest.mark.django_db(transaction=True)
async def test_heartbeat_tells_each_subscribed_socket_the_head_of_its_groups(
    connect, group, anna_admin, mo_member, street_id
):
    async with connect(mo_member) as mo, connect(anna_admin) as anna:
        await mo.subscribe(group.pk)
        for i in range(2):
            await anna.request(**alert_message(group.pk, street_id, what=f"nummer {i}"))
        await tick_now()
        beat = await mo.receive_until(lambda m: m.get("type") == "heartbeat")
        head = await sync_to_async(Event.objects.filter(group=group).latest)("id")
        assert beat["groups"] == {str(group.pk): {"position": head.pk, "seq": 2}}
        with pytest.raises(TimeoutError):  # anna subscribed to nothing: no heartbeat
            await anna.receive_until(lambda m: m.get("type") == "heartbeat", timeout=0.5)


@pytest.mark.django_db(transaction=True)
async def test_presence_is_renewed_per_server_process_and_a_dead_ones_expires(
    connect, group, anna_admin, mo_member
):
    async with connect(mo_member) as mo:
        await mo.subscribe(group.pk)
        row = await sync_to_async(Presence.objects.get)(user=mo_member)
        assert row.server == liveness.SERVER_ID
        past = timezone.now() - dt.timedelta(seconds=1)
        await sync_to_async(Presence.objects.create)(
            user=anna_admin, group=group, channel_name="x", server="dead", expires_at=past
        )
        await sync_to_async(Presence.objects.filter(user=mo_member).update)(expires_at=past)
        assert await sync_to_async(present_user_ids)(group_id=group.pk) == set()
        await tick_now()  # renews this process's rows, not the dead one's
        assert await sync_to_async(present_user_ids)(group_id=group.pk) == {mo_member.pk}


@pytest.mark.django_db(transaction=True)
async def test_presence_rows_a_closed_socket_left_behind_are_removed_at_the_next_tick(
    group, mo_member
):
    later = timezone.now() + dt.timedelta(seconds=30)
    await sync_to_async(Presence.objects.create)(
        user=mo_member,
        group=group,
        channel_name="gone",
        server=liveness.SERVER_ID,
        expires_at=later,
    )
    monitor = liveness.Monitor()
    monitor.orphans.add("gone")  # its mark_absent failed (the database was away)
    await monitor.keep_presence(group_ids=set())
    assert await sync_to_async(present_user_ids)(group_id=group.pk) == set()
    assert monitor.orphans == set()


@pytest.mark.django_db(transaction=True)
async def test_a_committed_post_answers_success_when_publishing_fails(
    connect, asgi_server, group, anna_admin, mo_member, street_id, monkeypatch
):
    """Socket and HTTP: the alert is stored, the poster hears success (a retry finds the
    same alert), and every socket of the process is closed with 1012 to replay."""
    layer = get_channel_layer()

    async def broken(group, message):
        raise ConnectionError("Redis is weg")

    cookie = await sync_to_async(session_cookie)(anna_admin)
    message = alert_message(group.pk, street_id, client_id="telefoon-1-alert-1")
    async with connect(mo_member) as mo, connect(anna_admin) as anna:
        subscribed = await mo.subscribe(group.pk)
        monkeypatch.setattr(layer, "group_send", broken)
        posted = await anna.request(**message)
        assert (posted["type"], posted["created"]) == ("ok", True)
        assert await closed_with(mo) == 1012
        assert await closed_with(anna) == 1012
    again = await asyncio.to_thread(http_post_alert, asgi_server, cookie, message)
    assert again == (200, {"alert": posted["alert"], "created": False})
    other = alert_message(group.pk, street_id, client_id="telefoon-1-alert-2")
    status, reply = await asyncio.to_thread(http_post_alert, asgi_server, cookie, other)
    assert (status, reply["created"]) == (201, True)
    assert await sync_to_async(Alert.objects.count)() == 2
    monkeypatch.undo()
    for _ in range(50):  # the next probe finds the layer working again
        if server_monitor()[1].healthy:
            break
        await asyncio.sleep(0.1)
    async with connect(mo_member) as mo:  # and the replay brings what was missed
        await mo.subscribe(group.pk, since=subscribed["position"])
        for _ in range(2):
            await mo.receive_until(lambda m: m.get("type") == "alert.created")


class FakeSocket:
    def __init__(self):
        self.positions: dict[int, int] = {}
        self.closed: int | None = None

    async def close(self, code):
        self.closed = code


class DeafLayer(InProcessChannelLayer):
    deaf = True

    async def send(self, channel, message):
        if not self.deaf:
            await super().send(channel, message)


async def test_a_probe_that_does_not_come_back_closes_every_socket_with_1012(monkeypatch, settings):
    settings.LAYER_TIMEOUT_SECONDS = 0.2
    monkeypatch.setattr(liveness, "CLOSE_GRACE_SECONDS", 0)
    layer = DeafLayer()
    monkeypatch.setattr(liveness, "get_channel_layer", lambda: layer)
    monitor = liveness.Monitor()
    sockets = [FakeSocket(), FakeSocket()]
    monitor.members.update(sockets)
    await monitor.tick()
    await asyncio.sleep(0.05)
    assert [s.closed for s in sockets] == [1012, 1012]
    assert not monitor.healthy and not monitor.members
    layer.deaf = False
    await monitor.tick()
    assert monitor.healthy


def _redis_reachable() -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", 6379)) == 0


@pytest.mark.skipif(not _redis_reachable(), reason="needs Redis on 127.0.0.1:6379")
async def test_a_redis_subscriber_connected_again_reports_a_layer_failure(monkeypatch):
    reports: list[str] = []
    monkeypatch.setattr(liveness, "layer_failed", lambda *, reason: reports.append(reason))
    publisher = WatchedConnection(host="127.0.0.1", port=6379, db=13)
    subscriber = WatchedConnection(host="127.0.0.1", port=6379, db=13)
    for connection in (publisher, subscriber):
        await connection.connect()
    await publisher.send_command("PUBLISH", "bw-test.nobody", "x")
    await subscriber.send_command("SUBSCRIBE", f"bw-test.{uuid.uuid4().hex}")
    assert reports == []
    for connection in (publisher, subscriber):
        await connection.disconnect()
        await connection.connect()  # what redis-py does after a break, quietly
        await connection.disconnect()
    assert len(reports) == 1 and "again" in reports[0]  # publishers may reconnect freely
