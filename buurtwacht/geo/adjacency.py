"""Which areas are neighbours: touching, overlapping or at most `max_distance_m` apart.

Areas are GeoJSON in WGS84 (degrees).  A shapely STRtree finds the candidate pairs in one
bulk query, with a search radius in degrees that is never smaller than `max_distance_m`
anywhere in the set; each candidate's distance is then measured in metres.

Metres: both geometries of a pair are projected onto a local plane (origin at the first's
south-west corner) at the pair's mean latitude φ, x = Δlon · m_lon(φ), y = Δlat · m_lat(φ),
with the metres per degree of the WGS84 ellipsoid (the usual series:
m_lat = 111132.92 - 559.82 cos 2φ + 1.175 cos 4φ, m_lon = 111412.84 cos φ - 93.5 cos 3φ).
Over the few hundred metres that matter here this is accurate to well under a metre; no
projection library is needed at run time.  All candidate pairs are measured in one
vectorised shapely call.
"""

from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely

# Closer than this counts as touching: outlines that share an edge seldom meet exactly in
# floating point.
TOUCHING_M = 0.5


@dataclass(frozen=True)
class Neighbours:
    a: int  # the lower key
    b: int
    distance_m: float  # 0 when touching or overlapping
    touching: bool


def metres_per_degree(latitude: Any) -> tuple[Any, Any]:
    """(metres per degree of longitude, metres per degree of latitude) at `latitude`
    (degrees; a number or a numpy array)."""
    phi = np.radians(latitude)
    m_lat = 111132.92 - 559.82 * np.cos(2 * phi) + 1.175 * np.cos(4 * phi)
    m_lon = 111412.84 * np.cos(phi) - 93.5 * np.cos(3 * phi)
    return m_lon, m_lat


def distance_m(a: shapely.Geometry, b: shapely.Geometry) -> float:
    """The shortest distance between two WGS84 geometries in metres (0 if they touch)."""
    return float(_pair_distances(np.array([a]), np.array([b]))[0])


def _search_degrees(geometries: np.ndarray, max_distance_m: float) -> float:
    """A radius in degrees that covers `max_distance_m` everywhere in the set: metres per
    degree are fewest for longitude at the latitude farthest from the equator."""
    bounds = shapely.bounds(geometries)
    worst = float(np.max(np.abs(bounds[:, [1, 3]])))
    m_lon, _m_lat = metres_per_degree(min(worst, 89.0))
    return float(max_distance_m / m_lon)


def _pair_distances(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """distance_m for many pairs at once: each pair on its own local plane (origin at the
    first geometry's south-west corner, metres per degree at the pair's mean latitude)."""
    touching = shapely.intersects(first, second)
    latitude = (
        shapely.get_y(shapely.centroid(first)) + shapely.get_y(shapely.centroid(second))
    ) / 2
    scale = np.column_stack(metres_per_degree(latitude))
    origin = shapely.bounds(first)[:, :2]

    def local(geometries: np.ndarray) -> np.ndarray:
        _coords, index = shapely.get_coordinates(geometries, return_index=True)
        return shapely.transform(geometries, lambda xy: (xy - origin[index]) * scale[index])

    metres = shapely.distance(local(first), local(second))
    return np.where(touching | (metres < TOUCHING_M), 0.0, metres)


def neighbours(
    areas: dict[int, shapely.Geometry],
    *,
    max_distance_m: float,
    only: int | None = None,
) -> list[Neighbours]:
    """Every pair of `areas` (key -> WGS84 geometry) that touch or lie at most
    `max_distance_m` apart; with `only`, just the pairs that include that key."""
    keys = np.array(list(areas))
    if len(keys) < 2:
        return []
    geometries = np.array([areas[key] for key in keys.tolist()], dtype=object)
    tree = shapely.STRtree(geometries)
    radius = _search_degrees(geometries, max_distance_m)
    if only is None:
        left, right = tree.query(geometries, predicate="dwithin", distance=radius)
        keep = left < right
    else:
        right = tree.query(areas[only], predicate="dwithin", distance=radius)
        left = np.full(len(right), keys.tolist().index(only))
        keep = left != right
    left, right = left[keep], right[keep]
    if not len(left):
        return []
    metres = _pair_distances(geometries[left], geometries[right])
    near = metres <= max_distance_m
    found = []
    for i, j, distance in zip(
        left[near].tolist(), right[near].tolist(), metres[near].tolist(), strict=True
    ):
        a, b = sorted((int(keys[i]), int(keys[j])))
        found.append(Neighbours(a=a, b=b, distance_m=distance, touching=distance == 0.0))
    return found
