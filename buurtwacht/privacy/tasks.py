"""The retention sweep in the task worker (django-tasks): it deletes what has expired
and queues its next run RETENTION_SWEEP_MINUTES later.  The worker also queues one when
it starts, so a sweep missed while it was down happens then."""

import dataclasses
import datetime as dt

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django_tasks import TaskResultStatus, task

from buurtwacht.core import clock

from . import actions


@task()
def purge_expired() -> dict[str, int]:
    try:
        return dataclasses.asdict(actions.purge_expired())
    finally:
        schedule_purge(at=clock.now() + dt.timedelta(minutes=settings.RETENTION_SWEEP_MINUTES))


def schedule_purge(*, at: dt.datetime | None = None) -> None:
    """Make sure a sweep starts by `at` (now when None), unless one is queued already."""
    if _sweep_waiting(by=at):
        return
    (purge_expired if at is None else purge_expired.using(run_after=at)).enqueue()


def _sweep_waiting(*, by: dt.datetime | None) -> bool:
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult, get_date_max

    backend = purge_expired.get_backend()
    if not isinstance(backend, DatabaseBackend):
        return False
    return DBTaskResult.objects.filter(
        Q(run_after=get_date_max()) | Q(run_after__lte=by or timezone.now()),  # max: now
        status=TaskResultStatus.READY,
        task_path=purge_expired.module_path,
        queue_name=purge_expired.queue_name,
        backend_name=backend.alias,
    ).exists()
