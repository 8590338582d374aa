"""R-RUL-3 on the posting paths: warn then post anyway ends in the review queue; block is
never stored as a post and the attempt is in the queue for the group's admins only."""

import pytest

from buurtwacht.alerts import actions as alert_actions
from buurtwacht.alerts.models import Alert, AlertUpdate
from buurtwacht.chat import actions as chat_actions
from buurtwacht.chat.models import ChatMessage
from buurtwacht.groups import actions as group_actions
from buurtwacht.groups.models import Group, JoinRequest
from buurtwacht.moderation.actions import LanguageBlocked, LanguageWarning
from buurtwacht.moderation.models import ModerationRecord, Place, RecordKind
from buurtwacht.realtime.models import Event

pytestmark = pytest.mark.django_db


def draft(street, what, **extra):
    return alert_actions.AlertDraft(
        client_id=extra.pop("client_id", "a1"),
        kind="suspicious_person",
        what=what,
        street_id=street,
        **extra,
    )


def test_r_rul_3_chat_warn_then_post_anyway_ends_in_the_queue(group, mo_member):
    with pytest.raises(LanguageWarning) as warned:
        chat_actions.post_chat(user=mo_member, group_id=group.pk, client_id="c1", text="klootzak")
    assert warned.value.code == "language_warning"
    assert "klootzak" in warned.value.message
    assert not ChatMessage.objects.exists()
    assert not ModerationRecord.objects.exists()

    message, created = chat_actions.post_chat(
        user=mo_member, group_id=group.pk, client_id="c1", text="klootzak", confirm_language=True
    )
    assert created
    record = ModerationRecord.objects.get()
    assert (record.kind, record.place, record.chat_message_id) == (
        RecordKind.POSTED_ANYWAY,
        Place.CHAT,
        message.pk,
    )
    assert record.words == ["klootzak"]
    assert record.group_id == group.pk


def test_r_rul_3_chat_block_is_never_stored_and_queued(group, mo_member):
    events_before = Event.objects.count()
    for confirm in (False, True):  # "post anyway" does not get past a block
        with pytest.raises(LanguageBlocked) as blocked:
            chat_actions.post_chat(
                user=mo_member,
                group_id=group.pk,
                client_id=f"c{confirm}",
                text="Dat zijn vast weer van die vuile buitenlanders",
                confirm_language=confirm,
            )
        assert blocked.value.code == "language_blocked"
    assert not ChatMessage.objects.exists()
    assert Event.objects.count() == events_before
    records = ModerationRecord.objects.filter(kind=RecordKind.BLOCKED)
    assert records.count() == 2
    assert records.first().text == "Dat zijn vast weer van die vuile buitenlanders"
    assert records.first().reason == "slur"


def test_r_rul_3_alert_warn_and_block(group, mo_member, street_id):
    with pytest.raises(LanguageWarning):
        alert_actions.post_alert(
            user=mo_member,
            group_id=group.pk,
            draft=draft(street_id, "Die kl00tzak trapt tegen auto's"),
        )
    alert, created = alert_actions.post_alert(
        user=mo_member,
        group_id=group.pk,
        draft=draft(street_id, "Die kl00tzak trapt tegen auto's"),
        confirm_language=True,
    )
    assert created
    assert ModerationRecord.objects.get(kind=RecordKind.POSTED_ANYWAY).alert_id == alert.pk
    with pytest.raises(LanguageBlocked):
        alert_actions.post_alert(
            user=mo_member,
            group_id=group.pk,
            draft=draft(street_id, "Die moet je in elkaar slaan", client_id="a2"),
            confirm_language=True,
        )
    assert Alert.objects.count() == 1
    assert ModerationRecord.objects.filter(kind=RecordKind.BLOCKED, place=Place.ALERT).count() == 1


def test_r_rul_3_update_block_never_stored(group, mo_member, street_id):
    alert, _ = alert_actions.post_alert(
        user=mo_member, group_id=group.pk, draft=draft(street_id, "Man kijkt in auto's")
    )
    with pytest.raises(LanguageBlocked):
        alert_actions.add_update(
            user=mo_member, alert_id=alert.pk, client_id="u1", text="ik maak je af"
        )
    assert not AlertUpdate.objects.exists()
    assert ModerationRecord.objects.get().place == Place.UPDATE


def test_r_rul_3_outsider_learns_nothing_and_leaves_no_record(group, bob_buiten):
    from django.http import Http404

    with pytest.raises(Http404):
        chat_actions.post_chat(
            user=bob_buiten, group_id=group.pk, client_id="x", text="ik maak je af"
        )
    assert not ModerationRecord.objects.exists()


def test_r_rul_3_wijkagent_cannot_post_even_politely(group, pieter_politie):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        chat_actions.post_chat(
            user=pieter_politie, group_id=group.pk, client_id="x", text="klootzak"
        )


def test_r_rul_3_group_texts_are_screened(group, anna_admin, bob_buiten):
    with pytest.raises(LanguageWarning):
        group_actions.update_own_rules(
            admin=anna_admin, group_id=group.pk, own_rules="Geen gezeik, klootzakken"
        )
    group_actions.update_own_rules(
        admin=anna_admin,
        group_id=group.pk,
        own_rules="Geen gezeik, klootzakken",
        confirm_language=True,
    )
    assert ModerationRecord.objects.get().place == Place.OWN_RULES
    with pytest.raises(LanguageBlocked):
        group_actions.request_to_join(
            user=bob_buiten,
            group_id=group.pk,
            message="Vuile buitenlanders hier",
            rules_accepted=True,
        )
    assert not JoinRequest.objects.filter(user=bob_buiten).exists()
    assert (
        ModerationRecord.objects.filter(place=Place.JOIN_MESSAGE, kind=RecordKind.BLOCKED).count()
        == 1
    )


def test_r_rul_3_new_group_name_screened(anna_admin, group_street_ids):
    from buurtwacht.geo.models import Street

    street = Street.objects.get(pk=group_street_ids[0])
    new = group_actions.NewGroup(
        name="Kankerbuurt",
        description="",
        municipality_code=street.municipality_code,
        street_ids=group_street_ids,
    )
    with pytest.raises(LanguageWarning):
        group_actions.create_group(founder=anna_admin, new=new, overlaps_confirmed=True)
    assert not Group.objects.exists()
