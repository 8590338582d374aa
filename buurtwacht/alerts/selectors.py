"""Reads for alerts: the snapshot every alert event carries, and lists for pages."""

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from buurtwacht.accounts.models import User
from buurtwacht.groups.models import Group

from .models import AckKind, Alert, CallChannel


def display_name(*, user: User | None, group: Group) -> str:
    """Members see a name or initials (the group's choice); never e-mail or address."""
    if user is None or user.deleted_at is not None or not user.name:
        return _("Deleted account")
    return user.initials if group.show_initials else user.name


def alert_snapshot(*, alert: Alert, new: bool = False) -> dict[str, Any]:
    """The alert's full current state.  `new`: just created, so nothing hangs off it yet."""
    group = alert.group
    calls = {} if new else {c.channel: c for c in alert.police_calls.select_related("user")}
    acks = (
        {"seen": 0, "going": 0}
        if new
        else alert.acknowledgements.aggregate(
            seen=Count("id", filter=Q(kind=AckKind.SEEN)),
            going=Count("id", filter=Q(kind=AckKind.GOING)),
        )
    )

    def call(channel: str) -> dict[str, str] | None:
        found = calls.get(channel)
        if found is None:
            return None
        return {
            "by": display_name(user=found.user, group=group),
            "at": found.created_at.isoformat(),
        }

    return {
        "id": alert.pk,
        "kind": alert.kind,
        "kind_label": str(alert.get_kind_display()),
        "what": alert.what,
        "street": alert.street.name if alert.street else "",
        "lon": alert.lon,
        "lat": alert.lat,
        "seen_at": alert.seen_at.isoformat(),
        "direction": alert.direction,
        "person": alert.person,
        "vehicle": alert.vehicle,
        "by": display_name(user=alert.author, group=group),
        "created_at": alert.created_at.isoformat(),
        "call_112": call(CallChannel.EMERGENCY),
        "call_0900": call(CallChannel.POLICE_NON_EMERGENCY),
        "seen": acks["seen"],
        "going": acks["going"],
        "updates": [
            {
                "id": update.pk,
                "by": display_name(user=update.author, group=group),
                "text": update.text,
                "at": update.created_at.isoformat(),
            }
            for update in ([] if new else alert.updates.select_related("author"))
        ],
        "closed": alert.closed_at is not None,
        "outcome": alert.outcome,
        "outcome_label": str(alert.get_outcome_display()) if alert.outcome else "",
    }


def recent_alerts(*, group: Group, limit: int = 50) -> QuerySet[Alert]:
    return (
        Alert.objects.filter(group=group)
        .select_related("author", "street", "group")
        .order_by("-created_at")[:limit]
    )
