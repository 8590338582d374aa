"""Belgian groups are neighbours like Dutch ones (R-ADJ-1): their areas come from the
BeST addresses of their streets, and adjacency is measured in metres on them."""

import pytest

from buurtwacht.geo.models import Street
from buurtwacht.groups import actions
from buurtwacht.groups.models import Adjacency
from tests.belgium import make_belgian

pytestmark = pytest.mark.django_db


def test_r_adj_1_r_be_two_belgian_groups_nearby_are_neighbours(belgian_group):
    founder = make_belgian("Pieter Maes", street="Kouter", number=52)
    kouter = Street.objects.get(name="Kouter", city="Gent")
    other = actions.create_group(
        founder=founder,
        new=actions.NewGroup(
            name="BIN Kouter",
            description="",
            municipality_code=kouter.municipality_code,
            street_ids=[kouter.pk],
        ),
        overlaps_confirmed=True,
    )
    assert other.country.code == "BE" and other.municipality_code == "44021"
    pair = Adjacency.objects.get()
    assert {pair.low_id, pair.high_id} == {belgian_group.pk, other.pk}
    assert 0 < pair.distance_m < 250  # Veldstraat to Kouter, about 200 m
    far = make_belgian("An Wouters", street="Sint-Pietersnieuwstraat", number=120)
    street = Street.objects.get(name="Sint-Pietersnieuwstraat", city="Gent")
    actions.create_group(
        founder=far,
        new=actions.NewGroup(
            name="BIN Sint-Pieters",
            description="",
            municipality_code=street.municipality_code,
            street_ids=[street.pk],
        ),
        overlaps_confirmed=True,
    )
    assert Adjacency.objects.count() == 1  # about 600 m away: no neighbour
