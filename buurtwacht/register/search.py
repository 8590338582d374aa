"""Finding groups from outside (R-REG-1): by postcode (PC6 + house number, or PC4), or by
the name of a place or a street, through the configured geocoder (geo/geocoding.py).

Only listed groups are found (register/policy.py).  A PC6 + house number finds the groups
whose streets include that address, and any whose area holds it; a PC4 finds the groups
whose area overlaps its outline (or, without PC4 outlines, with a street in it); a place or
street finds the groups in the box the geocoder gives for it.
"""

import re
from dataclasses import dataclass, field

import shapely
from django.utils.translation import gettext as _

from buurtwacht.geo.geocoding import (
    AddressQuery,
    AmbiguousAddress,
    GeocodedAddress,
    GeocoderUnavailable,
    Place,
    belgium_served,
    get_geocoder,
    normalize_postcode,
)
from buurtwacht.geo.models import Address, AreaKind
from buurtwacht.geo.selectors import current_area
from buurtwacht.groups.models import GroupStreet

from .index import ListedGroup, register_index

# "9712 KB 24", "9712kb 24c", "9712KB 16D-2", "9712 KB, 24 C"
_PC6_NUMBER = re.compile(
    r"^\s*([1-9][0-9]{3})\s*([A-Za-z]{2})[\s,]*([0-9]{1,5})\s*([A-Za-z]?)\s*(?:[-\s]\s*([A-Za-z0-9]{1,4}))?\s*$"
)
_PC6 = re.compile(r"^\s*[1-9][0-9]{3}\s*[A-Za-z]{2}\s*$")
_PC4 = re.compile(r"^\s*([1-9][0-9]{3})\s*$")
# Belgium (where served): "9000 12", "9000, 12a", "9000 12 bus 3", "9000 12/3"
_BE_NUMBER = re.compile(
    r"^\s*(?:B\s*-\s*)?([1-9][0-9]{3})[\s,]+([0-9]{1,5})\s*([A-Za-z]?)"
    r"\s*(?:(?:bus|bte|boîte|box|/)\s*([A-Za-z0-9]{1,8}))?\s*$",
    re.IGNORECASE,
)
_LOOKS_LIKE_POSTCODE = re.compile(r"^\s*[0-9]")
# "Grote Beerstraat 23", "grote beerstraat 24c", "Poelestraat 16-2": a street and a number.
_STREET_NUMBER = re.compile(
    r"^\s*([^\d,]*[^\d\s,])[\s,]+[0-9]{1,5}\s*[A-Za-z]?(?:\s*-\s*[A-Za-z0-9]{1,4})?\s*$"
)
MAX_TEXT = 100


class SearchError(Exception):
    """Input we cannot search for; the message says what to change (Dutch via gettext)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class SearchResult:
    kind: str  # "address", "pc4", "place"
    label: str  # what was found: "Poelestraat 24C, Groningen", "9712", "Groningen"
    groups: list[ListedGroup]
    bounds: tuple[float, float, float, float] | None  # the box to show on the map
    address: GeocodedAddress | None = None
    places: list[Place] = field(default_factory=list)
    municipality_code: str = ""


def search(text: str) -> SearchResult:
    text = " ".join((text or "").split())
    if not text:
        raise SearchError("empty", _("Enter a postcode and house number, or a place or street."))
    if len(text) > MAX_TEXT:
        raise SearchError("too_long", _("That is too long: enter a postcode or a name."))
    if match := _PC6_NUMBER.match(text):
        return _by_address(match)
    if _PC6.match(text):
        raise SearchError(
            "number_missing",
            _("Add your house number after the postcode, for example 9712 KB 24."),
        )
    if match := _PC4.match(text):
        return _by_pc4(match.group(1))
    if belgium_served() and (match := _BE_NUMBER.match(text)):
        return _by_belgian_address(match)
    if _LOOKS_LIKE_POSTCODE.match(text):
        raise SearchError(
            "invalid_postcode",
            _(
                "Enter a valid Dutch postcode with house number (e.g. 9712 KB 24), "
                "the four digits of a postcode, or the name of a place or street."
            ),
        )
    if match := _STREET_NUMBER.match(text):
        # The groups of a street are the same for every number on it: search the street.
        return _by_name(match.group(1))
    return _by_name(text)


def _by_address(match: re.Match[str]) -> SearchResult:
    postcode = normalize_postcode(match.group(1) + match.group(2))
    if postcode is None:
        raise SearchError(
            "invalid_postcode",
            _("Enter a valid Dutch postcode: four digits and two letters, e.g. 9712 KB."),
        )
    query = AddressQuery(
        postcode=postcode,
        number=int(match.group(3)),
        letter=(match.group(4) or "").upper(),
        addition=(match.group(5) or "").upper(),
    )
    try:
        address = get_geocoder().lookup(query)
        if address is None and not (query.letter or query.addition):
            address = _same_number(query)
    except GeocoderUnavailable as exc:
        raise _unavailable() from exc
    if address is None:
        raise SearchError(
            "address_not_found",
            _(
                "We cannot find this address. Check the postcode and house number, "
                "and the letter or addition if your address has one."
            ),
        )
    label = f"{address.street} {address.house_number_display}, {address.city}"
    return _groups_at([address], label=label)


def _groups_at(addresses: list[GeocodedAddress], *, label: str) -> SearchResult:
    """The listed groups whose streets include one of these addresses, or whose area
    holds it."""
    index = register_index()
    found: dict[int, ListedGroup] = {}
    for address in addresses:
        by_street = set(
            GroupStreet.objects.filter(
                street__name=address.street, street__city=address.city
            ).values_list("group_id", flat=True)
        )
        found.update({g.id: g for g in index.at_point(lon=address.lon, lat=address.lat)})
        found.update({i: index.by_id[i] for i in by_street if i in index.by_id})
    groups = sorted(found.values(), key=lambda g: g.name)
    pad = 0.004
    lons = [a.lon for a in addresses]
    lats = [a.lat for a in addresses]
    return SearchResult(
        kind="address",
        label=label,
        groups=groups,
        bounds=index.bounds_of([g.id for g in groups])
        or (min(lons) - pad, min(lats) - pad, max(lons) + pad, max(lats) + pad),
        address=addresses[0] if len(addresses) == 1 else None,
        municipality_code=addresses[0].municipality_code,
    )


def _by_belgian_address(match: re.Match[str]) -> SearchResult:
    """A Belgian postcode + house number: it may name a number 12 in several streets of
    the town; the groups of each are found."""
    query = AddressQuery(
        postcode=match.group(1),
        number=int(match.group(2)),
        letter=(match.group(3) or "").upper(),
        addition=(match.group(4) or "").upper(),
    )
    try:
        address = get_geocoder().lookup(query)
    except AmbiguousAddress as ambiguous:
        candidates = ambiguous.candidates
        house = candidates[0].house_number_display
        label = f"{house}, {query.postcode} {candidates[0].city} ({', '.join(ambiguous.streets)})"
        return _groups_at(candidates, label=label)
    except GeocoderUnavailable as exc:
        raise _unavailable() from exc
    if address is None:
        raise SearchError(
            "address_not_found",
            _(
                "We cannot find this address. Check the postcode and house number, "
                "and the letter or addition if your address has one."
            ),
        )
    label = f"{address.street} {address.house_number_display}, {address.postcode} {address.city}"
    return _groups_at([address], label=label)


def _same_number(query: AddressQuery) -> GeocodedAddress | None:
    """ "9712 KB 24" when only 24A, 24B, 24C exist: for finding groups one of them will do
    (they are on the same street); asked again with its letter, so the geocoder answers."""
    known = (
        Address.objects.filter(postcode=query.postcode, number=query.number)
        .order_by("letter", "suffix")
        .values_list("letter", "suffix")
        .first()
    )
    if known is None:
        return None
    letter, suffix = known
    return get_geocoder().lookup(
        AddressQuery(postcode=query.postcode, number=query.number, letter=letter, addition=suffix)
    )


def _by_pc4(pc4: str) -> SearchResult:
    """Groups whose area overlaps the PC4 outline; without imported PC4 outlines, groups
    with a street that has an address in that postcode area."""
    index = register_index()
    found: dict[int, ListedGroup] = {}
    bounds = None
    area = current_area(kind=AreaKind.PC4, code=pc4)
    if area is not None:
        outline = shapely.from_geojson(area.geometry)
        if not outline.is_valid:
            outline = shapely.make_valid(outline)
        found = {g.id: g for g in index.meeting(outline)}
        bounds = outline.bounds
    else:
        street_ids = set(
            Address.objects.filter(postcode__gte=pc4, postcode__lt=f"{int(pc4) + 1}")
            .values_list("street_id", flat=True)
            .distinct()
        )
        if not street_ids:
            raise SearchError(
                "pc4_unknown", _("We do not know the postcode area %(pc4)s.") % {"pc4": pc4}
            )
        found = {
            group_id: index.by_id[group_id]
            for group_id in GroupStreet.objects.filter(street_id__in=street_ids).values_list(
                "group_id", flat=True
            )
            if group_id in index.by_id
        }
    groups = sorted(found.values(), key=lambda g: g.name)
    return SearchResult(
        kind="pc4",
        label=pc4,
        groups=groups,
        bounds=index.bounds_of([g.id for g in groups]) or bounds,
    )


def _by_name(text: str) -> SearchResult:
    try:
        places = get_geocoder().places(text)
    except GeocoderUnavailable as exc:
        raise _unavailable() from exc
    if not places:
        raise SearchError(
            "place_not_found",
            _("We cannot find a place or street called “%(text)s”. Check the spelling.")
            % {"text": text},
        )
    place = places[0]
    index = register_index()
    if place.kind == "street":
        ids = set(
            GroupStreet.objects.filter(
                street__name=place.name, street__city=place.city
            ).values_list("group_id", flat=True)
        )
        groups = [index.by_id[i] for i in ids if i in index.by_id]
        groups += [
            g
            for g in index.in_bounds(
                min_lon=place.min_lon,
                min_lat=place.min_lat,
                max_lon=place.max_lon,
                max_lat=place.max_lat,
            )
            if g.id not in ids
        ]
    else:
        groups = index.in_bounds(
            min_lon=place.min_lon,
            min_lat=place.min_lat,
            max_lon=place.max_lon,
            max_lat=place.max_lat,
        )
    groups = sorted(groups, key=lambda g: g.name)
    return SearchResult(
        kind="place",
        label=place.label,
        groups=groups,
        bounds=(place.min_lon, place.min_lat, place.max_lon, place.max_lat),
        places=places,
        municipality_code=place.municipality_code,
    )


def _unavailable() -> SearchError:
    return SearchError(
        "geocoder_unavailable",
        _("The address service cannot be reached right now. Please try again in a few minutes."),
    )
