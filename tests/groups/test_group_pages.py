"""The Dutch group pages, through the real views and forms."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from buurtwacht.core import clock
from buurtwacht.geo.models import Street
from buurtwacht.groups import actions
from buurtwacht.groups.models import Group, JoinRequest, Membership
from tests.conftest import GROUP_STREET, visible_text

pytestmark = pytest.mark.django_db


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (64, 48), "orange")
    exif = Image.Exif()
    exif[0x8825] = {2: (52.0, 13.0, 0.0)}  # GPSInfo
    exif[0x010F] = "Camera Maker"
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_r_cre_1_create_group_page_with_photo_stripped_of_metadata(
    client, anna_admin, group_street_ids, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(anna_admin)
    page = client.get(reverse("group_create"))
    assert page.status_code == 200
    assert "Groep starten" in page.text
    photo = SimpleUploadedFile("buurt.jpg", jpeg_with_gps(), content_type="image/jpeg")
    response = client.post(
        reverse("group_create"),
        {
            "name": "Buurtpreventie Grote Beer",
            "description": "",
            "streets": group_street_ids,
            "photo": photo,
        },
    )
    group = Group.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("group", args=[group.pk])
    served = client.get(reverse("group_photo", args=[group.pk]))
    data = b"".join(served.streaming_content)
    with Image.open(io.BytesIO(data)) as stored:
        assert stored.format == "JPEG"
        assert dict(stored.getexif()) == {}


def test_a_file_that_is_not_a_photo_is_refused_in_dutch(client, anna_admin, group_street_ids):
    client.force_login(anna_admin)
    fake = SimpleUploadedFile("buurt.jpg", b"<?php echo 'hi'; ?>", content_type="image/jpeg")
    response = client.post(
        reverse("group_create"),
        {"name": "Buurtpreventie", "streets": group_street_ids, "photo": fake},
    )
    assert response.status_code == 200
    assert "geen foto die we kunnen lezen" in response.text
    assert not Group.objects.exists()


def test_r_reg_2_page_shows_overlapping_groups_before_creating(
    client, group, resident_on, group_street_ids
):
    lotte = resident_on("Lotte Jansen", GROUP_STREET, 20)
    client.force_login(lotte)
    data = {"name": "Nog een groep", "streets": group_street_ids}
    response = client.post(reverse("group_create"), data)
    assert response.status_code == 200
    assert group.name in response.text
    assert Group.objects.count() == 1
    confirmed = client.post(reverse("group_create"), {**data, "overlaps_confirmed": "on"})
    assert confirmed.status_code == 302
    assert Group.objects.count() == 2


def test_resident_finds_group_asks_to_join_and_admin_admits(client, group, anna_admin, resident_on):
    lotte = resident_on("Lotte Jansen", GROUP_STREET, 20)
    client.force_login(lotte)
    assert group.name in client.get(reverse("my_groups")).text
    refused = client.post(reverse("group", args=[group.pk]), {"message": "Hoi"})
    assert "huisregels" in refused.text.lower() or "verplicht" in refused.text.lower()
    assert not JoinRequest.objects.exists()
    asked = client.post(
        reverse("group", args=[group.pk]),
        {"message": "Hoi", "contact": "06-12345678, na 18 uur", "rules_accepted": "on"},
        follow=True,
    )
    assert "Je aanvraag is verstuurd" in asked.text
    assert "wacht op een beheerder" not in asked.text  # confirmed once, not twice
    assert "wacht op een beheerder" in client.get(reverse("group", args=[group.pk])).text

    client.force_login(anna_admin)
    queue = client.get(reverse("group_requests", args=[group.pk]))
    assert "Lotte Jansen" in queue.text
    assert "06-12345678, na 18 uur" in queue.text  # R-GRP-5: how to make contact
    request = JoinRequest.objects.get()
    url = reverse("group_decide", args=[group.pk, request.pk])
    field = f"admit-{request.pk}-"
    incomplete = client.post(
        url,
        {
            "decision": "admit",
            field + "contact_date": "2026-11-20",
            field + "contact_method": "phone",
        },
        follow=True,
    )
    assert "Vul alle verplichte velden in" in incomplete.text
    client.post(
        url,
        {
            "decision": "admit",
            field + "contact_date": "2026-11-20",
            field + "contact_method": "phone",
            field + "contact_note": "Gebeld, kent de buren",
            field + "age_checked": "on",
            field + "address_checked": "on",
        },
    )
    assert Membership.objects.get(user=lotte).status == "active"
    members = client.get(reverse("group_members", args=[group.pk])).text
    assert "20 november 2026" in members and "Gebeld, kent de buren" in members
    client.force_login(lotte)
    page = client.get(reverse("group", args=[group.pk])).text
    assert "06-12345678" not in page  # the contact stays with the admins
    assert "Anna de Vries" in page  # members see names
    assert anna_admin.email not in page  # never e-mail addresses
    assert anna_admin.home_address.postcode not in page  # nor house numbers/postcodes


def test_admin_sees_split_advice_above_100(client, group, anna_admin, settings):
    settings.GROUP_SPLIT_ADVICE_AT = 0
    client.force_login(anna_admin)
    assert "overweeg de groep te splitsen" in client.get(reverse("group", args=[group.pk])).text


def test_streets_offered_are_those_of_the_founders_municipality(client, anna_admin):
    client.force_login(anna_admin)
    page = client.get(reverse("group_create")).text
    code = anna_admin.home_address.municipality_code
    assert Street.objects.filter(municipality_code=code).count() > 250  # the shipped 298
    assert GROUP_STREET in page


def test_r_grp_2_admin_proposes_a_resident_on_the_requests_page(
    client, group, anna_admin, resident_on, bob_buiten
):
    lotte = resident_on("Lotte Jansen", GROUP_STREET, 20)
    client.force_login(anna_admin)
    page = reverse("group_requests", args=[group.pk])
    for unknown in ("niemand@example.nl", bob_buiten.email):  # no account / not on our streets
        response = client.post(page, {"email": unknown})
        assert "Er woont geen bewoner met dit e-mailadres" in response.text
    assert not JoinRequest.objects.exists()
    assert client.post(page, {"email": lotte.email.upper()}).status_code == 302
    proposal = JoinRequest.objects.get()
    assert (proposal.user, proposal.proposed_by, proposal.status) == (lotte, anna_admin, "pending")
    assert "Lotte Jansen" in client.get(page).text


def test_r_grp_5_each_request_has_its_own_vetting_form_with_the_date_filled_in(
    client, group, anna_admin, resident_on
):
    """Several request cards shared field ids (a label of one ticked another's box), and the
    date was sent as 01-12-2026 into <input type=date>, which then showed empty."""
    for index, name in enumerate(["Lotte Jansen", "Sem Visser"]):
        applicant = resident_on(name, GROUP_STREET, 20 + index)
        actions.request_to_join(user=applicant, group_id=group.pk, rules_accepted=True)
    client.force_login(anna_admin)
    page = client.get(reverse("group_requests", args=[group.pk])).text
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    for request in JoinRequest.objects.filter(group=group):
        label_for = re.search(rf'<label for="(id_admit-{request.pk}-age_checked)"', page)
        assert label_for and f'id="{label_for.group(1)}"' in page
    dates = re.findall(r'<input type="date" name="admit-\d+-contact_date" value="([^"]*)"', page)
    assert dates == [clock.today().isoformat()] * 2


def test_the_member_count_on_the_group_page_leaves_out_the_wijkagent(
    client, group, anna_admin, mo_member, pieter_politie
):
    client.force_login(mo_member)
    text = visible_text(client.get(reverse("group", args=[group.pk])).content.decode())
    assert "2 leden" in text  # Anna and Mo; Pieter reads along


def test_the_admin_switches_to_initials_and_every_name_follows(
    client, group, anna_admin, mo_member
):
    from buurtwacht.chat import actions as chat_actions
    from buurtwacht.groups.models import AuditEntry

    chat_actions.post_chat(user=anna_admin, group_id=group.pk, client_id="c1", text="Hallo")
    client.force_login(anna_admin)
    client.post(
        reverse("group_settings", args=[group.pk]), {"do": "initials", "show_initials": "on"}
    )
    assert AuditEntry.objects.filter(group=group, action="set_show_initials").exists()
    client.force_login(mo_member)
    text = visible_text(client.get(reverse("group", args=[group.pk])).content.decode())
    assert "A.D.V." in text and "Anna de Vries" not in text  # member list and chat
