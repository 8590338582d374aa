"""The only writers for groups.  Each admin action writes its audit entry in the same
transaction; refusals raise ActionError with a message for people (Dutch via gettext)."""

import datetime as dt
import secrets
from dataclasses import dataclass

import shapely
from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from buurtwacht.accounts.actions import change_address
from buurtwacht.accounts.age import is_adult
from buurtwacht.accounts.models import User, normalize_email
from buurtwacht.core import clock
from buurtwacht.core.errors import ActionError
from buurtwacht.core.text import EARLIEST, clean_text
from buurtwacht.geo.adjacency import metres_per_degree, neighbours
from buurtwacht.geo.geocoding import GeocodedAddress
from buurtwacht.geo.models import Street
from buurtwacht.moderation.actions import flag_posted, screen, screen_outside_group
from buurtwacht.moderation.models import Place
from buurtwacht.municipality.selectors import is_verified_police
from buurtwacht.notify.actions import notify_join_request, notify_membership
from buurtwacht.realtime.actions import revoke_access

from . import selectors
from .access import access_group, role_in
from .models import (
    Adjacency,
    AuditEntry,
    Group,
    GroupStreet,
    JoinRequest,
    JoinRequestStatus,
    Listing,
    Membership,
    MembershipRole,
    MembershipStatus,
    ShareLink,
    VettingMethod,
)
from .policy import Action, Role


def _audit(
    *,
    group: Group,
    actor: User | None,
    action: str,
    subject: User | None = None,
    reason: str = "",
    **details: object,
) -> AuditEntry:
    return AuditEntry.objects.create(
        group=group, actor=actor, action=action, subject=subject, reason=reason, details=details
    )


# --- creating a group (R-CRE-1, R-RUL-4, R-REG-2) --------------------------------------


def _area_fields(area: shapely.Geometry | None) -> dict[str, object]:
    """The area as stored: GeoJSON and its bounding box."""
    if area is None:
        return {"area_geometry": "", **dict.fromkeys(AREA_BOX)}
    return {
        "area_geometry": selectors.area_geojson(area),
        **dict(zip(AREA_BOX, area.bounds, strict=True)),
    }


AREA_BOX = ("area_min_lon", "area_min_lat", "area_max_lon", "area_max_lat")


def _box(group: Group) -> tuple[float, float, float, float] | None:
    values = [getattr(group, name) for name in AREA_BOX]
    if any(value is None for value in values):
        return None
    min_lon, min_lat, max_lon, max_lat = (float(value) for value in values)
    return min_lon, min_lat, max_lon, max_lat


@dataclass(frozen=True)
class NewGroup:
    name: str
    description: str
    municipality_code: str
    street_ids: list[int]
    photo: UploadedFile | None = None


@transaction.atomic
def create_group(
    *, founder: User, new: NewGroup, overlaps_confirmed: bool, confirm_language: bool = False
) -> Group:
    # R-RUL-3: there are no admins yet to review it, so a warning still has to be confirmed
    # and a block is refused.
    screen_outside_group(texts=[new.name, new.description], confirmed=confirm_language)
    streets = list(
        Street.objects.filter(pk__in=new.street_ids, municipality_code=new.municipality_code)
    )
    if not streets or len(streets) != len(set(new.street_ids)):
        raise ActionError(
            "streets", _("Choose one or more streets of this municipality for the group.")
        )
    home = getattr(founder, "home_address", None)
    if home is None or not any((s.name, s.city) == (home.street, home.city) for s in streets):
        raise ActionError(
            "founder_address", _("You can only start a group for streets that include your own.")
        )
    if selectors.overlapping_groups(street_ids=new.street_ids) and not overlaps_confirmed:
        raise ActionError(
            "overlap", _("There are already groups in this area. Look at them and confirm first.")
        )
    area = selectors.area_of_streets(street_ids=new.street_ids)
    group = Group.objects.create(
        name=clean_text(new.name, code="name", single_line=True),
        description=clean_text(new.description, code="description"),
        municipality_code=new.municipality_code,
        **_area_fields(area),
    )
    if new.photo is not None:
        group.photo.save(new.photo.name or "photo.jpg", new.photo, save=True)
    GroupStreet.objects.bulk_create([GroupStreet(group=group, street=s) for s in streets])
    Membership.objects.create(
        group=group,
        user=founder,
        role=MembershipRole.ADMIN,
        status=MembershipStatus.ACTIVE,
        rules_accepted_version=group.rules_version,
    )
    _audit(group=group, actor=founder, action="create_group", street_ids=sorted(new.street_ids))
    refresh_adjacency(group=group)
    return group


@transaction.atomic
def change_streets(
    *, admin: User, group_id: int, street_ids: list[int], overlaps_confirmed: bool
) -> Group:
    """An admin redefines the group's streets (R-RUL-4): the area is derived again and the
    neighbouring groups (R-ADJ-1) follow.  Members whose street is no longer in it stay
    members until an admin acts (their removal needs a reason, R-GRP-4)."""
    access = access_group(user=admin, group_id=group_id, action=Action.EDIT_GROUP, for_update=True)
    group = access.group
    wanted = sorted(set(street_ids))
    streets = list(Street.objects.filter(pk__in=wanted, municipality_code=group.municipality_code))
    if not streets or len(streets) != len(wanted):
        raise ActionError(
            "streets", _("Choose one or more streets of this municipality for the group.")
        )
    previous = sorted(group.streets.values_list("pk", flat=True))
    if previous == wanted:
        return group
    if selectors.overlapping_groups(street_ids=wanted, exclude=group) and not overlaps_confirmed:
        raise ActionError(
            "overlap", _("There are already groups in this area. Look at them and confirm first.")
        )
    off_before = selectors.off_streets(group=group)
    GroupStreet.objects.filter(group=group).delete()
    GroupStreet.objects.bulk_create([GroupStreet(group=group, street=s) for s in streets])
    fields = _area_fields(selectors.area_of_streets(street_ids=wanted))
    for name, value in fields.items():
        setattr(group, name, value)
    group.save(update_fields=[*fields, "updated_at"])
    _audit(group=group, actor=admin, action="change_streets", previous=previous, street_ids=wanted)
    refresh_adjacency(group=group)
    # R-RUL-2: who no longer lives on the streets is told; the admins see them on the
    # members page (selectors.off_streets) and decide, with a reason (R-GRP-4).
    newly_off = selectors.off_streets(group=group) - off_before - {admin.pk}
    for user in User.objects.filter(pk__in=newly_off):
        notify_membership(
            entry=_audit(group=group, actor=admin, action="off_streets", subject=user)
        )
    return group


@dataclass(frozen=True)
class GroupEdit:
    """What an admin changes on the settings page; photo None keeps the photo."""

    name: str
    description: str
    photo: UploadedFile | None = None
    remove_photo: bool = False


def edit_group(
    *, admin: User, group_id: int, edit: GroupEdit, confirm_language: bool = False
) -> Group:
    """Name, description and photo (R-CRE-1), each change in the audit log; the words go
    through the language screen like every post (R-RUL-3)."""
    verdict = screen(
        user=admin,
        group_id=group_id,
        action=Action.EDIT_GROUP,
        place=Place.GROUP_NAME,
        texts=[edit.name, edit.description],
        confirmed=confirm_language,
    )
    with transaction.atomic():
        group, changed = _edit_group(admin=admin, group_id=group_id, edit=edit)
        if "name" in changed:
            flag_posted(
                group=group, author=admin, place=Place.GROUP_NAME, text=group.name, verdict=verdict
            )
        if "description" in changed and group.description:
            flag_posted(
                group=group,
                author=admin,
                place=Place.GROUP_DESCRIPTION,
                text=group.description,
                verdict=verdict,
            )
    return group


def _edit_group(*, admin: User, group_id: int, edit: GroupEdit) -> tuple[Group, set[str]]:
    access = access_group(user=admin, group_id=group_id, action=Action.EDIT_GROUP, for_update=True)
    group = access.group
    name = clean_text(edit.name, code="name", single_line=True)
    description = clean_text(edit.description, code="description")
    if not name:
        raise ActionError("name", _("Give the group a name."))
    changed: set[str] = set()
    if name != group.name:
        _audit(group=group, actor=admin, action="change_name", previous=group.name, name=name)
        group.name = name
        changed.add("name")
    if description != group.description:
        _audit(group=group, actor=admin, action="change_description")
        group.description = description
        changed.add("description")
    old_photo = group.photo.name if group.photo else ""
    if edit.photo is not None:
        group.photo.save(edit.photo.name or "photo.jpg", edit.photo, save=False)
        _audit(group=group, actor=admin, action="change_photo")
        changed.add("photo")
    elif edit.remove_photo and group.photo:
        group.photo = None  # type: ignore[assignment]
        _audit(group=group, actor=admin, action="remove_photo")
        changed.add("photo")
    if "photo" in changed and old_photo:
        storage = group.photo.storage
        # The old file goes only once the change is stored (a rollback keeps it).
        transaction.on_commit(lambda: storage.delete(old_photo))
    if changed:
        group.save(update_fields=[*sorted(changed), "updated_at"])
    return group, changed


# --- joining (R-RUL-1, R-RUL-2, R-GRP-2, R-GRP-5) -------------------------------------


def _check_eligible(*, user: User, group: Group) -> None:
    if user.date_of_birth is None or not is_adult(
        user.date_of_birth, clock.today(), settings.MINIMUM_AGE
    ):
        raise ActionError("under_age", _("Members of a group are 18 or older."))
    if not selectors.lives_on_group_streets(user=user, group=group):
        raise ActionError(
            "not_on_streets",
            _("Only residents of the group's streets can join. Your address is not on them."),
        )


def _refuse_unless_outsider(role: Role) -> None:
    if role == Role.PENDING:
        raise ActionError("already_requested", _("There is already a request waiting."))
    if role == Role.REMOVED:
        raise ActionError(
            "removed", _("You were removed from this group. Only an admin can let you ask again.")
        )
    if role != Role.OUTSIDER:
        raise ActionError("already_member", _("Already a member of this group."))


def request_to_join(
    *,
    user: User,
    group_id: int,
    message: str = "",
    contact: str = "",
    rules_accepted: bool,
    confirm_language: bool = False,
) -> JoinRequest:
    """The join message is screened like every post (R-RUL-3); a blocked one reaches the
    admins' queue, not the request list."""
    verdict = screen(
        user=user,
        group_id=group_id,
        action=Action.REQUEST_JOIN,
        place=Place.JOIN_MESSAGE,
        texts=[message],
        confirmed=confirm_language,
    )
    with transaction.atomic():
        join_request = _request_to_join(
            user=user,
            group_id=group_id,
            message=message,
            contact=contact,
            rules_accepted=rules_accepted,
        )
        flag_posted(
            group=join_request.group,
            author=user,
            place=Place.JOIN_MESSAGE,
            text=join_request.message,
            verdict=verdict,
        )
    return join_request


@transaction.atomic
def _request_to_join(
    *, user: User, group_id: int, message: str, contact: str, rules_accepted: bool
) -> JoinRequest:
    access = access_group(user=user, group_id=group_id, action=Action.REQUEST_JOIN)
    _check_eligible(user=user, group=access.group)
    if not rules_accepted:
        raise ActionError("rules", _("Accept the house rules to ask to join."))
    try:
        with transaction.atomic():
            join_request = JoinRequest.objects.create(
                group=access.group,
                user=user,
                message=clean_text(message, code="message"),
                contact=clean_text(contact, code="contact", single_line=True)[:200],
            )
    except IntegrityError as exc:  # a second request at the same moment
        raise ActionError("already_requested", _("There is already a request waiting.")) from exc
    notify_join_request(join_request=join_request)
    return join_request


@transaction.atomic
def propose_member(*, admin: User, group_id: int, user: User) -> JoinRequest:
    """An admin puts someone forward (R-GRP-2); admitting still needs the vetting record."""
    access = access_group(user=admin, group_id=group_id, action=Action.ADD)
    role, _membership = role_in(user=user, group=access.group)
    _refuse_unless_outsider(role)
    _check_eligible(user=user, group=access.group)
    join_request = JoinRequest.objects.create(group=access.group, user=user, proposed_by=admin)
    _audit(group=access.group, actor=admin, action="propose", subject=user)
    return join_request


@dataclass(frozen=True)
class Vetting:
    """R-GRP-5: the personal contact made before admitting someone."""

    contact_date: dt.date
    method: VettingMethod
    note: str
    age_checked: bool
    address_checked: bool


def _locked_pending_request(*, admin: User, request_id: int, action: Action) -> JoinRequest:
    join_request = JoinRequest.objects.select_for_update().filter(pk=request_id).first()
    if join_request is None:
        raise ActionError("no_request", _("This request does not exist."))
    # Lock the group first, then decide: two admins at the same moment give one decision.
    access_group(user=admin, group_id=join_request.group_id, action=action, for_update=True)
    join_request.refresh_from_db()
    if join_request.status != JoinRequestStatus.PENDING:
        raise ActionError("decided", _("Another admin already decided on this request."))
    return join_request


@transaction.atomic
def admit_member(*, admin: User, request_id: int, vetting: Vetting) -> Membership:
    join_request = _locked_pending_request(admin=admin, request_id=request_id, action=Action.VET)
    group = join_request.group
    if not (vetting.age_checked and vetting.address_checked):
        raise ActionError(
            "vetting", _("Confirm that you checked the age and the address before admitting.")
        )
    if vetting.contact_date > clock.today():
        raise ActionError("vetting", _("The date of contact cannot be in the future."))
    if vetting.contact_date < EARLIEST.date():
        raise ActionError("vetting", _("This time lies too far in the past: check the date."))
    if selectors.member_count(group=group) >= settings.GROUP_MAX_MEMBERS:  # R-GRP-1
        raise ActionError(
            "full",
            _("This group is full (%(max)s members). Consider splitting it.")
            % {"max": settings.GROUP_MAX_MEMBERS},
        )
    _check_eligible(user=join_request.user, group=group)
    join_request.status = JoinRequestStatus.ADMITTED
    join_request.decided_by = admin
    join_request.decided_at = clock.now()
    join_request.contact_date = vetting.contact_date
    join_request.contact_method = vetting.method
    join_request.contact_note = clean_text(vetting.note, code="vetting")
    join_request.age_checked = True
    join_request.address_checked = True
    join_request.save()
    membership, _created = Membership.objects.update_or_create(
        group=group,
        user=join_request.user,
        defaults={
            "role": MembershipRole.MEMBER,
            "status": MembershipStatus.ACTIVE,
            "may_request_again": False,
            "ended_at": None,
            "end_reason": "",
            # Asked-to-join residents accepted the rules with the request; proposed ones
            # accept on their first visit.
            "rules_accepted_version": 0 if join_request.proposed_by_id else group.rules_version,
        },
    )
    entry = _audit(
        group=group,
        actor=admin,
        action="admit",
        subject=join_request.user,
        contact_date=vetting.contact_date.isoformat(),
        contact_method=str(vetting.method),
    )
    notify_membership(entry=entry)
    return membership


@transaction.atomic
def deny_request(
    *, admin: User, request_id: int, reason: str, confirm_language: bool = False
) -> JoinRequest:
    reason = clean_text(reason, code="reason")
    if not reason:
        raise ActionError("reason", _("Give a reason."))
    screen_outside_group(texts=[reason], confirmed=confirm_language)  # R-RUL-3
    join_request = _locked_pending_request(admin=admin, request_id=request_id, action=Action.VET)
    join_request.status = JoinRequestStatus.DENIED
    join_request.decided_by = admin
    join_request.decided_at = clock.now()
    join_request.reason = reason
    join_request.save()
    entry = _audit(
        group=join_request.group,
        actor=admin,
        action="deny",
        subject=join_request.user,
        reason=reason,
    )
    notify_membership(entry=entry)
    return join_request


@transaction.atomic
def withdraw_request(*, user: User, group_id: int) -> None:
    access = access_group(user=user, group_id=group_id, action=Action.WITHDRAW_REQUEST)
    JoinRequest.objects.filter(
        group=access.group, user=user, status=JoinRequestStatus.PENDING
    ).update(status=JoinRequestStatus.WITHDRAWN, decided_at=clock.now())


# --- leaving and removing (R-GRP-3, R-GRP-4) --------------------------------------------


def _admin_count(group: Group) -> int:
    return selectors.active_memberships(group=group).filter(role=MembershipRole.ADMIN).count()


def _end(membership: Membership, *, status: MembershipStatus, reason: str = "") -> None:
    membership.status = status
    membership.ended_at = clock.now()
    membership.end_reason = reason
    membership.may_request_again = False
    membership.save()


@transaction.atomic
def leave_group(*, user: User, group_id: int, dissolve: bool = False) -> None:
    """R-GRP-3.  The last resident leaving dissolves the group (nobody could admit anyone
    any more), but only when they confirmed it (`dissolve`)."""
    access = access_group(user=user, group_id=group_id, action=Action.LEAVE, for_update=True)
    membership = access.membership
    if membership is None:  # LEAVE is only allowed to active roles; kept for the type checker
        raise ActionError("not_member", _("This person is not a member of the group."))
    if selectors.is_last_resident(group=access.group, user=user):
        if not dissolve:
            raise ActionError(
                "last_member",
                _(
                    "You are the last member. Leaving dissolves the group: it disappears "
                    "from the map, and its alerts and chat are deleted."
                ),
            )
        _dissolve(group=access.group)
        return
    if selectors.left_without_admin(group=access.group, user=user):
        raise ActionError(
            "last_admin",
            _("You are the last admin. Appoint another admin before you leave."),
        )
    _end(membership, status=MembershipStatus.LEFT)
    revoke_access(user_id=user.pk, group_id=access.group.pk)
    _audit(group=access.group, actor=user, action="leave", subject=user)


@transaction.atomic
def move_house(*, user: User, address: GeocodedAddress) -> list[Group]:
    """The person's new address, and the groups whose streets they left (R-RUL-2).  Each
    gets an audit entry, so its admins see it (and selectors.off_streets names them);
    the membership stays until the person leaves or an admin removes them."""
    change_address(user=user, address=address)
    left = selectors.groups_left_by_moving(user=user)
    for group in left:
        _audit(group=group, actor=user, action="moved_away", subject=user)
    return left


def _dissolve(*, group: Group) -> None:
    """Delete the group with everything in it (its rows cascade); open sockets of anyone
    still reading (a wijkagent) stop receiving it, the photo file goes after commit."""
    for user_id in selectors.active_memberships(group=group).values_list("user_id", flat=True):
        revoke_access(user_id=user_id, group_id=group.pk)
    photo = group.photo.name if group.photo else ""
    if photo:
        storage = group.photo.storage
        transaction.on_commit(lambda: storage.delete(photo))
    group.delete()


def _active_membership(group: Group, user_id: int) -> Membership:
    membership = Membership.objects.filter(
        group=group, user_id=user_id, status=MembershipStatus.ACTIVE
    ).first()
    if membership is None:
        raise ActionError("not_member", _("This person is not a member of the group."))
    return membership


@transaction.atomic
def remove_member(
    *, admin: User, group_id: int, user_id: int, reason: str, confirm_language: bool = False
) -> None:
    access = access_group(user=admin, group_id=group_id, action=Action.REMOVE, for_update=True)
    reason = clean_text(reason, code="reason")
    if not reason:
        raise ActionError("reason", _("Give a reason."))
    screen_outside_group(texts=[reason], confirmed=confirm_language)  # R-RUL-3
    if user_id == admin.pk:
        raise ActionError("self", _("To stop yourself, leave the group."))
    membership = _active_membership(access.group, user_id)
    _end(membership, status=MembershipStatus.REMOVED, reason=reason)
    revoke_access(user_id=user_id, group_id=access.group.pk)
    entry = _audit(
        group=access.group,
        actor=admin,
        action="remove",
        subject=membership.user,
        reason=reason,
    )
    notify_membership(entry=entry)


@transaction.atomic
def allow_request_again(*, admin: User, group_id: int, user_id: int) -> None:
    access = access_group(user=admin, group_id=group_id, action=Action.ADD)
    membership = Membership.objects.filter(
        group=access.group, user_id=user_id, status=MembershipStatus.REMOVED
    ).first()
    if membership is None:
        raise ActionError("not_removed", _("This person was not removed from the group."))
    membership.may_request_again = True
    membership.save(update_fields=["may_request_again", "updated_at"])
    _audit(group=access.group, actor=admin, action="allow_request_again", subject=membership.user)


@transaction.atomic
def change_role(*, admin: User, group_id: int, user_id: int, role: MembershipRole) -> None:
    access = access_group(
        user=admin, group_id=group_id, action=Action.CHANGE_ROLES, for_update=True
    )
    if role not in (MembershipRole.ADMIN, MembershipRole.MEMBER):
        raise ActionError("role", _("Choose admin or member."))
    membership = _active_membership(access.group, user_id)
    if membership.role == MembershipRole.WIJKAGENT:
        raise ActionError("wijkagent", _("A community police officer only reads along."))
    if (
        membership.role == MembershipRole.ADMIN
        and role == MembershipRole.MEMBER
        and _admin_count(access.group) == 1
    ):
        raise ActionError("last_admin", _("A group always keeps at least one admin."))
    previous = membership.role
    membership.role = role
    membership.save()
    _audit(
        group=access.group,
        actor=admin,
        action="change_role",
        subject=membership.user,
        previous=previous,
        role=str(role),
    )


@transaction.atomic
def appoint_admin_as_staff(*, staff: User, group_id: int, user_id: int) -> None:
    """Platform staff make a member admin, for a group that has none."""
    if not (staff.is_active and staff.is_staff):
        raise PermissionDenied
    group = Group.objects.select_for_update().get(pk=group_id)
    membership = _active_membership(group, user_id)
    if membership.role != MembershipRole.MEMBER:
        raise ActionError("role", _("Only a member can be made admin."))
    if selectors.active_memberships(group=group).filter(role=MembershipRole.ADMIN).exists():
        raise ActionError("has_admin", _("This group has an admin: they choose the others."))
    membership.role = MembershipRole.ADMIN
    membership.save()
    notify_membership(
        entry=_audit(
            group=group, actor=staff, action="staff_appoint_admin", subject=membership.user
        )
    )


@transaction.atomic
def attach_wijkagent(*, admin: User, group_id: int, officer: User) -> Membership:
    """R-POL-1: only accounts verified as police by platform staff."""
    access = access_group(user=admin, group_id=group_id, action=Action.ADD, for_update=True)
    if not is_verified_police(user=officer):
        raise ActionError(
            "not_police", _("Only accounts verified as police can be added as wijkagent.")
        )
    already = Membership.objects.filter(
        group=access.group, user=officer, status=MembershipStatus.ACTIVE
    ).exists()
    if not already and selectors.member_count(group=access.group) >= settings.GROUP_MAX_MEMBERS:
        # R-GRP-1: the wijkagent counts towards the limit like everyone in the group.
        raise ActionError(
            "full",
            _("This group is full (%(max)s members). Consider splitting it.")
            % {"max": settings.GROUP_MAX_MEMBERS},
        )
    membership, _created = Membership.objects.update_or_create(
        group=access.group,
        user=officer,
        defaults={
            "role": MembershipRole.WIJKAGENT,
            "status": MembershipStatus.ACTIVE,
            "ended_at": None,
            "end_reason": "",
        },
    )
    _audit(group=access.group, actor=admin, action="attach_wijkagent", subject=officer)
    return membership


_INVITATION_SALT = "buurtwacht.groups.wijkagent-invitation"
INVITATION_DAYS = 14


def invite_wijkagent(*, admin: User, group_id: int, email: str) -> None:
    """R-POL-1 without telling an admin who is police: whatever the address, the admin
    hears the same; only a verified police account gets the e-mail with a link, and is
    added once the officer accepts it (accept_wijkagent_invitation)."""
    access = access_group(user=admin, group_id=group_id, action=Action.ADD)
    officer = User.objects.filter(email=normalize_email(email), is_active=True).first()
    if officer is None or not is_verified_police(user=officer):
        return
    if Membership.objects.filter(
        group=access.group, user=officer, status=MembershipStatus.ACTIVE
    ).exists():
        return
    token = signing.TimestampSigner(salt=_INVITATION_SALT).sign_object(
        {"group": access.group.pk, "officer": officer.pk, "admin": admin.pk}
    )
    link = settings.SITE_URL + reverse("wijkagent_accept", args=[token])
    with translation.override(officer.language or settings.LANGUAGE_CODE):
        subject = _("Read along with %(group)s as community police officer?") % {
            "group": access.group.name
        }
        body = _(
            "The admins of the neighbourhood watch group %(group)s invite you to read "
            "along as community police officer. Open this link to accept (valid for "
            "%(days)s days):\n\n%(link)s\n\nNot expected? Then ignore this message."
        ) % {"group": access.group.name, "days": INVITATION_DAYS, "link": link}
    recipient = officer.email
    transaction.on_commit(lambda: send_mail(subject, body, None, [recipient], fail_silently=True))


def accept_wijkagent_invitation(*, officer: User, token: str) -> Membership:
    """The officer opened the invitation's link, logged in as themselves, and accepted."""
    try:
        value = signing.TimestampSigner(salt=_INVITATION_SALT).unsign_object(
            token, max_age=INVITATION_DAYS * 86400
        )
    except signing.BadSignature as exc:
        raise ActionError("token", _("This invitation is not valid (any more).")) from exc
    if value.get("officer") != officer.pk:
        raise ActionError("token", _("This invitation is for another account."))
    admin = User.objects.filter(pk=value.get("admin"), is_active=True).first()
    if admin is None:
        raise ActionError("token", _("This invitation is not valid (any more)."))
    try:
        return attach_wijkagent(admin=admin, group_id=value["group"], officer=officer)
    except (Http404, PermissionDenied) as exc:  # the group is gone, or the admin no longer one
        raise ActionError("token", _("This invitation is not valid (any more).")) from exc


# --- house rules (R-RUL-8) ---------------------------------------------------------------


def update_own_rules(
    *, admin: User, group_id: int, own_rules: str, confirm_language: bool = False
) -> Group:
    verdict = screen(
        user=admin,
        group_id=group_id,
        action=Action.EDIT_GROUP,
        place=Place.OWN_RULES,
        texts=[own_rules],
        confirmed=confirm_language,
    )
    with transaction.atomic():
        group = _update_own_rules(admin=admin, group_id=group_id, own_rules=own_rules)
        flag_posted(
            group=group, author=admin, place=Place.OWN_RULES, text=group.own_rules, verdict=verdict
        )
    return group


@transaction.atomic
def _update_own_rules(*, admin: User, group_id: int, own_rules: str) -> Group:
    access = access_group(user=admin, group_id=group_id, action=Action.EDIT_GROUP, for_update=True)
    group = access.group
    own_rules = clean_text(own_rules, code="own_rules")
    if own_rules == group.own_rules:
        return group
    group.own_rules = own_rules
    group.rules_version += 1
    group.save(update_fields=["own_rules", "rules_version", "updated_at"])
    Membership.objects.filter(group=group, user=admin).update(
        rules_accepted_version=group.rules_version
    )
    _audit(group=group, actor=admin, action="change_rules", rules_version=group.rules_version)
    return group


@transaction.atomic
def set_listing(*, admin: User, group_id: int, listing: Listing) -> Group:
    """Whether the group is on the public map (R-REG-1); see register/policy.py."""
    access = access_group(user=admin, group_id=group_id, action=Action.EDIT_GROUP, for_update=True)
    group = access.group
    if listing not in Listing.values:
        raise ActionError("listing", _("Choose one of the options for the public map."))
    if group.listing == listing:
        return group
    previous = group.listing
    group.listing = listing
    group.save(update_fields=["listing", "updated_at"])
    _audit(group=group, actor=admin, action="set_listing", previous=previous, listing=str(listing))
    return group


@transaction.atomic
def set_show_initials(*, admin: User, group_id: int, show_initials: bool) -> Group:
    """Members see each other's initials instead of names (alerts, 112 claims, chat, lists)."""
    access = access_group(user=admin, group_id=group_id, action=Action.EDIT_GROUP, for_update=True)
    group = access.group
    if group.show_initials != show_initials:
        group.show_initials = show_initials
        group.save(update_fields=["show_initials", "updated_at"])
        _audit(group=group, actor=admin, action="set_show_initials", show_initials=show_initials)
    return group


@transaction.atomic
def accept_rules(*, user: User, group_id: int) -> None:
    access = access_group(user=user, group_id=group_id, action=Action.ACCEPT_RULES)
    Membership.objects.filter(group=access.group, user=user).update(
        rules_accepted_version=access.group.rules_version
    )


# --- recruiting: the share link (R-CRE-2) -------------------------------------------------


def _new_share_link(*, group: Group, admin: User) -> ShareLink:
    return ShareLink.objects.create(group=group, token=secrets.token_urlsafe(24), created_by=admin)


@transaction.atomic
def get_share_link(*, admin: User, group_id: int) -> ShareLink:
    """The group's valid share link, made now if it has none.  The link only leads to the
    join request form: admins still vet everyone who asks (R-GRP-2, R-GRP-5)."""
    access = access_group(user=admin, group_id=group_id, action=Action.RECRUIT, for_update=True)
    link = selectors.active_share_link(group=access.group)
    if link is not None:
        return link
    link = _new_share_link(group=access.group, admin=admin)
    _audit(group=access.group, actor=admin, action="share_link_created")
    return link


def _revoke_active(group: Group) -> bool:
    return bool(
        ShareLink.objects.filter(group=group, revoked_at__isnull=True).update(
            revoked_at=clock.now()
        )
    )


@transaction.atomic
def revoke_share_link(*, admin: User, group_id: int) -> None:
    """The old link's page then says it is no longer valid."""
    access = access_group(user=admin, group_id=group_id, action=Action.RECRUIT, for_update=True)
    if _revoke_active(access.group):
        _audit(group=access.group, actor=admin, action="share_link_revoked")


@transaction.atomic
def renew_share_link(*, admin: User, group_id: int) -> ShareLink:
    """A new link in place of the old one (which stops working at once)."""
    access = access_group(user=admin, group_id=group_id, action=Action.RECRUIT, for_update=True)
    _revoke_active(access.group)
    link = _new_share_link(group=access.group, admin=admin)
    _audit(group=access.group, actor=admin, action="share_link_renewed")
    return link


# --- adjacency (R-ADJ-1) -------------------------------------------------------------------


def _areas(*, near: Group | None = None) -> dict[int, shapely.Geometry]:
    """The groups' areas; with `near`, only those whose bounding box comes within the
    adjacency distance of that group's box (and any without a box): a group's neighbours
    are found without reading the whole register."""
    groups = Group.objects.exclude(area_geometry="")
    box = _box(near) if near is not None else None
    if box is not None:
        min_lon, min_lat, max_lon, max_lat = box
        # Degrees that cover the distance everywhere in the box: a degree of longitude is
        # shortest at the latitude farthest from the equator, one of latitude at the equator.
        m_lon, _m_lat = metres_per_degree(min(89.0, max(abs(min_lat), abs(max_lat))))
        _m_lon, m_lat = metres_per_degree(0.0)
        dx = settings.ADJACENCY_DISTANCE_M / m_lon
        dy = settings.ADJACENCY_DISTANCE_M / m_lat
        groups = groups.filter(
            Q(area_min_lon__isnull=True)
            | Q(
                area_min_lon__lte=max_lon + dx,
                area_max_lon__gte=min_lon - dx,
                area_min_lat__lte=max_lat + dy,
                area_max_lat__gte=min_lat - dy,
            )
        )
    rows = list(groups.values_list("pk", "area_geometry"))
    geometries = shapely.from_geojson([geojson for _pk, geojson in rows])  # one C call
    return {pk: geometry for (pk, _geojson), geometry in zip(rows, geometries, strict=True)}


def _store(pairs: list[Adjacency]) -> None:
    Adjacency.objects.bulk_create(pairs, ignore_conflicts=True)


@transaction.atomic
def refresh_adjacency(*, group: Group) -> int:
    """Recompute the neighbours of one group from the areas; call it whenever the group's
    area changes.  Returns how many neighbours it has."""
    Adjacency.objects.filter(Q(low=group) | Q(high=group)).delete()
    areas = _areas(near=group)
    if group.pk not in areas:
        return 0
    found = neighbours(areas, max_distance_m=settings.ADJACENCY_DISTANCE_M, only=group.pk)
    _store(
        [
            Adjacency(low_id=n.a, high_id=n.b, distance_m=n.distance_m, touching=n.touching)
            for n in found
        ]
    )
    return len(found)


@transaction.atomic
def recompute_all_adjacency() -> int:
    """Every pair again, e.g. after ADJACENCY_DISTANCE_M changed.  Returns the pair count."""
    found = neighbours(_areas(), max_distance_m=settings.ADJACENCY_DISTANCE_M)
    Adjacency.objects.all().delete()
    _store(
        [
            Adjacency(low_id=n.a, high_id=n.b, distance_m=n.distance_m, touching=n.touching)
            for n in found
        ]
    )
    return len(found)


# --- retention (R-RUL-6, AVG) -------------------------------------------------------------


@dataclass(frozen=True)
class RetentionChoice:
    """Days to keep each kind of content; within the instance's maxima."""

    chat_days: int
    alert_days: int
    photo_days: int


@transaction.atomic
def set_retention(*, admin: User, group_id: int, choice: RetentionChoice) -> Group:
    access = access_group(user=admin, group_id=group_id, action=Action.EDIT_GROUP, for_update=True)
    group = access.group
    limits = selectors.retention_limits()
    for days, most in (
        (choice.chat_days, limits.chat),
        (choice.alert_days, limits.alerts),
        (choice.photo_days, limits.photos),
    ):
        if not 1 <= days <= most:
            raise ActionError(
                "retention",
                _("Choose a number of days between 1 and %(most)d.") % {"most": most},
            )
    before = selectors.retention_of(group=group)
    group.chat_retention_days = choice.chat_days
    group.alert_retention_days = choice.alert_days
    group.photo_retention_days = choice.photo_days
    group.save(
        update_fields=[
            "chat_retention_days",
            "alert_retention_days",
            "photo_retention_days",
            "updated_at",
        ]
    )
    _audit(
        group=group,
        actor=admin,
        action="change_retention",
        previous={"chat": before.chat, "alerts": before.alerts, "photos": before.photos},
        chat=choice.chat_days,
        alerts=choice.alert_days,
        photos=choice.photo_days,
    )
    return group


def record_register_export(*, admin: User, group_id: int) -> Group:
    """An admin downloads the member register: logged, like every admin action."""
    access = access_group(user=admin, group_id=group_id, action=Action.EDIT_GROUP)
    _audit(group=access.group, actor=admin, action="export_members")
    return access.group
