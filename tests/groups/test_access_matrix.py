"""One person walks outsider -> requested -> member -> wijkagent -> admin -> removed; at each
step every group endpoint answers with the status the policy promises (404 hides a group's
private part from whoever cannot read it)."""

import pytest
from django.urls import reverse

from buurtwacht.groups import actions
from buurtwacht.groups.models import MembershipRole

from .conftest import GROUP_STREET, VETTED

pytestmark = pytest.mark.django_db

# endpoint name, method
ENDPOINTS = [
    ("group", "get"),
    ("group_requests", "get"),
    ("group_members", "get"),
    ("group_settings", "get"),
    ("group_audit", "get"),
    ("group_leave", "post"),
]

# Expected status per step, in ENDPOINTS order.  leave: 302 = done/refused with a message.
EXPECTED = {
    "outsider": [200, 404, 404, 404, 404, 404],
    "requested": [200, 404, 404, 404, 404, 404],
    "member": [200, 403, 403, 403, 403, None],
    "wijkagent": [200, 403, 403, 403, 403, None],
    "admin": [200, 200, 200, 200, 200, None],
    "removed": [200, 404, 404, 404, 404, 404],
}


def statuses(client, group):
    result = []
    for name, method in ENDPOINTS:
        if method == "post":
            result.append(None)  # leaving would change the step; checked separately below
            continue
        result.append(client.get(reverse(name, args=[group.pk])).status_code)
    return result


def test_access_matrix_over_membership_states(
    client, group, anna_admin, pieter_politie, resident_on
):
    lotte = resident_on("Lotte Jansen", GROUP_STREET, 20)
    client.force_login(lotte)

    def check(step):
        expected = [
            None if m == "post" else s for (_, m), s in zip(ENDPOINTS, EXPECTED[step], strict=True)
        ]
        assert statuses(client, group) == expected, step

    check("outsider")
    assert client.post(reverse("group_leave", args=[group.pk])).status_code == 404
    request = actions.request_to_join(user=lotte, group_id=group.pk, rules_accepted=True)
    check("requested")
    assert client.post(reverse("group_leave", args=[group.pk])).status_code == 404
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
    assert client.post(reverse("group_leave", args=[group.pk])).status_code == 404


def test_anonymous_visitors_are_sent_to_login(client, group):
    for name, _method in ENDPOINTS:
        response = client.get(reverse(name, args=[group.pk]))
        assert response.status_code in {302, 405}
