"""What a socket message means: given the frame as protocol.py validated it, call the
action (which passes the access gate) and say what happened.  Sync functions, run by the
consumer in the database thread."""

from collections.abc import Callable
from typing import Any

from buurtwacht.accounts.models import User
from buurtwacht.alerts import actions as alert_actions
from buurtwacht.chat import actions as chat_actions
from buurtwacht.groups.access import access_group
from buurtwacht.groups.policy import Action

from . import protocol
from .actions import mark_present
from .models import Event
from .present import present_events
from .selectors import stream_head

REPLAY_LIMIT = 100  # events per replay page; the client asks again for the rest


def open_stream(
    *, user: User, group_id: int, channel_name: str, since: int | None, limit: int
) -> tuple[int, int, list[dict[str, Any]]]:
    """A subscription: passes the gate for reading (or raises Http404), marks the socket
    present (no push while it lives), and says where the stream starts for this socket --
    without `since` the group's latest event, with it `since` and the seq the client has
    there (0 before the group's first event) -- and what came after it, in one trip to the
    database thread: (position, seq, the first `limit` events after the position, as the
    user sees them)."""
    group = access_group(user=user, group_id=group_id, action=Action.READ).group
    mark_present(user_id=user.pk, group_id=group_id, channel_name=channel_name)
    if since is None:
        start, seq = stream_head(group_id=group_id)
    else:
        start, seq = since, stream_head(group_id=group_id, at=since)[1]
    found = list(Event.objects.filter(group_id=group_id, id__gt=start).order_by("id")[:limit])
    return start, seq, present_events(group=group, events=found)


def events_since(
    *, user: User, group_id: int, since: int | None, limit: int = REPLAY_LIMIT
) -> list[dict[str, Any]]:
    """The events after `since`, oldest first, as the user sees them: the first `limit`
    of them.  Without `since`: the latest `limit` events, still oldest first.  Never more
    than `limit`."""
    group = access_group(user=user, group_id=group_id, action=Action.READ).group
    events = Event.objects.filter(group_id=group_id)
    if since is None:
        found = list(events.order_by("-id")[:limit])[::-1]
    else:
        found = list(events.filter(id__gt=since).order_by("id")[:limit])
    return present_events(group=group, events=found)


def post_alert(*, user: User, frame: protocol.PostAlert) -> dict[str, Any]:
    alert, created = alert_actions.post_alert(
        user=user,
        group_id=frame.group,
        draft=frame.alert.draft(),
        confirm_language=frame.confirm_language or frame.alert.confirm_language,
    )
    return {"alert": alert.pk, "created": created}


def claim(*, user: User, frame: protocol.Claim) -> dict[str, Any]:
    result = alert_actions.claim_call(user=user, alert_id=frame.alert, channel=frame.channel)
    return {"alert": frame.alert, "won": result.won}


def update(*, user: User, frame: protocol.Update) -> dict[str, Any]:
    item, created = alert_actions.add_update(
        user=user,
        alert_id=frame.alert,
        client_id=frame.client_id,
        text=frame.text,
        confirm_language=frame.confirm_language,
    )
    return {"update": item.pk, "created": created}


def ack(*, user: User, frame: protocol.Ack) -> dict[str, Any]:
    added = alert_actions.acknowledge(user=user, alert_id=frame.alert, kind=frame.kind)
    return {"alert": frame.alert, "added": added}


def close(*, user: User, frame: protocol.Close) -> dict[str, Any]:
    alert = alert_actions.close_alert(user=user, alert_id=frame.alert, outcome=frame.outcome)
    return {"alert": alert.pk, "outcome": alert.outcome}


def chat(*, user: User, frame: protocol.Chat) -> dict[str, Any]:
    message, created = chat_actions.post_chat(
        user=user,
        group_id=frame.group,
        client_id=frame.client_id,
        text=frame.text,
        confirm_language=frame.confirm_language,
    )
    return {"message": message.pk, "created": created}


POSTS: dict[str, Callable[..., dict[str, Any]]] = {
    "post_alert": post_alert,
    "claim": claim,
    "update": update,
    "ack": ack,
    "close": close,
    "chat": chat,
}
