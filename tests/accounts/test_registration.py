"""Registration through the real web form, the real gazetteer and the real Groningen data."""

import datetime as dt

import pytest
from django.urls import reverse

from buurtwacht.accounts.models import HomeAddress, User
from buurtwacht.core import clock

pytestmark = pytest.mark.django_db


def form_data(**overrides):
    data = {
        "name": "Femke de Boer",
        "email": "femke@example.nl",
        "date_of_birth": "1990-04-12",
        "postcode": "9712 kb",
        "house_number": "24",
        "house_letter": "c",
        "house_addition": "",
        "password1": "zonnebloem-straat-77",
        "password2": "zonnebloem-straat-77",
    }
    data.update(overrides)
    return data


def register(client, **overrides):
    return client.post(reverse("register"), form_data(**overrides))


def assert_nothing_created():
    assert User.objects.count() == 0
    assert HomeAddress.objects.count() == 0


def test_real_groningen_address_resolves_and_logs_in(client, groningen_addresses):
    response = register(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("profile")
    user = User.objects.get(email="femke@example.nl")
    address = user.home_address
    assert (address.street, address.number, address.letter, address.postcode, address.city) == (
        "Poelestraat",
        24,
        "C",
        "9712KB",
        "Groningen",
    )
    assert address.lon == pytest.approx(6.57022923569802)
    assert address.lat == pytest.approx(53.218461547511)
    profile = client.get(reverse("profile"))
    assert profile.status_code == 200
    assert "Poelestraat 24C, 9712KB Groningen" in profile.text


def test_unknown_address_is_a_dutch_form_error(client, groningen_addresses):
    response = register(client, house_number="9999")
    assert response.status_code == 200
    assert "We kunnen dit adres niet vinden" in response.text
    assert_nothing_created()


def test_missing_house_letter_is_not_guessed(client, groningen_addresses):
    # Poelestraat 24 only exists with a letter in the BAG data: we ask, not guess.
    response = register(client, house_letter="")
    assert "We kunnen dit adres niet vinden" in response.text
    assert_nothing_created()


@pytest.mark.parametrize("postcode", ["971 KB", "0712KB", "9712K", "9712 SS", "ABCD12", ""])
def test_invalid_postcode_is_a_dutch_form_error(client, groningen_addresses, postcode):
    response = register(client, postcode=postcode)
    assert response.status_code == 200
    assert ("Vul een geldige postcode in" in response.text) or (
        postcode == "" and "Dit veld is verplicht" in response.text
    )
    assert_nothing_created()


def test_r_rul_1_under_18_is_refused_with_a_dutch_message(client, groningen_addresses):
    today = clock.today()
    almost_18 = today.replace(year=today.year - 18) + dt.timedelta(days=1)
    response = register(client, date_of_birth=almost_18.isoformat())
    assert response.status_code == 200
    assert "Je moet 18 jaar of ouder zijn" in response.text
    assert_nothing_created()


def test_r_rul_1_turning_18_today_is_accepted(client, groningen_addresses):
    today = clock.today()
    born = today.replace(year=today.year - 18) if (today.month, today.day) != (2, 29) else None
    if born is None:  # pragma: no cover - only on 29 February
        born = dt.date(today.year - 18, 3, 1)
    assert register(client, date_of_birth=born.isoformat()).status_code == 302
    assert User.objects.get().date_of_birth == born


def test_future_date_of_birth_is_refused(client, groningen_addresses):
    response = register(client, date_of_birth=(clock.today() + dt.timedelta(days=3)).isoformat())
    assert "Een geboortedatum kan niet in de toekomst liggen" in response.text
    assert_nothing_created()


def test_duplicate_email_is_refused_case_insensitively(client, make_resident, groningen_addresses):
    existing = make_resident("Femke de Boer")
    response = register(client, email=existing.email.upper())
    assert "Er bestaat al een account met dit e-mailadres" in response.text
    assert User.objects.count() == 1


def test_password_mismatch_and_weak_password(client, groningen_addresses):
    assert "De twee wachtwoorden zijn niet gelijk" in register(client, password2="anders").text
    weak = register(client, password1="12345678", password2="12345678")
    assert weak.status_code == 200
    assert "wachtwoord" in weak.text.lower()
    assert_nothing_created()


def test_geocoder_unreachable_is_a_dutch_error(client, settings, groningen_addresses):
    settings.GEOCODER = "pdok"
    settings.PDOK_LOCATIESERVER_URL = "http://127.0.0.1:9"  # discard port: nothing listens
    settings.PDOK_TIMEOUT_SECONDS = 0.5
    response = register(client)
    assert "De adresservice is nu niet bereikbaar" in response.text
    assert_nothing_created()


def test_registration_page_is_dutch_by_default(client):
    response = client.get(reverse("register"))
    assert response.status_code == 200
    assert "Account aanmaken" in response.text
    assert 'lang="nl"' in response.text
