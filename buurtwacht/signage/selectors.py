"""Reads for signs and stickers (R-VIS-1): what a request is filled in with, the
municipality's conditions, and the requests of a group or a municipality."""

from dataclasses import dataclass

import shapely
from django.conf import settings
from django.db.models import QuerySet

from buurtwacht.geo.index import area_index
from buurtwacht.geo.models import AreaKind
from buurtwacht.groups.models import Group, Membership, MembershipRole, MembershipStatus
from buurtwacht.register.policy import is_listed

from .models import OPEN_STATUSES, SignRequest


@dataclass(frozen=True)
class SignFacts:
    """What a request is filled in with from the group."""

    neighbourhood: str
    streets: list[str]
    participants: int


@dataclass(frozen=True)
class SignConditions:
    """The municipality's conditions, as this instance states them (settings)."""

    min_members: int
    max_signs: int
    max_stickers: int


def conditions() -> SignConditions:
    return SignConditions(
        min_members=settings.SIGN_MIN_MEMBERS,
        max_signs=settings.SIGN_MAX_SIGNS,
        max_stickers=settings.SIGN_MAX_STICKERS,
    )


def participants_of(*, group: Group) -> int:
    """Residents taking part: admins and members (the wijkagent reads along, not counted)."""
    return Membership.objects.filter(
        group=group,
        status=MembershipStatus.ACTIVE,
        role__in=(MembershipRole.ADMIN, MembershipRole.MEMBER),
    ).count()


def neighbourhood_of(*, group: Group) -> str:
    """The CBS neighbourhood (else district) at the middle of the group's area; without
    imported areas, the town of its streets."""
    if group.area_geometry:
        middle = shapely.from_geojson(group.area_geometry).representative_point()
        index = area_index()
        for kind in (AreaKind.BUURT, AreaKind.WIJK):
            hits = index.areas_at(middle.x, middle.y, kind=kind)
            if hits:
                return hits[0].name
    towns = sorted(set(group.streets.values_list("city", flat=True)))
    return ", ".join(towns)


def facts_of(*, group: Group) -> SignFacts:
    return SignFacts(
        neighbourhood=neighbourhood_of(group=group),
        streets=list(group.streets.order_by("name").values_list("name", flat=True).distinct()),
        participants=participants_of(group=group),
    )


def obstacle(*, group: Group, facts: SignFacts) -> str:
    """Why this group cannot ask for signs yet ('' when it can): R-VIS-1 asks for a group
    that is registered, i.e. on the public register, and the municipality for a minimum
    number of participants."""
    if facts.participants < conditions().min_members:
        return "too_few_members"
    if not is_listed(listing=group.listing, active_members=facts.participants):
        return "unlisted"
    return ""


def requests_of(*, group: Group) -> QuerySet[SignRequest]:
    return SignRequest.objects.filter(group=group)


def open_request(*, group: Group) -> SignRequest | None:
    return SignRequest.objects.filter(group=group, status__in=OPEN_STATUSES).first()


def requests_in(*, code: str) -> QuerySet[SignRequest]:
    """The municipality's requests, open ones first, newest first."""
    return SignRequest.objects.filter(municipality_code=code).select_related("group")


def latest_by_group(*, group_ids: list[int]) -> dict[int, SignRequest]:
    """Per group, its newest request (the sign status in the municipality's list)."""
    latest: dict[int, SignRequest] = {}
    for sign_request in SignRequest.objects.filter(group_id__in=group_ids).order_by(
        "created_at", "id"
    ):
        latest[sign_request.group_id] = sign_request
    return latest
