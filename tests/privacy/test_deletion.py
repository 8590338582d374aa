"""Deletion is complete: a deleted account's name is gone from everything replayed or
exported later ("Verwijderd account"), and one's own export holds everything one added."""

import json

import pytest
from django.urls import reverse

from buurtwacht.accounts import actions as account_actions
from buurtwacht.accounts import selectors as account_selectors
from buurtwacht.alerts import actions as alert_actions
from buurtwacht.alerts.models import AckKind, CallChannel
from buurtwacht.chat import actions as chat_actions
from buurtwacht.groups import actions
from tests.conftest import visible_text
from tests.media.conftest import post_with_photo

pytestmark = pytest.mark.django_db

NAME = "Mo Bakker"


@pytest.fixture
def mo_was_active(group, anna_admin, mo_member, street):
    alert = post_with_photo(mo_member, group, street)
    alert_actions.add_update(
        user=mo_member, alert_id=alert.pk, client_id="u1", text="Richting park"
    )
    alert_actions.acknowledge(user=mo_member, alert_id=alert.pk, kind=AckKind.GOING)
    alert_actions.claim_call(user=mo_member, alert_id=alert.pk, channel=CallChannel.EMERGENCY)
    chat_actions.post_chat(user=mo_member, group_id=group.pk, client_id="c1", text="Ik kijk even")
    actions.change_role(admin=anna_admin, group_id=group.pk, user_id=mo_member.pk, role="admin")
    return alert


@pytest.fixture
def street(group):
    from buurtwacht.geo.models import Street
    from tests.conftest import GROUP_STREET

    return Street.objects.get(name=GROUP_STREET)


def test_deleted_account_is_gone_from_replays_pages_and_exports(
    client, group, anna_admin, mo_member, mo_was_active
):
    client.force_login(anna_admin)
    replay = client.get(f"/api/groups/{group.pk}/events?since=0").text
    assert NAME in replay
    account_actions.delete_account(user=mo_member)

    replay = client.get(f"/api/groups/{group.pk}/events?since=0").json()
    text = json.dumps(replay, ensure_ascii=False)
    assert NAME not in text and "Verwijderd account" in text
    last = replay["events"][-2]["alert"]  # the alert's latest state (the chat came after)
    assert last["by"] == last["call_112"]["by"] == last["updates"][0]["by"]
    assert last["by"] == "Verwijderd account"
    assert replay["events"][-1]["message"]["by"] == "Verwijderd account"
    for page in (
        reverse("group", args=[group.pk]),
        reverse("alert_card", args=[mo_was_active.pk]),
        reverse("group_audit", args=[group.pk]),
        reverse("group_members", args=[group.pk]),
        reverse("group_privacy", args=[group.pk]),
    ):
        shown = client.get(page).text
        assert NAME not in shown, page
    assert "Verwijderd account" in visible_text(client.get(reverse("group", args=[group.pk])).text)
    audit = visible_text(client.get(reverse("group_audit", args=[group.pk])).text)
    assert "Verwijderd account" in audit
    register = client.get(reverse("group_member_register", args=[group.pk])).content.decode()
    assert NAME not in register and "Verwijderd account" in register


def test_own_export_holds_updates_acknowledgements_claims_and_photos(
    client, mo_member, mo_was_active
):
    client.force_login(mo_member)
    data = client.get(reverse("export_data")).json()
    assert [u["text"] for u in data["alert_updates"]] == ["Richting park"]
    assert [a["kind"] for a in data["acknowledgements"]] == ["going"]
    assert [c["channel"] for c in data["police_calls"]] == ["112"]
    assert [p["reason_text"] for p in data["alert_photos"]] == ["Zijn jas is goed te zien"]
    assert data["alerts"] and data["chat_messages"]
    assert all(row["alert"] == mo_was_active.pk for row in data["alert_updates"])


def test_the_export_has_the_persons_police_reports_and_moderation_records(
    group, mo_member, anna_admin
):
    from buurtwacht.moderation import actions as moderation_actions
    from buurtwacht.moderation.models import ModerationRecord
    from buurtwacht.police import actions as police_actions

    police_actions.record_report(
        user=mo_member,
        group_id=group.pk,
        draft=police_actions.ReportDraft(client_id="r1", channel="0900-8844", number="PL-77"),
    )
    with pytest.raises(moderation_actions.LanguageError):  # blocked: kept for the admins
        chat_actions.post_chat(
            user=mo_member, group_id=group.pk, client_id="c1", text="ik maak je af"
        )
    assert ModerationRecord.objects.filter(author=mo_member).exists()
    data = account_selectors.personal_data(user=mo_member)
    assert [(r["channel"], r["number"], r["reported_by_me"]) for r in data["police_reports"]] == [
        ("0900-8844", "PL-77", True)
    ]
    [record] = data["moderation_records"]
    assert record["about_me"] and record["text"] == "ik maak je af" and record["outcome"] == "block"
    # Not in anyone else's export.
    assert account_selectors.personal_data(user=anna_admin)["moderation_records"] == []
