"""Geocoder interface: (postcode, house number, letter, addition) -> a resolved address.

Two implementations live in ``geo/geocoders.py``: the offline gazetteer over imported
addresses (the embedded default) and the PDOK Locatieserver.  ``settings.GEOCODER``
chooses one.
"""

import re
from dataclasses import dataclass
from typing import Protocol

POSTCODE_RE = re.compile(r"^\s*([1-9][0-9]{3})\s*([A-Za-z]{2})\s*$")
# Dutch postcodes never use these letter pairs.
_FORBIDDEN_POSTCODE_LETTERS = {"SA", "SD", "SS"}


def normalize_postcode(value: str) -> str | None:
    """'9712 kb' -> '9712KB'; None when it is not a valid Dutch postcode."""
    match = POSTCODE_RE.match(value or "")
    if not match:
        return None
    letters = match.group(2).upper()
    if letters in _FORBIDDEN_POSTCODE_LETTERS:
        return None
    return match.group(1) + letters


def normalize_letter(value: str) -> str:
    return (value or "").strip().upper()


def normalize_addition(value: str) -> str:
    return re.sub(r"[\s-]+", "", value or "").upper()


@dataclass(frozen=True)
class AddressQuery:
    postcode: str  # normalised, e.g. 9712KB
    number: int
    letter: str = ""  # normalised upper case, '' when absent
    addition: str = ""  # normalised upper case, '' when absent


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

    from buurtwacht.geo.geocoders import GazetteerGeocoder, PdokGeocoder

    if settings.GEOCODER == "pdok":
        return PdokGeocoder(
            base_url=settings.PDOK_LOCATIESERVER_URL, timeout=settings.PDOK_TIMEOUT_SECONDS
        )
    if settings.GEOCODER == "gazetteer":
        return GazetteerGeocoder()
    raise ValueError(f"Unknown GEOCODER {settings.GEOCODER!r}: use 'gazetteer' or 'pdok'")
