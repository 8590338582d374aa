"""Faults in scaled mode: real `manage.py serve` processes on PostgreSQL + Redis, and the
reference client (realtime/client.py) at the other end.  Whatever breaks, every client ends
with every event exactly once: a killed process, a cut link to Redis, two installs on one
Redis; and the presence of a killed process expires.

Intervals are short here (HEARTBEAT_SECONDS=1): the rules are the same at 10."""

import asyncio
import os
import subprocess
import sys
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import websockets
from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import connection, connections

from buurtwacht.geo.models import Street
from buurtwacht.realtime.client import Position, StreamClient
from buurtwacht.realtime.models import Event
from buurtwacht.realtime.selectors import present_user_ids
from tests.conftest import GROUP_STREET, admit, free_port, session_cookie, wait_until_serving

from .conftest import Socket, alert_message, http_post_alert

ROOT = Path(__file__).resolve().parents[2]
REDIS = ("127.0.0.1", 6379)
REDIS_DB = 13  # pub/sub ignores it: every test has a CHANNEL_PREFIX of its own
FAST = {"HEARTBEAT_SECONDS": "1", "PRESENCE_SECONDS": "3", "LAYER_TIMEOUT_SECONDS": "2"}

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(autouse=True)
async def _close_thread_connections():
    """sync_to_async runs in a thread of its own: close its connection after the test."""
    yield
    await sync_to_async(connections.close_all)()


@dataclass
class Server:
    address: str
    process: subprocess.Popen

    @property
    def ws(self) -> str:
        return f"ws://{self.address}/ws/"

    def kill(self) -> None:
        self.process.kill()  # SIGKILL: no cleanup of any kind
        self.process.wait(timeout=10)


@pytest.fixture
def launch(tmp_path):
    """Start `manage.py serve` processes on the test database; all stopped at the end."""
    started: list[Server] = []
    db = connection.settings_dict

    def start(*, redis_port: int = REDIS[1], **env: str) -> Server:
        port = free_port()
        data_dir = tmp_path / f"server-{port}"
        data_dir.mkdir()
        environment = {
            **os.environ,
            "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
            "REDIS_URL": f"redis://127.0.0.1:{redis_port}/{REDIS_DB}",
            "SECRET_KEY": settings.SECRET_KEY,  # the session cookies were signed with it
            "DATA_DIR": str(data_dir),
            "HTTPS": "0",
            **env,
        }
        log = (tmp_path / f"server-{port}.log").open("w")
        process = subprocess.Popen(
            [sys.executable, str(ROOT / "manage.py"), "serve", "--port", str(port)],
            env=environment,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        started.append(Server(address=f"127.0.0.1:{port}", process=process))
        return started[-1]

    async def ready(*servers: Server) -> None:
        await asyncio.gather(
            *(asyncio.to_thread(wait_until_serving, f"http://{s.address}/") for s in servers)
        )

    start.ready = ready  # type: ignore[attr-defined]
    yield start
    for server in started:
        if server.process.poll() is None:
            server.process.terminate()
            server.process.wait(timeout=10)


def prefix() -> str:
    return f"t{uuid.uuid4().hex[:10]}."


@pytest.fixture
def street_id(group):
    return Street.objects.get(name=GROUP_STREET).pk


@pytest.fixture
def members(resident_on, group, anna_admin, mo_member):
    """Ten members of the group (anna and mo among them)."""
    others = [resident_on(f"Lid {i} Test", GROUP_STREET, 20 + i) for i in range(8)]
    for member in others:
        admit(group, anna_admin, member)
    return [anna_admin, mo_member, *others]


@dataclass
class Poster:
    """Posts alerts over HTTP; on any error it retries with the same client id on the next
    server, as an app would."""

    servers: list[Server]
    cookie: str
    group_id: int
    street_id: int
    answers: list[int] = field(default_factory=list)  # every HTTP status (0: no answer)
    alerts: dict[str, int] = field(default_factory=dict)  # client id -> alert id

    async def post(self, index: int) -> None:
        client_id = f"poster-{index}"
        message = alert_message(
            self.group_id, self.street_id, what=f"Melding {index}", client_id=client_id
        )
        for attempt in range(40):
            server = self.servers[(index + attempt) % len(self.servers)]
            try:
                status, reply = await asyncio.to_thread(
                    http_post_alert, server.address, self.cookie, message
                )
            except OSError:
                status = 0
            self.answers.append(status)
            if status in (200, 201):
                assert self.alerts.setdefault(client_id, reply["alert"]) == reply["alert"]
                return
            await asyncio.sleep(0.25)
        raise AssertionError(f"alert {index} never got through: {self.answers}")

    async def run(self, *, count: int, rate: float) -> None:
        posts = []
        for index in range(count):
            posts.append(asyncio.create_task(self.post(index)))
            await asyncio.sleep(1 / rate)
        await asyncio.gather(*posts)


async def start_clients(users, group_id: int, server_lists: list[list[Server]]):
    """Two clients per user, alternating over the server lists; started and subscribed."""
    clients = []
    for index, user in enumerate(users * 2):
        cookie = await sync_to_async(session_cookie)(user)
        servers = server_lists[index % len(server_lists)]
        clients.append(
            StreamClient(
                urls=[s.ws for s in servers],
                cookie=cookie,
                groups={group_id: Position()},
                heartbeat_seconds=1,
            )
        )
    tasks = [asyncio.create_task(c.run()) for c in clients]
    await wait_for(lambda: all(c.connects and not c._pending for c in clients), timeout=20)
    return clients, tasks


async def wait_for(condition, *, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.1)
    return True


async def settle(clients, tasks, group_id: int, *, timeout: float = 20) -> dict[str, int]:
    """Wait until every client has every event of the group; stop them; count what was lost
    and what was applied twice, over all clients."""
    expected = set(
        await sync_to_async(
            lambda: list(Event.objects.filter(group_id=group_id).values_list("id", flat=True))
        )()
    )
    await wait_for(
        lambda: all(expected <= {e["id"] for e in c.applied} for c in clients), timeout=timeout
    )
    for client in clients:
        client.stop()
    await asyncio.wait_for(asyncio.gather(*tasks), timeout=15)
    lost = duplicated = 0
    for client in clients:
        counts = Counter(e["id"] for e in client.applied)
        lost += len(expected - set(counts))
        duplicated += sum(n - 1 for n in counts.values())
    return {"events": len(expected), "lost": lost, "duplicated": duplicated}


async def test_a_killed_process_loses_no_alert(launch, group, members, street_id):
    env = {**FAST, "CHANNEL_PREFIX": prefix()}
    first, second = launch(**env), launch(**env)
    await launch.ready(first, second)
    clients, tasks = await start_clients(members, group.pk, [[first, second], [second, first]])
    cookie = await sync_to_async(session_cookie)(members[0])
    poster = Poster([first, second], cookie, group.pk, street_id)
    posting = asyncio.create_task(poster.run(count=20, rate=5))
    await asyncio.sleep(2)
    await asyncio.to_thread(first.kill)  # half-way, with posts in flight
    await posting
    result = await settle(clients, tasks, group.pk)
    assert result == {"events": 20, "lost": 0, "duplicated": 0}
    assert len(poster.alerts) == len(set(poster.alerts.values())) == 20
    assert sum(c.connects for c in clients) > len(clients)  # first's clients came back


class RedisProxy:
    """A TCP proxy to Redis that the test can cut: open connections are broken off, and new
    ones closed at once, until restore()."""

    def __init__(self) -> None:
        self.open = True
        self.writers: set[asyncio.StreamWriter] = set()

    async def start(self) -> int:
        self.server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        return self.server.sockets[0].getsockname()[1]

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if not self.open:
            writer.transport.abort()
            return
        up_reader, up_writer = await asyncio.open_connection(*REDIS)
        self.writers |= {writer, up_writer}
        await asyncio.gather(
            self._pump(reader, up_writer), self._pump(up_reader, writer), return_exceptions=True
        )

    async def _pump(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        finally:
            self.writers.discard(writer)
            writer.transport.abort()

    def cut(self) -> None:
        self.open = False
        for writer in list(self.writers):
            writer.transport.abort()

    def restore(self) -> None:
        self.open = True

    def close(self) -> None:
        self.cut()
        self.server.close()


async def test_a_cut_redis_link_loses_no_alert_and_fails_no_post(launch, group, members, street_id):
    proxy = RedisProxy()
    proxy_port = await proxy.start()
    env = {**FAST, "CHANNEL_PREFIX": prefix()}
    behind_proxy, direct = launch(redis_port=proxy_port, **env), launch(**env)
    try:
        await launch.ready(behind_proxy, direct)
        clients, tasks = await start_clients(
            members, group.pk, [[behind_proxy, direct], [direct, behind_proxy]]
        )
        cookie = await sync_to_async(session_cookie)(members[0])
        poster = Poster([behind_proxy, direct], cookie, group.pk, street_id)
        posting = asyncio.create_task(poster.run(count=40, rate=5))
        await asyncio.sleep(1.5)
        proxy.cut()
        await asyncio.sleep(5)
        proxy.restore()
        await posting
        result = await settle(clients, tasks, group.pk)
    finally:
        proxy.close()
    assert result == {"events": 40, "lost": 0, "duplicated": 0}
    assert poster.answers == [201] * 40  # every post answered at once, none failed
    assert 1012 in {code for c in clients for code in c.closes}  # sent away to replay


async def open_socket(server: Server, user) -> Socket:
    cookie = await sync_to_async(session_cookie)(user)
    ws = await websockets.connect(
        server.ws, additional_headers={"Origin": f"http://{server.address}", "Cookie": cookie}
    )
    return Socket(ws)


async def test_two_installs_on_one_redis_never_meet(
    launch, group, anna_admin, mo_member, street_id
):
    """Two installs (CHANNEL_PREFIX) with the same group ids: here one database, so the only
    way across would be Redis.  (No heartbeat within the test: it would rightly replay the
    shared database.)"""
    slow = {"HEARTBEAT_SECONDS": "60", "PRESENCE_SECONDS": "120"}
    one, other = launch(CHANNEL_PREFIX=prefix(), **slow), launch(CHANNEL_PREFIX=prefix(), **slow)
    await launch.ready(one, other)
    mo, anna = await open_socket(one, mo_member), await open_socket(other, anna_admin)
    async with mo.connection, anna.connection:
        await mo.subscribe(group.pk)
        await anna.subscribe(group.pk)
        for poster, receiver, bystander in [(one, mo, anna), (other, anna, mo)]:
            cookie = await sync_to_async(session_cookie)(anna_admin)
            message = alert_message(group.pk, street_id, what=f"Via {poster.address}")
            status, _ = await asyncio.to_thread(http_post_alert, poster.address, cookie, message)
            assert status == 201
            event = await receiver.receive_until(lambda m: m.get("type") == "alert.created")
            assert event["alert"]["what"] == f"Via {poster.address}"
            assert await bystander.nothing_within(1.5)


async def test_presence_of_a_killed_process_expires(launch, group, anna_admin, mo_member):
    server = launch(**FAST, CHANNEL_PREFIX=prefix())
    await launch.ready(server)
    present = sync_to_async(present_user_ids)
    mo = await open_socket(server, mo_member)
    async with mo.connection:
        await mo.subscribe(group.pk)
        await asyncio.sleep(4)  # longer than PRESENCE_SECONDS: renewed meanwhile
        assert await present(group_id=group.pk) == {mo_member.pk}
        await asyncio.to_thread(server.kill)
        killed = time.monotonic()
        while await present(group_id=group.pk):
            assert time.monotonic() - killed < 3 + 2, "presence outlived its process"
            await asyncio.sleep(0.2)
