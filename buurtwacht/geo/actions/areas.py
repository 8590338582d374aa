"""Area import (CBS gemeenten/wijken/buurten, PC4; Statbel's Belgian municipalities and
statistical sectors): versioned, repaired or reported.

Statbel publishes the statistical sectors (``sh_statbel_statistical_sectors_4326_*.geojson``,
WGS84) with the sector's code and names (``CD_SECTOR``, ``TX_SECTOR_DESCR_NL``/``_FR``) and
its municipality's (``CD_MUNTY_REFNIS``, the NIS code, ``TX_MUNTY_DESCR_NL``/``_FR``); the
2024 files spell them in lower case.  A sector is a neighbourhood (buurt) here; the same
file imported as ``kind="gemeente"`` gives the municipalities, its sectors merged by code.

The import runs in one transaction: after an error nothing is half-written.  Problems with
single features never vanish silently; they end up in the returned report.
"""

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import shapely
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from buurtwacht.core import clock
from buurtwacht.geo.models import Area, AreaKind

from .addresses import assign_street_municipalities
from .common import ImportFileError, Writer, chunks, say

# Two normalised outlines closer than this (degrees, about 1 mm) count as the same.
GEOMETRY_TOLERANCE = 1e-8
_WGS84_CRS_NAMES = {
    "urn:ogc:def:crs:OGC:1.3:CRS84",
    "urn:ogc:def:crs:OGC::CRS84",
    "urn:ogc:def:crs:EPSG::4326",
    "EPSG:4326",
}


# --- areas ----------------------------------------------------------------


@dataclass(frozen=True)
class AreaPreset:
    """How to read one known GeoJSON layout."""

    kind: str
    code_field: str
    name_field: str
    parent_field: str = ""
    municipality_field: str = ""
    name_fallbacks: tuple[str, ...] = ()  # when the name field is empty (Statbel: _FR)


def _statbel_presets(case: str) -> tuple[AreaPreset, ...]:
    def f(name: str) -> str:
        return name if case == "upper" else name.lower()

    return (
        AreaPreset(
            kind=AreaKind.BUURT,
            code_field=f("CD_SECTOR"),
            name_field=f("TX_SECTOR_DESCR_NL"),
            parent_field=f("CD_MUNTY_REFNIS"),
            municipality_field=f("CD_MUNTY_REFNIS"),
            name_fallbacks=(f("TX_SECTOR_DESCR_FR"), f("TX_SECTOR_DESCR_DE")),
        ),
        AreaPreset(
            kind=AreaKind.GEMEENTE,
            code_field=f("CD_MUNTY_REFNIS"),
            name_field=f("TX_MUNTY_DESCR_NL"),
            name_fallbacks=(f("TX_MUNTY_DESCR_FR"), f("TX_MUNTY_DESCR_DE")),
        ),
    )


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
    # CBS wijken and gemeenten as PDOK serves them (manage.py download_open_data); after
    # the buurten, whose features carry the wijk and gemeente codes too
    AreaPreset(
        kind=AreaKind.WIJK,
        code_field="wijkcode",
        name_field="wijknaam",
        parent_field="gemeentecode",
        municipality_field="gemeentecode",
    ),
    AreaPreset(kind=AreaKind.GEMEENTE, code_field="gemeentecode", name_field="gemeentenaam"),
    # boundaries/nl_pc4_spatialrisk.geojson
    AreaPreset(kind=AreaKind.PC4, code_field="pc4", name_field="areaname"),
    # CBS postcode-4 areas from PDOK: the code is the name
    AreaPreset(kind=AreaKind.PC4, code_field="postcode", name_field="postcode"),
    # boundaries/nl_gemeenten_2021_spatialrisk.geojson
    AreaPreset(kind=AreaKind.GEMEENTE, code_field="code", name_field="areaname"),
    # Statbel (Belgium): statistical sectors, and the municipalities they make up
    *_statbel_presets("upper"),
    *_statbel_presets("lower"),
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
    say(stdout, f"{path}: {len(features)} features, {len(drafts)} {preset.kind} areas")
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
        for chunk in chunks(to_retire, 500):
            Area.objects.filter(id__in=chunk).update(retired_at=now)
        Area.objects.bulk_create(to_create, batch_size=500)
        if preset.kind == AreaKind.GEMEENTE and (to_create or to_retire):
            assign_street_municipalities()
    say(
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
        name_fallbacks=detected.name_fallbacks if detected else (),
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
            name = next(
                (
                    text
                    for text in (
                        _text(props.get(f)) for f in (preset.name_field, *preset.name_fallbacks)
                    )
                    if text
                ),
                code,
            )
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
