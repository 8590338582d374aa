"""Leaving a group, removing a member and closing an alert ask first; closing has no
default outcome (it defaulted to "Opgelost")."""

import pytest

from buurtwacht.alerts.models import Alert
from buurtwacht.geo import actions as geo_actions
from buurtwacht.geo.models import Street
from buurtwacht.groups.models import AuditEntry, Membership
from tests.conftest import GROUP_STREET, run_together, session_cookie

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def groningen_addresses(groningen_subset_csv):
    geo_actions.import_addresses(path=groningen_subset_csv)


def open_as(browser, asgi_server, user, path, **options):
    """A page logged in as `user` at `path`; `options` for the context (e.g. viewport)."""
    context = browser.new_context(locale="nl-NL", **options)
    name, value = session_cookie(user).split("=", 1)
    context.add_cookies([{"name": name, "value": value, "url": f"http://{asgi_server}/"}])
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"http://{asgi_server}{path}")
    return context, page


def answer_dialogs(page, answers):
    """Answer the next confirm() dialogs with these booleans; collect what they asked."""
    asked = []

    def handle(dialog):
        asked.append(dialog.message)
        dialog.accept() if answers.pop(0) else dialog.dismiss()

    page.on("dialog", handle)
    return asked


def test_leaving_asks_first(browser, asgi_server, group, anna_admin, mo_member):
    context, page = open_as(browser, asgi_server, mo_member, f"/groepen/{group.pk}/")
    try:
        asked = answer_dialogs(page, [False, True])
        page.get_by_role("button", name="Deze groep verlaten").click()
        page.wait_for_timeout(300)
        assert Membership.objects.get(user=mo_member, group=group).status == "active"
        with page.expect_navigation():
            page.get_by_role("button", name="Deze groep verlaten").click()
        assert Membership.objects.get(user=mo_member, group=group).status == "left"
        assert "Deze groep verlaten?" in asked[0]
        assert AuditEntry.objects.filter(group=group, action="leave", subject=mo_member).exists()
    finally:
        context.close()


def test_removing_a_member_asks_first_and_keeps_the_reason(
    browser, asgi_server, group, anna_admin, mo_member
):
    context, page = open_as(browser, asgi_server, anna_admin, f"/groepen/{group.pk}/leden/")
    try:
        line = page.locator("table.members tr", has_text="Mo Bakker")
        line.get_by_label("Reden").fill("Deelde meldingen buiten de groep")
        asked = answer_dialogs(page, [False, True])
        line.get_by_role("button", name="Verwijderen").click()  # "no" in the dialog
        page.wait_for_timeout(300)
        assert Membership.objects.get(user=mo_member, group=group).status == "active"
        assert line.count() == 1
        with page.expect_navigation():
            line.get_by_role("button", name="Verwijderen").click()
        page.get_by_text("Het lid is verwijderd.").wait_for()
        membership = Membership.objects.get(user=mo_member, group=group)
        assert membership.status == "removed"
        assert membership.end_reason == "Deelde meldingen buiten de groep"
        assert AuditEntry.objects.filter(
            group=group, action="remove", subject=mo_member, reason=membership.end_reason
        ).exists()
        assert (
            asked == ["Mo Bakker uit de groep verwijderen? Diegene krijgt de reden te horen."] * 2
        )
        assert line.count() == 0  # gone from the members, listed under "Verwijderd"
        assert (
            "Deelde meldingen buiten de groep"
            in page.locator("h2:text-is('Verwijderd') + ul").inner_text()
        )
    finally:
        context.close()


def test_closing_an_alert_asks_and_needs_an_outcome(
    browser, asgi_server, group, anna_admin, groningen_addresses
):
    from buurtwacht.alerts import actions as alert_actions

    [(alert, _created)] = run_together(
        lambda: alert_actions.post_alert(
            user=anna_admin,
            group_id=group.pk,
            draft=alert_actions.AlertDraft(
                client_id="close-me",
                kind="suspicious_person",
                what="Iemand probeert deurklinken",
                street_id=Street.objects.get(name=GROUP_STREET).pk,
            ),
        )
    )
    context, page = open_as(browser, asgi_server, anna_admin, f"/groepen/{group.pk}/")
    try:
        card = page.locator(f"#alert-{alert.pk}")
        close = card.get_by_role("button", name="Melding afsluiten")
        asked = answer_dialogs(page, [False, True])
        close.click()  # no outcome chosen: the browser asks for one, nothing is sent
        assert card.get_by_label("Hoe is het afgelopen?").evaluate("s => !s.validity.valid")
        page.wait_for_timeout(300)
        assert not asked and Alert.objects.get(pk=alert.pk).closed_at is None
        card.get_by_label("Hoe is het afgelopen?").select_option(index=2)
        close.click()  # "no" in the dialog
        page.wait_for_timeout(300)
        assert Alert.objects.get(pk=alert.pk).closed_at is None
        close.click()
        page.locator("#closed-list").get_by_text("Iemand probeert deurklinken").wait_for(
            state="attached"
        )
        assert Alert.objects.get(pk=alert.pk).closed_at is not None
        assert len(asked) == 2 and "afsluiten?" in asked[0]
    finally:
        context.close()
