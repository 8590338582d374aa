"""Reads for groups: members, requests, the area of a set of streets, overlaps."""

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

import shapely
from django.conf import settings
from django.db.models import Count, Max, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from buurtwacht.accounts.models import User
from buurtwacht.alerts.models import Alert
from buurtwacht.chat.models import ChatMessage
from buurtwacht.core import clock
from buurtwacht.geo.adjacency import TOUCHING_M, distance_m, metres_per_degree
from buurtwacht.geo.models import Address, Street

from .models import (
    Adjacency,
    AuditEntry,
    Group,
    GroupStreet,
    JoinRequest,
    JoinRequestStatus,
    Membership,
    MembershipRole,
    MembershipStatus,
    ShareLink,
)

# About 40 m around the addresses of a street, so the area covers the street itself.
STREET_MARGIN_DEGREES = 0.0004


def active_memberships(*, group: Group) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(group=group, status=MembershipStatus.ACTIVE)
        .select_related("user")
        .order_by("user__name")
    )


def member_list_key(*, group: Group) -> list[Any]:
    """Everything the group page's member list is made of, in one query without model
    objects (web/fragments.py renders the list once per key)."""
    rows = active_memberships(group=group).values_list(
        "user_id", "user__name", "user__deleted_at", "role"
    )
    return [group.pk, group.show_initials, [[str(value) for value in row] for row in rows]]


def memberships_of(*, user: User) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(user=user, status=MembershipStatus.ACTIVE)
        .select_related("group")
        .order_by("group__name")
    )


def member_count(*, group: Group) -> int:
    """Everyone active in the group, the wijkagent included (the R-GRP-1 limit)."""
    return Membership.objects.filter(group=group, status=MembershipStatus.ACTIVE).count()


def resident_count(*, group: Group) -> int:
    """The group's members and admins: what "N leden" on its page means (no wijkagent)."""
    return (
        Membership.objects.filter(group=group, status=MembershipStatus.ACTIVE)
        .exclude(role=MembershipRole.WIJKAGENT)
        .count()
    )


def left_without_admin(*, group: Group, user: User) -> bool:
    """Whether the group would keep members but lose its last admin if this person went."""
    others = Membership.objects.filter(group=group, status=MembershipStatus.ACTIVE).exclude(
        user=user
    )
    return (
        Membership.objects.filter(
            group=group, user=user, status=MembershipStatus.ACTIVE, role=MembershipRole.ADMIN
        ).exists()
        and not others.filter(role=MembershipRole.ADMIN).exists()
        and others.exists()
    )


def is_last_resident(*, group: Group, user: User) -> bool:
    """Whether this person is the group's only active member or admin (a wijkagent only
    reads along and does not keep a group going): leaving dissolves the group."""
    active = Membership.objects.filter(group=group, status=MembershipStatus.ACTIVE)
    return (
        active.filter(user=user).exclude(role=MembershipRole.WIJKAGENT).exists()
        and not active.exclude(user=user).exclude(role=MembershipRole.WIJKAGENT).exists()
    )


def groups_left_without_admin(*, user: User) -> list[Group]:
    return [
        membership.group
        for membership in memberships_of(user=user).filter(role=MembershipRole.ADMIN)
        if left_without_admin(group=membership.group, user=user)
    ]


def groups_without_admin() -> QuerySet[Group]:
    """Groups with members and no admin (from before the last-admin rule held everywhere,
    or whose admin's account was switched off): platform staff appoint one."""
    active = Membership.objects.filter(status=MembershipStatus.ACTIVE)
    return Group.objects.filter(pk__in=active.values("group_id")).exclude(
        pk__in=active.filter(role=MembershipRole.ADMIN).values("group_id")
    )


def pending_requests(*, group: Group) -> QuerySet[JoinRequest]:
    return (
        JoinRequest.objects.filter(group=group, status=JoinRequestStatus.PENDING)
        .select_related("user", "user__home_address", "proposed_by")
        .order_by("created_at")
    )


def vetting_records(*, group: Group) -> dict[int, JoinRequest]:
    """Per member (user id): the admitted request with the contact made before admitting."""
    admitted = JoinRequest.objects.filter(group=group, status=JoinRequestStatus.ADMITTED)
    return {r.user_id: r for r in admitted.select_related("decided_by").order_by("decided_at")}


def audit_log(*, group: Group) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(group=group).select_related("actor", "subject")


def area_of_streets(*, street_ids: list[int]) -> shapely.Geometry | None:
    """The group's area (R-RUL-4): the union of each street's addresses, hulled and buffered."""
    parts = []
    for street_id in street_ids:
        points = list(Address.objects.filter(street_id=street_id).values_list("lon", "lat"))
        if points:
            parts.append(shapely.MultiPoint(points).convex_hull.buffer(STREET_MARGIN_DEGREES))
    return shapely.union_all(parts) if parts else None


def overlapping_groups(*, street_ids: list[int], exclude: Group | None = None) -> list[Group]:
    """Existing groups that share a street or whose area overlaps (R-REG-2)."""
    found: dict[int, Group] = {
        link.group.pk: link.group
        for link in GroupStreet.objects.filter(street_id__in=street_ids).select_related("group")
    }
    area = area_of_streets(street_ids=street_ids)
    if area is not None:
        for group in Group.objects.exclude(area_geometry="").exclude(pk__in=found):
            other = shapely.from_geojson(group.area_geometry)
            if area.intersects(other) and area.intersection(other).area > 0:
                found[group.pk] = group
    if exclude is not None:
        found.pop(exclude.pk, None)
    return sorted(found.values(), key=lambda group: group.name)


def groups_for_address(*, user: User) -> list[Group]:
    """The groups whose streets include the user's home address."""
    home = getattr(user, "home_address", None)
    if home is None:
        return []
    return list(
        Group.objects.filter(streets__name=home.street, streets__city=home.city)
        .distinct()
        .order_by("name")
    )


def lives_on_group_streets(*, user: User, group: Group) -> bool:
    home = getattr(user, "home_address", None)
    if home is None:
        return False
    return group.streets.filter(name=home.street, city=home.city).exists()


def off_streets(*, group: Group) -> set[int]:
    """R-RUL-2: ids of the residents (admins and members) whose address is no longer on the
    group's streets (they moved, or the admins changed the streets).  Admins see them on
    the members page and decide; the wijkagent lives anywhere."""
    residents = (
        Membership.objects.filter(group=group, status=MembershipStatus.ACTIVE)
        .exclude(role=MembershipRole.WIJKAGENT)
        .select_related("user__home_address")
    )
    streets = set(group.streets.values_list("name", "city"))
    off = set()
    for membership in residents:
        home = getattr(membership.user, "home_address", None)
        if home is None or (home.street, home.city) not in streets:
            off.add(membership.user_id)
    return off


def groups_left_by_moving(*, user: User) -> list[Group]:
    """The groups of which this person is a resident member but no longer lives on the
    streets (after moving house)."""
    return [
        membership.group
        for membership in memberships_of(user=user).exclude(role=MembershipRole.WIJKAGENT)
        if not lives_on_group_streets(user=user, group=membership.group)
    ]


def streets_of(*, group: Group) -> QuerySet[Street]:
    return group.streets.order_by("name")


def area_geojson(geometry: shapely.Geometry | None) -> str:
    return "" if geometry is None else json.dumps(shapely.geometry.mapping(geometry))


def active_share_link(*, group: Group) -> ShareLink | None:
    return ShareLink.objects.filter(group=group, revoked_at__isnull=True).first()


def share_link_by_token(*, token: str) -> ShareLink | None:
    """The link with this token, valid or revoked (its page says which)."""
    return ShareLink.objects.select_related("group").filter(token=token).first()


def adjacent_groups(*, group: Group) -> list[Group]:
    """The groups whose areas touch or lie near this group's (R-ADJ-1), by name."""
    pairs = Adjacency.objects.filter(Q(low=group) | Q(high=group)).values_list("low", "high")
    ids = {low if high == group.pk else high for low, high in pairs}
    return list(Group.objects.filter(pk__in=ids).order_by("name"))


def has_neighbours(*, group: Group) -> bool:
    return Adjacency.objects.filter(Q(low=group) | Q(high=group)).exists()


# --- retention -------------------------------------------------------------------------


@dataclass(frozen=True)
class Retention:
    """Days the group keeps each kind of content."""

    chat: int
    alerts: int  # with their updates, acknowledgements and 112 claims
    photos: int

    def cutoffs(self, now: dt.datetime) -> "Cutoffs":
        return Cutoffs(
            chat=now - dt.timedelta(days=self.chat),
            alerts=now - dt.timedelta(days=self.alerts),
            photos=now - dt.timedelta(days=self.photos),
        )


@dataclass(frozen=True)
class Cutoffs:
    """What was made before these moments has expired."""

    chat: dt.datetime
    alerts: dt.datetime
    photos: dt.datetime


@dataclass(frozen=True)
class RetentionLimits:
    chat: int
    alerts: int
    photos: int


def retention_limits() -> RetentionLimits:
    return RetentionLimits(
        chat=settings.RETENTION_CHAT_MAX_DAYS,
        alerts=settings.RETENTION_ALERT_MAX_DAYS,
        photos=settings.RETENTION_PHOTO_MAX_DAYS,
    )


def retention_of(*, group: Group) -> Retention:
    """The group's choice (or the instance default), never above the instance maximum."""
    limits = retention_limits()
    return Retention(
        chat=min(group.chat_retention_days or settings.RETENTION_CHAT_DAYS, limits.chat),
        alerts=min(group.alert_retention_days or settings.RETENTION_ALERT_DAYS, limits.alerts),
        photos=min(group.photo_retention_days or settings.RETENTION_PHOTO_DAYS, limits.photos),
    )


# --- the member register (for the group's admins) ----------------------------------------


@dataclass(frozen=True)
class RegisterRow:
    name: str
    role: str
    status: str
    since: dt.datetime
    until: dt.datetime | None


def member_register(*, group: Group) -> list[RegisterRow]:
    """Everyone who has been a member, with role and dates; a deleted account without its
    name.  No e-mail, address or date of birth: those stay with the account."""
    from buurtwacht.alerts.selectors import full_name

    memberships = (
        Membership.objects.filter(group=group)
        .select_related("user")
        .order_by("status", "user__name", "pk")
    )
    return [
        RegisterRow(
            name=full_name(user=m.user),
            role=m.get_role_display(),
            status=m.get_status_display(),
            since=m.created_at,
            until=m.ended_at,
        )
        for m in memberships
    ]


def admins_of(*, group: Group) -> list[User]:
    return [
        m.user
        for m in active_memberships(group=group).filter(role="admin")
        if m.user.deleted_at is None
    ]


# --- what overlaps, precisely (R-REG-2) ----------------------------------------------------

# Less shared area than this (m²) is floating point along a shared edge: the areas touch.
OVERLAP_MIN_M2 = 1.0


@dataclass(frozen=True)
class Overlap:
    """One existing group near a proposed set of streets: the streets both have, whether
    the areas overlap, or that they only touch."""

    group: Group
    shared_streets: list[str]
    areas_overlap: bool

    @property
    def only_touching(self) -> bool:
        return not self.shared_streets and not self.areas_overlap


def _square_metres(geometry: shapely.Geometry) -> float:
    if geometry.is_empty:
        return 0.0
    m_lon, m_lat = metres_per_degree(geometry.centroid.y)
    return float(geometry.area * m_lon * m_lat)


def overlap_details(*, street_ids: list[int], exclude: Group | None = None) -> list[Overlap]:
    """Existing groups sharing a street, overlapping the area, or touching it (R-REG-2)."""
    shared: dict[int, set[str]] = {}
    groups: dict[int, Group] = {}
    for link in GroupStreet.objects.filter(street_id__in=street_ids).select_related(
        "group", "street"
    ):
        shared.setdefault(link.group.pk, set()).add(link.street.name)
        groups[link.group.pk] = link.group
    overlapping: set[int] = set()
    area = area_of_streets(street_ids=street_ids)
    if area is not None:
        min_lon, min_lat, max_lon, max_lat = area.bounds
        margin = 0.0001  # a few metres: outlines that touch are found too
        candidates = Group.objects.exclude(area_geometry="").filter(
            area_min_lon__lte=max_lon + margin,
            area_max_lon__gte=min_lon - margin,
            area_min_lat__lte=max_lat + margin,
            area_max_lat__gte=min_lat - margin,
        )
        for group in candidates:
            other = shapely.from_geojson(group.area_geometry)
            if _square_metres(area.intersection(other)) > OVERLAP_MIN_M2:
                overlapping.add(group.pk)
                groups[group.pk] = group
            elif distance_m(area, other) <= TOUCHING_M:
                groups[group.pk] = group
    if exclude is not None:
        groups.pop(exclude.pk, None)
    return sorted(
        (
            Overlap(
                group=group,
                shared_streets=sorted(shared.get(pk, set())),
                areas_overlap=pk in overlapping,
            )
            for pk, group in groups.items()
        ),
        key=lambda overlap: overlap.group.name,
    )


# --- group health (for the admins and the municipality) ---------------------------------

INACTIVE_DAYS = 90
REQUEST_WAIT_DAYS = 7


@dataclass(frozen=True)
class HealthAdvice:
    code: str  # inactive, large, single_admin, waiting_requests
    text: str


HEALTH_TEXTS = {
    "inactive": _(
        "No alert or other activity for 90 days: ask the members whether the group still "
        "works, or share a prevention tip."
    ),
    "large": _(
        "More than 100 members: consider splitting the group into smaller groups per "
        "street or block, so every alert stays relevant to those who get it."
    ),
    "single_admin": _(
        "Only one admin: appoint a co-admin, so the group keeps going when the admin is away."
    ),
    "waiting_requests": _(
        "Join requests have been waiting for more than 7 days: contact the applicants and decide."
    ),
}


def last_activity(
    *, groups: list[Group], until: dt.datetime | None = None
) -> dict[int, dt.datetime]:
    """Per group: its last alert or chat message, else when it was made.  With `until`:
    the last one before it (the statistics of closed periods)."""
    ids = [group.pk for group in groups]
    found = {group.pk: group.created_at for group in groups}
    for model in (Alert, ChatMessage):
        before = {"created_at__lt": until} if until is not None else {}
        rows = (
            model.objects.filter(group_id__in=ids, **before)
            .values("group_id")
            .annotate(last=Max("created_at"))
            .values_list("group_id", "last")
        )
        for group_id, last in rows:
            if last is not None and last > found[group_id]:
                found[group_id] = last
    return found


def group_health(*, groups: list[Group]) -> dict[int, list[HealthAdvice]]:
    """Short advice per group: no activity for 90 days, more than 100 members (split), a
    single admin (a co-admin), join requests waiting longer than 7 days."""
    now = clock.now()
    ids = [group.pk for group in groups]
    active = Membership.objects.filter(
        group_id__in=ids, status=MembershipStatus.ACTIVE, user__is_active=True
    )
    counts = {
        row["group_id"]: row
        for row in active.values("group_id").annotate(
            members=Count("pk", filter=~Q(role=MembershipRole.WIJKAGENT)),
            admins=Count("pk", filter=Q(role=MembershipRole.ADMIN)),
        )
    }
    waiting = set(
        JoinRequest.objects.filter(
            group_id__in=ids,
            status=JoinRequestStatus.PENDING,
            created_at__lt=now - dt.timedelta(days=REQUEST_WAIT_DAYS),
        ).values_list("group_id", flat=True)
    )
    latest = last_activity(groups=groups)
    advice: dict[int, list[HealthAdvice]] = {}
    for group in groups:
        row = counts.get(group.pk, {"members": 0, "admins": 0})
        codes = []
        if latest[group.pk] < now - dt.timedelta(days=INACTIVE_DAYS):
            codes.append("inactive")
        if row["members"] > settings.GROUP_SPLIT_ADVICE_AT:
            codes.append("large")
        if row["admins"] == 1:
            codes.append("single_admin")
        if group.pk in waiting:
            codes.append("waiting_requests")
        advice[group.pk] = [HealthAdvice(code=code, text=str(HEALTH_TEXTS[code])) for code in codes]
    return advice
