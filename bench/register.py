"""Benchmark of the public register (R-REG-1) on a synthetic national register.

    .venv/bin/python bench/register.py [--groups 10000] [--pc4 FILE] [--browser]
        [--requests 300] [--searches 2000] [--json FILE] [--use-configured-db]

Builds a register of N groups from real PC4 outlines (each PC4 polygon cut into strips,
several groups per PC4), each group with three residents, then measures through Django's
test client (the whole request: middleware, view, serialisation):
  - the GeoJSON bbox endpoint for 1280 x 800 px viewports at zoom 8, 12 and 15 (centres
    drawn from the groups, so viewports lie where groups are): server time p50/p99 and
    payload size p50/max;
  - postcode search (PC6 + house number of real Groningen BAG addresses; and PC4): p50/p99;
  - with --browser, the map page in headless Chromium (/usr/bin/chromium) on a real
    uvicorn server until the outlines are drawn, no tiles.
SQLite in a throwaway DATA_DIR by default; a PostgreSQL DATABASE_URL only with
--use-configured-db (it writes groups and users into it).
"""

import argparse
import json
import math
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

from full_open_data import full_open_data

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "buurtwacht.settings")
os.environ.setdefault("DATA_DIR", tempfile.mkdtemp(prefix="bw-register-bench-"))
os.environ["MAP_TILES_URL"] = ""  # no network: outlines on a plain background
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
os.environ.setdefault("HTTPS", "0")

VIEWPORT = (1280, 800)
ZOOMS = (8, 12, 15)


def pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))]


def summary(samples_ms: list[float]) -> dict[str, float]:
    return {
        "p50_ms": round(statistics.median(samples_ms), 2),
        "p99_ms": round(pct(samples_ms, 0.99), 2),
        "max_ms": round(max(samples_ms), 2),
        "n": len(samples_ms),
    }


def synthetic_pieces(pc4_path: Path, wanted: int, seed: int):
    """(pc4, piece) pairs: every PC4 polygon cut into k strips along its longer side."""
    import shapely

    features = json.loads(pc4_path.read_text())["features"]
    random.Random(seed).shuffle(features)
    per_pc4 = max(2, math.ceil(wanted / len(features)))
    pieces = []
    for feature in features:
        geometry = shapely.make_valid(shapely.geometry.shape(feature["geometry"]))
        min_x, min_y, max_x, max_y = geometry.bounds
        wide = (max_x - min_x) * 0.62 > (max_y - min_y)
        for part in range(per_pc4):
            if wide:
                step = (max_x - min_x) / per_pc4
                box = shapely.box(min_x + part * step, min_y, min_x + (part + 1) * step, max_y)
            else:
                step = (max_y - min_y) / per_pc4
                box = shapely.box(min_x, min_y + part * step, max_x, min_y + (part + 1) * step)
            piece = geometry.intersection(box)
            if not piece.is_empty and piece.area > 0:
                pieces.append((str(feature["properties"].get("pc4", "")), piece))
        if len(pieces) >= wanted:
            break
    return pieces[:wanted]


def build_register(args) -> None:
    import shapely
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from buurtwacht.accounts.models import User
    from buurtwacht.geo.index import area_index
    from buurtwacht.geo.models import AreaKind
    from buurtwacht.groups.models import Group, Listing, Membership

    pieces = synthetic_pieces(args.pc4, args.groups, args.seed)
    index = area_index()
    password = make_password(None)
    with transaction.atomic():
        users = User.objects.bulk_create(
            [
                User(email=f"bench{i}@example.nl", name=f"Bewoner {i}", password=password)
                for i in range(args.groups)
            ],
            batch_size=2000,
        )
        groups = []
        for number, (pc4, piece) in enumerate(pieces):
            point = piece.representative_point()
            hits = index.areas_at(point.x, point.y, kind=AreaKind.GEMEENTE)
            groups.append(
                Group(
                    name=f"Buurtpreventie {pc4} {number % 7 + 1}",
                    municipality_code=hits[0].code if hits else "",
                    area_geometry=shapely.to_geojson(piece),
                    listing=Listing.AUTO,
                )
            )
        groups = Group.objects.bulk_create(groups, batch_size=1000)
        Membership.objects.bulk_create(
            [
                Membership(
                    group=group,
                    user=users[(position * 3 + k) % len(users)],
                    role="admin" if k == 0 else "member",
                    status="active",
                )
                for position, group in enumerate(groups)
                for k in range(3)
            ],
            batch_size=5000,
        )
    print(f"register: {len(groups):,} groups from {args.pc4.name}, 3 residents each")


def bench_bbox(args, client, rng) -> dict[str, object]:
    from buurtwacht.register.index import lon_lat_zoom_box, register_index

    centres = [
        ((g[0] + g[2]) / 2, (g[1] + g[3]) / 2)
        for g in (register_index().bounds_of([x.id]) for x in register_index().groups)
        if g is not None
    ]
    results: dict[str, object] = {}
    for zoom in ZOOMS:
        times, sizes, counts, clustered = [], [], [], 0
        for _ in range(args.requests):
            lon, lat = rng.choice(centres)
            box = lon_lat_zoom_box(lon, lat, zoom, *VIEWPORT)
            bbox = ",".join(f"{v:.4f}" for v in box)
            started = time.perf_counter()
            response = client.get("/api/register/groups.geojson", {"bbox": bbox, "zoom": zoom})
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.content[:200]
            sizes.append(len(response.content))
            data = json.loads(response.content)
            counts.append(data["count"])
            clustered += data["clustered"]
        etag = response["ETag"]
        started = time.perf_counter()
        again = client.get(
            "/api/register/groups.geojson", {"bbox": bbox, "zoom": zoom}, HTTP_IF_NONE_MATCH=etag
        )
        not_modified_ms = (time.perf_counter() - started) * 1000
        assert again.status_code == 304
        results[f"zoom_{zoom}"] = {
            **summary(times),
            "payload_p50_kb": round(statistics.median(sizes) / 1024, 1),
            "payload_max_kb": round(max(sizes) / 1024, 1),
            "groups_in_viewport_p50": statistics.median(counts),
            "groups_in_viewport_max": max(counts),
            "clustered_share": round(clustered / len(times), 2),
            "etag_304_ms": round(not_modified_ms, 2),
        }
        r = results[f"zoom_{zoom}"]
        print(
            f"bbox zoom {zoom:>2}: p50 {r['p50_ms']:6.2f} ms  p99 {r['p99_ms']:6.2f} ms  "
            f"payload p50 {r['payload_p50_kb']:6.1f} KB max {r['payload_max_kb']:6.1f} KB  "
            f"groups/viewport p50 {r['groups_in_viewport_p50']:.0f} max "
            f"{r['groups_in_viewport_max']}  clustered {r['clustered_share']:.0%}  "
            f"304 {r['etag_304_ms']:.2f} ms"
        )
    return results


def bench_search(args, rng) -> dict[str, object]:
    from buurtwacht.geo.models import Address
    from buurtwacht.register.search import search

    rows = list(Address.objects.values_list("postcode", "number", "letter", "suffix"))
    results: dict[str, object] = {}
    for label, make in (
        (
            "pc6_number",
            lambda r: f"{r[0][:4]} {r[0][4:]} {r[1]}{r[2]}" + (f"-{r[3]}" if r[3] else ""),
        ),
        ("pc4", lambda r: r[0][:4]),
    ):
        times, found = [], 0
        for row in rng.choices(rows, k=args.searches):
            query = make(row)
            started = time.perf_counter()
            result = search(query)
            times.append((time.perf_counter() - started) * 1000)
            found += bool(result.groups)
        results[label] = {**summary(times), "with_groups": found}
        r = results[label]
        print(
            f"search {label:<10}: p50 {r['p50_ms']:6.2f} ms  p99 {r['p99_ms']:6.2f} ms  "
            f"({found:,} of {len(times):,} found a group)"
        )
    return results


def bench_browser(args) -> dict[str, object]:
    import uvicorn
    from playwright.sync_api import sync_playwright

    port = args.port
    server = uvicorn.Server(
        uvicorn.Config(
            "buurtwacht.asgi:application", host="127.0.0.1", port=port, log_level="warning"
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    times = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
            )
            for _ in range(args.page_loads):
                context = browser.new_context(viewport={"width": 1280, "height": 800})
                page = context.new_page()
                started = time.perf_counter()
                page.goto(f"http://127.0.0.1:{port}/kaart/")
                page.wait_for_selector("[data-register-map][data-ready='1']", timeout=15000)
                times.append((time.perf_counter() - started) * 1000)
                drawn = page.locator(".leaflet-marker-icon, path.leaflet-interactive").count()
                context.close()
            browser.close()
    finally:
        server.should_exit = True
        thread.join(timeout=10)
    result = {**summary(times), "features_drawn": drawn}
    print(
        f"map page ready (browser, cold context): p50 {result['p50_ms']:.0f} ms  "
        f"max {result['max_ms']:.0f} ms  ({drawn} features drawn)"
    )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--groups", type=int, default=10_000)
    parser.add_argument("--pc4", type=Path, default=None, help="PC4 outlines (GeoJSON, WGS84)")
    parser.add_argument("--requests", type=int, default=300, help="bbox requests per zoom")
    parser.add_argument("--searches", type=int, default=2000)
    parser.add_argument("--browser", action="store_true")
    parser.add_argument("--page-loads", type=int, default=5)
    parser.add_argument("--port", type=int, default=18301)
    parser.add_argument("--seed", type=int, default=20261201)
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--use-configured-db", action="store_true")
    args = parser.parse_args()

    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        database["NAME"] = str(Path(settings.DATA_DIR) / "register_bench.sqlite3")
    elif not args.use_configured_db:
        sys.exit("DATABASE_URL is not SQLite: pass --use-configured-db to write into it")
    data = full_open_data()
    args.pc4 = args.pc4 or data / "boundaries" / "nl_pc4_spatialrisk.geojson"

    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from buurtwacht.geo.actions import import_addresses, import_areas
    from buurtwacht.register.index import clear_register_index, register_index

    print(f"database: {database['ENGINE'].rsplit('.', 1)[-1]}")
    call_command("migrate", verbosity=0, skip_checks=True)
    import_areas(path=data / "boundaries" / "nl_gemeenten_2021_spatialrisk.geojson")
    import_areas(path=args.pc4)
    import_addresses(path=data / "addresses" / "groningen_bag_addresses_25k.csv")
    build_register(args)

    clear_register_index()
    started = time.perf_counter()
    index = register_index()
    cold_ms = (time.perf_counter() - started) * 1000
    print(f"register index, cold build: {cold_ms:.0f} ms ({len(index.groups):,} listed)")
    samples = []
    for _ in range(200):
        started = time.perf_counter()
        register_index()
        samples.append((time.perf_counter() - started) * 1000)
    print(f"register index, freshness check: p50 {statistics.median(samples):.2f} ms")

    rng = random.Random(args.seed)
    client = Client()
    results: dict[str, object] = {
        "groups": len(index.groups),
        "database": database["ENGINE"].rsplit(".", 1)[-1],
        "viewport_px": list(VIEWPORT),
        "index_cold_build_ms": round(cold_ms, 0),
        "index_check_p50_ms": round(statistics.median(samples), 3),
        "bbox": bench_bbox(args, client, rng),
        "search": bench_search(args, rng),
    }
    started = time.perf_counter()
    page = client.get("/kaart/")
    results["map_page_server_ms"] = round((time.perf_counter() - started) * 1000, 1)
    results["map_page_kb"] = round(len(page.content) / 1024, 1)
    print(f"map page (server): {results['map_page_server_ms']} ms, {results['map_page_kb']} KB")
    if args.browser:
        results["browser"] = bench_browser(args)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
