"""R-FUP-1: 48 hours after a report without police feedback, the reporter and the admins
get a reminder to call the wijkagent via 0900-8844: with the clock moved forward and the
real worker (`manage.py run_worker --batch`, django-tasks-db), sent late after a worker was
down, and never twice."""

import datetime as dt
import time
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from buurtwacht.notify.models import Delivery
from buurtwacht.police import actions
from buurtwacht.police.models import PoliceReport
from buurtwacht.police.selectors import feedback_delays
from buurtwacht.police.tasks import follow_up_overdue
from tests.notify import processes

pytestmark = pytest.mark.django_db(transaction=True)

AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")
NOON = dt.datetime(2026, 12, 1, 12, 0, tzinfo=AMSTERDAM)  # outside quiet hours


@pytest.fixture
def groningen_addresses(groningen_subset_csv):
    from buurtwacht.geo import actions as geo_actions

    geo_actions.import_addresses(path=groningen_subset_csv)


def worker():
    """The real worker, started and run until nothing is due."""
    call_command("run_worker", "--batch", "--interval", "0")


def record(mo_member, group):
    report, _created = actions.record_report(
        user=mo_member,
        group_id=group.pk,
        draft=actions.ReportDraft(client_id="r1", channel="0900-8844", group_mentioned=True),
    )
    return report


def reminders():
    return [m for m in mail.outbox if "0900-8844" in m.body]


def settle():
    worker()
    mail.outbox.clear()


def test_r_fup_1_reminder_at_48_hours_with_the_real_worker(group, mo_member, anna_admin):
    with time_machine.travel(NOON, tick=True) as traveller:
        settle()  # the join-request notices of the set-up
        made = record(mo_member, group)
        worker()
        assert reminders() == []
        traveller.move_to(NOON + dt.timedelta(hours=47, minutes=59))
        worker()
        assert reminders() == []
        traveller.move_to(NOON + dt.timedelta(hours=48, minutes=1))
        worker()
    sent = reminders()
    assert sorted(m.to[0] for m in sent) == sorted([mo_member.email, anna_admin.email])
    message = sent[0]
    assert message.subject == "Nog geen terugkoppeling van de politie"
    assert "Bel de wijkagent via 0900-8844" in message.body
    assert reverse("police_called", args=[made.pk]) in message.body  # the one tap
    made.refresh_from_db()
    assert made.follow_up_sent_at is not None


def test_r_fup_1_no_reminder_when_feedback_came(group, mo_member, anna_admin, pieter_politie):
    with time_machine.travel(NOON, tick=True) as traveller:
        settle()
        made = record(mo_member, group)
        traveller.move_to(NOON + dt.timedelta(hours=5))
        actions.record_feedback(user=pieter_politie, report_id=made.pk, text="Opgepakt.")
        traveller.move_to(NOON + dt.timedelta(hours=49))
        worker()
    assert reminders() == []
    made.refresh_from_db()
    assert made.follow_up_sent_at is None
    assert abs(made.time_to_feedback - dt.timedelta(hours=5)) < dt.timedelta(minutes=1)
    assert feedback_delays(group_ids=[group.pk]) == [made.time_to_feedback]
    assert not Delivery.objects.filter(kind="police_follow_up").exists()


def test_r_fup_1_sent_once_after_worker_downtime(group, mo_member, anna_admin):
    with time_machine.travel(NOON, tick=True) as traveller:
        settle()
        made = record(mo_member, group)
        # No worker ran from the report until three days later.
        traveller.move_to(NOON + dt.timedelta(hours=72))
        worker()
        first = len(reminders())
        # Restarted again, the sweep and the task run once more: nothing new.
        worker()
        assert actions.send_follow_up(report_id=made.pk) == 0
        assert actions.send_overdue_follow_ups() == 0
        worker()
    assert first == 2 and len(reminders()) == 2
    assert Delivery.objects.filter(kind="police_follow_up").count() == 2


def test_r_fup_1_the_sweep_sends_what_a_lost_task_left(group, mo_member, anna_admin):
    """The task row is gone (say, pruned): starting the worker still sends it, once."""
    from django_tasks_db.models import DBTaskResult

    with time_machine.travel(NOON, tick=True) as traveller:
        settle()
        made = record(mo_member, group)
        DBTaskResult.objects.filter(task_path__endswith="follow_up").delete()
        traveller.move_to(NOON + dt.timedelta(hours=50))
        worker()
        worker()
    assert len(reminders()) == 2
    assert PoliceReport.objects.get(pk=made.pk).follow_up_sent_at is not None


@pytest.mark.postgres
def test_r_fup_1_real_worker_processes_down_at_the_due_time_send_it_late_and_once(
    group, mo_member, anna_admin
):
    """Real `manage.py run_worker` processes: none runs when the follow-up falls due; the
    one started later sends it; two more started after it (one while the other runs)
    send nothing again."""
    from django_tasks_db.models import DBTaskResult

    actions_before = Delivery.objects.filter(kind="police_follow_up").count()
    made, _created = actions.record_report(
        user=mo_member,
        group_id=group.pk,
        draft=actions.ReportDraft(
            client_id="r1",
            channel="112",
            reported_at=timezone.now() - dt.timedelta(hours=48) + dt.timedelta(seconds=1),
        ),
    )
    time.sleep(1.5)  # due now; no worker ran
    assert Delivery.objects.filter(kind="police_follow_up").count() == actions_before == 0
    sent = Delivery.objects.filter(kind="police_follow_up")
    first = processes.start_worker()
    try:
        deadline = time.monotonic() + 30
        while sent.filter(state="sent").count() < 2:
            assert time.monotonic() < deadline, "the worker did not send the follow-up"
            time.sleep(0.1)
    finally:
        processes.stop(first)
    again = [processes.start_worker(), processes.start_worker()]
    try:
        # Each start sweeps for overdue follow-ups: wait until all three sweeps ran.
        sweeps = DBTaskResult.objects.filter(task_path=follow_up_overdue.module_path)
        deadline = time.monotonic() + 30
        while sweeps.filter(status="SUCCESSFUL").count() < 3:
            assert time.monotonic() < deadline, "the restarted workers did not sweep"
            time.sleep(0.1)
    finally:
        processes.stop(*again)
    assert sorted(sent.values_list("user_id", flat=True)) == sorted([mo_member.pk, anna_admin.pk])
    made.refresh_from_db()
    assert made.follow_up_sent_at is not None
