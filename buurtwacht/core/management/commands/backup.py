"""`manage.py backup [--output FILE]`: one archive with the database, the uploaded files and
the keys in DATA_DIR (core/backup.py), consistent while the server runs."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from buurtwacht.core.backup import BackupError, create_backup, default_name


class Command(BaseCommand):
    help = "Write a backup archive (database, media files, keys) while the server runs."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output", type=Path, default=None, help="default: ./" + default_name()
        )

    def handle(self, *args: Any, output: Path | None, **options: Any) -> None:
        target = output or Path(default_name())
        try:
            manifest = create_backup(output=target)
        except BackupError as error:
            raise CommandError(str(error)) from None
        files = manifest["files"]
        self.stdout.write(
            _(
                "Backup written to %(path)s: %(vendor)s database, %(rows)s rows in "
                "%(tables)s tables, %(media)s media file(s), keys: %(keys)s."
            )
            % {
                "path": target.resolve(),
                "vendor": manifest["database"]["vendor"],
                "rows": sum(manifest["tables"].values()),
                "tables": len(manifest["tables"]),
                "media": sum(1 for name in files if name.startswith("media/")),
                "keys": ", ".join(manifest["keys"]) or "-",
            }
        )
        if manifest["keys_from_environment"]:
            self.stdout.write(
                _(
                    "%(names)s come from the environment and are not in the backup: keep "
                    "them yourself."
                )
                % {"names": ", ".join(manifest["keys_from_environment"])}
            )
