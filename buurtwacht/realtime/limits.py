"""Limits on what one client may ask of a server process over its sockets.

- Frames: every text frame takes a token from its socket's bucket and from its account's
  bucket (shared by the account's sockets in this process).  Without a token the frame is
  not executed; the client gets a `rate_limited` error.  The buckets let a real client
  through at once: reconnect, subscribe to its groups, page through a replay, tap buttons.
- Sockets: at most `settings.SOCKETS_PER_ACCOUNT` open sockets per account.

- Replay over HTTP (GET /api/groups/{id}/events): the same account bucket as the
  account's sockets, one token per replay page of `handlers.REPLAY_LIMIT` events asked
  for (`take_replay`); without the tokens the API answers 429 with Retry-After.

All are counted per server process (this module's memory), not install-wide: with N
processes behind a proxy an account may hold N x the cap, and its frames get N x the rate.
That bounds what one account can cost each process, which is what the limits are for; an
install-wide count would need a shared store that forgets the sockets of a process that died.
"""

import math
import threading
import time
import weakref
from dataclasses import dataclass, field

from django.conf import settings

SOCKET_BURST = 30  # frames a socket may send at once ...
SOCKET_RATE = 10.0  # ... and per second after that
ACCOUNT_BURST = 60  # the same for all sockets of one account together
ACCOUNT_RATE = 20.0


def _now() -> float:
    return time.monotonic()  # a function of its own, so tests can hold the clock still


@dataclass
class TokenBucket:
    capacity: float
    rate: float  # tokens per second
    tokens: float = -1.0  # -1: start full
    stamp: float = field(default_factory=lambda: _now())

    def __post_init__(self) -> None:
        if self.tokens < 0:
            self.tokens = self.capacity

    def refill(self, now: float) -> None:
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now


# The event loop takes tokens, and so do the HTTP API's requests (in Django's sync thread).
_LOCK = threading.Lock()


def take(*buckets: TokenBucket, tokens: int = 1) -> bool:
    """`tokens` from every bucket, or none from any when one of them has too few."""
    with _LOCK:
        now = _now()
        for bucket in buckets:
            bucket.refill(now)
        if any(bucket.tokens < tokens for bucket in buckets):
            return False
        for bucket in buckets:
            bucket.tokens -= tokens
        return True


class RateLimited(Exception):
    """Refused for want of tokens; `retry_after`: seconds until there are enough."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"rate limited, retry after {retry_after} s")
        self.retry_after = retry_after


def socket_bucket() -> TokenBucket:
    return TokenBucket(capacity=SOCKET_BURST, rate=SOCKET_RATE)


class Accounts:
    """The open sockets and the shared frame bucket of each account in this process.  The
    event loop is single-threaded, so no lock.  Sockets are held weakly: one whose consumer
    ended without a clean disconnect does not count for ever."""

    def __init__(self) -> None:
        self._sockets: dict[int, weakref.WeakSet[object]] = {}
        self._buckets: dict[int, TokenBucket] = {}

    def open(self, *, user_id: int, socket: object) -> bool:
        """Count the socket in, or False when the account already has the maximum open."""
        sockets = self._sockets.setdefault(user_id, weakref.WeakSet())
        if len(sockets) >= settings.SOCKETS_PER_ACCOUNT:
            return False
        sockets.add(socket)
        return True

    def close(self, *, user_id: int, socket: object) -> None:
        sockets = self._sockets.get(user_id)
        if sockets is None:
            return
        sockets.discard(socket)
        if not sockets:
            del self._sockets[user_id]
            self._forget_if_full(user_id)

    def _forget_if_full(self, user_id: int) -> None:
        """Drop the bucket of an account without sockets once it is full again (a fresh
        one would be the same); a bucket still in use stays, so closing a socket does not
        refill what the API took."""
        with _LOCK:
            bucket = self._buckets.get(user_id)
            if bucket is None:
                return
            bucket.refill(_now())
            if bucket.tokens >= bucket.capacity:
                del self._buckets[user_id]

    def take_replay(self, *, user_id: int, events: int) -> None:
        """Tokens for a replay over HTTP of up to `events` events: one per replay page a
        socket would need.  Raises RateLimited."""
        from .handlers import REPLAY_LIMIT

        tokens = max(1, math.ceil(events / REPLAY_LIMIT))
        if len(self._buckets) > 10_000:  # accounts that only use the API: forget full ones
            for idle in [uid for uid in list(self._buckets) if uid not in self._sockets]:
                self._forget_if_full(idle)
        bucket = self.bucket(user_id=user_id)
        if not take(bucket, tokens=tokens):
            missing = tokens - bucket.tokens
            raise RateLimited(retry_after=max(1, math.ceil(missing / bucket.rate)))

    def bucket(self, *, user_id: int) -> TokenBucket:
        bucket = self._buckets.get(user_id)
        if bucket is None:
            bucket = self._buckets[user_id] = TokenBucket(capacity=ACCOUNT_BURST, rate=ACCOUNT_RATE)
        return bucket

    def open_count(self, *, user_id: int) -> int:
        return len(self._sockets.get(user_id, ()))


ACCOUNTS = Accounts()
