from django.db.models import QuerySet

from buurtwacht.groups.models import Group

from .models import ChatMessage


def recent_messages(*, group: Group, limit: int = 50) -> list[ChatMessage]:
    latest: QuerySet[ChatMessage] = (
        ChatMessage.objects.filter(group=group).select_related("author").order_by("-id")[:limit]
    )
    return list(reversed(latest))
