"""The outbox's claims, in one process with a clock the test sets: a claim holds a
delivery until its lease runs out, a renewal keeps it, a result counts only for the
holder, and a look at the outbox is always queued for when a delivery can next be
claimed, once."""

import datetime as dt

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from buurtwacht.accounts.models import User
from buurtwacht.core import clock
from buurtwacht.notify import actions, selectors, tasks
from buurtwacht.notify.models import Delivery, Transport

pytestmark = pytest.mark.django_db

LEASE = dt.timedelta(seconds=15)


@pytest.fixture
def now(monkeypatch):
    """The time `clock.now()` tells; move it with `now.set(...)`."""

    class Now:
        value = timezone.now()

        def set(self, value: dt.datetime) -> None:
            self.value = value

    current = Now()
    monkeypatch.setattr(clock, "now", lambda: current.value)
    return current


@pytest.fixture
def outbox(now):
    """`count` e-mail deliveries due now, for as many people."""

    def make(count: int) -> list[Delivery]:
        users = User.objects.bulk_create(
            User(email=f"p{i}@example.nl", name=f"P {i}", password="!") for i in range(count)
        )
        return Delivery.objects.bulk_create(
            Delivery(
                user=user,
                transport=Transport.EMAIL,
                kind="alert",
                source="alert:1",
                payload={"title": "Melding", "body": "", "url": "/", "tag": "alert-1"},
                due_at=now.value,
            )
            for user in users
        )

    return make


def looks() -> list[dt.datetime | None]:
    """When the queued looks at the outbox start (None: at once)."""
    queued = DBTaskResult.objects.filter(status="READY", task_path=tasks.deliver_due.module_path)
    starts = sorted(queued.values_list("run_after", flat=True))
    at_once = [None for at in starts if at == get_date_max()]
    return at_once + [at for at in starts if at != get_date_max()]


def test_a_claimed_delivery_is_nobody_elses_until_the_lease_runs_out(outbox, now):
    [delivery] = outbox(1)
    start = now.value
    [held] = actions._claim(token="a", limit=10, lease=LEASE, first=False)
    assert held.pk == delivery.pk
    now.set(start + LEASE)  # the very end of the lease: still held
    assert actions._claim(token="b", limit=10, lease=LEASE, first=False) == []
    now.set(start + LEASE + dt.timedelta(milliseconds=1))  # a crashed worker's claim
    [taken] = actions._claim(token="b", limit=10, lease=LEASE, first=False)
    assert taken.pk == delivery.pk
    assert (taken.claimed_by, taken.claimed_until) == ("b", now.value + LEASE)


def test_a_renewed_claim_holds_past_its_first_lease(outbox, now):
    [delivery] = outbox(1)
    start = now.value
    [held] = actions._claim(token="a", limit=10, lease=LEASE, first=False)
    now.set(start + LEASE / 3)
    actions._renew(token="a", deliveries=[held], lease=LEASE)
    now.set(start + LEASE + dt.timedelta(seconds=1))
    assert actions._claim(token="b", limit=10, lease=LEASE, first=False) == []
    delivery.refresh_from_db()
    assert delivery.claimed_until == start + LEASE / 3 + LEASE


def test_only_the_holder_records_a_result(outbox, now):
    [delivery] = outbox(1)
    [stale] = actions._claim(token="a", limit=10, lease=LEASE, first=False)
    now.set(now.value + 2 * LEASE)  # "a" stalled; "b" took over
    [current] = actions._claim(token="b", limit=10, lease=LEASE, first=False)
    actions._finish(stale, token="a")
    actions._retry(stale, token="a", error="late")
    actions._renew(token="a", deliveries=[stale], lease=LEASE)
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.claimed_by) == ("pending", 0, "b")
    assert delivery.claimed_until == now.value + LEASE
    actions._finish(current, token="b")
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.claimed_by) == ("sent", 1, "")
    assert delivery.claimed_until is None


def test_a_first_claim_queues_a_look_for_its_lease_end_and_one_for_the_rest(outbox, now):
    made = outbox(5)
    batch = actions._claim(token="a", limit=3, lease=LEASE, first=True)
    assert [d.pk for d in batch] == [d.pk for d in made[:3]]
    assert looks() == [None, now.value + LEASE]  # 2 more are due: another worker may help
    batch = actions._claim(token="b", limit=3, lease=LEASE, first=True)
    assert [d.pk for d in batch] == [d.pk for d in made[3:]]
    assert looks() == [None, now.value + LEASE]  # nothing more due; both were queued


def test_the_next_look_is_when_a_claim_runs_out_or_a_delivery_is_due(outbox, now):
    held, later = outbox(2)
    Delivery.objects.filter(pk=later.pk).update(due_at=now.value + dt.timedelta(hours=1))
    assert selectors.next_due_at() == now.value
    actions._claim(token="a", limit=10, lease=LEASE, first=False)
    assert selectors.next_due_at() == now.value + LEASE
    Delivery.objects.filter(pk=held.pk).update(state="sent")
    assert selectors.next_due_at() == now.value + dt.timedelta(hours=1)


def test_a_look_is_queued_once_an_earlier_one_suffices(now):
    at = timezone.now() + dt.timedelta(minutes=1)
    actions.schedule_look(at=at)
    actions.schedule_look(at=at + dt.timedelta(seconds=1))  # the one at `at` comes first
    assert looks() == [at]
    actions.schedule_look(at=at - dt.timedelta(seconds=1))
    actions.schedule_look()
    actions.schedule_look()
    assert looks() == [None, at - dt.timedelta(seconds=1), at]


def test_a_run_leaves_a_look_for_its_lease_end_and_asks_for_help_with_more(outbox, now, settings):
    settings.NOTIFY_CONCURRENCY = 2
    outbox(3)
    assert actions.process_due(limit=2) == 2  # 3 due, 2 slots: help wanted
    assert looks() == [None, now.value + dt.timedelta(seconds=settings.NOTIFY_LEASE_SECONDS)]
    assert Delivery.objects.filter(state="sent", claimed_by="").count() == 2


def test_a_look_that_fails_still_queues_the_next(outbox, now, monkeypatch):
    outbox(1)

    def broken(**kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(actions, "process_due", broken)
    with pytest.raises(RuntimeError):
        tasks.deliver_due.call()
    assert looks() == [now.value]
