"""Text and times from outside, checked the same way on every path (forms, API, socket) and
on both databases: PostgreSQL refuses a NUL byte and years before 1 AD, SQLite stores both,
and a line break in a name breaks every e-mail header it ends up in."""

import datetime as dt
import re

from django.utils.translation import gettext as _

from .errors import ActionError

# C0 control characters and DEL, except tab, line feed and carriage return.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_LINE_BREAK = re.compile(r"[\r\n\x85\u2028\u2029]")
EARLIEST = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)  # nothing we keep happened before


def clean_text(value: str, *, code: str, single_line: bool = False) -> str:
    """`value` stripped; refused (ActionError `code`) when it holds a control character,
    or a line break where one line is asked (names, client ids, description fields)."""
    value = (value or "").strip()
    if _CONTROL.search(value) or (single_line and _LINE_BREAK.search(value)):
        raise ActionError(
            code,
            _(
                "This text contains characters that cannot be stored (control characters, "
                "or a line break where one line is asked). Remove them and try again."
            ),
        )
    return value


def check_moment(value: dt.datetime, *, code: str, now: dt.datetime) -> dt.datetime:
    """A time from outside: not before 2000, not more than five minutes in the future.
    Returned in UTC: a form gives local time, and adding hours to that counts on the wall
    clock (48 hours after Saturday noon would be Monday noon, 47 hours over the change to
    summer time)."""
    if value < EARLIEST:
        raise ActionError(code, _("This time lies too far in the past: check the date."))
    if value > now + dt.timedelta(minutes=5):
        raise ActionError(code, _("The time cannot be in the future."))
    return value.astimezone(dt.UTC)
