"""A reconnect storm, paced by the server: after a restart or a deploy every member's
socket comes back at once, and each costs a session lookup and a subscribe with its
replay.  Per process at most OPENINGS sockets are opening at a time (accepted, first
subscribe not answered yet); a socket beyond that is accepted, told when to come back and
closed with 1013 (try again later), before any database work:

    {"type": "retry", "after_ms": 2300}

Each refused socket is given its own later slot, spaced by the rate this process can open
sockets at (OPENINGS at a time, each taking as long as the recent ones took: not the rate
it was let to, which the pacing itself would hold down), with some jitter, so the storm
arrives as a queue the process can serve, and nobody waits longer than MAX_WAIT_SECONDS.
live.js (and realtime/client.py's rule, bench/fanout.py's client) wait `after_ms` and
reconnect with since= (a replay, not a page load).
"""

import json
import random
import time
from typing import Any

OPENINGS = 48  # sockets opening at once per process
MAX_WAIT_SECONDS = 20.0
SETTLE_SECONDS = 10.0  # a socket that never subscribes stops counting as opening
MIN_RATE = 10.0  # openings per second assumed at least
FIRST_GUESS_SECONDS = 0.25  # how long an opening takes, before one was measured
TRY_AGAIN_LATER = 1013


class Pacing:
    def __init__(self, openings: int = OPENINGS) -> None:
        self.openings = openings
        self.opening = 0
        self.next_slot = 0.0
        self.took = FIRST_GUESS_SECONDS  # moving average of how long an opening takes

    def rate(self) -> float:
        """Sockets this process can open per second now."""
        return max(MIN_RATE, max(1, self.openings) / self.took)

    def admit(self, now: float | None = None) -> float:
        """0.0: the socket may open now (call `settle` once it subscribed or ended); else
        the seconds it should wait before it comes back."""
        now = time.monotonic() if now is None else now
        if self.opening < self.openings:
            self.opening += 1
            return 0.0
        slot = max(self.next_slot, now) + 1 / self.rate()
        if slot - now <= MAX_WAIT_SECONDS:
            self.next_slot = slot
        wait = min(slot - now, MAX_WAIT_SECONDS)
        return wait * random.uniform(0.85, 1.15)  # noqa: S311 (jitter, not a secret)

    def settle(self, took: float | None = None) -> None:
        """An opening ended (subscribed, or the socket went) after `took` seconds."""
        self.opening = max(0, self.opening - 1)
        if took is not None:
            self.took += 0.1 * (min(took, SETTLE_SECONDS) - self.took)


PACING = Pacing()


class Ticket:
    """One admitted socket's place among the openings (scope["pacing"]); settled once."""

    def __init__(self, pacing: Pacing) -> None:
        self.pacing = pacing
        self.done = False
        self.started = time.monotonic()

    def settle(self) -> None:
        if not self.done:
            self.done = True
            self.pacing.settle(took=time.monotonic() - self.started)


def settle(scope: dict[str, Any]) -> None:
    """The socket has subscribed (or given up): the next one may open."""
    ticket = scope.get("pacing")
    if ticket is not None:
        ticket.settle()


class PacingMiddleware:
    """ASGI middleware for the WebSocket, outside the session and the user lookup."""

    def __init__(self, inner: Any, pacing: Pacing | None = None) -> None:
        self.inner = inner
        self.pacing = pacing

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        import asyncio

        pacing = self.pacing or PACING
        wait = pacing.admit()
        if wait:
            message = await receive()
            if message["type"] != "websocket.connect":
                return None
            await send({"type": "websocket.accept"})
            text = json.dumps({"type": "retry", "after_ms": round(wait * 1000)})
            await send({"type": "websocket.send", "text": text})
            await send({"type": "websocket.close", "code": TRY_AGAIN_LATER})
            return None
        ticket = Ticket(pacing)
        timer = asyncio.get_running_loop().call_later(SETTLE_SECONDS, ticket.settle)
        try:
            return await self.inner(dict(scope, pacing=ticket), receive, send)
        finally:
            timer.cancel()
            ticket.settle()
