import datetime as dt

from django.db.models import Min

from buurtwacht.accounts.models import User

from .models import Delivery, DeliveryState, Preferences


def preferences_of(*, user: User) -> Preferences:
    """The member's preferences, or the defaults (not stored until they change them)."""
    try:
        prefs: Preferences = getattr(user, "notify_preferences")  # noqa: B009 (reverse one-to-one)
    except Preferences.DoesNotExist:
        return Preferences(user=user)
    return prefs


def next_due_at() -> dt.datetime | None:
    """When the worker should look again (the earliest pending delivery)."""
    found = Delivery.objects.filter(state=DeliveryState.PENDING).aggregate(first=Min("due_at"))
    return found["first"]  # type: ignore[no-any-return]
