"""R-REG-1 in a real browser: an anonymous visitor finds the group of their address from
the home page, sees it on the map and in the list, opens its public page, registers and
lands on the group's join form; elsewhere they are invited to start a group."""

import datetime as dt
import re

import pytest

from buurtwacht.accounts import actions as account_actions
from buurtwacht.geo import actions as geo_actions
from buurtwacht.geo.geocoders import GazetteerGeocoder
from buurtwacht.geo.geocoding import AddressQuery
from buurtwacht.geo.models import Address, Street
from buurtwacht.groups import actions
from buurtwacht.groups.models import Group, Listing
from buurtwacht.register.index import clear_register_index
from tests.conftest import GROUP_STREET, OTHER_STREET, PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def listed_groningen_group(groningen_subset_csv, make_resident_plain, settings):
    settings.MAP_TILES_URL = ""  # no network: outlines on a plain background
    geo_actions.import_addresses(path=groningen_subset_csv)
    first = address(GROUP_STREET, 0)
    anna = make_resident_plain("Anna de Vries", first)
    street_ids = list(Street.objects.filter(name=GROUP_STREET).values_list("pk", flat=True))
    group = actions.create_group(
        founder=anna,
        new=actions.NewGroup(
            name="Buurtpreventie Grote Beerstraat",
            description="Samen letten we op elkaar.",
            municipality_code=Street.objects.get(pk=street_ids[0]).municipality_code,
            street_ids=street_ids,
        ),
        overlaps_confirmed=False,
    )
    actions.set_listing(admin=anna, group_id=group.pk, listing=Listing.LISTED)
    clear_register_index()
    yield group
    clear_register_index()


@pytest.fixture
def make_resident_plain():
    """A resident at a real address (the live server needs committed rows: no `db`)."""

    def make(name, row):
        found = GazetteerGeocoder().lookup(
            AddressQuery(
                postcode=row.postcode, number=row.number, letter=row.letter, addition=row.suffix
            )
        )
        return account_actions.register_user(
            registration=account_actions.Registration(
                email=f"{name.split()[0].lower()}@example.nl",
                name=name,
                password=PASSWORD,
                date_of_birth=dt.date(1980, 5, 17),
                address=found,
            )
        )

    return make


def address(street, index):
    return Address.objects.filter(street__name=street).order_by("number", "letter", "suffix")[index]


def spelled(row):
    return f"{row.postcode[:4]} {row.postcode[4:]} {row.number}{row.letter}"


def test_r_reg_1_visitor_finds_the_group_registers_and_lands_on_its_join_form(
    page, live_server, listed_groningen_group, mailoutbox
):
    group = listed_groningen_group
    home = address(GROUP_STREET, 8)
    page.goto(live_server.url + "/")
    search = page.get_by_label("Postcode en huisnummer, of een plaats of straat")
    search.fill(spelled(home))
    page.get_by_role("button", name="Zoeken").click()

    results = page.locator("#results")
    assert group.name in results.inner_text()  # in the list
    page.wait_for_selector("[data-register-map][data-ready='1']")
    area = page.locator("[data-register-map] path.leaflet-interactive")
    assert area.count() == 1  # and on the map
    area.first.click()
    page.wait_for_url(f"{live_server.url}/kaart/groep/{group.pk}/")
    assert page.locator("h1").inner_text() == group.name
    assert GROUP_STREET in page.locator("#streets").inner_text()

    page.get_by_role("link", name="Account aanmaken om lid te worden").click()
    page.get_by_label("Naam").fill("Sara Smit")
    page.get_by_label("E-mailadres").fill("sara@example.nl")
    page.get_by_label("Geboortedatum").fill("1990-04-12")
    page.get_by_label("Postcode").fill(home.postcode)
    page.get_by_label("Huisnummer").fill(str(home.number))
    page.get_by_label("Huisletter").fill(home.letter)
    page.get_by_label("Wachtwoord:", exact=True).fill(PASSWORD)
    page.get_by_label("Wachtwoord (nogmaals)").fill(PASSWORD)
    page.get_by_role("button", name="Account aanmaken").click()
    page.get_by_role("heading", name="Kijk in je e-mail").wait_for()
    page.goto(re.search(r"http://\S+/account/bevestigen/\S+", mailoutbox[-1].body).group(0))
    page.get_by_role("button", name="Mijn account bevestigen").click()

    page.wait_for_url(f"{live_server.url}/groepen/{group.pk}/#aanmelden")
    assert page.locator("#aanmelden").is_visible()
    page.get_by_label("Ik accepteer de huisregels van deze groep.").check()
    page.get_by_role("button", name="Lidmaatschap aanvragen").click()
    assert "Je aanvraag is verstuurd" in page.content()
    assert Group.objects.get(pk=group.pk).join_requests.filter(user__email="sara@example.nl")


def test_r_reg_1_visitor_without_a_group_is_invited_to_start_one(
    page, live_server, listed_groningen_group
):
    elsewhere = address(OTHER_STREET, 7)
    page.goto(live_server.url + "/")
    page.get_by_label("Postcode en huisnummer, of een plaats of straat").fill(spelled(elsewhere))
    page.get_by_role("button", name="Zoeken").click()
    assert "Nog geen groep hier" in page.locator("#results").inner_text()
    page.get_by_role("link", name="Groep starten").click()
    page.wait_for_url(f"{live_server.url}/account/registreren/?next=%2Fgroepen%2Fnieuw%2F")
    assert page.get_by_role("button", name="Account aanmaken").is_visible()
