import datetime as dt

from django.db.models import Min
from django_tasks import TaskResultStatus

from . import clock
from .models import WorkerHeartbeat


def last_heartbeat() -> WorkerHeartbeat | None:
    return WorkerHeartbeat.objects.order_by("-seen_at").first()


def oldest_due_task() -> dt.datetime | None:
    """Since when the oldest background task that is due has waited for a worker."""
    from django_tasks_db.models import DBTaskResult, get_date_max

    ready = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
    now_tasks = ready.filter(run_after=get_date_max()).aggregate(at=Min("enqueued_at"))["at"]
    timed = ready.filter(run_after__lte=clock.now()).aggregate(at=Min("run_after"))["at"]
    found = [moment for moment in (now_tasks, timed) if moment is not None]
    return min(found) if found else None
