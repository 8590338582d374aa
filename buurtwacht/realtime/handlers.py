"""What a socket message means: parse it, call the action (which passes the access gate),
and say what happened.  Sync functions, run by the consumer in the database thread."""

from collections.abc import Callable
from typing import Any

from buurtwacht.accounts.models import User
from buurtwacht.alerts import actions as alert_actions
from buurtwacht.alerts.models import AckKind, CallChannel, Outcome
from buurtwacht.api.schemas import AlertIn
from buurtwacht.chat import actions as chat_actions
from buurtwacht.groups.access import access_group
from buurtwacht.groups.policy import Action

from .actions import mark_present
from .models import Event
from .present import present_events
from .selectors import stream_position


def subscribe(*, user: User, group_id: int, channel_name: str) -> int:
    """Passes the gate for reading (or raises Http404), marks the socket present (no push
    while it lives) and returns the stream's last position."""
    access_group(user=user, group_id=group_id, action=Action.READ)
    mark_present(user_id=user.pk, group_id=group_id, channel_name=channel_name)
    return stream_position(group_id=group_id)


def events_since(
    *, user: User, group_id: int, since: int | None, limit: int | None = None
) -> list[dict[str, Any]]:
    """The events after `since`, oldest first (the first `limit` of them), as the user
    sees them.  Without `since`: the latest `limit` events, still oldest first."""
    group = access_group(user=user, group_id=group_id, action=Action.READ).group
    events = Event.objects.filter(group_id=group_id)
    if since is None:
        found = list(events.order_by("-id")[:limit])[::-1]
    else:
        found = list(events.filter(id__gt=since).order_by("id")[:limit])
    return present_events(group=group, events=found)


def post_alert(*, user: User, content: dict[str, Any]) -> dict[str, Any]:
    alert, created = alert_actions.post_alert(
        user=user,
        group_id=int(content["group"]),
        draft=AlertIn.model_validate(
            {**content["alert"], "client_id": str(content.get("client_id", ""))}
        ).draft(),
    )
    return {"alert": alert.pk, "created": created}


def claim(*, user: User, content: dict[str, Any]) -> dict[str, Any]:
    result = alert_actions.claim_call(
        user=user,
        alert_id=int(content["alert"]),
        channel=CallChannel(content.get("channel", "112")),
    )
    return {"alert": int(content["alert"]), "won": result.won}


def update(*, user: User, content: dict[str, Any]) -> dict[str, Any]:
    item, created = alert_actions.add_update(
        user=user,
        alert_id=int(content["alert"]),
        client_id=str(content.get("client_id", "")),
        text=str(content.get("text", "")),
    )
    return {"update": item.pk, "created": created}


def ack(*, user: User, content: dict[str, Any]) -> dict[str, Any]:
    added = alert_actions.acknowledge(
        user=user, alert_id=int(content["alert"]), kind=AckKind(content["kind"])
    )
    return {"alert": int(content["alert"]), "added": added}


def close(*, user: User, content: dict[str, Any]) -> dict[str, Any]:
    alert = alert_actions.close_alert(
        user=user, alert_id=int(content["alert"]), outcome=Outcome(content["outcome"])
    )
    return {"alert": alert.pk, "outcome": alert.outcome}


def chat(*, user: User, content: dict[str, Any]) -> dict[str, Any]:
    message, created = chat_actions.post_chat(
        user=user,
        group_id=int(content["group"]),
        client_id=str(content.get("client_id", "")),
        text=str(content.get("text", "")),
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
