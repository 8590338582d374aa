"""Is this server process alive, and is its channel layer?

One monitor task per process (started by the first socket) does, every HEARTBEAT_SECONDS:

- renews this process's presence rows in one UPDATE.  A process that dies renews nothing:
  its rows expire within PRESENCE_SECONDS and its members get pushes again;
- probes the channel layer: a message to this process's own probe channel must come back
  within LAYER_TIMEOUT_SECONDS;
- sends every socket with subscriptions a heartbeat frame: per group the latest event id and
  seq, read from the database (the truth) in one query for all groups of this process.  A
  client that is behind resubscribes with since= (the protocol: realtime/consumers.py);
- every REJOIN_TICKS ticks renews the sockets' channel-layer group memberships (the layers
  drop members after a day).

When the channel layer fails -- the probe, a publish (actions._send), or a connection to
Redis that had to be made again (layers.RedisPubSubLayer) -- whatever went through it meanwhile
may be lost for this process's sockets.  They are all closed with 1012: clients reconnect,
maybe to another process, and replay from the database with since=.  Until a probe succeeds
again (tried every second) new sockets are closed with 1012 right away: a member without a
live socket looks absent, so alerts reach them by push meanwhile.
"""

import asyncio
import itertools
import json
import logging
import os
import socket
import uuid
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.conf import settings

from . import actions, fanout, selectors

if TYPE_CHECKING:
    from .consumers import StreamConsumer

log = logging.getLogger(__name__)

# Who holds a presence row.  uvicorn starts its workers as new processes (spawn), so every
# worker imports this module itself and gets its own id.
SERVER_ID = f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
LAYER_LOST = 1012  # close code: "service restart": reconnect at once (with jitter)
RETRY_SECONDS = 1.0  # probe interval while the layer is down
CLOSE_GRACE_SECONDS = 0.5
REJOIN_TICKS = 6  # group memberships are renewed once a minute, as before
PURGE_TICKS = 6  # expired presence rows (of processes that died) are deleted once a minute


class Monitor:
    """The liveness of one event loop's sockets (one per process; tests may run more)."""

    def __init__(self) -> None:
        self.members: set[StreamConsumer] = set()
        self.healthy = True
        self.ticks = 0
        self.task: asyncio.Task[None] | None = None
        self.probe_channel: str | None = None
        self.echoes: dict[int, asyncio.Future[None]] = {}
        self.tokens = itertools.count(1)
        self.background: set[asyncio.Task[Any]] = set()
        self.woken = asyncio.Event()
        self.orphans: set[str] = set()  # closed sockets whose presence rows are left

    def register(self, consumer: "StreamConsumer") -> None:
        if not self.healthy:  # the layer failed while it connected
            self.spawn(self.send_away(consumer))
            return
        self.members.add(consumer)
        if self.task is None or self.task.done():
            self.task = asyncio.get_running_loop().create_task(self.run())

    def unregister(self, consumer: "StreamConsumer") -> None:
        self.members.discard(consumer)

    def layer_failed(self, *, reason: str) -> None:
        """Close every socket of this process with 1012 (once per outage)."""
        if not self.healthy:
            return
        self.healthy = False
        self.woken.set()
        members, self.members = self.members, set()
        log.warning("Channel layer failed (%s): closing %d sockets (1012)", reason, len(members))
        for member in members:
            self.spawn(self.send_away(member))

    async def send_away(self, member: "StreamConsumer") -> None:
        # A moment's grace: the socket whose post ran into the failure still gets its reply.
        await asyncio.sleep(CLOSE_GRACE_SECONDS)
        await member.close(code=LAYER_LOST)

    def spawn(self, coroutine: Any) -> None:
        task = asyncio.get_running_loop().create_task(coroutine)
        self.background.add(task)
        task.add_done_callback(self._done)

    def _done(self, task: "asyncio.Task[Any]") -> None:
        self.background.discard(task)
        if not task.cancelled() and task.exception() is not None:
            # Mostly a socket that closed meanwhile; its consumer cleans up after itself.
            log.debug("Background step failed: %r", task.exception())

    async def run(self) -> None:
        while True:
            self.woken.clear()  # by a failure: probe again within RETRY_SECONDS
            interval = settings.HEARTBEAT_SECONDS if self.healthy else RETRY_SECONDS
            try:
                await asyncio.wait_for(self.woken.wait(), interval)
            except TimeoutError:
                try:
                    await self.tick()
                except Exception:
                    log.exception("Heartbeat tick failed")

    async def tick(self) -> None:
        self.ticks += 1
        members = list(self.members)
        group_ids = {group_id for member in members for group_id in member.positions}
        probed, heads = await asyncio.gather(
            self.probe(), self.keep_presence(group_ids=group_ids), return_exceptions=True
        )
        if isinstance(probed, BaseException):
            self.layer_failed(reason=f"probe: {probed!r}")
        elif not self.healthy:
            log.warning("Channel layer works again: accepting sockets")
            self.healthy = True
        if isinstance(heads, BaseException):
            log.error("Presence and heartbeat not read: %r", heads)
        elif self.healthy:
            self.beat(members=members, heads=heads)
        if self.healthy and self.ticks % REJOIN_TICKS == 0:
            self.spawn(fanout.fanout().keep_groups())
            for member in members:
                self.spawn(asyncio.wait_for(member.keep_groups(), settings.LAYER_TIMEOUT_SECONDS))

    def beat(self, *, members: "list[StreamConsumer]", heads: dict[int, dict[str, int]]) -> None:
        """One heartbeat text per set of groups (most sockets follow one group), encoded
        once and written straight to each socket that is free (the fan-out's path); a busy
        socket gets it after what it is doing, on its own, so it holds up nobody."""
        texts: dict[tuple[int, ...], tuple[str, bytes] | None] = {}
        for member in members:
            groups = tuple(member.positions)
            if groups in texts:
                found = texts[groups]
            else:
                beat = {str(g): heads[g] for g in groups if g in heads}
                text = json.dumps({"type": "heartbeat", "groups": beat})
                found = texts[groups] = (text, fanout.prepare(text)) if beat else None
            if found is not None and not member.beat(found[1]):
                self.spawn(member.send_text(found[0]))

    async def keep_presence(self, *, group_ids: set[int]) -> dict[int, dict[str, int]]:
        """Renew this process's presence rows; the stream heads of its groups."""
        if not group_ids and not self.orphans:
            return {}
        orphans = set(self.orphans)

        def work() -> dict[int, dict[str, int]]:
            for channel_name in orphans:  # before renewing: they would live on with us
                actions.mark_absent(channel_name=channel_name)
            actions.renew_presence(server=SERVER_ID)
            if self.ticks % PURGE_TICKS == 0:
                actions.forget_expired_presence()
            return selectors.stream_heads(group_ids=group_ids)

        heads = await database_sync_to_async(work)()
        self.orphans -= orphans
        return heads

    async def probe(self) -> None:
        """A message to our own channel comes back in time, or this raises."""
        layer = get_channel_layer()
        if layer is None:
            return
        token = next(self.tokens)
        echo = self.echoes[token] = asyncio.get_running_loop().create_future()

        async def round_trip() -> None:
            if self.probe_channel is None:
                self.probe_channel = await layer.new_channel()
                self.spawn(self.receive_echoes(layer=layer, channel=self.probe_channel))
            await layer.send(self.probe_channel, {"type": "liveness.probe", "token": token})
            await echo

        try:
            await asyncio.wait_for(round_trip(), settings.LAYER_TIMEOUT_SECONDS)
        finally:
            self.echoes.pop(token, None)

    async def receive_echoes(self, *, layer: Any, channel: str) -> None:
        try:
            while True:
                message = await layer.receive(channel)
                echo = self.echoes.get(message.get("token"))
                if echo is not None and not echo.done():
                    echo.set_result(None)
        except Exception:
            log.exception("Probe channel lost")
            self.probe_channel = None  # the next probe makes a new one


_monitors: "WeakKeyDictionary[asyncio.AbstractEventLoop, Monitor]" = WeakKeyDictionary()


def monitor() -> Monitor:
    """This event loop's monitor (call it inside the loop)."""
    loop = asyncio.get_running_loop()
    found = _monitors.get(loop)
    if found is None:
        found = _monitors[loop] = Monitor()
    return found


def register(consumer: "StreamConsumer") -> None:
    monitor().register(consumer)


def unregister(consumer: "StreamConsumer") -> None:
    monitor().unregister(consumer)


def forget_later(*, channel_name: str) -> None:
    """A closed socket whose presence rows could not be removed: the next tick does it."""
    monitor().orphans.add(channel_name)


def accepting() -> bool:
    """False while the channel layer is known to be down: new sockets are sent away."""
    return monitor().healthy


def layer_failed(*, reason: str) -> None:
    """Report a failure of the channel layer (from code running in the event loop)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        log.warning("Channel layer failed outside the event loop: %s", reason)
        return
    monitor().layer_failed(reason=reason)
