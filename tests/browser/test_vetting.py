"""The admin's vetting round in Chromium (issue 13): two open requests on one page, each with
its own form (a label ticks its own applicant's box), the contact date filled in as the date
input needs it, the applicant's contact details shown, and after admitting the contact record on
the member's line.  And the audit log read on a phone: Dutch labels, no sideways scrolling.

A screenshot of the requests page at 360 px goes to browser-vetting-requests.png in the
temporary directory (/tmp, or $PHONE_SCREENSHOTS) for a person to look at."""

import datetime as dt
import os
import re
import tempfile
import zoneinfo
from pathlib import Path

import pytest
import time_machine
from django.utils import formats, translation

from buurtwacht.geo import actions as geo_actions
from buurtwacht.groups import actions as group_actions
from buurtwacht.groups.audit import action_label
from buurtwacht.groups.models import AuditEntry, JoinRequest, Membership, MembershipRole
from tests.conftest import GROUP_STREET, run_together

from .test_confirmations import open_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}
SCREENSHOTS = Path(os.environ.get("PHONE_SCREENSHOTS", tempfile.gettempdir()))
# Noon on a fixed day in the group's time zone: "today" cannot turn over during the test.
NOON = dt.datetime(2026, 11, 20, 12, tzinfo=zoneinfo.ZoneInfo("Europe/Amsterdam"))

AGE = "Ik heb gecontroleerd dat deze persoon 18 jaar of ouder is."
ADDRESS = "Ik heb gecontroleerd dat deze persoon in onze straten woont."


@pytest.fixture
def groningen_addresses(groningen_subset_csv):
    """Per test: a transactional test empties the tables after it."""
    geo_actions.import_addresses(path=groningen_subset_csv)


@pytest.fixture
def two_requests(group, resident_on):
    """Sara asked first, Tom second; each left a way to reach them."""
    sara = resident_on("Sara Smit", GROUP_STREET, 20)
    tom = resident_on("Tom Visser", GROUP_STREET, 21)

    def ask():
        for user, contact in [(sara, "06-11112222, na 18 uur"), (tom, "06-33334444, overdag")]:
            group_actions.request_to_join(
                user=user, group_id=group.pk, contact=contact, rules_accepted=True
            )

    [error] = run_together(ask)
    assert error is None, error
    return sara, tom


def request_card(page, name):
    return page.locator("section.card").filter(has=page.get_by_role("heading", name=name))


def box(card, check):
    """The checkbox inside the label with the words `check`."""
    return card.locator("label", has_text=check).locator("input[type=checkbox]")


@pytest.fixture
def noon():
    with time_machine.travel(NOON, tick=True):
        yield


def test_vetting_round_with_two_requests(
    browser, asgi_server, noon, group, anna_admin, two_requests
):
    sara, tom = two_requests
    context, page = open_as(
        browser, asgi_server, anna_admin, f"/groepen/{group.pk}/aanvragen/", viewport=PHONE
    )
    try:
        first, second = request_card(page, "Sara Smit"), request_card(page, "Tom Visser")
        assert page.locator("section.card").count() == 2
        # R-GRP-5: the admin sees how to reach each applicant.
        assert "06-11112222, na 18 uur" in first.inner_text()
        assert "06-33334444, overdag" in second.inner_text()
        page.screenshot(path=str(SCREENSHOTS / "browser-vetting-requests.png"), full_page=True)

        # Tapping the words of Tom's checks ticks Tom's boxes, not Sara's (with ids shared
        # between the cards, Tom's label ticked Sara's box).
        for check in (AGE, ADDRESS):
            second.locator("label", has_text=check).get_by_text(check).click()
            assert box(second, check).is_checked(), f"Tom's box is not ticked: {check}"
            assert not box(first, check).is_checked(), f"Sara's box got ticked: {check}"

        # The contact date is filled in with today, in the ISO form the date input accepts
        # (with "20-11-2026" the browser drops the value and shows an empty field).
        for card in (first, second):
            date = card.locator("input[type=date]")
            assert date.input_value() == "2026-11-20"
            assert date.evaluate("input => input.valueAsDate !== null")

        second.get_by_label("Hoe").select_option(label="telefonisch")
        second.get_by_label("Notitie (optioneel)").fill("Gebeld, kent de buren")
        with page.expect_navigation():
            second.get_by_role("button", name="Toelaten").click()
        page.get_by_text("Het nieuwe lid is toegelaten.").wait_for()

        assert Membership.objects.get(group=group, user=tom).status == "active"
        assert JoinRequest.objects.get(group=group, user=sara).status == "pending"
        assert page.locator("section.card").count() == 1
        assert request_card(page, "Sara Smit").count() == 1

        page.get_by_role("link", name="Leden", exact=True).click()
        line = page.locator("table.members tr", has_text="Tom Visser")
        with translation.override("nl"):
            today = formats.date_format(NOON.date(), "j F Y")
        assert re.sub(r"\s+", " ", line.locator("td").first.inner_text()) == (
            f"Tom Visser Contact telefonisch op {today}, toegelaten door Anna de Vries: "
            "Gebeld, kent de buren"
        )
        assert page.locator("table.members tr", has_text="Sara Smit").count() == 0
    finally:
        context.close()


def test_audit_log_reads_in_dutch_on_a_phone(
    browser, asgi_server, group, anna_admin, mo_member, resident_on
):
    """Every kind of entry a group gets in its first week, read at 360 px."""
    kees = resident_on("Kees Jansen", GROUP_STREET, 15)

    def first_week():
        group_actions.change_role(
            admin=anna_admin, group_id=group.pk, user_id=mo_member.pk, role=MembershipRole.ADMIN
        )
        join = group_actions.request_to_join(user=kees, group_id=group.pk, rules_accepted=True)
        group_actions.deny_request(
            admin=anna_admin, request_id=join.pk, reason="Woont niet op dit adres"
        )
        group_actions.change_role(
            admin=anna_admin, group_id=group.pk, user_id=mo_member.pk, role=MembershipRole.MEMBER
        )
        group_actions.remove_member(
            admin=anna_admin,
            group_id=group.pk,
            user_id=mo_member.pk,
            reason="Deelde meldingen buiten de groep, met naam en toenaam van de buren",
        )

    [error] = run_together(first_week)
    assert error is None, error
    codes = list(AuditEntry.objects.filter(group=group).values_list("action", flat=True))
    assert {"create_group", "admit", "change_role", "deny", "remove"} <= set(codes)

    context, page = open_as(
        browser, asgi_server, anna_admin, f"/groepen/{group.pk}/logboek/", viewport=PHONE
    )
    try:
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        shown = page.locator("table.audit tr td:nth-child(3)").all_inner_texts()
        with translation.override("nl"):
            labels = sorted(action_label(code) for code in codes)
        assert sorted(shown) == labels
        assert not set(shown) & set(codes)  # no raw codes such as "admit"
        page.screenshot(path=str(SCREENSHOTS / "browser-audit-log.png"), full_page=True)
    finally:
        context.close()
