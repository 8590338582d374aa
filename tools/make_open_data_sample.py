"""Derive the small open-data set that ships with Buurtwacht (buurtwacht/demo/open_data/)
from the full public files, so the tests and `make demo` need nothing from outside.

    python tools/make_open_data_sample.py --source DIR

DIR holds the full files in this layout (the open-data folder described in
buurtwacht/demo/open_data/DATA-LICENCES.md):

    addresses/groningen_bag_addresses_25k.csv        BAG addresses of Groningen (CC0)
    boundaries/nl_gemeenten_2021_spatialrisk.geojson CBS/Kadaster gemeenten 2021 (CC BY 4.0)

What it writes (deterministic: the same input gives the same bytes):

- gemeenten.geojson: every municipality, coordinates rounded to 5 decimals (about 1 m);
- groningen_addresses.csv: every address on a chosen set of Groningen streets (the streets
  the personas, tests and demo groups use, every street within 400 m of the demo group, and
  every sixth street by name, spread over the city);
- groningen_pc4.geojson: postcode-4 areas of Groningen made by us from the BAG addresses
  (Voronoi cells of all 25,000 addresses, merged per PC4, clipped to the municipality): not
  the official CBS PC4 outlines, whose copy here has no documented source.
"""

import argparse
import csv
import json
import math
from pathlib import Path

import shapely
from shapely.geometry import MultiPoint, shape

OUT = Path(__file__).resolve().parent.parent / "buurtwacht" / "demo" / "open_data"
ADDRESSES = "addresses/groningen_bag_addresses_25k.csv"
GEMEENTEN = "boundaries/nl_gemeenten_2021_spatialrisk.geojson"
# Streets the demo and the tests name; the demo groups' streets are in buurtwacht/demo/town.py.
NAMED_STREETS = {
    "Grote Beerstraat",
    "Paterswoldseweg",
    "Poelestraat",
    "Korreweg",
    "Damsterdiep",
    "Dierenriemstraat",
    "Zwarteweg",
    "Plantsoenstraat",
    "Nassaulaan",
    "Kraneweg",
}
NEAR_DEMO_GROUP_M = 400
EVERY_NTH_STREET = 6


def _round(value: object, digits: int = 5) -> object:
    if isinstance(value, float):
        return round(value, digits)
    if isinstance(value, list):
        return [_round(item, digits) for item in value]
    return value


def _metres(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    dx = (lon2 - lon1) * 111_320 * math.cos(math.radians((lat1 + lat2) / 2))
    dy = (lat2 - lat1) * 110_540
    return math.hypot(dx, dy)


def _write_json(path: Path, data: object) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n")


def gemeenten(source: Path) -> dict:
    data = json.loads((source / GEMEENTEN).read_text(encoding="utf-8"))
    for feature in data["features"]:
        feature["geometry"]["coordinates"] = _round(feature["geometry"]["coordinates"])
    return data


def addresses(source: Path) -> tuple[list[str], list[list[str]]]:
    with (source / ADDRESSES).open(newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        return header, list(reader)


def chosen_streets(rows: list[list[str]]) -> set[str]:
    names = sorted({row[0] for row in rows})
    demo = [(float(r[6]), float(r[7])) for r in rows if r[0] == "Grote Beerstraat"]
    near = {
        row[0]
        for row in rows
        if any(_metres(x, y, float(row[6]), float(row[7])) < NEAR_DEMO_GROUP_M for x, y in demo)
    }
    return NAMED_STREETS | near | set(names[::EVERY_NTH_STREET])


def pc4_areas(rows: list[list[str]], municipality: shapely.Geometry) -> dict:
    """Voronoi cells of the addresses, merged per PC4 and clipped to the municipality."""
    points = {}
    for row in rows:
        points.setdefault((round(float(row[6]), 6), round(float(row[7]), 6)), row[4][:4])
    coords = sorted(points)
    cells = shapely.get_parts(
        shapely.voronoi_polygons(MultiPoint(coords), extend_to=municipality.envelope, ordered=True)
    )
    groups: dict[str, list] = {}
    for coord, cell in zip(coords, cells, strict=True):
        groups.setdefault(points[coord], []).append(cell)
    features = []
    for code in sorted(groups):
        area = shapely.union_all(groups[code]).intersection(municipality)
        area = shapely.make_valid(area.simplify(0.0002, preserve_topology=True))
        area = shapely.set_precision(area, 1e-5)
        city = next(row[5] for row in rows if row[4][:4] == code)
        features.append(
            {
                "type": "Feature",
                "properties": {"pc4": code, "areaname": f"{code} {city}"},
                "geometry": json.loads(shapely.to_geojson(area)),
            }
        )
    return {"type": "FeatureCollection", "features": features}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, required=True, help="folder with the full files")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)

    municipalities = gemeenten(args.source)
    _write_json(args.out / "gemeenten.geojson", municipalities)
    groningen = next(
        shape(f["geometry"])
        for f in municipalities["features"]
        if f["properties"]["code"] == "GM0014"
    )

    header, rows = addresses(args.source)
    streets = chosen_streets(rows)
    kept = sorted((row for row in rows if row[0] in streets), key=lambda r: (r[0], r[4], r[1:4]))
    with (args.out / "groningen_addresses.csv").open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(kept)

    _write_json(args.out / "groningen_pc4.geojson", pc4_areas(rows, groningen))
    print(f"{len(streets)} streets, {len(kept)} addresses -> {args.out}")


if __name__ == "__main__":
    main()
