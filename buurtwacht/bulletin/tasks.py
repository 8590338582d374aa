"""Background work for the bulletin (django-tasks, run by `manage.py run_worker` or the
embedded worker thread of `manage.py serve`)."""

from django_tasks import task

from . import actions


@task()
def send_newsletter(notice_id: int) -> int:
    """A published notice to the group's confirmed subscribers (R-RUL-7)."""
    return actions.send_newsletter(notice_id=notice_id)
