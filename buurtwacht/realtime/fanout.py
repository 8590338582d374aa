"""One subscription per process and group: a group's stream events reach this process's
sockets through one channel-layer member, not one per socket.

A process's `Fanout` is the only member of the channel-layer group of each group its sockets
subscribed to.  It receives a stream event once and hands it to each local socket
(`StreamConsumer.push`), which writes it at once when nothing is in its way, or queues it
behind what it is doing (a subscribe's replay, a reply, a slow client).  So an alert to N
sockets costs the layer one message, and each socket a check and a `write` instead of a
queue, a task wake-up and the ASGI send path with the objects they allocate (which also
keeps the garbage collector from running on every alert).

The WebSocket frame of a text is the same for every socket (a server does not mask its
frames), so it is built once per event and language (`frame`), as gorilla/websocket's
PreparedMessage does.  `direct_writer` writes it straight to the transport when the socket is
served by uvicorn's websockets-sansio protocol without extensions (`manage.py serve`);
anywhere else (another server, the tests' communicator) the socket uses the ASGI send.
"""

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from channels.layers import get_channel_layer
from django.conf import settings
from websockets.frames import Frame, Opcode
from websockets.protocol import State

from buurtwacht.core import metrics

from . import actions

if TYPE_CHECKING:
    from .consumers import StreamConsumer

log = logging.getLogger(__name__)
RETRY_SECONDS = 1.0


@lru_cache(maxsize=64)
def frame(text: str) -> bytes:
    """The unmasked WebSocket text frame of `text` (the same object for every socket of
    one event and language, so its hash is computed once)."""
    return prepare(text)


def prepare(text: str) -> bytes:
    """The unmasked WebSocket text frame of `text` (not kept)."""
    return Frame(Opcode.TEXT, text.encode()).serialize(mask=False)


def direct_writer(send: Any) -> Callable[[], Any] | None:
    """For a socket served by uvicorn's websockets-sansio protocol without extensions: a
    function that returns the transport when a whole frame may be written to it now, and
    None when not (the socket is closing, or the client reads too slowly: then the ASGI
    send waits)."""
    try:
        from uvicorn.protocols.websockets.websockets_sansio_impl import (
            WebSocketsSansIOProtocol,
        )
    except ImportError:  # pragma: no cover (uvicorn is a dependency)
        return None
    protocol = getattr(send, "__self__", None)
    if not isinstance(protocol, WebSocketsSansIOProtocol) or protocol.conn.extensions:
        return None

    def transport() -> Any:
        if (
            protocol.close_sent
            or protocol.disconnected
            or not protocol.writable.is_set()
            or protocol.conn.state is not State.OPEN
            or protocol.transport.is_closing()
        ):
            return None
        return protocol.transport

    return transport


class Fanout:
    """The stream subscriptions of one event loop's sockets (one per process)."""

    def __init__(self) -> None:
        self.members: dict[int, set[StreamConsumer]] = {}
        self.channel_name: str | None = None
        self.task: asyncio.Task[None] | None = None
        self.layer: Any = None

    async def join(self, group_id: int, consumer: "StreamConsumer") -> None:
        """From now on `consumer` gets the group's stream events."""
        members = self.members.setdefault(group_id, set())
        first = not members
        members.add(consumer)
        if first:
            try:
                await self._layer_join(group_id)
            except BaseException:
                self.leave(group_id, consumer)
                raise

    def leave(self, group_id: int, consumer: "StreamConsumer") -> None:
        members = self.members.get(group_id)
        if members is None:
            return
        members.discard(consumer)
        if not members:
            del self.members[group_id]
            if self.channel_name is not None:
                self._spawn(self._layer_leave(group_id))

    async def keep_groups(self) -> None:
        """Renew the layer's group memberships (layers drop them after a day)."""
        for group_id in list(self.members):
            await self._layer_join(group_id)

    async def _layer_join(self, group_id: int) -> None:
        if self.channel_name is None:
            self.layer = get_channel_layer()
            self.channel_name = await self.layer.new_channel()
        if self.task is None or self.task.done():
            self.task = asyncio.get_running_loop().create_task(self._receive())
        await asyncio.wait_for(
            self.layer.group_add(actions.group_channel(group_id), self.channel_name),
            settings.LAYER_TIMEOUT_SECONDS,
        )

    async def _layer_leave(self, group_id: int) -> None:
        if group_id in self.members:  # somebody joined again meanwhile
            return
        with contextlib.suppress(Exception):
            await asyncio.wait_for(
                self.layer.group_discard(actions.group_channel(group_id), self.channel_name),
                settings.LAYER_TIMEOUT_SECONDS,
            )

    async def _receive(self) -> None:
        while True:
            try:
                message = await self.layer.receive(self.channel_name)
            except asyncio.CancelledError:
                raise
            except Exception as error:
                from . import liveness

                # What came meanwhile is lost for our sockets: they go away and replay.
                liveness.layer_failed(reason=f"receiving stream events: {error!r}")
                await asyncio.sleep(RETRY_SECONDS)
                continue
            if message.get("type") == "stream.event":
                self.deliver(message)

    def deliver(self, event: dict[str, Any]) -> None:
        consumers = list(self.members.get(event["group"], ()))
        if "published_at" in event:
            metrics.DELIVERY_LAG.observe(max(0.0, time.time() - event["published_at"]))
        metrics.EVENTS_DELIVERED.inc(len(consumers))
        for consumer in consumers:
            try:
                consumer.push(event)
            except Exception:  # one socket's trouble is not the others'
                log.exception("Stream event not handed to a socket")

    def _spawn(self, coroutine: Any) -> None:
        task = asyncio.get_running_loop().create_task(coroutine)
        _background.add(task)
        task.add_done_callback(_background.discard)


_background: set[asyncio.Task[Any]] = set()
_fanouts: "WeakKeyDictionary[asyncio.AbstractEventLoop, Fanout]" = WeakKeyDictionary()


def fanout() -> Fanout:
    """This event loop's fan-out (call it inside the loop)."""
    loop = asyncio.get_running_loop()
    found = _fanouts.get(loop)
    if found is None:
        found = _fanouts[loop] = Fanout()
    return found
