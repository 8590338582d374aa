"""In a real browser, in French: a resident of Gent whose browser speaks French finds the
BIN of her street by Belgian postcode and house number, registers, asks to join, is
admitted, and on the group page sees an alert in French with Belgium's numbers, and says
she calls 112."""

import re

import pytest

from buurtwacht.alerts import actions as alert_actions
from buurtwacht.geo.models import Street
from buurtwacht.groups import actions
from buurtwacht.groups.models import JoinRequest, Listing
from buurtwacht.register.index import clear_register_index
from tests.belgium import BE_STREET, PASSWORD
from tests.conftest import VETTED

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def french_page(browser):
    context = browser.new_context(locale="fr-BE")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_r_be_a_french_speaking_resident_from_search_to_an_alert(
    french_page, live_server, belgian_group, lotte_beheerder, jonas_lid, mailoutbox, settings
):
    settings.MAP_TILES_URL = ""
    page = french_page
    actions.set_listing(admin=lotte_beheerder, group_id=belgian_group.pk, listing=Listing.LISTED)
    clear_register_index()
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "fr"
    page.get_by_label("Code postal et numéro, ou une localité ou une rue").fill("9000 7")
    page.get_by_role("button", name="Rechercher").click()
    assert belgian_group.name in page.locator("#results").inner_text()
    page.get_by_role("link", name=belgian_group.name).first.click()
    page.wait_for_url(f"{live_server.url}/kaart/groep/{belgian_group.pk}/")

    page.get_by_role("link", name="Créer un compte pour rejoindre").click()
    page.fill("input[name=name]", "Camille Dubois")
    page.fill("input[name=email]", "camille@example.be")
    page.fill("input[name=date_of_birth]", "1988-06-21")
    page.fill("input[name=postcode]", "9000")
    page.fill("input[name=house_number]", "7")
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.get_by_role("button", name="Créer le compte").click()
    page.get_by_role("heading", name="Consultez votre e-mail").wait_for()
    confirm = mailoutbox[-1]
    assert confirm.subject == "Confirmez votre compte Buurtwacht"  # in her language
    page.goto(re.search(r"http://\S+/account/bevestigen/\S+", confirm.body).group(0))
    page.get_by_role("button", name="Confirmer mon compte").click()
    page.wait_for_url(f"{live_server.url}/groepen/{belgian_group.pk}/#aanmelden")
    page.get_by_label("J'accepte le règlement de ce groupe.").check()
    page.get_by_role("button", name="Demander à rejoindre").click()
    assert "Votre demande a été envoyée" in page.content()

    request = JoinRequest.objects.get(user__email="camille@example.be")
    actions.admit_member(admin=lotte_beheerder, request_id=request.pk, vetting=VETTED)
    alert, _ = alert_actions.post_alert(
        user=jonas_lid,
        group_id=belgian_group.pk,
        draft=alert_actions.AlertDraft(
            client_id="browser-fr",
            kind="suspicious_person",
            what="Quelqu'un essaie les poignées des portières",
            street_id=Street.objects.get(name=BE_STREET, city="Gent").pk,
            vehicle={"plate": "2xyz987"},
        ),
    )
    page.goto(f"{live_server.url}/groepen/{belgian_group.pk}/")
    card = page.locator(f"#alert-{alert.pk}")
    assert "Personne suspecte" in card.inner_text()
    assert "2-XYZ-987" in card.inner_text() and "plaque belge" in card.inner_text()
    assert "Police informée via le 101" in card.inner_text()
    with page.expect_response(lambda r: "/bellen/112/" in r.url):
        card.get_by_role("button", name="J'appelle le 112").click()
    page.goto(f"{live_server.url}/groepen/{belgian_group.pk}/")
    claimed = page.locator(f"#alert-{alert.pk} [data-slot=call_112]").inner_text()
    assert "112 appelé par Camille Dubois" in claimed
