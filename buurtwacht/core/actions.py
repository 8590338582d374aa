import datetime as dt

from django_tasks import TaskResultStatus

from . import clock
from .models import WorkerHeartbeat

# A worker that has not beaten for this long is forgotten (it stopped or moved).
FORGET_AFTER = dt.timedelta(days=1)


def record_heartbeat(*, worker: str, lag_seconds: float, task_path: str) -> None:
    """The worker ran its heartbeat task `lag_seconds` after it was due.  Old heartbeats
    (of workers that stopped) and finished heartbeat tasks older than an hour go."""
    from django_tasks_db.models import DBTaskResult

    now = clock.now()
    WorkerHeartbeat.objects.update_or_create(
        worker=worker[:100], defaults={"seen_at": now, "lag_seconds": max(lag_seconds, 0.0)}
    )
    WorkerHeartbeat.objects.filter(seen_at__lt=now - FORGET_AFTER).delete()
    DBTaskResult.objects.filter(
        task_path=task_path,
        status__in=[TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED],
        finished_at__lt=now - dt.timedelta(hours=1),
    ).delete()
