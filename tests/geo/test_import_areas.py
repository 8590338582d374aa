"""import_areas on the shipped CBS/PC4 files and made ones: presets, repair, merge, versioning."""

import io
import json
from pathlib import Path
from typing import Any

import pytest
import shapely
from django.core.management import CommandError, call_command

from buurtwacht.geo.actions import ImportFileError, import_areas
from buurtwacht.geo.models import Area, AreaKind
from buurtwacht.geo.selectors import area_versions, current_area, current_areas
from tests.geo.conftest import SOURCE, GeoData

pytestmark = pytest.mark.django_db


def _write(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def _square(x: float, y: float, size: float = 0.01) -> dict[str, Any]:
    ring = [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]
    return {"type": "Polygon", "coordinates": [ring]}


def _feature(geometry: Any, **properties: Any) -> dict[str, Any]:
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def test_gemeenten_file_gives_352_municipalities(geo_data: GeoData) -> None:
    report = geo_data.gemeenten
    assert (report.kind, report.features, report.new_versions) == (AreaKind.GEMEENTE, 352, 0)
    assert report.current == 352  # created, or unchanged when already imported
    assert report.repaired == report.rejected == []
    assert current_areas(kind=AreaKind.GEMEENTE).count() == 352
    groningen = current_area(kind=AreaKind.GEMEENTE, code="GM0014")
    assert groningen is not None
    assert (groningen.name, groningen.municipality_code, groningen.version) == (
        "Groningen",
        "GM0014",
        1,
    )
    assert groningen.source == SOURCE
    # The bbox holds the centroid the file gives (6.62, 53.22).
    assert groningen.min_lon < 6.6207 < groningen.max_lon
    assert groningen.min_lat < 53.2186 < groningen.max_lat


def test_pc4_file_gives_groningen_postcode_areas(geo_data: GeoData) -> None:
    report = geo_data.pc4
    assert (report.kind, report.features, report.current) == (AreaKind.PC4, 32, 32)
    assert report.merged == 0
    assert report.repaired == report.rejected == []
    areas = list(current_areas(kind=AreaKind.PC4))
    assert {area.code for area in areas} >= {"9711", "9712", "9747"}
    geometries = shapely.from_geojson([area.geometry for area in areas])
    assert shapely.is_valid(geometries).all()
    assert set(shapely.get_type_id(geometries)) <= {3, 6}  # Polygon, MultiPolygon


def test_pc4_features_with_the_same_code_merge_and_invalid_ones_are_repaired(
    tmp_path: Path,
) -> None:
    bowtie = {  # self-intersecting but repairable into two triangles
        "type": "Polygon",
        "coordinates": [[[5.0, 52.0], [5.1, 52.1], [5.1, 52.0], [5.0, 52.1], [5.0, 52.0]]],
    }
    data = {
        "type": "FeatureCollection",
        "features": [
            _feature(_square(5.0, 52.0), pc4="1234", areaname="1234 Oost"),
            _feature(_square(5.02, 52.0), pc4="1234", areaname="1234 West"),
            _feature(bowtie, pc4="5678", areaname="5678 Strik"),
        ],
    }
    report = import_areas(path=_write(tmp_path / "pc4.geojson", data), source="test")

    assert (report.kind, report.features, report.current, report.merged) == ("pc4", 3, 2, 1)
    assert [(item.code, "Self-intersection" in item.reason) for item in report.repaired] == [
        ("5678", True)
    ]
    merged = current_area(kind=AreaKind.PC4, code="1234")
    assert merged is not None
    assert shapely.from_geojson(merged.geometry).area == pytest.approx(2 * 0.01**2)
    strik = current_area(kind=AreaKind.PC4, code="5678")
    assert strik is not None and strik.repaired


def test_cbs_buurten_have_wijk_parents_and_municipality(geo_data: GeoData) -> None:
    assert geo_data.buurten.current == 4
    buurten = current_areas(kind=AreaKind.BUURT)
    assert buurten.count() == 4
    assert set(buurten.values_list("municipality_code", flat=True)) == {"GM0014"}
    assert set(buurten.values_list("parent_code", flat=True)) == {"WK001400", "WK001401"}
    oost = current_area(kind=AreaKind.BUURT, code="BU00140001")
    assert oost is not None
    assert (oost.name, oost.parent_code) == ("Binnenstad-Oost", "WK001400")


def test_reimport_of_the_same_files_changes_nothing(geo_data: GeoData) -> None:
    before = dict(Area.objects.values_list("id", "version"))
    gemeenten = import_areas(path=geo_data.gemeenten_path, source=SOURCE)
    pc4 = import_areas(path=geo_data.pc4_path, source=SOURCE, retire_missing=True)
    assert (gemeenten.unchanged, gemeenten.created, gemeenten.new_versions) == (352, 0, 0)
    assert (pc4.unchanged, pc4.created, pc4.new_versions, pc4.retired) == (32, 0, 0, 0)
    assert dict(Area.objects.values_list("id", "version")) == before


def test_reimport_of_a_changed_copy_adds_versions_and_keeps_the_old_rows(
    geo_data: GeoData, tmp_path: Path
) -> None:
    data = json.loads(geo_data.gemeenten_path.read_text(encoding="utf-8"))
    for feature in data["features"]:
        if feature["properties"]["code"] == "GM0014":
            outline = shapely.geometry.shape(feature["geometry"])
            feature["geometry"] = shapely.geometry.mapping(
                shapely.affinity.scale(outline, 0.5, 0.5)
            )
        if feature["properties"]["code"] == "GM0363":
            feature["properties"]["areaname"] = "Amsterdam (gewijzigd)"
    changed = _write(tmp_path / "gemeenten_changed.geojson", data)
    old_groningen = current_area(kind=AreaKind.GEMEENTE, code="GM0014")
    assert old_groningen is not None

    report = import_areas(path=changed, source="copy")

    assert (report.created, report.new_versions, report.unchanged) == (0, 2, 350)
    assert current_areas(kind=AreaKind.GEMEENTE).count() == 352
    groningen = list(area_versions(kind=AreaKind.GEMEENTE, code="GM0014"))
    assert [area.version for area in groningen] == [1, 2]
    assert groningen[0].id == old_groningen.id
    assert groningen[0].retired_at is not None
    assert groningen[0].geometry == old_groningen.geometry
    assert groningen[1].retired_at is None
    assert groningen[1].max_lon - groningen[1].min_lon == pytest.approx(
        (old_groningen.max_lon - old_groningen.min_lon) / 2
    )
    amsterdam = current_area(kind=AreaKind.GEMEENTE, code="GM0363")
    assert amsterdam is not None
    assert (amsterdam.name, amsterdam.version, amsterdam.source) == (
        "Amsterdam (gewijzigd)",
        2,
        "copy",
    )

    # Back to the original: a third version, not a resurrection of the first.
    again = import_areas(path=geo_data.gemeenten_path, source=SOURCE)
    assert (again.new_versions, again.unchanged) == (2, 350)
    assert [a.version for a in area_versions(kind=AreaKind.GEMEENTE, code="GM0014")] == [1, 2, 3]


def test_retire_missing_retires_absent_areas_of_the_same_source(
    geo_data: GeoData, tmp_path: Path
) -> None:
    data = json.loads(geo_data.gemeenten_path.read_text(encoding="utf-8"))
    data["features"] = [f for f in data["features"] if f["properties"]["code"] != "GM0014"]
    smaller = _write(tmp_path / "gemeenten_without_groningen.geojson", data)

    other_source = import_areas(path=smaller, source="other", retire_missing=True)
    assert (other_source.retired, other_source.unchanged) == (0, 351)
    assert current_area(kind=AreaKind.GEMEENTE, code="GM0014") is not None

    report = import_areas(path=smaller, source=SOURCE, retire_missing=True)
    assert (report.retired, report.unchanged) == (1, 351)
    assert current_area(kind=AreaKind.GEMEENTE, code="GM0014") is None
    assert Area.objects.filter(kind=AreaKind.GEMEENTE, code="GM0014").count() == 1
    assert current_areas(kind=AreaKind.PC4).count() == 32  # other kinds untouched


def test_retire_missing_refuses_a_file_without_usable_areas(
    geo_data: GeoData, tmp_path: Path
) -> None:
    empty = _write(tmp_path / "empty.geojson", {"type": "FeatureCollection", "features": []})
    with pytest.raises(ImportFileError, match="geen bruikbare gebieden"):
        import_areas(path=empty, kind="gemeente", source=SOURCE, retire_missing=True)
    assert current_areas(kind=AreaKind.GEMEENTE).count() == 352


def test_unrepairable_features_are_rejected_with_a_reason(tmp_path: Path) -> None:
    collapsed = {  # all points on one line: make_valid leaves no polygon
        "type": "Polygon",
        "coordinates": [[[5.0, 52.0], [5.1, 52.0], [5.2, 52.0], [5.0, 52.0]]],
    }
    bowtie = {  # self-intersecting but repairable into two triangles
        "type": "Polygon",
        "coordinates": [[[5.0, 52.0], [5.1, 52.1], [5.1, 52.0], [5.0, 52.1], [5.0, 52.0]]],
    }
    data = {
        "type": "FeatureCollection",
        "features": [
            _feature(_square(5.0, 52.0), wijkcode="WK000101", wijknaam="Goed"),
            _feature({"type": "Point", "coordinates": [5.0, 52.0]}, wijkcode="WK000102"),
            _feature({"type": "Polygon", "coordinates": []}, wijkcode="WK000103"),
            _feature(_square(5.0, 52.0), wijknaam="Zonder code"),
            _feature(collapsed, wijkcode="WK000105"),
            _feature(None, wijkcode="WK000106"),
            _feature(_square(155000, 463000, 1000), wijkcode="WK000107"),  # RD metres
            _feature(bowtie, wijkcode="WK000108", wijknaam="Strik"),
            _feature(_square(5.0, 52.0), wijkcode="WK" + "9" * 40),
        ],
    }
    path = _write(tmp_path / "wijken.geojson", data)

    report = import_areas(path=path, kind="wijk", code_field="wijkcode", name_field="wijknaam")

    assert report.created == 2
    rejected = {(item.index, item.code): item.reason for item in report.rejected}
    assert set(rejected) == {
        (1, "WK000102"),
        (2, "WK000103"),
        (3, ""),
        (4, "WK000105"),
        (5, "WK000106"),
        (6, "WK000107"),
        (8, "WK" + "9" * 30),
    }
    assert "Point" in rejected[(1, "WK000102")]
    assert "empty" in rejected[(2, "WK000103")]
    assert "missing code" in rejected[(3, "")]
    assert "no polygonal part" in rejected[(4, "WK000105")]
    assert "missing geometry" in rejected[(5, "WK000106")]
    assert "WGS84" in rejected[(6, "WK000107")]
    assert "longer than 32" in rejected[(8, "WK" + "9" * 30)]
    assert [(item.index, item.code) for item in report.repaired] == [(7, "WK000108")]
    strik = current_area(kind=AreaKind.WIJK, code="WK000108")
    assert strik is not None
    assert strik.repaired
    assert shapely.from_geojson(strik.geometry).geom_type == "MultiPolygon"
    goed = current_area(kind=AreaKind.WIJK, code="WK000101")
    assert goed is not None
    assert (goed.name, goed.repaired, goed.municipality_code) == ("Goed", False, "")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ({"type": "Feature", "properties": {}, "geometry": None}, "FeatureCollection"),
        ([1, 2, 3], "FeatureCollection"),
        ({"type": "FeatureCollection", "features": {}}, "features"),
        ("not json at all {", "JSON"),
    ],
)
def test_a_file_that_is_not_a_feature_collection_is_refused_and_nothing_written(
    tmp_path: Path, content: Any, message: str
) -> None:
    path = tmp_path / "wrong.geojson"
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        _write(path, content)
    before = Area.objects.count()
    with pytest.raises(ImportFileError, match=message):
        import_areas(path=path, kind="wijk", code_field="code", name_field="name")
    assert Area.objects.count() == before


def test_unknown_layout_and_rd_coordinates_are_refused(tmp_path: Path) -> None:
    before = Area.objects.count()
    unknown = _write(
        tmp_path / "unknown.geojson",
        {"type": "FeatureCollection", "features": [_feature(_square(5, 52), foo="x")]},
    )
    with pytest.raises(ImportFileError, match="Niet te bepalen"):
        import_areas(path=unknown)
    rd = _write(
        tmp_path / "rd.geojson",
        {
            "type": "FeatureCollection",
            "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::28992"}},
            "features": [_feature(_square(155000, 463000, 100), pc4="3511", areaname="x")],
        },
    )
    with pytest.raises(ImportFileError, match="28992"):
        import_areas(path=rd)
    assert Area.objects.count() == before


def test_command_prints_the_report_and_fails_clearly(tmp_path: Path) -> None:
    data = {
        "type": "FeatureCollection",
        "features": [
            _feature(_square(5.0, 52.0), buurtcode="BU9999XX01", buurtnaam="Testbuurt"),
            _feature({"type": "Point", "coordinates": [5, 52]}, buurtcode="BU9999XX02"),
        ],
    }
    path = _write(tmp_path / "buurten.geojson", data)
    out, err = io.StringIO(), io.StringIO()
    call_command("import_areas", str(path), "--source", "test", stdout=out, stderr=err)
    assert "buurt: 1 created" in out.getvalue()
    assert "rejected feature 1 (BU9999XX02): not a polygon but a Point" in err.getvalue()

    with pytest.raises(CommandError, match="Bestand niet gevonden"):
        call_command("import_areas", str(tmp_path / "missing.geojson"))
    _write(tmp_path / "feature.geojson", data["features"][0])
    with pytest.raises(CommandError, match="geen GeoJSON FeatureCollection"):
        call_command("import_areas", str(tmp_path / "feature.geojson"))
