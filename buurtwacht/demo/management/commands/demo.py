from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from buurtwacht.demo import data


class Command(BaseCommand):
    help = "Migrate, import the open data and create the demo personas (safe to re-run)."

    def handle(self, *args: object, **options: object) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        try:
            data.run(out=self.stdout)
        except data.DemoDataError as exc:
            raise CommandError(str(exc)) from exc
