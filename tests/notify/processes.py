"""Real `manage.py run_worker` processes on the test database (PostgreSQL), for the tests
of workers that crash or work side by side."""

import os
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.db import connection

from buurtwacht.notify.tasks import deliver_due

ROOT = Path(__file__).resolve().parents[2]


def start_worker(**env: str) -> subprocess.Popen:
    db = connection.settings_dict
    return subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), "run_worker", "--interval", "0.1"],
        env={
            **os.environ,
            "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
            "SECRET_KEY": settings.SECRET_KEY,
            "PUSH_LOCAL_SERVICES": "1",  # push services in the tests are on 127.0.0.1
            **env,
        },
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def stop(*workers: subprocess.Popen) -> None:
    for worker in workers:
        worker.kill()
    for worker in workers:
        worker.wait(timeout=10)


def wait_until_idle(*, started: int, timeout: float = 30) -> None:
    """Until the look at the outbox each of `started` workers queues when it starts has
    run, and no other look runs or waits."""
    from django_tasks_db.models import DBTaskResult

    looks = DBTaskResult.objects.filter(task_path=deliver_due.module_path)
    deadline = time.monotonic() + timeout
    while (
        looks.filter(status="SUCCESSFUL").count() < started
        or looks.filter(status__in=["READY", "RUNNING"]).exists()
    ):
        assert time.monotonic() < deadline, "the workers did not settle"
        time.sleep(0.1)
