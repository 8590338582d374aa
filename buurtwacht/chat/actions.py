"""The only writer for chat: one message, idempotent by client id, published after commit."""

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from buurtwacht.accounts.models import User
from buurtwacht.core.errors import ActionError
from buurtwacht.core.text import clean_text
from buurtwacht.groups.access import GroupAccess, passed_gate
from buurtwacht.groups.models import Group
from buurtwacht.groups.policy import Action
from buurtwacht.moderation.actions import flag_posted, screen
from buurtwacht.moderation.models import Place
from buurtwacht.notify.actions import notify_chat
from buurtwacht.realtime.actions import clean_client_id, record_event

from .models import ChatMessage

MAX_TEXT = 2000


def post_chat(
    *,
    user: User,
    group_id: int,
    client_id: str,
    text: str,
    confirm_language: bool = False,
    access: GroupAccess | None = None,
) -> tuple[ChatMessage, bool]:
    """Screened for language first (R-RUL-3): `block` is never stored, `warn` needs
    `confirm_language` and then goes to the admins' review queue.  `access`: what the
    gate already answered the caller for posting here (else the gate is asked)."""
    access = passed_gate(access, user=user, group_id=group_id, action=Action.POST_CHAT)
    verdict = screen(
        user=user,
        group_id=group_id,
        action=Action.POST_CHAT,
        place=Place.CHAT,
        texts=[text],
        confirmed=confirm_language,
        access=access,
    )
    with transaction.atomic():
        message, created = _post_chat(user=user, group=access.group, client_id=client_id, text=text)
        if created:
            flag_posted(
                group=message.group,
                author=user,
                place=Place.CHAT,
                text=message.text,
                verdict=verdict,
                chat_message=message,
            )
    return message, created


def _post_chat(*, user: User, group: Group, client_id: str, text: str) -> tuple[ChatMessage, bool]:
    client_id = clean_client_id(client_id)
    existing = ChatMessage.objects.filter(group=group, author=user, client_id=client_id).first()
    if existing is not None:
        return existing, False
    text = clean_text(text, code="text")
    if not text or len(text) > MAX_TEXT:
        raise ActionError("text", _("Write a message of at most 2000 characters."))
    message, created = ChatMessage.objects.get_or_create(  # one, also for a resend racing it
        group=group, author=user, client_id=client_id, defaults={"text": text}
    )
    if not created:
        return message, False
    publish_chat(message)
    notify_chat(message=message)
    return message, True


def publish_chat(message: ChatMessage) -> None:
    record_event(
        group=message.group,
        type="chat.message",
        payload={
            "message": {
                "id": message.pk,
                "author": message.author_id,
                "text": message.text,
                "at": message.created_at.isoformat(),
            }
        },
    )


def delete_chat_before(*, group: Group, cutoff: dt.datetime) -> list[int]:
    """Retention: the group's chat messages made before `cutoff` are deleted; returns
    their ids (the caller deletes their events and notifications)."""
    expired = ChatMessage.objects.filter(group=group, created_at__lt=cutoff)
    ids = list(expired.values_list("id", flat=True))
    if ids:
        ChatMessage.objects.filter(pk__in=ids).delete()
    return ids
