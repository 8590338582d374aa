"""R-RUL-2 after the fact: members live on the group's streets.  Moving house, or the admins
changing the streets, re-checks the members: they are told, and the admins see who no
longer qualifies (and decide, with a reason: R-GRP-4)."""

from django.test import Client
from django.urls import reverse

from buurtwacht.geo.models import Address, Street
from buurtwacht.groups import actions
from buurtwacht.groups.models import AuditEntry
from buurtwacht.groups.selectors import off_streets
from buurtwacht.notify.models import Delivery
from tests.conftest import GROUP_STREET, OTHER_STREET


def test_r_rul_2_moving_away_is_named_to_the_member_and_shown_to_the_admins(
    group, anna_admin, mo_member
):
    elsewhere = Address.objects.filter(street__name=OTHER_STREET).order_by("number").first()
    client = Client()
    client.force_login(mo_member)
    page = client.post(
        reverse("change_address"),
        {
            "postcode": elsewhere.postcode,
            "house_number": elsewhere.number,
            "house_letter": elsewhere.letter,
            "house_addition": elsewhere.suffix,
        },
        follow=True,
    ).content.decode()
    mo_member.refresh_from_db()
    assert mo_member.home_address.street == OTHER_STREET
    assert group.name in page and "niet aan de straten" in page
    assert off_streets(group=group) == {mo_member.pk}
    assert AuditEntry.objects.filter(group=group, action="moved_away", subject=mo_member).exists()
    admin = Client()
    admin.force_login(anna_admin)
    members = admin.get(reverse("group_members", args=[group.pk])).content.decode()
    assert 'id="off-streets-note"' in members and "niet meer in onze straten" in members


def test_r_rul_2_moving_within_the_streets_changes_nothing(group, anna_admin, mo_member):
    same_street = Address.objects.filter(street__name=GROUP_STREET).order_by("-number").first()
    client = Client()
    client.force_login(mo_member)
    client.post(
        reverse("change_address"),
        {
            "postcode": same_street.postcode,
            "house_number": same_street.number,
            "house_letter": same_street.letter,
            "house_addition": same_street.suffix,
        },
    )
    assert off_streets(group=group) == set()
    assert not AuditEntry.objects.filter(action="moved_away").exists()


def test_r_rul_2_changing_the_streets_tells_the_members_who_are_left_out(
    group, anna_admin, mo_member, resident_on
):
    # Mo moves onto another street first (quietly, as the data stood before this rule).
    lotte = resident_on("Lotte Jansen", OTHER_STREET, 20)
    other = list(Street.objects.filter(name=OTHER_STREET).values_list("pk", flat=True))
    mine = list(Street.objects.filter(name=GROUP_STREET).values_list("pk", flat=True))
    actions.change_streets(
        admin=anna_admin, group_id=group.pk, street_ids=mine + other, overlaps_confirmed=True
    )
    assert off_streets(group=group) == set()
    assert lotte.pk not in off_streets(group=group)
    # Now the admins drop Grote Beerstraat: anna (who made the change) and mo live there.
    actions.change_streets(
        admin=anna_admin, group_id=group.pk, street_ids=other, overlaps_confirmed=True
    )
    assert off_streets(group=group) == {anna_admin.pk, mo_member.pk}
    told = AuditEntry.objects.filter(group=group, action="off_streets")
    assert {entry.subject_id for entry in told} == {mo_member.pk}  # not the admin who did it
    assert Delivery.objects.filter(user=mo_member, kind="membership").exists()
