"""The only writers for notifications: preferences, push subscriptions, and the outbox.

An alert creates one delivery per absent member per transport (members with a live socket
got it already); the task worker sends them.  Deliveries are claimed for a short lease, so
a worker that dies mid-batch leaves them to the next one, and each is marked sent once.
"""

import datetime as dt
import logging
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from buurtwacht.accounts.models import User
from buurtwacht.alerts.models import Alert
from buurtwacht.chat.models import ChatMessage
from buurtwacht.core import clock
from buurtwacht.groups.models import (
    Group,
    JoinRequest,
    Membership,
    MembershipRole,
    MembershipStatus,
)
from buurtwacht.realtime.selectors import present_user_ids

from . import content
from .models import Delivery, DeliveryState, Preferences, PushSubscription, Transport
from .selectors import preferences_of
from .transports import TRANSPORTS, PermanentFailure, TemporaryFailure

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 8


# --- what to send, to whom ------------------------------------------------------------


def _recipients(
    group: Group, *, exclude: int | None, roles: tuple[str, ...] | None = None
) -> list[User]:
    """Active members without a live socket in the group (usually few: loaded only then)."""
    members = Membership.objects.filter(
        group=group, status=MembershipStatus.ACTIVE, user__is_active=True
    )
    if roles is not None:
        members = members.filter(role__in=roles)
    absent = set(members.values_list("user_id", flat=True)) - present_user_ids(group_id=group.pk)
    absent.discard(exclude)  # type: ignore[arg-type]
    if not absent:
        return []
    return list(
        User.objects.filter(pk__in=absent)
        .select_related("notify_preferences")
        .prefetch_related("push_subscriptions")
    )


def _deliveries(
    user: User,
    *,
    kind: str,
    source: str,
    payload: dict[str, str],
    due_at: dt.datetime,
    transports: tuple[str, ...],
) -> list[Delivery]:
    prefs = preferences_of(user=user)
    made = []
    common = {"user": user, "kind": kind, "source": source, "payload": payload, "due_at": due_at}
    if Transport.WEBPUSH in transports and prefs.webpush:
        made += [
            Delivery(transport=Transport.WEBPUSH, subscription=s, **common)
            for s in getattr(user, "push_subscriptions").all()  # noqa: B009 (prefetched)
        ]
    if Transport.EMAIL in transports and prefs.email and user.email:
        made.append(Delivery(transport=Transport.EMAIL, **common))
    if Transport.SMS in transports and prefs.sms and prefs.phone:
        made.append(Delivery(transport=Transport.SMS, **common))
    return made


def _enqueue(deliveries: list[Delivery]) -> int:
    if not deliveries:
        return 0
    Delivery.objects.bulk_create(deliveries, ignore_conflicts=True)
    transaction.on_commit(_wake_worker)
    return len(deliveries)


def _wake_worker() -> None:
    from .tasks import deliver_due

    deliver_due.enqueue()


def notify_alert(*, alert: Alert) -> int:
    """Alerts always go through, quiet hours or not, over every transport chosen."""
    recipients = _recipients(alert.group, exclude=alert.author_id)
    if not recipients:
        return 0
    payload = content.for_alert(alert)
    now = clock.now()
    made: list[Delivery] = []
    for user in recipients:
        made += _deliveries(
            user,
            kind="alert",
            source=f"alert:{alert.pk}",
            payload=payload,
            due_at=now,
            transports=(Transport.WEBPUSH, Transport.EMAIL, Transport.SMS),
        )
    return _enqueue(made)


def notify_chat(*, message: ChatMessage) -> int:
    """Chat never wakes anyone: inside quiet hours it waits until they end (push only)."""
    payload = content.for_chat(message.group)
    now = clock.now()
    made: list[Delivery] = []
    for user in _recipients(message.group, exclude=message.author_id):
        prefs = preferences_of(user=user)
        if not prefs.chat:
            continue
        made += _deliveries(
            user,
            kind="chat",
            source=f"chat:{message.pk}",
            payload=payload,
            due_at=after_quiet_hours(prefs, now),
            transports=(Transport.WEBPUSH,),
        )
    return _enqueue(made)


def notify_join_request(*, join_request: JoinRequest) -> int:
    payload = content.for_join_request(join_request.group)
    made: list[Delivery] = []
    for admin in _recipients(join_request.group, exclude=None, roles=(MembershipRole.ADMIN,)):
        made += _deliveries(
            admin,
            kind="join_request",
            source=f"join_request:{join_request.pk}",
            payload=payload,
            due_at=after_quiet_hours(preferences_of(user=admin), clock.now()),
            transports=(Transport.WEBPUSH, Transport.EMAIL),
        )
    return _enqueue(made)


def after_quiet_hours(prefs: Preferences, now: dt.datetime) -> dt.datetime:
    """`now`, or the end of the quiet hours when `now` falls inside them (local time)."""
    local = timezone.localtime(now)
    start, end = prefs.quiet_start, prefs.quiet_end
    t = local.time()
    inside = (start <= t < end) if start <= end else (t >= start or t < end)
    if not inside or start == end:
        return now
    end_day = local.date() if t < end else local.date() + dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(end_day, end), local.tzinfo)


# --- preferences and subscriptions ------------------------------------------------------


@dataclass(frozen=True)
class PreferenceChange:
    webpush: bool
    email: bool
    sms: bool
    phone: str
    chat: bool
    quiet_start: dt.time
    quiet_end: dt.time


def update_preferences(*, user: User, change: PreferenceChange) -> Preferences:
    prefs, _created = Preferences.objects.update_or_create(user=user, defaults=vars(change))
    return prefs


MAX_PUSH_DEVICES = 10  # per person; one more replaces the one subscribed longest ago


@transaction.atomic
def subscribe_push(*, user: User, endpoint: str, p256dh: str, auth: str) -> PushSubscription:
    """A browser's push subscription; an endpoint belongs to whoever subscribed it last."""
    subscription, _created = PushSubscription.objects.update_or_create(
        endpoint=endpoint, defaults={"user": user, "p256dh": p256dh, "auth": auth}
    )
    others = PushSubscription.objects.filter(user=user).exclude(pk=subscription.pk)
    newest = others.order_by("-created_at", "-pk").values_list("pk", flat=True)
    others.exclude(pk__in=list(newest[: MAX_PUSH_DEVICES - 1])).delete()
    return subscription


def unsubscribe_push(*, user: User, endpoint: str) -> None:
    PushSubscription.objects.filter(user=user, endpoint=endpoint).delete()


def unsubscribe_all_push(*, user: User) -> None:
    PushSubscription.objects.filter(user=user).delete()


# --- the worker's side -------------------------------------------------------------------


def process_due(*, limit: int = 500) -> int:
    """Send what is due; returns how many were handed over.  Safe to run in parallel.

    NOTIFY_CONCURRENCY sends run at once in threads (most time is waiting for the other
    side; the threads touch no database).  Each result is recorded as soon as it is known,
    so a worker that dies leaves only its in-flight sends to be retried.  A retried push
    carries the same tag, so a phone replaces rather than repeats it."""
    batch = _claim(limit=limit)
    sent = 0
    with ThreadPoolExecutor(max_workers=settings.NOTIFY_CONCURRENCY) as pool:
        futures = {pool.submit(_send, delivery): delivery for delivery in batch}
        for future in as_completed(futures):
            delivery, error = futures[future], future.result()
            if error is None:
                _finish(delivery)
                sent += 1
            elif isinstance(error, PermanentFailure):
                _finish(delivery, failed=str(error))
                if delivery.subscription_id:
                    PushSubscription.objects.filter(pk=delivery.subscription_id).delete()
            else:
                _retry(delivery, error=str(error)[:500])
    return sent


def _send(delivery: Delivery) -> Exception | None:
    """Hand one delivery to its transport; the failure, or None."""
    try:
        TRANSPORTS[delivery.transport].send(delivery)
    except (PermanentFailure, TemporaryFailure) as error:
        return error
    except Exception as error:  # a bug in a transport must not stop the others
        log.exception("delivery %s", delivery.pk)
        return TemporaryFailure(repr(error))
    return None


@transaction.atomic
def _claim(*, limit: int) -> list[Delivery]:
    now = clock.now()
    due = (
        Delivery.objects.select_for_update(skip_locked=True)
        .filter(state=DeliveryState.PENDING, due_at__lte=now)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .order_by("due_at", "id")
    )
    ids = list(due.values_list("id", flat=True)[:limit])
    lease = now + dt.timedelta(seconds=settings.NOTIFY_LEASE_SECONDS)
    Delivery.objects.filter(pk__in=ids).update(claimed_until=lease)
    return list(
        Delivery.objects.filter(pk__in=ids)
        .select_related("user", "user__notify_preferences", "subscription")
        .order_by("due_at", "id")
    )


def _finish(delivery: Delivery, *, failed: str = "") -> None:
    Delivery.objects.filter(pk=delivery.pk).update(
        state=DeliveryState.FAILED if failed else DeliveryState.SENT,
        attempts=delivery.attempts + 1,
        last_error=failed,
        sent_at=None if failed else clock.now(),
        claimed_until=None,
    )


def _retry(delivery: Delivery, *, error: str) -> None:
    attempts = delivery.attempts + 1
    if attempts >= MAX_ATTEMPTS:
        _finish(delivery, failed=error)
        return
    backoff = dt.timedelta(seconds=min(15 * 2 ** (attempts - 1), 3600))
    Delivery.objects.filter(pk=delivery.pk).update(
        attempts=attempts, last_error=error, due_at=clock.now() + backoff, claimed_until=None
    )
