"""The public register in memory: every listed group's outline, simplified per zoom band.

One ``RegisterIndex`` per process holds, for each listed group, its bounding box, a centre
point and its outline simplified for three zoom bands, already written out as GeoJSON
features, so a map viewport is a few numpy comparisons and a string join.  The index is
rebuilt when groups or memberships changed (``register_index()`` compares a key of four
aggregates on every call); simplified shapes are kept across rebuilds per (group, outline),
so a rebuild after someone joined a group re-reads rows but simplifies nothing.

The key is read at most every ``REGISTER_REFRESH_SECONDS`` (default 2 s) per process.

Zoom bands (Web Mercator zoom levels, tolerance in degrees): up to 12 coarse (~50 m),
13 to 14 medium (~15 m), 15 and up fine (~3 m).  A viewport with more groups than
``outline_limit(zoom)`` gets clusters (grid cells of about 64 screen pixels) instead of
outlines, so no answer grows with the number of groups in the country.
"""

import hashlib
import json
import logging
import math
import threading
import time
from dataclasses import dataclass

import numpy as np
import shapely
from django.conf import settings
from django.db import connection
from django.db.models import Count, Q
from django.urls import reverse

from buurtwacht.geo.models import Area, AreaKind
from buurtwacht.groups.models import Group, Membership, MembershipRole, MembershipStatus

from . import policy

# (highest zoom of the band, simplification tolerance in degrees)
BANDS: tuple[tuple[int, float], ...] = ((12, 0.0006), (14, 0.00015), (99, 0.00003))
DECIMALS = 5  # ~1 m
CLUSTER_CELL_PIXELS = 64
MAX_CELLS_ACROSS = 24
OVERLAP_SHARE = 0.01  # of the smaller area: less is a shared border, not an overlap


def band_for(zoom: int) -> int:
    for position, (top, _tolerance) in enumerate(BANDS):
        if zoom <= top:
            return position
    return len(BANDS) - 1


def outline_limit(zoom: int) -> int:
    """More groups than this in a viewport: clusters instead of outlines."""
    return 80 if zoom <= 10 else 400


@dataclass(frozen=True)
class _Shape:
    bbox: tuple[float, float, float, float]
    centre: tuple[float, float]
    geometry: shapely.Geometry
    bands: tuple[str, ...]  # GeoJSON geometry per band


@dataclass(frozen=True)
class ListedGroup:
    id: int
    name: str
    municipality_code: str
    municipality_name: str
    size: str  # e.g. '10-25' (policy.size_code)
    active_members: int
    url: str


@dataclass(frozen=True)
class Viewport:
    """What a map shows in one box at one zoom: outlines, or clusters."""

    clustered: bool
    features: list[str]  # GeoJSON Feature texts
    count: int  # groups in the box


class RegisterIndex:
    def __init__(
        self, *, groups: list[ListedGroup], shapes: dict[int, _Shape], version: str
    ) -> None:
        self.version = version
        self.groups = groups
        self.by_id = {group.id: group for group in groups}
        mapped = [group for group in groups if group.id in shapes]
        self._mapped = mapped
        self._position = {group.id: position for position, group in enumerate(mapped)}
        self._shapes = [shapes[group.id] for group in mapped]
        boxes = np.array([shape.bbox for shape in self._shapes], dtype=float).reshape(-1, 4)
        self._min_lon, self._min_lat, self._max_lon, self._max_lat = boxes.T
        centres = np.array([shape.centre for shape in self._shapes], dtype=float).reshape(-1, 2)
        self._cx, self._cy = centres.T
        self._municipality = np.array([group.municipality_code for group in mapped], dtype=object)
        features = [
            _features_of(group, shape) for group, shape in zip(mapped, self._shapes, strict=True)
        ]
        self._features = [bands for bands, _point in features]
        self._points = [point for _bands, point in features]

    # --- reads --------------------------------------------------------------------

    def in_box(self, *, min_lon: float, min_lat: float, max_lon: float, max_lat: float):
        """Positions (into the mapped groups) whose box meets the given box."""
        mask = (
            (self._max_lon >= min_lon)
            & (self._min_lon <= max_lon)
            & (self._max_lat >= min_lat)
            & (self._min_lat <= max_lat)
        )
        return np.flatnonzero(mask)

    def viewport(
        self, *, min_lon: float, min_lat: float, max_lon: float, max_lat: float, zoom: int
    ) -> Viewport:
        found = self.in_box(min_lon=min_lon, min_lat=min_lat, max_lon=max_lon, max_lat=max_lat)
        if len(found) <= outline_limit(zoom):
            band = band_for(zoom)
            return Viewport(
                clustered=False,
                features=[self._features[i][band] for i in found],
                count=len(found),
            )
        # Cells of ~64 px at this zoom, but never more than ~24 x 24 cells in the box, so a
        # huge box at a high zoom (a client's mistake or abuse) cannot ask for every group.
        cell = max(
            360.0 / (2**zoom) / (256 / CLUSTER_CELL_PIXELS),
            (max_lon - min_lon) / MAX_CELLS_ACROSS,
            (max_lat - min_lat) / 0.62 / MAX_CELLS_ACROSS,
        )
        return Viewport(clustered=True, features=self._clusters(found, cell), count=len(found))

    def municipality(self, code: str, *, zoom: int = 12) -> list[str]:
        """Outlines of every listed group of one municipality (for its own website)."""
        band = band_for(zoom)
        return [self._features[i][band] for i in np.flatnonzero(self._municipality == code)]

    def at_point(self, *, lon: float, lat: float) -> list[ListedGroup]:
        """Listed groups whose area holds the point."""
        found = self.in_box(min_lon=lon, min_lat=lat, max_lon=lon, max_lat=lat)
        if len(found) == 0:
            return []
        geometries = np.array([self._shapes[i].geometry for i in found], dtype=object)
        inside = shapely.intersects_xy(geometries, lon, lat)
        return [self._mapped[i] for i in found[inside]]

    def meeting(self, geometry: shapely.Geometry) -> list[ListedGroup]:
        """Listed groups whose area overlaps the given one (not only touching it)."""
        min_lon, min_lat, max_lon, max_lat = geometry.bounds
        found = self.in_box(min_lon=min_lon, min_lat=min_lat, max_lon=max_lon, max_lat=max_lat)
        if len(found) == 0:
            return []
        shapely.prepare(geometry)
        others = np.array([self._shapes[i].geometry for i in found], dtype=object)
        meets = shapely.intersects(geometry, others)
        found, others = found[meets], others[meets]
        # More than a sliver in common: outlines that only touch (up to rounding) do not count.
        shared = shapely.area(shapely.intersection(geometry, others))
        smaller = np.minimum(shapely.area(others), geometry.area)
        return [self._mapped[i] for i in found[shared > OVERLAP_SHARE * smaller]]

    def in_bounds(
        self, *, min_lon: float, min_lat: float, max_lon: float, max_lat: float
    ) -> list[ListedGroup]:
        found = self.in_box(min_lon=min_lon, min_lat=min_lat, max_lon=max_lon, max_lat=max_lat)
        return [self._mapped[i] for i in found]

    def bounds_of(self, group_ids: list[int]) -> tuple[float, float, float, float] | None:
        boxes = [self._shapes[self._position[i]].bbox for i in group_ids if i in self._position]
        if not boxes:
            return None
        return (
            min(b[0] for b in boxes),
            min(b[1] for b in boxes),
            max(b[2] for b in boxes),
            max(b[3] for b in boxes),
        )

    def _clusters(self, found, cell: float) -> list[str]:
        cell_lat = cell * 0.62  # cos(52°): cells about square on a Dutch map
        ix = np.floor(self._cx[found] / cell).astype(np.int64)
        iy = np.floor(self._cy[found] / cell_lat).astype(np.int64)
        keys = ix * 1_000_003 + iy
        _unique, inverse, counts = np.unique(keys, return_inverse=True, return_counts=True)
        sum_x = np.bincount(inverse, weights=self._cx[found])
        sum_y = np.bincount(inverse, weights=self._cy[found])
        features = []
        for cluster, count in enumerate(counts):
            if count == 1:
                position = found[np.flatnonzero(inverse == cluster)[0]]
                features.append(self._points[position])
                continue
            x, y = sum_x[cluster] / count, sum_y[cluster] / count
            features.append(
                f'{{"type":"Feature","geometry":{{"type":"Point","coordinates":[{x:.5f},{y:.5f}]}},'
                f'"properties":{{"cluster":true,"count":{count}}}}}'
            )
        return features


# (group, outline) -> the group's features per band and as a point; kept across rebuilds.
_feature_memo: dict[tuple[ListedGroup, int], tuple[tuple[str, ...], str]] = {}


def _features_of(group: ListedGroup, shape: "_Shape") -> tuple[tuple[str, ...], str]:
    key = (group, id(shape))
    found = _feature_memo.get(key)
    if found is None:
        lon, lat = shape.centre
        point = f'{{"type":"Point","coordinates":[{lon},{lat}]}}'
        properties = _properties(group)
        found = (
            tuple(_feature(group.id, band, properties) for band in shape.bands),
            _feature(group.id, point, properties),
        )
        _feature_memo[key] = found
    return found


def _feature(group_id: int, geometry: str, properties: str) -> str:
    return f'{{"type":"Feature","id":{group_id},"geometry":{geometry},"properties":{properties}}}'


def _properties(group: ListedGroup) -> str:
    return json.dumps(
        {
            "id": group.id,
            "name": group.name,
            "url": group.url,
            "municipality": group.municipality_code,
            "size": group.size,
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )


# --- building ---------------------------------------------------------------------

_shape_memo: dict[tuple[int, str], _Shape] = {}


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()


def _shapes_for(rows: list[tuple[int, str]]) -> dict[int, _Shape]:
    """Simplified shapes of (group id, GeoJSON) pairs, computed only for new outlines."""
    wanted = {group_id: (group_id, _digest(text)) for group_id, text in rows if text}
    missing = [
        (group_id, text) for group_id, text in rows if text and wanted[group_id] not in _shape_memo
    ]
    if missing:
        geometries = shapely.from_geojson([text for _id, text in missing], on_invalid="ignore")
        geometries = np.where(
            shapely.is_valid(geometries), geometries, shapely.make_valid(geometries)
        )
        boxes = shapely.bounds(geometries)
        centres = shapely.get_coordinates(shapely.point_on_surface(geometries))
        bands = [
            shapely.to_geojson(
                rounded(shapely.simplify(geometries, tolerance, preserve_topology=True))
            )
            for _top, tolerance in BANDS
        ]
        for position, (group_id, _text) in enumerate(missing):
            if geometries[position] is None or shapely.is_empty(geometries[position]):
                continue
            _shape_memo[wanted[group_id]] = _Shape(
                bbox=tuple(float(v) for v in boxes[position]),  # type: ignore[arg-type]
                centre=(
                    round(float(centres[position][0]), 5),
                    round(float(centres[position][1]), 5),
                ),
                geometry=geometries[position],
                bands=tuple(str(band[position]) for band in bands),
            )
    return {group_id: _shape_memo[key] for group_id, key in wanted.items() if key in _shape_memo}


def rounded(geometries):
    """Coordinates to five decimals (~1 m): a third of the bytes of full precision."""
    return shapely.transform(geometries, lambda xy: np.round(xy, DECIMALS))


def active_member_counts() -> dict[int, int]:
    """Residents (admins and members, not the wijkagent) per group."""
    return dict(
        Membership.objects.filter(
            status=MembershipStatus.ACTIVE,
            role__in=(MembershipRole.ADMIN, MembershipRole.MEMBER),
        )
        .values_list("group_id")
        .annotate(n=Count("id"))
        .values_list("group_id", "n")
    )


def build(version: str = "") -> RegisterIndex:
    counts = active_member_counts()
    names = dict(
        Area.objects.filter(kind=AreaKind.GEMEENTE, retired_at__isnull=True).values_list(
            "code", "name"
        )
    )
    url_pattern = reverse("register_group", args=[987654321])
    groups: list[ListedGroup] = []
    outlines: list[tuple[int, str]] = []
    rows = (
        Group.objects.filter(~Q(listing="unlisted"))
        .order_by("name", "id")
        .values_list("id", "name", "municipality_code", "listing", "area_geometry")
    )
    for group_id, name, municipality, listing, geometry in rows.iterator(chunk_size=2000):
        members = counts.get(group_id, 0)
        if not policy.is_listed(listing=listing, active_members=members):
            continue
        groups.append(
            ListedGroup(
                id=group_id,
                name=name,
                municipality_code=municipality,
                municipality_name=names.get(municipality, municipality),
                size=policy.size_code(members),
                active_members=members,
                url=url_pattern.replace("987654321", str(group_id)),
            )
        )
        outlines.append((group_id, geometry))
    shapes = _shapes_for(outlines)
    _prune(shapes)
    return RegisterIndex(groups=groups, shapes=shapes, version=version)


def _prune(shapes: dict[int, "_Shape"]) -> None:
    """Forget shapes and features of outlines no longer in the register."""
    live = {id(shape) for shape in shapes.values()}
    for key in [key for key, shape in _shape_memo.items() if id(shape) not in live]:
        del _shape_memo[key]
    for feature_key in [k for k in _feature_memo if k[1] not in live]:
        del _feature_memo[feature_key]


_lock = threading.Lock()
_cached: RegisterIndex | None = None


def _current_key() -> str:
    """Changes whenever a group or a membership is added, changed or removed."""
    groups = connection.ops.quote_name(Group._meta.db_table)
    members = connection.ops.quote_name(Membership._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT COUNT(*) FROM {groups}), (SELECT MAX(updated_at) FROM {groups}), "  # noqa: S608
            f"(SELECT COUNT(*) FROM {members}), (SELECT MAX(updated_at) FROM {members})"
        )
        row = cursor.fetchone()
    return _digest(repr(row))


_checked_at = 0.0


def register_index() -> RegisterIndex:
    """The register as it is now, rebuilt when groups or memberships changed.  The database
    is asked at most every REGISTER_REFRESH_SECONDS (its COUNTs scan on PostgreSQL), so a
    change shows on the map within that time."""
    global _cached, _checked_at
    cached = _cached
    now = time.monotonic()
    if cached is not None and now - _checked_at < settings.REGISTER_REFRESH_SECONDS:
        return cached
    key = _current_key()
    if cached is not None and cached.version == key:
        _checked_at = now
        return cached
    with _lock:
        if _cached is None or _cached.version != key:
            _cached = build(version=key)
        _checked_at = now
        return _cached


def clear_register_index() -> None:
    global _cached
    with _lock:
        _cached = None
        _shape_memo.clear()
        _feature_memo.clear()


def lon_lat_zoom_box(lon: float, lat: float, zoom: int, width: int, height: int):
    """The box a map of width x height pixels centred on (lon, lat) shows at `zoom`."""
    degrees_per_pixel = 360.0 / (256 * 2**zoom)
    half_w = width / 2 * degrees_per_pixel
    half_h = height / 2 * degrees_per_pixel * math.cos(math.radians(lat))
    return lon - half_w, lat - half_h, lon + half_w, lat + half_h


def warm_in_background() -> None:
    """Build the index in a thread at server start, so the first visitor does not wait
    for it (seconds with 10,000 groups).  `manage.py serve` asks for it (asgi.py)."""

    def warm() -> None:
        try:
            register_index()
        except Exception:  # a database not migrated yet: the first request builds it
            logging.getLogger(__name__).warning("register index not built at start", exc_info=True)
        finally:
            connection.close()

    threading.Thread(target=warm, name="register-warm", daemon=True).start()
