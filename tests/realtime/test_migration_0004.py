"""Events stored before payloads held ids (names and labels frozen in) are rewritten to ids
and codes by migration 0004, so replays follow today's names."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from buurtwacht.alerts import actions as alert_actions
from buurtwacht.geo import actions as geo_actions
from buurtwacht.geo.models import Street
from buurtwacht.realtime.handlers import events_since
from buurtwacht.realtime.models import Event
from tests.conftest import GROUP_STREET

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE, AFTER = ("realtime", "0003_event_seq_presence_server"), ("realtime", "0004_events_hold_ids")


@pytest.fixture
def groningen_addresses(groningen_subset_csv):
    geo_actions.import_addresses(path=groningen_subset_csv)


def migrate(target):
    executor = MigrationExecutor(connection)
    executor.migrate([target])


def test_old_payloads_with_names_become_ids(group, mo_member, anna_admin):
    street = Street.objects.get(name=GROUP_STREET)
    alert, _created = alert_actions.post_alert(
        user=mo_member,
        group_id=group.pk,
        draft=alert_actions.AlertDraft(
            client_id="old", kind="break_in", what="Glasgerinkel", street_id=street.pk
        ),
    )
    alert_actions.claim_call(user=anna_admin, alert_id=alert.pk, channel="112")
    migrate(BEFORE)
    try:
        at = alert.created_at.isoformat()
        old = {  # the shape events had before 0004
            "id": alert.pk,
            "kind": "break_in",
            "kind_label": "Inbraak bezig",
            "what": "Glasgerinkel",
            "street": GROUP_STREET,
            "lon": None,
            "lat": None,
            "seen_at": at,
            "direction": "",
            "person": {},
            "vehicle": {},
            "by": "Mo Bakker",
            "created_at": at,
            "call_112": {"by": "Anna de Vries", "at": at},
            "call_0900": None,
            "seen": 0,
            "going": 0,
            "updates": [],
            "closed": False,
            "outcome": "",
            "outcome_label": "",
        }
        Event.objects.filter(type="alert.claimed").update(payload={"alert": old})
    finally:
        migrate(AFTER)
    stored = Event.objects.get(type="alert.claimed").payload["alert"]
    assert "by" not in stored and "kind_label" not in stored
    assert (stored["author"], stored["street"]) == (mo_member.pk, street.pk)
    assert stored["calls"] == {"112": {"user": anna_admin.pk, "at": at}}
    _created_event, claimed = events_since(user=anna_admin, group_id=group.pk, since=0)
    assert claimed["alert"]["by"] == "Mo Bakker"
    assert claimed["alert"]["call_112"]["by"] == "Anna de Vries"
