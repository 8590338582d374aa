"""How long computing adjacency (R-ADJ-1) takes for a national register: 10,000 synthetic
group areas (convex blobs of 300-900 m spread over the Netherlands' extent, packed like
neighbourhoods), all pairs at once (manage.py recompute_adjacency) and one group against
all (what creating or changing a group costs).  Pure computation, no database.

    .venv/bin/python bench/adjacency.py [groups]
    DATABASE_URL=postgres://... .venv/bin/python bench/adjacency.py --db [groups]

With --db (a database of its own: the script empties its groups) the groups are stored and
groups.actions.refresh_adjacency is timed as creating or changing a group runs it: reading
the groups nearby (by bounding box), measuring, storing.
"""

import random
import statistics
import sys
import time

import shapely

from buurtwacht.geo.adjacency import neighbours


def synthetic_areas(count: int, seed: int = 7) -> dict[int, shapely.Geometry]:
    rng = random.Random(seed)
    areas = {}
    # Clusters (towns) of neighbourhoods over lon 3.4-7.2, lat 50.8-53.5.
    towns = [(rng.uniform(3.4, 7.2), rng.uniform(50.8, 53.5)) for _ in range(count // 40)]
    for key in range(count):
        lon0, lat0 = towns[key % len(towns)]
        lon = lon0 + rng.gauss(0, 0.03)
        lat = lat0 + rng.gauss(0, 0.02)
        size = rng.uniform(0.002, 0.006)
        points = [
            (lon + rng.uniform(-size, size), lat + rng.uniform(-size, size) * 0.6)
            for _ in range(12)
        ]
        areas[key + 1] = shapely.MultiPoint(points).convex_hull.buffer(0.0004)
    return areas


def with_database(areas: dict[int, shapely.Geometry]) -> None:
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "buurtwacht.settings")
    django.setup()
    from django.core.management import call_command

    from buurtwacht.groups.actions import recompute_all_adjacency, refresh_adjacency
    from buurtwacht.groups.models import Group

    call_command("migrate", verbosity=0)
    Group.objects.all().delete()
    Group.objects.bulk_create(
        [
            Group(
                name=f"Groep {key}",
                municipality_code="GM0000",
                area_geometry=shapely.to_geojson(area),
                area_min_lon=area.bounds[0],
                area_min_lat=area.bounds[1],
                area_max_lon=area.bounds[2],
                area_max_lat=area.bounds[3],
            )
            for key, area in areas.items()
        ],
        batch_size=1000,
    )
    started = time.perf_counter()
    pairs = recompute_all_adjacency()
    print(f"database: recompute_adjacency {pairs} pairs in {time.perf_counter() - started:.2f} s")
    groups = list(Group.objects.order_by("?")[:50])
    samples = []
    for group in groups:
        started = time.perf_counter()
        refresh_adjacency(group=group)
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    print(
        f"database: refresh_adjacency of one group p50 {statistics.median(samples):.0f} ms, "
        f"p99 {samples[int(len(samples) * 0.99) - 1]:.0f} ms"
    )
    Group.objects.all().delete()


def main() -> None:
    args = [a for a in sys.argv[1:] if a != "--db"]
    count = int(args[0]) if args else 10_000
    areas = synthetic_areas(count)
    started = time.perf_counter()
    pairs = neighbours(areas, max_distance_m=250)
    all_s = time.perf_counter() - started
    print(f"{count} groups: {len(pairs)} adjacent pairs, all at once in {all_s:.2f} s")
    samples = []
    for key in random.Random(1).sample(list(areas), 50):
        started = time.perf_counter()
        neighbours(areas, max_distance_m=250, only=key)
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    p50 = statistics.median(samples)
    p99 = samples[int(len(samples) * 0.99) - 1]
    print(f"one group against all (tree built each time): p50 {p50:.0f} ms, p99 {p99:.0f} ms")
    if "--db" in sys.argv:
        with_database(areas)


if __name__ == "__main__":
    main()
