"""Typed event schemas: what a client receives over the WebSocket (and from the replay API).

Every event is `{"id": <stream position>, "group": <group id>, "type": ..., ...}`.  Alert
events carry the alert's full current state, so a client simply replaces what it has.
"""

from typing import Literal

from pydantic import BaseModel


class CallOut(BaseModel):
    by: str
    at: str  # ISO 8601


class UpdateOut(BaseModel):
    id: int
    by: str
    text: str
    at: str


class AlertOut(BaseModel):
    id: int
    kind: str
    kind_label: str
    what: str
    street: str
    lon: float | None
    lat: float | None
    seen_at: str
    direction: str
    person: dict[str, str]
    vehicle: dict[str, str]
    by: str
    created_at: str
    call_112: CallOut | None
    call_0900: CallOut | None
    seen: int
    going: int
    updates: list[UpdateOut]
    closed: bool
    outcome: str
    outcome_label: str


class ChatOut(BaseModel):
    id: int
    by: str
    text: str
    at: str


AlertEventType = Literal[
    "alert.created", "alert.claimed", "alert.updated", "alert.acknowledged", "alert.closed"
]


class AlertEvent(BaseModel):
    id: int
    group: int
    seq: int
    type: AlertEventType
    alert: AlertOut


class ChatEvent(BaseModel):
    id: int
    group: int
    seq: int
    type: Literal["chat.message"]
    message: ChatOut


StreamEvent = AlertEvent | ChatEvent
