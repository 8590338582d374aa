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
    note: str = Field(
        "",
        description="A remark on the value in the reader's language, such as 'onbekend "
        "formaat' beside a licence plate in no known format; empty for none.",
    )


class Photo(_Out):
    """R-RUL-6: where the group's readers fetch the photo (through the access gate), and
    why it is necessary.  Never the bytes; gone once the group's photo retention ends."""

    id: int
    url: str
    thumbnail_url: str
    reason: str
    reason_label: str = Field(description="In the reader's language.")
    reason_text: str


class PoliceFeedback(_Out):
    by: str = Field(description="The wijkagent, as the group shows names.")
    at: str = Field(description="ISO 8601")
    text: str


class PoliceReportOut(_Out):
    """ "Ik heb dit bij de politie gemeld" (R-FUP-1)."""

    id: int
    by: str
    at: str = Field(description="When it was reported (ISO 8601).")
    channel: Literal["112", "0900-8844", "online"]
    channel_label: str
    number: str = Field(description="The police's report number; may be empty.")
    group_mentioned: bool
    feedback: PoliceFeedback | None
    wijkagent_called: bool = Field(description="After 48 hours: the wijkagent was called.")


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
    forwarded_from: str = Field(
        description="A repost of a neighbouring group's warning: that group's name; else empty."
    )
    forwarded_called_112: bool = Field(
        description="A repost: 112 was already called in the group it came from."
    )
    hidden: bool = Field(False, description="Hidden by an admin: remove it from view.")
    hidden_reason: str = Field("", description="Why (the author is shown this).")
    photo: Photo | None
    reports: list[PoliceReportOut] = Field(description="Reports to the police (R-FUP-1).")


class ChatOut(_Out):
    id: int
    author: int
    by: str
    text: str
    at: str
    hidden: bool = Field(False, description="Hidden by an admin: remove it from view.")
    hidden_reason: str = ""


class _Event(_Out):
    id: int = Field(description="The stream position: reconnect with since=<last id>.")
    group: int
    seq: int = Field(description="1, 2, 3, ... within the group: a number skipped is a gap.")


class AlertEvent(_Event):
    type: Literal[
        "alert.created",
        "alert.claimed",
        "alert.updated",
        "alert.acknowledged",
        "alert.closed",
        "alert.hidden",
        "alert.reported",
        "alert.police_feedback",
        "alert.followed_up",
    ]
    alert: AlertOut


class ChatEvent(_Event):
    type: Literal["chat.message", "chat.hidden"]
    message: ChatOut


StreamEvent = Annotated[AlertEvent | ChatEvent, Field(discriminator="type")]
STREAM_EVENT: TypeAdapter[AlertEvent | ChatEvent] = TypeAdapter(StreamEvent)
EVENT_TYPES = frozenset(
    AlertEvent.model_fields["type"].annotation.__args__  # type: ignore[union-attr]
) | {"chat.message", "chat.hidden"}


class ForwardOut(_Out):
    """A neighbouring group's warning, as its admins see it (R-ADJ-1): no names, no photos,
    no description; the plate only when the forwarding admin kept it."""

    id: int
    to_group: int
    from_group: str = Field(description="The name of the group that forwarded it.")
    kind: str
    kind_label: str
    street: str
    direction: str
    direction_label: str
    seen_at: str
    called_112: bool
    plate: str
    plate_note: str = Field("", description="As `Fact.note`: 'onbekend formaat' or empty.")
    status: str
    forwarded_at: str


class ForwardNotice(_Out):
    """Sent to each admin of the receiving group (to their own sockets, not the group's
    stream: members do not see it).  The page also lists waiting ones when it loads."""

    type: Literal["forward.received", "forward.decided"]
    forward: ForwardOut


FORWARD_NOTICE: TypeAdapter[ForwardNotice] = TypeAdapter(ForwardNotice)
