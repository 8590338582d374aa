"""The task worker: first looks at the outbox (work a previous worker left behind) and
deletes what expired meanwhile (retention), then runs django-tasks-db's worker loop."""

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from buurtwacht.notify.tasks import deliver_due
from buurtwacht.privacy.tasks import schedule_purge


class Command(BaseCommand):
    help = "Run the background worker (notifications and timers)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interval", type=float, default=0.5)

    def handle(self, *args: object, interval: float, **options: object) -> None:
        deliver_due.enqueue()  # recovery: whatever is pending gets a look now
        schedule_purge()  # and whatever expired while no worker ran is deleted now
        call_command("db_worker", interval=interval, startup_delay=False)
