"""Registration through the real web form, the real gazetteer and the real Groningen data."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from buurtwacht.accounts.models import HomeAddress, User, normalize_email, normalized_login
from buurtwacht.core import clock
from tests.conftest import PASSWORD

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


def logs_in(client, email: str, password: str) -> bool:
    response = client.post(reverse("login"), {"username": email, "password": password})
    return response.status_code == 302


def confirm_link(mail) -> str:
    return re.search(r"http://testserver(/account/bevestigen/\S+)", mail.body).group(1)


def test_real_groningen_address_resolves_and_the_e_mail_link_logs_in(
    client, groningen_addresses, mailoutbox
):
    response = register(client, next="/groepen/")
    assert response.status_code == 200
    assert "Kijk in je e-mail" in response.text
    user = User.objects.get(email="femke@example.nl")
    assert not user.is_active  # nothing to log in with before the link
    assert not logs_in(client, "femke@example.nl", "zonnebloem-straat-77")
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

    (mail,) = mailoutbox
    assert mail.to == ["femke@example.nl"] and "Bevestig" in mail.subject
    link = confirm_link(mail)
    assert client.get(link).status_code == 200  # a page with a button: scanners don't log in
    assert not User.objects.get(pk=user.pk).is_active
    response = client.post(link, {"next": "/groepen/"})
    assert response.status_code == 302 and response["Location"] == "/groepen/"
    profile = client.get(reverse("profile"))
    assert profile.status_code == 200
    assert "Poelestraat 24C, 9712KB Groningen" in profile.text
    client.logout()
    assert client.post(link).status_code == 400  # a link works once


def test_a_confirmation_link_keeps_no_foreign_next(client, groningen_addresses, mailoutbox):
    register(client, next="https://evil.example/")
    response = client.post(confirm_link(mailoutbox[0]), {"next": "https://evil.example/"})
    assert response["Location"] == reverse("profile")


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


# An ordinary day; the edge dates (29 February, new year's eve) are in
# tests/core/test_calendar_edges.py.
A_DAY = dt.datetime(2026, 6, 15, 12, tzinfo=ZoneInfo("Europe/Amsterdam"))


@time_machine.travel(A_DAY, tick=False)
def test_r_rul_1_under_18_is_refused_with_a_dutch_message(client, groningen_addresses):
    response = register(client, date_of_birth="2008-06-16")  # 18 tomorrow
    assert response.status_code == 200
    assert "Je moet 18 jaar of ouder zijn" in response.text
    assert_nothing_created()


@time_machine.travel(A_DAY, tick=False)
def test_r_rul_1_turning_18_today_is_accepted(client, groningen_addresses):
    assert register(client, date_of_birth="2008-06-15").status_code == 200
    assert User.objects.get().date_of_birth == dt.date(2008, 6, 15)


def test_future_date_of_birth_is_refused(client, groningen_addresses):
    response = register(client, date_of_birth=(clock.today() + dt.timedelta(days=3)).isoformat())
    assert "Een geboortedatum kan niet in de toekomst liggen" in response.text
    assert_nothing_created()


def test_registering_an_address_that_has_an_account_reveals_nothing_and_tells_the_owner(
    client, make_resident, groningen_addresses, mailoutbox
):
    existing = make_resident("Femke de Boer")
    fresh = register(client, email="someone-new@example.nl")
    mailoutbox.clear()
    again = register(client, email=existing.email.upper())
    assert again.status_code == fresh.status_code == 200
    # The same page (but for the masked CSRF token): nobody learns the address is taken.
    unmasked = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert unmasked.sub("", again.text) == unmasked.sub("", fresh.text)
    assert User.objects.filter(email=existing.email).count() == 1
    (mail,) = mailoutbox
    assert mail.to == [existing.email]
    assert "al een Buurtwacht-account" in mail.subject and "/account/inloggen/" in mail.body
    assert "/account/bevestigen/" not in mail.body


def test_an_unconfirmed_account_registered_again_gets_a_new_link(
    client, groningen_addresses, mailoutbox
):
    register(client)
    register(client)
    assert User.objects.count() == 1
    assert len(mailoutbox) == 2 and all("/account/bevestigen/" in m.body for m in mailoutbox)


def test_e_mail_addresses_have_one_spelling_for_login_lockout_and_registration(
    client, make_resident, groningen_addresses
):
    """With a dotless i (U+0131) it is another address than liv@: on PostgreSQL an `iexact`
    lookup folded them together and logged into liv's account."""
    liv = make_resident("Liv Mulder")
    liv.email = "liv@example.nl"
    liv.save()
    assert normalize_email(" LIV@Example.NL ") == "liv@example.nl"
    assert normalized_login(None, {"username": "Liv@example.nl"}) == "liv@example.nl"
    assert normalize_email("l\u0131v@example.nl") != "liv@example.nl"
    assert logs_in(client, "LIV@example.nl", PASSWORD)
    client.logout()
    assert not logs_in(client, "l\u0131v@example.nl", PASSWORD)


def test_registrations_from_one_address_are_rate_limited(client, settings, groningen_addresses):
    settings.REGISTRATIONS_PER_HOUR = 2
    for index in range(2):
        assert register(client, email=f"buur{index}@example.nl").status_code == 200
    refused = register(client, email="buur9@example.nl")
    assert refused.status_code == 429
    assert "Te veel registraties" in refused.text
    assert not User.objects.filter(email="buur9@example.nl").exists()


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


def years_ago(years: int) -> dt.date:
    today = clock.today()
    return dt.date(today.year - years, today.month, min(today.day, 28))


def test_a_date_of_birth_over_120_years_ago_is_refused_in_dutch(client, groningen_addresses):
    response = register(client, date_of_birth=years_ago(121).isoformat())
    assert response.status_code == 200
    assert "Controleer je geboortedatum" in response.text
    assert_nothing_created()


@pytest.mark.parametrize(
    ("born", "code", "message"),
    [
        (lambda: years_ago(17), "under_age", "Je moet 18 jaar of ouder zijn"),
        (lambda: years_ago(121), "too_old", "Controleer je geboortedatum"),
        (lambda: clock.today() + dt.timedelta(days=1), "future", "in de toekomst"),
    ],
    ids=["17", "121", "tomorrow"],
)
def test_the_registration_actions_check_the_date_of_birth_themselves(
    groningen_addresses, make_resident, born, code, message
):
    """R-RUL-1 was only in the form ("checked 18+ by the form"): now the actions refuse too,
    and register_resident before it looks for the address (a refusal reveals no account)."""
    from buurtwacht.accounts import actions
    from buurtwacht.core.errors import ActionError
    from buurtwacht.geo.geocoders import GazetteerGeocoder
    from buurtwacht.geo.geocoding import AddressQuery

    existing = make_resident("Femke de Boer")
    address = GazetteerGeocoder().lookup(AddressQuery(postcode="9712KB", number=24, letter="C"))
    for email in ("nieuw@example.nl", existing.email):
        registration = actions.Registration(
            email=email, name="Jong Mens", password=PASSWORD, date_of_birth=born(), address=address
        )
        for register_with in (actions.register_user, actions.register_resident):
            with pytest.raises(ActionError) as refused:
                register_with(registration=registration)
            assert refused.value.code == code and message in refused.value.message
    assert list(User.objects.values_list("email", flat=True)) == [existing.email]


def test_registration_remembers_the_language_it_was_made_in(client, groningen_addresses):
    """What is sent to the person later (e-mail, push) is written in it (issue 13)."""
    client.cookies["django_language"] = "en"
    register(client)
    client.cookies["django_language"] = "nl"
    register(client, email="joost@example.nl", name="Joost Mulder")
    assert User.objects.get(email="femke@example.nl").language == "en"
    assert User.objects.get(email="joost@example.nl").language == "nl"
