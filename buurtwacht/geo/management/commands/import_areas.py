"""manage.py import_areas PATH [--kind ...] — import a GeoJSON file of areas (WGS84)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from buurtwacht.core.errors import ActionError
from buurtwacht.geo.actions import import_areas
from buurtwacht.geo.models import AreaKind


class Command(BaseCommand):
    help = (
        "Import a GeoJSON FeatureCollection of areas (WGS84). Changed areas get a new "
        "version; the old one is retired. The spatialrisk gemeenten and PC4 files and the "
        "Amsterdam buurten file are recognised without options."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--kind", choices=AreaKind.values)
        parser.add_argument("--code-field", help="property holding the area code")
        parser.add_argument("--name-field", help="property holding the area name")
        parser.add_argument("--parent-field", help="property holding the parent area code")
        parser.add_argument("--source", default="", help="label stored with every area")
        parser.add_argument(
            "--retire-missing",
            action="store_true",
            help="retire current areas of this kind and source that the file lacks",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = import_areas(
                path=options["path"],
                kind=options["kind"],
                code_field=options["code_field"],
                name_field=options["name_field"],
                parent_field=options["parent_field"],
                source=options["source"],
                retire_missing=options["retire_missing"],
                stdout=self.stdout,
            )
        except ActionError as exc:
            raise CommandError(exc.message) from exc
        for item in report.repaired:
            self.stdout.write(f"repaired feature {item.index} ({item.code}): {item.reason}")
        for rejected in report.rejected:
            self.stderr.write(
                f"rejected feature {rejected.index} ({rejected.code or '-'}): {rejected.reason}"
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"{report.kind}: {report.created} created, {report.new_versions} new versions, "
                f"{report.unchanged} unchanged, {report.retired} retired, "
                f"{len(report.repaired)} repaired, {len(report.rejected)} rejected"
            )
        )
