"""Address import (BAG-style CSV, or Belgium's BeST address CSV as BOSA publishes it) and
the streets it creates.

The BeST CSV (``openaddress-be{vlg,bru,wal}.csv``) is recognised by its header
(``EPSG:4326_lat``, ``house_number``, ``box_number``, ``streetname_nl``, ...): rows whose
``status`` is not ``current`` are skipped, the street is its Dutch name (else French,
else German), the town its municipality's name, the box number the suffix, and the
municipality its NIS code (``municipality_id``).

The import runs in one transaction: after an error nothing is half-written.  Bad rows never
vanish silently; they end up in the returned report with their line number.
"""

import csv
import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Min
from django.utils.translation import gettext as _

from buurtwacht.geo.geocoding import (
    normalize_addition,
    normalize_letter,
    normalize_postcode,
    street_key,
)
from buurtwacht.geo.models import Address, AreaKind, Street

from .common import ImportFileError, Writer, chunks, say

ADDRESS_BATCH_SIZE = 2000
# Generous box around the European Netherlands; catches swapped lon/lat and RD metres.
NL_LON_RANGE = (3.0, 7.6)
NL_LAT_RANGE = (50.6, 53.8)
ADDRESS_COLUMNS = ("street", "number", "letter", "suffix", "postal_code", "city", "lon", "lat")
# Belgium (a generous box, as above)
BE_LON_RANGE = (2.4, 6.5)
BE_LAT_RANGE = (49.4, 51.6)
BEST_COLUMNS = (
    "EPSG:4326_lat",
    "EPSG:4326_lon",
    "house_number",
    "box_number",
    "postcode",
    "municipality_id",
    "status",
)
_BEST_NAMES = {
    "street": ("streetname_nl", "streetname_fr", "streetname_de"),
    "city": ("municipality_name_nl", "municipality_name_fr", "municipality_name_de"),
}
_BE_HOUSE_NUMBER_RE = re.compile(r"^([0-9]{1,5})\s*([A-Za-z]?)$")
_BOX_RE = re.compile(r"^[A-Z0-9]{1,8}$")


# --- addresses ------------------------------------------------------------


@dataclass(frozen=True)
class RejectedRow:
    line: int  # physical line in the CSV file, the header is line 1
    reason: str


@dataclass(frozen=True)
class DuplicateRow:
    line: int
    first_line: int  # the earlier line with the same postcode + house number; that one is kept


@dataclass
class AddressImportReport:
    rows: int = 0
    created: int = 0
    updated: int = 0  # street or coordinates changed
    unchanged: int = 0
    streets_created: int = 0
    streets_without_municipality: int = 0
    rejected: list[RejectedRow] = field(default_factory=list)
    duplicates: list[DuplicateRow] = field(default_factory=list)

    @property
    def imported(self) -> int:
        """Distinct good addresses in the file."""
        return self.created + self.updated + self.unchanged


@dataclass(frozen=True)
class _AddressRow:
    line: int
    street: str
    city: str
    number: int
    letter: str
    suffix: str
    postcode: str
    lon: float
    lat: float
    street_key: str = ""  # Belgian addresses (models.Address)
    municipality_code: str = ""  # when the file says it (BeST: the NIS code)

    @property
    def key(self) -> tuple[str, int, str, str, str]:
        return (self.postcode, self.number, self.letter, self.suffix, self.street_key)


_SPACES_RE = re.compile(r"\s+")
_SUFFIX_RE = re.compile(r"^[A-Z0-9]{1,4}$")


def import_addresses(*, path: Path | str, stdout: Writer | None = None) -> AddressImportReport:
    """Import BAG-like address rows; idempotent (re-running refreshes, never duplicates)."""
    report = AddressImportReport()
    rows: dict[tuple[str, int, str, str, str], _AddressRow] = {}
    for row in _read_address_rows(Path(path), report):
        earlier = rows.get(row.key)
        if earlier is not None:
            report.duplicates.append(DuplicateRow(line=row.line, first_line=earlier.line))
            continue
        rows[row.key] = row
    say(
        stdout,
        f"{path}: {report.rows} rows, {len(rows)} addresses, "
        f"{len(report.rejected)} rejected, {len(report.duplicates)} duplicates",
    )

    with transaction.atomic():
        street_ids = _ensure_streets(rows=rows.values(), report=report)
        stored = _stored_addresses(postcodes={row.postcode for row in rows.values()})
        addresses: list[Address] = []
        for key, row in rows.items():
            street_id = street_ids[(row.street, row.city)]
            known = stored.get(key)
            if known == (street_id, row.lon, row.lat):
                report.unchanged += 1
                continue
            if known is None:
                report.created += 1
            else:
                report.updated += 1
            addresses.append(
                Address(
                    street_id=street_id,
                    number=row.number,
                    letter=row.letter,
                    suffix=row.suffix,
                    postcode=row.postcode,
                    street_key=row.street_key,
                    lon=row.lon,
                    lat=row.lat,
                )
            )
        # update_conflicts: a row another import added meanwhile is refreshed, not doubled.
        Address.objects.bulk_create(
            addresses,
            batch_size=ADDRESS_BATCH_SIZE,
            update_conflicts=True,
            unique_fields=["postcode", "number", "letter", "suffix", "street_key"],
            update_fields=["street", "lon", "lat"],
        )
        _set_known_municipalities(rows=rows.values(), street_ids=street_ids)
        report.streets_without_municipality = assign_street_municipalities(
            street_ids=set(street_ids.values())
        )
    say(
        stdout,
        f"addresses: {report.created} new, {report.updated} updated, "
        f"{report.unchanged} unchanged, "
        f"streets: {len(street_ids)} ({report.streets_created} new)",
    )
    return report


def _set_known_municipalities(
    *, rows: Iterable[_AddressRow], street_ids: dict[tuple[str, str], int]
) -> None:
    """Streets of a file that names the municipality (BeST) get it; gemeente areas, when
    imported, still decide (assign_street_municipalities)."""
    by_code: dict[str, set[int]] = {}
    for row in rows:
        if row.municipality_code:
            by_code.setdefault(row.municipality_code, set()).add(street_ids[(row.street, row.city)])
    for code, ids in by_code.items():
        for chunk in chunks(sorted(ids), 500):
            Street.objects.filter(id__in=chunk).exclude(municipality_code=code).update(
                municipality_code=code
            )


def _stored_addresses(
    *, postcodes: set[str]
) -> dict[tuple[str, int, str, str, str], tuple[int, float, float]]:
    stored: dict[tuple[str, int, str, str, str], tuple[int, float, float]] = {}
    for chunk in chunks(sorted(postcodes), 500):
        for postcode, number, letter, suffix, key, street_id, lon, lat in Address.objects.filter(
            postcode__in=chunk
        ).values_list(
            "postcode", "number", "letter", "suffix", "street_key", "street_id", "lon", "lat"
        ):
            stored[(postcode, number, letter, suffix, key)] = (street_id, lon, lat)
    return stored


def _read_address_rows(path: Path, report: AddressImportReport) -> Iterator[_AddressRow]:
    if not path.is_file():
        raise ImportFileError(_("File not found: %(path)s") % {"path": path})
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            header = [name.strip() for name in reader.fieldnames or []]
            best = all(column in header for column in BEST_COLUMNS)
            missing = [column for column in ADDRESS_COLUMNS if column not in header]
            if missing and not best:
                raise ImportFileError(
                    _("%(path)s is not an address CSV: missing columns %(columns)s")
                    % {"path": path, "columns": ", ".join(missing)}
                )
            reader.fieldnames = header
            for raw in reader:
                if best and (raw.get("status") or "").strip() != "current":
                    continue  # retired or proposed addresses: not where anyone lives now
                report.rows += 1
                parse = _parse_best_row if best else _parse_address_row
                row, problem = parse(raw, line=reader.line_num)
                if row is None:
                    report.rejected.append(RejectedRow(line=reader.line_num, reason=problem))
                else:
                    yield row
    except (UnicodeDecodeError, csv.Error) as exc:
        raise ImportFileError(
            _("%(path)s is not a readable UTF-8 CSV file: %(error)s") % {"path": path, "error": exc}
        ) from exc


def _parse_address_row(raw: dict[str, Any], *, line: int) -> tuple[_AddressRow | None, str]:
    if None in raw:
        return None, "more fields than columns"
    values = {key: (raw.get(key) or "").strip() for key in ADDRESS_COLUMNS}
    street = _SPACES_RE.sub(" ", values["street"])
    city = _SPACES_RE.sub(" ", values["city"])
    if not street:
        return None, "street is empty"
    if not city:
        return None, "city is empty"
    if len(street) > 200 or len(city) > 200:
        return None, "street or city is longer than 200 characters"
    number_text = values["number"]
    if not number_text.isascii() or not number_text.isdigit() or not 0 < int(number_text) < 100000:
        return None, f"house number {number_text!r} is not a whole number from 1 to 99999"
    letter = normalize_letter(values["letter"])
    if len(letter) > 1 or (letter and not ("A" <= letter <= "Z")):
        return None, f"house letter {values['letter']!r} is not a single letter"
    suffix = normalize_addition(values["suffix"])
    if suffix and not _SUFFIX_RE.match(suffix):
        return None, f"addition {values['suffix']!r} is not up to 4 letters or digits"
    postcode = normalize_postcode(values["postal_code"])
    if postcode is None:
        return None, f"postcode {values['postal_code']!r} is not a Dutch postcode"
    try:
        lon, lat = float(values["lon"]), float(values["lat"])
    except ValueError:
        return None, f"lon/lat {values['lon']!r}/{values['lat']!r} are not numbers"
    if not (math.isfinite(lon) and math.isfinite(lat)):
        return None, "lon/lat are not finite numbers"
    if not (
        NL_LON_RANGE[0] <= lon <= NL_LON_RANGE[1] and NL_LAT_RANGE[0] <= lat <= NL_LAT_RANGE[1]
    ):
        return None, f"lon/lat {lon}/{lat} out of range (not WGS84 in the Netherlands)"
    return (
        _AddressRow(
            line=line,
            street=street,
            city=city,
            number=int(number_text),
            letter=letter,
            suffix=suffix,
            postcode=postcode,
            lon=lon,
            lat=lat,
        ),
        "",
    )


def _first(raw: dict[str, Any], names: tuple[str, ...]) -> str:
    for name in names:
        value = _SPACES_RE.sub(" ", (raw.get(name) or "").strip())
        if value:
            return value
    return ""


def _parse_best_row(raw: dict[str, Any], *, line: int) -> tuple[_AddressRow | None, str]:
    """A row of BOSA's BeST address CSV."""
    if None in raw:
        return None, "more fields than columns"
    street = _first(raw, _BEST_NAMES["street"])
    city = _first(raw, _BEST_NAMES["city"])
    if not street or not city:
        return None, "street or municipality name is empty"
    if len(street) > 200 or len(city) > 200:
        return None, "street or city is longer than 200 characters"
    house = (raw.get("house_number") or "").strip()
    match = _BE_HOUSE_NUMBER_RE.match(house)
    if not match or not 0 < int(match.group(1)) < 100000:
        return None, f"house number {house!r} is not a number with at most one letter"
    box = normalize_addition((raw.get("box_number") or "").replace(".", ""))
    if box and not _BOX_RE.match(box):
        return None, f"box number {raw.get('box_number')!r} is not up to 8 letters or digits"
    postcode = (raw.get("postcode") or "").strip()
    if not (len(postcode) == 4 and postcode.isdigit() and postcode[0] != "0"):
        return None, f"postcode {postcode!r} is not a Belgian postcode"
    municipality = (raw.get("municipality_id") or "").strip()
    if municipality.endswith(".0"):
        municipality = municipality[:-2]
    if not (len(municipality) == 5 and municipality.isdigit()):
        return None, f"municipality_id {municipality!r} is not a NIS code"
    try:
        lon, lat = float(raw.get("EPSG:4326_lon") or ""), float(raw.get("EPSG:4326_lat") or "")
    except ValueError:
        return None, "EPSG:4326_lon/lat are not numbers"
    if not (math.isfinite(lon) and math.isfinite(lat)):
        return None, "lon/lat are not finite numbers"
    if not (
        BE_LON_RANGE[0] <= lon <= BE_LON_RANGE[1] and BE_LAT_RANGE[0] <= lat <= BE_LAT_RANGE[1]
    ):
        return None, f"lon/lat {lon}/{lat} out of range (not WGS84 in Belgium)"
    return (
        _AddressRow(
            line=line,
            street=street,
            city=city,
            number=int(match.group(1)),
            letter=match.group(2).upper(),
            suffix=box,
            postcode=postcode,
            lon=lon,
            lat=lat,
            street_key=street_key(street),
            municipality_code=municipality,
        ),
        "",
    )


def _ensure_streets(
    *, rows: Iterable[_AddressRow], report: AddressImportReport
) -> dict[tuple[str, str], int]:
    wanted = {(row.street, row.city) for row in rows}
    by_city: dict[str, set[str]] = {}
    for name, city in wanted:
        by_city.setdefault(city, set()).add(name)

    def existing() -> dict[tuple[str, str], int]:
        found: dict[tuple[str, str], int] = {}
        for city, names in by_city.items():
            for chunk in chunks(sorted(names), 500):
                for street_id, name in Street.objects.filter(city=city, name__in=chunk).values_list(
                    "id", "name"
                ):
                    found[(name, city)] = street_id
        return found

    found = existing()
    new = [Street(name=name, city=city) for name, city in sorted(wanted - found.keys())]
    if new:
        Street.objects.bulk_create(new, batch_size=500, ignore_conflicts=True)
        found = existing()
        report.streets_created = len(new)
    return found


def assign_street_municipalities(*, street_ids: set[int] | None = None) -> int:
    """Set each street's municipality from the current gemeente areas, at the point of its
    first address.  Does nothing when no gemeenten are imported.  Returns how many of the
    streets lie in no gemeente (they keep the code they had)."""
    from buurtwacht.geo.index import area_index

    index = area_index()
    if not index.has_kind(AreaKind.GEMEENTE):
        return 0
    first_ids = Address.objects.values("street_id").annotate(first=Min("id")).values("first")
    if street_ids is not None:
        first_ids = first_ids.filter(street_id__in=street_ids)
    points = {
        street_id: (lon, lat)
        for street_id, lon, lat in Address.objects.filter(id__in=first_ids).values_list(
            "street_id", "lon", "lat"
        )
    }
    streets = (
        Street.objects.all() if street_ids is None else Street.objects.filter(id__in=street_ids)
    )
    changed: list[Street] = []
    outside = 0
    for street in streets.only("id", "municipality_code"):
        point = points.get(street.id)
        if point is None:
            continue
        hits = index.areas_at(point[0], point[1], kind=AreaKind.GEMEENTE)
        if not hits:
            outside += 1
            continue
        if street.municipality_code != hits[0].code:
            street.municipality_code = hits[0].code
            changed.append(street)
    Street.objects.bulk_update(changed, ["municipality_code"], batch_size=500)
    return outside
