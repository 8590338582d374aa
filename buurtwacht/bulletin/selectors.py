"""Reads for the bulletin: the published notices of a group (public), its subscribers."""

import datetime as dt

from django.db.models import QuerySet

from buurtwacht.alerts.models import Alert, AlertUpdate
from buurtwacht.core import clock

from .models import Notice, Subscriber

PUBLIC_COUNT = 10


def published_notices(*, group_id: int, limit: int = PUBLIC_COUNT) -> QuerySet[Notice]:
    return Notice.objects.filter(group_id=group_id, withdrawn_at__isnull=True).order_by(
        "-published_at", "-pk"
    )[:limit]


def notices_for_admins(*, group_id: int) -> QuerySet[Notice]:
    return (
        Notice.objects.filter(group_id=group_id)
        .select_related("author")
        .order_by("-published_at", "-pk")
    )


def active_subscribers(*, group_id: int) -> QuerySet[Subscriber]:
    return Subscriber.objects.filter(
        group_id=group_id, confirmed_at__isnull=False, unsubscribed_at__isnull=True
    )


def subscriber_count(*, group_id: int) -> int:
    return active_subscribers(group_id=group_id).count()


def subscriber_by_token(*, token: str) -> Subscriber | None:
    return Subscriber.objects.select_related("group").filter(unsubscribe_token=token).first()


ALERT_DAYS = 90
ALERT_LIMIT = 500


def recent_alert_texts(*, group_id: int) -> list[str]:
    """What the group's alerts of the last months said, to keep them out of its public
    notices (R-RUL-7): an alert's text and its updates."""
    since = clock.now() - dt.timedelta(days=ALERT_DAYS)
    alerts = Alert.objects.filter(group_id=group_id, created_at__gte=since).order_by("-pk")
    texts = list(alerts.values_list("what", flat=True)[:ALERT_LIMIT])
    texts += AlertUpdate.objects.filter(
        alert__group_id=group_id, created_at__gte=since
    ).values_list("text", flat=True)[:ALERT_LIMIT]
    return texts
