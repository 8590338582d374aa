"""The only writers for notifications: preferences, push subscriptions, and the outbox.

An alert creates one delivery per absent member per transport (members with a live socket
got it already); task workers send them (`process_due`, in the `deliver_due` task).

Each delivery is sent once, by any number of workers.  A run of `process_due` draws a
token and keeps at most NOTIFY_CONCURRENCY sends in flight; it claims a delivery only
when a send slot is free, so it holds nothing it is not sending.  A claim is one
conditional write: `claimed_by=token, claimed_until=now+lease` on a pending, due row
whose lease has run out or that nobody holds.  While the sends run, the run renews the
lease of those in flight every third of the lease.  So another worker can claim a row
only after its holder died (or stalled for two thirds of the lease), however long a send
or a batch takes; and a result is recorded only on a row the token still holds, so a run
that lost its claim changes nothing.  What a crashed worker had in flight is sent again
by another: a retried push carries the same tag, so a phone replaces rather than repeats
it.  (Workers compare times from their own clocks: keep them in step, e.g. NTP.)

After a crash nothing waits much longer than the lease.  Before its first send a run
queues a look at the outbox for when its lease would run out, and every look ends by
queueing the next for when a pending delivery can next be claimed: when it is due or
its claim runs out (`selectors.next_due_at`).  A look queued for then or earlier that has
not started is enough, so looks do not pile up.  A run that finds more due than it has
slots for asks another worker to help at once.
"""

import datetime as dt
import logging
import time
import uuid
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone, translation

from buurtwacht.accounts.models import User
from buurtwacht.alerts.models import Alert, Forward
from buurtwacht.alerts.selectors import full_name
from buurtwacht.chat.models import ChatMessage
from buurtwacht.core import clock, metrics
from buurtwacht.core.text import clean_text
from buurtwacht.groups.models import (
    Group,
    JoinRequest,
    Membership,
    MembershipRole,
    MembershipStatus,
)
from buurtwacht.realtime.selectors import present_user_ids

from . import content

if TYPE_CHECKING:
    from buurtwacht.groups.models import AuditEntry
    from buurtwacht.moderation.models import ModerationRecord
    from buurtwacht.municipality.models import Decision
    from buurtwacht.register.models import ContactMessage
    from buurtwacht.signage.models import SignRequest

from .models import Delivery, DeliveryState, Preferences, PushSubscription, Transport
from .selectors import language_of, look_waiting, next_due_at, preferences_of
from .transports import TRANSPORTS, PermanentFailure, TemporaryFailure

if TYPE_CHECKING:
    from buurtwacht.police.models import PoliceReport

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


Payload = dict[str, Any]


def _in_languages(build: Callable[[], Payload]) -> Callable[[User], Payload]:
    """What `build()` says, in each recipient's language (made once per language)."""
    made: dict[str, Payload] = {}

    def for_recipient(user: User) -> Payload:
        language = language_of(user=user)
        if language not in made:
            with translation.override(language):
                made[language] = build()
        return made[language]

    return for_recipient


def _deliveries(
    user: User,
    *,
    kind: str,
    source: str,
    texts: Callable[[User], Payload],
    due_at: dt.datetime,
    transports: tuple[str, ...],
    transactional: bool = False,
) -> list[Delivery]:
    """The person's deliveries over those of `transports` they chose, in their language.
    `transactional`: about their own membership, so the e-mail goes whatever their e-mail
    preference (as a password reset does)."""
    prefs = preferences_of(user=user)
    made = []
    payload = texts(user)
    common = {"user": user, "kind": kind, "source": source, "payload": payload, "due_at": due_at}
    if Transport.WEBPUSH in transports and prefs.webpush:
        made += [
            Delivery(transport=Transport.WEBPUSH, subscription=s, **common)
            for s in getattr(user, "push_subscriptions").all()  # noqa: B009 (prefetched)
        ]
    if Transport.EMAIL in transports and (prefs.email or transactional) and user.email:
        made.append(Delivery(transport=Transport.EMAIL, **common))
    if Transport.SMS in transports and prefs.sms and prefs.phone:
        made.append(Delivery(transport=Transport.SMS, **common))
    return made


def _enqueue(deliveries: list[Delivery]) -> int:
    if not deliveries:
        return 0
    Delivery.objects.bulk_create(deliveries, ignore_conflicts=True)
    transaction.on_commit(schedule_look)
    return len(deliveries)


def notify_alert(*, alert: Alert) -> int:
    """Alerts always go through, quiet hours or not, over every transport chosen."""
    recipients = _recipients(alert.group, exclude=alert.author_id)
    if not recipients:
        return 0
    texts = _in_languages(lambda: content.for_alert(alert))
    now = clock.now()
    made: list[Delivery] = []
    for user in recipients:
        made += _deliveries(
            user,
            kind="alert",
            source=f"alert:{alert.pk}",
            texts=texts,
            due_at=now,
            transports=(Transport.WEBPUSH, Transport.EMAIL, Transport.SMS),
        )
    return _enqueue(made)


def notify_chat(*, message: ChatMessage) -> int:
    """Chat never wakes anyone: inside quiet hours it waits until they end (push only)."""
    texts = _in_languages(lambda: content.for_chat(message.group))
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
            texts=texts,
            due_at=after_quiet_hours(prefs, now),
            transports=(Transport.WEBPUSH,),
        )
    return _enqueue(made)


def notify_join_request(*, join_request: JoinRequest) -> int:
    # To the admins, who contact the applicant: the full name (alerts/selectors.py).
    texts = _in_languages(
        lambda: content.for_join_request(join_request.group, full_name(user=join_request.user))
    )
    made: list[Delivery] = []
    for admin in _recipients(join_request.group, exclude=None, roles=(MembershipRole.ADMIN,)):
        made += _deliveries(
            admin,
            kind="join_request",
            source=f"join_request:{join_request.pk}",
            texts=texts,
            due_at=after_quiet_hours(preferences_of(user=admin), clock.now()),
            transports=(Transport.WEBPUSH, Transport.EMAIL),
        )
    return _enqueue(made)


def notify_membership(*, entry: "AuditEntry") -> int:
    """A decision about the person's own membership (the audit `entry`: admitted, denied,
    removed, made admin by platform staff).  It is about them, so the e-mail goes at once
    whatever their e-mail preference, with the admins' reason; a push as well if they
    take pushes, without the reason and not at night."""
    user = entry.subject
    if user is None or not user.is_active:
        return 0
    source, now = f"membership:{entry.pk}", clock.now()
    made = _deliveries(
        user,
        kind="membership",
        source=source,
        texts=_in_languages(lambda: content.for_membership(entry, lock_screen=False)),
        due_at=now,
        transports=(Transport.EMAIL,),
        transactional=True,
    )
    made += _deliveries(
        user,
        kind="membership",
        source=source,
        texts=_in_languages(lambda: content.for_membership(entry, lock_screen=True)),
        due_at=after_quiet_hours(preferences_of(user=user), now),
        transports=(Transport.WEBPUSH,),
    )
    return _enqueue(made)


def notify_verification(*, decision: "Decision") -> int:
    """Platform staff approved or denied the person's request to be verified: about them,
    so the e-mail goes at once whatever their e-mail preference (as a membership decision),
    in their language."""
    user = decision.subject
    if not user.is_active:
        return 0
    return _enqueue(
        _deliveries(
            user,
            kind="verification",
            source=f"verification:{decision.pk}",
            texts=_in_languages(lambda: content.for_verification(decision)),
            due_at=clock.now(),
            transports=(Transport.EMAIL,),
            transactional=True,
        )
    )


def notify_forward(*, forward: Forward) -> int:
    """A neighbouring group's warning (R-ADJ-1) to the receiving group's admins: like an
    alert it goes through at once, quiet hours or not."""
    texts = _in_languages(lambda: content.for_forward(forward))
    made: list[Delivery] = []
    for admin in _recipients(forward.to_group, exclude=None, roles=(MembershipRole.ADMIN,)):
        made += _deliveries(
            admin,
            kind="forward",
            source=f"forward:{forward.pk}",
            texts=texts,
            due_at=clock.now(),
            transports=(Transport.WEBPUSH, Transport.EMAIL, Transport.SMS),
        )
    return _enqueue(made)


def notify_contact_message(*, message: "ContactMessage") -> int:
    """A visitor's message from a public group page, to the group's admins: the e-mail
    carries it in full (with the visitor's address to reply to), a push only says it came."""
    made: list[Delivery] = []
    source, now = f"contact:{message.pk}", clock.now()
    email_texts = _in_languages(lambda: content.for_contact(message))
    push_texts = _in_languages(lambda: content.for_contact_push(message))
    for admin in _group_admins(message.group_id):
        made += _deliveries(
            admin,
            kind="contact",
            source=source,
            texts=email_texts,
            due_at=now,
            transports=(Transport.EMAIL,),
        )
        made += _deliveries(
            admin,
            kind="contact",
            source=source,
            texts=push_texts,
            due_at=now,
            transports=(Transport.WEBPUSH,),
        )
    return _enqueue(made)


def notify_police_follow_up(*, report: "PoliceReport", users: list[User]) -> int:
    """R-FUP-1: 48 hours without police feedback.  To everyone given (the reporter and the
    admins), connected or not: a socket shows alerts, not this.  Never at night."""
    texts = _in_languages(lambda: content.for_police_follow_up(report))
    made: list[Delivery] = []
    for user in users:
        made += _deliveries(
            user,
            kind="police_follow_up",
            source=f"police_follow_up:{report.pk}",
            texts=texts,
            due_at=after_quiet_hours(preferences_of(user=user), clock.now()),
            transports=(Transport.WEBPUSH, Transport.EMAIL),
        )
    return _enqueue(made)


def notify_wijkagent_ended(*, membership: Membership) -> int:
    """The officer's police verification was revoked: the group's admins hear that the
    wijkagent no longer reads along (push and e-mail, not at night)."""
    texts = _in_languages(lambda: content.for_wijkagent_ended(membership))
    made: list[Delivery] = []
    for admin in _group_admins(membership.group_id):
        made += _deliveries(
            admin,
            kind="wijkagent_ended",
            source=f"wijkagent_ended:{membership.pk}:{membership.ended_at:%Y%m%d%H%M%S%f}",
            texts=texts,
            due_at=after_quiet_hours(preferences_of(user=admin), clock.now()),
            transports=(Transport.WEBPUSH, Transport.EMAIL),
        )
    return _enqueue(made)


def _group_admins(group_id: int) -> list[User]:
    return list(
        User.objects.filter(
            memberships__group_id=group_id,
            memberships__role=MembershipRole.ADMIN,
            memberships__status=MembershipStatus.ACTIVE,
            is_active=True,
        )
        .select_related("notify_preferences")
        .prefetch_related("push_subscriptions")
    )


def notify_municipality_message(*, entry: "AuditEntry", municipality: str) -> int:
    """The municipality coordinator's message to a group's admins (push and e-mail, not
    at night); the coordinator never sees who the admins are."""
    texts = _in_languages(
        lambda: content.for_municipality_message(
            entry.group, municipality=municipality, text=entry.reason
        )
    )
    made: list[Delivery] = []
    for admin in _group_admins(entry.group_id):
        made += _deliveries(
            admin,
            kind="municipality_message",
            source=f"municipality_message:{entry.pk}",
            texts=texts,
            due_at=after_quiet_hours(preferences_of(user=admin), clock.now()),
            transports=(Transport.WEBPUSH, Transport.EMAIL),
        )
    return _enqueue(made)


def notify_moderation_threat(*, record: "ModerationRecord") -> int:
    """R-RUL-3: a threat or a call for eigenrichting was blocked in the group: its admins
    are told at once (push and e-mail, also at night: it may be about tonight).  The
    message says where and points to the review queue; the words stay in the queue."""
    texts = _in_languages(lambda: content.for_moderation_threat(record))
    made: list[Delivery] = []
    for admin in _group_admins(record.group_id):
        made += _deliveries(
            admin,
            kind="moderation_threat",
            source=f"moderation_threat:{record.pk}",
            texts=texts,
            due_at=clock.now(),
            transports=(Transport.WEBPUSH, Transport.EMAIL),
        )
    return _enqueue(made)


def notify_sign_request(
    *, sign_request: "SignRequest", step: str, coordinators: list[User], actor: User
) -> int:
    """R-VIS-1: each step of a sign request reaches both sides, the group's admins and the
    municipality's coordinators (not the one who took the step)."""
    made: list[Delivery] = []
    sides = [(False, _group_admins(sign_request.group_id)), (True, coordinators)]
    for for_municipality, users in sides:
        texts = _in_languages(
            partial(
                content.for_sign_request,
                sign_request,
                step=step,
                for_municipality=for_municipality,
            )
        )
        for user in users:
            if user.pk == actor.pk:
                continue
            made += _deliveries(
                user,
                kind="sign_request",
                source=f"sign_request:{sign_request.pk}:{step}",
                texts=texts,
                due_at=after_quiet_hours(preferences_of(user=user), clock.now()),
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


def forget_deliveries(*, sources: list[str]) -> int:
    """Retention: the notifications about deleted content (sent or not) go with it."""
    if not sources:
        return 0
    return Delivery.objects.filter(source__in=sources).delete()[0]


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
    endpoint = clean_text(endpoint, code="bad_endpoint", single_line=True)  # NUL: PostgreSQL
    PushSubscription.objects.filter(user=user, endpoint=endpoint).delete()


def unsubscribe_all_push(*, user: User) -> None:
    PushSubscription.objects.filter(user=user).delete()


# --- the worker's side -------------------------------------------------------------------


def process_due(*, limit: int = 500) -> int:
    """Send what is due, at most `limit`; returns how many were handed over.  Safe to run
    in any number of workers at once (see the module docstring).

    NOTIFY_CONCURRENCY sends run at once in threads (most time is waiting for the other
    side; the threads touch no database).  This thread claims a delivery when a send slot
    is free, records each result as soon as it is known, and renews the lease of what is
    in flight every third of the lease."""
    token = uuid.uuid4().hex
    lease = dt.timedelta(seconds=settings.NOTIFY_LEASE_SECONDS)
    renew_every = settings.NOTIFY_LEASE_SECONDS / 3
    slots = settings.NOTIFY_CONCURRENCY
    in_flight: dict[Future[Exception | None], Delivery] = {}
    claimed = sent = 0
    renew_at = time.monotonic() + renew_every
    with ThreadPoolExecutor(max_workers=slots) as pool:
        while True:
            wanted = min(slots - len(in_flight), limit - claimed)
            if wanted > 0:  # after a completion, or on a renewal tick
                batch = _claim(token=token, limit=wanted, lease=lease, first=not claimed)
                claimed += len(batch)
                for delivery in batch:
                    in_flight[pool.submit(_send, delivery)] = delivery
            if not in_flight:
                return sent
            done, _running = wait(
                in_flight,
                timeout=max(0.0, renew_at - time.monotonic()),
                return_when=FIRST_COMPLETED,
            )
            for future in done:
                sent += _record(in_flight.pop(future), future.result(), token=token)
            if time.monotonic() >= renew_at:
                _renew(token=token, deliveries=list(in_flight.values()), lease=lease)
                renew_at = time.monotonic() + renew_every


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


def _record(delivery: Delivery, error: Exception | None, *, token: str) -> int:
    """Record how a send went; 1 if the delivery was handed over."""
    result = (
        "sent" if error is None else "failed" if isinstance(error, PermanentFailure) else "retry"
    )
    metrics.NOTIFICATIONS.labels(transport=delivery.transport, result=result).inc()
    if error is None:
        _finish(delivery, token=token)
        return 1
    if isinstance(error, PermanentFailure):
        _finish(delivery, token=token, failed=str(error))
        if delivery.subscription_id:  # the push service said it is gone, whoever asked
            PushSubscription.objects.filter(pk=delivery.subscription_id).delete()
    else:
        _retry(delivery, token=token, error=str(error)[:500])
    return 0


@transaction.atomic
def _claim(*, token: str, limit: int, lease: dt.timedelta, first: bool) -> list[Delivery]:
    """Up to `limit` due deliveries that nobody holds, now held by `token` until `lease`
    from now.  A run's `first` claim also queues the looks that cover it."""
    now = clock.now()
    claimable = Q(state=DeliveryState.PENDING, due_at__lte=now) & (
        Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    )
    candidates = (
        Delivery.objects.select_for_update(skip_locked=True)
        .filter(claimable)
        .exclude(claimed_by=token)  # in flight in this run, even if it fell behind renewing
        .order_by("due_at", "id")
        .values_list("id", flat=True)
    )
    ids = list(candidates[: limit + 1])
    more, ids = len(ids) > limit, ids[:limit]
    if not ids:
        return []
    # The condition again in the write itself: it decides on the row as it is now, on
    # any database, whatever the select above could lock.
    Delivery.objects.filter(claimable, pk__in=ids).update(
        claimed_by=token, claimed_until=now + lease
    )
    batch = list(
        Delivery.objects.filter(pk__in=ids, claimed_by=token)
        .select_related("user", "user__notify_preferences", "subscription")
        .order_by("due_at", "id")
    )
    if first and batch:
        # Committed with the claim, before any send: should this worker die, a look comes
        # when its lease runs out; with more due than it has slots for, another comes now.
        schedule_look(at=now + lease)
        if more:
            schedule_look()
    return batch


def _renew(*, token: str, deliveries: list[Delivery], lease: dt.timedelta) -> None:
    if not deliveries:
        return
    held = Delivery.objects.filter(
        pk__in=[d.pk for d in deliveries], claimed_by=token, state=DeliveryState.PENDING
    ).update(claimed_until=clock.now() + lease)
    if held < len(deliveries):
        log.warning(
            "%d deliveries in flight lost their claim: this worker fell behind renewing it",
            len(deliveries) - held,
        )


def _held(delivery: Delivery, *, token: str) -> QuerySet[Delivery]:
    """The delivery, if `token` still holds it: only then does its result count."""
    return Delivery.objects.filter(pk=delivery.pk, claimed_by=token, state=DeliveryState.PENDING)


def _finish(delivery: Delivery, *, token: str, failed: str = "") -> None:
    if not _held(delivery, token=token).update(
        state=DeliveryState.FAILED if failed else DeliveryState.SENT,
        attempts=delivery.attempts + 1,
        last_error=failed,
        sent_at=None if failed else clock.now(),
        claimed_by="",
        claimed_until=None,
    ):
        log.warning("delivery %s: claim lost before the result was recorded", delivery.pk)


def _retry(delivery: Delivery, *, token: str, error: str) -> None:
    attempts = delivery.attempts + 1
    if attempts >= MAX_ATTEMPTS:
        _finish(delivery, token=token, failed=error)
        return
    backoff = dt.timedelta(seconds=min(15 * 2 ** (attempts - 1), 3600))
    if not _held(delivery, token=token).update(
        attempts=attempts,
        last_error=error,
        due_at=clock.now() + backoff,
        claimed_by="",
        claimed_until=None,
    ):
        log.warning("delivery %s: claim lost before the retry was recorded", delivery.pk)


def schedule_look(*, at: dt.datetime | None = None) -> None:
    """Make sure a worker looks at the outbox by `at` (now when None): queue `deliver_due`
    unless a look that starts by then is queued already.  Only one that has not started
    counts: it is sure to see what is in the database now."""
    from .tasks import deliver_due

    if look_waiting(by=at):
        return
    (deliver_due if at is None else deliver_due.using(run_after=at)).enqueue()


def schedule_next_look() -> None:
    """After a look: the next one for when a pending delivery can next be claimed (it is
    due, or a claim on it runs out)."""
    following = next_due_at()
    if following is not None:
        schedule_look(at=max(following, clock.now()))
