"""What the HTTP API takes and gives.  `AlertIn` (alerts/schemas.py) is how both the API
and the WebSocket read an alert: one parsing for both.

The schemas check form (types, required fields); the actions check the rules and say in
Dutch what to change.  Choice fields the actions check themselves (kind, direction) are
plain strings here whose allowed values the OpenAPI schema lists, so a socket and an HTTP
client get the same refusal for the same mistake.
"""

from typing import Any

from ninja import Field, Schema

from buurtwacht.alerts.models import AckKind, CallChannel, Outcome
from buurtwacht.alerts.schemas import CLIENT_ID
from buurtwacht.realtime.events import StreamEvent


class CallIn(Schema):
    channel: CallChannel = CallChannel.EMERGENCY


class UpdateIn(Schema):
    client_id: str = Field(..., description=CLIENT_ID)
    text: str
    confirm_language: bool = Field(
        False,
        description="Post anyway after a `language_warning` answer (the admins review it).",
    )


class AckIn(Schema):
    kind: AckKind


class CloseIn(Schema):
    outcome: Outcome


class ChatIn(Schema):
    client_id: str = Field(..., description=CLIENT_ID)
    text: str
    confirm_language: bool = Field(
        False,
        description="Post anyway after a `language_warning` answer (the admins review it).",
    )


# --- answers -------------------------------------------------------------------------


class EventsOut(Schema):
    events: list[StreamEvent]
    position: int = Field(..., description="The last event's id: pass it as `since` next time.")


class AlertPosted(Schema):
    alert: int
    created: bool = Field(..., description="False: a resend of an alert already made.")


class ClaimOut(Schema):
    won: bool = Field(..., description="False: someone else called first; `by` says who.")
    by: str
    at: str


class UpdatePosted(Schema):
    update: int
    created: bool


class AckOut(Schema):
    alert: int
    added: bool = Field(..., description="False: it was already there.")


class Closed(Schema):
    alert: int
    outcome: str


class ChatPosted(Schema):
    message: int
    created: bool


class PhotoPosted(Schema):
    alert: int
    photo: int


class ErrorOut(Schema):
    code: str = Field(..., description="Stable, for programs.")
    message: str = Field(..., description="For people, in the request's language.")


class InvalidOut(ErrorOut):
    detail: list[dict[str, Any]]
