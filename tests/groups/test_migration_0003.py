"""Groups that existed before adjacency (R-ADJ-1) get their area's bounding box and their
neighbours from migration groups 0003."""

import pytest
import shapely
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("groups", "0002_single_line_names"), ("alerts", "0001_initial")]
AFTER = [("groups", "0003_adjacency_sharelink")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_r_adj_1_existing_groups_get_boxes_and_neighbours():
    old = migrate(BEFORE)
    Group = old.get_model("groups", "Group")

    def made(name, lon):
        area = shapely.box(lon, 53.2, lon + 0.004, 53.204)
        return Group.objects.create(
            name=name, municipality_code="GM0014", area_geometry=shapely.to_geojson(area)
        ).pk

    a, b, far = made("A", 6.56), made("B", 6.564), made("Ver", 6.60)
    Group.objects.create(name="Zonder gebied", municipality_code="GM0014")
    try:
        new = migrate(AFTER)
        Group = new.get_model("groups", "Group")
        Adjacency = new.get_model("groups", "Adjacency")
        first = Group.objects.get(pk=a)
        assert (first.area_min_lon, first.area_max_lat) == pytest.approx((6.56, 53.204))
        assert list(Adjacency.objects.values_list("low_id", "high_id", "touching")) == [
            (a, b, True)
        ]
        assert Group.objects.get(name="Zonder gebied").area_min_lon is None
        assert far not in Adjacency.objects.values_list("high_id", flat=True)
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())  # back to the latest
