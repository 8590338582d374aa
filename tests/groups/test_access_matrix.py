"""One person walks outsider -> requested -> member -> wijkagent -> admin -> removed; at each
step every group endpoint answers with the status the policy promises.  404 hides a group's
private part from whoever cannot read it; 403 is a reader asking for an admin's page.

POSTs here carry no valid payload, so passing the gate changes nothing (302/200 back to the
page with a message); leaving is walked at the end, because it changes the step."""

from types import SimpleNamespace

import pytest
from django.urls import reverse

from buurtwacht.alerts import actions as alert_actions
from buurtwacht.bulletin import actions as bulletin_actions
from buurtwacht.chat import actions as chat_actions
from buurtwacht.geo.models import Street
from buurtwacht.groups import actions
from buurtwacht.groups.models import JoinRequest, MembershipRole
from buurtwacht.moderation.models import ModerationRecord, Place, RecordKind
from buurtwacht.police import actions as police_actions
from buurtwacht.police.models import PoliceReport
from tests.conftest import GROUP_STREET, VETTED
from tests.media.conftest import post_with_photo
from tests.notify.test_deliveries import post

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
    # the street picker's area and overlaps of a group being edited (R-REG-2)
    ("group_street_area", "get"): [404, 404, 403, 403, 200, 404],
    # public notices (R-RUL-7): written by admins only; withdrawing really withdraws the
    # probe notice at the admin step (the removed step after it is refused anyway)
    ("group_notices", "get"): [404, 404, 403, 403, 200, 404],
    ("group_notices", "post"): [404, 404, 403, 403, 200, 404],  # empty form
    ("group_notice_withdraw", "post"): [404, 404, 403, 403, 302, 404],
    # R-VIS-1: only admins ask the municipality for signs (an empty form changes nothing).
    ("group_signs", "get"): [404, 404, 403, 403, 200, 404],
    ("group_signs", "post"): [404, 404, 403, 403, 200, 404],
    ("group_accept_rules", "post"): [404, 404, 302, 403, 302, 404],
    ("group_recruit", "get"): [404, 404, 403, 403, 200, 404],  # R-CRE-2
    ("group_recruit", "post"): [404, 404, 403, 403, 302, 404],  # no "do": nothing happens
    ("group_flyer", "get"): [404, 404, 403, 403, 302, 404],  # no share link yet: back
    # moderation (R-RUL-3, R-GRP-6): the queue and hiding for admins; reporting for members
    ("group_moderation", "get"): [404, 404, 403, 403, 200, 404],
    ("moderation_let_stand", "post"): [404, 404, 403, 403, 302, 404],
    ("chat_hide", "post"): [404, 404, 403, 403, 302, 404],  # no reason: refused
    ("alert_hide", "post"): [404, 404, 403, 403, 302, 404],
    ("update_hide", "post"): [404, 404, 403, 403, 302, 404],
    ("chat_report", "post"): [404, 404, 302, 403, 302, 404],
    ("alert_report", "post"): [404, 404, 302, 403, 302, 404],
    ("group_privacy", "get"): [404, 404, 403, 403, 200, 404],
    ("group_member_register", "get"): [404, 404, 403, 403, 200, 404],
    # R-RUL-6: a photo on an alert, for the group's readers only
    ("alert_photo", "get"): [404, 404, 200, 200, 200, 404],
    ("alert_photo_thumbnail", "get"): [404, 404, 200, 200, 200, 404],
    # R-FUP-1: members report to the police; only the (verified) wijkagent gives feedback;
    # the reminder's page is for the reporter and the admins.
    ("police_reports", "get"): [404, 404, 200, 200, 200, 404],
    ("police_reports", "post"): [404, 404, 200, 403, 200, 404],  # empty form
    ("police_report_alert", "post"): [404, 404, 302, 403, 302, 404],  # empty form
    ("police_feedback", "post"): [404, 404, 403, 302, 403, 404],  # empty form
    ("police_called", "get"): [404, 404, 404, 404, 200, 404],
}


def url(name, group, probe):
    if name in ("chat_hide", "chat_report"):
        return reverse(name, args=[probe.chat_id])
    if name in ("alert_hide", "alert_report"):
        return reverse(name, args=[probe.alert_id])
    if name == "update_hide":
        return reverse(name, args=[probe.update_id])
    if name == "moderation_let_stand":
        return reverse(name, args=[group.pk, probe.record_id])
    if name == "group_street_area":
        return reverse(name) + f"?groep={group.pk}&straat={group.streets.first().pk}"
    if name == "group_notice_withdraw":
        return reverse(name, args=[group.pk, probe.notice_id])
    if name == "group_decide":
        return reverse(name, args=[group.pk, probe.pk])
    if name == "group_member_action":
        return reverse(name, args=[group.pk, probe.user_id])
    if name.startswith("alert_photo"):
        return reverse(name, args=[probe.photo_id])
    if name in ("police_feedback", "police_called"):
        return reverse(name, args=[probe.report])
    if name == "police_report_alert":
        return reverse(name, args=[probe.alert])
    return reverse(name, args=[group.pk])


def moderation_probes(group, admin):
    """A chat message, an alert and a queue record to point the moderation endpoints at."""
    message, _ = chat_actions.post_chat(
        user=admin, group_id=group.pk, client_id="probe", text="Wie heeft er een ladder?"
    )
    alert, _ = alert_actions.post_alert(
        user=admin,
        group_id=group.pk,
        draft=alert_actions.AlertDraft(
            client_id="probe",
            kind="other",
            what="Er staat een ladder tegen de gevel",
            street_id=Street.objects.filter(name=GROUP_STREET).first().pk,
        ),
    )
    update, _ = alert_actions.add_update(
        user=admin, alert_id=alert.pk, client_id="probe", text="Hij staat er nog"
    )
    record = ModerationRecord.objects.create(
        group=group, kind=RecordKind.BLOCKED, place=Place.CHAT, author=admin, text="probe"
    )
    return message.pk, alert.pk, update.pk, record.pk


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
    probe.chat_id, probe.alert_id, probe.update_id, probe.record_id = moderation_probes(
        group, anna_admin
    )
    probe.photo_id = post_with_photo(
        anna_admin, group, Street.objects.get(name=GROUP_STREET)
    ).photo.pk
    # An alert and a report to the police by the admin: what the police endpoints point at.
    probe.alert = post(anna_admin, group).pk
    probe.report = police_actions.record_report(
        user=anna_admin,
        group_id=group.pk,
        draft=police_actions.ReportDraft(client_id="probe", channel="0900-8844"),
    )[0].pk
    probe.notice_id = bulletin_actions.publish_notice(
        admin=anna_admin,
        group_id=group.pk,
        draft=bulletin_actions.NoticeDraft(kind="tip", title="Probe", body="Sluit af."),
    ).pk

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
    assert PoliceReport.objects.get().feedback_at is None  # nor the probe report


def test_members_and_wijkagent_leave_through_the_gate(client, group, mo_member, pieter_politie):
    for person in (mo_member, pieter_politie):
        client.force_login(person)
        assert client.post(reverse("group_leave", args=[group.pk])).status_code == 302
        assert client.get(reverse("group_members", args=[group.pk])).status_code == 404


def test_anonymous_visitors_are_sent_to_login(client, group):
    for name, method in EXPECTED:
        response = getattr(client, method)(
            url(
                name,
                group,
                SimpleNamespace(
                    pk=1,
                    user_id=1,
                    chat_id=1,
                    alert_id=1,
                    update_id=1,
                    record_id=1,
                    photo_id=1,
                    notice_id=1,
                    alert=1,
                    report=1,
                ),
            )
        )
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


# --- the public register (R-REG-1): open to everyone, private to nobody ------------------


def public_urls(group):
    code = group.municipality_code
    return [
        reverse("register_map"),
        reverse("register_municipality", args=[code]),
        reverse("register_group", args=[group.pk]),
        reverse("register_widget", args=[code]),
        reverse("register_search") + "?q=" + GROUP_STREET,
        reverse("api:register_bbox") + "?bbox=3.2,50.7,7.3,53.6&zoom=13",
        reverse("api:register_municipality", args=[code]),
        reverse("bulletin_feed", args=[group.pk]),  # R-RUL-7
    ]


def test_r_reg_1_public_pages_open_to_all_and_show_nothing_private(
    client, group, anna_admin, mo_member, pieter_politie, resident_on, bob_buiten
):
    from buurtwacht.alerts import actions as alert_actions
    from buurtwacht.chat import actions as chat_actions
    from buurtwacht.groups.models import Listing
    from buurtwacht.register.index import clear_register_index

    actions.set_listing(admin=anna_admin, group_id=group.pk, listing=Listing.LISTED)
    if not group.municipality_code:  # no gemeente outlines imported in this package
        type(group).objects.filter(pk=group.pk).update(municipality_code="GM0014")
        group.refresh_from_db()
    alert_actions.post_alert(
        user=mo_member,
        group_id=group.pk,
        draft=alert_actions.AlertDraft(
            client_id="m1",
            kind="suspicious_person",
            what="Geheime-melding-tekst bij nummer 12",
            street_id=group.streets.first().pk,
        ),
    )
    chat_actions.post_chat(
        user=mo_member, group_id=group.pk, client_id="c1", text="Geheim-chatbericht"
    )
    sem = resident_on("Sem Visser", GROUP_STREET, 30)
    actions.request_to_join(
        user=sem, group_id=group.pk, message="Geheim-verzoekbericht", rules_accepted=True
    )
    clear_register_index()
    private = [
        "Geheime-melding-tekst",
        "Geheim-chatbericht",
        "Geheim-verzoekbericht",
        *(p.name for p in (anna_admin, mo_member, pieter_politie, sem)),
        *(p.email for p in (anna_admin, mo_member, pieter_politie, sem)),
    ]
    visitors = [None, bob_buiten, sem, mo_member, pieter_politie, anna_admin]
    for visitor in visitors:
        client.logout()
        if visitor is not None:
            client.force_login(visitor)
        for public in public_urls(group):
            response = client.get(public)
            assert response.status_code == 200, (visitor, public)
            body = response.content.decode()
            for secret in private:
                if visitor is not None and secret in (visitor.name, visitor.email):
                    continue  # the header shows the visitor's own name
                assert secret not in body, (visitor, public, secret)
        if visitor is None:
            assert group.name in client.get(public_urls(group)[2]).content.decode()
