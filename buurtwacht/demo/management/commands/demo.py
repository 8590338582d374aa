from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from buurtwacht.demo import data


class Command(BaseCommand):
    help = "Migrate, import the open data and create the demo personas (safe to re-run)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--download",
            action="store_true",
            help="download the demo's municipality (GM0014) from PDOK into OPEN_DATA_DIR "
            "first, instead of the open data that ships with Buurtwacht",
        )

    def handle(self, *args: object, **options: object) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        try:
            data.run(out=self.stdout, download_missing=bool(options["download"]))
        except data.DemoDataError as exc:
            raise CommandError(str(exc)) from exc
