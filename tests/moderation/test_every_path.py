"""R-RUL-3 on every text path: the same check, disguises seen through, nothing of a blocked
text stored; a blocked threat tells the group's admins at once; the queue labels the
category in the reader's language."""

import json

import pytest
from django.urls import reverse

from buurtwacht.alerts import actions as alert_actions
from buurtwacht.bulletin import actions as bulletin_actions
from buurtwacht.bulletin.models import Notice
from buurtwacht.chat import actions as chat_actions
from buurtwacht.chat.models import ChatMessage
from buurtwacht.core.errors import ActionError
from buurtwacht.groups import actions as group_actions
from buurtwacht.groups.models import Group, JoinRequest, Listing, Membership
from buurtwacht.moderation.actions import LanguageBlocked, LanguageWarning
from buurtwacht.moderation.models import ModerationRecord, RecordKind
from buurtwacht.municipality import actions as municipality_actions
from buurtwacht.notify.models import Delivery
from buurtwacht.police import actions as police_actions
from buurtwacht.police.models import PoliceReport
from buurtwacht.register import actions as register_actions
from buurtwacht.register.models import ContactMessage
from buurtwacht.signage import actions as sign_actions
from buurtwacht.signage.models import SignRequest
from tests.conftest import GROUP_STREET, visible_text
from tests.notify.test_deliveries import post as post_alert

pytestmark = pytest.mark.django_db

THREAT = "We pakken die inbreker zelf wel"
DISGUISED_THREAT = "Ik m\u0430\u200bak je \u202eaf\u202c"  # Cyrillic a, zero-width space, RLO
DISGUISED_SLUR = "Die n\u0435\u00adgers van de flat"  # Cyrillic e, soft hyphen


def draft(street_id, what):
    return alert_actions.AlertDraft(
        client_id="a1", kind="suspicious_person", what=what, street_id=street_id
    )


def test_r_rul_3_threat_chat_blocked_and_admins_told_at_once(group, mo_member, anna_admin):
    with pytest.raises(LanguageBlocked) as blocked:
        chat_actions.post_chat(user=mo_member, group_id=group.pk, client_id="c1", text=THREAT)
    assert "eigen" in blocked.value.message or "112" in blocked.value.message
    assert not ChatMessage.objects.exists()
    record = ModerationRecord.objects.get()
    assert (record.kind, record.reason, record.rule) == (
        RecordKind.BLOCKED,
        "threat",
        "eigenrichting",
    )
    told = Delivery.objects.filter(user=anna_admin, kind="moderation_threat")
    assert told.exists()
    assert THREAT not in json.dumps(told.first().payload)  # the words stay in the queue


def test_r_rul_3_threat_disguised_in_chat_alert_and_update(group, mo_member, street_id):
    with pytest.raises(LanguageBlocked):
        chat_actions.post_chat(
            user=mo_member, group_id=group.pk, client_id="c1", text=DISGUISED_THREAT
        )
    with pytest.raises(LanguageBlocked):
        alert_actions.post_alert(
            user=mo_member, group_id=group.pk, draft=draft(street_id, DISGUISED_SLUR)
        )
    alert, _ = alert_actions.post_alert(
        user=mo_member, group_id=group.pk, draft=draft(street_id, "Iemand trekt aan deuren")
    )
    with pytest.raises(LanguageBlocked):
        alert_actions.add_update(
            user=mo_member, alert_id=alert.pk, client_id="u1", text=DISGUISED_THREAT
        )
    assert not ChatMessage.objects.exists()
    assert ModerationRecord.objects.filter(kind=RecordKind.BLOCKED).count() == 3


def test_r_rul_3_profiling_in_the_chat_is_refused_like_on_the_alert_form(group, mo_member):
    with pytest.raises(LanguageBlocked) as refused:
        chat_actions.post_chat(
            user=mo_member,
            group_id=group.pk,
            client_id="c1",
            text="Donkere man, Marokkaans uiterlijk",
            confirm_language=True,
        )
    assert refused.value.code == "profiling"
    assert not ChatMessage.objects.exists()


def test_r_rul_3_generalisation_in_chat_warns_then_goes_to_the_queue(group, mo_member):
    text = "Zal wel weer een Marokkaan zijn geweest"
    with pytest.raises(LanguageWarning):
        chat_actions.post_chat(user=mo_member, group_id=group.pk, client_id="c1", text=text)
    chat_actions.post_chat(
        user=mo_member, group_id=group.pk, client_id="c1", text=text, confirm_language=True
    )
    record = ModerationRecord.objects.get()
    assert (record.kind, record.reason) == (RecordKind.POSTED_ANYWAY, "generalisation")


def test_r_rul_3_disguise_stored_chat_text_without_invisible_characters(group, mo_member):
    message, _ = chat_actions.post_chat(
        user=mo_member,
        group_id=group.pk,
        client_id="c1",
        text="Kl\u200boot\u00adzak, mijn fiets!",
        confirm_language=True,
    )
    message.refresh_from_db()
    assert message.text == "Klootzak, mijn fiets!"
    assert ModerationRecord.objects.get().words == ["klootzak"]


def test_r_rul_3_threat_in_a_notice_is_never_published(group, anna_admin):
    with pytest.raises(LanguageBlocked):
        bulletin_actions.publish_notice(
            admin=anna_admin,
            group_id=group.pk,
            draft=bulletin_actions.NoticeDraft(
                kind="tip",
                title="Let op",
                body="Neem allemaal een knuppel mee vanavond",
            ),
            confirm_language=True,
        )
    assert not Notice.objects.exists()
    assert ModerationRecord.objects.get().reason == "threat"


def test_r_rul_3_slur_in_group_texts_and_join_message(group, anna_admin, resident_on):
    with pytest.raises(LanguageBlocked):
        group_actions.edit_group(
            admin=anna_admin,
            group_id=group.pk,
            edit=group_actions.GroupEdit(name=group.name, description=DISGUISED_SLUR),
        )
    with pytest.raises(LanguageBlocked):
        group_actions.update_own_rules(
            admin=anna_admin, group_id=group.pk, own_rules=DISGUISED_THREAT
        )
    lotte = resident_on("Lotte Jansen", GROUP_STREET, 20)
    with pytest.raises(LanguageBlocked):
        group_actions.request_to_join(
            user=lotte, group_id=group.pk, message=DISGUISED_SLUR, rules_accepted=True
        )
    assert not JoinRequest.objects.exists()
    group.refresh_from_db()
    assert DISGUISED_SLUR not in (group.description, group.own_rules)


def test_r_rul_3_threat_in_police_feedback_web_and_api(
    client, group, mo_member, anna_admin, pieter_politie
):
    alert = post_alert(anna_admin, group)
    report, _ = police_actions.record_report(
        user=mo_member,
        group_id=group.pk,
        draft=police_actions.ReportDraft(
            client_id="r1",
            channel="0900-8844",
            number="2026-123456",
            group_mentioned=True,
            alert_id=alert.pk,
        ),
    )
    client.force_login(pieter_politie)
    api = client.post(
        f"/api/police-reports/{report.pk}/feedback",
        json.dumps({"text": DISGUISED_THREAT}),
        content_type="application/json",
    )
    assert (api.status_code, api.json()["code"]) == (400, "language_blocked")
    page = client.post(
        reverse("police_feedback", args=[report.pk]), {"text": "Die kl00tzak is opgepakt"}
    )
    assert page.status_code == 302
    report.refresh_from_db()
    assert report.feedback == ""
    client.post(
        reverse("police_feedback", args=[report.pk]),
        {"text": "Die kl00tzak is opgepakt", "confirm_language": "1"},
    )
    assert PoliceReport.objects.get().feedback == "Die kl00tzak is opgepakt"


def test_r_rul_3_contact_message_from_a_visitor_is_checked(group):
    def send(body, **extra):
        return register_actions.send_contact_message(
            group_id=group.pk,
            contact=register_actions.Contact(name="Bezoeker", email="b@example.org", body=body),
            ip_address="192.0.2.1",
            **extra,
        )

    with pytest.raises(LanguageBlocked):
        send("Die dief woont op de Vinkenstraat 8, allemaal erheen", confirm_language=True)
    with pytest.raises(LanguageWarning):
        send("Jullie zijn een stelletje sukkels")
    assert not ContactMessage.objects.exists()
    send("Jullie zijn een stelletje sukkels", confirm_language=True)
    assert ContactMessage.objects.count() == 1


def test_r_rul_3_contact_message_web_form_shows_the_dutch_explanation(client, group):
    group.listing = "public"
    group.save()
    page = client.post(
        reverse("register_group", args=[group.pk]),
        {"name": "Bezoeker", "email": "b@example.org", "body": "Ik weet waar je woont"},
    )
    assert "kan niet geplaatst worden" in visible_text(page.content.decode())
    assert not ContactMessage.objects.exists()


def test_r_rul_3_removal_and_denial_reasons_are_checked(group, anna_admin, mo_member, resident_on):
    with pytest.raises(LanguageBlocked):
        group_actions.remove_member(
            admin=anna_admin,
            group_id=group.pk,
            user_id=mo_member.pk,
            reason="Marokkanen zijn ratten",
        )
    assert Membership.objects.get(user=mo_member).status == "active"
    lotte = resident_on("Lotte Jansen", GROUP_STREET, 20)
    request = group_actions.request_to_join(user=lotte, group_id=group.pk, rules_accepted=True)
    with pytest.raises(LanguageWarning):
        group_actions.deny_request(admin=anna_admin, request_id=request.pk, reason="Sukkel")
    assert JoinRequest.objects.get(user=lotte).status == "pending"


def test_r_rul_3_sign_request_note_and_municipality_message(
    settings, group, anna_admin, mo_member, gea_gemeente
):
    settings.SIGN_MIN_MEMBERS = 2
    # Signs are for groups in the public register (R-VIS-1): this one is, so the note is read.
    group_actions.set_listing(admin=anna_admin, group_id=group.pk, listing=Listing.LISTED)
    with pytest.raises(LanguageBlocked):
        sign_actions.request_signs(
            admin=anna_admin,
            group_id=group.pk,
            order=sign_actions.SignOrder(signs=1, note="Neem allemaal een knuppel mee"),
        )
    assert not SignRequest.objects.exists()
    with pytest.raises(ActionError) as refused:
        municipality_actions.message_group_admins(
            coordinator=gea_gemeente, group_id=group.pk, text="Die negers van de flat"
        )
    assert refused.value.code == "language_blocked"
    assert not Delivery.objects.filter(kind="municipality_message").exists()


def test_r_rul_3_queue_labels_the_category_in_dutch(client, group, anna_admin, mo_member):
    chat_actions.post_chat(
        user=mo_member,
        group_id=group.pk,
        client_id="c1",
        text="Wat een klootzak",
        confirm_language=True,
    )
    with pytest.raises(LanguageBlocked):
        chat_actions.post_chat(user=mo_member, group_id=group.pk, client_id="c2", text=THREAT)
    client.force_login(anna_admin)
    page = visible_text(client.get(reverse("group_moderation", args=[group.pk])).content.decode())
    assert "(een belediging)" in page and "(insult)" not in page
    assert "eigen rechter" in page or "zelf" in page


def test_r_rul_3_web_and_api_chat_see_through_disguises(client, group, mo_member):
    client.force_login(mo_member)
    api = client.post(
        f"/api/groups/{group.pk}/chat",
        {"client_id": "a1", "text": DISGUISED_SLUR, "confirm_language": True},
        content_type="application/json",
    )
    assert json.loads(api.content)["code"] == "language_blocked"
    web = client.post(
        reverse("chat_post", args=[group.pk]),
        {"client_id": "w1", "text": DISGUISED_THREAT, "confirm_language": "1"},
        headers={"X-Requested-With": "fetch"},
    )
    assert json.loads(web.content)["code"] == "language_blocked"
    assert not ChatMessage.objects.exists()
    assert Group.objects.get().pk == group.pk
