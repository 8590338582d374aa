"""One person walks outsider -> requested -> member -> wijkagent -> admin -> removed; at each
step every group endpoint answers with the status the policy promises.  404 hides a group's
private part from whoever cannot read it; 403 is a reader asking for an admin's page.

POSTs here carry no valid payload, so passing the gate changes nothing (302/200 back to the
page with a message); leaving is walked at the end, because it changes the step."""

from types import SimpleNamespace

import pytest
from django.urls import reverse

from buurtwacht.geo.models import Street
from buurtwacht.groups import actions
from buurtwacht.groups.models import JoinRequest, MembershipRole
from tests.conftest import GROUP_STREET, VETTED
from tests.media.conftest import post_with_photo

pytestmark = pytest.mark.django_db

STEPS = ["outsider", "requested", "member", "wijkagent", "admin", "removed"]
# endpoint (name, method): expected status at each step, in STEPS order
EXPECTED = {
    ("group", "get"): [200, 200, 200, 200, 200, 200],
    ("group_requests", "get"): [404, 404, 403, 403, 200, 404],
    ("group_requests", "post"): [404, 404, 403, 403, 200, 404],  # propose, empty form
    ("group_decide", "post"): [404, 404, 403, 403, 302, 404],  # deny without a reason
    ("group_members", "get"): [404, 404, 403, 403, 200, 404],
    ("group_member_action", "post"): [404, 404, 403, 403, 302, 404],
    ("group_settings", "get"): [404, 404, 403, 403, 200, 404],
    ("group_settings", "post"): [404, 404, 403, 403, 200, 404],
    ("group_audit", "get"): [404, 404, 403, 403, 200, 404],
    ("group_accept_rules", "post"): [404, 404, 302, 403, 302, 404],
    ("group_privacy", "get"): [404, 404, 403, 403, 200, 404],
    ("group_member_register", "get"): [404, 404, 403, 403, 200, 404],
    # R-RUL-6: a photo on an alert, for the group's readers only
    ("alert_photo", "get"): [404, 404, 200, 200, 200, 404],
    ("alert_photo_thumbnail", "get"): [404, 404, 200, 200, 200, 404],
}


def url(name, group, probe):
    if name == "group_decide":
        return reverse(name, args=[group.pk, probe.pk])
    if name == "group_member_action":
        return reverse(name, args=[group.pk, probe.user_id])
    if name.startswith("alert_photo"):
        return reverse(name, args=[probe.photo_id])
    return reverse(name, args=[group.pk])


def observed(client, group, probe):
    return {
        (name, method): getattr(client, method)(url(name, group, probe)).status_code
        for name, method in EXPECTED
    }


def test_access_matrix_over_membership_states(
    client, group, anna_admin, pieter_politie, resident_on
):
    lotte = resident_on("Lotte Jansen", GROUP_STREET, 20)
    # A pending request of someone else: the object the decide/member endpoints point at.
    probe = actions.request_to_join(
        user=resident_on("Sem Visser", GROUP_STREET, 30), group_id=group.pk, rules_accepted=True
    )
    probe.photo_id = post_with_photo(
        anna_admin, group, Street.objects.get(name=GROUP_STREET)
    ).photo.pk

    def check(step):
        index = STEPS.index(step)
        expected = {endpoint: statuses[index] for endpoint, statuses in EXPECTED.items()}
        assert observed(client, group, probe) == expected, step

    leave = reverse("group_leave", args=[group.pk])
    client.force_login(lotte)
    check("outsider")
    assert client.post(leave).status_code == 404
    request = actions.request_to_join(user=lotte, group_id=group.pk, rules_accepted=True)
    check("requested")
    assert client.post(leave).status_code == 404
    actions.admit_member(admin=anna_admin, request_id=request.pk, vetting=VETTED)
    check("member")
    # The wijkagent step is walked by a verified officer (a member is never turned into one).
    client.force_login(pieter_politie)
    check("wijkagent")
    client.force_login(lotte)
    actions.change_role(
        admin=anna_admin, group_id=group.pk, user_id=lotte.pk, role=MembershipRole.ADMIN
    )
    check("admin")
    actions.remove_member(admin=anna_admin, group_id=group.pk, user_id=lotte.pk, reason="Test")
    check("removed")
    assert client.post(leave).status_code == 404

    probe.refresh_from_db()
    assert probe.status == "pending"  # nothing above changed the probe request
    assert JoinRequest.objects.filter(group=group, status="pending").count() == 1


def test_members_and_wijkagent_leave_through_the_gate(client, group, mo_member, pieter_politie):
    for person in (mo_member, pieter_politie):
        client.force_login(person)
        assert client.post(reverse("group_leave", args=[group.pk])).status_code == 302
        assert client.get(reverse("group_members", args=[group.pk])).status_code == 404


def test_anonymous_visitors_are_sent_to_login(client, group):
    for name, method in EXPECTED:
        response = getattr(client, method)(
            url(name, group, SimpleNamespace(pk=1, user_id=1, photo_id=1))
        )
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
