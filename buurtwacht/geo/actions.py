"""The only writers of the geo app: area and address imports.

Both imports run in one transaction: after an error nothing is half-written.  Problems
with single features or rows never vanish silently; they end up in the returned report.
"""

import csv
import datetime as dt
import json
import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import shapely
from django.db import transaction
from django.db.models import Max, Min
from django.utils.translation import gettext as _

from buurtwacht.core import clock
from buurtwacht.core.errors import ActionError
from buurtwacht.geo.geocoding import normalize_addition, normalize_letter, normalize_postcode
from buurtwacht.geo.models import Address, Area, AreaKind, Street

# Two normalised outlines closer than this (degrees, about 1 mm) count as the same.
GEOMETRY_TOLERANCE = 1e-8
ADDRESS_BATCH_SIZE = 2000
# Generous box around the European Netherlands; catches swapped lon/lat and RD metres.
NL_LON_RANGE = (3.0, 7.6)
NL_LAT_RANGE = (50.6, 53.8)
ADDRESS_COLUMNS = ("street", "number", "letter", "suffix", "postal_code", "city", "lon", "lat")
_WGS84_CRS_NAMES = {
    "urn:ogc:def:crs:OGC:1.3:CRS84",
    "urn:ogc:def:crs:OGC::CRS84",
    "urn:ogc:def:crs:EPSG::4326",
    "EPSG:4326",
}


class Writer(Protocol):
    """Where progress lines go: a text file, ``sys.stdout`` or a command's ``self.stdout``."""

    def write(self, msg: str, /) -> Any: ...


class ImportFileError(ActionError):
    """The file as a whole cannot be imported (missing, wrong format); nothing was written."""

    def __init__(self, message: str) -> None:
        super().__init__("import_file", message)


# --- areas ----------------------------------------------------------------


@dataclass(frozen=True)
class AreaPreset:
    """How to read one known GeoJSON layout."""

    kind: str
    code_field: str
    name_field: str
    parent_field: str = ""
    municipality_field: str = ""


# Recognised by their property names, so a renamed or edited copy is recognised too.
AREA_PRESETS: tuple[AreaPreset, ...] = (
    # boundaries/amsterdam_buurten_2022.geojson
    AreaPreset(
        kind=AreaKind.BUURT,
        code_field="buurtcode",
        name_field="buurtnaam",
        parent_field="wijkcode",
        municipality_field="gemeentecode",
    ),
    # boundaries/nl_pc4_spatialrisk.geojson
    AreaPreset(kind=AreaKind.PC4, code_field="pc4", name_field="areaname"),
    # boundaries/nl_gemeenten_2021_spatialrisk.geojson
    AreaPreset(kind=AreaKind.GEMEENTE, code_field="code", name_field="areaname"),
)


@dataclass(frozen=True)
class RepairedFeature:
    index: int  # position of the feature in the file, from 0
    code: str
    reason: str  # what GEOS found wrong


@dataclass(frozen=True)
class RejectedFeature:
    index: int
    code: str
    reason: str


@dataclass
class AreaImportReport:
    kind: str
    source: str
    features: int = 0
    created: int = 0
    new_versions: int = 0
    unchanged: int = 0
    retired: int = 0
    merged: int = 0  # features folded into another feature with the same code
    repaired: list[RepairedFeature] = field(default_factory=list)
    rejected: list[RejectedFeature] = field(default_factory=list)

    @property
    def current(self) -> int:
        return self.created + self.new_versions + self.unchanged


@dataclass
class _AreaDraft:
    code: str
    name: str
    parent_code: str
    municipality_code: str
    parts: list[shapely.Geometry]
    repaired: bool = False
    geometry: shapely.Geometry | None = None
    geojson: str = ""


def import_areas(
    *,
    path: Path | str,
    kind: str | None = None,
    code_field: str | None = None,
    name_field: str | None = None,
    parent_field: str | None = None,
    source: str = "",
    retire_missing: bool = False,
    stdout: Writer | None = None,
) -> AreaImportReport:
    """Import a GeoJSON FeatureCollection (WGS84) of areas of one kind, versioning changes."""
    features = _read_feature_collection(Path(path))
    preset = _resolve_preset(
        features=features,
        kind=kind,
        code_field=code_field,
        name_field=name_field,
        parent_field=parent_field,
    )
    report = AreaImportReport(kind=preset.kind, source=source, features=len(features))
    drafts = _area_drafts(features=features, preset=preset, report=report)
    _say(stdout, f"{path}: {len(features)} features, {len(drafts)} {preset.kind} areas")
    if retire_missing and not drafts:
        raise ImportFileError(
            _("%(path)s has no usable areas; refusing to retire all current ones") % {"path": path}
        )

    now = clock.now()
    with transaction.atomic():
        current = {
            area.code: area
            for area in Area.objects.filter(kind=preset.kind, retired_at__isnull=True)
        }
        latest_version = dict(
            Area.objects.filter(kind=preset.kind)
            .values("code")
            .annotate(latest=Max("version"))
            .values_list("code", "latest")
        )
        to_retire: list[int] = []
        to_create: list[Area] = []
        for draft in drafts.values():
            existing = current.get(draft.code)
            if existing is not None and _same_area(existing, draft):
                report.unchanged += 1
                continue
            if existing is not None:
                to_retire.append(existing.id)
                report.new_versions += 1
            else:
                report.created += 1
            version = latest_version.get(draft.code, 0) + 1
            to_create.append(
                _new_area(draft=draft, kind=preset.kind, version=version, source=source, now=now)
            )
        if retire_missing:
            missing = [
                area.id
                for code, area in current.items()
                if code not in drafts and area.source == source
            ]
            to_retire.extend(missing)
            report.retired += len(missing)
        # Retire first: only one current version per (kind, code) may exist.
        for chunk in _chunks(to_retire, 500):
            Area.objects.filter(id__in=chunk).update(retired_at=now)
        Area.objects.bulk_create(to_create, batch_size=500)
        if preset.kind == AreaKind.GEMEENTE and (to_create or to_retire):
            assign_street_municipalities()
    _say(
        stdout,
        f"created {report.created}, new versions {report.new_versions}, "
        f"unchanged {report.unchanged}, retired {report.retired}, "
        f"repaired {len(report.repaired)}, rejected {len(report.rejected)}",
    )
    return report


def _read_feature_collection(path: Path) -> list[dict[str, Any]]:
    if not path.is_file():
        raise ImportFileError(_("File not found: %(path)s") % {"path": path})
    try:
        with path.open(encoding="utf-8") as fh:
            data = json.load(fh)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ImportFileError(
            _("%(path)s is not a UTF-8 JSON file: %(error)s") % {"path": path, "error": exc}
        ) from exc
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise ImportFileError(_("%(path)s is not a GeoJSON FeatureCollection") % {"path": path})
    features = data.get("features")
    if not isinstance(features, list):
        raise ImportFileError(_("%(path)s has no list of features") % {"path": path})
    crs = data.get("crs")
    if isinstance(crs, dict):
        crs_name = str((crs.get("properties") or {}).get("name", ""))
        if crs_name and crs_name not in _WGS84_CRS_NAMES:
            raise ImportFileError(
                _("%(path)s uses coordinate system %(crs)s; only WGS84 (lon/lat) is supported")
                % {"path": path, "crs": crs_name}
            )
    return features


def _resolve_preset(
    *,
    features: list[dict[str, Any]],
    kind: str | None,
    code_field: str | None,
    name_field: str | None,
    parent_field: str | None,
) -> AreaPreset:
    if kind is not None and kind not in AreaKind.values:
        raise ImportFileError(
            _("Unknown area kind %(kind)s; choose one of %(kinds)s")
            % {"kind": kind, "kinds": ", ".join(AreaKind.values)}
        )
    keys: set[str] = set()
    for feature in features[:50]:
        if isinstance(feature, dict) and isinstance(feature.get("properties"), dict):
            keys.update(feature["properties"])
    detected = next(
        (
            preset
            for preset in AREA_PRESETS
            if (kind is None or preset.kind == kind)
            and {preset.code_field, preset.name_field} <= keys
        ),
        None,
    )
    if detected is None and kind is not None:
        # The known layout of that kind; features without its fields end up in `rejected`.
        detected = next((preset for preset in AREA_PRESETS if preset.kind == kind), None)
    resolved_kind = kind or (detected.kind if detected else None)
    resolved_code = code_field or (detected.code_field if detected else None)
    resolved_name = name_field or (detected.name_field if detected else None)
    if not (resolved_kind and resolved_code and resolved_name):
        raise ImportFileError(
            _(
                "Cannot tell which kind of areas this is (properties: %(keys)s); "
                "give kind, code field and name field"
            )
            % {"keys": ", ".join(sorted(keys)) or "-"}
        )
    if parent_field is not None:
        resolved_parent = parent_field
    else:
        resolved_parent = detected.parent_field if detected else ""
    municipality_field = detected.municipality_field if detected else ""
    if not municipality_field and "gemeentecode" in keys:
        municipality_field = "gemeentecode"
    return AreaPreset(
        kind=resolved_kind,
        code_field=resolved_code,
        name_field=resolved_name,
        parent_field=resolved_parent,
        municipality_field=municipality_field,
    )


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _area_drafts(
    *, features: list[dict[str, Any]], preset: AreaPreset, report: AreaImportReport
) -> dict[str, _AreaDraft]:
    drafts: dict[str, _AreaDraft] = {}
    for index, feature in enumerate(features):
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            report.rejected.append(RejectedFeature(index, "", "not a GeoJSON Feature"))
            continue
        props = feature.get("properties") or {}
        code = _text(props.get(preset.code_field))
        if not code:
            report.rejected.append(
                RejectedFeature(index, "", f"missing code (property {preset.code_field!r})")
            )
            continue
        too_long = _too_long(
            code=code,
            parent=_text(props.get(preset.parent_field)) if preset.parent_field else "",
            municipality=_text(props.get(preset.municipality_field))
            if preset.municipality_field
            else "",
        )
        if too_long:
            report.rejected.append(RejectedFeature(index, code[:32], too_long))
            continue
        geometry, problem, repair_reason = _polygonal_geometry(feature.get("geometry"))
        if geometry is None:
            report.rejected.append(RejectedFeature(index, code, problem))
            continue
        if repair_reason:
            report.repaired.append(RepairedFeature(index, code, repair_reason))
        draft = drafts.get(code)
        if draft is None:
            name = _text(props.get(preset.name_field)) or code
            municipality = code if preset.kind == AreaKind.GEMEENTE else ""
            if preset.municipality_field:
                municipality = _text(props.get(preset.municipality_field)) or municipality
            drafts[code] = _AreaDraft(
                code=code,
                name=name,
                parent_code=_text(props.get(preset.parent_field)) if preset.parent_field else "",
                municipality_code=municipality,
                parts=[geometry],
                repaired=bool(repair_reason),
            )
        else:
            draft.parts.append(geometry)
            draft.repaired = draft.repaired or bool(repair_reason)
            report.merged += 1
    for draft in drafts.values():
        merged = draft.parts[0] if len(draft.parts) == 1 else shapely.unary_union(draft.parts)
        merged = shapely.normalize(_polygonal_part(merged))
        draft.geometry = merged
        draft.geojson = shapely.to_geojson(merged)
    return drafts


def _too_long(*, code: str, parent: str, municipality: str) -> str:
    limits = (
        ("code", code, 32),
        ("parent code", parent, 32),
        ("municipality code", municipality, 16),
    )
    for label, value, limit in limits:
        if len(value) > limit:
            return f"{label} {value[:40]!r} is longer than {limit} characters"
    return ""


def _polygonal_geometry(raw: Any) -> tuple[shapely.Geometry | None, str, str]:
    """(geometry, rejection reason, repair reason): a valid (Multi)Polygon or a reason."""
    if not isinstance(raw, dict) or not raw.get("type"):
        return None, "missing geometry", ""
    try:
        geometry = shapely.from_geojson(json.dumps(raw))
    except (shapely.errors.GEOSException, ValueError, TypeError) as exc:
        return None, f"unreadable geometry: {exc}", ""
    if geometry is None or geometry.is_empty:
        return None, "empty geometry", ""
    if geometry.geom_type not in {"Polygon", "MultiPolygon", "GeometryCollection"}:
        return None, f"not a polygon but a {geometry.geom_type}", ""
    min_lon, min_lat, max_lon, max_lat = geometry.bounds
    if not (-180 <= min_lon <= max_lon <= 180 and -90 <= min_lat <= max_lat <= 90):
        return None, "coordinates are not WGS84 lon/lat", ""
    repair_reason = ""
    if not geometry.is_valid:
        repair_reason = shapely.is_valid_reason(geometry)
        geometry = shapely.make_valid(geometry)
    geometry = _polygonal_part(geometry)
    if geometry.is_empty or geometry.area == 0:
        reason = "no polygonal part left after repair" if repair_reason else "no polygonal part"
        return None, f"{reason} ({repair_reason})" if repair_reason else reason, ""
    return geometry, "", repair_reason


def _polygonal_part(geometry: shapely.Geometry) -> shapely.Geometry:
    if geometry.geom_type in {"Polygon", "MultiPolygon"}:
        return geometry
    if geometry.geom_type == "GeometryCollection":
        polygons = [
            part
            for part in shapely.get_parts(geometry)
            if part.geom_type in {"Polygon", "MultiPolygon"} and not part.is_empty
        ]
        if not polygons:
            return shapely.MultiPolygon()
        return polygons[0] if len(polygons) == 1 else shapely.unary_union(polygons)
    return shapely.MultiPolygon()


def _same_area(area: Area, draft: _AreaDraft) -> bool:
    if (area.name, area.parent_code, area.municipality_code) != (
        draft.name,
        draft.parent_code,
        draft.municipality_code,
    ):
        return False
    if area.geometry == draft.geojson:
        return True
    stored = shapely.normalize(shapely.from_geojson(area.geometry))
    return bool(shapely.equals_exact(stored, draft.geometry, tolerance=GEOMETRY_TOLERANCE))


def _new_area(*, draft: _AreaDraft, kind: str, version: int, source: str, now: dt.datetime) -> Area:
    if draft.geometry is None:
        raise RuntimeError(f"area {draft.code} has no merged geometry")
    min_lon, min_lat, max_lon, max_lat = draft.geometry.bounds
    return Area(
        kind=kind,
        code=draft.code,
        name=draft.name[:200],
        parent_code=draft.parent_code,
        municipality_code=draft.municipality_code,
        version=version,
        source=source,
        geometry=draft.geojson,
        repaired=draft.repaired,
        min_lon=min_lon,
        min_lat=min_lat,
        max_lon=max_lon,
        max_lat=max_lat,
        imported_at=now,
    )


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

    @property
    def key(self) -> tuple[str, int, str, str]:
        return (self.postcode, self.number, self.letter, self.suffix)


_SPACES_RE = re.compile(r"\s+")
_SUFFIX_RE = re.compile(r"^[A-Z0-9]{1,4}$")


def import_addresses(*, path: Path | str, stdout: Writer | None = None) -> AddressImportReport:
    """Import BAG-like address rows; idempotent (re-running refreshes, never duplicates)."""
    report = AddressImportReport()
    rows: dict[tuple[str, int, str, str], _AddressRow] = {}
    for row in _read_address_rows(Path(path), report):
        earlier = rows.get(row.key)
        if earlier is not None:
            report.duplicates.append(DuplicateRow(line=row.line, first_line=earlier.line))
            continue
        rows[row.key] = row
    _say(
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
                    lon=row.lon,
                    lat=row.lat,
                )
            )
        # update_conflicts: a row another import added meanwhile is refreshed, not doubled.
        Address.objects.bulk_create(
            addresses,
            batch_size=ADDRESS_BATCH_SIZE,
            update_conflicts=True,
            unique_fields=["postcode", "number", "letter", "suffix"],
            update_fields=["street", "lon", "lat"],
        )
        report.streets_without_municipality = assign_street_municipalities(
            street_ids=set(street_ids.values())
        )
    _say(
        stdout,
        f"addresses: {report.created} new, {report.updated} updated, "
        f"{report.unchanged} unchanged, "
        f"streets: {len(street_ids)} ({report.streets_created} new)",
    )
    return report


def _stored_addresses(
    *, postcodes: set[str]
) -> dict[tuple[str, int, str, str], tuple[int, float, float]]:
    stored: dict[tuple[str, int, str, str], tuple[int, float, float]] = {}
    for chunk in _chunks(sorted(postcodes), 500):
        for postcode, number, letter, suffix, street_id, lon, lat in Address.objects.filter(
            postcode__in=chunk
        ).values_list("postcode", "number", "letter", "suffix", "street_id", "lon", "lat"):
            stored[(postcode, number, letter, suffix)] = (street_id, lon, lat)
    return stored


def _read_address_rows(path: Path, report: AddressImportReport) -> Iterator[_AddressRow]:
    if not path.is_file():
        raise ImportFileError(_("File not found: %(path)s") % {"path": path})
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            header = [name.strip() for name in reader.fieldnames or []]
            missing = [column for column in ADDRESS_COLUMNS if column not in header]
            if missing:
                raise ImportFileError(
                    _("%(path)s is not an address CSV: missing columns %(columns)s")
                    % {"path": path, "columns": ", ".join(missing)}
                )
            reader.fieldnames = header
            for raw in reader:
                report.rows += 1
                row, problem = _parse_address_row(raw, line=reader.line_num)
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
            for chunk in _chunks(sorted(names), 500):
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


# --- helpers --------------------------------------------------------------


def _chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _say(stdout: Writer | None, message: str) -> None:
    if stdout is not None:
        stdout.write(message + "\n")
