"""The open data that ships with Buurtwacht, imported once for the whole tests/geo package,
plus a small CBS-style wijk/buurt file the tests make themselves (no buurt outlines ship).

Tests run inside a transaction (``db``) on top of this data, so what they import or change
is rolled back.  The data stays afterwards: tests/conftest.py's session fixture
``groningen_addresses`` promises the same addresses to later tests (a re-import of the same
file changes nothing, so the two fixtures can run in either order).
"""

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from pytest_django import DjangoDbBlocker

from buurtwacht.geo.actions import (
    AddressImportReport,
    AreaImportReport,
    import_addresses,
    import_areas,
)
from buurtwacht.geo.index import clear_area_index

SOURCE = "shipped open data"

# Four buurten in two wijken over the centre of Groningen, with CBS's property names: a
# square of 0.01 degrees each, south-west corner first.  Poelestraat 24c lies in BU00140001.
BUURTEN = (
    ("BU00140000", "Binnenstad-Zuid", "WK001400", 6.56, 53.21),
    ("BU00140001", "Binnenstad-Oost", "WK001400", 6.57, 53.21),
    ("BU00140100", "Oosterpoort-West", "WK001401", 6.56, 53.20),
    ("BU00140101", "Oosterpoort-Oost", "WK001401", 6.57, 53.20),
)


def buurten_geojson(path: Path) -> Path:
    features = []
    for code, name, wijk, x, y in BUURTEN:
        ring = [[x, y], [x + 0.01, y], [x + 0.01, y + 0.01], [x, y + 0.01], [x, y]]
        properties = {
            "buurtcode": code,
            "buurtnaam": name,
            "wijkcode": wijk,
            "gemeentecode": "GM0014",
            "gemeentenaam": "Groningen",
        }
        geometry = {"type": "Polygon", "coordinates": [ring]}
        features.append({"type": "Feature", "properties": properties, "geometry": geometry})
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


@dataclass(frozen=True)
class GeoData:
    gemeenten: AreaImportReport
    pc4: AreaImportReport
    buurten: AreaImportReport
    addresses: AddressImportReport
    gemeenten_path: Path
    pc4_path: Path
    buurten_path: Path
    addresses_path: Path


@pytest.fixture(scope="package")
def geo_data(
    django_db_setup: None,
    django_db_blocker: DjangoDbBlocker,
    groningen_csv: Path,
    gemeenten_geojson: Path,
    pc4_geojson: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[GeoData]:
    paths = {
        "gemeenten_path": gemeenten_geojson,
        "pc4_path": pc4_geojson,
        "buurten_path": buurten_geojson(tmp_path_factory.mktemp("cbs") / "buurten.geojson"),
        "addresses_path": groningen_csv,
    }
    with django_db_blocker.unblock():
        data = GeoData(
            gemeenten=import_areas(path=paths["gemeenten_path"], source=SOURCE),
            pc4=import_areas(path=paths["pc4_path"], source=SOURCE),
            buurten=import_areas(path=paths["buurten_path"], source=SOURCE),
            addresses=import_addresses(path=paths["addresses_path"]),
            **paths,
        )
    yield data
    clear_area_index()
