"""Fixed-window rate limits on Django's cache: in-process when embedded, Redis when scaled
(settings.CACHES), so every process of an install counts the same hits."""

import hashlib

from django.core.cache import cache
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The address django-axes counts logins for (it honours PROXY_COUNT)."""
    from axes.helpers import get_client_ip_address

    return get_client_ip_address(request) or ""


def allow(*, scope: str, key: str, limit: int, window_seconds: int) -> bool:
    """Count one hit of ``key`` in ``scope``; False once more than ``limit`` fell in the
    current window."""
    digest = hashlib.sha256(key.encode()).hexdigest()[:24]  # no addresses in the cache keys
    name = f"ratelimit:{scope}:{digest}"
    if cache.add(name, 1, timeout=window_seconds):
        return limit >= 1
    try:
        return cache.incr(name) <= limit
    except ValueError:  # expired between add and incr
        cache.add(name, 1, timeout=window_seconds)
        return True
