"""manage.py download_open_data GM0014 [...] — fetch CBS areas and BAG addresses from PDOK."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from buurtwacht.geo.download import DownloadError, Fetcher, download_municipality


class Command(BaseCommand):
    help = (
        "Download the CBS gemeenten, wijken, buurten and PC4 areas and the BAG addresses of "
        "the given municipalities from PDOK into OPEN_DATA_DIR/<code>/, in the formats "
        "import_areas and import_addresses read. Resumes a download that stopped."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("codes", nargs="+", help="CBS municipality codes, e.g. GM0014")
        parser.add_argument("--dest", type=Path, default=None, help="default: OPEN_DATA_DIR")
        parser.add_argument("--timeout", type=float, default=30.0, help="seconds per request")

    def handle(self, *args: Any, **options: Any) -> None:
        dest = options["dest"] or Path(settings.OPEN_DATA_DIR)
        fetcher = Fetcher(timeout=options["timeout"])
        for code in options["codes"]:
            try:
                folder = download_municipality(
                    code=code, dest=dest, fetcher=fetcher, stdout=self.stdout
                )
            except DownloadError as exc:
                raise CommandError(
                    _("%(error)s\nWhat was fetched is kept: run the command again to go on.")
                    % {"error": exc.message}
                ) from exc
            self.stdout.write(self.style.SUCCESS(f"{code}: {folder}"))
