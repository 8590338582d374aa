"""Geocoder implementations: the offline gazetteer and the PDOK Locatieserver.

Both answer an ``AddressQuery`` with a ``GeocodedAddress`` or None (no such address).
``PdokGeocoder`` raises ``GeocoderUnavailable`` when PDOK cannot be asked or answers
something it cannot read, so callers can tell "does not exist" from "try again later".
"""

import http.client
import json
import re
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from django.db.models import Count, Max, Min

from buurtwacht.geo.geocoding import (
    AddressQuery,
    GeocodedAddress,
    GeocoderUnavailable,
    Place,
    normalize_addition,
    normalize_letter,
    normalize_postcode,
)
from buurtwacht.geo.models import Address, Street

_POINT_RE = re.compile(r"^\s*POINT\s*\(\s*(-?[0-9.eE+-]+)\s+(-?[0-9.eE+-]+)\s*\)\s*$")
_MAX_RESPONSE_BYTES = 2 * 1024 * 1024
PDOK_FIELDS = (
    "type weergavenaam straatnaam huisnummer huisletter huisnummertoevoeging "
    "postcode woonplaatsnaam gemeentecode gemeentenaam centroide_ll"
)


def _normalized(query: AddressQuery) -> AddressQuery | None:
    postcode = normalize_postcode(query.postcode)
    if postcode is None or query.number <= 0:
        return None
    return AddressQuery(
        postcode=postcode,
        number=query.number,
        letter=normalize_letter(query.letter),
        addition=normalize_addition(query.addition),
    )


class GazetteerGeocoder:
    """Exact lookup in the imported addresses (``import_addresses``); works offline."""

    def lookup(self, query: AddressQuery) -> GeocodedAddress | None:
        wanted = _normalized(query)
        if wanted is None:
            return None
        # At most one row (unique constraint), so no ORDER BY as .first() would add.
        found = list(
            Address.objects.select_related("street").filter(
                postcode=wanted.postcode,
                number=wanted.number,
                letter=wanted.letter,
                suffix=wanted.addition,
            )[:1]
        )
        if not found:
            return None
        address = found[0]
        return GeocodedAddress(
            street=address.street.name,
            number=address.number,
            letter=address.letter,
            addition=address.suffix,
            postcode=address.postcode,
            city=address.street.city,
            lon=address.lon,
            lat=address.lat,
            municipality_code=address.street.municipality_code,
        )

    def places(self, text: str, *, limit: int = 5) -> list[Place]:
        """A place whose name is ``text`` (any case), else streets whose name starts with it."""
        text = " ".join((text or "").split())
        if len(text) < 2:
            return []
        boxes = (
            Address.objects.values("street__city")
            .filter(street__city__iexact=text)
            .annotate(
                min_lon=Min("lon"),
                min_lat=Min("lat"),
                max_lon=Max("lon"),
                max_lat=Max("lat"),
                municipality=Max("street__municipality_code"),
            )
        )
        found = [
            Place(
                kind="place",
                name=row["street__city"],
                city=row["street__city"],
                min_lon=row["min_lon"],
                min_lat=row["min_lat"],
                max_lon=row["max_lon"],
                max_lat=row["max_lat"],
                municipality_code=row["municipality"] or "",
            )
            for row in boxes
        ]
        streets = (
            Street.objects.filter(name__istartswith=text)
            .annotate(
                n=Count("addresses"),
                min_lon=Min("addresses__lon"),
                min_lat=Min("addresses__lat"),
                max_lon=Max("addresses__lon"),
                max_lat=Max("addresses__lat"),
            )
            .filter(n__gt=0)
            .order_by("name", "city")[: max(0, limit - len(found))]
        )
        found += [
            Place(
                kind="street",
                name=street.name,
                city=street.city,
                min_lon=street.min_lon,  # type: ignore[attr-defined]
                min_lat=street.min_lat,  # type: ignore[attr-defined]
                max_lon=street.max_lon,  # type: ignore[attr-defined]
                max_lat=street.max_lat,  # type: ignore[attr-defined]
                municipality_code=street.municipality_code,
            )
            for street in streets
        ]
        return found[:limit]


# Half the width of the box around a PDOK centre point, in degrees (PDOK's /free answer
# gives a centre, not an outline): about 2 km for a place, 300 m for a street.
_PLACE_HALF = {"place": 0.03, "street": 0.004}


class PdokGeocoder:
    """The PDOK Locatieserver ``/free`` endpoint (v3_1), asked with exact filters."""

    def __init__(self, base_url: str, timeout: float) -> None:
        scheme = urllib.parse.urlsplit(base_url).scheme
        if scheme not in {"http", "https"}:
            raise ValueError(f"PDOK Locatieserver URL must be http(s), not {base_url!r}")
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout

    def url_for(self, query: AddressQuery) -> str:
        house = f"{query.number}{query.letter}"
        if query.addition:
            house += f"-{query.addition}"
        params = [
            ("q", f"{query.postcode} {house}"),
            ("fq", "type:adres"),
            ("fq", f"postcode:{query.postcode}"),
            ("fq", f"huisnummer:{query.number}"),
            ("fl", PDOK_FIELDS),
            ("rows", "20"),
        ]
        return f"{self.base_url}/free?{urllib.parse.urlencode(params)}"

    def lookup(self, query: AddressQuery) -> GeocodedAddress | None:
        wanted = _normalized(query)
        if wanted is None:
            return None
        docs = self._docs(self._fetch(self.url_for(wanted)))
        for doc in docs:
            if _matches(doc, wanted):
                return _geocoded(doc, wanted)
        return None

    def places_url(self, text: str, *, limit: int) -> str:
        params = [
            ("q", text),
            ("fq", "type:(woonplaats OR weg)"),
            ("fl", "type weergavenaam straatnaam woonplaatsnaam gemeentecode centroide_ll"),
            ("rows", str(limit)),
        ]
        return f"{self.base_url}/free?{urllib.parse.urlencode(params)}"

    def places(self, text: str, *, limit: int = 5) -> list[Place]:
        text = " ".join((text or "").split())
        if len(text) < 2:
            return []
        found = []
        for doc in self._docs(self._fetch(self.places_url(text, limit=limit))):
            kind = {"woonplaats": "place", "weg": "street"}.get(str(doc.get("type")))
            point = _POINT_RE.match(str(doc.get("centroide_ll") or ""))
            city = doc.get("woonplaatsnaam")
            if kind is None or point is None or not isinstance(city, str) or not city:
                continue
            name = city if kind == "place" else str(doc.get("straatnaam") or "")
            if not name:
                continue
            lon, lat = float(point.group(1)), float(point.group(2))
            half = _PLACE_HALF[kind]
            municipality = str(doc.get("gemeentecode") or "").strip()
            found.append(
                Place(
                    kind=kind,
                    name=name,
                    city=city,
                    min_lon=lon - half,
                    min_lat=lat - half * 0.6,
                    max_lon=lon + half,
                    max_lat=lat + half * 0.6,
                    municipality_code=f"GM{int(municipality):04d}"
                    if municipality.isdigit()
                    else municipality,
                )
            )
        return found

    def _fetch(self, url: str) -> Any:
        request = urllib.request.Request(  # noqa: S310 (scheme checked in __init__)
            url, headers={"Accept": "application/json", "User-Agent": "buurtwacht/0.1"}
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                body = response.read(_MAX_RESPONSE_BYTES + 1)
        except urllib.error.HTTPError as exc:
            raise GeocoderUnavailable(f"PDOK answered HTTP {exc.code}") from exc
        except (urllib.error.URLError, http.client.HTTPException, OSError) as exc:
            # OSError covers TimeoutError and refused or reset connections.
            raise GeocoderUnavailable(f"PDOK could not be reached: {exc}") from exc
        if len(body) > _MAX_RESPONSE_BYTES:
            raise GeocoderUnavailable("PDOK answer is too large")
        try:
            return json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise GeocoderUnavailable(f"PDOK answer is not JSON: {exc}") from exc

    @staticmethod
    def _docs(data: Any) -> list[dict[str, Any]]:
        response = data.get("response") if isinstance(data, dict) else None
        docs = response.get("docs") if isinstance(response, dict) else None
        if not isinstance(docs, list) or not all(isinstance(doc, dict) for doc in docs):
            raise GeocoderUnavailable("PDOK answer has no response.docs list")
        return docs


def _matches(doc: dict[str, Any], query: AddressQuery) -> bool:
    if doc.get("type", "adres") != "adres":
        return False
    try:
        number = int(doc.get("huisnummer", -1))
    except (TypeError, ValueError):
        return False
    postcode = normalize_postcode(str(doc.get("postcode") or ""))
    return (
        number == query.number
        and postcode == query.postcode
        and normalize_letter(str(doc.get("huisletter") or "")) == query.letter
        and normalize_addition(str(doc.get("huisnummertoevoeging") or "")) == query.addition
    )


def _geocoded(doc: dict[str, Any], query: AddressQuery) -> GeocodedAddress:
    street = doc.get("straatnaam")
    city = doc.get("woonplaatsnaam")
    point = _POINT_RE.match(str(doc.get("centroide_ll") or ""))
    if not isinstance(street, str) or not street or not isinstance(city, str) or not city:
        raise GeocoderUnavailable("PDOK address lacks straatnaam or woonplaatsnaam")
    if point is None:
        raise GeocoderUnavailable("PDOK address lacks a readable centroide_ll")
    try:
        lon, lat = float(point.group(1)), float(point.group(2))
    except ValueError as exc:
        raise GeocoderUnavailable("PDOK address has an unreadable centroide_ll") from exc
    municipality = str(doc.get("gemeentecode") or "").strip()
    if municipality.isdigit():
        municipality = f"GM{int(municipality):04d}"
    return GeocodedAddress(
        street=street,
        number=query.number,
        letter=query.letter,
        addition=query.addition,
        postcode=query.postcode,
        city=city,
        lon=lon,
        lat=lat,
        municipality_code=municipality,
    )
