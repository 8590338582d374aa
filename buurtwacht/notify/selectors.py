import datetime as dt

from django.conf import settings
from django.db.models import Count, Min, Q
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django_tasks import TaskResultStatus

from buurtwacht.accounts.models import User

from .models import Delivery, DeliveryState, Preferences, PushSubscription


def preferences_of(*, user: User) -> Preferences:
    """The member's preferences, or the defaults (not stored until they change them)."""
    try:
        prefs: Preferences = getattr(user, "notify_preferences")  # noqa: B009 (reverse one-to-one)
    except Preferences.DoesNotExist:
        return Preferences(user=user)
    return prefs


def push_device_count(*, user: User) -> int:
    return PushSubscription.objects.filter(user=user).count()


def language_of(*, user: User) -> str:
    """The language to write to the person in: the one they chose, else the site's."""
    return user.language or settings.LANGUAGE_CODE


def next_due_at() -> dt.datetime | None:
    """When a worker should look again: the earliest moment a pending delivery can be
    claimed, which is when it is due, or, while a worker holds it, when that claim runs
    out (renewed while the worker lives, so a look then finds it held still)."""
    claimable_from = Greatest("due_at", Coalesce("claimed_until", "due_at"))
    found = Delivery.objects.filter(state=DeliveryState.PENDING).aggregate(
        first=Min(claimable_from)
    )
    return found["first"]  # type: ignore[no-any-return]


def look_waiting(*, by: dt.datetime | None) -> bool:
    """Whether a look at the outbox (`deliver_due`) is queued to start by `by` (now when
    None) and has not started yet.  Only known of the database task backend."""
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult, get_date_max

    from .tasks import deliver_due

    backend = deliver_due.get_backend()
    if not isinstance(backend, DatabaseBackend):
        return False
    return DBTaskResult.objects.filter(
        Q(run_after=get_date_max()) | Q(run_after__lte=by or timezone.now()),  # max: now
        status=TaskResultStatus.READY,
        task_path=deliver_due.module_path,
        queue_name=deliver_due.queue_name,
        backend_name=backend.alias,
    ).exists()


def outbox_depth() -> tuple[int, int]:
    """(due now, pending in all) notifications that are not sent yet."""
    pending = Delivery.objects.filter(state=DeliveryState.PENDING)
    found = pending.aggregate(
        due=Count("id", filter=Q(due_at__lte=timezone.now())), pending=Count("id")
    )
    return found["due"], found["pending"]


def oldest_due() -> dt.datetime | None:
    """When the oldest notification that is due and not sent became due."""
    found = Delivery.objects.filter(
        state=DeliveryState.PENDING, due_at__lte=timezone.now()
    ).aggregate(first=Min("due_at"))
    return found["first"]  # type: ignore[no-any-return]
