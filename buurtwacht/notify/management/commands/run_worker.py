"""The task worker: first looks at the outbox (work a previous worker left behind), deletes
what expired meanwhile (retention) and sends police follow-ups that fell due while no
worker ran, then runs django-tasks-db's worker loop (with --batch: until nothing is due,
then exits, e.g. from cron)."""

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from buurtwacht.core.tasks import schedule_heartbeat
from buurtwacht.notify.tasks import deliver_due
from buurtwacht.police.tasks import follow_up_overdue
from buurtwacht.privacy.tasks import schedule_purge


class Command(BaseCommand):
    help = "Run the background worker (notifications and timers)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interval", type=float, default=0.5)
        parser.add_argument("--batch", action="store_true", help="exit when nothing is due")

    def handle(self, *args: object, interval: float, batch: bool, **options: object) -> None:
        deliver_due.enqueue()  # recovery: whatever is pending gets a look now
        schedule_purge()  # and whatever expired while no worker ran is deleted now
        follow_up_overdue.enqueue()  # and whatever police follow-up fell due meanwhile
        schedule_heartbeat()  # /readyz: this worker runs tasks
        call_command("db_worker", interval=interval, startup_delay=False, batch=batch)
