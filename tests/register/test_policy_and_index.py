"""R-REG-1 without a database: who is listed, sizes as ranges, and the viewport rules of
the in-memory register (outlines per zoom band, clusters for crowded viewports)."""

import json

import pytest
import shapely

from buurtwacht.register import policy
from buurtwacht.register.index import (
    ListedGroup,
    RegisterIndex,
    _shapes_for,
    band_for,
    clear_register_index,
    lon_lat_zoom_box,
    outline_limit,
)

# No database is read here; the package's data fixture (conftest.py) needs the test database.
pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("listing", "members", "listed"),
    [
        ("auto", 0, False),
        ("auto", 2, False),
        ("auto", 3, True),
        ("listed", 1, True),
        ("unlisted", 50, False),
    ],
)
def test_r_reg_1_listing_rule(listing, members, listed):
    assert policy.is_listed(listing=listing, active_members=members) is listed


@pytest.mark.parametrize(
    ("members", "code"),
    [(1, "<10"), (9, "<10"), (10, "10-25"), (24, "10-25"), (25, "25-50"), (300, "250+")],
)
def test_r_reg_1_size_is_a_range_never_the_count(members, code):
    assert policy.size_code(members) == code


def grid_index(n: int) -> RegisterIndex:
    """n small round areas (~100 m) around Utrecht."""
    clear_register_index()
    groups, outlines = [], []
    for i in range(n):
        x, y = 5.0 + (i % 50) * 0.002, 52.0 + (i // 50) * 0.0015
        square = shapely.Point(x + 0.0007, y + 0.0005).buffer(0.0007, quad_segs=64)
        groups.append(
            ListedGroup(
                id=i + 1,
                name=f"Groep {i}",
                municipality_code="GM0344",
                municipality_name="Utrecht",
                size="<10",
                active_members=3,
                url=f"/kaart/groep/{i + 1}/",
            )
        )
        outlines.append((i + 1, shapely.to_geojson(square)))
    return RegisterIndex(groups=groups, shapes=_shapes_for(outlines), version="t")


def test_r_reg_1_crowded_viewports_get_clusters_that_count_every_group():
    index = grid_index(1000)
    box = dict(min_lon=4.9, min_lat=51.9, max_lon=5.2, max_lat=52.1)
    view = index.viewport(**box, zoom=10)
    assert view.clustered
    assert view.count == 1000
    features = [json.loads(f) for f in view.features]
    assert sum(f["properties"].get("count", 1) for f in features) == 1000
    assert len(features) < 100


def test_r_reg_1_outlines_simplified_more_at_lower_zoom():
    index = grid_index(20)
    box = dict(min_lon=4.9, min_lat=51.9, max_lon=5.2, max_lat=52.1)
    sizes = []
    for zoom in (11, 13, 16):
        view = index.viewport(**box, zoom=zoom)
        assert not view.clustered and view.count == 20
        sizes.append(sum(len(f) for f in view.features))
    assert sizes[0] < sizes[1] < sizes[2]
    assert band_for(11) == 0 and band_for(13) == 1 and band_for(16) == 2
    assert outline_limit(8) < outline_limit(14)


def test_r_reg_1_point_and_box_lookups():
    index = grid_index(100)
    (hit,) = index.at_point(lon=5.0007, lat=52.0005)
    assert hit.id == 1
    assert index.at_point(lon=6.0, lat=53.0) == []
    min_lon, min_lat, max_lon, max_lat = lon_lat_zoom_box(5.0, 52.0, 15, 1280, 800)
    assert min_lon < 5.0 < max_lon and min_lat < 52.0 < max_lat
    assert index.bounds_of([1])[0] == pytest.approx(5.0)


def test_r_reg_1_a_huge_box_at_a_high_zoom_stays_small():
    index = grid_index(1000)
    view = index.viewport(min_lon=3.0, min_lat=50.0, max_lon=8.0, max_lat=54.0, zoom=22)
    assert view.clustered and view.count == 1000
    assert len(view.features) <= 24 * 24
