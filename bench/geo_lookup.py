"""Benchmark of the geo part: imports, index build, point-in-area and gazetteer lookups.

    DJANGO_SETTINGS_MODULE=buurtwacht.settings DATA_DIR=/tmp/bw-bench \\
        .venv/bin/python bench/geo_lookup.py [--points 20000] [--use-configured-db]

With SQLite (the default) it works in a throwaway database file under DATA_DIR that it
removes afterwards.  A PostgreSQL DATABASE_URL is only used with --use-configured-db,
because the imports write areas, streets and addresses into it.
"""

import argparse
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from full_open_data import full_open_data

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "buurtwacht.settings")

T = TypeVar("T")


def timed(label: str, func: Callable[[], T]) -> T:
    started = time.perf_counter()
    result = func()
    print(f"{label:<38} {time.perf_counter() - started:8.2f} s")
    return result


def percentiles(samples_ns: list[int]) -> str:
    ordered = sorted(samples_ns)
    p50 = statistics.median(ordered) / 1000
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] / 1000
    return f"p50 {p50:7.1f} µs   p99 {p99:7.1f} µs"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--points", type=int, default=20_000)
    parser.add_argument("--gazetteer", type=int, default=5_000)
    parser.add_argument("--use-configured-db", action="store_true")
    args = parser.parse_args()

    from django.conf import settings

    database = settings.DATABASES["default"]
    bench_db: Path | None = None
    if database["ENGINE"] == "django.db.backends.sqlite3":
        bench_db = Path(settings.DATA_DIR) / "geo_bench.sqlite3"
        for leftover in bench_db.parent.glob(bench_db.name + "*"):
            leftover.unlink()
        database["NAME"] = str(bench_db)
    elif not args.use_configured_db:
        sys.exit("DATABASE_URL is not SQLite: pass --use-configured-db to import into it")

    import django

    django.setup()

    from django.core.management import call_command

    from buurtwacht.geo.actions import import_addresses, import_areas
    from buurtwacht.geo.geocoders import GazetteerGeocoder
    from buurtwacht.geo.geocoding import AddressQuery
    from buurtwacht.geo.index import AreaIndex, area_index
    from buurtwacht.geo.models import Address, AreaKind

    data = full_open_data()
    print(f"database: {database['ENGINE'].rsplit('.', 1)[-1]} {database['NAME']}")
    try:
        timed("migrate", lambda: call_command("migrate", verbosity=0, skip_checks=True))
        boundaries = data / "boundaries"
        gemeenten = timed(
            "import gemeenten (352)",
            lambda: import_areas(path=boundaries / "nl_gemeenten_2021_spatialrisk.geojson"),
        )
        pc4 = timed(
            "import PC4 (4,169 features)",
            lambda: import_areas(path=boundaries / "nl_pc4_spatialrisk.geojson"),
        )
        csv_path = data / "addresses" / "groningen_bag_addresses_25k.csv"
        addresses = timed("import addresses (25,000 rows)", lambda: import_addresses(path=csv_path))
        timed(
            "re-import PC4 (all unchanged)",
            lambda: import_areas(path=boundaries / "nl_pc4_spatialrisk.geojson"),
        )
        timed("re-import addresses (all unchanged)", lambda: import_addresses(path=csv_path))
        print(
            f"  gemeenten created {gemeenten.created}; pc4 created {pc4.created}, "
            f"repaired {len(pc4.repaired)}; addresses {addresses.created}, "
            f"streets {addresses.streets_created}"
        )

        index = timed("build area index (4,405 areas)", AreaIndex.build)
        rng = random.Random(20240601)
        rows = list(
            Address.objects.values_list("lon", "lat", "postcode", "number", "letter", "suffix")
        )
        points = [(lon, lat) for lon, lat, *_ in rng.choices(rows, k=args.points)]

        for label, kind in (("all kinds", None), ("gemeente only", AreaKind.GEMEENTE)):
            samples: list[int] = []
            found = 0
            started = time.perf_counter()
            for lon, lat in points:
                before = time.perf_counter_ns()
                hits = index.areas_at(lon, lat, kind=kind)
                samples.append(time.perf_counter_ns() - before)
                found += bool(hits)
            elapsed = time.perf_counter() - started
            print(
                f"point-in-area ({label:<13}) {len(points) / elapsed:10,.0f} /s   "
                f"{percentiles(samples)}   ({found:,} of {len(points):,} found)"
            )

        samples = []
        for _ in range(1000):
            before = time.perf_counter_ns()
            area_index()
            samples.append(time.perf_counter_ns() - before)
        print(f"area_index() cached accessor     {percentiles(samples)}")

        gazetteer = GazetteerGeocoder()
        queries = [
            AddressQuery(postcode=postcode, number=number, letter=letter, addition=suffix)
            for _, _, postcode, number, letter, suffix in rng.choices(rows, k=args.gazetteer)
        ]
        samples = []
        started = time.perf_counter()
        resolved = 0
        for query in queries:
            before = time.perf_counter_ns()
            resolved += gazetteer.lookup(query) is not None
            samples.append(time.perf_counter_ns() - before)
        elapsed = time.perf_counter() - started
        print(
            f"gazetteer lookups              {len(queries) / elapsed:10,.0f} /s   "
            f"{percentiles(samples)}   ({resolved:,} of {len(queries):,} resolved)"
        )
    finally:
        if bench_db is not None:
            from django.db import connections

            connections.close_all()
            for leftover in bench_db.parent.glob(bench_db.name + "*"):
                leftover.unlink()


if __name__ == "__main__":
    main()
