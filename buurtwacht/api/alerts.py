"""The alert channel and the chat over HTTP, for clients that cannot hold a socket: the same
operations as the WebSocket (realtime/handlers.py), through the same actions and so the
same access gate.  Each endpoint parses, calls one action and says what happened."""

from typing import Any

from django.http import Http404, HttpRequest
from ninja import File, Form, Query, Router, Schema, Status, UploadedFile
from ninja.errors import AuthenticationError
from pydantic import Field

from buurtwacht.accounts.models import User
from buurtwacht.alerts import actions as alert_actions
from buurtwacht.alerts.models import Alert
from buurtwacht.alerts.schemas import AlertIn
from buurtwacht.alerts.selectors import display_name
from buurtwacht.chat import actions as chat_actions
from buurtwacht.core.errors import ActionError
from buurtwacht.groups.access import access_group
from buurtwacht.groups.policy import Action
from buurtwacht.media.actions import PhotoDraft
from buurtwacht.media.images import ImageRejected, prepare_image
from buurtwacht.realtime import handlers, limits

from .schemas import (
    AckIn,
    AckOut,
    AlertPosted,
    CallIn,
    ChatIn,
    ChatPosted,
    ClaimOut,
    Closed,
    CloseIn,
    ErrorOut,
    EventsOut,
    InvalidOut,
    PhotoPosted,
    UpdateIn,
    UpdatePosted,
)

router = Router()

# Every endpoint may answer with these (see the exception handlers in urls.py).
ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: InvalidOut}
POST_ERRORS: dict[int, Any] = {400: ErrorOut, **ERRORS}
MAX_EVENTS = 500


def caller(request: HttpRequest) -> User:
    """The logged-in account (django_auth lets nobody else through)."""
    if not isinstance(request.user, User):
        raise AuthenticationError
    return request.user


def made(created: bool) -> int:
    """201 when the post made something, 200 when it was a resend (or already there)."""
    return 201 if created else 200


class EventsQuery(Schema):
    since: int | None = Field(None, ge=0, description="The last event id the client has.")
    limit: int = Field(100, ge=1, le=MAX_EVENTS)


@router.get(
    "/groups/{group_id}/events",
    response={200: EventsOut, 429: ErrorOut, **ERRORS},
    operation_id="events",
    tags=["stream"],
)
def events(request: HttpRequest, group_id: int, query: Query[EventsQuery]) -> dict[str, Any]:
    """The group's stream after `since`, in order (the replay a socket gets on subscribing).
    Without `since`: the latest `limit` events, oldest first.  Rate-limited like a
    socket's replay (the same bucket of the account): 429 with Retry-After."""
    user = caller(request)
    limits.ACCOUNTS.take_replay(user_id=user.pk, events=query.limit)
    found = handlers.events_since(
        user=user, group_id=group_id, since=query.since, limit=query.limit
    )
    position = found[-1]["id"] if found else (query.since or 0)
    return {"events": found, "position": position}


@router.post(
    "/groups/{group_id}/alerts",
    response={200: AlertPosted, 201: AlertPosted, **POST_ERRORS},
    operation_id="post_alert",
    tags=["alerts"],
)
def post_alert(request: HttpRequest, group_id: int, body: AlertIn) -> Status[dict[str, Any]]:
    alert, created = alert_actions.post_alert(
        user=caller(request),
        group_id=group_id,
        draft=body.draft(),
        confirm_language=body.confirm_language,
    )
    return Status(made(created), {"alert": alert.pk, "created": created})


@router.post(
    "/alerts/{alert_id}/calls",
    response={200: ClaimOut, 201: ClaimOut, **POST_ERRORS},
    operation_id="claim_call",
    tags=["alerts"],
)
def claim_call(request: HttpRequest, alert_id: int, body: CallIn) -> Status[dict[str, Any]]:
    """ "Ik bel 112": the first claim per channel wins; a later one learns who called."""
    result = alert_actions.claim_call(user=caller(request), alert_id=alert_id, channel=body.channel)
    call = result.call
    return Status(
        made(result.won),
        {
            "won": result.won,
            "by": display_name(user=call.user, group=call.alert.group),
            "at": call.created_at.isoformat(),
        },
    )


@router.post(
    "/alerts/{alert_id}/updates",
    response={200: UpdatePosted, 201: UpdatePosted, **POST_ERRORS},
    operation_id="add_update",
    tags=["alerts"],
)
def add_update(request: HttpRequest, alert_id: int, body: UpdateIn) -> Status[dict[str, Any]]:
    update, created = alert_actions.add_update(
        user=caller(request),
        alert_id=alert_id,
        client_id=body.client_id,
        text=body.text,
        confirm_language=body.confirm_language,
    )
    return Status(made(created), {"update": update.pk, "created": created})


@router.post(
    "/alerts/{alert_id}/photo",
    response={201: PhotoPosted, **POST_ERRORS},
    operation_id="add_photo",
    tags=["alerts"],
)
def add_photo(
    request: HttpRequest,
    alert_id: int,
    photo: File[UploadedFile],
    reason: Form[str],
    reason_text: Form[str],
) -> Status[dict[str, Any]]:
    """R-RUL-6: a photo on one's own open alert (multipart), with why it is necessary
    (`reason`: recognise_person, recognise_vehicle, damage or situation, and
    `reason_text`).
    Stored without metadata, only for the group's readers, deleted after the group's
    photo retention; never in a notification."""
    user = caller(request)
    group_id = Alert.objects.filter(pk=alert_id).values_list("group_id", flat=True).first()
    if group_id is None:
        raise Http404
    access = access_group(user=user, group_id=group_id, action=Action.POST_ALERT)  # first
    try:
        prepared = prepare_image(photo)
    except ImageRejected as exc:
        raise ActionError("photo", str(exc)) from exc
    alert = alert_actions.add_photo(
        user=user,
        alert_id=alert_id,
        draft=PhotoDraft(image=prepared, reason=reason, reason_text=reason_text),
        access=access,
    )
    return Status(201, {"alert": alert.pk, "photo": alert.photo.pk})  # type: ignore[attr-defined]


@router.post(
    "/alerts/{alert_id}/acknowledgements",
    response={200: AckOut, 201: AckOut, **POST_ERRORS},
    operation_id="acknowledge",
    tags=["alerts"],
)
def acknowledge(request: HttpRequest, alert_id: int, body: AckIn) -> Status[dict[str, Any]]:
    added = alert_actions.acknowledge(user=caller(request), alert_id=alert_id, kind=body.kind)
    return Status(made(added), {"alert": alert_id, "added": added})


@router.post(
    "/alerts/{alert_id}/close",
    response={200: Closed, **POST_ERRORS},
    operation_id="close_alert",
    tags=["alerts"],
)
def close_alert(request: HttpRequest, alert_id: int, body: CloseIn) -> dict[str, Any]:
    """By the author or an admin, with an outcome."""
    alert = alert_actions.close_alert(user=caller(request), alert_id=alert_id, outcome=body.outcome)
    return {"alert": alert.pk, "outcome": alert.outcome}


@router.post(
    "/groups/{group_id}/chat",
    response={200: ChatPosted, 201: ChatPosted, **POST_ERRORS},
    operation_id="post_chat",
    tags=["chat"],
)
def post_chat(request: HttpRequest, group_id: int, body: ChatIn) -> Status[dict[str, Any]]:
    message, created = chat_actions.post_chat(
        user=caller(request),
        group_id=group_id,
        client_id=body.client_id,
        text=body.text,
        confirm_language=body.confirm_language,
    )
    return Status(made(created), {"message": message.pk, "created": created})
