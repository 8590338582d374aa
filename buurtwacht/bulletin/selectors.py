"""Reads for the bulletin: the published notices of a group (public), its subscribers."""

from django.db.models import QuerySet

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
