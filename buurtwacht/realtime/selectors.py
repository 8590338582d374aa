from collections.abc import Iterable

from django.db.models import OuterRef, Subquery

from buurtwacht.core import clock
from buurtwacht.groups.models import Group

from .models import Event, Presence


def stream_head(*, group_id: int, at: int | None = None) -> tuple[int, int]:
    """(id, seq) of the group's latest event, or of its latest at or before position `at`;
    (0, 0) when there is none."""
    events = Event.objects.filter(group_id=group_id)
    if at is not None:
        events = events.filter(id__lte=at)
    return events.order_by("-id").values_list("id", "seq").first() or (0, 0)


def present_user_ids(*, group_id: int) -> set[int]:
    """Who has a live socket subscribed to the group right now."""
    rows = Presence.objects.filter(group_id=group_id, expires_at__gt=clock.now())
    return set(rows.values_list("user_id", flat=True))


def stream_heads(*, group_ids: Iterable[int]) -> dict[int, dict[str, int]]:
    """Per group its latest event id and seq (0, 0 without events), in one query: what a
    heartbeat tells clients.  Each group's head is one step down the (group, id) index."""
    latest = Event.objects.filter(group=OuterRef("pk")).order_by("-id")
    rows = (
        Group.objects.filter(pk__in=list(group_ids))
        .annotate(head=Subquery(latest.values("id")[:1]), seq=Subquery(latest.values("seq")[:1]))
        .values_list("pk", "head", "seq")
    )
    return {pk: {"position": head or 0, "seq": seq or 0} for pk, head, seq in rows}
