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
# Invisible characters a text is never stored with (R-RUL-3: a word cannot hide behind them):
# zero-width space, word joiner, BOM, soft hyphen, Mongolian vowel separator, the
# direction marks, embeddings, overrides and isolates.  Zero-width (non-)joiners and tag
# characters only where they join letters: between emoji they build one emoji (a family,
# the flag of Scotland).
_INVISIBLE = re.compile(
    "[\u00ad\u180e\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
)
_JOINER_IN_WORD = re.compile(r"(?<=\w)[\u200c\u200d]+|[\u200c\u200d]+(?=\w)")
_TAGS = re.compile("(?<![\U0001f3f4\U000e0020-\U000e007e])[\U000e0000-\U000e007f]+")
EARLIEST = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)  # nothing we keep happened before


def strip_invisible(value: str) -> str:
    """`value` without the characters a reader does not see (see `_INVISIBLE`)."""
    if value.isascii():
        return value
    return _TAGS.sub("", _JOINER_IN_WORD.sub("", _INVISIBLE.sub("", value)))


def clean_text(value: str, *, code: str, single_line: bool = False) -> str:
    """`value` stripped of invisible characters and spaces around; refused (ActionError
    `code`) when it holds a control character, or a line break where one line is asked
    (names, client ids, description fields)."""
    value = strip_invisible(value or "").strip()
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
