"""A Belgian group (its municipality's NIS code says Belgium, core/countries.py) shows
Belgium's numbers: 101 for the police beside 112 on the alert card, the wijkinspecteur in
the 48-hour reminder and on its tap-to-call page; a Dutch group keeps 0900-8844."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from buurtwacht.alerts import actions as alert_actions
from buurtwacht.alerts.models import CallChannel
from buurtwacht.geo.models import Street
from buurtwacht.notify.models import Delivery
from buurtwacht.police import actions as police_actions
from tests.belgium import BE_STREET
from tests.conftest import visible_text

pytestmark = pytest.mark.django_db


def post_be(user, group, **vehicle):
    alert, _ = alert_actions.post_alert(
        user=user,
        group_id=group.pk,
        draft=alert_actions.AlertDraft(
            client_id="be-1",
            kind="suspicious_person",
            what="Iemand probeert fietsen open te maken",
            street_id=Street.objects.get(name=BE_STREET, city="Gent").pk,
            vehicle=vehicle,
        ),
    )
    return alert


def test_r_be_the_alert_card_of_a_belgian_group_shows_101(client, belgian_group, jonas_lid):
    assert belgian_group.country.code == "BE"
    alert = post_be(jonas_lid, belgian_group, plate="1-abc-123")
    client.force_login(jonas_lid)
    html = client.get(reverse("group", args=[belgian_group.pk])).content.decode()
    card = visible_text(html, element_id=f"alert-{alert.pk}")
    assert "Politie ingelicht via 101" in card
    assert "de wijkinspecteur te bellen via 101" in card
    assert "0900-8844" not in card
    assert "1-ABC-123 Belgisch kenteken" in card  # recognised and shown as Belgian
    # the live messages live.js fills in say 101 too
    assert 'data-msg-call-police="Politie ingelicht via 101 door {name}"' in html
    # a claim through the police line is shown with the Belgian number
    alert_actions.claim_call(
        user=jonas_lid, alert_id=alert.pk, channel=CallChannel.POLICE_NON_EMERGENCY
    )
    html = client.get(reverse("group", args=[belgian_group.pk])).content.decode()
    card = visible_text(html, element_id=f"alert-{alert.pk}")
    assert "Politie ingelicht via 101 door Jonas Janssens" in card


def test_r_be_a_dutch_group_keeps_0900_8844(client, group, mo_member):
    assert group.country.code == "NL"
    client.force_login(mo_member)
    html = client.get(reverse("group", args=[group.pk])).content.decode()
    assert 'data-msg-call-police="Politie ingelicht via 0900-8844 door {name}"' in html


def test_r_be_the_48_hour_reminder_of_a_belgian_group_says_101(
    client, belgian_group, jonas_lid, lotte_beheerder
):
    report, _ = police_actions.record_report(
        user=jonas_lid,
        group_id=belgian_group.pk,
        draft=police_actions.ReportDraft(client_id="r1", channel="0900-8844", group_mentioned=True),
    )
    Delivery.objects.all().delete()
    with time_machine.travel(timezone.now() + dt.timedelta(hours=49)):
        assert police_actions.send_follow_up(report_id=report.pk) > 0
    bodies = {d.payload["body"] for d in Delivery.objects.filter(kind="police_follow_up")}
    assert bodies, Delivery.objects.values_list("kind", flat=True)
    for body in bodies:
        assert "Bel de wijkinspecteur via 101" in body
        assert "(101)" in body  # how it was reported, the Belgian way
        assert "0900-8844" not in body
    client.force_login(jonas_lid)
    page = client.get(reverse("police_called", args=[report.pk])).content.decode()
    assert 'href="tel:101"' in page and "tel:0900" not in page
    assert "Bel de wijkinspecteur via 101" in visible_text(page)
    reports = client.get(reverse("police_reports", args=[belgian_group.pk])).content.decode()
    assert "bel de wijkinspecteur via 101" in visible_text(reports)


def test_r_be_registration_asks_the_street_when_the_number_is_in_several(client, belgium):
    form = {
        "name": "Els Wouters",
        "email": "els@example.be",
        "date_of_birth": "1979-02-03",
        "postcode": "9000",
        "house_number": "12",
        "password1": "veilig-in-de-buurt-2026",
        "password2": "veilig-in-de-buurt-2026",
    }
    page = client.post(reverse("register"), form)
    assert page.status_code == 200
    text = visible_text(page.content.decode())
    assert "Dit huisnummer bestaat in meer straten van 9000: Kouter, Veldstraat." in text
    page = client.post(reverse("register"), {**form, "street": "kouter"})
    assert "Kijk in je e-mail" in visible_text(page.content.decode())
    from buurtwacht.accounts.models import HomeAddress

    home = HomeAddress.objects.get(user__email="els@example.be")
    assert (home.street, home.postcode, home.municipality_code) == ("Kouter", "9000", "44021")


def test_r_be_a_dutch_only_instance_shows_no_street_field_and_refuses_9000(client, settings):
    settings.COUNTRIES = ["NL"]
    page = client.get(reverse("register")).content.decode()
    assert 'name="street"' not in page
    page = client.post(reverse("register"), {"postcode": "9000", "house_number": "12"})
    assert "Vul een geldige postcode in: vier cijfers en twee letters" in visible_text(
        page.content.decode()
    )
