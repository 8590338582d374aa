"""Names go through the one pair of functions in alerts/selectors.py (issue 13): what
members see of each other follows the group's initials setting (display_name, the
`shown_as` filter); the admins' own pages and notices name people in full, since the
admins vet and contact them (full_name, the `person_name` filter); both say
"Verwijderd account" once an account is gone.  No template reads `.name` itself."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from buurtwacht.accounts import actions as account_actions
from buurtwacht.chat import actions as chat_actions
from buurtwacht.groups import actions
from buurtwacht.groups.models import MembershipRole
from buurtwacht.moderation import actions as moderation_actions
from buurtwacht.notify.models import Delivery
from buurtwacht.police import actions as police_actions
from tests.conftest import GROUP_STREET, visible_text

pytestmark = pytest.mark.django_db
TEMPLATES = Path(__file__).resolve().parents[2] / "buurtwacht" / "web" / "templates"


def initials_on(group):
    group.show_initials = True
    group.save(update_fields=["show_initials"])


def test_members_see_the_wijkagents_feedback_as_the_group_shows_names(
    client, group, anna_admin, mo_member, pieter_politie
):
    report, _created = police_actions.record_report(
        user=mo_member,
        group_id=group.pk,
        draft=police_actions.ReportDraft(client_id="r1", channel="112"),
    )
    police_actions.record_feedback(user=pieter_politie, report_id=report.pk, text="Wij rijden")
    initials_on(group)
    client.force_login(mo_member)
    page = visible_text(client.get(reverse("police_reports", args=[group.pk])).text)
    assert "Terugkoppeling van de politie (P.P.): Wij rijden" in page
    assert "Pieter" not in page


def test_admin_pages_name_people_in_full_and_deleted_accounts_as_such(
    client, group, anna_admin, mo_member
):
    """The members page: full names also with initials on (the admin vets and contacts
    them), and the admin who admitted someone, once their account is deleted."""
    initials_on(group)
    actions.change_role(
        admin=anna_admin, group_id=group.pk, user_id=mo_member.pk, role=MembershipRole.ADMIN
    )
    account_actions.delete_account(user=anna_admin)
    client.force_login(mo_member)
    page = visible_text(client.get(reverse("group_members", args=[group.pk])).text)
    assert "Mo Bakker" in page
    assert "toegelaten door Verwijderd account" in page


def test_review_queue_names_a_deleted_reporter_as_deleted(client, group, anna_admin, mo_member):
    message, _created = chat_actions.post_chat(
        user=anna_admin, group_id=group.pk, client_id="c", text="Kom allemaal naar de borrel"
    )
    moderation_actions.report(
        user=mo_member, target=moderation_actions.ReportTarget(chat_message_id=message.pk)
    )
    account_actions.delete_account(user=mo_member)
    client.force_login(anna_admin)
    page = visible_text(client.get(reverse("group_moderation", args=[group.pk])).text)
    assert "Gemeld door Verwijderd account" in page


def test_join_request_notice_names_the_applicant_in_full_for_the_admins(
    group, anna_admin, resident_on, django_capture_on_commit_callbacks
):
    initials_on(group)
    liv = resident_on("Liv Jansen", GROUP_STREET, 5)
    with django_capture_on_commit_callbacks(execute=True):
        actions.request_to_join(user=liv, group_id=group.pk, rules_accepted=True)
    notices = Delivery.objects.filter(user=anna_admin, kind="join_request")
    assert notices.exists()
    assert all("Liv Jansen wil lid worden" in d.payload["body"] for d in notices)


# Pages that name only the reader themself, or that platform staff use to verify people.
OWN_OR_STAFF = {"web/base.html", "accounts/profile.html", "verification/staff.html"}
NAME_READ = re.compile(r"\b(user|author|reporter|admin|by|subject|actor|proposed_by)\.name\b")


def test_no_template_shows_a_persons_name_itself():
    found = [
        f"{path.relative_to(TEMPLATES)}: {match.group(0)}"
        for path in TEMPLATES.rglob("*.html")
        if str(path.relative_to(TEMPLATES)) not in OWN_OR_STAFF
        for match in NAME_READ.finditer(path.read_text())
    ]
    assert found == []
