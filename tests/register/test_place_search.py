"""R-REG-1: searching by the name of a place or street goes through the configured
geocoder; the PDOK adapter against a real local HTTP server, like tests/geo's."""

import pytest
from django.urls import reverse

from buurtwacht.geo.geocoders import PdokGeocoder
from buurtwacht.geo.geocoding import GeocoderUnavailable
from tests.conftest import visible_text
from tests.geo.test_geocoders import FakePdok, _answer, pdok  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def place_doc(**fields):
    return {
        "type": "woonplaats",
        "weergavenaam": "Groningen, Groningen, Groningen",
        "woonplaatsnaam": "Groningen",
        "gemeentecode": "0014",
        "centroide_ll": "POINT(6.56650 53.21917)",
        **fields,
    }


def test_r_reg_1_pdok_places_for_a_name(pdok: FakePdok) -> None:  # noqa: F811
    pdok.answer_json(
        _answer(
            place_doc(),
            place_doc(type="weg", straatnaam="Grote Beerstraat", centroide_ll="POINT(6.55 53.2)"),
            place_doc(type="adres"),  # not a place or street: skipped
        )
    )
    places = PdokGeocoder(base_url=pdok.url, timeout=0.5).places("groningen")
    assert [(p.kind, p.name, p.city, p.municipality_code) for p in places] == [
        ("place", "Groningen", "Groningen", "GM0014"),
        ("street", "Grote Beerstraat", "Groningen", "GM0014"),
    ]
    assert places[0].min_lon < 6.5665 < places[0].max_lon
    assert pdok.requests[0]["fq"] == ["type:(woonplaats OR weg)"]


def test_r_reg_1_pdok_down_is_a_clear_error(pdok: FakePdok, client, settings) -> None:  # noqa: F811
    pdok.status, pdok.body = 503, b"down"
    with pytest.raises(GeocoderUnavailable):
        PdokGeocoder(base_url=pdok.url, timeout=0.5).places("Groningen")
    settings.GEOCODER, settings.PDOK_LOCATIESERVER_URL = "pdok", pdok.url
    response = client.get(reverse("register_search"), {"q": "Groningen"})
    assert "niet bereikbaar" in visible_text(response.content.decode())


def test_r_reg_1_search_uses_the_configured_geocoder(
    pdok: FakePdok,  # noqa: F811
    client,
    settings,
    listed_group,
) -> None:
    pdok.answer_json(_answer(place_doc(centroide_ll="POINT(6.5585 53.2150)")))
    settings.GEOCODER, settings.PDOK_LOCATIESERVER_URL = "pdok", pdok.url
    response = client.get(reverse("register_search"), {"q": "Groningen"})
    assert listed_group.name in visible_text(response.content.decode(), element_id="results")
    assert pdok.requests[0]["q"] == ["Groningen"]
