"""Geocoder interface: (postcode, house number, letter, addition) -> a resolved address.

Implementations live in ``geo/geocoders.py``: the offline gazetteer over imported
addresses (the embedded default), the PDOK Locatieserver (the Netherlands) and Flanders'
Basisregisters address API (Belgium).  ``settings.GEOCODER`` chooses.

Belgian postcodes are four digits ("9000") and accepted where the instance serves Belgium
(``settings.COUNTRIES``).  A Belgian postcode covers a whole town, so postcode + house
number may name addresses in several streets: ``AddressQuery.street`` then picks one, and
without it a lookup that finds several raises ``AmbiguousAddress`` with the candidates.
"""

import re
from dataclasses import dataclass
from typing import Protocol

POSTCODE_RE = re.compile(r"^\s*([1-9][0-9]{3})\s*([A-Za-z]{2})\s*$")
# Dutch postcodes never use these letter pairs.
_FORBIDDEN_POSTCODE_LETTERS = {"SA", "SD", "SS"}


BE_POSTCODE_RE = re.compile(r"^\s*(?:B\s*-\s*)?([1-9][0-9]{3})\s*$", re.IGNORECASE)


def belgium_served() -> bool:
    from django.conf import settings

    return "BE" in settings.COUNTRIES


def normalize_postcode(value: str) -> str | None:
    """'9712 kb' -> '9712KB', and where Belgium is served '9000' -> '9000'; None when it
    is not a valid postcode."""
    match = POSTCODE_RE.match(value or "")
    if not match:
        belgian = BE_POSTCODE_RE.match(value or "")
        return belgian.group(1) if belgian and belgium_served() else None
    letters = match.group(2).upper()
    if letters in _FORBIDDEN_POSTCODE_LETTERS:
        return None
    return match.group(1) + letters


def normalize_letter(value: str) -> str:
    return (value or "").strip().upper()


def normalize_addition(value: str) -> str:
    return re.sub(r"[\s-]+", "", value or "").upper()


def is_belgian_postcode(postcode: str) -> bool:
    """Of a normalised postcode: four digits, no letters."""
    return len(postcode) == 4 and postcode.isdigit()


def street_key(name: str) -> str:
    """How a Belgian street is matched: case, accents' case and spacing ignored."""
    return " ".join((name or "").split()).casefold()


@dataclass(frozen=True)
class AddressQuery:
    postcode: str  # normalised, e.g. 9712KB
    number: int
    letter: str = ""  # normalised upper case, '' when absent
    addition: str = ""  # normalised upper case, '' when absent (in Belgium the box number)
    street: str = ""  # Belgium: the street, when postcode + number name several


@dataclass(frozen=True)
class GeocodedAddress:
    street: str
    number: int
    letter: str
    addition: str
    postcode: str
    city: str
    lon: float
    lat: float
    municipality_code: str = ""  # GM0014 when known

    @property
    def house_number_display(self) -> str:
        extra = f"-{self.addition}" if self.addition else ""
        return f"{self.number}{self.letter}{extra}"


@dataclass(frozen=True)
class Place:
    """A place (woonplaats) or a street found by name, with the box it covers (WGS84)."""

    kind: str  # "place" or "street"
    name: str  # "Grote Beerstraat" or "Groningen"
    city: str  # the place itself for a place
    min_lon: float
    min_lat: float
    max_lon: float
    max_lat: float
    municipality_code: str = ""

    @property
    def label(self) -> str:
        return self.name if self.kind == "place" else f"{self.name}, {self.city}"


class GeocoderUnavailable(Exception):
    """The geocoder could not be asked (timeout, network, malformed answer)."""


class AmbiguousAddress(Exception):
    """A Belgian postcode + house number names addresses in several streets."""

    def __init__(self, candidates: list[GeocodedAddress]) -> None:
        super().__init__(f"{len(candidates)} addresses match")
        self.candidates = candidates

    @property
    def streets(self) -> list[str]:
        return sorted({c.street for c in self.candidates})


class Geocoder(Protocol):
    def lookup(self, query: AddressQuery) -> GeocodedAddress | None:
        """The address, None when it does not exist; raises GeocoderUnavailable."""
        ...

    def places(self, text: str, *, limit: int = 5) -> list[Place]:
        """Places and streets whose name matches ``text``, best first; raises
        GeocoderUnavailable."""
        ...


def get_geocoder() -> Geocoder:
    from django.conf import settings

    from buurtwacht.geo.geocoders import (
        ByCountryGeocoder,
        GazetteerGeocoder,
        PdokGeocoder,
        VlaanderenGeocoder,
    )

    def pdok() -> PdokGeocoder:
        return PdokGeocoder(
            base_url=settings.PDOK_LOCATIESERVER_URL, timeout=settings.PDOK_TIMEOUT_SECONDS
        )

    def vlaanderen() -> VlaanderenGeocoder:
        return VlaanderenGeocoder(
            base_url=settings.VLAANDEREN_ADDRESS_URL,
            timeout=settings.VLAANDEREN_TIMEOUT_SECONDS,
        )

    if settings.GEOCODER == "pdok":
        return pdok()
    if settings.GEOCODER == "vlaanderen":
        return vlaanderen()
    if settings.GEOCODER == "pdok+vlaanderen":
        return ByCountryGeocoder(netherlands=pdok(), belgium=vlaanderen())
    if settings.GEOCODER == "gazetteer":
        return GazetteerGeocoder()
    raise ValueError(
        f"Unknown GEOCODER {settings.GEOCODER!r}: use 'gazetteer', 'pdok', 'vlaanderen' "
        "or 'pdok+vlaanderen'"
    )
