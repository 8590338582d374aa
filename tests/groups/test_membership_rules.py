"""The house rules as behaviour, named after the rule they prove (docs/PRODUCT.md)."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse

from buurtwacht.accounts.models import User
from buurtwacht.alerts import actions as alert_actions
from buurtwacht.chat import actions as chat_actions
from buurtwacht.core import clock
from buurtwacht.core.errors import ActionError
from buurtwacht.groups import actions, selectors
from buurtwacht.groups.access import access_group, role_in
from buurtwacht.groups.models import (
    AuditEntry,
    JoinRequest,
    JoinRequestStatus,
    Membership,
    MembershipRole,
    MembershipStatus,
)
from buurtwacht.groups.policy import Action, Role
from buurtwacht.municipality.actions import grant_role
from buurtwacht.municipality.models import VerifiedRole
from buurtwacht.notify import actions as notify_actions
from tests.conftest import GROUP_STREET, OTHER_STREET, PASSWORD, VETTED, admit

pytestmark = pytest.mark.django_db


def test_r_cre_1_founder_becomes_admin_of_a_group_with_name_and_streets(group, anna_admin):
    assert group.name == "Buurtpreventie Grote Beerstraat"
    assert [s.name for s in selectors.streets_of(group=group)] == [GROUP_STREET]
    role, _ = role_in(user=anna_admin, group=group)
    assert role == Role.ADMIN
    assert group.area_geometry  # derived from the street's addresses
    assert AuditEntry.objects.filter(group=group, action="create_group").exists()


def test_r_rul_4_group_area_contains_its_addresses_and_not_far_away(group):
    import shapely

    from buurtwacht.geo.models import Address

    area = shapely.from_geojson(group.area_geometry)
    inside = Address.objects.filter(street__name=GROUP_STREET).first()
    outside = Address.objects.filter(street__name=OTHER_STREET).first()
    assert area.contains(shapely.Point(inside.lon, inside.lat))
    assert not area.contains(shapely.Point(outside.lon, outside.lat))


def test_r_reg_2_overlapping_group_needs_confirmation(group, resident_on, group_street_ids):
    lotte = resident_on("Lotte Jansen", GROUP_STREET, 20)
    new = actions.NewGroup(
        name="Tweede groep",
        description="",
        municipality_code=group.municipality_code,
        street_ids=group_street_ids,
    )
    assert selectors.overlapping_groups(street_ids=group_street_ids) == [group]
    with pytest.raises(ActionError) as refused:
        actions.create_group(founder=lotte, new=new, overlaps_confirmed=False)
    assert refused.value.code == "overlap"
    second = actions.create_group(founder=lotte, new=new, overlaps_confirmed=True)
    assert second.pk != group.pk


def test_r_rul_2_only_residents_of_the_streets_can_ask(group, bob_buiten):
    with pytest.raises(ActionError) as refused:
        actions.request_to_join(user=bob_buiten, group_id=group.pk, rules_accepted=True)
    assert refused.value.code == "not_on_streets"
    assert "straten" in refused.value.message or "streets" in refused.value.message
    assert not JoinRequest.objects.filter(user=bob_buiten).exists()


def test_r_rul_1_under_18_cannot_join(group, resident_on):
    from buurtwacht.accounts import actions as account_actions

    # Registration refuses a minor (tests/accounts): staff corrected the date of birth.
    young = resident_on("Jong Mens", GROUP_STREET, 5)
    today = clock.today()
    young.date_of_birth = today.replace(year=today.year - 17, day=min(today.day, 28))
    account_actions.save_staff_edit(user=young, changed=["date_of_birth"])
    with pytest.raises(ActionError) as refused:
        actions.request_to_join(user=young, group_id=group.pk, rules_accepted=True)
    assert refused.value.code == "under_age"


def test_r_rul_8_rules_must_be_accepted_and_again_when_they_change(group, anna_admin, resident_on):
    lotte = resident_on("Lotte Jansen", GROUP_STREET, 20)
    with pytest.raises(ActionError):
        actions.request_to_join(user=lotte, group_id=group.pk, rules_accepted=False)
    membership = admit(group, anna_admin, lotte)
    assert membership.rules_accepted_version == group.rules_version
    group = actions.update_own_rules(
        admin=anna_admin, group_id=group.pk, own_rules="Geen meldingen na 23:00 behalve 112."
    )
    membership.refresh_from_db()
    assert membership.rules_accepted_version < group.rules_version
    # Until she accepts the changed rules she reads along but does not post.
    with pytest.raises(ActionError) as waits:
        chat_actions.post_chat(user=lotte, group_id=group.pk, client_id="c1", text="Hoi")
    assert waits.value.code == "rules_not_accepted"
    with pytest.raises(ActionError):
        alert_actions.post_alert(
            user=lotte,
            group_id=group.pk,
            draft=alert_actions.AlertDraft(
                client_id="a1", kind="suspicious", what="Iemand bij de schuur"
            ),
        )
    access_group(user=lotte, group_id=group.pk, action=Action.READ)
    actions.accept_rules(user=lotte, group_id=group.pk)
    chat_actions.post_chat(user=lotte, group_id=group.pk, client_id="c1", text="Hoi")
    membership.refresh_from_db()
    assert membership.rules_accepted_version == group.rules_version
    assert AuditEntry.objects.filter(group=group, action="change_rules").exists()


def test_r_grp_2_members_cannot_add_or_propose(group, mo_member, resident_on):
    lotte = resident_on("Lotte Jansen", GROUP_STREET, 20)
    with pytest.raises(PermissionDenied):
        actions.propose_member(admin=mo_member, group_id=group.pk, user=lotte)
    assert not JoinRequest.objects.filter(user=lotte).exists()


def test_r_grp_2_admin_proposes_and_still_vets(group, anna_admin, resident_on):
    lotte = resident_on("Lotte Jansen", GROUP_STREET, 20)
    proposal = actions.propose_member(admin=anna_admin, group_id=group.pk, user=lotte)
    assert role_in(user=lotte, group=group)[0] == Role.PENDING
    actions.admit_member(admin=anna_admin, request_id=proposal.pk, vetting=VETTED)
    assert role_in(user=lotte, group=group)[0] == Role.MEMBER


def test_r_grp_5_admission_records_personal_contact(group, anna_admin, resident_on):
    lotte = resident_on("Lotte Jansen", GROUP_STREET, 20)
    request = actions.request_to_join(user=lotte, group_id=group.pk, rules_accepted=True)
    unchecked = actions.Vetting(
        contact_date=dt.date(2026, 11, 1),
        method=VETTED.method,
        note="",
        age_checked=True,
        address_checked=False,
    )
    with pytest.raises(ActionError):
        actions.admit_member(admin=anna_admin, request_id=request.pk, vetting=unchecked)
    assert role_in(user=lotte, group=group)[0] == Role.PENDING
    actions.admit_member(admin=anna_admin, request_id=request.pk, vetting=VETTED)
    request.refresh_from_db()
    assert request.status == JoinRequestStatus.ADMITTED
    assert request.decided_by == anna_admin
    assert request.contact_method == "in_person"
    assert request.contact_date == dt.date(2026, 11, 1)
    assert request.age_checked and request.address_checked
    entry = AuditEntry.objects.get(group=group, action="admit", subject=lotte)
    assert entry.actor == anna_admin
    notify_actions.process_due()
    assert [lotte.email] in [m.to for m in mail.outbox]  # told the outcome (the outbox)


@pytest.mark.parametrize(
    ("contact_date", "message"),
    [
        (lambda: clock.today() + dt.timedelta(days=1), "kan niet in de toekomst liggen"),
        (lambda: dt.date(1999, 12, 31), "te ver in het verleden"),
        (lambda: dt.date(1, 1, 1), "te ver in het verleden"),
    ],
    ids=["tomorrow", "1999", "year 1"],
)
def test_a_vetting_date_in_the_future_or_before_2000_is_refused_in_dutch(
    client, group, anna_admin, resident_on, contact_date, message
):
    lotte = resident_on("Lotte Jansen", GROUP_STREET, 20)
    request = actions.request_to_join(user=lotte, group_id=group.pk, rules_accepted=True)
    vetting = actions.Vetting(
        contact_date=contact_date(),
        method=VETTED.method,
        note="",
        age_checked=True,
        address_checked=True,
    )
    with pytest.raises(ActionError) as refused:
        actions.admit_member(admin=anna_admin, request_id=request.pk, vetting=vetting)
    assert refused.value.code == "vetting" and message in refused.value.message
    # The same through the requests page: the date field takes any ISO date.
    client.force_login(anna_admin)
    field = f"admit-{request.pk}-"
    page = client.post(
        reverse("group_decide", args=[group.pk, request.pk]),
        {
            "decision": "admit",
            field + "contact_date": contact_date().isoformat(),
            field + "contact_method": "phone",
            field + "age_checked": "on",
            field + "address_checked": "on",
        },
        follow=True,
    )
    assert message in page.text
    request.refresh_from_db()
    assert request.status == JoinRequestStatus.PENDING and request.contact_date is None
    assert role_in(user=lotte, group=group)[0] == Role.PENDING
    assert not AuditEntry.objects.filter(group=group, action="admit", subject=lotte).exists()


def test_r_grp_5_denial_records_a_reason_and_tells_the_applicant(group, anna_admin, resident_on):
    lotte = resident_on("Lotte Jansen", GROUP_STREET, 20)
    request = actions.request_to_join(user=lotte, group_id=group.pk, rules_accepted=True)
    with pytest.raises(ActionError):
        actions.deny_request(admin=anna_admin, request_id=request.pk, reason=" ")
    actions.deny_request(admin=anna_admin, request_id=request.pk, reason="Niet bereikt")
    request.refresh_from_db()
    assert (request.status, request.reason) == (JoinRequestStatus.DENIED, "Niet bereikt")
    notify_actions.process_due()
    [told] = [m for m in mail.outbox if m.to == [lotte.email]]
    assert "Niet bereikt" in told.body
    with pytest.raises(ActionError) as twice:
        actions.admit_member(admin=anna_admin, request_id=request.pk, vetting=VETTED)
    assert twice.value.code == "decided"


def test_r_grp_3_member_leaves_by_themselves(group, mo_member):
    actions.leave_group(user=mo_member, group_id=group.pk)
    assert role_in(user=mo_member, group=group)[0] == Role.OUTSIDER
    with pytest.raises(Http404):
        access_group(user=mo_member, group_id=group.pk, action=Action.READ)


def test_last_admin_cannot_leave_without_handing_over(group, anna_admin, mo_member):
    with pytest.raises(ActionError) as refused:
        actions.leave_group(user=anna_admin, group_id=group.pk)
    assert refused.value.code == "last_admin"
    with pytest.raises(ActionError):
        actions.change_role(
            admin=anna_admin, group_id=group.pk, user_id=anna_admin.pk, role=MembershipRole.MEMBER
        )
    actions.change_role(
        admin=anna_admin, group_id=group.pk, user_id=mo_member.pk, role=MembershipRole.ADMIN
    )
    actions.leave_group(user=anna_admin, group_id=group.pk)
    assert role_in(user=mo_member, group=group)[0] == Role.ADMIN
    assert AuditEntry.objects.filter(group=group, action="change_role", subject=mo_member).exists()


def test_r_grp_4_only_admins_remove_with_a_reason_and_no_rerequest(
    group, anna_admin, mo_member, resident_on
):
    lotte = resident_on("Lotte Jansen", GROUP_STREET, 20)
    admit(group, anna_admin, lotte)
    with pytest.raises(PermissionDenied):
        actions.remove_member(admin=mo_member, group_id=group.pk, user_id=lotte.pk, reason="x")
    with pytest.raises(ActionError):
        actions.remove_member(admin=anna_admin, group_id=group.pk, user_id=mo_member.pk, reason="")
    actions.remove_member(
        admin=anna_admin, group_id=group.pk, user_id=mo_member.pk, reason="Ongewenst gedrag"
    )
    membership = Membership.objects.get(group=group, user=mo_member)
    assert (membership.status, membership.end_reason) == (
        MembershipStatus.REMOVED,
        "Ongewenst gedrag",
    )
    entry = AuditEntry.objects.get(group=group, action="remove")
    assert (entry.actor, entry.subject, entry.reason) == (anna_admin, mo_member, "Ongewenst gedrag")
    with pytest.raises(Http404):  # a removed person cannot even ask again
        actions.request_to_join(user=mo_member, group_id=group.pk, rules_accepted=True)
    actions.allow_request_again(admin=anna_admin, group_id=group.pk, user_id=mo_member.pk)
    actions.request_to_join(user=mo_member, group_id=group.pk, rules_accepted=True)


def test_r_grp_1_capacity_is_a_hard_limit(group, anna_admin, mo_member, resident_on, settings):
    settings.GROUP_MAX_MEMBERS = 2  # anna + mo
    lotte = resident_on("Lotte Jansen", GROUP_STREET, 20)
    request = actions.request_to_join(user=lotte, group_id=group.pk, rules_accepted=True)
    with pytest.raises(ActionError) as refused:
        actions.admit_member(admin=anna_admin, request_id=request.pk, vetting=VETTED)
    assert refused.value.code == "full"
    assert role_in(user=lotte, group=group)[0] == Role.PENDING


def test_r_pol_1_only_verified_police_can_be_wijkagent_and_never_posts(
    group, anna_admin, bob_buiten, pieter_politie
):
    with pytest.raises(ActionError) as refused:
        actions.attach_wijkagent(admin=anna_admin, group_id=group.pk, officer=bob_buiten)
    assert refused.value.code == "not_police"
    assert access_group(user=pieter_politie, group_id=group.pk, action=Action.READ)
    with pytest.raises(PermissionDenied):
        access_group(user=pieter_politie, group_id=group.pk, action=Action.POST_ALERT)
    with pytest.raises(PermissionDenied):
        access_group(user=pieter_politie, group_id=group.pk, action=Action.POST_CHAT)
    with pytest.raises(ActionError) as promoted:
        actions.change_role(
            admin=anna_admin,
            group_id=group.pk,
            user_id=pieter_politie.pk,
            role=MembershipRole.ADMIN,
        )
    assert promoted.value.code == "wijkagent"


def test_access_gate_hides_groups_from_outsiders(group, bob_buiten):
    with pytest.raises(Http404):
        access_group(user=bob_buiten, group_id=group.pk, action=Action.READ)
    with pytest.raises(Http404):
        access_group(user=bob_buiten, group_id=group.pk, action=Action.VET)
    with pytest.raises(Http404):
        access_group(user=bob_buiten, group_id=10_000_000, action=Action.VIEW_PUBLIC)


def test_finding_your_group_by_address(group, resident_on, bob_buiten):
    lotte = resident_on("Lotte Jansen", GROUP_STREET, 20)
    assert selectors.groups_for_address(user=lotte) == [group]
    assert selectors.groups_for_address(user=bob_buiten) == []


def test_deleting_an_account_ends_memberships_and_notifications(group, mo_member):
    from buurtwacht.accounts import actions as account_actions
    from buurtwacht.notify import actions as notify_actions
    from buurtwacht.notify.models import PushSubscription

    notify_actions.subscribe_push(
        user=mo_member, endpoint="https://push.example/abc", p256dh="x" * 87, auth="y" * 22
    )
    account_actions.delete_account(user=mo_member)
    assert Membership.objects.get(user=mo_member).status == MembershipStatus.LEFT
    assert role_in(user=mo_member, group=group)[0] == Role.OUTSIDER
    assert not PushSubscription.objects.filter(user=mo_member).exists()
    assert selectors.member_count(group=group) == 1


def test_the_last_admin_cannot_delete_their_account_and_orphan_the_group(
    client, group, anna_admin, mo_member
):
    client.force_login(anna_admin)
    response = client.post(
        "/account/verwijderen/", {"password": PASSWORD, "confirm": "on"}, follow=True
    )
    assert "Je bent de enige beheerder van" in response.text
    anna_admin.refresh_from_db()
    assert anna_admin.deleted_at is None and anna_admin.is_active
    assert role_in(user=anna_admin, group=group)[0] == Role.ADMIN

    actions.change_role(
        admin=anna_admin, group_id=group.pk, user_id=mo_member.pk, role=MembershipRole.ADMIN
    )
    client.post("/account/verwijderen/", {"password": PASSWORD, "confirm": "on"})
    anna_admin.refresh_from_db()
    assert anna_admin.deleted_at is not None


def test_platform_staff_appoint_an_admin_for_a_group_without_one(
    group, anna_admin, mo_member, mailoutbox
):
    # A group orphaned before the rule held (or whose admin's account was switched off).
    Membership.objects.filter(user=anna_admin, group=group).update(status="left")
    assert list(selectors.groups_without_admin()) == [group]
    staff = User.objects.create_user("staf@example.nl", "x", name="Staf", is_staff=True)

    with pytest.raises(PermissionDenied):
        actions.appoint_admin_as_staff(staff=mo_member, group_id=group.pk, user_id=mo_member.pk)
    actions.appoint_admin_as_staff(staff=staff, group_id=group.pk, user_id=mo_member.pk)
    assert role_in(user=mo_member, group=group)[0] == Role.ADMIN
    assert not selectors.groups_without_admin().exists()
    entry = AuditEntry.objects.get(group=group, action="staff_appoint_admin")
    assert (entry.actor, entry.subject) == (staff, mo_member)
    notify_actions.process_due()
    assert mailoutbox[-1].to == [mo_member.email]
    with pytest.raises(ActionError) as has_admin:  # from now on the admins decide
        actions.appoint_admin_as_staff(staff=staff, group_id=group.pk, user_id=mo_member.pk)
    assert has_admin.value.code in {"role", "has_admin"}


def test_staff_see_groups_read_only_and_appoint_through_the_admin_action(
    client, group, anna_admin, mo_member
):
    Membership.objects.filter(user=anna_admin, group=group).update(status="left")
    staff = User.objects.create_user("staf@example.nl", "x", name="Staf", is_staff=True)
    staff.is_superuser = True
    staff.save()
    client.force_login(staff)
    listing = client.get("/beheer/groups/group/?zonder_beheerder=1")
    assert listing.status_code == 200 and group.name in listing.text
    change = client.post(f"/beheer/groups/group/{group.pk}/change/", {"name": "Gekaapt"})
    assert change.status_code == 403
    membership = Membership.objects.get(user=mo_member, group=group)
    client.post(
        "/beheer/groups/membership/",
        {"action": "appoint_admin", "_selected_action": [membership.pk]},
    )
    assert role_in(user=mo_member, group=group)[0] == Role.ADMIN


def test_r_grp_1_the_wijkagent_counts_towards_the_limit(
    settings, group, anna_admin, mo_member, resident_on
):
    pieter = resident_on("Pieter Politie", OTHER_STREET, 3)
    grant_role(
        user=pieter,
        role=VerifiedRole.POLICE,
        municipality_codes=[],
        staff=None,
        evidence="Politie (test)",
    )
    settings.GROUP_MAX_MEMBERS = 2  # anna and mo: full
    with pytest.raises(ActionError) as refused:
        actions.attach_wijkagent(admin=anna_admin, group_id=group.pk, officer=pieter)
    assert refused.value.code == "full"
    settings.GROUP_MAX_MEMBERS = 3
    actions.attach_wijkagent(admin=anna_admin, group_id=group.pk, officer=pieter)
    assert role_in(user=pieter, group=group)[0] == Role.WIJKAGENT


def _invite(client, group, email):
    return client.post(
        reverse("group_settings", args=[group.pk]), {"do": "wijkagent", "email": email}, follow=True
    )


def test_r_pol_1_adding_a_wijkagent_tells_the_admin_nothing_about_the_address(
    client,
    group,
    anna_admin,
    bob_buiten,
    resident_on,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    pieter = resident_on("Pieter Politie", OTHER_STREET, 3)
    grant_role(
        user=pieter, role=VerifiedRole.POLICE, municipality_codes=[], staff=None, evidence="test"
    )
    client.force_login(anna_admin)
    answers = []
    for email in (pieter.email, bob_buiten.email, "niemand@example.nl"):
        with django_capture_on_commit_callbacks(execute=True):
            page = _invite(client, group, email).content.decode()
        main = page[page.index("<main") : page.index("</main>")]
        answers.append(re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", main))
    assert answers[0] == answers[1] == answers[2]
    assert "uitnodiging" in answers[0]
    # Nobody is added yet; only the real officer got a link.
    assert role_in(user=pieter, group=group)[0] == Role.OUTSIDER
    [invitation] = mailoutbox
    assert invitation.to == [pieter.email]
    link = re.search(r"http\S+/wijkagent/uitnodiging/\S+/", invitation.body).group(0)
    path = link[link.index("/wijkagent/") :]
    # Someone else cannot use it; the officer accepts with one button.
    client.force_login(bob_buiten)
    client.post(path)
    assert role_in(user=bob_buiten, group=group)[0] == Role.OUTSIDER
    client.force_login(pieter)
    assert client.get(path).status_code == 200
    assert role_in(user=pieter, group=group)[0] == Role.OUTSIDER  # opening changes nothing
    assert client.post(path).url == reverse("group", args=[group.pk])
    assert role_in(user=pieter, group=group)[0] == Role.WIJKAGENT
