"""Resends racing each other on PostgreSQL: a phone that sends the same post again (the
same client id) at the same moment, from several connections, makes one row and one event;
each caller gets that row, and only one hears it was created (get_or_create in the
actions).  SQLite serialises every writer, so there is nothing to race there."""

import pytest

from buurtwacht.alerts import actions
from buurtwacht.alerts.models import AckKind, Acknowledgement, Alert, AlertUpdate
from buurtwacht.chat import actions as chat_actions
from buurtwacht.chat.models import ChatMessage
from buurtwacht.geo.models import Street
from buurtwacht.police import actions as police_actions
from buurtwacht.police.models import PoliceReport
from buurtwacht.realtime.models import Event
from tests.conftest import GROUP_STREET, run_together

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]

AT_ONCE = 4


@pytest.fixture
def groningen_addresses(groningen_subset_csv):
    """Transactional tests cannot use the session import (it is flushed): import again."""
    from buurtwacht.geo import actions as geo_actions

    geo_actions.import_addresses(path=groningen_subset_csv)


def draft(client_id="telefoon-1"):
    return actions.AlertDraft(
        client_id=client_id,
        kind="break_in",
        what="Iemand forceert een achterdeur",
        street_id=Street.objects.get(name=GROUP_STREET).pk,
    )


def together(call):
    results = run_together(*[call] * AT_ONCE)
    assert not [r for r in results if isinstance(r, Exception)], results
    return results


def assert_one(results, model, event_type):
    """One row, every caller got it, one of them made it, one event."""
    rows, created = zip(*results, strict=True)
    assert sorted(created) == [False] * (AT_ONCE - 1) + [True]
    assert len({row.pk for row in rows}) == 1
    assert model.objects.count() == 1
    assert Event.objects.filter(type=event_type).count() == 1


def test_a_racing_alert_resend_makes_one_alert(group, mo_member):
    results = together(lambda: actions.post_alert(user=mo_member, group_id=group.pk, draft=draft()))
    assert_one(results, Alert, "alert.created")


def test_a_racing_update_resend_makes_one_update(group, mo_member):
    alert, _ = actions.post_alert(user=mo_member, group_id=group.pk, draft=draft())
    results = together(
        lambda: actions.add_update(
            user=mo_member, alert_id=alert.pk, client_id="u1", text="Richting het park"
        )
    )
    assert_one(results, AlertUpdate, "alert.updated")


def test_a_racing_chat_resend_makes_one_message(group, mo_member):
    results = together(
        lambda: chat_actions.post_chat(
            user=mo_member, group_id=group.pk, client_id="c1", text="Iemand thuis op 12?"
        )
    )
    assert_one(results, ChatMessage, "chat.message")


def test_a_racing_police_report_resend_makes_one_report(group, mo_member):
    alert, _ = actions.post_alert(user=mo_member, group_id=group.pk, draft=draft())
    report = police_actions.ReportDraft(client_id="r1", channel="112", alert_id=alert.pk)
    results = together(
        lambda: police_actions.record_report(user=mo_member, group_id=group.pk, draft=report)
    )
    assert_one(results, PoliceReport, "alert.reported")


def test_a_racing_double_tap_acknowledges_once(group, anna_admin, mo_member):
    alert, _ = actions.post_alert(user=anna_admin, group_id=group.pk, draft=draft())
    results = together(
        lambda: actions.acknowledge(user=mo_member, alert_id=alert.pk, kind=AckKind.GOING)
    )
    assert sorted(results) == [False] * (AT_ONCE - 1) + [True]
    assert Acknowledgement.objects.count() == 1
    assert Event.objects.filter(type="alert.acknowledged").count() == 1
