"""One WebSocket per client.  The client subscribes to group streams; the access gate
decides first.  Posts go through the same actions as the HTTP API.

Client -> server (JSON; an optional "ref" is echoed in the reply):
    {"type": "subscribe", "group": 7, "since": 120}
    {"type": "post_alert", "group": 7, "client_id": "...", "alert": {...AlertIn...}}
    {"type": "claim", "alert": 3, "channel": "112" | "0900-8844"}
    {"type": "update", "alert": 3, "client_id": "...", "text": "..."}
    {"type": "ack", "alert": 3, "kind": "seen" | "going"}
    {"type": "close", "alert": 3, "outcome": "resolved" | ...}
    {"type": "chat", "group": 7, "client_id": "...", "text": "..."}
Server -> client: stream events (see events.py), {"type": "subscribed", "group", "position"},
{"type": "revoked", "group"}, {"type": "ok", ...} and {"type": "error", "code", "message"}.
"""

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import translation
from django.utils.functional import Promise as StrPromise
from django.utils.translation import gettext_lazy
from django.utils.translation.trans_real import parse_accept_lang_header

from buurtwacht.core.errors import ActionError

from . import handlers, liveness
from .actions import (
    group_channel,
    mark_absent,
    user_channel,
)

log = logging.getLogger(__name__)


class StreamConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self) -> None:
        self.user = self.scope.get("user")
        if self.user is None or not self.user.is_authenticated:
            await self.close(code=4401)
            return
        if not liveness.accepting():  # the channel layer is down: elsewhere, or later
            await self.accept()
            await self.close(code=liveness.LAYER_LOST)
            return
        self.positions: dict[int, int] = {}  # group id -> last event id sent
        self.language = _language(self.scope)
        self.handlers = {"subscribe": self._subscribe} | {
            name: self._post(function) for name, function in handlers.POSTS.items()
        }
        await self.channel_layer.group_add(user_channel(self.user.pk), self.channel_name)
        await self.accept()
        liveness.register(self)  # presence, heartbeats, and 1012 if the layer fails

    async def disconnect(self, code: int) -> None:
        """Clean up as far as possible: after a layer failure the layer may not answer, and
        presence rows that are left are removed at the next heartbeat tick."""
        if getattr(self, "positions", None) is None:
            return
        liveness.unregister(self)
        try:
            await database_sync_to_async(mark_absent)(channel_name=self.channel_name)
        except Exception:
            log.exception("Presence of a closed socket not removed: retried at the next tick")
            liveness.forget_later(channel_name=self.channel_name)
        groups = [group_channel(group_id) for group_id in self.positions]
        for group in [*groups, user_channel(self.user.pk)]:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(
                    self.channel_layer.group_discard(group, self.channel_name),
                    settings.LAYER_TIMEOUT_SECONDS,
                )

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        ref = content.get("ref") if isinstance(content, dict) else None
        kind = content.get("type") if isinstance(content, dict) else None
        handler = self.handlers.get(kind or "")
        if handler is None:
            await self.send_json(
                {**self._error("unknown_type", gettext_lazy("Unknown message type.")), "ref": ref}
            )
            return
        try:
            reply = await handler(content)
        except ActionError as error:  # messages were translated in the database thread
            reply = {"type": "error", "code": error.code, "message": error.message}
        except Http404:
            reply = self._error("not_found", gettext_lazy("Not found."))
        except PermissionDenied:
            reply = self._error("forbidden", gettext_lazy("You may not do this."))
        except (KeyError, TypeError, ValueError):
            reply = self._error("bad_request", gettext_lazy("Malformed message."))
        if reply is not None:
            await self.send_json({**reply, "ref": ref})

    def _error(self, code: str, message: "str | StrPromise") -> dict[str, Any]:
        with translation.override(self.language):
            return {"type": "error", "code": code, "message": str(message)}

    def _in_language(self, function: Callable[..., Any]) -> Callable[..., Any]:
        """Run a sync handler in the database thread, in the client's language."""

        def run(**kwargs: Any) -> Any:
            with translation.override(self.language):
                return function(**kwargs)

        return database_sync_to_async(run)

    def _post(
        self, function: Callable[..., dict[str, Any]]
    ) -> Callable[[dict[str, Any]], Awaitable[dict[str, Any]]]:
        async def run(content: dict[str, Any]) -> dict[str, Any]:
            result = await self._in_language(function)(user=self.user, content=content)
            return {"type": "ok", **result}

        return run

    async def _subscribe(self, content: dict[str, Any]) -> None:
        """Without `since`: live from now on.  With `since`: first everything after it."""
        group_id = int(content["group"])
        latest = await self._in_language(handlers.subscribe)(
            user=self.user, group_id=group_id, channel_name=self.channel_name
        )
        start = latest if content.get("since") is None else int(content["since"])
        self.positions[group_id] = start
        # Join first, then replay: whatever is published meanwhile is de-duplicated by id.
        await self.channel_layer.group_add(group_channel(group_id), self.channel_name)
        missed = await self._in_language(handlers.events_since)(
            user=self.user, group_id=group_id, since=start
        )
        for message in missed:
            await self._deliver(message)
        await self.send_json(
            {
                "type": "subscribed",
                "group": group_id,
                "position": self.positions[group_id],
                "ref": content.get("ref"),
            }
        )

    async def heartbeat(self, *, heads: dict[int, dict[str, int]]) -> None:
        """Liveness, every HEARTBEAT_SECONDS: the latest event id and seq of each subscribed
        group, from the database.  A client that is behind resubscribes with since=."""
        groups = {
            str(group_id): heads[group_id] for group_id in self.positions if group_id in heads
        }
        if groups:
            await self.send_json({"type": "heartbeat", "groups": groups})

    async def keep_groups(self) -> None:
        """Renew this socket's channel-layer group memberships (layers drop them after a
        day); liveness calls it once a minute."""
        for group_id in list(self.positions):
            await self.channel_layer.group_add(group_channel(group_id), self.channel_name)
        await self.channel_layer.group_add(user_channel(self.user.pk), self.channel_name)

    def _is_new(self, *, group_id: int, event_id: int) -> bool:
        """Whether to send this event: subscribed (not revoked) and not sent before."""
        last = self.positions.get(group_id)
        if last is None or event_id <= last:
            return False
        self.positions[group_id] = event_id
        return True

    async def _deliver(self, message: dict[str, Any]) -> None:
        if self._is_new(group_id=message["group"], event_id=message["id"]):
            await self.send_json(message)

    # --- channel layer messages ------------------------------------------------------

    async def dispatch(self, message: dict[str, Any]) -> None:
        """Stream events touch no database: skip Channels' per-message connection cleanup
        (and its hop to the database thread) for them."""
        if message["type"] == "stream.event":
            await self.stream_event(message)
        else:
            await super().dispatch(message)

    async def stream_event(self, event: dict[str, Any]) -> None:
        if self._is_new(group_id=event["group"], event_id=event["id"]):
            await self.send(text_data=event["text"])

    async def access_revoked(self, event: dict[str, Any]) -> None:
        group_id = event["group"]
        if self.positions.pop(group_id, None) is not None:
            await self.channel_layer.group_discard(group_channel(group_id), self.channel_name)
            await database_sync_to_async(mark_absent)(
                channel_name=self.channel_name, group_id=group_id
            )
            await self.send_json({"type": "revoked", "group": group_id})


def _language(scope: dict[str, Any]) -> str:
    """The language cookie the site's switch sets, else the browser's, else Dutch."""
    cookie = scope.get("cookies", {}).get(settings.LANGUAGE_COOKIE_NAME, "")
    if cookie and translation.check_for_language(cookie):
        return cookie
    headers = dict(scope.get("headers") or [])
    accept = headers.get(b"accept-language", b"").decode("latin-1")
    for code, _quality in parse_accept_lang_header(accept):
        if code != "*" and translation.check_for_language(code):
            return translation.get_supported_language_variant(code)
    return settings.LANGUAGE_CODE
