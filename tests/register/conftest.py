from pathlib import Path

import pytest

from buurtwacht.geo.actions import import_addresses, import_areas
from buurtwacht.geo.index import clear_area_index
from buurtwacht.groups import actions
from buurtwacht.groups.models import Listing
from buurtwacht.register.index import clear_register_index


@pytest.fixture(scope="package", autouse=True)
def register_areas(
    django_db_setup, django_db_blocker, groningen_csv: Path, gemeenten_geojson, pc4_geojson
):
    """Real municipalities and PC4 outlines (the streets get their municipality from them),
    imported once for the package and kept, like tests/geo's data."""
    with django_db_blocker.unblock():
        import_addresses(path=groningen_csv)
        import_areas(path=gemeenten_geojson, source="test")
        import_areas(path=pc4_geojson, source="test")
    yield
    clear_area_index()


@pytest.fixture(autouse=True)
def _fresh_register(settings):
    """The register index lives per process: start every test from the database, and
    see each change at once."""
    settings.REGISTER_REFRESH_SECONDS = 0
    clear_register_index()
    yield
    clear_register_index()


@pytest.fixture
def listed_group(group, anna_admin):
    return actions.set_listing(admin=anna_admin, group_id=group.pk, listing=Listing.LISTED)
