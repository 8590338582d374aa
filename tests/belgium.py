"""A small Belgian demo area made by the tests: two statistical sectors of Gent (NIS 44021)
in Statbel's GeoJSON layout, and addresses on three streets of postcode 9000 in BOSA's
BeST address CSV layout.  Synthetic but plausible (the streets exist; the outlines and
points are ours), imported through the real importers: Veldstraat 1-24, Kouter 12 and
50-60, Sint-Pietersnieuwstraat 100-130.  Both Kouter and Veldstraat have a number 12: a
Belgian postcode covers a town.

Fixtures (registered in tests/conftest.py): ``belgium`` (the data, and the instance serving
NL and BE), ``lotte_beheerder`` (a Gent resident and the admin of ``belgian_group`` on
Veldstraat), ``jonas_lid`` (a member), ``camille`` (a French-speaking resident of Veldstraat,
not yet a member), ``belgian_coordinator`` (verified for Gent).
"""

import csv
import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from buurtwacht.accounts import actions as account_actions
from buurtwacht.geo import actions as geo_actions
from buurtwacht.geo.geocoders import GazetteerGeocoder
from buurtwacht.geo.geocoding import AddressQuery
from buurtwacht.geo.models import Street
from buurtwacht.groups import actions
from buurtwacht.municipality.actions import grant_role
from buurtwacht.municipality.models import VerifiedRole

GENT = "44021"
POSTCODE = "9000"
BE_STREET = "Veldstraat"
PASSWORD = "veilig-in-de-buurt-2026"

# (street, French name or '', first point lon, lat, step in lon, house numbers)
STREETS = (
    ("Veldstraat", "", 3.7150, 51.0500, 0.0002, range(1, 25)),
    ("Kouter", "", 3.7228, 51.0520, 0.0002, [12, *range(50, 61)]),
    ("Sint-Pietersnieuwstraat", "", 3.7260, 51.0450, 0.0001, range(100, 131)),
)
SECTORS = (
    # CD_SECTOR, TX_SECTOR_DESCR_NL, TX_SECTOR_DESCR_FR, (min lon, min lat, max lon, max lat)
    ("44021A00-", "Binnenstad-West", "Centre-ville ouest", (3.700, 51.040, 3.720, 51.060)),
    ("44021A01-", "Binnenstad-Oost", "Centre-ville est", (3.720, 51.040, 3.740, 51.060)),
)
BEST_HEADER = [
    "EPSG:31370_x",
    "EPSG:31370_y",
    "EPSG:4326_lat",
    "EPSG:4326_lon",
    "address_id",
    "box_number",
    "house_number",
    "municipality_id",
    "municipality_name_de",
    "municipality_name_fr",
    "municipality_name_nl",
    "postcode",
    "postname_fr",
    "postname_nl",
    "street_id",
    "streetname_de",
    "streetname_fr",
    "streetname_nl",
    "region_code",
    "status",
]


def statbel_sectors(path: Path) -> Path:
    """The sectors as Statbel's 4326 GeoJSON has them (its property names, WGS84)."""
    features = []
    for code, name_nl, name_fr, (x0, y0, x1, y1) in SECTORS:
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "CD_SECTOR": code,
                    "TX_SECTOR_DESCR_NL": name_nl,
                    "TX_SECTOR_DESCR_FR": name_fr,
                    "CD_SUB_MUNTY": "44021A",
                    "CD_MUNTY_REFNIS": GENT,
                    "TX_MUNTY_DESCR_NL": "Gent",
                    "TX_MUNTY_DESCR_FR": "Gand",
                    "CD_DSTR_REFNIS": "44000",
                    "CD_PROV_REFNIS": "40000",
                    "CD_RGN_REFNIS": "02000",
                },
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]],
                },
            }
        )
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


def best_addresses(path: Path, *, extra_rows: list[dict[str, str]] | None = None) -> Path:
    """The addresses as BOSA's BeST CSV (openaddress-bevlg.csv) has them."""
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=BEST_HEADER)
        writer.writeheader()
        address_id = 1000
        for street_id, (name, name_fr, lon, lat, step, numbers) in enumerate(STREETS, 1):
            for i, number in enumerate(numbers):
                address_id += 1
                writer.writerow(
                    {
                        "EPSG:31370_x": "",
                        "EPSG:31370_y": "",
                        "EPSG:4326_lat": f"{lat + (0.00004 if number % 2 else 0):.6f}",
                        "EPSG:4326_lon": f"{lon + i * step:.6f}",
                        "address_id": str(address_id),
                        "box_number": "",
                        "house_number": str(number),
                        "municipality_id": GENT,
                        "municipality_name_de": "",
                        "municipality_name_fr": "Gand",
                        "municipality_name_nl": "Gent",
                        "postcode": POSTCODE,
                        "postname_fr": "Gand",
                        "postname_nl": "Gent",
                        "street_id": str(street_id),
                        "streetname_de": "",
                        "streetname_fr": name_fr,
                        "streetname_nl": name,
                        "region_code": "BE-VLG",
                        "status": "current",
                    }
                )
        for row in extra_rows or []:
            writer.writerow({key: row.get(key, "") for key in BEST_HEADER})
    return path


@dataclass(frozen=True)
class BelgianData:
    sectors: Path
    addresses: Path


@pytest.fixture
def belgium(settings, db, tmp_path) -> BelgianData:
    settings.COUNTRIES = ["NL", "BE"]
    sectors = statbel_sectors(tmp_path / "sh_statbel_statistical_sectors_4326_20240101.geojson")
    addresses = best_addresses(tmp_path / "openaddress-bevlg.csv")
    geo_actions.import_areas(path=sectors, kind="gemeente", source="statbel")
    geo_actions.import_areas(path=sectors, source="statbel")
    geo_actions.import_addresses(path=addresses)
    return BelgianData(sectors=sectors, addresses=addresses)


def make_belgian(name: str, *, street: str, number: int, language: str = ""):
    address = GazetteerGeocoder().lookup(
        AddressQuery(postcode=POSTCODE, number=number, street=street)
    )
    assert address is not None
    return account_actions.register_user(
        registration=account_actions.Registration(
            email=f"{name.split()[0].lower()}.{number}@example.be",
            name=name,
            password=PASSWORD,
            date_of_birth=dt.date(1985, 3, 9),
            address=address,
            language=language,
        )
    )


@pytest.fixture
def lotte_beheerder(belgium):
    return make_belgian("Lotte Peeters", street=BE_STREET, number=2)


@pytest.fixture
def belgian_group(lotte_beheerder):
    street = Street.objects.get(name=BE_STREET, city="Gent")
    return actions.create_group(
        founder=lotte_beheerder,
        new=actions.NewGroup(
            name="BIN Veldstraat",
            description="Samen waakzaam in de Veldstraat.",
            municipality_code=street.municipality_code,
            street_ids=[street.pk],
        ),
        overlaps_confirmed=False,
    )


@pytest.fixture
def jonas_lid(belgian_group, lotte_beheerder):
    from tests.conftest import admit

    jonas = make_belgian("Jonas Janssens", street=BE_STREET, number=5)
    admit(belgian_group, lotte_beheerder, jonas)
    return jonas


@pytest.fixture
def camille(belgium):
    return make_belgian("Camille Dubois", street=BE_STREET, number=7, language="fr")


@pytest.fixture
def belgian_coordinator(belgian_group):
    coordinator = make_belgian("Sofie Claes", street="Kouter", number=51)
    grant_role(
        user=coordinator,
        role=VerifiedRole.MUNICIPALITY,
        municipality_codes=[GENT],
        staff=None,
        evidence="Stad Gent, dienst Preventie (test)",
    )
    return coordinator
