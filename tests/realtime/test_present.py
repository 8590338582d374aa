"""Events hold no personal data frozen in: the stored payload has ids and codes; names and
labels are added for each reader, in the reader's language, when sent or replayed."""

import json

import pytest
from django.utils import translation

from buurtwacht.accounts import actions as account_actions
from buurtwacht.alerts import actions as alert_actions
from buurtwacht.chat import actions as chat_actions
from buurtwacht.geo.models import Street
from buurtwacht.groups.models import Group
from buurtwacht.realtime.handlers import events_since
from buurtwacht.realtime.models import Event
from tests.conftest import GROUP_STREET

pytestmark = pytest.mark.django_db


@pytest.fixture
def posted(group, mo_member, anna_admin):
    street = Street.objects.get(name=GROUP_STREET)
    alert, _created = alert_actions.post_alert(
        user=mo_member,
        group_id=group.pk,
        draft=alert_actions.AlertDraft(
            client_id="a1",
            kind="suspicious_vehicle",
            what="Bestelbus rijdt stapvoets",
            street_id=street.pk,
            direction="N",
            vehicle={"make": "Volkswagen", "plate": "vb123x"},
        ),
    )
    alert_actions.claim_call(user=anna_admin, alert_id=alert.pk, channel="112")
    chat_actions.post_chat(user=mo_member, group_id=group.pk, client_id="c1", text="Ik kijk")
    return alert


def replay(user, group, language):
    with translation.override(language):
        return events_since(user=user, group_id=group.pk, since=0)


def test_stored_payloads_hold_ids_and_codes_not_names_or_labels(posted, mo_member, anna_admin):
    stored = json.dumps([e.payload for e in Event.objects.order_by("id")])
    for frozen in ("Mo Bakker", "Anna de Vries", GROUP_STREET, "Verdacht voertuig", "noord"):
        assert frozen not in stored
    claimed = Event.objects.get(type="alert.claimed").payload["alert"]
    assert claimed["author"] == mo_member.pk
    assert claimed["calls"]["112"]["user"] == anna_admin.pk


def test_each_reader_gets_labels_in_their_own_language(posted, group, anna_admin):
    created, claimed, chat = replay(anna_admin, group, "nl")
    assert (created["alert"]["kind_label"], created["alert"]["direction_label"]) == (
        "Verdacht voertuig",
        "noord",
    )
    assert {"label": "Merk", "value": "Volkswagen", "note": ""} in created["alert"]["facts"]
    assert claimed["alert"]["call_112"]["by"] == "Anna de Vries"
    assert chat["message"]["by"] == "Mo Bakker"
    english, *_ = replay(anna_admin, group, "en")
    assert (english["alert"]["kind_label"], english["alert"]["direction_label"]) == (
        "Suspicious vehicle",
        "north",
    )
    assert {"label": "Make", "value": "Volkswagen", "note": ""} in english["alert"]["facts"]
    assert [e["seq"] for e in replay(anna_admin, group, "nl")] == [1, 2, 3]


def test_later_replays_follow_the_group_setting_and_deleted_accounts(
    posted, group, mo_member, anna_admin
):
    Group.objects.filter(pk=group.pk).update(show_initials=True)
    created, claimed, _chat = replay(anna_admin, group, "nl")
    assert created["alert"]["by"] == "M.B." and claimed["alert"]["call_112"]["by"] == "A.D.V."
    account_actions.delete_account(user=mo_member)
    created, _claimed, chat = replay(anna_admin, group, "nl")
    assert created["alert"]["by"] == "Verwijderd account"
    assert chat["message"]["by"] == "Verwijderd account"
