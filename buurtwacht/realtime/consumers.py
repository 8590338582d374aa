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
Server -> client: stream events (see events.py; `seq` numbers them 1, 2, 3, ... within a
group), {"type": "subscribed", "group", "position", "seq", "more"} (more: the replay was
capped at REPLAY_LIMIT, subscribe again with since=position), {"type": "heartbeat",
"groups": {"<id>": {"position", "seq"}}} every HEARTBEAT_SECONDS (liveness.py: the database's
latest, so a client that missed an event sees it), {"type": "revoked", "group"},
{"type": "forward.received" | "forward.decided", "forward": {...}} (to a receiving
group's admins only, see realtime.actions.notify_sockets), {"type": "ok", ...} and
{"type": "error", "code", "message"} (the message in the socket's language).  Frames are
validated by protocol.py and limited by limits.py; whatever a client sends, it gets a JSON
error or a close code, never an exception out of the consumer.

A client shows an event whose seq is one more than the last it showed, ignores one it has
seen, and resubscribes with since=<last id> when a number is skipped or a heartbeat is ahead
(static/web/live.js, and client.py for programs).

Close codes: 4401 not logged in / session ended, 4403 a foreign Origin (origin.py), 4429 too
many sockets for the account, 1003 a binary frame, 1009 a frame over MAX_FRAME_BYTES, 1012
this process lost its channel layer (reconnect, maybe elsewhere, and replay), 1013 too many
sockets opening at once on this process (after a {"type": "retry", "after_ms"} frame: come
back then, realtime/pacing.py).
"""

import asyncio
import contextlib
import functools
import logging
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any

from channels.db import database_sync_to_async
from channels.exceptions import StopConsumer
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from channels.layers import get_channel_layer
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import translation
from django.utils.functional import Promise as StrPromise
from django.utils.translation import gettext_lazy
from django.utils.translation.trans_real import parse_accept_lang_header
from pydantic import ValidationError

from buurtwacht.core import metrics
from buurtwacht.core.errors import ActionError

from . import fanout, handlers, limits, liveness, pacing, protocol
from .actions import (
    mark_absent,
    session_tag,
    text_key,
    user_channel,
)

log = logging.getLogger(__name__)

SESSION_ENDED = 4401
TOO_MANY_SOCKETS = 4429
UNSUPPORTED_DATA = 1003  # a binary frame
MESSAGE_TOO_BIG = 1009
BACKLOG = 100  # stream events waiting for one socket (as the channel layers' capacity)


class StreamConsumer(AsyncJsonWebsocketConsumer):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.closed = False  # set when the server closes: nothing is sent or run after it
        self.behind: set[int] = set()  # groups whose replay is incomplete: no live events
        self.bucket = limits.socket_bucket()  # frames this socket may send
        self.turn = asyncio.Lock()  # one message at a time, as channels does
        # Stream events the fan-out could not write at once, in order (fanout.py); one
        # leaves the backlog when it has been sent.
        self.backlog: deque[dict[str, Any]] = deque()
        self.backlog_waits = asyncio.Event()
        self.transport: Callable[[], Any] | None = None  # fanout.direct_writer

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        """Channels' AsyncConsumer.__call__ with a leaner loop.  Channels waits on both
        sources with asyncio.wait and makes a new task per message; here one long-lived
        task reads each source (the client, this socket's channel, the backlog of stream
        events), and a lock keeps to one message at a time as channels does."""
        self.scope = scope
        self.channel_layer = get_channel_layer(self.channel_layer_alias)
        self.channel_name = await self.channel_layer.new_channel()
        self.channel_receive = functools.partial(self.channel_layer.receive, self.channel_name)
        self.base_send = send
        self.transport = fanout.direct_writer(send)

        async def pump(source: Callable[[], Awaitable[dict[str, Any]]]) -> None:
            while True:
                message = await source()
                async with self.turn:
                    await self.dispatch(message)

        pumps = [
            asyncio.ensure_future(pump(receive)),
            asyncio.ensure_future(pump(self.channel_receive)),
            asyncio.ensure_future(self.drain_backlog()),
        ]
        try:
            done, _pending = await asyncio.wait(pumps, return_when=asyncio.FIRST_EXCEPTION)
            for task in done:
                if not isinstance(task.exception(), StopConsumer):
                    task.result()  # raises what went wrong
        finally:
            for task in pumps:
                task.cancel()
            await asyncio.gather(*pumps, return_exceptions=True)

    async def connect(self) -> None:
        self.user = self.scope.get("user")
        if self.user is None or not self.user.is_authenticated:
            await self.close(code=4401)
            return
        if not liveness.accepting():  # the channel layer is down: elsewhere, or later
            await self.accept()
            await self.close(code=liveness.LAYER_LOST)
            return
        if not limits.ACCOUNTS.open(user_id=self.user.pk, socket=self):
            await self.accept()
            await self._end(
                TOO_MANY_SOCKETS,
                "too_many_sockets",
                gettext_lazy("Too many open connections for this account. Close another tab."),
            )
            return
        self.positions: dict[int, int] = {}  # group id -> last event id sent
        self.language = _language(self.scope)
        self.text_key = text_key(self.language)
        self.fallback_key = text_key(settings.LANGUAGE_CODE)
        self.handlers = {"subscribe": self._subscribe} | {
            name: self._post(function) for name, function in handlers.POSTS.items()
        }
        await self.channel_layer.group_add(user_channel(self.user.pk), self.channel_name)
        await self.accept()
        metrics.SOCKETS_OPEN.inc()
        liveness.register(self)  # presence, heartbeats, and 1012 if the layer fails

    async def disconnect(self, code: int) -> None:
        """Clean up as far as possible: after a layer failure the layer may not answer, and
        presence rows that are left are removed at the next heartbeat tick."""
        if getattr(self, "positions", None) is None:
            return
        metrics.SOCKETS_OPEN.dec()
        liveness.unregister(self)
        for group_id in self.positions:
            fanout.fanout().leave(group_id, self)
        try:
            await database_sync_to_async(mark_absent)(channel_name=self.channel_name)
        except Exception:
            log.exception("Presence of a closed socket not removed: retried at the next tick")
            liveness.forget_later(channel_name=self.channel_name)
        with contextlib.suppress(Exception):
            await asyncio.wait_for(
                self.channel_layer.group_discard(user_channel(self.user.pk), self.channel_name),
                settings.LAYER_TIMEOUT_SECONDS,
            )

    async def websocket_disconnect(self, message: dict[str, Any]) -> None:
        user = getattr(self, "user", None)
        if user is not None and user.is_authenticated:
            limits.ACCOUNTS.close(user_id=user.pk, socket=self)
        await super().websocket_disconnect(message)

    # --- what the client sends -------------------------------------------------------

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        """One frame: refuse binary and oversized ones (and close), take a token, read the
        JSON safely, then validate and run it (receive_json)."""
        if self.closed:
            return  # it arrived before the close: not run
        if text_data is None:
            await self._end(
                UNSUPPORTED_DATA, "binary", gettext_lazy("Only text messages are accepted.")
            )
            return
        if _too_big(text_data):
            await self._end(MESSAGE_TOO_BIG, "too_big", gettext_lazy("This message is too big."))
            return
        try:
            content: dict[str, Any] | None = protocol.parse(text_data)
        except protocol.BadJson:
            content = None
        ref = protocol.ref_of(content)
        if not limits.take(self.bucket, limits.ACCOUNTS.bucket(user_id=self.user.pk)):
            message = gettext_lazy("Too many messages at once. Wait a moment and try again.")
            await self.send_json({**self._error("rate_limited", message), "ref": ref})
            return
        if content is None:
            message = gettext_lazy("This message cannot be read: send one JSON object.")
            await self.send_json({**self._error("bad_json", message), "ref": None})
            return
        await self.receive_json(content)

    async def receive_json(self, content: dict[str, Any], **kwargs: Any) -> None:
        ref = protocol.ref_of(content)
        try:
            frame = protocol.validate(content)
        except ValidationError as error:
            if protocol.is_unknown_type(error):
                refusal = self._error("unknown_type", gettext_lazy("Unknown message type."))
            else:
                refusal = self._error("bad_request", gettext_lazy("Malformed message."))
            await self.send_json({**refusal, "ref": ref})
            return
        handler: Callable[[Any], Awaitable[dict[str, Any] | None]] = self.handlers[frame.type]
        reply: dict[str, Any] | None
        try:
            reply = await handler(frame)
        except ActionError as error:  # messages were translated in the database thread
            reply = {"type": "error", "code": error.code, "message": error.message}
        except Http404:
            reply = self._error("not_found", gettext_lazy("Not found."))
        except PermissionDenied:
            reply = self._error("forbidden", gettext_lazy("You may not do this."))
        except OSError:
            raise  # the client went away (uvicorn's ClientDisconnected)
        except Exception:  # a bug: log it, keep the socket
            log.exception("socket frame %r failed", frame.type)
            reply = self._error("server_error", gettext_lazy("Something went wrong. Try again."))
        if reply is not None:
            await self.send_json({**reply, "ref": ref})

    # --- what the server sends ---------------------------------------------------------

    async def send(
        self, text_data: str | None = None, bytes_data: bytes | None = None, close: bool = False
    ) -> None:
        """Nothing after the close: uvicorn raises on a frame sent after it."""
        if not self.closed:
            await super().send(text_data=text_data, bytes_data=bytes_data, close=close)

    async def close(self, code: int | None = None, reason: str | None = None) -> None:
        if not self.closed:
            self.closed = True
            await super().close(code=code, reason=reason)

    async def _end(self, code: int, error: str, message: "str | StrPromise") -> None:
        """Say why in the socket's language, then close with `code`."""
        if not self.closed:
            with translation.override(getattr(self, "language", None) or _language(self.scope)):
                await self.send_json({"type": "error", "code": error, "message": str(message)})
            await self.close(code=code)

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
    ) -> Callable[[protocol.Post], Awaitable[dict[str, Any]]]:
        async def run(frame: protocol.Post) -> dict[str, Any]:
            result = await self._in_language(function)(user=self.user, frame=frame)
            return {"type": "ok", **result}

        return run

    async def _subscribe(self, frame: protocol.Subscribe) -> None:
        """Without `since`: live from now on.  With `since`: first what came after it, at
        most REPLAY_LIMIT events; `"more": true` asks the client to subscribe again with
        since=position.  Until then the group is "behind": its live events are not forwarded
        (the next page brings them from the database)."""
        group_id = frame.group
        # Join first, then read where to start and replay from there (one trip to the
        # database): whatever is published meanwhile waits in the backlog until this frame
        # is done (the consumer runs one message at a time) and is de-duplicated by id.
        joined = group_id not in self.positions
        await fanout.fanout().join(group_id, self)
        try:
            start, seq, missed = await self._in_language(handlers.open_stream)(
                user=self.user,
                group_id=group_id,
                channel_name=self.channel_name,
                since=frame.since,
                limit=handlers.REPLAY_LIMIT + 1,
            )
        except BaseException:
            if joined:  # not a reader (404) or it failed: not subscribed
                fanout.fanout().leave(group_id, self)
            raise
        self.positions[group_id] = start
        self.behind.discard(group_id)
        page = missed[: handlers.REPLAY_LIMIT]
        for message in page:
            await self._deliver(message)
        if page:
            seq = page[-1]["seq"]
        more = len(missed) > len(page)
        if more:
            self.behind.add(group_id)
        await self.send_json(
            {
                "type": "subscribed",
                "group": group_id,
                "position": self.positions[group_id],
                "seq": seq,
                "more": more,
                "ref": frame.ref,
            }
        )
        pacing.settle(self.scope)  # the next socket of a reconnect storm may open

    def beat(self, frame: bytes) -> bool:
        """A heartbeat (liveness.Monitor.beat: the latest event id and seq of each
        subscribed group, from the database, every HEARTBEAT_SECONDS) written now when
        nothing is in its way; False: send it with send_text.  A client that is behind
        resubscribes with since=."""
        if self.closed:
            return True
        if self.turn.locked() or self.backlog:
            return False
        transport = self._writable()
        if transport is None:
            return False
        transport.write(frame)
        return True

    async def send_text(self, text: str) -> None:
        async with self.turn:
            await self.send(text_data=text)

    async def keep_groups(self) -> None:
        """Renew this socket's channel-layer group membership (layers drop them after a
        day); liveness calls it once a minute (and fanout's for the groups)."""
        await self.channel_layer.group_add(user_channel(self.user.pk), self.channel_name)

    def _is_new(self, *, group_id: int, event_id: int) -> bool:
        """Whether to send this event: subscribed (not revoked) and not sent before."""
        last = self.positions.get(group_id)
        if last is None or event_id <= last or group_id in self.behind:
            return False
        self.positions[group_id] = event_id
        return True

    async def _deliver(self, message: dict[str, Any]) -> None:
        if self._is_new(group_id=message["group"], event_id=message["id"]):
            await self.send_json(message)

    def push(self, event: dict[str, Any]) -> None:
        """A stream event from the fan-out: written now when nothing is in its way (no
        message being handled, nothing waiting before it, the client reading), else it
        waits in the backlog.  A full backlog (a client that stopped reading) drops it: the
        next heartbeat tells the client to replay."""
        if self.closed:
            return
        if not self.turn.locked() and not self.backlog:
            transport = self._writable()
            if transport is not None:
                if self._is_new(group_id=event["group"], event_id=event["id"]):
                    transport.write(fanout.frame(self._text(event)))
                return
        if len(self.backlog) < BACKLOG:
            self.backlog.append(event)
            self.backlog_waits.set()

    async def drain_backlog(self) -> None:
        while True:
            await self.backlog_waits.wait()
            async with self.turn:
                while self.backlog:
                    await self.stream_event(self.backlog[0])
                    self.backlog.popleft()
                self.backlog_waits.clear()

    def _writable(self) -> Any:
        """The transport to write a prepared frame to now, or None (fanout.direct_writer)."""
        return self.transport() if self.transport is not None else None

    def _text(self, event: dict[str, Any]) -> str:
        """The event's text in this socket's language, as it was encoded once for all."""
        text: str = event.get(self.text_key) or event[self.fallback_key]
        return text

    # --- channel layer messages ------------------------------------------------------

    async def dispatch(self, message: dict[str, Any]) -> None:
        """Stream events touch no database: skip Channels' per-message connection cleanup
        (and its hop to the database thread) for them."""
        if message["type"] == "stream.event":
            await self.stream_event(message)
        else:
            await super().dispatch(message)

    async def stream_event(self, event: dict[str, Any]) -> None:
        """A stream event from the backlog."""
        if self._is_new(group_id=event["group"], event_id=event["id"]) and not self.closed:
            transport = self._writable()
            if transport is not None:
                transport.write(fanout.frame(self._text(event)))
            else:
                await self.base_send({"type": "websocket.send", "text": self._text(event)})

    async def socket_notice(self, event: dict[str, Any]) -> None:
        """A message for this person only (realtime.actions.notify_sockets), in this
        socket's language."""
        if not self.closed:
            text = event.get(self.text_key) or event[self.fallback_key]
            await self.base_send({"type": "websocket.send", "text": text})

    async def access_revoked(self, event: dict[str, Any]) -> None:
        group_id = event["group"]
        if self.positions.pop(group_id, None) is not None:
            fanout.fanout().leave(group_id, self)
            await database_sync_to_async(mark_absent)(
                channel_name=self.channel_name, group_id=group_id
            )
            await self.send_json({"type": "revoked", "group": group_id})

    async def session_ended(self, event: dict[str, Any]) -> None:
        """The person logged out, changed the password, was deactivated or deleted, or lost
        a verification: close (4401).  `only`/`keep` name a session by its tag."""
        session_key = getattr(self.scope.get("session"), "session_key", None)
        tag = session_tag(session_key) if session_key else ""
        if event.get("only") is not None and event["only"] != tag:
            return
        if event.get("keep") is not None and event["keep"] == tag:
            return
        await self._end(
            SESSION_ENDED, "session_ended", gettext_lazy("Your session has ended. Log in again.")
        )


def _too_big(text: str) -> bool:
    limit = protocol.MAX_FRAME_BYTES
    return len(text) > limit or (len(text) * 4 > limit and len(text.encode()) > limit)


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
