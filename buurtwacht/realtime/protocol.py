"""What a client may send over the stream socket, and how a frame is read.

A text frame is parsed as JSON without surprises (no NaN/Infinity, no number too big for a
database id, nesting bounded by the interpreter's recursion limit) and must be an object.
The object is then validated as one of the frame models below, chosen by its "type".  Every
model forbids fields it does not know and bounds what it takes: ids are strict integers in
the range of a database id, strings have a maximum length.  The rules (who may post, how long
a chat message may be, what a client id looks like) stay with the actions, so a socket and an
HTTP client get the same refusal for the same mistake; these bounds only keep garbage out.
"""

import json
import math
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, model_validator

from buurtwacht.alerts.models import AckKind, CallChannel, Outcome
from buurtwacht.alerts.schemas import AlertIn

MAX_FRAME_BYTES = 64 * 1024  # a text frame above this is refused (close 1009)
MAX_ID = 2**63 - 1  # a database id (bigint)
MAX_DIGITS = 20  # len(str(MAX_ID)) is 19: anything longer is no id and no coordinate

Id = Annotated[int, Field(strict=True, ge=1, le=MAX_ID)]
Position = Annotated[int, Field(strict=True, ge=0, le=MAX_ID)]
# Generous on purpose: the actions say in Dutch what is too long (64 characters for a client
# id, 2000 for a text); the frame size bounds the rest.
ClientId = Annotated[str, Field(max_length=256)]
Text = Annotated[str, Field(max_length=10_000)]
Ref = Annotated[str, Field(max_length=128)] | Annotated[int, Field(strict=True, ge=0, le=MAX_ID)]


class Frame(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    ref: Ref | None = None  # echoed in the reply


class Subscribe(Frame):
    """Without `since`: live from now on.  With `since`: first what came after it."""

    type: Literal["subscribe"]
    group: Id
    since: Position | None = None


class PostAlert(Frame):
    type: Literal["post_alert"]
    group: Id
    client_id: ClientId = ""
    alert: AlertIn  # the HTTP API's schema; its client_id is the frame's
    confirm_language: bool = False  # post anyway after a language warning (R-RUL-3)

    @model_validator(mode="before")
    @classmethod
    def _client_id_into_alert(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("alert"), dict):
            client_id = data.get("client_id", "")
            return {**data, "alert": {**data["alert"], "client_id": client_id}}
        return data


class Claim(Frame):
    type: Literal["claim"]
    alert: Id
    channel: CallChannel = CallChannel.EMERGENCY


class Update(Frame):
    type: Literal["update"]
    alert: Id
    client_id: ClientId = ""
    text: Text = ""
    confirm_language: bool = False  # post anyway after a language warning (R-RUL-3)


class Ack(Frame):
    type: Literal["ack"]
    alert: Id
    kind: AckKind


class Close(Frame):
    type: Literal["close"]
    alert: Id
    outcome: Outcome


class Chat(Frame):
    type: Literal["chat"]
    group: Id
    client_id: ClientId = ""
    text: Text = ""
    confirm_language: bool = False  # post anyway after a language warning (R-RUL-3)


ClientFrame = Annotated[
    Subscribe | PostAlert | Claim | Update | Ack | Close | Chat, Field(discriminator="type")
]
Post = PostAlert | Claim | Update | Ack | Close | Chat
_FRAMES: TypeAdapter[ClientFrame] = TypeAdapter(ClientFrame)


class BadJson(ValueError):
    """Not a JSON object we read: invalid JSON, NaN/Infinity, a huge number, nesting deeper
    than the recursion limit, or an array/string/number instead of an object."""


def _no_constant(name: str) -> Any:
    raise BadJson(f"{name} is not JSON")


def _finite_float(text: str) -> float:
    value = float(text)
    if len(text) > 64 or not math.isfinite(value):
        raise BadJson("number out of range")
    return value


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_DIGITS:
        raise BadJson("number out of range")
    return int(text)


def parse(text: str) -> dict[str, Any]:
    """The frame's JSON object, or BadJson."""
    try:
        content = json.loads(
            text, parse_constant=_no_constant, parse_float=_finite_float, parse_int=_bounded_int
        )
    except (ValueError, RecursionError) as error:  # JSONDecodeError is a ValueError
        raise BadJson(str(error)) from error
    if not isinstance(content, dict):
        raise BadJson("not an object")
    return content


def ref_of(content: dict[str, Any] | None) -> str | int | None:
    """The frame's "ref" when it is one we may echo (also for a frame we refuse)."""
    ref = content.get("ref") if content is not None else None
    if isinstance(ref, str) and len(ref) <= 128:
        return ref
    if isinstance(ref, int) and not isinstance(ref, bool) and 0 <= ref <= MAX_ID:
        return ref
    return None


def validate(content: dict[str, Any]) -> Subscribe | Post:
    """The typed frame, or pydantic's ValidationError."""
    return _FRAMES.validate_python(content)


def is_unknown_type(error: ValidationError) -> bool:
    """Whether validation failed on "type" itself (missing or not one we know)."""
    return any(e["type"] in {"union_tag_invalid", "union_tag_not_found"} for e in error.errors())
