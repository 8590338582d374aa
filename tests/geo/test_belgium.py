"""Belgian addresses and areas: BOSA's BeST address CSV and Statbel's sectors through the
real importers (tests/belgium.py makes both), the gazetteer on them, and the adapter for
Flanders' address register (Basisregisters Vlaanderen, /v2/adressen) against a local HTTP
server of our own that answers as the published API does: paging by ``volgende`` links,
the address detail with its GML position in Lambert 72, problem+json errors, slowness."""

import json
import threading
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pyproj
import pytest
from django.test import override_settings

from buurtwacht.geo import actions as geo_actions
from buurtwacht.geo.geocoders import ByCountryGeocoder, GazetteerGeocoder, VlaanderenGeocoder
from buurtwacht.geo.geocoding import (
    AddressQuery,
    AmbiguousAddress,
    GeocoderUnavailable,
    get_geocoder,
    normalize_postcode,
)
from buurtwacht.geo.models import Address, Area, AreaKind, Street
from tests.belgium import GENT, best_addresses

pytestmark = pytest.mark.django_db
TIMEOUT = 0.5


# --- the open-data files -----------------------------------------------------------------


def test_r_be_statbel_sectors_and_municipality_import_with_their_nis_codes(belgium):
    gent = Area.objects.get(kind=AreaKind.GEMEENTE, code=GENT, retired_at=None)
    assert gent.name == "Gent" and gent.municipality_code == GENT
    assert gent.min_lon == pytest.approx(3.70) and gent.max_lon == pytest.approx(3.74)
    sectors = Area.objects.filter(kind=AreaKind.BUURT, retired_at=None).order_by("code")
    assert [(s.code, s.name, s.parent_code, s.municipality_code) for s in sectors] == [
        ("44021A00-", "Binnenstad-West", GENT, GENT),
        ("44021A01-", "Binnenstad-Oost", GENT, GENT),
    ]
    # a second import of the same file changes nothing
    report = geo_actions.import_areas(path=belgium.sectors, source="statbel")
    assert (report.unchanged, report.created, report.new_versions) == (2, 0, 0)


def test_r_be_best_addresses_import_with_street_municipality_and_box(belgium, tmp_path):
    assert Address.objects.filter(postcode="9000").count() == 24 + 12 + 31
    assert set(Street.objects.filter(city="Gent").values_list("municipality_code", flat=True)) == {
        GENT
    }
    extra = [
        {  # a box number (busnummer) is the suffix
            "EPSG:4326_lat": "51.0501",
            "EPSG:4326_lon": "3.7160",
            "house_number": "40",
            "box_number": "0.1",
            "municipality_id": GENT,
            "municipality_name_nl": "Gent",
            "postcode": "9000",
            "streetname_nl": "Veldstraat",
            "status": "current",
        },
        {  # retired: skipped, not an error
            "EPSG:4326_lat": "51.0501",
            "EPSG:4326_lon": "3.7161",
            "house_number": "41",
            "municipality_id": GENT,
            "municipality_name_nl": "Gent",
            "postcode": "9000",
            "streetname_nl": "Veldstraat",
            "status": "retired",
        },
        {  # not in Belgium: rejected with its line
            "EPSG:4326_lat": "52.0",
            "EPSG:4326_lon": "5.0",
            "house_number": "42",
            "municipality_id": GENT,
            "municipality_name_nl": "Gent",
            "postcode": "9000",
            "streetname_nl": "Veldstraat",
            "status": "current",
        },
    ]
    report = geo_actions.import_addresses(
        path=best_addresses(tmp_path / "more.csv", extra_rows=extra)
    )
    assert report.created == 1 and report.unchanged == 67
    assert [r.reason for r in report.rejected] == [
        "lon/lat 5.0/52.0 out of range (not WGS84 in Belgium)"
    ]
    boxed = Address.objects.get(postcode="9000", number=40)
    assert (boxed.suffix, boxed.street.name) == ("01", "Veldstraat")


def test_r_be_a_belgian_address_is_found_by_postcode_number_and_street(belgium):
    gazetteer = GazetteerGeocoder()
    found = gazetteer.lookup(AddressQuery(postcode="9000", number=5))
    assert found is not None
    assert (found.street, found.city, found.municipality_code) == ("Veldstraat", "Gent", GENT)
    # Kouter and Veldstraat both have a 12: the street decides, else both are offered
    with pytest.raises(AmbiguousAddress) as caught:
        gazetteer.lookup(AddressQuery(postcode="9000", number=12))
    assert caught.value.streets == ["Kouter", "Veldstraat"]
    kouter = gazetteer.lookup(AddressQuery(postcode="9000", number=12, street="kouter"))
    assert kouter is not None and kouter.street == "Kouter"


def test_r_be_four_digit_postcodes_only_where_belgium_is_served(settings):
    settings.COUNTRIES = ["NL"]
    assert normalize_postcode("9000") is None
    settings.COUNTRIES = ["NL", "BE"]
    assert normalize_postcode("9000") == "9000"
    assert normalize_postcode("B-9000") == "9000"
    assert normalize_postcode("9712 kb") == "9712KB"
    assert normalize_postcode("0900") is None


# --- Basisregisters Vlaanderen: a local server that answers as the API does ------------

_LAMBERT72 = pyproj.Transformer.from_crs("EPSG:4326", "EPSG:31370", always_xy=True)


@dataclass
class Register:
    """The fake register's addresses and how it misbehaves."""

    addresses: list[dict[str, Any]] = field(default_factory=list)
    page_size: int = 2  # small, so that a lookup pages
    mode: str = "ok"  # "ok", "error", "slow", "foreign-next", "not-json"
    requests: list[str] = field(default_factory=list)


def _address(objectid: int, street: str, number: str, lon: float, lat: float, box: str = ""):
    x, y = _LAMBERT72.transform(lon, lat)
    return {
        "id": objectid,
        "street": street,
        "huisnummer": number,
        "busnummer": box,
        "gml": (
            '<gml:Point srsName="https://www.opengis.net/def/crs/EPSG/0/31370" '
            f'xmlns:gml="http://www.opengis.net/gml/3.2"><gml:pos>{x:.2f} {y:.2f}</gml:pos>'
            "</gml:Point>"
        ),
    }


@pytest.fixture
def register() -> Iterator[tuple[str, Register]]:
    state = Register(
        addresses=[
            _address(1, "Veldstraat", "12", 3.7172, 51.0500),
            _address(2, "Kouter", "12", 3.7250, 51.0520),
            _address(3, "Veldstraat", "14", 3.7174, 51.0500),
            _address(4, "Veldstraat", "14", 3.7174, 51.0500, box="3"),
            _address(5, "Sint-Pietersnieuwstraat", "7A", 3.7266, 51.0450),
        ]
    )

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def send(self, status: int, body: Any, content_type: str = "application/ld+json"):
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            state.requests.append(self.path)
            base = f"http://127.0.0.1:{self.server.server_address[1]}/v2"
            if state.mode == "slow":
                time.sleep(TIMEOUT * 3)
            if state.mode == "error":
                return self.send(
                    500,
                    {
                        "type": "urn:be.vlaanderen.basisregisters.api:internal",
                        "title": "Er heeft zich een fout voorgedaan.",
                        "status": 500,
                    },
                    "application/problem+json",
                )
            if state.mode == "not-json":
                return self.send(200, b"<html>maintenance</html>", "text/html")
            parts = urllib.parse.urlsplit(self.path)
            query = dict(urllib.parse.parse_qsl(parts.query))
            if parts.path == "/v2/adressen":
                return self.list(base, query)
            if parts.path.startswith("/v2/adressen/"):
                return self.detail(base, int(parts.path.rsplit("/", 1)[1]))
            return self.send(404, {"title": "Niet gevonden", "status": 404})

        def list(self, base: str, query: dict[str, str]) -> None:
            hits = [
                a
                for a in state.addresses
                if query.get("postcode") == "9000"
                and a["huisnummer"] == query.get("huisnummer")
                and ("busnummer" not in query or a["busnummer"] == query["busnummer"])
                and ("straatnaam" not in query or a["street"] == query["straatnaam"])
            ]
            offset = int(query.get("offset", "0"))
            page = hits[offset : offset + state.page_size]
            body: dict[str, Any] = {
                "@context": "https://docs.basisregisters.vlaanderen.be/context/adres/adressen_list.jsonld",
                "adressen": [
                    {
                        "@type": "Adres",
                        "identificator": {"objectId": str(a["id"]), "versieId": "2024-01-01"},
                        "detail": f"{base}/adressen/{a['id']}",
                        "huisnummer": a["huisnummer"],
                        **({"busnummer": a["busnummer"]} if a["busnummer"] else {}),
                        "volledigAdres": {
                            "geografischeNaam": {
                                "spelling": f"{a['street']} {a['huisnummer']}, 9000 Gent",
                                "taal": "nl",
                            }
                        },
                        "adresStatus": "inGebruik",
                    }
                    for a in page
                ],
            }
            if offset + state.page_size < len(hits):
                rest = {**query, "offset": str(offset + state.page_size)}
                host = "http://elsewhere.example" if state.mode == "foreign-next" else base
                body["volgende"] = f"{host}/adressen?{urllib.parse.urlencode(rest)}"
            self.send(200, body)

        def detail(self, base: str, objectid: int) -> None:
            found = [a for a in state.addresses if a["id"] == objectid]
            if not found:
                return self.send(
                    404, {"title": "Onbestaand adres.", "status": 404}, "application/problem+json"
                )
            a = found[0]
            self.send(
                200,
                {
                    "@type": "Adres",
                    "identificator": {"objectId": str(a["id"])},
                    "gemeente": {
                        "objectId": GENT,
                        "detail": f"{base}/gemeenten/{GENT}",
                        "gemeentenaam": {"geografischeNaam": {"spelling": "Gent", "taal": "nl"}},
                    },
                    "postinfo": {"objectId": "9000", "detail": f"{base}/postinfo/9000"},
                    "straatnaam": {
                        "objectId": "748",
                        "straatnaam": {"geografischeNaam": {"spelling": a["street"], "taal": "nl"}},
                    },
                    "huisnummer": a["huisnummer"],
                    **({"busnummer": a["busnummer"]} if a["busnummer"] else {}),
                    "adresPositie": {
                        "geometrie": {"type": "Point", "gml": a["gml"]},
                        "positieGeometrieMethode": "aangeduidDoorBeheerder",
                        "positieSpecificatie": "ingang",
                    },
                    "adresStatus": "inGebruik",
                    "officieelToegekend": True,
                },
            )

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v2", state
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def belgium_served(settings):
    settings.COUNTRIES = ["NL", "BE"]


def test_r_be_a_belgian_address_is_found_through_the_register_api(register, belgium_served):
    url, state = register
    geocoder = VlaanderenGeocoder(base_url=url, timeout=TIMEOUT)
    found = geocoder.lookup(AddressQuery(postcode="9000", number=7, letter="a"))
    assert found is not None
    assert (found.street, found.house_number_display, found.city) == (
        "Sint-Pietersnieuwstraat",
        "7A",
        "Gent",
    )
    assert found.municipality_code == GENT
    assert (found.lon, found.lat) == (
        pytest.approx(3.7266, abs=1e-5),
        pytest.approx(51.045, abs=1e-5),
    )
    assert "huisnummer=7A" in state.requests[0] and "postcode=9000" in state.requests[0]


def test_r_be_the_register_api_is_paged_and_several_streets_are_offered(register, belgium_served):
    url, state = register
    geocoder = VlaanderenGeocoder(base_url=url, timeout=TIMEOUT)
    state.page_size = 1  # "12" is on two pages
    with pytest.raises(AmbiguousAddress) as caught:
        geocoder.lookup(AddressQuery(postcode="9000", number=12))
    assert caught.value.streets == ["Kouter", "Veldstraat"]
    assert sum("offset=1" in r for r in state.requests) == 1  # followed `volgende` once
    found = geocoder.lookup(AddressQuery(postcode="9000", number=12, street="Kouter"))
    assert found is not None and found.street == "Kouter"
    # the box number: 14 and 14 bus 3 are two addresses
    plain = geocoder.lookup(AddressQuery(postcode="9000", number=14))
    boxed = geocoder.lookup(AddressQuery(postcode="9000", number=14, addition="3"))
    assert plain is not None and boxed is not None and boxed.addition == "3"
    assert geocoder.lookup(AddressQuery(postcode="9000", number=99)) is None


@pytest.mark.parametrize("mode", ["error", "slow", "not-json", "foreign-next"])
def test_r_be_register_errors_and_timeouts_are_unavailable_not_unknown(
    register, belgium_served, mode
):
    url, state = register
    state.mode = mode
    state.page_size = 1
    geocoder = VlaanderenGeocoder(base_url=url, timeout=TIMEOUT)
    with pytest.raises(GeocoderUnavailable):
        geocoder.lookup(AddressQuery(postcode="9000", number=12))


def test_r_be_the_setting_routes_each_postcode_to_its_country(register, belgium_served):
    url, _state = register
    with override_settings(
        GEOCODER="pdok+vlaanderen",
        VLAANDEREN_ADDRESS_URL=url,
        PDOK_LOCATIESERVER_URL="http://127.0.0.1:1/ls",
    ):
        geocoder = get_geocoder()
        assert isinstance(geocoder, ByCountryGeocoder)
        found = geocoder.lookup(AddressQuery(postcode="9000", number=7, letter="A"))
        assert found is not None and found.street == "Sint-Pietersnieuwstraat"
        with pytest.raises(GeocoderUnavailable):  # a Dutch postcode goes to PDOK (down here)
            geocoder.lookup(AddressQuery(postcode="9712KB", number=24, letter="C"))
    with override_settings(GEOCODER="vlaanderen", VLAANDEREN_ADDRESS_URL=url):
        assert isinstance(get_geocoder(), VlaanderenGeocoder)
