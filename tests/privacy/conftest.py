"""Content of known ages in the personas' group: alerts (with update, acknowledgement, 112
claim and photo) and chat messages, made with the clock moved back."""

import datetime as dt

import pytest
import time_machine

from buurtwacht.alerts import actions as alert_actions
from buurtwacht.alerts.models import AckKind, CallChannel
from buurtwacht.chat import actions as chat_actions
from buurtwacht.core import clock
from buurtwacht.geo.models import Street
from buurtwacht.media.actions import PhotoDraft
from buurtwacht.media.images import prepare_image
from buurtwacht.notify import actions as notify_actions
from tests.conftest import GROUP_STREET
from tests.media.conftest import camera_jpeg, upload


class Content:
    """Makes content `days` old, posted by `author` (others are told: deliveries)."""

    def __init__(self, group, author, other):
        self.group = group
        self.author = author
        self.other = other
        self.street = Street.objects.get(name=GROUP_STREET)
        notify_actions.subscribe_push(
            user=other, endpoint=f"https://push.example.net/{other.pk}", p256dh="k", auth="a"
        )
        self.now = clock.now()

    def alert(self, days: float, *, photo: bool = True):
        with time_machine.travel(self.now - dt.timedelta(days=days), tick=False):
            alert, _ = alert_actions.post_alert(
                user=self.author,
                group_id=self.group.pk,
                draft=alert_actions.AlertDraft(
                    client_id=f"alert-{days}",
                    kind="suspicious_person",
                    what=f"Melding van {days} dagen geleden",
                    street_id=self.street.pk,
                    photo=PhotoDraft(
                        image=prepare_image(upload(camera_jpeg(width=400, height=300))),
                        reason="recognise_person",
                        reason_text="De jas",
                    )
                    if photo
                    else None,
                ),
            )
            alert_actions.add_update(
                user=self.other, alert_id=alert.pk, client_id=f"u-{days}", text="Richting park"
            )
            alert_actions.acknowledge(user=self.other, alert_id=alert.pk, kind=AckKind.SEEN)
            alert_actions.claim_call(
                user=self.other, alert_id=alert.pk, channel=CallChannel.EMERGENCY
            )
        return alert

    def chat(self, days: float):
        with time_machine.travel(self.now - dt.timedelta(days=days), tick=False):
            message, _ = chat_actions.post_chat(
                user=self.author,
                group_id=self.group.pk,
                client_id=f"chat-{days}",
                text=f"Chat van {days} dagen geleden",
            )
        return message


@pytest.fixture
def content(group, mo_member, anna_admin):
    return Content(group, mo_member, anna_admin)
