"""Reads for the municipality dashboard: the groups of one municipality as the list shows
them.  Never a person: no admin's name or e-mail (the message form reaches them), no
alert's content; a group's size as a range."""

import datetime as dt
from dataclasses import dataclass

import shapely
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from buurtwacht.geo.models import AreaKind
from buurtwacht.geo.selectors import current_area
from buurtwacht.groups.models import Group, MembershipRole, MembershipStatus
from buurtwacht.groups.selectors import HealthAdvice, group_health, last_activity
from buurtwacht.signage.models import SignRequest
from buurtwacht.signage.selectors import latest_by_group

# (up to and including, from): a group's size is shown as one of these ranges.
SIZE_RANGES = ((9, 1), (25, 10), (50, 26), (100, 51))
DASH = "\u2013"  # en dash: "10\u201325"


def size_range(members: int) -> str:
    if members == 0:
        return "0"
    for upto, start in SIZE_RANGES:
        if members <= upto:
            return f"{start}{DASH}{upto}"
    return _("more than 100")


def municipality_name(code: str) -> str:
    area = current_area(kind=AreaKind.GEMEENTE, code=code)
    return area.name if area is not None else code


@dataclass(frozen=True)
class GroupLine:
    group: Group
    streets: list[str]
    size: str
    last_activity: dt.date
    sign_request: SignRequest | None
    health: list[HealthAdvice]


def bounds_of(groups: list[Group]) -> tuple[float, float, float, float] | None:
    """The box around the groups' areas (lon/lat), for the map; None without areas."""
    boxes = [shapely.from_geojson(g.area_geometry).bounds for g in groups if g.area_geometry]
    if not boxes:
        return None
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def groups_in(*, code: str) -> list[Group]:
    return list(Group.objects.filter(municipality_code=code).order_by("name", "pk"))


def group_lines(*, code: str) -> list[GroupLine]:
    groups = groups_in(code=code)
    ids = [group.pk for group in groups]
    sizes = dict(
        Group.objects.filter(pk__in=ids)
        .annotate(
            size=Count(
                "memberships",
                filter=Q(
                    memberships__status=MembershipStatus.ACTIVE,
                    memberships__role__in=(MembershipRole.ADMIN, MembershipRole.MEMBER),
                ),
            )
        )
        .values_list("pk", "size")
    )
    streets: dict[int, list[str]] = {}
    for group_id, name in Group.streets.through.objects.filter(group_id__in=ids).values_list(
        "group_id", "street__name"
    ):
        streets.setdefault(group_id, []).append(name)
    latest = last_activity(groups=groups)
    signs = latest_by_group(group_ids=ids)
    health = group_health(groups=groups)
    return [
        GroupLine(
            group=group,
            streets=sorted(set(streets.get(group.pk, []))),
            size=size_range(sizes.get(group.pk, 0)),
            last_activity=timezone.localdate(latest[group.pk]),
            sign_request=signs.get(group.pk),
            health=health[group.pk],
        )
        for group in groups
    ]
