"""The gate for the municipality's pages: a verified coordinator reaches the municipalities
(GM codes) they are verified for and the groups in them; anyone else gets 404, as for a
group's private part (they cannot tell the page exists).  The police's statistics: a
verified police officer reaches the groups they read along with as wijkagent."""

from django.db.models import QuerySet
from django.http import Http404

from buurtwacht.accounts.models import User
from buurtwacht.groups.models import Group, Membership, MembershipRole, MembershipStatus

from .selectors import is_verified_police, municipality_codes_for


def coordinator_codes(*, user: User) -> list[str]:
    """The caller's municipality codes, sorted; 404 when there are none."""
    codes = sorted(municipality_codes_for(user=user))
    if not codes:
        raise Http404
    return codes


def access_municipality(*, user: User, code: str) -> str:
    if code not in municipality_codes_for(user=user):
        raise Http404
    return code


def access_municipality_group(*, user: User, group_id: int, for_update: bool = False) -> Group:
    """A group of one of the caller's municipalities (the group row locked with
    `for_update` until the surrounding transaction ends), else 404."""
    codes = municipality_codes_for(user=user)
    groups: QuerySet[Group] = Group.objects.filter(municipality_code__in=codes)
    if for_update:
        groups = groups.select_for_update()  # house-rule: locked for the calling action
    group = groups.filter(pk=group_id).first() if codes else None
    if group is None:
        raise Http404
    return group


def police_group_ids(*, user: User) -> list[int]:
    """The groups a verified police officer reads along with as wijkagent; 404 when the
    account is no verified officer or is attached to no group."""
    if not is_verified_police(user=user):
        raise Http404
    ids = sorted(
        Membership.objects.filter(
            user=user, role=MembershipRole.WIJKAGENT, status=MembershipStatus.ACTIVE
        ).values_list("group_id", flat=True)
    )
    if not ids:
        raise Http404
    return ids
