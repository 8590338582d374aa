"""The only writer of the register: a visitor's message to a group's admins (R-REG-1).

The message goes through the notify outbox to the group's admins (e-mail in full; a push
only says that a message came); the visitor never learns who the admins are.  Rate
limited per visitor (a keyed hash of the IP address) and per group.
"""

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from buurtwacht.core import clock
from buurtwacht.core.errors import ActionError
from buurtwacht.core.text import clean_text
from buurtwacht.groups.models import Group
from buurtwacht.moderation.actions import screen_outside_group
from buurtwacht.notify.actions import notify_contact_message

from .models import ContactMessage

# Per visitor (IP) and per group, within the window.
PER_SENDER = 3
PER_GROUP = 20
WINDOW = dt.timedelta(hours=1)
MAX_BODY = 2000


@dataclass(frozen=True)
class Contact:
    name: str
    email: str
    body: str


def sender_key(ip_address: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), ip_address.encode(), hashlib.sha256).hexdigest()


@transaction.atomic
def send_contact_message(
    *, group_id: int, contact: Contact, ip_address: str, confirm_language: bool = False
) -> ContactMessage:
    group = Group.objects.filter(pk=group_id).first()
    if group is None:
        raise Http404
    name = clean_text(contact.name, code="name", single_line=True)
    email = clean_text(contact.email, code="email", single_line=True)
    body = clean_text(contact.body, code="body")
    if not name or not body:
        raise ActionError("empty", _("Fill in your name and your message."))
    if len(body) > MAX_BODY:
        raise ActionError(
            "too_long", _("Keep your message under %(max)s characters.") % {"max": MAX_BODY}
        )
    screen_outside_group(texts=[name, body], confirmed=confirm_language)  # R-RUL-3
    key = sender_key(ip_address)
    since = clock.now() - WINDOW
    recent = ContactMessage.objects.filter(created_at__gte=since)
    if recent.filter(sender_key=key).count() >= PER_SENDER:
        raise ActionError(
            "rate_limited",
            _("You have sent several messages in a short time. Please try again later."),
        )
    if recent.filter(group_id=group.pk).count() >= PER_GROUP:
        raise ActionError(
            "rate_limited",
            _("This group has received many messages just now. Please try again later."),
        )
    message = ContactMessage.objects.create(
        group_id=group.pk, sender_name=name, sender_email=email, body=body, sender_key=key
    )
    notify_contact_message(message=message)
    return message
