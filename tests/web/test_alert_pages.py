"""The alert channel and chat on the group page, without JavaScript (plain forms)."""

import pytest
from django.urls import reverse

from buurtwacht.alerts.models import Alert, PoliceCall
from buurtwacht.chat.models import ChatMessage
from buurtwacht.geo.models import Street
from tests.conftest import GROUP_STREET, visible_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def street(group):
    return Street.objects.get(name=GROUP_STREET)


def post_alert(client, group, street, **extra):
    data = {
        "client_id": "web-1",
        "kind": "suspicious_vehicle",
        "what": "Bestelbus rijdt stapvoets langs de auto's",
        "street": street.pk,
        "vehicle_plate": "vb123x",
        **extra,
    }
    return client.post(reverse("alert_post", args=[group.pk]), data)


def test_member_posts_an_alert_from_the_group_page(client, group, mo_member, street):
    client.force_login(mo_member)
    page = client.get(reverse("group", args=[group.pk])).text
    assert "Melding plaatsen" in page and "speel nooit voor eigen rechter" in page
    response = post_alert(client, group, street)
    assert response.status_code == 302
    alert = Alert.objects.get()
    assert alert.vehicle == {"plate": "VB-123-X", "plate_kind": "dutch"}
    page = client.get(reverse("group", args=[group.pk])).text
    assert "Je melding is naar de groep verstuurd" in page
    card = visible_text(page, element_id=f"alert-{alert.pk}")
    assert "Bestelbus rijdt stapvoets" in card
    assert "Nog niemand heeft 112 gebeld" in card
    post_alert(client, group, street)  # the same form sent twice (double tap)
    assert Alert.objects.count() == 1


def test_r_rul_5_claim_112_then_the_second_caller_is_told_who(
    client, group, anna_admin, mo_member, street
):
    client.force_login(anna_admin)
    post_alert(client, group, street)
    alert = Alert.objects.get()
    client.post(reverse("alert_claim", args=[alert.pk, "112"]))
    page = client.get(reverse("group", args=[group.pk])).text
    assert "112 gebeld door Anna de Vries om" in page
    client.force_login(mo_member)
    response = client.post(reverse("alert_claim", args=[alert.pk, "112"]), follow=True)
    assert "112 is al gebeld door Anna de Vries" in response.text
    assert "Voeg liever informatie toe" in response.text
    assert PoliceCall.objects.count() == 1
    fetched = client.post(
        reverse("alert_claim", args=[alert.pk, "112"]), headers={"X-Requested-With": "fetch"}
    )
    assert "Anna de Vries" in fetched.json()["info"]


def test_r_rul_5_the_second_caller_hears_local_time_and_the_groups_names(
    client, group, anna_admin, mo_member, street
):
    """The refusal names the caller as the group shows names, at the time the card shows
    (Dutch local time, not UTC)."""
    from django.utils import timezone

    group.show_initials = True
    group.save(update_fields=["show_initials"])
    client.force_login(anna_admin)
    post_alert(client, group, street)
    alert = Alert.objects.get()
    client.post(reverse("alert_claim", args=[alert.pk, "112"]))
    local = timezone.localtime(PoliceCall.objects.get().created_at).strftime("%H:%M")
    card = visible_text(client.get(reverse("alert_card", args=[alert.pk])).text)
    assert f"112 gebeld door A.D.V. om {local}" in card
    client.force_login(mo_member)
    info = client.post(
        reverse("alert_claim", args=[alert.pk, "112"]), headers={"X-Requested-With": "fetch"}
    ).json()["info"]
    assert f"112 is al gebeld door A.D.V. om {local}" in info
    assert "Anna" not in info


def test_acknowledgements_updates_and_closing(client, group, anna_admin, mo_member, street):
    client.force_login(mo_member)
    post_alert(client, group, street)
    alert = Alert.objects.get()
    client.post(reverse("alert_ack", args=[alert.pk, "going"]))
    client.post(
        reverse("alert_update", args=[alert.pk]),
        {"client_id": "u1", "text": "Rijdt richting Korreweg"},
    )
    card = visible_text(client.get(reverse("alert_card", args=[alert.pk])).text)
    assert "0 gezien · 1 gaan kijken" in card
    assert "Rijdt richting Korreweg" in card
    assert "Melding afsluiten" in card  # the author may close
    client.force_login(anna_admin)  # so may an admin
    assert "Melding afsluiten" in visible_text(
        client.get(reverse("alert_card", args=[alert.pk])).text
    )
    client.force_login(mo_member)
    client.post(reverse("alert_close", args=[alert.pk]), {"outcome": "suspect_gone"})
    alert.refresh_from_db()
    assert alert.outcome == "suspect_gone"
    card = visible_text(client.get(reverse("alert_card", args=[alert.pk])).text)
    assert "Afgesloten: Verdachte vertrokken" in card
    assert "Ik bel 112" not in card and "Melding afsluiten" not in card


def test_r_pol_1_wijkagent_page_has_no_posting_and_the_server_refuses(
    client, group, pieter_politie, mo_member, street
):
    client.force_login(mo_member)
    post_alert(client, group, street)
    alert = Alert.objects.get()
    client.force_login(pieter_politie)
    page = client.get(reverse("group", args=[group.pk])).text
    assert "Bestelbus rijdt stapvoets" in page  # reads
    assert "Melding plaatsen" not in page and "Ik bel 112" not in page
    assert post_alert(client, group, street, client_id="p1").status_code == 403
    assert client.post(reverse("alert_claim", args=[alert.pk, "112"])).status_code == 403
    assert (
        client.post(
            reverse("chat_post", args=[group.pk]), {"client_id": "c", "text": "Hoi"}
        ).status_code
        == 403
    )
    assert Alert.objects.count() == 1 and not PoliceCall.objects.exists()


def test_outsider_gets_404_everywhere(client, group, mo_member, bob_buiten, street):
    client.force_login(mo_member)
    post_alert(client, group, street)
    alert = Alert.objects.get()
    client.force_login(bob_buiten)
    assert "Bestelbus" not in client.get(reverse("group", args=[group.pk])).text
    assert post_alert(client, group, street, client_id="b1").status_code == 404
    assert client.get(reverse("alert_card", args=[alert.pk])).status_code == 404
    for url in (
        reverse("alert_claim", args=[alert.pk, "112"]),
        reverse("alert_ack", args=[alert.pk, "seen"]),
        reverse("alert_update", args=[alert.pk]),
        reverse("alert_close", args=[alert.pk]),
        reverse("chat_post", args=[group.pk]),
    ):
        assert (
            client.post(url, {"client_id": "x", "text": "x", "outcome": "resolved"}).status_code
            == 404
        )


def test_r_grp_6_chat_is_a_separate_channel(client, group, mo_member, street):
    client.force_login(mo_member)
    client.post(
        reverse("chat_post", args=[group.pk]),
        {"client_id": "c1", "text": "Wie heeft er een ladder?"},
    )
    assert ChatMessage.objects.get().text == "Wie heeft er een ladder?"
    assert not Alert.objects.exists()
    page = client.get(reverse("group", args=[group.pk])).text
    assert "Wie heeft er een ladder?" in page


def test_bad_alert_input_is_a_dutch_message_and_writes_nothing(client, group, mo_member, street):
    client.force_login(mo_member)
    response = client.post(
        reverse("alert_post", args=[group.pk]),
        {"client_id": "x", "kind": "other", "what": "", "street": street.pk},
        follow=True,
    )
    assert "Zeg wat je zag en waar" in response.text
    profiling = post_alert(client, group, street, client_id="y", skin_colour="licht")
    assert profiling.status_code == 302
    assert "Noem je huidskleur" in client.get(reverse("group", args=[group.pk])).text
    assert not Alert.objects.exists()


def test_my_location_becomes_the_alerts_map_point_only_inside_the_area(
    client, group, mo_member, street
):
    from buurtwacht.geo.models import Address

    home = Address.objects.filter(street=street).first()
    client.force_login(mo_member)
    page = client.get(reverse("group", args=[group.pk])).text
    assert "Mijn locatie toevoegen" in page
    # far outside (Amsterdam): refused in Dutch, nothing written
    post_alert(client, group, street, client_id="far", lon="4.9", lat="52.37")
    assert "buiten het gebied van de groep" in client.get(reverse("group", args=[group.pk])).text
    assert not Alert.objects.exists()
    post_alert(client, group, street, client_id="near", lon=f"{home.lon}", lat=f"{home.lat}")
    alert = Alert.objects.get()
    assert (alert.lon, alert.lat) == pytest.approx((home.lon, home.lat))
    card = client.get(reverse("alert_card", args=[alert.pk])).text
    assert f"mlat={home.lat:.6f}&amp;mlon={home.lon:.6f}" in card
    assert "op de kaart" in visible_text(card)
