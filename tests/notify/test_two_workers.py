"""Two real `manage.py run_worker` processes on PostgreSQL share the outbox: every e-mail
goes out exactly once, also when each send takes longer than the lease, and when one of
them is killed (SIGKILL) mid-batch the other sends what it had in flight, within about the
lease.  The e-mail backend (tests/notify/slow_email.py) takes its time and logs each
message at the receiver's side."""

import signal
import time
from collections import Counter

import pytest

from buurtwacht.accounts.models import User
from buurtwacht.groups.models import Membership, MembershipRole, MembershipStatus
from buurtwacht.notify.models import Delivery

from .processes import start_worker, stop, wait_until_idle
from .slow_email import Event, read_log
from .test_deliveries import post

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]

LEASE = 2.0  # seconds; production uses 15


@pytest.fixture
def groningen_addresses(groningen_subset_csv):
    from buurtwacht.geo import actions as geo_actions

    geo_actions.import_addresses(path=groningen_subset_csv)


@pytest.fixture
def neighbours(group):
    """Members without the app open: each gets the alert by e-mail (and nothing else)."""

    def make(count: int) -> list[str]:
        users = User.objects.bulk_create(  # "!": no usable password, so no hashing
            User(email=f"buur{i}@example.nl", name=f"Buur {i}", password="!") for i in range(count)
        )
        Membership.objects.bulk_create(
            Membership(
                group=group, user=u, role=MembershipRole.MEMBER, status=MembershipStatus.ACTIVE
            )
            for u in users
        )
        return [u.email for u in users]

    return make


@pytest.fixture
def mail_env(tmp_path):
    log = tmp_path / "mail.log"

    def env(*, seconds_per_mail: float, concurrency: int) -> dict[str, str]:
        return {
            "EMAIL_BACKEND": "tests.notify.slow_email.EmailBackend",
            "SLOW_EMAIL_LOG": str(log),
            "SLOW_EMAIL_SECONDS": str(seconds_per_mail),
            "NOTIFY_LEASE_SECONDS": f"{LEASE:g}",
            "NOTIFY_CONCURRENCY": str(concurrency),
        }

    env.log = log  # type: ignore[attr-defined]
    return env


def wait_until_all_sent(deadline: float) -> None:
    while Delivery.objects.filter(kind="alert", state="pending").exists():
        assert time.monotonic() < deadline, "not everything was sent in time"
        time.sleep(0.1)
    time.sleep(0.3)  # a second send would have started by now: its claim came before


def only(events: list[Event], event: str, pid: int | None = None) -> list[Event]:
    return [e for e in events if e.event == event and (pid is None or e.pid == pid)]


def test_two_workers_send_each_email_exactly_once_though_each_send_outlasts_the_lease(
    group, anna_admin, neighbours, mail_env
):
    emails = neighbours(24)
    post(anna_admin, group)
    assert Delivery.objects.filter(kind="alert", state="pending").count() == len(emails)

    env = mail_env(seconds_per_mail=LEASE * 1.25, concurrency=4)
    workers = [start_worker(**env), start_worker(**env)]
    try:
        wait_until_all_sent(time.monotonic() + 40)
    finally:
        stop(*workers)

    events = read_log(mail_env.log)
    assert Counter(e.to for e in only(events, "start")) == Counter(emails)  # no second try
    assert Counter(e.to for e in only(events, "sent")) == Counter(emails)  # exactly once
    assert {e.pid for e in only(events, "sent")} == {w.pid for w in workers}  # both worked
    assert Delivery.objects.filter(kind="alert", state="sent").count() == len(emails)


def kill_mid_send(worker, events_of, seconds_per_mail: float) -> float:
    """SIGKILL `worker` halfway through the sends it started last; returns when."""
    started = max(e.at for e in only(events_of(), "start", worker.pid))
    time.sleep(max(0.0, started + seconds_per_mail / 2 - time.time()))
    killed = time.time()
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=10)
    return killed


def test_a_worker_killed_mid_batch_leaves_its_sends_to_the_other_within_the_lease(
    group, anna_admin, neighbours, mail_env
):
    emails = neighbours(16)
    post(anna_admin, group)
    per_mail = 1.2
    env = mail_env(seconds_per_mail=per_mail, concurrency=2)
    victim, survivor = start_worker(**env), start_worker(**env)
    try:
        deadline = time.monotonic() + 40

        def events_of():
            return read_log(mail_env.log)

        # The victim has sent some and started its next sends.
        while True:
            events = events_of()
            sent = only(events, "sent", victim.pid)
            started = only(events, "start", victim.pid)
            if len(sent) >= 2 and max(e.at for e in started) > max(e.at for e in sent):
                break
            assert time.monotonic() < deadline, "the first worker did not get going"
            time.sleep(0.02)
        killed = kill_mid_send(victim, events_of, per_mail)
        events = events_of()
        in_flight = {e.to for e in only(events, "start", victim.pid)} - {
            e.to for e in only(events, "sent", victim.pid)
        }
        assert in_flight

        wait_until_all_sent(deadline)
    finally:
        stop(victim, survivor)

    events = read_log(mail_env.log)
    assert Counter(e.to for e in only(events, "sent")) == Counter(emails)  # exactly once
    taken_over = {e.to: e.at for e in only(events, "start", survivor.pid) if e.to in in_flight}
    assert set(taken_over) == in_flight
    # The lease runs out at most LEASE after the kill; the survivor may be busy with sends
    # of its own in all its slots for one more send.
    waited = max(taken_over.values()) - killed
    assert waited < LEASE + per_mail + 1.0, waited


def test_an_idle_worker_takes_over_what_a_killed_worker_had_in_flight_within_the_lease(
    group, anna_admin, neighbours, mail_env
):
    """Nothing is queued for the second worker: the first one, before it sent anything,
    left a look at the outbox for when its lease would run out."""
    per_mail = 1.5
    env = mail_env(seconds_per_mail=per_mail, concurrency=3)
    workers = [start_worker(**env), start_worker(**env)]
    try:
        wait_until_idle(started=len(workers))
        emails = neighbours(3)  # as many as one worker sends at once
        post(anna_admin, group)
        deadline = time.monotonic() + 30
        while len(only(read_log(mail_env.log), "start")) < len(emails):
            assert time.monotonic() < deadline, "nothing was sent"
            time.sleep(0.02)
        [victim] = [w for w in workers if w.pid == only(read_log(mail_env.log), "start")[0].pid]
        [survivor] = [w for w in workers if w is not victim]
        killed = kill_mid_send(victim, lambda: read_log(mail_env.log), per_mail)
        wait_until_all_sent(deadline)
    finally:
        stop(*workers)

    events = read_log(mail_env.log)
    assert only(events, "sent", victim.pid) == []
    assert Counter(e.to for e in only(events, "sent", survivor.pid)) == Counter(emails)
    waited = max(e.at for e in only(events, "start", survivor.pid)) - killed
    assert waited < LEASE + 1.0, waited
