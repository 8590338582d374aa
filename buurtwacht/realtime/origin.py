"""The WebSocket's Origin check: the rule Django's CSRF middleware applies to the Origin of
a POST (`CsrfViewMiddleware._origin_verified`), so a page that may post a form may open the
socket and no other.

Allowed iff the Origin is exactly `<http|https>://<Host header>`, with the scheme the socket
was opened with (ws -> http, wss -> https; behind a proxy as uvicorn's proxy headers or
SECURE_PROXY_SSL_HEADER tell) and the host in ALLOWED_HOSTS; or the Origin is one of
CSRF_TRUSTED_ORIGINS (exactly, or under a "https://*.example.nl" wildcard as Django allows).
Scheme and port count: http://host:8000 is not http://host:8443.  A socket without an Origin
is refused too (browsers always send one).

A refused socket is accepted and closed at once with code 4403, so that a browser's client
sees why (a handshake answered with 403 only shows it 1006).  Nothing else is sent.
"""

from collections import defaultdict
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.http.request import split_domain_port, validate_host
from django.utils.http import is_same_domain

ORIGIN_REFUSED = 4403


def _header(scope: dict[str, Any], name: bytes) -> str | None:
    """The header's value; None when it is missing or sent more than once."""
    values = [value for key, value in scope.get("headers") or [] if key.lower() == name]
    return values[0].decode("latin-1") if len(values) == 1 else None


def _good_host(scope: dict[str, Any]) -> str | None:
    """The Host the socket was opened for, if it is one of ALLOWED_HOSTS (Django's
    `request.get_host()`)."""
    host = None
    if settings.USE_X_FORWARDED_HOST:
        host = _header(scope, b"x-forwarded-host")
    if host is None:
        host = _header(scope, b"host")
    if not host:
        return None
    allowed = settings.ALLOWED_HOSTS
    if settings.DEBUG and not allowed:
        allowed = [".localhost", "127.0.0.1", "[::1]"]
    domain, _port = split_domain_port(host)
    return host if domain and validate_host(domain, allowed) else None


def _is_secure(scope: dict[str, Any]) -> bool:
    """Django's `request.is_secure()` for a socket."""
    if settings.SECURE_PROXY_SSL_HEADER:
        meta_name, secure_value = settings.SECURE_PROXY_SSL_HEADER
        name = meta_name.removeprefix("HTTP_").replace("_", "-").lower().encode()
        value = _header(scope, name)
        if value is not None:
            return value.split(",", 1)[0].strip() == secure_value
    return scope.get("scheme") == "wss"


def origin_allowed(scope: dict[str, Any]) -> bool:
    origin = _header(scope, b"origin")
    if not origin:
        return False
    host = _good_host(scope)
    if host is not None and origin == f"{'https' if _is_secure(scope) else 'http'}://{host}":
        return True
    trusted = settings.CSRF_TRUSTED_ORIGINS
    if origin in {item for item in trusted if "*" not in item}:
        return True
    subdomains: dict[str, list[str]] = defaultdict(list)
    for parsed in (urlsplit(item) for item in trusted if "*" in item):
        subdomains[parsed.scheme].append(parsed.netloc.lstrip("*"))
    try:
        parsed_origin = urlsplit(origin)
    except ValueError:
        return False
    return any(
        is_same_domain(parsed_origin.netloc, pattern)
        for pattern in subdomains.get(parsed_origin.scheme, ())
    )


async def refuse(*, receive: Any, send: Any, code: int) -> None:
    """Complete the handshake and close at once with `code`."""
    message = await receive()
    if message["type"] == "websocket.connect":
        await send({"type": "websocket.accept"})
        await send({"type": "websocket.close", "code": code})


class OriginValidator:
    """ASGI middleware in front of the socket: refuses other origins with 4403."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        if scope["type"] == "websocket" and not origin_allowed(scope):
            await refuse(receive=receive, send=send, code=ORIGIN_REFUSED)
            return None
        return await self.inner(scope, receive, send)
