import csv
import itertools
import re

import pytest

from buurtwacht.accounts.models import User
from buurtwacht.geo import actions as geo_actions

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def some_groningen_addresses(groningen_csv, tmp_path):
    """The live server needs committed data: a slice of the real BAG file."""
    part = tmp_path / "groningen_part.csv"
    with groningen_csv.open(newline="") as src, part.open("w", newline="") as dst:
        rows = csv.reader(src)
        header = next(rows)
        wanted = itertools.islice((row for row in rows if row[0] == "Poelestraat"), 40)
        csv.writer(dst).writerows([header, *wanted])
    geo_actions.import_addresses(path=part)


def fill_registration(page, *, name, email, number, letter=""):
    page.get_by_label("Naam").fill(name)
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Geboortedatum").fill("1990-04-12")
    page.get_by_label("Postcode").fill("9712 KB")
    page.get_by_label("Huisnummer").fill(number)
    page.get_by_label("Huisletter").fill(letter)
    page.get_by_label("Wachtwoord:", exact=True).fill("zonnebloem-straat-77")
    page.get_by_label("Wachtwoord (nogmaals)").fill("zonnebloem-straat-77")
    page.get_by_role("button", name="Account aanmaken").click()


def test_resident_registers_confirms_by_e_mail_and_logs_in(
    page, live_server, some_groningen_addresses, mailoutbox
):
    page.goto(live_server.url + "/")
    assert page.locator("h1").inner_text() == "Is er een buurtpreventiegroep bij jou in de buurt?"
    page.get_by_role("link", name="Account aanmaken").click()

    fill_registration(page, name="Femke de Boer", email="femke@example.nl", number="24", letter="c")

    assert page.get_by_role("heading", name="Kijk in je e-mail").is_visible()
    (mail,) = mailoutbox
    page.goto(re.search(r"http://\S+/account/bevestigen/\S+", mail.body).group(0))
    page.get_by_role("button", name="Mijn account bevestigen").click()
    page.wait_for_url(f"{live_server.url}/account/")
    assert "Je account is aangemaakt" in page.content()
    assert "Poelestraat 24C, 9712KB Groningen" in page.locator("dl").inner_text()
    assert User.objects.get(email="femke@example.nl").home_address.street == "Poelestraat"

    page.get_by_role("button", name="Uitloggen").click()
    page.get_by_role("link", name="Inloggen").first.click()
    page.get_by_label("E-mailadres").fill("femke@example.nl")
    page.get_by_label("Wachtwoord").fill("verkeerd")
    page.get_by_role("button", name="Inloggen").click()
    assert "horen niet bij elkaar" in page.content()

    page.get_by_label("Wachtwoord").fill("zonnebloem-straat-77")
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"{live_server.url}/groepen/")  # no group yet: the groups for her address
    assert page.get_by_role("link", name="Femke de Boer").is_visible()


def test_unknown_address_shows_dutch_error_in_the_browser(
    page, live_server, some_groningen_addresses
):
    page.goto(live_server.url + "/account/registreren/")
    fill_registration(page, name="Kees Smit", email="kees@example.nl", number="9999")
    assert page.get_by_text("We kunnen dit adres niet vinden").is_visible()
    assert not User.objects.filter(email="kees@example.nl").exists()
