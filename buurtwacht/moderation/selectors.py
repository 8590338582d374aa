"""Reads for moderation: the review queue, and what an author sees of their hidden posts."""

from django.db.models import QuerySet

from buurtwacht.accounts.models import User
from buurtwacht.alerts.models import Alert, AlertUpdate
from buurtwacht.chat.models import ChatMessage
from buurtwacht.groups.models import Group

from .models import ModerationRecord


def open_records(*, group: Group) -> QuerySet[ModerationRecord]:
    return ModerationRecord.objects.filter(group=group, resolved_at__isnull=True).select_related(
        "author", "reporter", "chat_message", "alert", "update"
    )


def hidden_for_author(*, group: Group, user: User, limit: int = 10) -> list[dict[str, str]]:
    """The author's own hidden alerts and chat messages, with the admin's reason."""
    shown: list[dict[str, str]] = []
    for alert in Alert.objects.filter(group=group, author=user, hidden_at__isnull=False).order_by(
        "-hidden_at"
    )[:limit]:
        shown.append({"text": alert.what, "reason": alert.hidden_reason})
    for update in AlertUpdate.objects.filter(
        alert__group=group, author=user, hidden_at__isnull=False
    ).order_by("-hidden_at")[:limit]:
        shown.append({"text": update.text, "reason": update.hidden_reason})
    for message in ChatMessage.objects.filter(
        group=group, author=user, hidden_at__isnull=False
    ).order_by("-hidden_at")[:limit]:
        shown.append({"text": message.text, "reason": message.hidden_reason})
    return shown
