"""Geocoder implementations: the offline gazetteer and the PDOK Locatieserver.

Both answer an ``AddressQuery`` with a ``GeocodedAddress`` or None (no such address).
``PdokGeocoder`` raises ``GeocoderUnavailable`` when PDOK cannot be asked or answers
something it cannot read, so callers can tell "does not exist" from "try again later".
"""

import functools
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
    AmbiguousAddress,
    GeocodedAddress,
    GeocoderUnavailable,
    Place,
    is_belgian_postcode,
    normalize_addition,
    normalize_letter,
    normalize_postcode,
    street_key,
)
from buurtwacht.geo.models import Address, Street

_POINT_RE = re.compile(r"^\s*POINT\s*\(\s*(-?[0-9.eE+-]+)\s+(-?[0-9.eE+-]+)\s*\)\s*$")
_MAX_RESPONSE_BYTES = 2 * 1024 * 1024
PDOK_FIELDS = (
    "type weergavenaam straatnaam huisnummer huisletter huisnummertoevoeging "
    "postcode woonplaatsnaam gemeentecode gemeentenaam centroide_ll"
)


def fetch_json(url: str, *, timeout: float, accept: str, service: str) -> Any:
    """GET a geocoder's JSON answer; every way it can fail is GeocoderUnavailable, named
    after the `service`.  The caller checked the URL's scheme."""
    request = urllib.request.Request(  # noqa: S310 (scheme checked by the caller)
        url, headers={"Accept": accept, "User-Agent": "buurtwacht/0.1"}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            body = response.read(_MAX_RESPONSE_BYTES + 1)
    except urllib.error.HTTPError as exc:
        raise GeocoderUnavailable(f"{service} answered HTTP {exc.code}") from exc
    except (urllib.error.URLError, http.client.HTTPException, OSError) as exc:
        # OSError covers TimeoutError and refused or reset connections.
        raise GeocoderUnavailable(f"{service} could not be reached: {exc}") from exc
    if len(body) > _MAX_RESPONSE_BYTES:
        raise GeocoderUnavailable(f"{service} answer is too large")
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise GeocoderUnavailable(f"{service} answer is not JSON: {exc}") from exc


def _normalized(query: AddressQuery) -> AddressQuery | None:
    postcode = normalize_postcode(query.postcode)
    if postcode is None or query.number <= 0:
        return None
    return AddressQuery(
        postcode=postcode,
        number=query.number,
        letter=normalize_letter(query.letter),
        addition=normalize_addition(query.addition),
        street=" ".join((query.street or "").split()),
    )


def _one(candidates: list[GeocodedAddress]) -> GeocodedAddress | None:
    if len(candidates) > 1:
        raise AmbiguousAddress(candidates)
    return candidates[0] if candidates else None


class GazetteerGeocoder:
    """Exact lookup in the imported addresses (``import_addresses``); works offline."""

    def lookup(self, query: AddressQuery) -> GeocodedAddress | None:
        wanted = _normalized(query)
        if wanted is None:
            return None
        rows = Address.objects.select_related("street").filter(
            postcode=wanted.postcode,
            number=wanted.number,
            letter=wanted.letter,
            suffix=wanted.addition,
        )
        if not is_belgian_postcode(wanted.postcode):
            # At most one row (unique constraint), so no ORDER BY as .first() would add.
            found = list(rows[:1])
            return self._geocoded(found[0]) if found else None
        if wanted.street:
            rows = rows.filter(street_key=street_key(wanted.street))
        return _one([self._geocoded(a) for a in rows.order_by("street__name", "id")[:50]])

    @staticmethod
    def _geocoded(address: Address) -> GeocodedAddress:
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
        return fetch_json(url, timeout=self.timeout, accept="application/json", service="PDOK")

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


# --- Belgium: Flanders' address register (Basisregisters Vlaanderen, API v2) -------------

_GML_POS_RE = re.compile(r"<gml:pos>\s*(-?[0-9.eE+-]+)\s+(-?[0-9.eE+-]+)\s*</gml:pos>")
_GML_SRS_RE = re.compile(r'srsName="[^"]*?EPSG/0/([0-9]+)"')
VLAANDEREN_PAGE_SIZE = 100  # the API's `limit`
VLAANDEREN_MAX_PAGES = 10  # a postcode + house number fills far fewer
VLAANDEREN_MAX_DETAILS = 10  # the addresses of one postcode + number, asked one by one


@functools.lru_cache(maxsize=4)
def _to_wgs84(epsg: int) -> Any:
    import pyproj

    return pyproj.Transformer.from_crs(f"EPSG:{epsg}", "EPSG:4326", always_xy=True)


def _spelling(value: Any, *path: str) -> str:
    """`value[path...]["geografischeNaam"]["spelling"]`, '' when any step is missing."""
    for key in (*path, "geografischeNaam", "spelling"):
        value = value.get(key) if isinstance(value, dict) else None
    return value.strip() if isinstance(value, str) else ""


def _house(text: Any) -> str:
    return re.sub(r"\s+", "", str(text or "")).upper()


class VlaanderenGeocoder:
    """The address register of Flanders (``/v2/adressen``): the list filtered by postcode,
    house number (with its letter), box number and street, paged by its ``volgende``
    links, then each match's detail for its street, municipality (NIS code) and
    position (GML in Lambert 72, EPSG:31370, turned into WGS84 with pyproj).

    The register holds Flemish addresses (and Brussels' as far as Flanders keeps them);
    ``places`` answers from the imported gazetteer, as the API gives streets no outline.
    """

    def __init__(self, base_url: str, timeout: float) -> None:
        parts = urllib.parse.urlsplit(base_url)
        if parts.scheme not in {"http", "https"}:
            raise ValueError(f"Basisregisters URL must be http(s), not {base_url!r}")
        self.base_url = base_url.rstrip("/")
        self.origin = f"{parts.scheme}://{parts.netloc}"
        self.timeout = timeout

    def url_for(self, query: AddressQuery) -> str:
        params = [
            ("postcode", query.postcode),
            ("huisnummer", f"{query.number}{query.letter}"),
            ("status", "inGebruik"),
            ("limit", str(VLAANDEREN_PAGE_SIZE)),
        ]
        if query.addition:
            params.append(("busnummer", query.addition))
        if query.street:
            params.append(("straatnaam", query.street))
        return f"{self.base_url}/adressen?{urllib.parse.urlencode(params)}"

    def lookup(self, query: AddressQuery) -> GeocodedAddress | None:
        wanted = _normalized(query)
        if wanted is None or not is_belgian_postcode(wanted.postcode):
            return None
        details: list[str] = []
        url: str | None = self.url_for(wanted)
        for _page in range(VLAANDEREN_MAX_PAGES):
            if url is None:
                break
            data = self._fetch(url)
            items = data.get("adressen") if isinstance(data, dict) else None
            if not isinstance(items, list):
                raise GeocoderUnavailable("Basisregisters answer has no adressen list")
            for item in items:
                if not isinstance(item, dict):
                    continue
                same = _house(item.get("huisnummer")) == f"{wanted.number}{wanted.letter}"
                box = normalize_addition(str(item.get("busnummer") or ""))
                if same and box == wanted.addition and isinstance(item.get("detail"), str):
                    details.append(item["detail"])
            url = self._next(data.get("volgende"))
        found = [self._detail(d, wanted) for d in details[:VLAANDEREN_MAX_DETAILS]]
        if wanted.street:
            found = [f for f in found if street_key(f.street) == street_key(wanted.street)]
        return _one(found)

    def places(self, text: str, *, limit: int = 5) -> list[Place]:
        return GazetteerGeocoder().places(text, limit=limit)

    def _next(self, link: Any) -> str | None:
        """The next page, only on the register's own host (never a link elsewhere)."""
        if not isinstance(link, str) or not link:
            return None
        if not link.startswith(self.origin + "/"):
            raise GeocoderUnavailable("Basisregisters' next page is on another host")
        return link

    def _detail(self, url: str, query: AddressQuery) -> GeocodedAddress:
        if not url.startswith(self.origin + "/"):
            raise GeocoderUnavailable("Basisregisters' address detail is on another host")
        data = self._fetch(url)
        if not isinstance(data, dict):
            raise GeocoderUnavailable("Basisregisters address detail is not an object")
        street = _spelling(data.get("straatnaam"), "straatnaam")
        city = _spelling(data.get("gemeente"), "gemeentenaam")
        gemeente = data.get("gemeente")
        nis = str(gemeente.get("objectId") or "").strip() if isinstance(gemeente, dict) else ""
        if not street or not city:
            raise GeocoderUnavailable("Basisregisters address lacks a street or municipality")
        lon, lat = self._position(data.get("adresPositie"))
        return GeocodedAddress(
            street=street,
            number=query.number,
            letter=query.letter,
            addition=query.addition,
            postcode=query.postcode,
            city=city,
            lon=lon,
            lat=lat,
            municipality_code=nis if len(nis) == 5 and nis.isdigit() else "",
        )

    @staticmethod
    def _position(position: Any) -> tuple[float, float]:
        geometry = position.get("geometrie") if isinstance(position, dict) else None
        gml = geometry.get("gml") if isinstance(geometry, dict) else None
        pos = _GML_POS_RE.search(gml) if isinstance(gml, str) else None
        if pos is None:
            raise GeocoderUnavailable("Basisregisters address has no readable position")
        srs = _GML_SRS_RE.search(gml or "")
        epsg = int(srs.group(1)) if srs else 31370
        if epsg not in {31370, 3812, 4326}:
            raise GeocoderUnavailable(f"Basisregisters position in unknown EPSG:{epsg}")
        x, y = float(pos.group(1)), float(pos.group(2))
        lon, lat = (x, y) if epsg == 4326 else _to_wgs84(epsg).transform(x, y)
        if not (2.4 <= lon <= 6.5 and 49.4 <= lat <= 51.6):
            raise GeocoderUnavailable("Basisregisters position is not in Belgium")
        return float(lon), float(lat)

    def _fetch(self, url: str) -> Any:
        return fetch_json(
            url,
            timeout=self.timeout,
            accept="application/ld+json, application/json",
            service="Basisregisters",
        )


class ByCountryGeocoder:
    """Each postcode to its country's geocoder: four digits to Belgium, the rest to the
    Netherlands; places from both."""

    def __init__(self, *, netherlands: Any, belgium: Any) -> None:
        self.netherlands = netherlands
        self.belgium = belgium

    def lookup(self, query: AddressQuery) -> GeocodedAddress | None:
        postcode = normalize_postcode(query.postcode) or ""
        geocoder = self.belgium if is_belgian_postcode(postcode) else self.netherlands
        result: GeocodedAddress | None = geocoder.lookup(query)
        return result

    def places(self, text: str, *, limit: int = 5) -> list[Place]:
        found: list[Place] = self.netherlands.places(text, limit=limit)
        if len(found) < limit:
            seen = {(p.kind, p.name, p.city) for p in found}
            for place in self.belgium.places(text, limit=limit):
                if (place.kind, place.name, place.city) not in seen:
                    found.append(place)
        return found[:limit]
