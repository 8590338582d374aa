"""The real open data, imported once for the whole tests/geo package.

Tests run inside a transaction (``db``) on top of this data, so what they import or change
is rolled back.  The data stays afterwards: tests/conftest.py's session fixture
``groningen_addresses`` promises the same addresses to later tests (a re-import of the same
file changes nothing, so the two fixtures can run in either order).
"""

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

SOURCE = "spatialrisk/amsterdam open data"


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
    django_db_setup: None, django_db_blocker: DjangoDbBlocker, open_data: Path
) -> Iterator[GeoData]:
    boundaries = open_data / "boundaries"
    paths = {
        "gemeenten_path": boundaries / "nl_gemeenten_2021_spatialrisk.geojson",
        "pc4_path": boundaries / "nl_pc4_spatialrisk.geojson",
        "buurten_path": boundaries / "amsterdam_buurten_2022.geojson",
        "addresses_path": open_data / "addresses" / "groningen_bag_addresses_25k.csv",
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
