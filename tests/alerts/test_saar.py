"""R-SAAR, the police method the alert channel follows: Signaleren (the facts: behaviour,
where, a plate), Alarmeren (one person calls 112, R-RUL-5), Appen (tell the group), Reageren
(together, own safety first, never take the law into your own hands)."""

import pytest
from django.test import Client
from django.urls import reverse

from buurtwacht.alerts import actions
from buurtwacht.alerts.models import CallChannel
from buurtwacht.core.errors import ActionError
from buurtwacht.geo.models import Street
from tests.conftest import GROUP_STREET, visible_text


def draft(**fields):
    values = {
        "client_id": "saar-1",
        "kind": "suspicious_person",
        "what": "Iemand kijkt bij de achterdeuren naar binnen",
        "street_id": Street.objects.filter(name=GROUP_STREET).first().pk,
    }
    values.update(fields)
    return actions.AlertDraft(**values)


def test_r_saar_the_alert_form_names_all_four_steps(group, mo_member):
    client = Client()
    client.force_login(mo_member)
    text = visible_text(client.get(reverse("group", args=[group.pk])).content.decode())
    assert "SAAR" in text
    steps = ("signaleer de feiten", "alarmeer 112", "app de groep", "eigen veiligheid", "nooit")
    for step in steps:
        assert step in text, step


def test_r_saar_signaleren_asks_what_and_where_and_nothing_more(group, mo_member):
    alert, created = actions.post_alert(user=mo_member, group_id=group.pk, draft=draft())
    assert created and alert.street.name == GROUP_STREET
    for missing in ({"what": " "}, {"street_id": None}):
        with pytest.raises(ActionError):
            actions.post_alert(
                user=mo_member, group_id=group.pk, draft=draft(client_id="saar-2", **missing)
            )


def test_r_saar_alarmeren_one_person_calls_112_and_the_group_sees_who(group, mo_member, anna_admin):
    alert, _created = actions.post_alert(user=mo_member, group_id=group.pk, draft=draft())
    first = actions.claim_call(user=anna_admin, alert_id=alert.pk, channel=CallChannel.EMERGENCY)
    second = actions.claim_call(user=mo_member, alert_id=alert.pk, channel=CallChannel.EMERGENCY)
    assert first.won and not second.won
    assert second.call.user == anna_admin  # the second caller is told who already calls
