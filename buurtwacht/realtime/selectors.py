from buurtwacht.core import clock

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
