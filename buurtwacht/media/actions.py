"""The only writers for photos on alerts (R-RUL-6).  A photo comes with the reason why it
is necessary; it is stored re-encoded without metadata (images.py) and is gone after the
group's photo retention."""

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from buurtwacht.accounts.models import User
from buurtwacht.alerts.models import Alert
from buurtwacht.core.errors import ActionError
from buurtwacht.core.text import clean_text
from buurtwacht.groups.models import Group

from .images import PreparedImage
from .models import AlertPhoto, PhotoReason

MAX_REASON = 300


@dataclass(frozen=True)
class PhotoDraft:
    """A checked, re-encoded image (images.prepare_image) and why it is necessary."""

    image: PreparedImage
    reason: str
    reason_text: str


def check_reason(*, reason: str, reason_text: str) -> tuple[str, str]:
    if reason not in PhotoReason.values:
        raise ActionError(
            "photo_reason", _("Say why the photo is necessary: choose a reason from the list.")
        )
    text = clean_text(reason_text, code="photo_reason")
    if not text:
        raise ActionError(
            "photo_reason", _("Explain in a few words why the photo is necessary for this alert.")
        )
    if len(text) > MAX_REASON:
        raise ActionError("too_long", _("Keep the reason for the photo short: 300 characters."))
    from buurtwacht.moderation.actions import screen_outside_group

    screen_outside_group(texts=[text])  # R-RUL-3: members see the reason with the photo
    return reason, text


def store_photo(*, alert: Alert, user: User, draft: PhotoDraft) -> AlertPhoto:
    """Called by the alert actions, in their transaction (they check access and publish)."""
    reason, text = check_reason(reason=draft.reason, reason_text=draft.reason_text)
    if AlertPhoto.objects.filter(alert=alert).exists():
        raise ActionError("photo_exists", _("This alert already has a photo."))
    return AlertPhoto.objects.create(
        alert=alert,
        uploaded_by=user,
        reason=reason,
        reason_text=text,
        image=draft.image.image,
        thumbnail=draft.image.thumbnail,
        width=draft.image.width,
        height=draft.image.height,
    )


def delete_photos_before(*, group: Group, cutoff: dt.datetime) -> list[int]:
    """The group's photos made before `cutoff` are deleted; returns their alerts' ids."""
    expired = AlertPhoto.objects.filter(alert__group=group, created_at__lt=cutoff)
    alert_ids = list(expired.values_list("alert_id", flat=True))
    expired.delete()
    return alert_ids
