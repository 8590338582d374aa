"""R-VIS-1: signs and stickers.  The admin's request is filled in from the group and checked
against the municipality's conditions; the coordinator approves (or declines with a
reason), marks ordered, delivered and placed; both sides hear of each step; every step is
in the group's audit log; the PDF holds the request."""

import io

import pytest
import shapely
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from buurtwacht.core.errors import ActionError
from buurtwacht.groups import actions as group_actions
from buurtwacht.groups.models import AuditEntry, Listing
from buurtwacht.notify.models import Delivery
from buurtwacht.signage import actions
from buurtwacht.signage.models import SignRequest, SignStatus
from tests.conftest import GROUP_STREET

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_town(settings, group, anna_admin):
    """The instance states its conditions; here a group of two may ask (it is on the
    public register: R-VIS-1 asks for a registered group)."""
    group_actions.set_listing(admin=anna_admin, group_id=group.pk, listing=Listing.LISTED)
    settings.SIGN_MIN_MEMBERS = 2
    settings.SIGN_MAX_SIGNS = 4
    settings.SIGN_MAX_STICKERS = 50


def ask(admin, group, *, signs=2, stickers=20, note="Bij de ingang van de straat"):
    return actions.request_signs(
        admin=admin,
        group_id=group.pk,
        order=actions.SignOrder(signs=signs, stickers=stickers, note=note),
    )


def sent_to(user, sign_request, step):
    return Delivery.objects.filter(
        user=user, source=f"sign_request:{sign_request.pk}:{step}"
    ).exists()


def test_r_vis_1_request_is_prefilled_from_the_group(
    small_town, group, anna_admin, mo_member, gea_gemeente
):
    made = ask(anna_admin, group)
    assert made.streets == [GROUP_STREET]
    assert made.participants == 2  # anna and mo
    assert made.neighbourhood  # the CBS buurt, or the town without imported areas
    assert made.municipality_code == "GM0014"
    assert (made.signs, made.stickers, made.status) == (2, 20, SignStatus.REQUESTED)
    assert sent_to(gea_gemeente, made, "requested")  # the municipality hears of it
    assert not sent_to(anna_admin, made, "requested")  # not the one who asked
    entry = AuditEntry.objects.get(group=group, action="sign_request")
    assert entry.actor == anna_admin and entry.details["sign_request"] == made.pk


def test_r_vis_1_the_admins_page_shows_what_the_request_is_filled_in_with(
    small_town, client, group, anna_admin, mo_member
):
    client.force_login(anna_admin)
    page = client.get(reverse("group_signs", args=[group.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert GROUP_STREET in text and "Deelnemers" in text
    assert "minstens 2 deelnemers" in text
    response = client.post(
        reverse("group_signs", args=[group.pk]), {"signs": 1, "stickers": 10, "note": ""}
    )
    assert response.status_code == 302
    assert SignRequest.objects.get().signs == 1


def test_r_vis_1_conditions_are_checked_with_a_dutch_error(
    settings, client, group, anna_admin, mo_member
):
    settings.SIGN_MIN_MEMBERS = 10  # the default
    with translation.override("nl"), pytest.raises(ActionError) as refused:
        ask(anna_admin, group)
    assert refused.value.code == "too_few_members"
    assert "minstens 10 deelnemers" in refused.value.message
    assert "deze groep heeft er 2" in refused.value.message
    settings.SIGN_MIN_MEMBERS = 2
    settings.SIGN_MAX_SIGNS = 4
    for signs, stickers, code in ((0, 0, "nothing"), (5, 0, "too_many_signs")):
        with pytest.raises(ActionError) as refused:
            ask(anna_admin, group, signs=signs, stickers=stickers)
        assert refused.value.code == code
    # On the page: the refusal as a form error, in Dutch; nothing stored.
    settings.SIGN_MIN_MEMBERS = 10
    client.force_login(anna_admin)
    page = client.post(reverse("group_signs", args=[group.pk]), {"signs": 1, "stickers": 0})
    assert page.status_code == 200
    assert "De gemeente levert borden aan groepen met minstens 10 deelnemers" in (
        page.content.decode()
    )
    assert not SignRequest.objects.exists()
    assert not AuditEntry.objects.filter(action="sign_request").exists()


def test_r_vis_1_one_request_under_way_at_a_time(small_town, group, anna_admin, mo_member):
    ask(anna_admin, group)
    with pytest.raises(ActionError) as refused:
        ask(anna_admin, group)
    assert refused.value.code == "already_requested"


def test_r_vis_1_members_cannot_ask(small_town, group, anna_admin, mo_member):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        ask(mo_member, group)


def step(gea, made, what, **details):
    return actions.advance(
        coordinator=gea,
        request_id=made.pk,
        step=actions.Step(what),
        details=actions.StepDetails(**details),
    )


def test_r_vis_1_the_municipality_approves_orders_delivers_and_places(
    small_town, client, group, anna_admin, mo_member, gea_gemeente
):
    made = ask(anna_admin, group)
    middle = shapely.from_geojson(group.area_geometry).representative_point()
    with pytest.raises(ActionError):  # not before it is approved
        step(gea_gemeente, made, "ordered")
    client.force_login(gea_gemeente)
    page = reverse("municipality_sign", args=[made.pk])
    assert client.post(page, {"do": "approve", "reason": ""}).status_code == 302
    assert client.post(page, {"do": "ordered"}).status_code == 302
    assert client.post(page, {"do": "delivered"}).status_code == 302
    # Placed needs where; a map point outside the group's area is refused.
    with pytest.raises(ActionError) as refused:
        step(gea_gemeente, made, "placed", where="Hoek", lon=5.0, lat=52.0)
    assert refused.value.code == "point"
    response = client.post(
        page,
        {
            "do": "placed",
            "where": "Aan de lantaarnpaal op de hoek",
            "lon": f"{middle.x:.6f}",
            "lat": f"{middle.y:.6f}",
        },
    )
    assert response.status_code == 302
    made.refresh_from_db()
    assert made.status == SignStatus.PLACED
    assert made.placed_where == "Aan de lantaarnpaal op de hoek"
    assert made.placed_lat == pytest.approx(middle.y, abs=1e-6)
    assert made.decided_at and made.ordered_at and made.delivered_at and made.placed_at
    for what in ("approved", "ordered", "delivered", "placed"):
        assert sent_to(anna_admin, made, what), what  # the group's side
        assert not sent_to(gea_gemeente, made, what), what  # she took the step herself
    assert list(
        AuditEntry.objects.filter(group=group).order_by("id").values_list("action", flat=True)
    )[-5:] == ["sign_request", "sign_approved", "sign_ordered", "sign_delivered", "sign_placed"]
    assert AuditEntry.objects.get(action="sign_placed").actor == gea_gemeente
    # The admins' page shows where; a new request may be made now.
    client.force_login(anna_admin)
    text = client.get(reverse("group_signs", args=[group.pk])).content.decode()
    assert "Aan de lantaarnpaal op de hoek" in text
    ask(anna_admin, group, signs=1, stickers=0)


def test_r_vis_1_declining_needs_a_reason_and_tells_the_admins(
    small_town, group, anna_admin, mo_member, gea_gemeente
):
    made = ask(anna_admin, group)
    with pytest.raises(ActionError) as refused:
        step(gea_gemeente, made, "decline", reason="  ")
    assert refused.value.code == "reason"
    step(gea_gemeente, made, "decline", reason="Eerst een jaar actief zijn")
    made.refresh_from_db()
    assert made.status == SignStatus.DECLINED and made.reason == "Eerst een jaar actief zijn"
    delivery = Delivery.objects.get(user=anna_admin, source=f"sign_request:{made.pk}:declined")
    assert "Eerst een jaar actief zijn" in delivery.payload["body"]
    entry = AuditEntry.objects.get(action="sign_declined")
    assert entry.reason == "Eerst een jaar actief zijn"
    with pytest.raises(ActionError):  # a declined request goes no further
        step(gea_gemeente, made, "approve")


def test_r_vis_1_both_sides_hear_each_step(
    small_town, group, anna_admin, mo_member, gea_gemeente, resident_on
):
    """A second admin and a second coordinator: each step reaches the other side and the
    own side's other people, never the one who took it."""
    from buurtwacht.groups import actions as group_actions
    from buurtwacht.municipality.actions import grant_role
    from buurtwacht.municipality.models import VerifiedRole

    group_actions.change_role(
        admin=anna_admin, group_id=group.pk, user_id=mo_member.pk, role="admin"
    )
    colleague = resident_on("Cor Collega", "Paterswoldseweg", 14)
    grant_role(
        user=colleague,
        role=VerifiedRole.MUNICIPALITY,
        municipality_codes=["GM0014"],
        staff=None,
        evidence="test",
    )
    made = ask(anna_admin, group)
    assert {sent_to(u, made, "requested") for u in (mo_member, gea_gemeente, colleague)} == {True}
    for what, did in (("approve", "approved"), ("ordered", "ordered")):
        step(gea_gemeente, made, what)
        assert sent_to(anna_admin, made, did) and sent_to(mo_member, made, did)
        assert sent_to(colleague, made, did) and not sent_to(gea_gemeente, made, did)


def test_r_vis_1_another_municipality_cannot_touch_the_request(
    small_town, group, anna_admin, mo_member, resident_on
):
    from django.http import Http404

    from buurtwacht.municipality.actions import grant_role
    from buurtwacht.municipality.models import VerifiedRole

    made = ask(anna_admin, group)
    amsterdam = resident_on("Ada Amsterdam", "Paterswoldseweg", 15)
    grant_role(
        user=amsterdam,
        role=VerifiedRole.MUNICIPALITY,
        municipality_codes=["GM0363"],
        staff=None,
        evidence="test",
    )
    with pytest.raises(Http404):
        step(amsterdam, made, "approve")
    made.refresh_from_db()
    assert made.status == SignStatus.REQUESTED


def test_r_vis_1_pdf_holds_the_request(
    small_town, client, group, anna_admin, mo_member, gea_gemeente
):
    made = ask(anna_admin, group, signs=3, stickers=40, note="Graag bij de speeltuin")
    step(gea_gemeente, made, "approve", reason="Akkoord")
    client.force_login(gea_gemeente)
    response = client.get(reverse("municipality_sign_pdf", args=[made.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(page.extract_text() for page in reader.pages)
    for expected in (
        "Aanvraag buurtpreventieborden en -stickers",
        group.name,
        GROUP_STREET,
        "GM0014",
        "Graag bij de speeltuin",
        "Goedgekeurd",
        "Akkoord",
    ):
        assert expected in text, expected
    assert "Borden 3" in text.replace("\n", " ") or "Borden3" in text
    assert "Stickers 40" in text.replace("\n", " ") or "Stickers40" in text
    assert "Deelnemers 2" in text.replace("\n", " ") or "Deelnemers2" in text
    for private in (anna_admin.name, mo_member.name, anna_admin.email):
        assert private not in text
    # Nobody else gets the PDF.
    client.force_login(anna_admin)
    assert client.get(reverse("municipality_sign_pdf", args=[made.pk])).status_code == 404


def test_r_vis_1_an_unlisted_group_is_told_to_register_first_not_offered_the_form(
    settings, client, group, anna_admin, mo_member
):
    settings.SIGN_MIN_MEMBERS = 2
    group_actions.set_listing(admin=anna_admin, group_id=group.pk, listing=Listing.UNLISTED)
    client.force_login(anna_admin)
    text = client.get(reverse("group_signs", args=[group.pk])).content.decode()
    assert 'id="sign-obstacle"' in text and 'name="signs"' not in text
    with pytest.raises(ActionError) as refused:
        ask(anna_admin, group)
    assert refused.value.code == "unlisted"


def test_r_vis_1_a_group_too_small_sees_why_instead_of_the_form(
    settings, client, group, anna_admin, mo_member
):
    settings.SIGN_MIN_MEMBERS = 10
    group_actions.set_listing(admin=anna_admin, group_id=group.pk, listing=Listing.LISTED)
    client.force_login(anna_admin)
    text = client.get(reverse("group_signs", args=[group.pk])).content.decode()
    assert 'id="sign-obstacle"' in text and 'name="signs"' not in text


def test_r_vis_1_the_request_is_confirmed_once(small_town, client, group, anna_admin, mo_member):
    client.force_login(anna_admin)
    page = client.post(
        reverse("group_signs", args=[group.pk]),
        {"signs": 1, "stickers": 10, "note": ""},
        follow=True,
    ).content.decode()
    assert page.count('role="status"') == 1
