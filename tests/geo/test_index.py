"""Point-in-area lookups through the in-memory index over the current areas."""

import json
from collections import Counter
from pathlib import Path

import pytest
import shapely

from buurtwacht.geo.actions import import_areas
from buurtwacht.geo.index import AreaIndex, area_index, clear_area_index
from buurtwacht.geo.models import Address, AreaKind
from buurtwacht.geo.selectors import current_areas
from tests.geo.conftest import SOURCE, GeoData

pytestmark = pytest.mark.django_db

POELESTRAAT_24C = (6.57022923569802, 53.218461547511)
DAM_SQUARE = (4.8930, 52.3731)
NORTH_SEA = (3.5, 53.5)


def test_a_groningen_address_lies_in_gm0014_and_in_a_pc4_area(geo_data: GeoData) -> None:
    hits = area_index().areas_at(*POELESTRAAT_24C)
    assert [(hit.kind, hit.code) for hit in hits] == [
        ("gemeente", "GM0014"),
        ("buurt", "BU00140001"),  # tests/geo/conftest.py's made-up buurten
        ("pc4", "9712"),
    ]
    assert hits[0].name == "Groningen"


def test_every_groningen_address_lies_in_a_pc4_area(geo_data: GeoData) -> None:
    """DATA-LICENCES.md's check: the PC4 areas are clipped to the simplified 2021 outline of
    the municipality, so the dozen addresses that outline leaves out lie in none; of the
    others, all but three lie in their own PC4."""
    index = area_index()
    outcome: Counter[str] = Counter()
    for postcode, lon, lat in Address.objects.values_list("postcode", "lon", "lat"):
        hits = index.areas_at(lon, lat, kind=AreaKind.PC4)
        outcome["inside"] += bool(hits)
        outcome["own"] += any(hit.code == postcode[:4] for hit in hits)
    assert outcome == {"inside": 5600, "own": 5597}


def test_a_point_in_amsterdam_lies_in_amsterdam_and_no_groningen_area(geo_data: GeoData) -> None:
    assert [hit.code for hit in area_index().areas_at(*DAM_SQUARE)] == ["GM0363"]


def test_each_buurt_contains_its_own_inner_point(geo_data: GeoData) -> None:
    index = area_index()
    for area in current_areas(kind=AreaKind.BUURT):
        point = shapely.from_geojson(area.geometry).representative_point()
        hits = index.areas_at(point.x, point.y, kind=AreaKind.BUURT)
        assert [hit.id for hit in hits] == [area.id], area.code


def test_a_point_in_the_north_sea_lies_in_nothing(geo_data: GeoData) -> None:
    assert area_index().areas_at(*NORTH_SEA) == []


def test_an_empty_index_finds_nothing() -> None:
    index = AreaIndex([])
    assert index.size == 0
    assert index.areas_at(*POELESTRAAT_24C) == []
    assert not index.has_kind(AreaKind.GEMEENTE)


def test_the_index_is_rebuilt_after_a_reimport(geo_data: GeoData, tmp_path: Path) -> None:
    clear_area_index()
    first = area_index()
    assert area_index() is first  # cached while nothing changes
    old_hit = first.areas_at(*POELESTRAAT_24C, kind=AreaKind.GEMEENTE)[0]

    data = json.loads(geo_data.gemeenten_path.read_text(encoding="utf-8"))
    for feature in data["features"]:
        if feature["properties"]["code"] == "GM0014":
            feature["properties"]["areaname"] = "Stad Groningen"
    changed = tmp_path / "gemeenten.geojson"
    changed.write_text(json.dumps(data), encoding="utf-8")
    import_areas(path=changed, source=SOURCE)

    second = area_index()
    assert second is not first
    new_hit = second.areas_at(*POELESTRAAT_24C, kind=AreaKind.GEMEENTE)[0]
    assert (new_hit.code, new_hit.name) == ("GM0014", "Stad Groningen")
    assert new_hit.id != old_hit.id
    assert area_index() is second
