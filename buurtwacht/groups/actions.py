"""The only writers for groups.  Each admin action writes its audit entry in the same
transaction; refusals raise ActionError with a message for people (Dutch via gettext)."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from buurtwacht.accounts.age import is_adult
from buurtwacht.accounts.models import User
from buurtwacht.core import clock
from buurtwacht.core.errors import ActionError
from buurtwacht.core.text import EARLIEST, clean_text
from buurtwacht.geo.models import Street
from buurtwacht.notify.actions import notify_join_request
from buurtwacht.realtime.actions import revoke_access

from . import selectors
from .access import access_group, role_in
from .models import (
    AuditEntry,
    Group,
    GroupStreet,
    JoinRequest,
    JoinRequestStatus,
    Membership,
    MembershipRole,
    MembershipStatus,
    VettingMethod,
)
from .policy import Action, Role


def _audit(
    *,
    group: Group,
    actor: User,
    action: str,
    subject: User | None = None,
    reason: str = "",
    **details: object,
) -> None:
    AuditEntry.objects.create(
        group=group, actor=actor, action=action, subject=subject, reason=reason, details=details
    )


def _tell(user: User, subject: str, body: str) -> None:
    """E-mail after commit (the notify app takes this over with its own transports)."""
    if user.email and user.is_active:
        transaction.on_commit(
            lambda: send_mail(subject, body, None, [user.email], fail_silently=True)
        )


# --- creating a group (R-CRE-1, R-RUL-4, R-REG-2) --------------------------------------


@dataclass(frozen=True)
class NewGroup:
    name: str
    description: str
    municipality_code: str
    street_ids: list[int]
    photo: UploadedFile | None = None


@transaction.atomic
def create_group(*, founder: User, new: NewGroup, overlaps_confirmed: bool) -> Group:
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
        area_geometry=selectors.area_geojson(area),
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
    return group


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


@transaction.atomic
def request_to_join(
    *, user: User, group_id: int, message: str = "", rules_accepted: bool
) -> JoinRequest:
    access = access_group(user=user, group_id=group_id, action=Action.REQUEST_JOIN)
    _check_eligible(user=user, group=access.group)
    if not rules_accepted:
        raise ActionError("rules", _("Accept the house rules to ask to join."))
    try:
        with transaction.atomic():
            join_request = JoinRequest.objects.create(
                group=access.group, user=user, message=clean_text(message, code="message")
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
    _audit(
        group=group,
        actor=admin,
        action="admit",
        subject=join_request.user,
        contact_date=vetting.contact_date.isoformat(),
        contact_method=str(vetting.method),
    )
    _tell(
        join_request.user,
        _("Welcome to %(group)s") % {"group": group.name},
        _("You have been admitted to %(group)s.") % {"group": group.name},
    )
    return membership


@transaction.atomic
def deny_request(*, admin: User, request_id: int, reason: str) -> JoinRequest:
    reason = clean_text(reason, code="reason")
    if not reason:
        raise ActionError("reason", _("Give a reason."))
    join_request = _locked_pending_request(admin=admin, request_id=request_id, action=Action.VET)
    join_request.status = JoinRequestStatus.DENIED
    join_request.decided_by = admin
    join_request.decided_at = clock.now()
    join_request.reason = reason
    join_request.save()
    _audit(
        group=join_request.group,
        actor=admin,
        action="deny",
        subject=join_request.user,
        reason=reason,
    )
    _tell(
        join_request.user,
        _("Your request to join %(group)s") % {"group": join_request.group.name},
        _("The admins of %(group)s did not admit you. Reason: %(reason)s")
        % {"group": join_request.group.name, "reason": reason},
    )
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
def leave_group(*, user: User, group_id: int) -> None:
    access = access_group(user=user, group_id=group_id, action=Action.LEAVE, for_update=True)
    membership = access.membership
    if membership is None:  # LEAVE is only allowed to active roles; kept for the type checker
        raise ActionError("not_member", _("This person is not a member of the group."))
    others = selectors.member_count(group=access.group) - 1
    if membership.role == MembershipRole.ADMIN and _admin_count(access.group) == 1 and others:
        raise ActionError(
            "last_admin",
            _("You are the last admin. Appoint another admin before you leave."),
        )
    _end(membership, status=MembershipStatus.LEFT)
    revoke_access(user_id=user.pk, group_id=access.group.pk)


def _active_membership(group: Group, user_id: int) -> Membership:
    membership = Membership.objects.filter(
        group=group, user_id=user_id, status=MembershipStatus.ACTIVE
    ).first()
    if membership is None:
        raise ActionError("not_member", _("This person is not a member of the group."))
    return membership


@transaction.atomic
def remove_member(*, admin: User, group_id: int, user_id: int, reason: str) -> None:
    access = access_group(user=admin, group_id=group_id, action=Action.REMOVE, for_update=True)
    reason = clean_text(reason, code="reason")
    if not reason:
        raise ActionError("reason", _("Give a reason."))
    if user_id == admin.pk:
        raise ActionError("self", _("To stop yourself, leave the group."))
    membership = _active_membership(access.group, user_id)
    _end(membership, status=MembershipStatus.REMOVED, reason=reason)
    revoke_access(user_id=user_id, group_id=access.group.pk)
    _audit(
        group=access.group,
        actor=admin,
        action="remove",
        subject=membership.user,
        reason=reason,
    )


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
def attach_wijkagent(*, admin: User, group_id: int, officer: User) -> Membership:
    """R-POL-1: only accounts verified as police by platform staff."""
    access = access_group(user=admin, group_id=group_id, action=Action.ADD, for_update=True)
    if not officer.police_verified:
        raise ActionError(
            "not_police", _("Only accounts verified as police can be added as wijkagent.")
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


# --- house rules (R-RUL-8) ---------------------------------------------------------------


@transaction.atomic
def update_own_rules(*, admin: User, group_id: int, own_rules: str) -> Group:
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
def accept_rules(*, user: User, group_id: int) -> None:
    access = access_group(user=user, group_id=group_id, action=Action.ACCEPT_RULES)
    Membership.objects.filter(group=access.group, user=user).update(
        rules_accepted_version=access.group.rules_version
    )


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
