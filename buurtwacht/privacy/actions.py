"""Deleting what has expired.  Each kind of content is deleted where it lives (alerts,
chat, media); its stream events and notification records go with it, in one transaction
per group.  Deletes what is older than the cut-off, whenever it runs: a run that comes
late (the worker was down) catches up, and running it twice deletes nothing more."""

import datetime as dt
import logging
from dataclasses import dataclass

from django.db import transaction

from buurtwacht.alerts.actions import delete_alerts_before, photos_expired
from buurtwacht.chat.actions import delete_chat_before
from buurtwacht.core import clock
from buurtwacht.groups.models import Group
from buurtwacht.groups.selectors import retention_of
from buurtwacht.media.actions import delete_photos_before
from buurtwacht.notify.actions import forget_deliveries
from buurtwacht.realtime.actions import forget_events, forget_photos

log = logging.getLogger(__name__)


@dataclass
class Purged:
    alerts: int = 0
    chat_messages: int = 0
    photos: int = 0
    events: int = 0
    notifications: int = 0

    def add(self, other: "Purged") -> None:
        for name in vars(self):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@transaction.atomic
def purge_group(*, group_id: int, now: dt.datetime) -> Purged:
    # The group row stays locked: no event is recorded while its events are deleted.
    group = Group.objects.select_for_update().filter(pk=group_id).first()
    if group is None:
        return Purged()
    cutoffs = retention_of(group=group).cutoffs(now)
    photo_alerts = delete_photos_before(group=group, cutoff=cutoffs.photos)
    alert_ids = delete_alerts_before(group=group, cutoff=cutoffs.alerts)
    message_ids = delete_chat_before(group=group, cutoff=cutoffs.chat)
    events = forget_events(group=group, alert_ids=alert_ids, message_ids=message_ids)
    without_photo = sorted(set(photo_alerts) - set(alert_ids))
    forget_photos(group=group, alert_ids=without_photo)
    photos_expired(alert_ids=without_photo)  # open pages take the photo off the card
    notifications = forget_deliveries(
        sources=[f"alert:{pk}" for pk in alert_ids] + [f"chat:{pk}" for pk in message_ids]
    )
    return Purged(
        alerts=len(alert_ids),
        chat_messages=len(message_ids),
        photos=len(photo_alerts),
        events=events,
        notifications=notifications,
    )


def purge_expired(*, now: dt.datetime | None = None) -> Purged:
    """Every group's expired content, group by group: one group that fails (e.g. a row
    that protects an expired alert) is logged and tried again on the next sweep; the
    others are still done."""
    now = now or clock.now()
    total = Purged()
    for group_id in Group.objects.order_by("pk").values_list("pk", flat=True):
        try:
            total.add(purge_group(group_id=group_id, now=now))
        except Exception:
            log.exception("retention: group %s not swept; trying again next time", group_id)
    return total
