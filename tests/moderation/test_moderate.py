"""R-GRP-6 and R-RUL-3: admins hide messages (with a reason the author sees) and move an
off-topic alert to the chat; members report; every moderation action is in the audit log;
the wijkagent cannot moderate."""

import json

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from buurtwacht.alerts import actions as alert_actions
from buurtwacht.alerts.models import Alert
from buurtwacht.chat import actions as chat_actions
from buurtwacht.chat.models import ChatMessage
from buurtwacht.groups.models import AuditEntry
from buurtwacht.moderation import actions
from buurtwacht.moderation.models import ModerationRecord, RecordKind
from buurtwacht.realtime.models import Event
from buurtwacht.realtime.present import present_events
from tests.conftest import visible_text

pytestmark = pytest.mark.django_db


def an_alert(user, group, street_id, what="Er staat een ladder tegen de gevel van nummer 8"):
    alert, _ = alert_actions.post_alert(
        user=user,
        group_id=group.pk,
        draft=alert_actions.AlertDraft(client_id="a", kind="other", what=what, street_id=street_id),
    )
    return alert


def last_event(group):
    event = Event.objects.filter(group=group).order_by("-id").first()
    [shown] = present_events(group=group, events=[event])
    return shown


def test_r_grp_6_move_off_topic_alert_to_chat(group, anna_admin, mo_member, street_id):
    alert = an_alert(mo_member, group, street_id, "Wie heeft er zin in een barbecue zaterdag?")
    message = actions.move_alert_to_chat(admin=anna_admin, alert_id=alert.pk, reason="")
    assert (message.author, message.text, message.group) == (mo_member, alert.what, group)
    alert.refresh_from_db()
    assert alert.hidden_at is not None
    assert "chat" in alert.hidden_reason
    entry = AuditEntry.objects.get(action="move_alert_to_chat")
    assert (entry.actor, entry.subject, entry.details["alert"]) == (anna_admin, mo_member, alert.pk)
    # Live: the alert leaves the channel (no content in the event), the message joins the chat.
    events = list(Event.objects.filter(group=group).order_by("-id")[:2])
    shown = present_events(group=group, events=events[::-1])
    assert [e["type"] for e in shown] == ["alert.hidden", "chat.message"]
    assert shown[0]["alert"]["hidden"] and shown[0]["alert"]["what"] == ""
    assert shown[1]["message"]["text"] == alert.what


def test_r_grp_6_hide_chat_with_reason_and_audit(client, group, anna_admin, mo_member):
    message, _ = chat_actions.post_chat(
        user=mo_member, group_id=group.pk, client_id="c", text="Koop mijn oude fiets, 50 euro"
    )
    with pytest.raises(Exception):  # noqa: B017  (a reason is required)
        actions.hide_chat_message(admin=anna_admin, message_id=message.pk, reason=" ")
    actions.hide_chat_message(admin=anna_admin, message_id=message.pk, reason="Geen handel hier")
    entry = AuditEntry.objects.get(action="hide_chat")
    assert (entry.actor, entry.subject, entry.reason) == (anna_admin, mo_member, "Geen handel hier")
    event = last_event(group)
    assert event["type"] == "chat.hidden"
    assert event["message"]["text"] == "" and event["message"]["hidden"]
    # The author sees why; other members no longer see the message.
    client.force_login(mo_member)
    page = visible_text(client.get(reverse("group", args=[group.pk])).content.decode())
    assert "Geen handel hier" in page
    client.force_login(anna_admin)
    chat = visible_text(
        client.get(reverse("group", args=[group.pk])).content.decode(), element_id="chat"
    )
    assert "oude fiets" not in chat


def test_r_grp_6_hide_alert_over_http(client, group, anna_admin, mo_member, street_id):
    alert = an_alert(mo_member, group, street_id)
    client.force_login(anna_admin)
    response = client.post(
        reverse("alert_hide", args=[alert.pk]),
        {"reason": "Dubbele melding"},
        headers={"X-Requested-With": "fetch"},
    )
    assert response.status_code == 200
    assert Alert.objects.get(pk=alert.pk).hidden_reason == "Dubbele melding"
    assert AuditEntry.objects.filter(action="hide_alert", reason="Dubbele melding").exists()
    page = client.get(reverse("group", args=[group.pk])).content.decode()
    assert "ladder tegen de gevel" not in visible_text(page, element_id="alerts")


def test_r_rul_3_wijkagent_and_members_cannot_moderate(group, mo_member, pieter_politie, street_id):
    alert = an_alert(mo_member, group, street_id)
    for person in (mo_member, pieter_politie):
        with pytest.raises(PermissionDenied):
            actions.hide_alert(admin=person, alert_id=alert.pk, reason="x")
        with pytest.raises(PermissionDenied):
            actions.move_alert_to_chat(admin=person, alert_id=alert.pk)
    assert not AuditEntry.objects.filter(action__startswith="hide").exists()


def test_r_rul_3_report_reaches_the_queue_for_admins_only(client, group, anna_admin, mo_member):
    message, _ = chat_actions.post_chat(
        user=anna_admin, group_id=group.pk, client_id="c", text="Kom allemaal naar de borrel"
    )
    client.force_login(mo_member)
    response = client.post(reverse("chat_report", args=[message.pk]), {"note": "reclame"})
    assert response.status_code == 302
    record = ModerationRecord.objects.get(kind=RecordKind.REPORTED)
    assert (record.reporter, record.chat_message) == (mo_member, message)
    queue = reverse("group_moderation", args=[group.pk])
    assert client.get(queue).status_code == 403
    client.force_login(anna_admin)
    assert "reclame" in visible_text(client.get(queue).content.decode())
    client.post(reverse("chat_hide", args=[message.pk]), {"reason": "Reclame", "next": "queue"})
    record.refresh_from_db()
    assert record.resolved_by == anna_admin  # hiding resolves the record


def test_r_rul_3_web_warn_then_post_anyway(client, group, mo_member):
    client.force_login(mo_member)
    url = reverse("chat_post", args=[group.pk])
    fetch = {"X-Requested-With": "fetch"}
    first = client.post(url, {"client_id": "w1", "text": "Godverdomme, weer vol"}, headers=fetch)
    assert first.status_code == 400
    answer = json.loads(first.content)
    assert (answer["code"], answer["confirm"], answer["words"]) == (
        "language_warning",
        True,
        ["godverdomme"],
    )
    assert not ChatMessage.objects.exists()
    second = client.post(
        url,
        {"client_id": "w1", "text": "Godverdomme, weer vol", "confirm_language": "1"},
        headers=fetch,
    )
    assert second.status_code == 200
    assert ModerationRecord.objects.get().kind == RecordKind.POSTED_ANYWAY


def test_r_rul_3_web_without_javascript_gets_a_confirm_page(client, group, mo_member):
    client.force_login(mo_member)
    url = reverse("chat_post", args=[group.pk])
    page = client.post(url, {"client_id": "w2", "text": "Wat een klootzak"})
    assert page.status_code == 400
    text = visible_text(page.content.decode())
    assert "klootzak" in text and "Toch plaatsen" in text
    blocked = client.post(url, {"client_id": "w3", "text": "ik maak je af"}, follow=True)
    assert "kan niet geplaatst worden" in visible_text(blocked.content.decode())
    assert not ChatMessage.objects.exists()
    assert ModerationRecord.objects.get().kind == RecordKind.BLOCKED


def test_r_rul_3_api_warn_needs_confirm_language(client, group, mo_member):
    client.force_login(mo_member)
    url = f"/api/groups/{group.pk}/chat"
    first = client.post(url, {"client_id": "a1", "text": "k*t"}, content_type="application/json")
    assert first.status_code == 400
    assert json.loads(first.content)["code"] == "language_warning"
    second = client.post(
        url,
        {"client_id": "a1", "text": "k*t", "confirm_language": True},
        content_type="application/json",
    )
    assert second.status_code == 201
    blocked = client.post(
        url,
        {"client_id": "a2", "text": "Die negers weer", "confirm_language": True},
        content_type="application/json",
    )
    assert json.loads(blocked.content)["code"] == "language_blocked"


def test_r_rul_3_hide_an_update(group, anna_admin, mo_member, street_id):
    alert = an_alert(mo_member, group, street_id)
    update, _ = alert_actions.add_update(
        user=mo_member, alert_id=alert.pk, client_id="u", text="Hij is nu bij de bakker"
    )
    actions.hide_update(admin=anna_admin, update_id=update.pk, reason="Klopt niet")
    event = last_event(group)
    assert event["type"] == "alert.updated" and event["alert"]["updates"] == []
    assert AuditEntry.objects.get(action="hide_update").subject == mo_member


def test_r_rul_3_own_rules_page_asks_to_confirm(client, group, anna_admin):
    client.force_login(anna_admin)
    url = reverse("group_settings", args=[group.pk])
    first = client.post(url, {"do": "rules", "own_rules": "Geen gezeik, klootzakken"})
    assert first.status_code == 200
    text = visible_text(first.content.decode())
    assert "klootzakken" in text and "Toch plaatsen" in text
    group.refresh_from_db()
    assert group.own_rules == ""
    client.post(
        url, {"do": "rules", "own_rules": "Geen gezeik, klootzakken", "confirm_language": "1"}
    )
    group.refresh_from_db()
    assert group.own_rules == "Geen gezeik, klootzakken"
    assert ModerationRecord.objects.get().kind == RecordKind.POSTED_ANYWAY


def test_r_rul_3_join_message_blocked_reaches_the_queue(client, group, anna_admin, resident_on):
    from tests.conftest import GROUP_STREET

    lotte = resident_on("Lotte Jansen", GROUP_STREET, 20)
    client.force_login(lotte)
    page = client.post(
        reverse("group", args=[group.pk]),
        {"message": "Als ik die Marokkanen zie maak ik ze af", "rules_accepted": "on"},
    )
    assert "kan niet geplaatst worden" in visible_text(page.content.decode())
    record = ModerationRecord.objects.get()
    assert (record.kind, record.place, record.author) == (RecordKind.BLOCKED, "join_message", lotte)
    client.force_login(anna_admin)
    queue = client.get(reverse("group_moderation", args=[group.pk])).content.decode()
    assert "Marokkanen" in visible_text(queue)
