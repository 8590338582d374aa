import pytest

from buurtwacht.geo.models import Street
from tests.conftest import GROUP_STREET


@pytest.fixture
def street_id(group):
    return Street.objects.get(name=GROUP_STREET).pk
