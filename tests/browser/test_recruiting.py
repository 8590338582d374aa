"""R-CRE-2 in a real browser: an admin makes a share link; a logged-out resident opens it,
logs in, comes straight back and lands on the group's join form.  Nobody is admitted."""

import pytest

from buurtwacht.geo import actions as geo_actions
from buurtwacht.groups.models import JoinRequest, Membership
from tests.conftest import GROUP_STREET, PASSWORD, session_cookie

from .test_live_alerts import open_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def groningen_addresses(groningen_subset_csv):
    geo_actions.import_addresses(path=groningen_subset_csv)


def test_r_cre_2_share_link_through_login_to_the_join_form(
    browser, asgi_server, group, anna_admin, resident_on, tmp_path
):
    lotte = resident_on("Lotte Jansen", GROUP_STREET, 20)  # has an account, not a member
    context, anna = open_as(
        browser, asgi_server, session_cookie(anna_admin), f"/groepen/{group.pk}/werven/"
    )
    visitor_context = browser.new_context(locale="nl-NL", viewport={"width": 360, "height": 800})
    try:
        anna.get_by_role("button", name="Maak een deellink").click()
        link = anna.get_by_label("Deellink").input_value()
        assert "/doe-mee/" in link
        assert anna.get_by_role("link", name="Flyer om te printen (PDF, A4)").is_visible()
        anna.screenshot(path=str(tmp_path / "recruit.png"), full_page=True)

        visitor = visitor_context.new_page()
        visitor.set_default_timeout(10_000)
        path = link.split("://", 1)[1].split("/", 1)[1]
        visitor.goto(f"http://{asgi_server}/{path}")
        assert group.name in visitor.locator("h1").inner_text()
        visitor.screenshot(path=str(tmp_path / "share-link-360.png"), full_page=True)
        assert visitor.evaluate("document.documentElement.scrollWidth") <= 360
        assert visitor.get_by_role("link", name="Account aanmaken").is_visible()
        visitor.get_by_role("link", name="log in").click()
        visitor.get_by_label("E-mailadres").fill(lotte.email)
        visitor.get_by_label("Wachtwoord").fill(PASSWORD)
        visitor.get_by_role("button", name="Inloggen").click()

        visitor.wait_for_url(f"http://{asgi_server}/groepen/{group.pk}/#aanmelden")
        join = visitor.locator("#aanmelden")
        assert join.is_visible()
        assert not Membership.objects.filter(group=group, user=lotte).exists()
        visitor.get_by_label("Ik accepteer de huisregels van deze groep.").check()
        visitor.locator("#aanmelden ~ form").get_by_role(
            "button", name="Lidmaatschap aanvragen"
        ).click()
        visitor.get_by_text("Je aanvraag is verstuurd").wait_for()
        request = JoinRequest.objects.get(group=group, user=lotte)
        assert request.status == "pending"  # the admin still vets
        assert not Membership.objects.filter(group=group, user=lotte).exists()
    finally:
        visitor_context.close()
        context.close()
