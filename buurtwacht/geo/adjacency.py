"""Which areas are neighbours: touching, overlapping or at most `max_distance_m` apart.

Areas are GeoJSON in WGS84 (degrees).  A shapely STRtree finds the candidate pairs in one
bulk query, with a search radius in degrees that is never smaller than `max_distance_m`
anywhere in the set; each candidate's distance is then measured in metres.

Metres: both geometries of a pair are projected onto a local plane around the pair's mean
latitude φ, x = lon · m_lon(φ), y = lat · m_lat(φ), with the metres per degree of the WGS84
ellipsoid (the usual series: m_lat = 111132.92 - 559.82 cos 2φ + 1.175 cos 4φ,
m_lon = 111412.84 cos φ - 93.5 cos 3φ).  Over the few kilometres between neighbouring
groups this is accurate to well under a metre; no projection library is needed at run time.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import shapely


@dataclass(frozen=True)
class Neighbours:
    a: int  # the lower key
    b: int
    distance_m: float  # 0 when touching or overlapping
    touching: bool


def metres_per_degree(latitude: float) -> tuple[float, float]:
    """(metres per degree of longitude, metres per degree of latitude) at `latitude`."""
    phi = math.radians(latitude)
    m_lat = 111132.92 - 559.82 * math.cos(2 * phi) + 1.175 * math.cos(4 * phi)
    m_lon = 111412.84 * math.cos(phi) - 93.5 * math.cos(3 * phi)
    return m_lon, m_lat


def distance_m(a: shapely.Geometry, b: shapely.Geometry) -> float:
    """The shortest distance between two WGS84 geometries in metres (0 if they touch)."""
    if a.intersects(b):
        return 0.0
    latitude = (a.centroid.y + b.centroid.y) / 2
    scale = np.array(metres_per_degree(latitude))
    return float(
        shapely.distance(
            shapely.transform(a, lambda xy: xy * scale),
            shapely.transform(b, lambda xy: xy * scale),
        )
    )


def _search_degrees(geometries: Sequence[shapely.Geometry], max_distance_m: float) -> float:
    """A radius in degrees that covers `max_distance_m` everywhere in the set: metres per
    degree are fewest for longitude at the latitude farthest from the equator."""
    bounds = shapely.bounds(np.asarray(geometries))
    worst = float(np.max(np.abs(bounds[:, [1, 3]])))
    m_lon, _m_lat = metres_per_degree(min(worst, 89.0))
    return max_distance_m / m_lon


def neighbours(
    areas: dict[int, shapely.Geometry],
    *,
    max_distance_m: float,
    only: int | None = None,
) -> list[Neighbours]:
    """Every pair of `areas` (key -> WGS84 geometry) that touch or lie at most
    `max_distance_m` apart; with `only`, just the pairs that include that key."""
    keys = list(areas)
    if len(keys) < 2:
        return []
    geometries = [areas[key] for key in keys]
    tree = shapely.STRtree(geometries)
    radius = _search_degrees(geometries, max_distance_m)
    if only is None:
        left, right = tree.query(geometries, predicate="dwithin", distance=radius)
    else:
        right = tree.query(areas[only], predicate="dwithin", distance=radius)
        left = np.full(len(right), keys.index(only))
    found: list[Neighbours] = []
    for i, j in zip(left.tolist(), right.tolist(), strict=True):
        if i == j or (only is None and i > j):
            continue
        metres = distance_m(geometries[i], geometries[j])
        if metres <= max_distance_m:
            a, b = sorted((keys[i], keys[j]))
            found.append(Neighbours(a=a, b=b, distance_m=metres, touching=metres == 0.0))
    return found
