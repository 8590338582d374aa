"""The public register finds a Belgian group by a Belgian postcode (four digits) and house
number, shows it on the map of its municipality (Gent, NIS 44021), and offers every street
when the number is in several streets of the postcode."""

import pytest
from django.urls import reverse

from buurtwacht.groups import actions
from buurtwacht.groups.models import Listing
from tests.belgium import GENT
from tests.conftest import visible_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def listed_belgian_group(belgian_group, lotte_beheerder):
    return actions.set_listing(
        admin=lotte_beheerder, group_id=belgian_group.pk, listing=Listing.LISTED
    )


def test_r_be_a_group_is_found_by_belgian_postcode_and_house_number(client, listed_belgian_group):
    for q in ("9000 5", "9000, 5", "B-9000 5"):
        response = client.get(reverse("register_search"), {"q": q})
        assert response.status_code == 200, q
        results = visible_text(response.content.decode(), element_id="results")
        assert listed_belgian_group.name in results, (q, results)
        assert "Veldstraat 5, 9000 Gent" in response.content.decode()
    # 12 is on Veldstraat (the group's street) and on Kouter: both are searched
    response = client.get(reverse("register_search"), {"q": "9000 12"})
    html = response.content.decode()
    assert listed_belgian_group.name in visible_text(html, element_id="results")
    assert "Kouter, Veldstraat" in html
    # Sint-Pietersnieuwstraat has no group yet
    response = client.get(reverse("register_search"), {"q": "9000 101"})
    assert listed_belgian_group.name not in visible_text(
        response.content.decode(), element_id="results"
    )


def test_r_be_the_belgian_municipality_has_its_register_map(client, listed_belgian_group):
    page = client.get(reverse("register_municipality", args=[GENT]))
    assert page.status_code == 200
    assert listed_belgian_group.name in page.content.decode()


def test_r_be_a_four_digit_postcode_with_number_is_dutch_only_instance_error(
    client, listed_belgian_group, settings
):
    settings.COUNTRIES = ["NL"]
    response = client.get(reverse("register_search"), {"q": "9000 5"})
    assert listed_belgian_group.name not in response.content.decode()


def test_r_be_the_map_is_headed_with_the_countries_served(client, settings):
    settings.COUNTRIES = ["NL", "BE"]
    assert (
        "Buurtpreventiegroepen in Nederland en België" in client.get(reverse("register_map")).text
    )
    settings.COUNTRIES = ["NL"]
    assert "<h1>Buurtpreventiegroepen in Nederland</h1>" in client.get(reverse("register_map")).text
