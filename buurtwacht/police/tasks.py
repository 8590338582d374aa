"""The 48-hour follow-up on the task worker (django-tasks, database backend): one task per
report with `run_after`, stored with the report; and a sweep at worker start for whatever
fell due while no worker ran.  Sending twice is impossible either way (actions.send_follow_up)."""

from django_tasks import task

from . import actions


@task()
def follow_up(report_id: int) -> int:
    return actions.send_follow_up(report_id=report_id)


@task()
def follow_up_overdue() -> int:
    return actions.send_overdue_follow_ups()
