"""Who is on the public register, and how big a group looks from outside.  Pure: no database.

R-REG-1: a group chooses whether it is listed.  ``auto`` (the default) lists a group once it
has at least ``LISTED_FROM_MEMBERS`` active members, so a group of one founder is not
announced to the whole country; ``listed`` and ``unlisted`` are the admin's explicit choice.
Listed groups are on the map, in the list, in the GeoJSON and in search results; an
unlisted group is on none of them (its public page still answers a direct link, which
its admins hand out themselves, e.g. on a flyer).
"""

from django.utils.translation import gettext as _

LISTED_FROM_MEMBERS = 3

# Sizes are shown as a range, never the exact count (upper bound exclusive).
SIZE_BANDS: tuple[tuple[int, int | None], ...] = (
    (0, 10),
    (10, 25),
    (25, 50),
    (50, 100),
    (100, 250),
    (250, None),
)


def is_listed(*, listing: str, active_members: int) -> bool:
    if listing == "listed":
        return True
    if listing == "unlisted":
        return False
    return active_members >= LISTED_FROM_MEMBERS


def size_band(active_members: int) -> tuple[int, int | None]:
    for low, high in SIZE_BANDS:
        if high is None or active_members < high:
            return low, high
    return SIZE_BANDS[-1]


def size_code(active_members: int) -> str:
    """'10-25', '<10', '250+': stable, for the API."""
    low, high = size_band(active_members)
    if low == 0:
        return f"<{high}"
    return f"{low}+" if high is None else f"{low}-{high}"


def size_label(active_members: int) -> str:
    """'10-25 leden' (with an en dash), for people."""
    low, high = size_band(active_members)
    if low == 0:
        return _("fewer than %(high)s members") % {"high": high}
    if high is None:
        return _("more than %(low)s members") % {"low": low}
    return _("%(low)s–%(high)s members") % {"low": low, "high": high}  # noqa: RUF001
