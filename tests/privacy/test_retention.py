"""Retention: per group, within the instance's limits, expired content is deleted with
its stream events and notification records; exactly what expired, also when the sweep
runs late, and nothing more when it runs twice."""

import datetime as dt

import pytest
from django.urls import reverse

from buurtwacht.alerts.models import Acknowledgement, Alert, AlertUpdate, PoliceCall
from buurtwacht.chat import actions as chat_actions
from buurtwacht.chat.models import ChatMessage
from buurtwacht.core import clock
from buurtwacht.core.errors import ActionError
from buurtwacht.groups import actions
from buurtwacht.groups.models import AuditEntry
from buurtwacht.media.models import AlertPhoto
from buurtwacht.notify.models import Delivery
from buurtwacht.privacy.actions import Purged, purge_expired
from buurtwacht.realtime.models import Event
from buurtwacht.realtime.present import present_events

pytestmark = pytest.mark.django_db


def sources() -> set[str]:
    return set(Delivery.objects.values_list("source", flat=True))


def alert_event_ids(alert_id: int) -> set[int]:
    return set(Event.objects.filter(payload__alert__id=alert_id).values_list("id", flat=True))


def test_r_rul_6_retention_deletes_exactly_what_expired(content, group):
    old = content.alert(181)  # past the 180 days for alerts
    kept = content.alert(179)  # the alert stays; its photo (30 days) goes
    recent = content.alert(2)  # everything stays
    old_chat = content.chat(31)
    new_chat = content.chat(29)
    assert {f"alert:{old.pk}", f"chat:{old_chat.pk}"} <= sources()
    assert alert_event_ids(old.pk) and Event.objects.filter(payload__message__id=old_chat.pk)

    purged = purge_expired()

    # the alert: push and e-mail to Anna; the chat: push
    assert purged == Purged(alerts=1, chat_messages=1, photos=2, events=5, notifications=3)
    assert set(Alert.objects.values_list("pk", flat=True)) == {kept.pk, recent.pk}
    for model in (AlertUpdate, Acknowledgement, PoliceCall):
        assert set(model.objects.values_list("alert_id", flat=True)) == {kept.pk, recent.pk}
    assert set(AlertPhoto.objects.values_list("alert_id", flat=True)) == {recent.pk}
    assert set(ChatMessage.objects.values_list("pk", flat=True)) == {new_chat.pk}
    assert not alert_event_ids(old.pk)
    assert not Event.objects.filter(payload__message__id=old_chat.pk).exists()
    assert Event.objects.filter(payload__message__id=new_chat.pk).exists()
    assert f"alert:{old.pk}" not in sources() and f"chat:{old_chat.pk}" not in sources()
    assert {f"alert:{kept.pk}", f"alert:{recent.pk}", f"chat:{new_chat.pk}"} <= sources()
    # the kept alert's events no longer mention its photo, nor why it was taken, and
    # open pages are told (the last event: the alert without its photo)
    for event in Event.objects.filter(payload__alert__id=kept.pk):
        assert event.payload["alert"]["photo"] is None
    last = Event.objects.filter(payload__alert__id=kept.pk).order_by("-id").first()
    assert last.type == "alert.updated" and last.seq == Event.objects.order_by("-seq")[0].seq
    shown = present_events(group=group, events=list(Event.objects.order_by("id")))
    assert {e["alert"]["id"] for e in shown if "alert" in e} == {kept.pk, recent.pk}

    assert purge_expired() == Purged()  # twice: nothing more


def test_r_rul_6_a_late_sweep_catches_up(content):
    """The sweep deletes by age, not by what happened since it last ran: run 40 days
    late, it deletes everything that expired meanwhile, and only that."""
    first = content.chat(5)
    second = content.chat(1)
    later = clock.now() + dt.timedelta(days=40)
    content.now = later  # the worker was down; meanwhile people went on chatting
    newest = content.chat(0.0)
    assert set(ChatMessage.objects.values_list("pk", flat=True)) == {first.pk, second.pk, newest.pk}
    purged = purge_expired(now=later)
    assert purged.chat_messages == 2
    assert list(ChatMessage.objects.values_list("pk", flat=True)) == [newest.pk]


def test_stream_numbers_are_not_used_again_after_a_sweep(content, group, mo_member):
    content.alert(200, photo=False)
    last = Event.objects.order_by("-seq").first()
    purge_expired()
    assert not Event.objects.exists()  # every event belonged to the expired alert
    chat_actions.post_chat(user=mo_member, group_id=group.pk, client_id="n", text="Hallo")
    assert Event.objects.get().seq == last.seq + 1


def test_admins_choose_retention_within_the_instance_limits(
    client, group, anna_admin, mo_member, settings
):
    settings.RETENTION_CHAT_MAX_DAYS = 60
    choice = actions.RetentionChoice(chat_days=7, alert_days=90, photo_days=3)
    with pytest.raises(ActionError):
        actions.set_retention(
            admin=anna_admin,
            group_id=group.pk,
            choice=actions.RetentionChoice(chat_days=61, alert_days=90, photo_days=3),
        )
    with pytest.raises(ActionError):  # photos: at most 30 days, whatever is asked
        actions.set_retention(
            admin=anna_admin,
            group_id=group.pk,
            choice=actions.RetentionChoice(chat_days=7, alert_days=90, photo_days=31),
        )
    client.force_login(mo_member)
    url = reverse("group_settings", args=[group.pk])
    assert client.post(url, {"do": "retention", **vars(choice)}).status_code == 403
    client.force_login(anna_admin)
    page = client.get(url).text
    assert 'name="photo_days"' in page and 'max="30"' in page
    response = client.post(url, {"do": "retention", **vars(choice)})
    assert response.status_code == 302
    group.refresh_from_db()
    assert (group.chat_retention_days, group.alert_retention_days) == (7, 90)
    entry = AuditEntry.objects.get(action="change_retention")
    assert entry.actor == anna_admin
    assert entry.details["previous"] == {"chat": 30, "alerts": 180, "photos": 30}
    assert entry.details["photos"] == 3
    too_long = client.post(url, {"do": "retention", **vars(choice), "chat_days": 61})
    assert too_long.status_code == 200 and "60" in too_long.text
