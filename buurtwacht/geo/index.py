"""In-memory spatial index over the current areas: which areas contain a point?

One shapely STRtree per area kind narrows a point down to the areas whose bounding box
holds it; prepared geometries answer the exact question.  ``area_index()`` keeps one index
per process and rebuilds it when the current areas changed.
"""

import threading
from dataclasses import dataclass

import numpy as np
import shapely
from django.db import connection

from buurtwacht.geo.models import Area, AreaKind

_KIND_ORDER = {kind: position for position, kind in enumerate(AreaKind.values)}


@dataclass(frozen=True)
class AreaHit:
    id: int
    kind: str
    code: str
    name: str


@dataclass(frozen=True)
class _KindIndex:
    tree: shapely.STRtree
    geometries: np.ndarray  # prepared, in the tree's order
    hits: tuple[AreaHit, ...]


class AreaIndex:
    def __init__(self, areas: list[tuple[AreaHit, str]]) -> None:
        """``areas``: (hit, GeoJSON geometry) pairs."""
        by_kind: dict[str, list[tuple[AreaHit, str]]] = {}
        for hit, geojson in areas:
            by_kind.setdefault(hit.kind, []).append((hit, geojson))
        self._kinds: dict[str, _KindIndex] = {}
        for kind in sorted(by_kind, key=lambda k: _KIND_ORDER.get(k, len(_KIND_ORDER))):
            entries = by_kind[kind]
            geometries = shapely.from_geojson([geojson for _, geojson in entries])
            shapely.prepare(geometries)
            self._kinds[kind] = _KindIndex(
                tree=shapely.STRtree(geometries),
                geometries=geometries,
                hits=tuple(hit for hit, _ in entries),
            )
        self.size = len(areas)

    @classmethod
    def build(cls) -> "AreaIndex":
        """An index of the current (not retired) areas in the database."""
        rows = Area.objects.filter(retired_at__isnull=True).values_list(
            "id", "kind", "code", "name", "geometry"
        )
        return cls(
            [
                (AreaHit(id=area_id, kind=kind, code=code, name=name), geometry)
                for area_id, kind, code, name, geometry in rows.iterator(chunk_size=1000)
            ]
        )

    def has_kind(self, kind: str) -> bool:
        return kind in self._kinds

    def areas_at(self, lon: float, lat: float, kind: str | None = None) -> list[AreaHit]:
        """The areas that contain (or have on their border) the point, by kind then code."""
        if kind is not None:
            kind_index = self._kinds.get(kind)
            return self._lookup(kind_index, lon, lat) if kind_index else []
        found: list[AreaHit] = []
        for kind_index in self._kinds.values():
            found.extend(self._lookup(kind_index, lon, lat))
        return found

    @staticmethod
    def _lookup(kind_index: _KindIndex, lon: float, lat: float) -> list[AreaHit]:
        candidates = kind_index.tree.query(shapely.Point(lon, lat))
        if len(candidates) == 0:
            return []
        inside = shapely.intersects_xy(kind_index.geometries[candidates], lon, lat)
        hits = [kind_index.hits[i] for i in candidates[inside]]
        return sorted(hits, key=lambda hit: hit.code) if len(hits) > 1 else hits


_lock = threading.Lock()
_cached: tuple[tuple[object, ...], AreaIndex] | None = None


def _current_key() -> tuple[object, ...]:
    """Changes whenever an area is added or retired: the newest id, import and retirement.

    Ids are never reused once committed and every import stamps ``imported_at``, so this
    also tells apart two imports whose rows got the same ids after a rollback.  Three
    MAX() over indexed columns: a few microseconds on SQLite and PostgreSQL.
    """
    table = connection.ops.quote_name(Area._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT MAX(id) FROM {table}), "  # noqa: S608 (no user input)
            f"(SELECT MAX(imported_at) FROM {table}), (SELECT MAX(retired_at) FROM {table})"
        )
        row = cursor.fetchone()
    return tuple(row) if row else ()


def area_index() -> AreaIndex:
    """The index of the current areas, rebuilt when they changed since the last call."""
    global _cached
    key = _current_key()
    cached = _cached
    if cached is not None and cached[0] == key:
        return cached[1]
    with _lock:
        if _cached is not None and _cached[0] == key:
            return _cached[1]
        index = AreaIndex.build()
        _cached = (key, index)
        return index


def clear_area_index() -> None:
    global _cached
    with _lock:
        _cached = None
