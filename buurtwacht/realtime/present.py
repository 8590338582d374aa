"""What a reader sees of a stored event.  Stored payloads hold ids and codes; here names
(as the group shows them, "Deleted account" once an account is gone) and labels in the
current language are added, when an event is sent and whenever it is replayed."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from buurtwacht.accounts.models import User
from buurtwacht.alerts.models import (
    PERSON_LABELS,
    PLATE_BELGIAN,
    PLATE_UNKNOWN_FORMAT,
    VEHICLE_LABELS,
    AlertKind,
    CallChannel,
    Direction,
    Forward,
    Outcome,
)
from buurtwacht.alerts.plates import PlateKind
from buurtwacht.alerts.selectors import display_name
from buurtwacht.geo.models import Street
from buurtwacht.groups.models import Group

from .events import FORWARD_NOTICE, STREAM_EVENT
from .models import Event


@dataclass(frozen=True)
class Names:
    """The people and streets a batch of payloads mentions, fetched in two queries."""

    group: Group
    users: dict[int, User]
    streets: dict[int, str]
    groups: dict[int, str]
    photos: set[int]  # of the photos mentioned, those not expired

    @classmethod
    def of(cls, *, group: Group, payloads: Iterable[dict[str, Any]]) -> "Names":
        user_ids: set[int] = set()
        street_ids: set[int] = set()
        group_ids: set[int] = set()
        photo_ids: set[int] = set()
        for payload in payloads:
            if "alert" in payload:
                alert = payload["alert"]
                if alert.get("origin"):
                    group_ids.add(alert["origin"]["group"])
                if alert.get("photo"):
                    photo_ids.add(alert["photo"]["id"])
                user_ids.add(alert["author"])
                user_ids.update(call["user"] for call in alert["calls"].values())
                user_ids.update(update["author"] for update in alert["updates"])
                for report in alert.get("reports", ()):
                    user_ids.add(report["reporter"])
                    if report["feedback_by"] is not None:
                        user_ids.add(report["feedback_by"])
                if alert["street"] is not None:
                    street_ids.add(alert["street"])
            if "message" in payload:
                user_ids.add(payload["message"]["author"])
        users = User.objects.only("name", "deleted_at").in_bulk(user_ids) if user_ids else {}
        streets = (
            dict(Street.objects.filter(pk__in=street_ids).values_list("pk", "name"))
            if street_ids
            else {}
        )
        groups = (
            dict(Group.objects.filter(pk__in=group_ids).values_list("pk", "name"))
            if group_ids
            else {}
        )
        from buurtwacht.media.selectors import shown_photo_ids

        photos = shown_photo_ids(group=group, ids=photo_ids)
        return cls(group=group, users=users, streets=streets, groups=groups, photos=photos)

    def person(self, user_id: int) -> str:
        return display_name(user=self.users.get(user_id), group=self.group)


def _label(choices: type[Any], value: str) -> str:
    return str(choices(value).label) if value in choices.values else value


def plate_note(kind: str) -> str:
    """'onbekend formaat' beside a plate in no known format, 'Belgische kenteken' beside a
    Belgian one, '' beside a Dutch one."""
    if kind == PlateKind.DUTCH:
        return ""
    if kind == PlateKind.BELGIAN:
        return str(PLATE_BELGIAN)
    return str(PLATE_UNKNOWN_FORMAT)


def present_photo(photo: dict[str, Any] | None, names: Names) -> dict[str, Any] | None:
    from buurtwacht.media.models import PhotoReason

    if photo is None or photo["id"] not in names.photos:
        return None
    return {
        "id": photo["id"],
        "url": reverse("alert_photo", args=[photo["id"]]),
        "thumbnail_url": reverse("alert_photo_thumbnail", args=[photo["id"]]),
        "reason": photo["reason"],
        "reason_label": _label(PhotoReason, photo["reason"]),
        "reason_text": photo["reason_text"],
    }


def present_alert(state: dict[str, Any], names: Names) -> dict[str, Any]:
    calls = state["calls"]

    def call(channel: str) -> dict[str, str] | None:
        found = calls.get(channel)
        return None if found is None else {"by": names.person(found["user"]), "at": found["at"]}

    vehicle = state["vehicle"]
    origin = state.get("origin")  # events stored before forwarding existed have none
    facts = [
        {"label": str(PERSON_LABELS[key]), "value": value}
        for key, value in state["person"].items()
        if key in PERSON_LABELS
    ] + [
        {
            "label": str(VEHICLE_LABELS[key]),
            "value": value,
            "note": plate_note(vehicle.get("plate_kind", "")) if key == "plate" else "",
        }
        for key, value in vehicle.items()
        if key in VEHICLE_LABELS
    ]
    return {
        "id": state["id"],
        "kind": state["kind"],
        "kind_label": _label(AlertKind, state["kind"]),
        "what": state["what"],
        "street": names.streets.get(state["street"], "") if state["street"] else "",
        "lon": state["lon"],
        "lat": state["lat"],
        "seen_at": state["seen_at"],
        "direction": state["direction"],
        "direction_label": _label(Direction, state["direction"]) if state["direction"] else "",
        "person": state["person"],
        "vehicle": vehicle,
        "facts": facts,
        "author": state["author"],
        "by": names.person(state["author"]),
        "created_at": state["created_at"],
        "call_112": call(CallChannel.EMERGENCY),
        "call_0900": call(CallChannel.POLICE_NON_EMERGENCY),
        "seen": state["seen"],
        "going": state["going"],
        "updates": [
            {"id": u["id"], "by": names.person(u["author"]), "text": u["text"], "at": u["at"]}
            for u in state["updates"]
        ],
        "closed": state["closed"],
        "outcome": state["outcome"],
        "outcome_label": _label(Outcome, state["outcome"]) if state["outcome"] else "",
        "forwarded_from": names.groups.get(origin["group"], "") if origin else "",
        "forwarded_called_112": bool(origin and origin.get("called_112")),
        "hidden": state.get("hidden", False),
        "hidden_reason": state.get("hidden_reason", ""),
        "photo": present_photo(state.get("photo"), names),  # events stored before photos
        "reports": [present_report(r, names) for r in state.get("reports", ())],
    }


def present_report(report: dict[str, Any], names: Names) -> dict[str, Any]:
    from buurtwacht.police.models import ReportChannel  # the police app builds on alerts

    feedback = None
    if report["feedback_at"] is not None:
        feedback = {
            "by": names.person(report["feedback_by"]),
            "at": report["feedback_at"],
            "text": report["feedback"],
        }
    return {
        "id": report["id"],
        "by": names.person(report["reporter"]),
        "at": report["at"],
        "channel": report["channel"],
        "channel_label": names.group.country.channel_label(report["channel"])
        if report["channel"] in ReportChannel.values
        else report["channel"],
        "number": report["number"],
        "group_mentioned": report["group_mentioned"],
        "feedback": feedback,
        "wijkagent_called": report["wijkagent_called_at"] is not None,
    }


def present_chat(state: dict[str, Any], names: Names) -> dict[str, Any]:
    return {**state, "by": names.person(state["author"])}


def present_event(event: Event, names: Names) -> dict[str, Any]:
    """The wire form of a stored event for the current language, checked against its
    schema (events.py)."""
    payload = event.payload
    if "alert" in payload:
        shown = {"alert": present_alert(payload["alert"], names)}
    else:
        shown = {"message": present_chat(payload["message"], names)}
    message = {"id": event.pk, "group": event.group_id, "seq": event.seq, "type": event.type}
    return STREAM_EVENT.validate_python(message | shown).model_dump(mode="json")


def present_events(*, group: Group, events: list[Event]) -> list[dict[str, Any]]:
    names = Names.of(group=group, payloads=[e.payload for e in events])
    return [present_event(e, names) for e in events]


def present_forwards(forwards: list[Forward]) -> list[dict[str, Any]]:
    """Forwarded warnings for the receiving admins, in the current language (streets in
    one query; `from_group` should be select_related)."""
    street_ids = {f.summary["street"] for f in forwards if f.summary.get("street")}
    streets = (
        dict(Street.objects.filter(pk__in=street_ids).values_list("pk", "name"))
        if street_ids
        else {}
    )
    return [
        {
            "id": f.pk,
            "to_group": f.to_group_id,
            "from_group": f.from_group.name,
            "kind": f.summary["kind"],
            "kind_label": _label(AlertKind, f.summary["kind"]),
            "street": streets.get(f.summary.get("street") or 0, ""),
            "direction": f.summary["direction"],
            "direction_label": _label(Direction, f.summary["direction"])
            if f.summary["direction"]
            else "",
            "seen_at": f.summary["seen_at"],
            "called_112": f.summary["called_112"],
            "plate": f.summary.get("plate", ""),
            "plate_note": plate_note(f.summary.get("plate_kind", ""))
            if f.summary.get("plate")
            else "",
            "status": f.status,
            "forwarded_at": f.created_at.isoformat(),
        }
        for f in forwards
    ]


def forward_notice(*, type: str, forward: dict[str, Any]) -> dict[str, Any]:
    """The wire form of a forward notice, checked against its schema (events.py)."""
    return FORWARD_NOTICE.validate_python({"type": type, "forward": forward}).model_dump(
        mode="json"
    )
