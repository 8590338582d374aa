"""Writing to the event stream and publishing after commit.

Actions call `record_event` inside their transaction; the event reaches connected clients
only once the transaction has committed (and never if it rolls back).
"""

import asyncio
import datetime as dt
import json
import logging
import time
from collections.abc import Callable
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from buurtwacht.core import clock, metrics
from buurtwacht.core.errors import ActionError
from buurtwacht.core.text import clean_text
from buurtwacht.groups.models import Group

from . import liveness
from .events import EVENT_TYPES
from .models import Event, Presence
from .present import Names, present_event

log = logging.getLogger(__name__)


def clean_client_id(value: str) -> str:
    """The client-generated id that makes a resend idempotent."""
    value = clean_text(value, code="client_id", single_line=True)
    if not value or len(value) > 64:
        raise ActionError("client_id", _("Every post needs a client id of at most 64 characters."))
    return value


def group_channel(group_id: int) -> str:
    return f"group.{group_id}"


def user_channel(user_id: int) -> str:
    return f"user.{user_id}"


def record_event(*, group: Group, type: str, payload: dict[str, Any]) -> Event:
    """Store one event in the caller's transaction; it is published after commit."""
    if type not in EVENT_TYPES:
        raise ValueError(f"unknown event type {type!r}")
    # Holding the group row until commit makes ids commit in order within a group, so a
    # client's `since=<last id>` never skips an event that committed late, and `seq` has
    # no holes.
    # (The floor: numbers of events deleted with expired content are never used again.)
    floor = (
        Group.objects.select_for_update()
        .filter(pk=group.pk)
        .values_list("event_seq_floor", flat=True)
        .first()
    ) or 0
    last = max(Event.objects.filter(group=group).aggregate(seq=Max("seq"))["seq"] or 0, floor)
    event = Event.objects.create(group=group, seq=last + 1, type=type, payload=payload)
    # Presented and encoded once per language here (a bad payload rolls the action back),
    # not once per socket: a socket sends the text of its language as it is.
    names = Names.of(group=group, payloads=[payload])
    wire: dict[str, Any] = {"id": event.pk, "group": group.pk, "seq": event.seq}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            wire[text_key(code)] = json.dumps(present_event(event, names))

    def publish() -> None:
        wire["published_at"] = time.time()  # the delivery lag is measured from here
        metrics.EVENTS_PUBLISHED.labels(type=type).inc()
        _send(group_channel(group.pk), "stream.event", wire)

    transaction.on_commit(publish)
    return event


def notify_sockets(*, user_ids: list[int], build: Callable[[], dict[str, Any]]) -> None:
    """After commit, send a message to these people's open sockets (not to a group's
    stream): `build()` makes it, once per language.  Used for what only some readers of a
    group may see, such as a neighbouring group's warning to its admins (R-ADJ-1); what
    a socket misses this way the page shows when it loads."""
    if not user_ids:
        return
    wire: dict[str, Any] = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            wire[text_key(code)] = json.dumps(build())

    def send() -> None:
        for user_id in user_ids:
            _send(user_channel(user_id), "socket.notice", wire)

    transaction.on_commit(send)


def text_key(language: str) -> str:
    """Where a published event carries its text in `language` (flat keys: the in-process
    layer copies flat messages cheaply)."""
    return f"text_{language}"


def revoke_access(*, user_id: int, group_id: int) -> None:
    """After commit, tell the person's open sockets to stop receiving this group."""
    transaction.on_commit(
        lambda: _send(user_channel(user_id), "access.revoked", {"group": group_id})
    )


def session_tag(session_key: str) -> str:
    """What names a session in channel-layer messages: a keyed hash, never the key itself
    (messages pass through Redis)."""
    return salted_hmac("buurtwacht.realtime.session", session_key).hexdigest()


def end_sockets(
    *, user_id: int, session_key: str | None = None, keep_session_key: str | None = None
) -> None:
    """After commit, close the person's open sockets with 4401 (session ended): all of them,
    or only those opened with `session_key` (a logout), or all but those of
    `keep_session_key` (a password change keeps the session that made it logged in, as
    Django does)."""
    message = {
        "only": session_tag(session_key) if session_key else None,
        "keep": session_tag(keep_session_key) if keep_session_key else None,
    }
    transaction.on_commit(lambda: _send(user_channel(user_id), "session.ended", message))


def _send(channel: str, kind: str, message: dict[str, Any]) -> None:
    """Publish after commit.  Never raises: the post has committed, so its caller hears
    success (a retry with the same client id finds the same row).  What did not get through
    is in the database: a client sees the gap in seq or a heartbeat ahead and replays it."""
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(_publish)(layer=layer, channel=channel, message={"type": kind, **message})
    except Exception as error:
        log.error(
            "Publishing to %s failed (%r); clients replay it from the database", channel, error
        )


async def _publish(*, layer: Any, channel: str, message: dict[str, Any]) -> None:
    try:
        await asyncio.wait_for(layer.group_send(channel, message), settings.LAYER_TIMEOUT_SECONDS)
    except Exception as error:
        # This process's layer is broken: liveness sends its sockets away to replay.
        liveness.layer_failed(reason=f"publishing to {channel}: {error!r}")
        raise


def forget_events(*, group: Group, alert_ids: list[int], message_ids: list[int]) -> int:
    """Retention: the events of deleted alerts and chat messages go with them.  Their
    numbers are not used again (the group's seq floor); a client replaying across them
    sees a gap it accepts (live.js).  Call with the group row locked."""
    from django.db.models import Q

    if not alert_ids and not message_ids:
        return 0
    events = Event.objects.filter(group=group).filter(
        Q(payload__alert__id__in=alert_ids) | Q(payload__message__id__in=message_ids)
    )
    highest = events.aggregate(seq=Max("seq"))["seq"] or 0
    if highest > group.event_seq_floor:
        Group.objects.filter(pk=group.pk, event_seq_floor__lt=highest).update(
            event_seq_floor=highest
        )
    return events.delete()[0]


def forget_photos(*, group: Group, alert_ids: list[int]) -> int:
    """Retention: the events of alerts whose photo expired no longer mention it (nor
    why it was taken)."""
    changed = 0
    for event in Event.objects.filter(group=group, payload__alert__id__in=alert_ids):
        if event.payload["alert"].get("photo") is not None:
            event.payload["alert"]["photo"] = None
            event.save(update_fields=["payload"])
            changed += 1
    return changed


# --- presence: who gets alerts live (and so needs no push) ------------------------------


def mark_present(*, user_id: int, group_id: int, channel_name: str) -> None:
    """The row lives as long as this server process renews it (liveness)."""
    Presence.objects.update_or_create(
        channel_name=channel_name,
        group_id=group_id,
        defaults={
            "user_id": user_id,
            "server": liveness.SERVER_ID,
            "expires_at": _presence_expiry(),
        },
    )


def renew_presence(*, server: str) -> int:
    """All rows of a living server process at once; those of one that died expire."""
    return Presence.objects.filter(server=server).update(expires_at=_presence_expiry())


def forget_expired_presence() -> int:
    return Presence.objects.filter(expires_at__lte=clock.now()).delete()[0]


def mark_absent(*, channel_name: str, group_id: int | None = None) -> None:
    rows = Presence.objects.filter(channel_name=channel_name)
    if group_id is not None:
        rows = rows.filter(group_id=group_id)
    rows.delete()


def _presence_expiry() -> dt.datetime:
    return clock.now() + dt.timedelta(seconds=settings.PRESENCE_SECONDS)
