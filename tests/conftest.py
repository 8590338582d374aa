"""Shared fixtures.  Personas (see ARCHITECTURE.md): anna_admin, mo_member,
pieter_politie (wijkagent), bob_buiten (outsider), gea_gemeente (municipality)."""

import datetime as dt
import itertools
from pathlib import Path

import pytest
from django.conf import settings

from buurtwacht.accounts import actions as account_actions
from buurtwacht.accounts.models import User
from buurtwacht.geo import actions as geo_actions
from buurtwacht.geo.geocoders import GazetteerGeocoder
from buurtwacht.geo.geocoding import AddressQuery

PASSWORD = "veilig-in-de-buurt-2026"


@pytest.fixture(scope="session")
def open_data() -> Path:
    path = Path(settings.OPEN_DATA_DIR)
    assert path.is_dir(), f"open data not found at {path}; set OPEN_DATA_DIR"
    return path


@pytest.fixture(scope="session")
def groningen_csv(open_data: Path) -> Path:
    return open_data / "addresses" / "groningen_bag_addresses_25k.csv"


@pytest.fixture(scope="session")
def groningen_addresses(django_db_setup, django_db_blocker, groningen_csv: Path) -> None:
    """The real 25,000 Groningen BAG addresses, imported once per test session.  (Tests with
    `transactional_db` flush the database; they import what they need themselves.)"""
    with django_db_blocker.unblock():
        geo_actions.import_addresses(path=groningen_csv)


@pytest.fixture(autouse=True)
def _plain_http(settings):
    """Production settings send http to https; the test client and live server speak http."""
    settings.SECURE_SSL_REDIRECT = False


_emails = itertools.count()


@pytest.fixture
def make_resident(groningen_addresses, db):
    """Registers a resident at a real Groningen address through the real action."""

    def make(
        name: str,
        *,
        postcode: str = "9712KB",
        number: int = 24,
        letter: str = "C",
        addition: str = "",
        born: dt.date = dt.date(1980, 5, 17),
    ) -> User:
        address = GazetteerGeocoder().lookup(
            AddressQuery(postcode=postcode, number=number, letter=letter, addition=addition)
        )
        assert address is not None
        return account_actions.register_user(
            registration=account_actions.Registration(
                email=f"{name.split()[0].lower()}{next(_emails)}@example.nl",
                name=name,
                password=PASSWORD,
                date_of_birth=born,
                address=address,
            )
        )

    return make
