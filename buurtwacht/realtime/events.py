"""The one definition of what a client receives of the event stream: over the WebSocket,
from the replay API, and in the OpenAPI document.

Every event is `{"id": <stream position>, "group": <group id>, "seq": <1, 2, 3, ... within
the group>, "type": ..., ...}`.  Alert events carry the alert's full current state, so a
client simply replaces what it shows.  Names and labels are the reader's: the stored
payload holds ids and codes (present.py adds the rest when an event is sent or replayed).
"""

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Call(_Out):
    by: str = Field(description="Name or initials, as the group shows them.")
    at: str = Field(description="ISO 8601")


class Update(_Out):
    id: int
    by: str
    text: str
    at: str


class Fact(_Out):
    label: str = Field(description="In the reader's language.")
    value: str


class Photo(_Out):
    """R-RUL-6: where the group's readers fetch the photo (through the access gate), and
    why it is necessary.  Never the bytes; gone once the group's photo retention ends."""

    id: int
    url: str
    thumbnail_url: str
    reason: str
    reason_label: str = Field(description="In the reader's language.")
    reason_text: str


class AlertOut(_Out):
    id: int
    kind: str
    kind_label: str
    what: str
    street: str = Field(description="The street's name; empty when only a point was given.")
    lon: float | None
    lat: float | None
    seen_at: str
    direction: str
    direction_label: str
    person: dict[str, str]
    vehicle: dict[str, str]
    facts: list[Fact] = Field(description="Person and vehicle details with their labels.")
    author: int = Field(description="The author's user id (a client shows its own controls).")
    by: str
    created_at: str
    call_112: Call | None
    call_0900: Call | None
    seen: int
    going: int
    updates: list[Update]
    closed: bool
    outcome: str
    outcome_label: str
    photo: Photo | None


class ChatOut(_Out):
    id: int
    author: int
    by: str
    text: str
    at: str


class _Event(_Out):
    id: int = Field(description="The stream position: reconnect with since=<last id>.")
    group: int
    seq: int = Field(description="1, 2, 3, ... within the group: a number skipped is a gap.")


class AlertEvent(_Event):
    type: Literal[
        "alert.created", "alert.claimed", "alert.updated", "alert.acknowledged", "alert.closed"
    ]
    alert: AlertOut


class ChatEvent(_Event):
    type: Literal["chat.message"]
    message: ChatOut


StreamEvent = Annotated[AlertEvent | ChatEvent, Field(discriminator="type")]
STREAM_EVENT: TypeAdapter[AlertEvent | ChatEvent] = TypeAdapter(StreamEvent)
EVENT_TYPES = frozenset(
    AlertEvent.model_fields["type"].annotation.__args__  # type: ignore[union-attr]
) | {"chat.message"}
