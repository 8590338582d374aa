"""The only writers for alerts.  Every change writes one stream event in the same
transaction; it reaches members after commit.  A resend with the same client id returns
what the first send made."""

import datetime as dt
from dataclasses import dataclass, field

import shapely
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from buurtwacht.accounts.models import User
from buurtwacht.core import clock
from buurtwacht.core.errors import ActionError
from buurtwacht.core.text import check_moment, clean_text
from buurtwacht.groups.access import GroupAccess, access_group, passed_gate
from buurtwacht.groups.models import AuditEntry, Group, MembershipRole, MembershipStatus
from buurtwacht.groups.policy import Action, can_close
from buurtwacht.groups.selectors import adjacent_groups
from buurtwacht.media.actions import PhotoDraft, check_reason, store_photo
from buurtwacht.moderation.actions import flag_posted, screen
from buurtwacht.moderation.models import Place
from buurtwacht.moderation.profiling import descriptors, origin_described
from buurtwacht.notify.actions import notify_alert, notify_forward
from buurtwacht.realtime.actions import clean_client_id, notify_sockets, record_event
from buurtwacht.realtime.present import forward_notice, present_forwards

from .models import (
    PERSON_LABELS,
    VEHICLE_LABELS,
    AckKind,
    Acknowledgement,
    Alert,
    AlertKind,
    AlertUpdate,
    CallChannel,
    Direction,
    Forward,
    ForwardStatus,
    Outcome,
    PoliceCall,
)
from .plates import PlateKind, PlateTooLongError, normalize_plate
from .selectors import alert_state, forward_summary

PERSON_FIELDS = tuple(PERSON_LABELS)
VEHICLE_FIELDS = tuple(VEHICLE_LABELS)
MAX_TEXT = 2000
MAX_FIELD = 200
# How far a map point may lie outside the group's area (degrees, about 100 m).
AREA_TOLERANCE = 0.001


@dataclass(frozen=True)
class AlertDraft:
    client_id: str
    kind: str
    what: str
    street_id: int | None = None
    lon: float | None = None
    lat: float | None = None
    seen_at: dt.datetime | None = None  # default: now
    direction: str = ""
    person: dict[str, str] = field(default_factory=dict)
    vehicle: dict[str, str] = field(default_factory=dict)
    photo: PhotoDraft | None = None  # optional, with why it is necessary (R-RUL-6)


def _refuse(code: str, message: str) -> ActionError:
    return ActionError(code, message)


def _text(value: str, *, what: str) -> str:
    value = clean_text(value, code="text")
    if not value:
        raise _refuse("required", _("Describe %(what)s.") % {"what": what})
    if len(value) > MAX_TEXT:
        raise _refuse("too_long", _("Keep it short: at most 2000 characters."))
    return value


def _described(values: dict[str, str], allowed: tuple[str, ...]) -> dict[str, str]:
    unknown = set(values) - set(allowed)
    if unknown:
        raise _refuse(
            "unknown_field", _("Unknown field: %(f)s") % {"f": ", ".join(sorted(unknown))}
        )
    cleaned = {
        k: clean_text(str(v), code="text", single_line=True)
        for k, v in values.items()
        if str(v or "").strip()
    }
    if any(len(v) > MAX_FIELD for v in cleaned.values()):
        raise _refuse("too_long", _("Each description field holds at most 200 characters."))
    return cleaned


def _profiling() -> ActionError:
    return _refuse(
        "profiling",
        _(
            "If you mention skin colour, also give at least two other concrete details "
            "(clothing, height, build, hair, features). Describe behaviour first."
        ),
    )


def _person(values: dict[str, str], *, what: str = "") -> dict[str, str]:
    person = _described(values, PERSON_FIELDS)
    # Profiling guard (Nextdoor 2016): skin colour only with two other concrete descriptors,
    # whether it is named in the skin-colour field or in the text (issue 11).
    others = {k for k in person if k not in ("skin_colour", "gender")}
    free = " ".join([what, *(v for k, v in person.items() if k != "skin_colour")])
    if ("skin_colour" in person or origin_described(free)) and len(others | descriptors(what)) < 2:
        raise _profiling()
    return person


def _check_update_profiling(text: str) -> None:
    """The same rule for an update's text: origin named, two other descriptors."""
    if origin_described(text) and len(descriptors(text)) < 2:
        raise _profiling()


def _vehicle(values: dict[str, str]) -> dict[str, str]:
    vehicle = _described(values, VEHICLE_FIELDS)
    if "plate" in vehicle:
        try:
            plate = normalize_plate(vehicle["plate"])
        except PlateTooLongError as exc:
            raise _refuse("plate", _("A licence plate has at most 16 characters.")) from exc
        vehicle["plate"] = plate.text
        vehicle["plate_kind"] = plate.kind
        if plate.kind == PlateKind.EMPTY:
            del vehicle["plate"], vehicle["plate_kind"]
    return vehicle


def post_alert(
    *,
    user: User,
    group_id: int,
    draft: AlertDraft,
    confirm_language: bool = False,
    access: GroupAccess | None = None,
) -> tuple[Alert, bool]:
    """(alert, created).  Posting takes what and where; the rest is optional (R-SAAR).
    Screened for language first (R-RUL-3): `block` is never stored, `warn` needs
    `confirm_language` and then goes to the admins' review queue.  `access`: what the
    gate already answered the caller for posting here (else the gate is asked)."""
    access = passed_gate(access, user=user, group_id=group_id, action=Action.POST_ALERT)
    texts = [draft.what, *(str(v) for v in draft.person.values())]
    texts += [str(v) for k, v in draft.vehicle.items() if k != "plate"]
    verdict = screen(
        user=user,
        group_id=group_id,
        action=Action.POST_ALERT,
        place=Place.ALERT,
        texts=texts,
        confirmed=confirm_language,
        access=access,
    )
    with transaction.atomic():
        alert, created = _post_alert(user=user, group=access.group, draft=draft)
        if created:
            flag_posted(
                group=alert.group,
                author=user,
                place=Place.ALERT,
                text="\n".join(t for t in texts if t),
                verdict=verdict,
                alert=alert,
            )
    return alert, created


@transaction.atomic
def _post_alert(*, user: User, group: Group, draft: AlertDraft) -> tuple[Alert, bool]:
    client_id = clean_client_id(draft.client_id)
    existing = Alert.objects.filter(group=group, author=user, client_id=client_id).first()
    if existing is not None:
        return existing, False
    if draft.kind not in AlertKind.values:
        raise _refuse("kind", _("Choose what kind of situation it is."))
    what = _text(draft.what, what=_("what you saw"))
    street = None
    if draft.street_id is not None:
        street = group.streets.filter(pk=draft.street_id).first()
        if street is None:
            raise _refuse("street", _("Choose one of the group's streets."))
    if (draft.lon is None) != (draft.lat is None):
        raise _refuse("point", _("A point on the map needs both coordinates."))
    if draft.lon is not None and draft.lat is not None:
        area = shapely.from_geojson(group.area_geometry) if group.area_geometry else None
        if area is None or not area.buffer(AREA_TOLERANCE).contains(
            shapely.Point(draft.lon, draft.lat)
        ):
            raise _refuse("point", _("The point on the map lies outside the group's area."))
    if street is None and draft.lon is None:
        raise _refuse("where", _("Say where: choose a street or a point on the map."))
    now = clock.now()
    seen_at = check_moment(draft.seen_at or now, code="when", now=now)
    if draft.direction not in Direction.values:
        raise _refuse("direction", _("Choose a direction from the list."))
    if draft.photo is not None:
        check_reason(reason=draft.photo.reason, reason_text=draft.photo.reason_text)
    # get_or_create: the same resend arriving twice at the same moment makes one alert.
    alert, created = Alert.objects.get_or_create(
        group=group,
        author=user,
        client_id=client_id,
        defaults={
            "kind": draft.kind,
            "what": what,
            "street": street,
            "lon": draft.lon,
            "lat": draft.lat,
            "seen_at": seen_at,
            "direction": draft.direction,
            "person": _person(draft.person, what=what),
            "vehicle": _vehicle(draft.vehicle),
        },
    )
    if not created:
        return alert, False
    if draft.photo is not None:
        store_photo(alert=alert, user=user, draft=draft.photo)
    _publish(alert, "alert.created")
    notify_alert(alert=alert)
    return alert, True


def _publish(alert: Alert, type: str) -> None:
    state = alert_state(alert=alert, new=type == "alert.created")
    record_event(group=alert.group, type=type, payload={"alert": state})


def _alert_for(
    *,
    user: User,
    alert_id: int,
    action: Action,
    lock: bool = False,
    access: GroupAccess | None = None,
) -> tuple[Alert, GroupAccess]:
    """The alert and the caller's access to its group: 404 for whoever cannot read it.
    `access`: what the gate already answered the caller for this alert's group."""
    alerts = Alert.objects.select_related("group")
    if lock:
        alerts = alerts.select_for_update()
    alert = alerts.filter(pk=alert_id).first()
    if alert is None:
        raise Http404
    return alert, passed_gate(access, user=user, group_id=alert.group_id, action=action)


def _open(alert: Alert) -> None:
    if alert.closed_at is not None:
        raise _refuse("closed", _("This alert has been closed."))


@dataclass(frozen=True)
class CallResult:
    call: PoliceCall
    won: bool  # False: someone else had already called; `call` says who and when


@transaction.atomic
def claim_call(
    *, user: User, alert_id: int, channel: CallChannel, access: GroupAccess | None = None
) -> CallResult:
    """ "Ik bel 112" (R-RUL-5): the first claim wins, by a database constraint."""
    alert, _access = _alert_for(
        user=user, alert_id=alert_id, action=Action.POST_ALERT, access=access
    )
    _open(alert)
    call, won = PoliceCall.objects.select_related("user").get_or_create(
        alert=alert, channel=channel, defaults={"user": user}
    )
    if won:
        _publish(alert, "alert.claimed")
    return CallResult(call=call, won=won)


def add_update(
    *,
    user: User,
    alert_id: int,
    client_id: str,
    text: str,
    confirm_language: bool = False,
    access: GroupAccess | None = None,
) -> tuple[AlertUpdate, bool]:
    """New facts on an open alert, screened for language like every post (R-RUL-3)."""
    alert, access = _alert_for(
        user=user, alert_id=alert_id, action=Action.POST_ALERT, access=access
    )
    verdict = screen(
        user=user,
        group_id=alert.group_id,
        action=Action.POST_ALERT,
        place=Place.UPDATE,
        texts=[text],
        confirmed=confirm_language,
        access=access,
    )
    with transaction.atomic():
        update, created = _add_update(
            user=user, alert_id=alert_id, client_id=client_id, text=text, access=access
        )
        if created:
            flag_posted(
                group=alert.group,
                author=user,
                place=Place.UPDATE,
                text=update.text,
                verdict=verdict,
                alert=alert,
                update=update,
            )
    return update, created


@transaction.atomic
def _add_update(
    *, user: User, alert_id: int, client_id: str, text: str, access: GroupAccess
) -> tuple[AlertUpdate, bool]:
    alert, _access = _alert_for(
        user=user, alert_id=alert_id, action=Action.POST_ALERT, access=access
    )
    client_id = clean_client_id(client_id)
    existing = AlertUpdate.objects.filter(alert=alert, author=user, client_id=client_id).first()
    if existing is not None:
        return existing, False
    _open(alert)
    text = _text(text, what=_("what is new"))
    _check_update_profiling(text)
    update, created = AlertUpdate.objects.get_or_create(  # one, also for a resend racing it
        alert=alert, author=user, client_id=client_id, defaults={"text": text}
    )
    if created:
        _publish(alert, "alert.updated")
    return update, created


@transaction.atomic
def add_photo(
    *, user: User, alert_id: int, draft: PhotoDraft, access: GroupAccess | None = None
) -> Alert:
    """A photo for one's own open alert, afterwards (the API posts the alert first)."""
    alert, _access = _alert_for(
        user=user, alert_id=alert_id, action=Action.POST_ALERT, lock=True, access=access
    )
    if alert.author_id != user.pk:
        raise PermissionDenied
    _open(alert)
    store_photo(alert=alert, user=user, draft=draft)
    _publish(alert, "alert.updated")
    return alert


@transaction.atomic
def acknowledge(
    *, user: User, alert_id: int, kind: AckKind, access: GroupAccess | None = None
) -> bool:
    """One tap; counted, never a message.  Returns False when it was already there."""
    alert, _access = _alert_for(
        user=user, alert_id=alert_id, action=Action.ACKNOWLEDGE, access=access
    )
    if kind not in AckKind.values:
        raise _refuse("kind", _("Unknown acknowledgement."))
    _ack, added = Acknowledgement.objects.get_or_create(alert=alert, user=user, kind=kind)
    if added:
        _publish(alert, "alert.acknowledged")
    return added


@transaction.atomic
def close_alert(
    *, user: User, alert_id: int, outcome: Outcome, access: GroupAccess | None = None
) -> Alert:
    """By the author or an admin, with an outcome (policy.can_close)."""
    alert, access = _alert_for(
        user=user, alert_id=alert_id, action=Action.READ, lock=True, access=access
    )
    if not can_close(role=access.role, is_author=alert.author_id == user.pk):
        raise PermissionDenied
    _open(alert)
    if outcome not in Outcome.values:
        raise _refuse("outcome", _("Choose how it ended."))
    alert.closed_at = clock.now()
    alert.closed_by = user
    alert.outcome = outcome
    alert.save(update_fields=["closed_at", "closed_by", "outcome"])
    _publish(alert, "alert.closed")
    return alert


# --- warning the neighbouring groups (R-ADJ-1) ---------------------------------------------


def _audit(
    *, group: Group, actor: User | None, action: str, other: Group, **details: object
) -> None:
    """An entry in a group's audit log about a forward.  In the other group's log the
    actor is left out: admins of one group do not learn the names of another's."""
    AuditEntry.objects.create(
        group=group,
        actor=actor,
        action=action,
        details={"other_group": other.pk, "other_group_name": other.name, **details},
    )


def _admin_ids(group: Group) -> list[int]:
    return list(
        group.memberships.filter(
            role=MembershipRole.ADMIN, status=MembershipStatus.ACTIVE
        ).values_list("user_id", flat=True)
    )


def _tell_admins(forward: Forward, type: str) -> None:
    """The receiving admins' open pages show (or drop) the warning at once."""
    notify_sockets(
        user_ids=_admin_ids(forward.to_group),
        build=lambda: forward_notice(type=type, forward=present_forwards([forward])[0]),
    )


@transaction.atomic
def forward_alert(
    *, admin: User, alert_id: int, keep_plate: bool = False, access: GroupAccess | None = None
) -> list[Forward]:
    """Send a short summary of an open alert to the admins of every adjacent group.
    Forwarding again reaches only groups that did not have it yet (idempotent)."""
    alert, access = _alert_for(
        user=admin, alert_id=alert_id, action=Action.FORWARD, lock=True, access=access
    )
    _open(alert)
    targets = [g for g in adjacent_groups(group=access.group) if g.pk != alert.origin.get("group")]
    if not targets:
        raise _refuse("no_neighbours", _("This group has no neighbouring groups to warn."))
    already = set(Forward.objects.filter(alert=alert).values_list("to_group_id", flat=True))
    summary = forward_summary(alert=alert, keep_plate=keep_plate)
    made = []
    for target in targets:
        if target.pk in already:
            continue
        forward, created = Forward.objects.get_or_create(
            alert=alert,
            to_group=target,
            defaults={"from_group": access.group, "forwarded_by": admin, "summary": summary},
        )
        if not created:  # another admin forwarded it at the same moment
            continue
        made.append(forward)
        _audit(
            group=access.group,
            actor=admin,
            action="forward_sent",
            other=target,
            alert=alert.pk,
            plate=keep_plate and "plate" in summary,
        )
        _audit(group=target, actor=None, action="forward_received", other=access.group)
        notify_forward(forward=forward)
        _tell_admins(forward, "forward.received")
    return made


def _waiting_forward(*, admin: User, forward_id: int) -> tuple[Forward, GroupAccess]:
    forward = (
        Forward.objects.select_for_update()
        .select_related("from_group", "to_group", "alert")
        .filter(pk=forward_id)
        .first()
    )
    if forward is None:
        raise Http404
    access = access_group(
        user=admin, group_id=forward.to_group_id, action=Action.RECEIVE_FORWARD, for_update=True
    )
    if forward.status != ForwardStatus.PENDING:
        raise _refuse("decided", _("Another admin already decided on this warning."))
    return forward, access


def _decide(forward: Forward, *, admin: User, status: ForwardStatus) -> None:
    forward.status = status
    forward.decided_by = admin
    forward.decided_at = clock.now()


@transaction.atomic
def repost_forward(*, admin: User, forward_id: int) -> Alert:
    """One tap: the warning becomes an alert in the admin's own group, saying which group
    it came from.  It carries the summary only (no names, no description)."""
    forward, access = _waiting_forward(admin=admin, forward_id=forward_id)
    summary = forward.summary
    vehicle = {}
    if summary.get("plate"):
        vehicle = {"plate": summary["plate"], "plate_kind": summary.get("plate_kind", "")}
    alert = Alert.objects.create(
        group=access.group,
        author=admin,
        client_id=f"forward-{forward.pk}",
        kind=summary["kind"],
        what=_("Warning from a neighbouring group: keep an eye out in our streets."),
        street_id=summary.get("street"),
        seen_at=dt.datetime.fromisoformat(summary["seen_at"]),
        direction=summary["direction"],
        vehicle=vehicle,
        origin={"group": forward.from_group_id, "called_112": summary["called_112"]},
    )
    _decide(forward, admin=admin, status=ForwardStatus.REPOSTED)
    forward.repost = alert
    forward.save(update_fields=["status", "decided_by", "decided_at", "repost"])
    _audit(group=access.group, actor=admin, action="forward_reposted", other=forward.from_group)
    _audit(group=forward.from_group, actor=None, action="forward_reposted", other=access.group)
    _publish(alert, "alert.created")
    notify_alert(alert=alert)
    _tell_admins(forward, "forward.decided")
    return alert


@transaction.atomic
def decline_forward(*, admin: User, forward_id: int) -> Forward:
    forward, access = _waiting_forward(admin=admin, forward_id=forward_id)
    _decide(forward, admin=admin, status=ForwardStatus.DECLINED)
    forward.save(update_fields=["status", "decided_by", "decided_at"])
    _audit(group=access.group, actor=admin, action="forward_declined", other=forward.from_group)
    _audit(group=forward.from_group, actor=None, action="forward_declined", other=access.group)
    _tell_admins(forward, "forward.decided")
    return forward


def delete_alerts_before(*, group: Group, cutoff: dt.datetime) -> list[int]:
    """Retention: the group's alerts made before `cutoff` are deleted with their updates,
    acknowledgements, 112 claims and photo; returns their ids (the caller deletes their
    events and notifications, in the same transaction)."""
    expired = Alert.objects.filter(group=group, created_at__lt=cutoff)
    ids = list(expired.values_list("id", flat=True))
    if ids:
        Alert.objects.filter(pk__in=ids).delete()
    return ids


def photos_expired(*, alert_ids: list[int]) -> None:
    """Retention took these alerts' photos: open pages drop them from the cards (an
    alert.updated event with the alert's state, now without its photo)."""
    for alert in Alert.objects.filter(pk__in=alert_ids).select_related("group").order_by("pk"):
        _publish(alert, "alert.updated")
