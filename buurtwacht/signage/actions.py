"""The only writers for signs and stickers (R-VIS-1).  Each step writes the group's audit
log and queues the notices to both sides (the group's admins and the municipality's
coordinators) in the same transaction; a refused step changes nothing."""

from dataclasses import dataclass
from enum import StrEnum

import shapely
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils.translation import gettext as _

from buurtwacht.accounts.models import User
from buurtwacht.core import clock
from buurtwacht.core.errors import ActionError
from buurtwacht.core.text import clean_text
from buurtwacht.groups.access import access_group
from buurtwacht.groups.models import AuditEntry
from buurtwacht.groups.policy import Action
from buurtwacht.moderation.actions import screen_outside_group
from buurtwacht.municipality.access import access_municipality
from buurtwacht.municipality.selectors import coordinators_of
from buurtwacht.notify.actions import notify_sign_request

from . import selectors
from .models import SignRequest, SignStatus

MAX_NOTE = 1000
MAX_WHERE = 500
# How far a placed sign may lie outside the group's area (degrees, about 100 m).
AREA_TOLERANCE = 0.001


@dataclass(frozen=True)
class SignOrder:
    signs: int = 0
    stickers: int = 0
    note: str = ""
    confirm_language: bool = False  # post a note anyway after a language warning


def _audit(sign_request: SignRequest, *, actor: User, action: str, reason: str = "") -> None:
    AuditEntry.objects.create(
        group=sign_request.group,
        actor=actor,
        action=action,
        reason=reason,
        details={"sign_request": sign_request.pk, "status": sign_request.status},
    )


def _tell_both_sides(sign_request: SignRequest, *, step: str, actor: User) -> None:
    coordinators = list(
        coordinators_of(code=sign_request.municipality_code)
        .select_related("notify_preferences")
        .prefetch_related("push_subscriptions")
    )
    notify_sign_request(
        sign_request=sign_request, step=step, coordinators=coordinators, actor=actor
    )


def _text(value: str, *, code: str, limit: int) -> str:
    value = clean_text(value, code=code)
    if len(value) > limit:
        raise ActionError("too_long", _("Keep it short: at most %(n)d characters.") % {"n": limit})
    return value


@transaction.atomic
def request_signs(*, admin: User, group_id: int, order: SignOrder) -> SignRequest:
    """An admin asks the municipality for signs and/or stickers; neighbourhood, streets and
    participants come from the group; the municipality's conditions are checked."""
    group = access_group(
        user=admin, group_id=group_id, action=Action.REQUEST_SIGNS, for_update=True
    ).group
    rules = selectors.conditions()
    if order.signs < 0 or order.stickers < 0 or order.signs + order.stickers == 0:
        raise ActionError("nothing", _("Ask for at least one sign or sticker."))
    if order.signs > rules.max_signs:
        raise ActionError(
            "too_many_signs",
            _("The municipality provides at most %(n)d signs per request.")
            % {"n": rules.max_signs},
        )
    if order.stickers > rules.max_stickers:
        raise ActionError(
            "too_many_stickers",
            _("The municipality provides at most %(n)d stickers per request.")
            % {"n": rules.max_stickers},
        )
    facts = selectors.facts_of(group=group)
    if facts.participants < rules.min_members:
        raise ActionError(
            "too_few_members",
            _(
                "The municipality provides signs to groups with at least %(min)d "
                "participants; this group has %(n)d."
            )
            % {"min": rules.min_members, "n": facts.participants},
        )
    if selectors.obstacle(group=group, facts=facts) == "unlisted":
        raise ActionError(
            "unlisted",
            _(
                "Signs are for groups in the public register. Put the group on the "
                "public map first (settings)."
            ),
        )
    if selectors.open_request(group=group) is not None:
        raise ActionError(
            "already_requested",
            _("There is already a request under way; wait until it is placed or declined."),
        )
    note = _text(order.note, code="note", limit=MAX_NOTE)
    screen_outside_group(texts=[note], confirmed=order.confirm_language)  # R-RUL-3
    try:
        with transaction.atomic():
            sign_request = SignRequest.objects.create(
                group=group,
                municipality_code=group.municipality_code,
                requested_by=admin,
                signs=order.signs,
                stickers=order.stickers,
                neighbourhood=facts.neighbourhood,
                streets=facts.streets,
                participants=facts.participants,
                note=note,
                created_at=clock.now(),
            )
    except IntegrityError:  # another admin's request won the race
        raise ActionError(
            "already_requested",
            _("There is already a request under way; wait until it is placed or declined."),
        ) from None
    _audit(sign_request, actor=admin, action="sign_request", reason=note)
    _tell_both_sides(sign_request, step="requested", actor=admin)
    return sign_request


class Step(StrEnum):
    APPROVE = "approve"
    DECLINE = "decline"
    ORDERED = "ordered"
    DELIVERED = "delivered"
    PLACED = "placed"


# step -> (the status it needs, the status it gives)
_FLOW = {
    Step.APPROVE: (SignStatus.REQUESTED, SignStatus.APPROVED),
    Step.DECLINE: (SignStatus.REQUESTED, SignStatus.DECLINED),
    Step.ORDERED: (SignStatus.APPROVED, SignStatus.ORDERED),
    Step.DELIVERED: (SignStatus.ORDERED, SignStatus.DELIVERED),
    Step.PLACED: (SignStatus.DELIVERED, SignStatus.PLACED),
}


@dataclass(frozen=True)
class StepDetails:
    reason: str = ""  # required to decline
    where: str = ""  # required for placed
    lon: float | None = None  # optional map point for placed, inside the group's area
    lat: float | None = None


def _locked_request(*, coordinator: User, request_id: int) -> SignRequest:
    """The request, locked, if it was made to one of the coordinator's municipalities;
    anyone else gets 404."""
    sign_request = (
        SignRequest.objects.select_for_update(of=("self",))
        .select_related("group")
        .filter(pk=request_id)
        .first()
    )
    if sign_request is None:
        raise Http404
    access_municipality(user=coordinator, code=sign_request.municipality_code)
    return sign_request


def _check_point(sign_request: SignRequest, *, lon: float | None, lat: float | None) -> None:
    if lon is None and lat is None:
        return
    if lon is None or lat is None:
        raise ActionError("point", _("Give both coordinates of the point, or neither."))
    area = sign_request.group.area_geometry
    if not area or not shapely.from_geojson(area).buffer(AREA_TOLERANCE).contains(
        shapely.Point(lon, lat)
    ):
        raise ActionError("point", _("The point lies outside the group's area."))


@transaction.atomic
def advance(
    *, coordinator: User, request_id: int, step: Step, details: StepDetails | None = None
) -> SignRequest:
    """The municipality's steps: approve or decline (with a reason), ordered, delivered,
    placed (with where, and optionally a map point inside the group's area)."""
    details = details or StepDetails()
    sign_request = _locked_request(coordinator=coordinator, request_id=request_id)
    needs, gives = _FLOW[step]
    if sign_request.status != needs:
        raise ActionError(
            "wrong_step",
            _("This request is %(status)s; that step is not possible now.")
            % {"status": sign_request.get_status_display()},
        )
    now = clock.now()
    reason = ""
    if step in (Step.APPROVE, Step.DECLINE):
        reason = _text(details.reason, code="reason", limit=MAX_NOTE)
        if step == Step.DECLINE and not reason:
            raise ActionError("reason", _("Say why the request is declined."))
        screen_outside_group(texts=[reason])  # R-RUL-3: the group's admins read it
        sign_request.decided_at = now
        sign_request.reason = reason
    elif step == Step.ORDERED:
        sign_request.ordered_at = now
    elif step == Step.DELIVERED:
        sign_request.delivered_at = now
    else:
        where = _text(details.where, code="where", limit=MAX_WHERE)
        if not where:
            raise ActionError("where", _("Say where the signs have been placed."))
        _check_point(sign_request, lon=details.lon, lat=details.lat)
        sign_request.placed_at = now
        sign_request.placed_where = where
        sign_request.placed_lon = details.lon
        sign_request.placed_lat = details.lat
        reason = where
    sign_request.status = gives
    sign_request.save()
    _audit(sign_request, actor=coordinator, action=f"sign_{gives}", reason=reason)
    _tell_both_sides(sign_request, step=str(gives), actor=coordinator)
    return sign_request
