"""Reads for the public register: what a visitor may see of one group, and the list."""

from dataclasses import dataclass
from itertools import groupby

import shapely
from django.http import Http404

from buurtwacht.geo.models import Area, AreaKind
from buurtwacht.groups.models import Group, Membership, MembershipRole, MembershipStatus

from . import policy
from .index import BANDS, ListedGroup, RegisterIndex, rounded


@dataclass(frozen=True)
class PublicGroup:
    """Only what anyone may see: never members, admins, alerts or chat (R-REG-1)."""

    group: Group
    listed: bool
    size_label: str
    municipality_name: str
    streets: list[str]
    outline: str  # GeoJSON geometry, '' when the group has no area


def public_group(*, group_id: int, index: RegisterIndex) -> PublicGroup:
    """Any group, listed or not (a direct link works; only listed groups are findable)."""
    group = Group.objects.filter(pk=group_id).first()
    if group is None:
        raise Http404
    listed = group_id in index.by_id
    members = active_member_counts_of(group)
    municipality = (
        Area.objects.filter(
            kind=AreaKind.GEMEENTE, code=group.municipality_code, retired_at__isnull=True
        )
        .values_list("name", flat=True)
        .first()
    )
    outline = ""
    if group.area_geometry:
        geometry = shapely.from_geojson(group.area_geometry)
        outline = shapely.to_geojson(
            rounded(shapely.simplify(geometry, BANDS[1][1], preserve_topology=True))
        )
    return PublicGroup(
        group=group,
        listed=listed,
        size_label=policy.size_label(members),
        municipality_name=municipality or group.municipality_code,
        streets=list(group.streets.order_by("name").values_list("name", flat=True).distinct()),
        outline=outline,
    )


def active_member_counts_of(group: Group) -> int:
    return Membership.objects.filter(
        group=group,
        status=MembershipStatus.ACTIVE,
        role__in=(MembershipRole.ADMIN, MembershipRole.MEMBER),
    ).count()


@dataclass(frozen=True)
class MunicipalityEntry:
    code: str
    name: str
    groups: list[ListedGroup]


def by_municipality(*, index: RegisterIndex, code: str | None = None) -> list[MunicipalityEntry]:
    """The listed groups per municipality, municipalities by name, groups by name."""
    groups = [g for g in index.groups if code is None or g.municipality_code == code]
    groups.sort(key=lambda g: (g.municipality_name.lower(), g.municipality_code, g.name.lower()))
    return [
        MunicipalityEntry(code=key[1], name=key[0], groups=list(members))
        for key, members in groupby(
            groups, key=lambda g: (g.municipality_name, g.municipality_code)
        )
    ]
