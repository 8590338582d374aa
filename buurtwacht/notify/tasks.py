"""Background work for notifications (django-tasks; the database backend's `db_worker`
runs it, or the thread `manage.py serve` starts in the embedded mode)."""

from django_tasks import task

from . import actions


@task()
def deliver_due() -> int:
    """Send what is due; then queue the next look for when a pending delivery can next be
    claimed (retries, quiet-hours chat, another worker's claim running out), also when
    this run failed half-way."""
    try:
        return actions.process_due()
    finally:
        actions.schedule_next_look()
