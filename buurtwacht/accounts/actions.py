"""The only writers for accounts.  Views parse and validate input, then call these."""

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction

from buurtwacht.core import clock
from buurtwacht.geo.geocoding import GeocodedAddress

from .models import HomeAddress, User


@dataclass(frozen=True)
class Registration:
    email: str
    name: str
    password: str
    date_of_birth: dt.date  # checked 18+ by the form (R-RUL-1)
    address: GeocodedAddress


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
def register_user(*, registration: Registration) -> User:
    user = User.objects.create_user(
        registration.email,
        registration.password,
        name=registration.name.strip(),
        date_of_birth=registration.date_of_birth,
    )
    HomeAddress.objects.create(user=user, **_address_fields(registration.address))
    return user


@transaction.atomic
def change_address(*, user: User, address: GeocodedAddress) -> HomeAddress:
    home, _created = HomeAddress.objects.update_or_create(
        user=user, defaults=_address_fields(address)
    )
    return home


def change_email(*, user: User, email: str) -> None:
    user.email = User.objects.normalize_email(email).lower()
    user.save(update_fields=["email", "updated_at"])


def set_password(*, user: User, password: str) -> None:
    user.set_password(password)
    user.save(update_fields=["password", "updated_at"])


@transaction.atomic
def delete_account(*, user: User) -> None:
    """Remove personal data; keep the row (anonymised) so what others need stays readable,
    e.g. an alert the person once posted shows "Verwijderd account"."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    from buurtwacht.groups.models import JoinRequest, Membership
    from buurtwacht.notify.models import Delivery, Preferences, PushSubscription
    from buurtwacht.realtime.actions import revoke_access
    from buurtwacht.realtime.models import Presence

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
    user.password = make_password(None)
    user.is_active = False
    user.police_verified = False
    user.municipality_code = ""
    user.deleted_at = now
    user.save()


def set_verification(*, user: User, police_verified: bool, municipality_code: str) -> None:
    """Platform staff's verification of a police officer or municipality coordinator."""
    user.police_verified = police_verified
    user.municipality_code = municipality_code
    user.save(update_fields=["police_verified", "municipality_code", "updated_at"])


def make_staff(*, user: User) -> None:
    """Platform staff (Django admin).  Only used by `make demo` and `createsuperuser`."""
    user.is_staff = True
    user.is_superuser = True
    user.save(update_fields=["is_staff", "is_superuser", "updated_at"])
