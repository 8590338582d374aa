"""R-FUP-1: a member records a report to the police (mentioning the group); the card shows
it from the event; only a verified wijkagent records the police's feedback."""

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from buurtwacht.core import clock
from buurtwacht.groups.actions import attach_wijkagent
from buurtwacht.municipality.actions import grant_role
from buurtwacht.municipality.models import VerifiedRole
from buurtwacht.police import actions
from buurtwacht.police.models import PoliceReport
from buurtwacht.realtime.models import Event
from tests.conftest import OTHER_STREET, visible_text
from tests.notify.test_deliveries import post
from tests.realtime.test_session_end import revoke_police

pytestmark = pytest.mark.django_db


def report(user, group, *, alert=None, client_id="r1", **extra):
    made, _created = actions.record_report(
        user=user,
        group_id=group.pk,
        draft=actions.ReportDraft(
            client_id=client_id,
            channel=extra.pop("channel", "0900-8844"),
            number=extra.pop("number", "2026-123456"),
            group_mentioned=True,
            alert_id=alert.pk if alert else None,
            **extra,
        ),
    )
    return made


def test_r_fup_1_report_recorded_on_an_alert_reaches_the_card_through_the_event(
    client, group, mo_member, anna_admin
):
    alert = post(anna_admin, group)
    client.force_login(mo_member)
    response = client.post(
        reverse("police_report_alert", args=[alert.pk]),
        {
            "client_id": "web-1",
            "channel": "0900-8844",
            "reported_at": "",
            "number": "PL0100-2026",
            "group_mentioned": "on",
        },
        headers={"X-Requested-With": "fetch"},
    )
    assert response.status_code == 200, response.content
    found = PoliceReport.objects.get()
    assert (found.alert, found.reporter, found.channel, found.number, found.group_mentioned) == (
        alert,
        mo_member,
        "0900-8844",
        "PL0100-2026",
        True,
    )
    assert found.follow_up_due_at == found.reported_at + dt.timedelta(hours=48)
    # The event carries the report: the page shows it without asking again.
    event = Event.objects.filter(type="alert.reported").get()
    [stored] = event.payload["alert"]["reports"]
    assert stored["reporter"] == mo_member.pk and "name" not in stored  # ids, not names
    replay = client.get(reverse("api:events", args=[group.pk])).json()["events"]
    [shown] = replay[-1]["alert"]["reports"]
    assert (shown["by"], shown["channel_label"], shown["feedback"]) == (
        "Mo Bakker",
        "0900-8844",
        None,
    )
    page = client.get(reverse("group", args=[group.pk])).content.decode()
    card = visible_text(page, element_id=f"alert-{alert.pk}")
    assert "Gemeld bij de politie via 0900-8844 door Mo Bakker" in card
    assert "registratienummer PL0100-2026" in card and "groep genoemd" in card
    assert "Nog geen terugkoppeling van de politie." in card
    # A resend with the same client id changes nothing.
    again = report(mo_member, group, alert=alert, client_id="web-1")
    assert again.pk == found.pk and PoliceReport.objects.count() == 1


def test_r_fup_1_report_on_its_own_on_the_police_page(client, group, mo_member):
    client.force_login(mo_member)
    url = reverse("police_reports", args=[group.pk])
    response = client.post(
        url,
        {"client_id": "own-1", "channel": "online", "reported_at": "2026-11-30T20:15"},
    )
    assert response.status_code == 302
    found = PoliceReport.objects.get()
    assert found.alert is None and found.channel == "online" and not found.group_mentioned
    assert found.reported_at == dt.datetime(2026, 11, 30, 19, 15, tzinfo=dt.UTC)
    text = visible_text(client.get(url).content.decode(), element_id="reports")
    assert "online aangifte" in text and "Mo Bakker" in text


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("channel", "telefoon", "channel"),
        ("number", "x" * 65, "number"),
        ("number", "a\nb", "number"),
        ("reported_at", dt.datetime(1999, 1, 1, tzinfo=dt.UTC), "reported_at"),
    ],
)
def test_r_fup_1_bad_report_is_refused_in_dutch_and_nothing_written(
    group, mo_member, field, value, code
):
    from buurtwacht.core.errors import ActionError

    with pytest.raises(ActionError) as refused:
        report(mo_member, group, **{field: value})
    assert refused.value.code == code
    assert not PoliceReport.objects.exists()


@pytest.mark.parametrize(
    ("moment", "sent", "message"),
    [
        (
            lambda: clock.now() + dt.timedelta(minutes=10),
            lambda: timezone.localtime(clock.now() + dt.timedelta(minutes=10)).isoformat(),
            "Het tijdstip kan niet in de toekomst liggen.",
        ),
        (
            lambda: dt.datetime(1, 1, 1, 0, 30, tzinfo=dt.UTC),
            lambda: "0001-01-01T00:30:00+01:00",  # a BC timestamp in UTC on PostgreSQL
            "Deze tijd ligt te ver in het verleden: controleer de datum.",
        ),
    ],
    ids=["future", "year 1"],
)
def test_a_report_time_in_the_future_or_year_1_is_refused_in_dutch(
    client, group, mo_member, moment, sent, message
):
    from buurtwacht.core.errors import ActionError

    with pytest.raises(ActionError) as refused:
        report(mo_member, group, reported_at=moment())
    assert (refused.value.code, refused.value.message) == ("reported_at", message)
    client.force_login(mo_member)
    answer = client.post(
        f"/api/groups/{group.pk}/police-reports",
        json.dumps({"client_id": "api-1", "channel": "112", "reported_at": sent()}),
        content_type="application/json",
    )
    assert answer.status_code == 400
    assert answer.json() == {"code": "reported_at", "message": message}
    # The police page's form: the same local time, without its zone.
    page = client.post(
        reverse("police_reports", args=[group.pk]),
        {"client_id": "web-1", "channel": "online", "reported_at": sent()[:16]},
    )
    assert page.status_code == 200 and message in page.content.decode()
    assert not PoliceReport.objects.exists() and not Event.objects.exists()
    assert client.get(reverse("police_reports", args=[group.pk])).status_code == 200


def api_feedback(client, report_id, text="Aanhouding verricht, dank voor de melding."):
    return client.post(
        f"/api/police-reports/{report_id}/feedback",
        json.dumps({"text": text}),
        content_type="application/json",
    )


def test_r_fup_1_only_a_verified_wijkagent_records_feedback(
    client, group, mo_member, anna_admin, pieter_politie, bob_buiten, resident_on
):
    alert = post(anna_admin, group)
    made = report(mo_member, group, alert=alert)
    for person, status in ((mo_member, 403), (anna_admin, 403), (bob_buiten, 404)):
        client.force_login(person)
        refused = api_feedback(client, made.pk)
        assert refused.status_code == status, person
        assert set(refused.json()) == {"code", "message"}
    # An account in the group as wijkagent without a verification reads nothing: 404.
    from buurtwacht.groups.models import Membership

    unverified = resident_on("Niet Geverifieerd", OTHER_STREET, 9)
    Membership.objects.create(group=group, user=unverified, role="wijkagent", status="active")
    client.force_login(unverified)
    assert api_feedback(client, made.pk).status_code == 404
    # An officer whose verification was taken away is an outsider: 404.
    revoke_police(pieter_politie)
    client.force_login(pieter_politie)
    assert api_feedback(client, made.pk).status_code == 404
    made.refresh_from_db()
    assert made.feedback_at is None
    # An officer attached and verified records it.
    grant_role(
        user=pieter_politie,
        role=VerifiedRole.POLICE,
        municipality_codes=[],
        staff=None,
        evidence="t",
    )
    attach_wijkagent(admin=anna_admin, group_id=group.pk, officer=pieter_politie)
    client.force_login(pieter_politie)
    answer = api_feedback(client, made.pk)
    assert answer.status_code == 200, answer.content
    made.refresh_from_db()
    assert made.feedback_by == pieter_politie and made.time_to_feedback is not None
    assert answer.json()["feedback"] == "Aanhouding verricht, dank voor de melding."
    # Members see it on the card, from the event.
    client.force_login(mo_member)
    page = client.get(reverse("group", args=[group.pk])).content.decode()
    card = visible_text(page, element_id=f"alert-{alert.pk}")
    assert "Terugkoppeling van de politie (Pieter Politie): Aanhouding verricht" in card
    assert Event.objects.filter(type="alert.police_feedback").count() == 1


def test_r_fup_1_wijkagent_feedback_on_the_web_page(client, group, mo_member, pieter_politie):
    made = report(mo_member, group)
    client.force_login(pieter_politie)
    page = client.get(reverse("police_reports", args=[group.pk])).content.decode()
    assert "Terugkoppeling vastleggen" in page and "Ik heb iets bij de politie gemeld" not in page
    response = client.post(reverse("police_feedback", args=[made.pk]), {"text": "Bekend bij ons."})
    assert response.status_code == 302
    made.refresh_from_db()
    assert made.feedback == "Bekend bij ons."
    # The wijkagent reads along but never reports on the group's behalf.
    refused = client.post(reverse("police_reports", args=[group.pk]), {"client_id": "x"})
    assert refused.status_code == 403


def test_r_fup_1_api_records_a_report_and_documents_it(client, group, mo_member):
    client.force_login(mo_member)
    body = {"client_id": "api-1", "channel": "112", "group_mentioned": True}
    first = client.post(
        f"/api/groups/{group.pk}/police-reports", json.dumps(body), content_type="application/json"
    )
    again = client.post(
        f"/api/groups/{group.pk}/police-reports", json.dumps(body), content_type="application/json"
    )
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["report"] == again.json()["report"]
    bad = client.post(
        f"/api/groups/{group.pk}/police-reports",
        json.dumps({**body, "client_id": "api-2", "channel": "fax"}),
        content_type="application/json",
    )
    assert bad.status_code == 400 and bad.json()["code"] == "channel"
    listed = client.get(f"/api/groups/{group.pk}/police-reports").json()["reports"]
    assert [r["channel"] for r in listed] == ["112"]
    schema = client.get("/api/openapi.json").json()
    operations = {op["operationId"] for item in schema["paths"].values() for op in item.values()}
    assert {
        "police_reports",
        "record_police_report",
        "record_police_feedback",
        "record_wijkagent_called",
    } <= operations


def test_r_fup_1_one_tap_records_the_call_to_the_wijkagent(
    client, group, mo_member, anna_admin, resident_on
):
    from tests.conftest import GROUP_STREET, admit

    made = report(mo_member, group)
    url = reverse("police_called", args=[made.pk])
    other = resident_on("Lotte Jansen", GROUP_STREET, 20)
    admit(group, anna_admin, other)
    client.force_login(other)  # a member who did not report it got no reminder
    assert client.get(url).status_code == 404
    client.force_login(mo_member)
    page = client.get(url)
    assert "0900-8844" in page.content.decode()
    assert client.post(url).status_code == 302
    made.refresh_from_db()
    assert made.wijkagent_called_by == mo_member and made.wijkagent_called_at is not None
