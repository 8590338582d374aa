"""Killing the worker mid-batch and starting it again delivers every pending notification
exactly once.  Real `manage.py run_worker` processes on PostgreSQL; the push service is a
local HTTP server that takes its time, and the worker is killed (SIGKILL) while a send is in
flight.  The push service only accepts a message whose sender is still there to hear the
answer, as a real one would when the connection drops before the response."""

import os
import select
import signal
import socket
import subprocess
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from buurtwacht.notify import actions
from buurtwacht.notify.models import Delivery
from tests.notify.conftest import BrowserKeys, b64url

from . import processes
from .test_deliveries import no_email, post

DEVICES = 30

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def groningen_addresses(groningen_subset_csv):
    from buurtwacht.geo import actions as geo_actions

    geo_actions.import_addresses(path=groningen_subset_csv)


class SlowPushService:
    def __init__(self, delay: float):
        self.accepted: list[str] = []
        self.in_flight = threading.Event()
        lock = threading.Lock()
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                service.in_flight.set()
                time.sleep(delay)
                readable, _, _ = select.select([self.connection], [], [], 0)
                if readable and not self.connection.recv(1, socket.MSG_PEEK):
                    return  # the sender is gone: nothing was delivered
                with lock:
                    service.accepted.append(self.path)
                self.send_response(201)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


def start_worker() -> subprocess.Popen:
    # One send in flight, so "killed while sending" names one send.  With several in
    # flight, one that was answered in the very instant of the kill may go out again; it
    # carries the same notification tag, so a phone replaces it.
    return processes.start_worker(NOTIFY_LEASE_SECONDS="1", NOTIFY_CONCURRENCY="1")


def test_killing_the_worker_mid_batch_delivers_every_notification_exactly_once(
    group, anna_admin, mo_member, monkeypatch
):
    service = SlowPushService(delay=0.15)
    no_email(mo_member)
    monkeypatch.setattr(actions, "MAX_PUSH_DEVICES", DEVICES)  # one member, many "devices"
    for device in range(DEVICES):
        actions.subscribe_push(
            user=mo_member,
            endpoint=f"{service.url}/push/{device}",
            p256dh=BrowserKeys.new().p256dh,
            auth=b64url(os.urandom(16)),
        )
    actions.process_due()  # the set-up's join-request notice, not part of this test
    post(anna_admin, group)
    assert Delivery.objects.filter(kind="alert", state="pending").count() == DEVICES

    worker = start_worker()
    try:
        deadline = time.monotonic() + 60
        while len(service.accepted) < DEVICES // 3:
            assert time.monotonic() < deadline, "the first worker sent nothing"
            time.sleep(0.02)
        service.in_flight.clear()
        service.in_flight.wait(timeout=10)  # a send has started; it takes 150 ms
        time.sleep(0.05)  # well inside it, and after the previous one was recorded
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
        sent_before = len(service.accepted)
        assert 0 < sent_before < DEVICES

        worker = start_worker()  # picks up the outbox, including the killed lease
        while Delivery.objects.filter(kind="alert", state="pending").exists():
            assert time.monotonic() < deadline, "the second worker did not finish"
            time.sleep(0.1)
    finally:
        worker.kill()
        worker.wait(timeout=10)
        service.server.shutdown()

    counts = Counter(service.accepted)
    assert sorted(counts) == sorted(f"/push/{d}" for d in range(DEVICES))
    assert set(counts.values()) == {1}, counts  # exactly once each
    assert Delivery.objects.filter(kind="alert", state="sent").count() == DEVICES
