"""The worker's heartbeat: a task that records that a worker ran it (and how late), then
queues itself WORKER_HEARTBEAT_SECONDS later.  A worker that stops, or is stuck, stops
beating: /readyz says so.  Each worker queues one when it starts."""

import datetime as dt
import os
import socket

from django.conf import settings
from django.utils.dateparse import parse_datetime
from django_tasks import TaskResultStatus, task

from . import actions, clock


@task()
def heartbeat(due: str) -> float:
    try:
        planned = parse_datetime(due) or clock.now()
        lag = (clock.now() - planned).total_seconds()
        actions.record_heartbeat(
            worker=f"{socket.gethostname()[:60]}:{os.getpid()}",
            lag_seconds=lag,
            task_path=heartbeat.module_path,
        )
        return lag
    finally:
        schedule_heartbeat(at=clock.now() + dt.timedelta(seconds=settings.WORKER_HEARTBEAT_SECONDS))


def schedule_heartbeat(*, at: dt.datetime | None = None) -> None:
    """Queue a heartbeat for `at` (now when None), unless one is queued already."""
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    backend = heartbeat.get_backend()
    if (
        isinstance(backend, DatabaseBackend)
        and DBTaskResult.objects.filter(
            status=TaskResultStatus.READY, task_path=heartbeat.module_path
        ).exists()
    ):
        return  # the next one is queued (by another worker, or before a restart)
    due = at or clock.now()
    (heartbeat if at is None else heartbeat.using(run_after=at)).enqueue(due.isoformat())
