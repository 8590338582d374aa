"""import_addresses on the shipped Groningen BAG extract and on files with bad rows."""

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from buurtwacht.geo.actions import ImportFileError, import_addresses
from buurtwacht.geo.models import Address, Street
from buurtwacht.geo.selectors import street_points, streets_in_municipality
from tests.geo.conftest import GeoData

pytestmark = pytest.mark.django_db

HEADER = "street,number,letter,suffix,postal_code,city,lon,lat\n"


def _csv(path: Path, *rows: str) -> Path:
    path.write_text(HEADER + "".join(row + "\n" for row in rows), encoding="utf-8")
    return path


def test_groningen_csv_gives_5612_addresses_on_298_streets(geo_data: GeoData) -> None:
    report = geo_data.addresses
    # tests/conftest.py's session fixture may have imported the same file already.
    assert (report.rows, report.imported, report.updated) == (5613, 5612, 0)
    assert report.created + report.unchanged == 5612
    assert report.rejected == []
    assert len(report.duplicates) == 1
    assert all(dup.first_line < dup.line for dup in report.duplicates)
    assert Address.objects.count() == 5612
    assert Street.objects.count() == 298
    poelestraat = Address.objects.select_related("street").get(
        postcode="9712KB", number=24, letter="C", suffix=""
    )
    assert (poelestraat.street.name, poelestraat.street.city) == ("Poelestraat", "Groningen")
    # Letters and suffixes are stored upper case, '' when absent.
    assert not Address.objects.filter(letter__regex=r"[a-z]").exists()
    assert Address.objects.filter(suffix="").count() > 4500


def test_streets_get_their_municipality_from_the_gemeente_areas(geo_data: GeoData) -> None:
    assert geo_data.addresses.streets_without_municipality == 0
    assert not Street.objects.filter(municipality_code="").exists()
    in_groningen = streets_in_municipality("GM0014")
    # The 2021 outlines are simplified: a few border streets fall in a neighbour.
    assert in_groningen.count() > 290
    assert in_groningen.filter(name="Poelestraat").exists()
    street = Street.objects.get(name="Poelestraat", city="Groningen")
    points = street_points(street.id)
    assert len(points) == Address.objects.filter(street=street).count() > 1
    assert all(6.46 < lon < 6.66 and 53.18 < lat < 53.27 for lon, lat in points)


def test_rerun_is_idempotent(geo_data: GeoData) -> None:
    ids = dict(Address.objects.values_list("id", "postcode"))
    street_ids = set(Street.objects.values_list("id", flat=True))

    report = import_addresses(path=geo_data.addresses_path)

    assert (report.imported, report.created, report.updated, report.unchanged) == (
        5612,
        0,
        0,
        5612,
    )
    assert report.streets_created == 0
    assert dict(Address.objects.values_list("id", "postcode")) == ids
    assert set(Street.objects.values_list("id", flat=True)) == street_ids


def test_a_rerun_refreshes_changed_coordinates(geo_data: GeoData, tmp_path: Path) -> None:
    path = _csv(tmp_path / "moved.csv", "Poelestraat,24,C,,9712 kb,Groningen,6.5703,53.2185")
    report = import_addresses(path=path)
    assert (report.imported, report.created, report.updated) == (1, 0, 1)
    address = Address.objects.get(postcode="9712KB", number=24, letter="C")
    assert (address.lon, address.lat) == (6.5703, 53.2185)
    assert Address.objects.count() == 5612


def test_bad_rows_are_reported_with_line_numbers_and_good_rows_imported(tmp_path: Path) -> None:
    path = _csv(
        tmp_path / "mixed.csv",
        "Teststraat,1,,,9999ZZ,Testdorp,6.5,53.2",  # line 2: good
        "Teststraat,2,,,99999Z,Testdorp,6.5,53.2",  # 3: postcode
        "Teststraat,3a,,,9999ZZ,Testdorp,6.5,53.2",  # 4: number
        "Teststraat,4,,,9999ZZ,Testdorp,190.0,53.2",  # 5: lon
        "Teststraat,5,,,9999ZZ,Testdorp,53.2,6.5",  # 6: lon/lat swapped
        "Teststraat,6,,,9999ZZ,Testdorp,abc,53.2",  # 7: not a number
        ",7,,,9999ZZ,Testdorp,6.5,53.2",  # 8: street
        "Teststraat,8,ab,,9999ZZ,Testdorp,6.5,53.2",  # 9: letter
        "Teststraat,9,b, 2 ,9999 zz,Testdorp,6.5,53.2",  # 10: good, normalised
        "Teststraat,0,,,9999ZZ,Testdorp,6.5,53.2",  # 11: number zero
        "Teststraat,1,,,9999ZZ,Testdorp,6.5,53.2",  # 12: duplicate of line 2
        "Teststraat,10,,,9999SA,Testdorp,6.5,53.2",  # 13: SA is never used
        "Teststraat,11,,,9999ZZ,Testdorp,6.5,53.2,extra",  # 14: too many fields
    )
    before = Address.objects.count()

    report = import_addresses(path=path)

    reasons = {row.line: row.reason for row in report.rejected}
    assert sorted(reasons) == [3, 4, 5, 6, 7, 8, 9, 11, 13, 14]
    assert "postcode" in reasons[3]
    assert "house number" in reasons[4]
    assert "out of range" in reasons[5]
    assert "out of range" in reasons[6]
    assert "not numbers" in reasons[7]
    assert "street" in reasons[8]
    assert "letter" in reasons[9]
    assert "house number" in reasons[11]
    assert "postcode" in reasons[13]
    assert [(dup.line, dup.first_line) for dup in report.duplicates] == [(12, 2)]
    assert (report.rows, report.imported, report.created) == (13, 2, 2)
    assert Address.objects.count() == before + 2
    nine = Address.objects.get(postcode="9999ZZ", number=9)
    assert (nine.letter, nine.suffix, nine.street.name) == ("B", "2", "Teststraat")


def test_a_file_without_the_columns_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "wrong.csv"
    path.write_text("straat,huisnummer\nPoelestraat,24\n", encoding="utf-8")
    before = Address.objects.count()
    with pytest.raises(ImportFileError, match="geen adressen-CSV"):
        import_addresses(path=path)
    with pytest.raises(CommandError, match="geen adressen-CSV"):
        call_command("import_addresses", str(path))
    with pytest.raises(CommandError, match="Bestand niet gevonden"):
        call_command("import_addresses", str(tmp_path / "missing.csv"))
    assert Address.objects.count() == before


def test_command_prints_counts_and_rejected_lines(tmp_path: Path) -> None:
    path = _csv(
        tmp_path / "two.csv",
        "Teststraat,1,,,9999ZZ,Testdorp,6.5,53.2",
        "Teststraat,x,,,9999ZZ,Testdorp,6.5,53.2",
    )
    out, err = io.StringIO(), io.StringIO()
    call_command("import_addresses", str(path), stdout=out, stderr=err)
    assert "2 rows: 1 addresses imported (1 new" in out.getvalue()
    assert "line 3: house number 'x'" in err.getvalue()
