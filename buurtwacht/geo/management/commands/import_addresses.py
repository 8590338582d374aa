"""manage.py import_addresses PATH — import a BAG-like address CSV (idempotent)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from buurtwacht.core.errors import ActionError
from buurtwacht.geo.actions import ADDRESS_COLUMNS, import_addresses


class Command(BaseCommand):
    help = (
        "Import addresses from a CSV with the columns " + ", ".join(ADDRESS_COLUMNS) + ". "
        "Re-running refreshes existing addresses and creates no duplicates."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = import_addresses(path=options["path"], stdout=self.stdout)
        except ActionError as exc:
            raise CommandError(exc.message) from exc
        for rejected in report.rejected:
            self.stderr.write(f"line {rejected.line}: {rejected.reason}")
        for duplicate in report.duplicates:
            self.stdout.write(
                f"line {duplicate.line}: same address as line {duplicate.first_line}, skipped"
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"{report.rows} rows: {report.imported} addresses imported "
                f"({report.created} new, {report.updated} updated, {report.unchanged} unchanged), "
                f"{len(report.duplicates)} duplicates, {len(report.rejected)} rejected; "
                f"{report.streets_created} new streets, "
                f"{report.streets_without_municipality} streets outside every gemeente"
            )
        )
