"""The gate is passed once per request (issue 13): a view that needs the group before
the action (a form, a photo) hands the gate's answer to the action instead of the action
asking again; an action only takes an answer that came from the gate."""

import dataclasses
import sys

import pytest
from django.urls import reverse

from buurtwacht.alerts import actions as alert_actions
from buurtwacht.alerts.models import Alert, AlertUpdate, PoliceCall
from buurtwacht.chat.models import ChatMessage
from buurtwacht.geo.models import Street
from buurtwacht.groups import access as gate
from buurtwacht.groups.access import GroupAccess, access_group
from buurtwacht.groups.policy import Action, Role
from buurtwacht.police.models import PoliceReport
from tests.conftest import GROUP_STREET

pytestmark = pytest.mark.django_db
FETCH = {"X-Requested-With": "fetch"}


@pytest.fixture
def gate_calls(monkeypatch):
    """Every call of the real gate, wherever it was imported: (action, group id)."""
    calls = []
    real = gate.access_group

    def counted(**kwargs):
        calls.append((kwargs["action"], kwargs["group_id"]))
        return real(**kwargs)

    for module in list(sys.modules.values()):
        if module is not None and getattr(module, "access_group", None) is real:
            monkeypatch.setattr(module, "access_group", counted)
    return calls


@pytest.fixture
def street(group):
    return Street.objects.filter(name=GROUP_STREET).first()


@pytest.fixture
def alert(group, anna_admin, street):
    made, _created = alert_actions.post_alert(
        user=anna_admin,
        group_id=group.pk,
        draft=alert_actions.AlertDraft(
            client_id="gate", kind="break_in", what="Iemand forceert een deur", street_id=street.pk
        ),
    )
    return made


def alert_form(street, **extra):
    return {
        "client_id": "g1",
        "kind": "break_in",
        "what": "Iemand bij de schuur",
        "street": street.pk,
        **extra,
    }


@pytest.mark.parametrize(
    ("text", "status", "stored"),
    [
        ("Iemand bij de schuur", 200, 1),
        ("Godverdomme, iemand bij de schuur", 400, 0),  # language warning
        ("ik maak je af", 400, 0),  # blocked, recorded for the admins
    ],
)
def test_gate_passed_once_per_request_alert_post(
    client, group, mo_member, street, gate_calls, text, status, stored
):
    client.force_login(mo_member)
    response = client.post(
        reverse("alert_post", args=[group.pk]), alert_form(street, what=text), headers=FETCH
    )
    assert response.status_code == status
    assert Alert.objects.filter(author=mo_member).count() == stored
    assert gate_calls == [(Action.POST_ALERT, group.pk)]


def test_gate_passed_once_per_request_alert_actions(client, group, mo_member, alert, gate_calls):
    client.force_login(mo_member)
    requests = [
        (reverse("alert_claim", args=[alert.pk, "112"]), {}),
        (reverse("alert_ack", args=[alert.pk, "seen"]), {}),
        (reverse("alert_update", args=[alert.pk]), {"client_id": "u1", "text": "Nu bij de bakker"}),
        (reverse("alert_update", args=[alert.pk]), {"client_id": "u2", "text": "Godverdomme"}),
    ]
    for url, data in requests:
        gate_calls.clear()
        client.post(url, data, headers=FETCH)
        assert len(gate_calls) == 1, url
    assert PoliceCall.objects.filter(user=mo_member).exists()
    assert AlertUpdate.objects.filter(author=mo_member).count() == 1

    gate_calls.clear()
    client.force_login(alert.author)
    response = client.post(
        reverse("alert_close", args=[alert.pk]), {"outcome": "suspect_gone"}, headers=FETCH
    )
    assert response.status_code == 200
    assert gate_calls == [(Action.READ, group.pk)]


@pytest.mark.parametrize(("text", "stored"), [("Wie heeft er een ladder?", 1), ("Godverdomme", 0)])
def test_gate_passed_once_per_request_chat_post(client, group, mo_member, gate_calls, text, stored):
    client.force_login(mo_member)
    client.post(
        reverse("chat_post", args=[group.pk]), {"client_id": "c1", "text": text}, headers=FETCH
    )
    assert ChatMessage.objects.count() == stored
    assert gate_calls == [(Action.POST_CHAT, group.pk)]


def test_gate_passed_once_per_request_police_and_forward(
    client, group, anna_admin, alert, gate_calls
):
    client.force_login(anna_admin)
    client.post(
        reverse("police_report_alert", args=[alert.pk]),
        {"client_id": "p1", "channel": "112", "number": ""},
        headers=FETCH,
    )
    assert PoliceReport.objects.count() == 1
    assert gate_calls == [(Action.RECORD_POLICE_REPORT, group.pk)]
    gate_calls.clear()
    client.post(reverse("alert_forward", args=[alert.pk]), headers=FETCH)  # no neighbours
    assert gate_calls == [(Action.FORWARD, group.pk)]


def test_gate_still_refuses_outsiders_with_404(client, group, bob_buiten, alert, street):
    client.force_login(bob_buiten)
    for url, data in [
        (reverse("alert_post", args=[group.pk]), alert_form(street)),
        (reverse("chat_post", args=[group.pk]), {"client_id": "c", "text": ""}),  # invalid
        (reverse("alert_update", args=[alert.pk]), {}),  # invalid form: still 404
        (reverse("alert_close", args=[alert.pk]), {}),
    ]:
        assert client.post(url, data).status_code == 404, url


def test_an_action_takes_only_what_the_gate_answered(group, anna_admin, mo_member, alert):
    def close(access):
        return alert_actions.close_alert(
            user=anna_admin, alert_id=alert.pk, outcome="suspect_gone", access=access
        )

    real = access_group(user=anna_admin, group_id=group.pk, action=Action.READ)
    forged = GroupAccess(
        group=group, role=Role.ADMIN, membership=None, user_id=anna_admin.pk, action=Action.READ
    )
    with pytest.raises(TypeError):
        close(forged)
    with pytest.raises(TypeError):  # a copy of a real one with another action
        close(dataclasses.replace(real, action=Action.READ))
    members = access_group(user=mo_member, group_id=group.pk, action=Action.READ)
    with pytest.raises(ValueError):  # someone else's answer
        close(members)
    posting = access_group(user=anna_admin, group_id=group.pk, action=Action.POST_ALERT)
    with pytest.raises(ValueError):  # an answer for another action
        close(posting)
    assert Alert.objects.get(pk=alert.pk).closed_at is None
    close(real)
    assert Alert.objects.get(pk=alert.pk).closed_at is not None
