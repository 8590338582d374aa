"""The one gate: fetch a group and authorize the caller in one step.

Everything that touches a group (views, API, sockets) calls `access_group`, once per
request: an action asks it itself, or takes the GroupAccess the view already got from it
(`passed_gate`).  Callers who may not read the group get 404 (they cannot tell a private
part exists); members who may read but not do this action get 403.
"""

import weakref
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from buurtwacht.accounts.models import User
from buurtwacht.core.errors import ActionError
from buurtwacht.municipality.selectors import is_verified_police

from .models import (
    Group,
    JoinRequest,
    JoinRequestStatus,
    Membership,
    MembershipRole,
    MembershipStatus,
)
from .policy import NEEDS_ACCEPTED_RULES, Action, Role, allowed, can_read, must_accept_rules


class RulesNotAccepted(ActionError):
    def __init__(self) -> None:
        super().__init__(
            "rules_not_accepted",
            _("The house rules have changed: accept them on the group page before you post."),
        )


@dataclass(frozen=True, eq=False)
class GroupAccess:
    """What the gate answered for one user, group and action.  A view that needs the
    group before it calls the action (for a form, or to decode a photo) hands this to the
    action, so that a request passes the gate once (`passed_gate`)."""

    group: Group
    role: Role
    membership: Membership | None
    user_id: int | None
    action: Action


# The answers access_group gave (and that are still in use).  One made any other way, by
# the constructor or dataclasses.replace, is not in here, so no action takes it.
_issued: "weakref.WeakSet[GroupAccess]" = weakref.WeakSet()


def role_in(*, user: User, group: Group) -> tuple[Role, Membership | None]:
    if not user.is_authenticated or not user.is_active:
        return Role.OUTSIDER, None
    membership = Membership.objects.filter(group=group, user=user).first()
    if membership is not None and membership.status == MembershipStatus.ACTIVE:
        if membership.role == MembershipRole.WIJKAGENT and not is_verified_police(user=user):
            return Role.OUTSIDER, membership  # verification withdrawn: no longer reads along
        return Role(membership.role), membership
    if JoinRequest.objects.filter(
        group=group, user=user, status=JoinRequestStatus.PENDING
    ).exists():
        return Role.PENDING, membership
    if (
        membership is not None
        and membership.status == MembershipStatus.REMOVED
        and not membership.may_request_again
    ):
        return Role.REMOVED, membership
    return Role.OUTSIDER, membership


def access_group(
    *, user: User, group_id: int, action: Action, for_update: bool = False
) -> GroupAccess:
    """The group and the caller's role, or Http404 / PermissionDenied.  With `for_update`
    the group row stays locked until the surrounding transaction ends."""
    groups: QuerySet[Group] = Group.objects.all()
    if for_update:
        groups = groups.select_for_update()  # house-rule: locked for the calling action
    group = groups.filter(pk=group_id).first()
    if group is None:
        raise Http404
    role, membership = role_in(user=user, group=group)
    if allowed(role, action):
        if (
            action in NEEDS_ACCEPTED_RULES
            and membership is not None
            and must_accept_rules(
                role=role,
                accepted_version=membership.rules_accepted_version,
                rules_version=group.rules_version,
            )
        ):
            raise RulesNotAccepted
        access = GroupAccess(
            group=group, role=role, membership=membership, user_id=user.pk, action=action
        )
        _issued.add(access)
        return access
    if not can_read(role):
        raise Http404
    raise PermissionDenied


def passed_gate(
    access: GroupAccess | None, *, user: User, group_id: int, action: Action
) -> GroupAccess:
    """For an action: the gate's answer for this user, group and action.  That is
    `access` when the caller already passed the gate with exactly these (a GroupAccess
    only comes from `access_group`), else the gate is asked now.  An access for another
    user, group or action is a programming error, never a way in."""
    if access is None:
        return access_group(user=user, group_id=group_id, action=action)
    if access not in _issued:
        raise TypeError("A GroupAccess comes from access_group() only.")
    if (access.user_id, access.group.pk, access.action) != (user.pk, group_id, action):
        raise ValueError(f"{access!r} was not issued for {action} by user {user.pk}")
    return access
