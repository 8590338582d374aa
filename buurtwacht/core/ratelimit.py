"""Rate limits on Django's cache: in-process when embedded, Redis when scaled
(settings.CACHES), so every process of an install counts the same hits.

- `allow`: a fixed window (registrations, subscriptions per address).
- `throttle_wait` / `throttle_failure` / `throttle_reset`: a progressive delay (the logins
  of one account, from whatever address): after `free` failures each further attempt has
  to wait twice as long as the one before, up to `longest` seconds.  Nobody is locked out:
  the owner waits at most `longest`, and an attempt that was told to wait does not count.

`client_address` is the one place that says who the client is."""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The address of the client: the connection's, always, unless settings.PROXY_COUNT
    trusted proxies stand in front of the app; then the address the outermost of them
    saw (X-Forwarded-For, counted from the right, so what a client writes into the header
    itself is never read).  django-axes asks this too (AXES_CLIENT_IP_CALLABLE)."""
    connection = request.META.get("REMOTE_ADDR", "") or ""
    proxies = settings.PROXY_COUNT
    if proxies <= 0:
        return connection
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) >= proxies:
        return forwarded[-proxies]
    return connection


def _name(scope: str, key: str) -> str:
    digest = hashlib.sha256(key.encode()).hexdigest()[:24]  # no addresses in the cache keys
    return f"ratelimit:{scope}:{digest}"


def allow(*, scope: str, key: str, limit: int, window_seconds: int) -> bool:
    """Count one hit of ``key`` in ``scope``; False once more than ``limit`` fell in the
    current window."""
    name = _name(scope, key)
    if cache.add(name, 1, timeout=window_seconds):
        return limit >= 1
    try:
        return cache.incr(name) <= limit
    except ValueError:  # expired between add and incr
        cache.add(name, 1, timeout=window_seconds)
        return True


def throttle_wait(*, scope: str, key: str, free: int, longest: float) -> float:
    """Seconds ``key`` must still wait before its next attempt (0: go ahead)."""
    state = cache.get(_name(scope, key))
    if not state:
        return 0.0
    failures, last = state
    if failures < free:
        return 0.0
    delay = min(float(longest), 2.0 ** (failures - free))
    return max(0.0, last + delay - time.time())


def throttle_failure(*, scope: str, key: str, forget_after: int) -> None:
    """One more failure of ``key``; the count is forgotten ``forget_after`` seconds after
    the last one."""
    name = _name(scope, key)
    failures, _last = cache.get(name) or (0, 0.0)
    cache.set(name, (failures + 1, time.time()), timeout=forget_after)


def throttle_reset(*, scope: str, key: str) -> None:
    cache.delete(_name(scope, key))
