"""The embedded mode's channel layer."""

import contextlib
import time
from typing import Any

from channels.exceptions import ChannelFull
from channels.layers import InMemoryChannelLayer


class InProcessChannelLayer(InMemoryChannelLayer):
    """Channels' in-memory layer with its expiry housekeeping at most once a second.

    The stock layer walks every channel and every group member on each receive and each
    group send, which makes one alert to N sockets cost N² (bench/README.md).  Expiry is
    a safety net for vanished consumers, so once a second is plenty.  Like its parent it
    only reaches sockets of its own process: `manage.py serve` refuses several workers.
    """

    CLEAN_INTERVAL_SECONDS = 1.0
    _last_clean = 0.0

    def _clean_expired(self) -> None:
        now = time.monotonic()
        if now - self._last_clean >= self.CLEAN_INTERVAL_SECONDS:
            self._last_clean = now
            super()._clean_expired()

    async def group_send(self, group: str, message: dict[str, Any]) -> None:
        """Put the message on each member's queue directly: the stock layer starts one
        asyncio task per member for what is a non-blocking put."""
        self.require_valid_group_name(group)
        self._clean_expired()
        for channel in list(self.groups.get(group, {})):
            with contextlib.suppress(ChannelFull):  # a stuck socket must not hold up others
                await self.send(channel, message)
