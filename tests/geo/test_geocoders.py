"""The gazetteer on the imported Groningen addresses, and the PDOK adapter against a real
local HTTP server that answers like the Locatieserver (v3_1 /free)."""

import json
import socket
import threading
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.test import override_settings

from buurtwacht.geo.geocoders import GazetteerGeocoder, PdokGeocoder
from buurtwacht.geo.geocoding import (
    AddressQuery,
    GeocodedAddress,
    GeocoderUnavailable,
    get_geocoder,
)
from tests.geo.conftest import GeoData

TIMEOUT = 0.3

# --- gazetteer ----------------------------------------------------------------


@pytest.mark.django_db
def test_gazetteer_resolves_a_real_groningen_address(geo_data: GeoData) -> None:
    found = GazetteerGeocoder().lookup(AddressQuery(postcode="9712KB", number=24, letter="C"))
    assert found == GeocodedAddress(
        street="Poelestraat",
        number=24,
        letter="C",
        addition="",
        postcode="9712KB",
        city="Groningen",
        lon=pytest.approx(6.57022923569802),  # type: ignore[arg-type]
        lat=pytest.approx(53.218461547511),  # type: ignore[arg-type]
        municipality_code="GM0014",
    )
    assert found.house_number_display == "24C"


@pytest.mark.django_db
def test_gazetteer_letter_and_postcode_are_case_insensitive(geo_data: GeoData) -> None:
    found = GazetteerGeocoder().lookup(AddressQuery(postcode="9712 kb", number=24, letter="c"))
    assert found is not None
    assert (found.street, found.letter) == ("Poelestraat", "C")


@pytest.mark.django_db
def test_gazetteer_matches_exactly_only(geo_data: GeoData) -> None:
    gazetteer = GazetteerGeocoder()
    assert gazetteer.lookup(AddressQuery(postcode="9712KB", number=9999)) is None
    assert gazetteer.lookup(AddressQuery(postcode="9712KB", number=24, letter="Z")) is None
    assert gazetteer.lookup(AddressQuery(postcode="9712KB", number=24)) is None  # 24 ≠ 24C
    assert gazetteer.lookup(AddressQuery(postcode="not a postcode", number=24)) is None


@pytest.mark.django_db
def test_gazetteer_matches_the_addition(geo_data: GeoData) -> None:
    found = GazetteerGeocoder().lookup(
        AddressQuery(postcode="9718JR", number=16, letter="d", addition="2")
    )
    assert found is not None
    assert (found.street, found.house_number_display) == ("Kraneweg", "16D-2")


def test_get_geocoder_follows_the_setting() -> None:
    with override_settings(GEOCODER="gazetteer"):
        assert isinstance(get_geocoder(), GazetteerGeocoder)
    with override_settings(
        GEOCODER="pdok", PDOK_LOCATIESERVER_URL="http://127.0.0.1:1/ls", PDOK_TIMEOUT_SECONDS=2
    ):
        geocoder = get_geocoder()
        assert isinstance(geocoder, PdokGeocoder)
        assert (geocoder.base_url, geocoder.timeout) == ("http://127.0.0.1:1/ls", 2)
    with override_settings(GEOCODER="google"), pytest.raises(ValueError, match="google"):
        get_geocoder()


# --- PDOK -----------------------------------------------------------------------


def _doc(**overrides: Any) -> dict[str, Any]:
    doc = {
        "type": "adres",
        "weergavenaam": "Poelestraat 24C, 9712KB Groningen",
        "straatnaam": "Poelestraat",
        "huisnummer": 24,
        "huisletter": "C",
        "postcode": "9712KB",
        "woonplaatsnaam": "Groningen",
        "gemeentecode": "0014",
        "gemeentenaam": "Groningen",
        "centroide_ll": "POINT(6.57022923 53.21846154)",
    }
    doc.update(overrides)
    return {key: value for key, value in doc.items() if value is not None}


def _answer(*docs: dict[str, Any]) -> dict[str, Any]:
    return {
        "response": {
            "numFound": len(docs),
            "start": 0,
            "maxScore": 15.2,
            "numFoundExact": True,
            "docs": list(docs),
        }
    }


@dataclass
class FakePdok:
    """What the server answers next, and the requests it saw."""

    status: int = 200
    body: bytes = b""
    delay: float = 0.0
    requests: list[dict[str, list[str]]] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)
    url: str = ""

    def answer_json(self, data: Any) -> None:
        self.status, self.body = 200, json.dumps(data).encode()


@pytest.fixture
def pdok() -> Iterator[FakePdok]:
    fake = FakePdok()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            parsed = urllib.parse.urlsplit(self.path)
            fake.paths.append(parsed.path)
            fake.requests.append(urllib.parse.parse_qs(parsed.query))
            if fake.delay:
                time.sleep(fake.delay)
            try:
                self.send_response(fake.status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(fake.body)))
                self.end_headers()
                self.wfile.write(fake.body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (timeout test)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
    )
    thread.start()
    fake.url = f"http://127.0.0.1:{server.server_address[1]}/bzk/locatieserver/search/v3_1"
    yield fake
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def _geocoder(pdok: FakePdok) -> PdokGeocoder:
    return PdokGeocoder(base_url=pdok.url, timeout=TIMEOUT)


QUERY = AddressQuery(postcode="9712KB", number=24, letter="C")


def test_pdok_success_picks_the_exact_letter_and_sends_the_filters(pdok: FakePdok) -> None:
    pdok.answer_json(
        _answer(
            _doc(huisletter=None, weergavenaam="Poelestraat 24, 9712KB Groningen"),
            _doc(),
            _doc(huisletter="C", huisnummertoevoeging="1"),
        )
    )

    found = _geocoder(pdok).lookup(AddressQuery(postcode="9712 kb", number=24, letter="c"))

    assert found == GeocodedAddress(
        street="Poelestraat",
        number=24,
        letter="C",
        addition="",
        postcode="9712KB",
        city="Groningen",
        lon=6.57022923,
        lat=53.21846154,
        municipality_code="GM0014",
    )
    assert pdok.paths == ["/bzk/locatieserver/search/v3_1/free"]
    sent = pdok.requests[0]
    assert set(sent["fq"]) == {"type:adres", "postcode:9712KB", "huisnummer:24"}
    assert sent["q"] == ["9712KB 24C"]
    assert sent["rows"] == ["20"]


def test_pdok_matches_the_addition(pdok: FakePdok) -> None:
    pdok.answer_json(_answer(_doc(huisletter=None, huisnummertoevoeging="bis")))
    geocoder = _geocoder(pdok)
    found = geocoder.lookup(AddressQuery(postcode="9712KB", number=24, addition="BIS"))
    assert found is not None
    assert found.house_number_display == "24-BIS"
    assert geocoder.lookup(AddressQuery(postcode="9712KB", number=24)) is None


def test_pdok_no_result_is_none(pdok: FakePdok) -> None:
    pdok.answer_json(_answer())
    assert _geocoder(pdok).lookup(QUERY) is None


def test_pdok_only_other_letters_is_none(pdok: FakePdok) -> None:
    pdok.answer_json(_answer(_doc(huisletter="A"), _doc(huisletter="B")))
    assert _geocoder(pdok).lookup(QUERY) is None


def test_pdok_timeout_is_unavailable(pdok: FakePdok) -> None:
    pdok.answer_json(_answer(_doc()))
    pdok.delay = TIMEOUT * 4
    started = time.monotonic()
    with pytest.raises(GeocoderUnavailable):
        _geocoder(pdok).lookup(QUERY)
    assert time.monotonic() - started < TIMEOUT * 3


@pytest.mark.parametrize(
    "body",
    [
        b"<html>Service Unavailable</html>",
        b'{"responseHeader": {"status": 0}}',
        b'{"response": {"numFound": 1, "docs": "nope"}}',
        b"\xff\xfe not utf-8",
    ],
)
def test_pdok_malformed_answer_is_unavailable(pdok: FakePdok, body: bytes) -> None:
    pdok.status, pdok.body = 200, body
    with pytest.raises(GeocoderUnavailable):
        _geocoder(pdok).lookup(QUERY)


def test_pdok_matching_doc_without_required_fields_is_unavailable(pdok: FakePdok) -> None:
    pdok.answer_json(_answer(_doc(centroide_ll=None)))
    with pytest.raises(GeocoderUnavailable, match="centroide_ll"):
        _geocoder(pdok).lookup(QUERY)
    pdok.answer_json(_answer(_doc(straatnaam=None)))
    with pytest.raises(GeocoderUnavailable, match="straatnaam"):
        _geocoder(pdok).lookup(QUERY)


def test_pdok_http_500_is_unavailable(pdok: FakePdok) -> None:
    pdok.status, pdok.body = 500, b'{"error": "internal"}'
    with pytest.raises(GeocoderUnavailable, match="500"):
        _geocoder(pdok).lookup(QUERY)


def test_pdok_connection_refused_is_unavailable() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    # Nothing listens on the port any more.
    geocoder = PdokGeocoder(base_url=f"http://127.0.0.1:{port}/v3_1", timeout=TIMEOUT)
    with pytest.raises(GeocoderUnavailable, match="reached"):
        geocoder.lookup(QUERY)


def test_pdok_refuses_non_http_urls() -> None:
    with pytest.raises(ValueError, match="http"):
        PdokGeocoder(base_url="file:///etc/passwd", timeout=TIMEOUT)


def test_pdok_invalid_query_is_none_without_asking(pdok: FakePdok) -> None:
    assert _geocoder(pdok).lookup(AddressQuery(postcode="12", number=1)) is None
    assert pdok.requests == []
