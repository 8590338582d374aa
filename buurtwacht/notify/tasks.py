"""Background work for notifications (django-tasks; the database backend's `db_worker`
runs it, or the thread `manage.py serve` starts in the embedded mode)."""

from django.utils import timezone
from django_tasks import task

from . import actions
from .selectors import next_due_at


@task()
def deliver_due() -> int:
    sent = actions.process_due()
    following = next_due_at()
    if following is not None:  # retries and quiet-hours chat: look again when due
        deliver_due.using(run_after=max(following, timezone.now())).enqueue()
    return sent
