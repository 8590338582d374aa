"""A real uvicorn server in this process (so it shares the test database) and real
WebSocket clients that log in with a real session cookie."""

import asyncio
import json
import urllib.error
import urllib.request
import uuid
from contextlib import asynccontextmanager
from typing import Any

import pytest
import websockets
from asgiref.sync import sync_to_async

from buurtwacht.geo import actions as geo_actions
from tests.conftest import session_cookie


@pytest.fixture
def groningen_addresses(groningen_subset_csv):
    """These tests use `transactional_db` (the server thread must see committed rows)."""
    geo_actions.import_addresses(path=groningen_subset_csv)


class Socket:
    """A logged-in WebSocket client speaking the stream protocol.  Messages that a wait
    skips are kept, so waiting for a reply never loses an event."""

    def __init__(self, connection):
        self.connection = connection
        self.kept: list[dict[str, Any]] = []

    async def send(self, **message: Any) -> None:
        await self.connection.send(json.dumps(message))

    async def receive_until(self, predicate, timeout: float = 5) -> dict[str, Any]:
        for index, message in enumerate(self.kept):
            if predicate(message):
                return self.kept.pop(index)
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            remaining = max(deadline - asyncio.get_running_loop().time(), 0.01)
            message = json.loads(await asyncio.wait_for(self.connection.recv(), remaining))
            if predicate(message):
                return message
            self.kept.append(message)

    async def nothing_within(self, seconds: float) -> bool:
        """True when no message is waiting or arrives within `seconds` (heartbeats, which
        say nothing new, aside)."""
        if any(m.get("type") != "heartbeat" for m in self.kept):
            return False
        deadline = asyncio.get_running_loop().time() + seconds
        while (remaining := deadline - asyncio.get_running_loop().time()) > 0:
            try:
                message = json.loads(await asyncio.wait_for(self.connection.recv(), remaining))
            except TimeoutError:
                return True
            if message.get("type") != "heartbeat":
                return False
        return True

    async def request(self, **message: Any) -> dict[str, Any]:
        ref = uuid.uuid4().hex
        await self.send(ref=ref, **message)
        return await self.receive_until(lambda m: m.get("ref") == ref)

    async def subscribe(self, group_id: int, since: int | None = None) -> dict[str, Any]:
        extra = {} if since is None else {"since": since}
        return await self.request(type="subscribe", group=group_id, **extra)


async def closed_with(socket: Socket, timeout: float = 5) -> tuple[int | None, list[dict]]:
    """Read until the server closes: its close code and what it sent before (heartbeats,
    which come every HEARTBEAT_SECONDS whatever the test does, aside)."""
    received = [m for m in socket.kept if m.get("type") != "heartbeat"]
    socket.kept.clear()
    try:
        while True:
            message = json.loads(await asyncio.wait_for(socket.connection.recv(), timeout))
            if message.get("type") != "heartbeat":
                received.append(message)
    except websockets.exceptions.ConnectionClosed as closed:
        return (closed.rcvd.code if closed.rcvd else None), received


@pytest.fixture
def connect(asgi_server):
    @asynccontextmanager
    async def open_socket(user=None):
        headers = {"Origin": f"http://{asgi_server}"}
        if user is not None:
            headers["Cookie"] = await sync_to_async(session_cookie)(user)
        async with websockets.connect(f"ws://{asgi_server}/ws/", additional_headers=headers) as ws:
            yield Socket(ws)

    return open_socket


def alert_message(group_id: int, street_id: int, what: str = "Man probeert deurklinken", **extra):
    return {
        "type": "post_alert",
        "group": group_id,
        "client_id": extra.pop("client_id", uuid.uuid4().hex),
        "alert": {"kind": "suspicious_person", "what": what, "street_id": street_id, **extra},
    }


def http_post_alert(server: str, cookie: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    """POST /api/groups/<group>/alerts on a real server: (status, JSON reply).  `body` is a
    socket `post_alert` message (alert_message); the CSRF token is one of our own."""
    token = uuid.uuid4().hex
    payload = {**body["alert"], "client_id": body["client_id"]}
    request = urllib.request.Request(
        f"http://{server}/api/groups/{body['group']}/alerts",
        data=json.dumps(payload).encode(),
        method="POST",
        headers={
            "Content-Type": "application/json",
            "Cookie": f"{cookie}; csrftoken={token}",
            "X-CSRFToken": token,
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=15) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, {"body": error.read().decode(errors="replace")}
