"""A reference client of the stream protocol (described in realtime/consumers.py): what the
browser client (web/static/web/live.js) does to show an event, in Python, for tests and
benchmarks.

    client = StreamClient(
        urls=["ws://127.0.0.1:8000/ws/", "ws://127.0.0.1:8001/ws/"],
        cookie="sessionid=...",
        groups={7: Position(id=120, seq=14)},  # where it starts; Position() = from the start
    )
    task = asyncio.create_task(client.run())
    ...
    client.stop()
    await task
    client.applied  # every event it applied, in order: each exactly once, or it is a bug

The rule, per group: keep (position, seq).  An event with seq == last + 1 is applied; seq <=
last is a duplicate; seq > last + 1 is a gap: resubscribe with since=position (once, until
"subscribed").  A heartbeat whose seq is ahead: resubscribe.  "subscribed" with more=true:
subscribe again from its position (the next page).  Silence for 3 heartbeats: reconnect.
On a close: reconnect to the next address (at once with jitter after a session that worked,
else with growing backoff) and subscribe with since=position.  4401/4403: stop.  A
{"type": "retry", "after_ms"} before a close (1013: too many sockets opening at once,
realtime/pacing.py) says how long to wait instead.
"""

import asyncio
import itertools
import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import websockets
from websockets.asyncio.client import ClientConnection

FINAL_CLOSES = {4401, 4403}  # not logged in, Origin refused: reconnecting will not help


@dataclass
class Position:
    id: int = 0  # the last event applied
    seq: int | None = 0  # its seq; None while unknown (a "subscribed" without seq)


@dataclass
class StreamClient:
    urls: list[str]
    cookie: str
    groups: dict[int, Position]
    heartbeat_seconds: float = 10
    max_backoff_seconds: float = 10
    on_event: Callable[[dict[str, Any]], None] | None = None
    applied: list[dict[str, Any]] = field(default_factory=list)
    closes: list[int] = field(default_factory=list)  # close codes seen (1006: no close frame)
    connects: int = 0
    _pending: set[int] = field(default_factory=set)  # groups with a subscribe in flight
    _socket: ClientConnection | None = None
    _stopped: bool = False
    _closing: set[asyncio.Task[None]] = field(default_factory=set)
    _retry_after: float | None = None  # seconds, from the server's "retry" frame

    async def run(self) -> None:
        """Until stop() or a final close: stay connected and apply events."""
        failures = 0
        for attempt in itertools.count():
            if self._stopped:
                return
            url = self.urls[attempt % len(self.urls)]  # every reconnect tries the next one
            self._retry_after = None
            worked, code = await self._session(url)
            if code in FINAL_CLOSES or self._stopped:
                return
            if self._retry_after is not None:  # the server said when (a reconnect storm)
                await asyncio.sleep(self._retry_after)
                continue
            failures = 0 if worked else failures + 1
            backoff = min(self.max_backoff_seconds, 0.25 * 2**failures) if failures else 0.5
            await asyncio.sleep(random.uniform(0.5, 1) * backoff)  # noqa: S311 (jitter)

    def stop(self) -> None:
        self._stopped = True
        if self._socket is not None:
            task = asyncio.get_running_loop().create_task(self._socket.close())
            self._closing.add(task)
            task.add_done_callback(self._closing.discard)

    async def send(self, message: dict[str, Any]) -> None:
        """Send on the current socket (ConnectionError when there is none)."""
        if self._socket is None:
            raise ConnectionError("not connected")
        await self._socket.send(json.dumps(message))

    async def _session(self, url: str) -> tuple[bool, int]:
        """One connection: (whether every subscription got confirmed, close code)."""
        parts = urlsplit(url)
        origin = f"{'https' if parts.scheme == 'wss' else 'http'}://{parts.netloc}"
        headers = {"Origin": origin, "Cookie": self.cookie}
        confirmed: set[int] = set()
        code = 0  # no connection at all
        try:
            async with websockets.connect(url, additional_headers=headers, open_timeout=5) as ws:
                self._socket, self.connects = ws, self.connects + 1
                self._pending.clear()
                for group_id in self.groups:
                    await self._subscribe(group_id)
                while not self._stopped:
                    try:
                        raw = await asyncio.wait_for(ws.recv(), 3 * self.heartbeat_seconds)
                    except TimeoutError:  # silence: the connection is dead, whatever TCP says
                        code = 1006
                        break
                    await self._receive(json.loads(raw), confirmed=confirmed)
        except websockets.exceptions.ConnectionClosed as closed:
            code = closed.rcvd.code if closed.rcvd else 1006
        except (OSError, TimeoutError, websockets.exceptions.WebSocketException):
            pass  # could not connect: try the next address
        finally:
            self._socket = None
        if code:
            self.closes.append(code)
        return confirmed >= set(self.groups), code

    async def _subscribe(self, group_id: int) -> None:
        if group_id in self._pending or self._socket is None:
            return
        self._pending.add(group_id)
        since = self.groups[group_id].id
        ref = f"subscribe:{group_id}"
        await self.send({"type": "subscribe", "group": group_id, "since": since, "ref": ref})

    async def _receive(self, message: dict[str, Any], *, confirmed: set[int]) -> None:
        kind = message.get("type")
        if kind == "retry":
            self._retry_after = max(0.0, float(message.get("after_ms", 0)) / 1000)
        elif kind == "subscribed":
            group_id = message["group"]
            self._pending.discard(group_id)
            confirmed.add(group_id)
            position = self.groups.get(group_id)
            if position is not None:
                if message["position"] != position.id or "seq" in message:
                    position.id, position.seq = message["position"], message.get("seq")
                if message.get("more"):
                    await self._subscribe(group_id)
        elif kind == "heartbeat":
            for key, head in message["groups"].items():
                position = self.groups.get(int(key))
                if position is not None and _behind(position, head):
                    await self._subscribe(int(key))
        elif kind == "revoked":
            self.groups.pop(message["group"], None)
        elif kind == "error" and str(message.get("ref", "")).startswith("subscribe:"):
            group_id = int(message["ref"].split(":")[1])
            self._pending.discard(group_id)
            if message.get("code") == "not_found":  # no longer a member
                self.groups.pop(group_id, None)
        elif isinstance(message.get("id"), int) and "seq" in message:
            await self._event(message)

    async def _event(self, event: dict[str, Any]) -> None:
        position = self.groups.get(event["group"])
        if position is None:
            return
        if position.seq is None:  # seq unknown: the id tells what is new
            if event["id"] <= position.id:
                return
        elif event["seq"] <= position.seq:
            return  # a duplicate
        elif event["seq"] > position.seq + 1:
            await self._subscribe(event["group"])  # a gap: the server replays it
            return
        position.id, position.seq = event["id"], event["seq"]
        self.applied.append(event)
        if self.on_event is not None:
            self.on_event(event)


def _behind(position: Position, head: dict[str, int]) -> bool:
    if position.seq is None:
        return head["position"] > position.id
    return head["seq"] > position.seq
