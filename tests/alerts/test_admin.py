"""Platform staff see alerts in the admin, read-only and without their private content
(issue 13: alerts were not visible to staff)."""

import pytest

from buurtwacht.accounts.models import User
from buurtwacht.alerts import actions as alert_actions
from buurtwacht.alerts.models import Alert
from buurtwacht.geo.models import Street
from buurtwacht.groups.models import Membership
from tests.conftest import GROUP_STREET

pytestmark = pytest.mark.django_db
LIST = "/beheer/alerts/alert/"


@pytest.fixture
def alert(group, mo_member):
    made, _created = alert_actions.post_alert(
        user=mo_member,
        group_id=group.pk,
        draft=alert_actions.AlertDraft(
            client_id="admin",
            kind="suspicious_vehicle",
            what="Bestelbus rijdt stapvoets langs de auto's",
            street_id=Street.objects.filter(name=GROUP_STREET).first().pk,
            vehicle={"plate": "VB-123-X", "colour": "wit"},
            person={"clothing_top": "rode jas"},
        ),
    )
    return made


@pytest.fixture
def staff(client):
    person = User.objects.create_user("staf@example.nl", "x", name="Staf", is_staff=True)
    person.is_superuser = True
    person.save()
    return person


PRIVATE = ("Bestelbus rijdt stapvoets", "VB-123-X", "rode jas", "Mo Bakker")


def test_alerts_are_visible_to_platform_staff_read_only(client, group, anna_admin, alert, staff):
    client.force_login(staff)
    listing = client.get(LIST)
    assert listing.status_code == 200
    assert group.name in listing.text and "Verdacht voertuig" in listing.text
    page = client.get(f"{LIST}{alert.pk}/change/")
    assert page.status_code == 200 and GROUP_STREET in page.text
    for private in PRIVATE:
        assert private not in listing.text and private not in page.text
    assert client.get(f"{LIST}add/").status_code == 403
    assert client.post(f"{LIST}{alert.pk}/change/", {"kind": "break_in"}).status_code == 403
    assert client.post(f"{LIST}{alert.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Alert.objects.get(pk=alert.pk).kind == "suspicious_vehicle"

    # A group without an admin: its alerts are found with the same filter as its members.
    assert group.name not in client.get(f"{LIST}?zonder_beheerder=1").text
    Membership.objects.filter(user=anna_admin, group=group).update(status="left")
    assert group.name in client.get(f"{LIST}?zonder_beheerder=1").text


def test_alerts_in_the_admin_are_for_staff_only(client, alert, mo_member):
    client.force_login(mo_member)
    assert client.get(LIST).status_code == 302  # to the admin's login
    assert client.get(f"{LIST}{alert.pk}/change/").status_code == 302
