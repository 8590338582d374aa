"""The only writers for accounts.  Views parse and validate input, then call these.

Whatever ends what a person may do (a logout, a new password, deactivation, deletion, a
verification taken away) also closes the person's open sockets, after commit (4401): a
socket was authorized once, when it opened.
"""

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from buurtwacht.core import clock
from buurtwacht.core.errors import ActionError
from buurtwacht.geo.geocoding import GeocodedAddress
from buurtwacht.realtime.actions import end_sockets

from .age import check_date_of_birth
from .models import HomeAddress, User, normalize_email


@dataclass(frozen=True)
class Registration:
    email: str
    name: str
    password: str | None  # None: none yet, until a reset (the demo's generated residents)
    date_of_birth: dt.date  # 18+ (R-RUL-1): age.check_date_of_birth, here and in the form
    address: GeocodedAddress
    language: str = ""  # the site's language they registered in (notifications use it)


def _address_fields(address: GeocodedAddress) -> dict[str, object]:
    return {
        "street": address.street,
        "number": address.number,
        "letter": address.letter,
        "addition": address.addition,
        "postcode": address.postcode,
        "city": address.city,
        "municipality_code": address.municipality_code,
        "lon": address.lon,
        "lat": address.lat,
    }


@transaction.atomic
def register_user(*, registration: Registration, confirmed: bool = True) -> User:
    """An account; ``confirmed=False`` leaves it inactive until `confirm_email`."""
    check_date_of_birth(registration.date_of_birth, today=clock.today())
    user = User.objects.create_user(
        registration.email,
        registration.password,
        name=registration.name.strip(),
        date_of_birth=registration.date_of_birth,
        is_active=confirmed,
        email_confirmed_at=clock.now() if confirmed else None,
        language=_known_language(registration.language),
    )
    HomeAddress.objects.create(user=user, **_address_fields(registration.address))
    return user


@dataclass(frozen=True)
class RegistrationOutcome:
    user: User  # the new account, or the one that already had this address
    created: bool


def register_resident(*, registration: Registration) -> RegistrationOutcome:
    """Registration on the site.  A new address gets an account that waits, inactive, for
    its e-mail confirmation; an address that has an account gets no second one (also when
    both are registered at the same moment).  The caller answers both alike and tells the
    owner by e-mail, so that registering never reveals whether an address has an account
    (a date of birth is checked first, so its refusal does not reveal it either)."""
    check_date_of_birth(registration.date_of_birth, today=clock.today())
    email = normalize_email(registration.email)
    existing = User.objects.filter(email=email).first()
    if existing is None:
        try:
            return RegistrationOutcome(
                user=register_user(registration=registration, confirmed=False), created=True
            )
        except IntegrityError:  # the same address, registered at the same moment
            existing = User.objects.get(email=email)
    make_password(registration.password)  # the same hashing work as a new account
    return RegistrationOutcome(user=existing, created=False)


def _known_language(code: str) -> str:
    """One of the site's languages, or '' (the default) for anything else."""
    return code if code in dict(settings.LANGUAGES) else ""


def remember_language(*, user: User, language: str) -> None:
    """The person chose the site's language: notifications to them are written in it."""
    language = _known_language(language)
    if language and language != user.language:
        User.objects.filter(pk=user.pk).update(language=language)
        user.language = language


@transaction.atomic
def confirm_email(*, user: User) -> None:
    """The registration e-mail's link was followed: the account becomes usable."""
    user.email_confirmed_at = clock.now()
    user.is_active = True
    user.save(update_fields=["email_confirmed_at", "is_active", "updated_at"])


@transaction.atomic
def change_address(*, user: User, address: GeocodedAddress) -> HomeAddress:
    home, _created = HomeAddress.objects.update_or_create(
        user=user, defaults=_address_fields(address)
    )
    return home


@transaction.atomic
def change_email(*, user: User, email: str) -> None:
    """A new address for the account: one account per address, in its one spelling (also
    when two accounts ask for the same address at the same moment)."""
    email = normalize_email(email)
    taken = ActionError("email_taken", _("There is already an account with this e-mail address."))
    if User.objects.filter(email=email).exclude(pk=user.pk).exists():
        raise taken
    previous, user.email = user.email, email
    try:
        with transaction.atomic():
            user.save(update_fields=["email", "updated_at"])
    except IntegrityError:  # the other one was first
        user.email = previous
        raise taken from None


@transaction.atomic
def set_password(*, user: User, password: str, keep_session_key: str | None = None) -> None:
    """A new password (changed, or reset by e-mail) logs the account out everywhere:
    Django's session hash does that for pages, this for open sockets.  The session that
    changed it stays logged in (`keep_session_key`, as `update_session_auth_hash` keeps it)."""
    user.set_password(password)
    user.save(update_fields=["password", "updated_at"])
    end_sockets(user_id=user.pk, keep_session_key=keep_session_key)


def logged_out(*, user: User, session_key: str | None) -> None:
    """After a logout: the sockets that session opened close (those of other sessions stay)."""
    if session_key:
        end_sockets(user_id=user.pk, session_key=session_key)


@transaction.atomic
def set_active(*, user: User, active: bool) -> None:
    """Platform staff's switch: an inactive account cannot log in, and its sockets close."""
    user.is_active = active
    user.save(update_fields=["is_active", "updated_at"])
    if not active:
        end_sockets(user_id=user.pk)


@transaction.atomic
def delete_account(*, user: User) -> None:
    """Remove personal data; keep the row (anonymised) so what others need stays readable,
    e.g. an alert the person once posted shows "Verwijderd account"."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    from buurtwacht.groups.models import (
        Group,
        JoinRequest,
        Membership,
        MembershipRole,
        MembershipStatus,
    )
    from buurtwacht.groups.selectors import groups_left_without_admin
    from buurtwacht.municipality.actions import revoke_all
    from buurtwacht.notify.models import Delivery, Preferences, PushSubscription
    from buurtwacht.realtime.actions import revoke_access
    from buurtwacht.realtime.models import Presence

    # Hold the rows of the groups this person is admin of (in id order, as the membership
    # actions hold theirs through access_group) before the last-admin check: two admins
    # going at once are decided one after the other, and the second sees the first gone.
    admin_of = Membership.objects.filter(
        user=user, status=MembershipStatus.ACTIVE, role=MembershipRole.ADMIN
    ).values("group_id")
    list(
        Group.objects.select_for_update()
        .filter(pk__in=admin_of)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    orphaned = groups_left_without_admin(user=user)
    if orphaned:
        raise ActionError(
            "last_admin",
            _(
                "You are the only admin of %(groups)s. Make another member admin first, "
                "so the group keeps someone who admits and removes members."
            )
            % {"groups": ", ".join(group.name for group in orphaned)},
        )
    now = clock.now()
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        model.objects.filter(username=user.email).delete()
    HomeAddress.objects.filter(user=user).delete()
    active = Membership.objects.filter(user=user, status="active")
    for group_id in active.values_list("group_id", flat=True):
        revoke_access(user_id=user.pk, group_id=group_id)
    active.update(status="left", ended_at=now, end_reason="account deleted")
    JoinRequest.objects.filter(user=user, status="pending").update(
        status="withdrawn", decided_at=now
    )
    for model in (PushSubscription, Preferences, Presence):
        model.objects.filter(user=user).delete()
    Delivery.objects.filter(user=user, state="pending").delete()
    user.email = f"deleted-{user.pk}@invalid.invalid"
    user.name = ""
    user.date_of_birth = None
    user.language = ""
    user.password = make_password(None)
    user.is_active = False
    user.deleted_at = now
    user.save()
    revoke_all(user=user, reason="account deleted")
    end_sockets(user_id=user.pk)


@transaction.atomic
def save_staff_edit(*, user: User, changed: Collection[str]) -> None:
    """An account as platform staff left it in the Django admin (`changed`: the fields the
    form changed).  Deactivating it closes its open sockets.  (Verified roles are decided
    on the staff pages: municipality/actions.py.)"""
    user.save()
    if "is_active" in changed and not user.is_active:
        end_sockets(user_id=user.pk)


def make_staff(*, user: User) -> None:
    """Platform staff (Django admin).  Only used by `make demo` and `createsuperuser`."""
    user.is_staff = True
    user.is_superuser = True
    user.save(update_fields=["is_staff", "is_superuser", "updated_at"])
