"""/healthz and /readyz: JSON, cheap, no session, before the host check and the https
redirect; /readyz says 503 and why when the database, Redis or the worker is away, or the
outbox is stuck."""

import datetime as dt
import os
import subprocess
import sys

import pytest
import time_machine
from django.conf import settings as django_settings

from buurtwacht.core import actions, clock
from buurtwacht.core.models import WorkerHeartbeat
from buurtwacht.core.tasks import heartbeat, schedule_heartbeat
from buurtwacht.notify.models import Delivery
from tests.conftest import free_port, wait_until_serving

pytestmark = pytest.mark.django_db
ROOT = django_settings.BASE_DIR.parent


def beat(**kwargs) -> None:
    actions.record_heartbeat(worker="test:1", lag_seconds=0.2, task_path=heartbeat.module_path)


def test_healthz_answers_on_any_host_without_session_or_https_redirect(client, settings):
    settings.SECURE_SSL_REDIRECT = True  # as in production
    response = client.get("/healthz", HTTP_HOST="10.1.2.3:8001")  # not in ALLOWED_HOSTS
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert not response.cookies  # no session, no CSRF cookie
    assert response["X-Request-ID"]


def test_readyz_is_ok_with_database_layer_recent_worker_and_moving_outbox(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    beat()
    response = client.get("/readyz", HTTP_HOST="127.0.0.1:8001")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "ok" and body["reasons"] == []
    assert set(body["checks"]) == {"database", "channel_layer", "worker", "outbox"}
    assert all(check["ok"] for check in body["checks"].values())


def test_readyz_is_503_when_no_worker_ever_beat(client):
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["reasons"] == ["worker: no heartbeat from any task worker"]


def test_readyz_is_503_when_the_worker_stopped_beating(client, settings):
    beat()
    later = clock.now() + dt.timedelta(seconds=settings.READY_WORKER_SECONDS + 5)
    with time_machine.travel(later, tick=False):
        response = client.get("/readyz")
    assert response.status_code == 503
    (reason,) = response.json()["reasons"]
    assert reason.startswith("worker: last worker heartbeat 65 s ago")


def test_readyz_is_503_when_the_outbox_is_stuck(client, femke, settings):
    beat()
    Delivery.objects.create(
        user=femke,
        transport="email",
        kind="alert",
        source="alert:1",
        payload={"title": "t", "body": "b", "url": "/", "tag": "x"},
        due_at=clock.now() - dt.timedelta(seconds=settings.READY_OUTBOX_SECONDS + 60),
    )
    response = client.get("/readyz")
    assert response.status_code == 503
    (reason,) = response.json()["reasons"]
    assert reason.startswith("outbox: a notification has waited 36")


def test_readyz_is_503_when_redis_is_unreachable(client, settings):
    beat()
    settings.REDIS_URL = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["reasons"] == ["channel_layer: Redis unreachable"]
    assert body["checks"]["channel_layer"]["detail"].startswith("ConnectionError")
    outside = client.get("/readyz", REMOTE_ADDR="203.0.113.9").json()  # not an operator
    assert outside["reasons"] == body["reasons"]
    assert "detail" not in outside["checks"]["channel_layer"]


def test_readyz_is_503_when_the_database_is_unreachable(tmp_path):
    """A real server whose DATABASE_URL points at a port where nothing listens."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "manage.py", "serve", "--port", str(port), "--no-with-worker"],
        cwd=ROOT,
        env={
            **os.environ,
            "DATA_DIR": str(tmp_path),
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{free_port()}/nothing",
            "HTTPS": "0",
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert wait_until_serving(f"http://127.0.0.1:{port}/healthz") == '{"status": "ok"}'
        import urllib.error
        import urllib.request

        with pytest.raises(urllib.error.HTTPError) as answer:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=10)
        assert answer.value.code == 503
        import json

        body = json.loads(answer.value.read())
        assert body["reasons"][0] == "database: unreachable"
        assert body["checks"]["database"]["detail"].startswith("OperationalError")
        assert body["checks"]["worker"]["reason"] == "not checked: the database is unavailable"
    finally:
        server.kill()
        server.wait(timeout=10)


def test_heartbeat_task_records_how_late_it_ran_and_queues_the_next():
    from django_tasks_db.models import DBTaskResult

    due = clock.now() - dt.timedelta(seconds=3)
    lag = heartbeat.func(due.isoformat())
    assert 3 <= lag < 10
    (row,) = WorkerHeartbeat.objects.all()
    assert 3 <= row.lag_seconds < 10
    queued = DBTaskResult.objects.filter(task_path=heartbeat.module_path, status="READY")
    assert queued.count() == 1
    schedule_heartbeat()  # a second worker starting: one queued is enough
    assert queued.count() == 1
