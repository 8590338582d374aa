"""Filters for cards rendered from an event's wire form (times and map links as text)."""

import datetime as dt
from typing import Any

from django import template

from buurtwacht.core.clock import clock_stamp, clock_time

register = template.Library()


@register.filter
def clock(value: dt.datetime | str | None) -> str:
    """A moment (or an event's ISO 8601 time) as local HH:MM, what live.js shows for it."""
    return clock_time(value)


@register.filter
def stamp(value: dt.datetime | str | None) -> str:
    """Local HH:MM, with the date when it is not today (a chat message's time)."""
    return clock_stamp(value)


@register.filter
def map_url(alert: dict[str, Any]) -> str:
    """OpenStreetMap at the alert's point ("" without one)."""
    if alert.get("lat") is None or alert.get("lon") is None:
        return ""
    lat, lon = f"{alert['lat']:.6f}", f"{alert['lon']:.6f}"
    return f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=18/{lat}/{lon}"


@register.filter
def shown_as(user: Any, group: Any) -> str:
    """A person as the group shows them: name or initials, "Verwijderd account" once the
    account is deleted (alerts/selectors.display_name)."""
    from buurtwacht.alerts.selectors import display_name

    return display_name(user=user, group=group)


@register.filter
def person_name(user: Any) -> str:
    """A person's full name for the admins' pages; "Verwijderd account" once deleted."""
    from buurtwacht.alerts.selectors import full_name

    return full_name(user=user)


@register.filter
def audit_action(code: str) -> str:
    """An audit log action code as the admins read it (groups/audit.py)."""
    from buurtwacht.groups.audit import action_label

    return action_label(code)
