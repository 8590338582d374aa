"""ASGI middleware for the WebSocket."""

from importlib import import_module
from typing import Any

from channels.auth import AuthMiddleware
from channels.sessions import CookieMiddleware
from django.conf import settings


class ReadOnlySessionMiddleware:
    """The Django session for a socket, read-only.  Channels' SessionMiddleware also wraps
    every outgoing frame to save a changed session; our sockets never change it, and that
    wrapper was a per-frame cost on every alert to every member (bench/README.md)."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        engine = import_module(settings.SESSION_ENGINE)
        key = scope.get("cookies", {}).get(settings.SESSION_COOKIE_NAME)
        scope = dict(scope, session=engine.SessionStore(session_key=key))
        return await self.inner(scope, receive, send)


def socket_auth_stack(inner: Any) -> Any:
    """Cookies -> read-only session -> the logged-in user in scope["user"]."""
    return CookieMiddleware(ReadOnlySessionMiddleware(AuthMiddleware(inner)))
