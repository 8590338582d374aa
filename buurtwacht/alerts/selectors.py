"""Reads for alerts: the state an alert event stores, and lists for pages.

The state holds ids and codes only (no names, no translated labels): what a reader sees is
made from it per reader, in the reader's language (realtime/present.py)."""

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, Min, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from buurtwacht.accounts.models import User
from buurtwacht.groups.models import Group

from .models import AckKind, Alert, AlertUpdate, CallChannel, Forward, ForwardStatus, PoliceCall

if TYPE_CHECKING:
    from buurtwacht.media.models import AlertPhoto


def _police_reports() -> Any:
    from buurtwacht.police.models import PoliceReport  # the police app builds on alerts

    return PoliceReport


def display_name(*, user: User | None, group: Group) -> str:
    """Members see a name or initials (the group's choice); never e-mail or address."""
    if user is None or user.deleted_at is not None or not user.name:
        return _("Deleted account")
    return user.initials if group.show_initials else user.name


def full_name(*, user: User | None) -> str:
    """The name as admins see it (log, register): "Deleted account" once it is gone."""
    if user is None or user.deleted_at is not None or not user.name:
        return _("Deleted account")
    return user.name


def _state(
    alert: Alert,
    *,
    calls: list[PoliceCall],
    updates: list[AlertUpdate],
    seen: int,
    going: int,
    photo: "AlertPhoto | None",
    reports: list[Any],
) -> dict[str, Any]:
    state = {
        "id": alert.pk,
        "kind": alert.kind,
        "what": alert.what,
        "street": alert.street_id,
        "lon": alert.lon,
        "lat": alert.lat,
        "seen_at": alert.seen_at.isoformat(),
        "direction": alert.direction,
        "person": alert.person,
        "vehicle": alert.vehicle,
        "author": alert.author_id,
        "created_at": alert.created_at.isoformat(),
        "calls": {c.channel: {"user": c.user_id, "at": c.created_at.isoformat()} for c in calls},
        "seen": seen,
        "going": going,
        "updates": [
            {"id": u.pk, "author": u.author_id, "text": u.text, "at": u.created_at.isoformat()}
            for u in updates
        ],
        "closed": alert.closed_at is not None,
        "outcome": alert.outcome,
        "origin": alert.origin or None,
        "hidden": alert.hidden_at is not None,
        "hidden_reason": alert.hidden_reason,
        # R-RUL-6: the photo's id and why it is there, never its bytes (present.py adds
        # the address it is served at, to readers, while it has not expired).
        "photo": None
        if photo is None
        else {"id": photo.pk, "reason": photo.reason, "reason_text": photo.reason_text},
        "reports": [_report(r) for r in reports],
    }
    if alert.hidden_at is not None:  # hidden by an admin: the content leaves the stream
        state.update(
            what="", person={}, vehicle={}, updates=[], lon=None, lat=None, reports=[], photo=None
        )
    return state


def _photo_of(alert: Alert) -> "AlertPhoto | None":
    try:
        return alert.photo  # type: ignore[attr-defined, no-any-return]
    except ObjectDoesNotExist:
        return None


def _iso(moment: dt.datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def _report(report: Any) -> dict[str, Any]:
    """A police report on the alert (R-FUP-1), ids and codes only."""
    return {
        "id": report.pk,
        "reporter": report.reporter_id,
        "at": report.reported_at.isoformat(),
        "channel": report.channel,
        "number": report.number,
        "group_mentioned": report.group_mentioned,
        "feedback": report.feedback,
        "feedback_by": report.feedback_by_id,
        "feedback_at": _iso(report.feedback_at),
        "wijkagent_called_at": _iso(report.wijkagent_called_at),
    }


def alert_state(*, alert: Alert, new: bool = False) -> dict[str, Any]:
    """The alert's full current state.  `new`: just created, so nothing hangs off it yet."""
    if new:
        photo = _photo_of(alert) if Alert.photo.is_cached(alert) else None  # type: ignore[attr-defined]
        return _state(alert, calls=[], updates=[], seen=0, going=0, photo=photo, reports=[])
    [state] = alert_states(alerts=Alert.objects.filter(pk=alert.pk))
    return state


def alert_states(*, alerts: QuerySet[Alert]) -> list[dict[str, Any]]:
    """The states of many alerts in four queries, however many alerts there are."""
    from buurtwacht.media.models import AlertPhoto

    photos = AlertPhoto.objects.only("id", "alert_id", "reason", "reason_text")
    found = alerts.annotate(
        seen_count=Count("acknowledgements", filter=Q(acknowledgements__kind=AckKind.SEEN)),
        going_count=Count("acknowledgements", filter=Q(acknowledgements__kind=AckKind.GOING)),
    ).prefetch_related(
        Prefetch("police_calls", queryset=PoliceCall.objects.order_by("id")),
        Prefetch(
            "updates",
            queryset=AlertUpdate.objects.filter(hidden_at__isnull=True).order_by(
                "created_at", "id"
            ),
        ),
        Prefetch("photo", queryset=photos),
        Prefetch(
            "police_reports", queryset=_police_reports().objects.order_by("reported_at", "id")
        ),
    )
    return [
        _state(
            alert,
            calls=list(alert.police_calls.all()),
            updates=list(alert.updates.all()),
            seen=alert.seen_count,  # type: ignore[attr-defined]
            going=alert.going_count,  # type: ignore[attr-defined]
            photo=_photo_of(alert),
            reports=list(getattr(alert, "police_reports").all()),  # noqa: B009 (prefetched)
        )
        for alert in found
    ]


PAGE_SIZE = 20


def alert_page(*, group: Group, before: int | None = None) -> tuple[QuerySet[Alert], bool]:
    """The group's latest PAGE_SIZE alerts (those older than alert `before`), newest first,
    and whether there are older ones."""
    alerts = Alert.objects.filter(group=group, hidden_at__isnull=True)
    if before is not None:
        alerts = alerts.filter(pk__lt=before)
    ids = list(alerts.order_by("-id").values_list("id", flat=True)[: PAGE_SIZE + 1])
    page = Alert.objects.filter(pk__in=ids[:PAGE_SIZE]).order_by("-id")
    return page, len(ids) > PAGE_SIZE


def forward_summary(*, alert: Alert, keep_plate: bool) -> dict[str, Any]:
    """What a neighbouring group's admins get of an alert (R-ADJ-1): kind, street,
    direction, time, whether 112 was called; ids and codes only.  Never the author, the
    free text, a person description or a photo; the plate only when the admin keeps it."""
    summary: dict[str, Any] = {
        "kind": alert.kind,
        "street": alert.street_id,
        "direction": alert.direction,
        "seen_at": alert.seen_at.isoformat(),
        "called_112": alert.police_calls.filter(channel=CallChannel.EMERGENCY).exists()
        or bool(alert.origin.get("called_112")),
    }
    if keep_plate and alert.vehicle.get("plate"):
        summary["plate"] = alert.vehicle["plate"]
        summary["plate_kind"] = alert.vehicle.get("plate_kind", "")
    return summary


def waiting_forwards(*, group: Group) -> list[Forward]:
    """Neighbouring groups' warnings this group's admins have not decided on, newest first."""
    return list(
        Forward.objects.filter(to_group=group, status=ForwardStatus.PENDING)
        .select_related("from_group")
        .order_by("-created_at", "-id")[:50]
    )


def forwards_sent(*, alert_ids: list[int]) -> dict[int, dict[str, Any]]:
    """R-ADJ-1, the trace on the admins' card: per alert, to how many neighbouring groups
    it was sent and when first ({"count", "at"})."""
    rows = (
        Forward.objects.filter(alert_id__in=alert_ids)
        .values("alert_id")
        .annotate(count=Count("id"), at=Min("created_at"))
    )
    return {row["alert_id"]: {"count": row["count"], "at": row["at"]} for row in rows}
