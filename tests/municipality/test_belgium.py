"""A Belgian municipality (Gent, NIS 44021, from Statbel's sectors) has its dashboard and
statistics like a Dutch one: its groups, counts without content, the CSV."""

import csv
import io

import pytest
from django.urls import reverse

from buurtwacht.alerts import actions as alert_actions
from buurtwacht.alerts.models import CallChannel
from buurtwacht.geo.models import Street
from buurtwacht.municipality.statistics import statistics_for
from tests.belgium import BE_STREET, GENT
from tests.conftest import visible_text
from tests.municipality.test_dashboard import next_week

pytestmark = pytest.mark.django_db


def test_r_be_a_belgian_municipality_dashboard_and_statistics(
    client, belgian_group, jonas_lid, lotte_beheerder, belgian_coordinator
):
    street = Street.objects.get(name=BE_STREET, city="Gent")
    for n in range(12):
        alert, _ = alert_actions.post_alert(
            user=jonas_lid,
            group_id=belgian_group.pk,
            draft=alert_actions.AlertDraft(
                client_id=f"be-{n}",
                kind="suspicious_person",
                what="Iemand kijkt in de brievenbussen",
                street_id=street.pk,
            ),
        )
        if n < 6:
            alert_actions.claim_call(
                user=jonas_lid, alert_id=alert.pk, channel=CallChannel.EMERGENCY
            )
    client.force_login(belgian_coordinator)
    with next_week():  # the figures are of closed weeks
        stats = statistics_for(group_ids=[belgian_group.pk])
        page = client.get(reverse("municipality_dashboard"))
        response = client.get(reverse("municipality_csv", args=[GENT]))
    assert stats.alerts.display == "12" and stats.called_112.display == "6"
    assert page.status_code == 200
    html = page.content.decode()
    assert "Gent" in html and belgian_group.name in visible_text(html, element_id="groups")
    assert "12" in visible_text(html, element_id="statistics")
    assert "Iemand kijkt" not in html  # counts, never content
    assert client.get(reverse("municipality_code", args=[GENT])).status_code == 200
    assert response.status_code == 200
    rows = {
        (r["section"], r["key"]): r["value"]
        for r in csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";")
    }
    assert rows[("total", "alerts")] == "12"


def test_r_be_another_municipality_is_not_found(client, belgian_coordinator):
    client.force_login(belgian_coordinator)
    assert client.get(reverse("municipality_code", args=["21004"])).status_code == 404


def test_r_be_a_coordinator_asks_verification_with_a_nis_code(lotte_beheerder):
    from buurtwacht.core.errors import ActionError
    from buurtwacht.municipality.actions import VerificationDraft, request_verification

    draft = VerificationDraft(
        role="municipality",
        organisation="Stad Gent",
        official_email="lotte.peeters@stad.gent",
        municipality_codes=[GENT],
    )
    made = request_verification(user=lotte_beheerder, draft=draft)
    assert made.municipality_codes == [GENT]
    with pytest.raises(ActionError) as refused:
        request_verification(
            user=lotte_beheerder,
            draft=VerificationDraft(
                role="municipality",
                organisation="Stad Brugge",
                official_email="x@brugge.be",
                municipality_codes=["31005"],  # a NIS code, but no data of Brugge here
            ),
        )
    assert "NIS-code (44021)" in refused.value.message
