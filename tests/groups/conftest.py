"""Personas in a real Groningen group on Grote Beerstraat (real BAG addresses)."""

import datetime as dt

import pytest

from buurtwacht.accounts import actions as account_actions
from buurtwacht.geo.models import Address, Street
from buurtwacht.groups import actions
from buurtwacht.groups.models import VettingMethod

GROUP_STREET = "Grote Beerstraat"
OTHER_STREET = "Paterswoldseweg"


@pytest.fixture
def resident_on(make_resident):
    def make(name: str, street: str, index: int = 0, born: dt.date = dt.date(1980, 5, 17)):
        row = Address.objects.filter(street__name=street).order_by("number", "letter", "suffix")[
            index
        ]
        return make_resident(
            name,
            postcode=row.postcode,
            number=row.number,
            letter=row.letter,
            addition=row.suffix,
            born=born,
        )

    return make


@pytest.fixture
def group_street_ids(groningen_addresses):
    return list(Street.objects.filter(name=GROUP_STREET).values_list("pk", flat=True))


@pytest.fixture
def anna_admin(resident_on):
    return resident_on("Anna de Vries", GROUP_STREET, 0)


@pytest.fixture
def group(anna_admin, group_street_ids):
    street = Street.objects.get(pk=group_street_ids[0])
    return actions.create_group(
        founder=anna_admin,
        new=actions.NewGroup(
            name="Buurtpreventie Grote Beerstraat",
            description="Samen letten we op elkaar.",
            municipality_code=street.municipality_code,
            street_ids=group_street_ids,
        ),
        overlaps_confirmed=False,
    )


VETTED = actions.Vetting(
    contact_date=dt.date(2026, 11, 1),
    method=VettingMethod.IN_PERSON,
    note="Bij de voordeur gesproken",
    age_checked=True,
    address_checked=True,
)


def admit(group, admin, user):
    join_request = actions.request_to_join(user=user, group_id=group.pk, rules_accepted=True)
    return actions.admit_member(admin=admin, request_id=join_request.pk, vetting=VETTED)


@pytest.fixture
def mo_member(resident_on, group, anna_admin):
    mo = resident_on("Mo Bakker", GROUP_STREET, 10)
    admit(group, anna_admin, mo)
    return mo


@pytest.fixture
def pieter_politie(resident_on, group, anna_admin):
    pieter = resident_on("Pieter Politie", OTHER_STREET, 3)
    account_actions.set_verification(user=pieter, police_verified=True, municipality_code="")
    actions.attach_wijkagent(admin=anna_admin, group_id=group.pk, officer=pieter)
    return pieter


@pytest.fixture
def bob_buiten(resident_on):
    return resident_on("Bob Buiten", OTHER_STREET, 7)
