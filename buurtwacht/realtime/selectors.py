from .models import Event


def stream_position(*, group_id: int) -> int:
    """The id of the group's latest event (0 when there is none): where `since` starts."""
    latest = Event.objects.filter(group_id=group_id).order_by("-id").values_list("id", flat=True)
    return latest.first() or 0
