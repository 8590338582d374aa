"""The one place that asks what time it is, so tests can reason about dates, and the one way
a moment is shown to people: in the current time zone (settings.TIME_ZONE, Europe/Amsterdam),
never in UTC.  web/static/web/live.js shows the same for a moment that arrives live."""

import datetime as dt

from django.utils import formats, timezone
from django.utils.dateparse import parse_datetime


def now() -> dt.datetime:
    return timezone.now()


def today() -> dt.date:
    return timezone.localdate()


def _local(moment: dt.datetime | str | None) -> dt.datetime | None:
    """An aware datetime or an ISO 8601 string (as events carry them) in local time."""
    if isinstance(moment, str):
        moment = parse_datetime(moment)
    return timezone.localtime(moment) if moment else None


def clock_time(moment: dt.datetime | str | None) -> str:
    """'08:35': hours and minutes in local time ('' for no moment)."""
    local = _local(moment)
    return formats.time_format(local, "H:i") if local else ""


def clock_stamp(moment: dt.datetime | str | None) -> str:
    """'08:35' today, '3 maart 08:35' on another day: when a chat message was written."""
    local = _local(moment)
    if local is None:
        return ""
    if local.date() == today():
        return clock_time(local)
    return f"{formats.date_format(local, 'j F')} {clock_time(local)}"
