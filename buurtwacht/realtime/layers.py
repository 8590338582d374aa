"""The channel layers: the embedded mode's, and channels-redis's pub/sub layer watched."""

import asyncio
import contextlib
import time
from copy import deepcopy
from typing import Any

from channels.exceptions import ChannelFull
from channels.layers import InMemoryChannelLayer
from channels_redis.pubsub import RedisPubSubChannelLayer
from channels_redis.utils import decode_hosts
from redis.asyncio import Connection

_FLAT = (str, int, float, bool, type(None))


def _is_flat(message: dict[str, Any]) -> bool:
    return all(isinstance(value, _FLAT) for value in message.values())


class InProcessChannelLayer(InMemoryChannelLayer):
    """Channels' in-memory layer, reworked where an alert to N sockets paid per socket:

    - expiry housekeeping runs at most once a second (the stock layer walks every channel
      and group member on each receive and group send: N² per alert);
    - a group message is put on each queue directly (no asyncio task per member);
    - a channel keeps its queue while it lives (the stock layer drops an emptied queue and
      builds a new one for the next message); empty queues nobody waits on are dropped by
      the housekeeping;
    - flat messages (ours: ids and pre-encoded JSON text) are copied shallowly.

    Like its parent it only reaches sockets of its own process: `manage.py serve` refuses
    several workers on it.  bench/README.md has the figures.
    """

    CLEAN_INTERVAL_SECONDS = 1.0
    _last_clean = 0.0

    def _queue(self, channel: str) -> asyncio.Queue[Any]:
        queue = self.channels.get(channel)
        if queue is None:
            queue = self.channels[channel] = asyncio.Queue(maxsize=self.get_capacity(channel))
        return queue

    async def send(self, channel: str, message: dict[str, Any]) -> None:
        if not isinstance(message, dict):
            raise TypeError("message is not a dict")
        self.require_valid_channel_name(channel)
        self._put(channel, message, flat=_is_flat(message))

    def _put(self, channel: str, message: dict[str, Any], *, flat: bool) -> None:
        copied = dict(message) if flat else deepcopy(message)
        try:
            self._queue(channel).put_nowait((time.time() + self.expiry, copied))
        except asyncio.QueueFull as exc:
            raise ChannelFull(channel) from exc

    async def receive(self, channel: str) -> dict[str, Any]:
        self.require_valid_channel_name(channel)
        self._clean_expired()
        _expires, message = await self._queue(channel).get()
        return message  # type: ignore[no-any-return]

    async def group_send(self, group: str, message: dict[str, Any]) -> None:
        """To every member channel (checked when it joined), the message looked at once."""
        self.require_valid_group_name(group)
        if not isinstance(message, dict):
            raise TypeError("message is not a dict")
        self._clean_expired()
        flat = _is_flat(message)
        for channel in list(self.groups.get(group, {})):
            with contextlib.suppress(ChannelFull):  # a stuck socket must not hold up others
                self._put(channel, message, flat=flat)

    def _clean_expired(self) -> None:
        now = time.monotonic()
        if now - self._last_clean < self.CLEAN_INTERVAL_SECONDS:
            return
        self._last_clean = now
        super()._clean_expired()
        for channel, queue in list(self.channels.items()):
            if queue.empty() and not getattr(queue, "_getters", None):
                del self.channels[channel]  # nobody is waiting: a vanished consumer


class RedisPubSubLayer(RedisPubSubChannelLayer):
    """channels-redis's pub/sub layer, telling liveness when its link to Redis broke.

    redis-py quietly makes a broken subscriber connection again, and re-subscribes: whatever
    was published meanwhile never reaches this process's sockets, and nothing would say so
    (channels-redis 4.3 accepts `on_disconnect`/`on_reconnect` but never calls them).  So a
    subscriber connection that connects a second time reports a layer failure, and liveness
    sends the sockets away to replay.  (Publishing connections are not watched: a publish
    that fails says so itself, and Redis may close idle ones.)  For redis:// addresses;
    others rely on the probe.
    """

    def __init__(self, *args: Any, hosts: Any = None, **kwargs: Any) -> None:
        watched = [
            {"connection_class": WatchedConnection, "socket_connect_timeout": 5, **host}
            if str(host.get("address", "")).startswith("redis://")
            else host
            for host in decode_hosts(hosts)
        ]
        super().__init__(*args, hosts=watched, **kwargs)


class WatchedConnection(Connection):
    SUBSCRIBING = {"SUBSCRIBE", "PSUBSCRIBE", "SSUBSCRIBE"}

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.subscriber = False
        self.register_connect_callback(self._connected)

    async def send_command(self, *args: Any, **kwargs: Any) -> None:
        if args and str(args[0]).upper() in self.SUBSCRIBING:
            self.subscriber = True
        await super().send_command(*args, **kwargs)

    def _connected(self, connection: Connection) -> None:
        if self.subscriber:  # connected again: what was published meanwhile is gone
            from . import liveness  # here: liveness needs the app registry

            liveness.layer_failed(reason=f"subscribed to Redis again ({self.host}:{self.port})")
