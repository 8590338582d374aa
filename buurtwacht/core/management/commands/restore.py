"""`manage.py restore FILE`: bring a backup back on an empty install (core/backup.py).
Refuses, changing nothing, when the archive is damaged, made on another kind of database
or by a newer version, or when the install holds data."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from buurtwacht.core.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = "Restore a backup archive onto an empty install (stop the server first)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path)

    def handle(self, *args: Any, archive: Path, **options: Any) -> None:
        try:
            restored = restore_backup(archive=archive)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            _(
                "Restored the backup of %(created)s (version %(version)s): %(rows)s rows, "
                "%(media)s media file(s), keys: %(keys)s."
            )
            % {
                "created": restored.manifest["created_at"],
                "version": restored.manifest["app_version"],
                "rows": restored.rows,
                "media": restored.media,
                "keys": ", ".join(restored.keys) or "-",
            }
        )
        if restored.manifest.get("keys_from_environment"):
            self.stdout.write(
                _("Set %(names)s in the environment as on the old install.")
                % {"names": ", ".join(restored.manifest["keys_from_environment"])}
            )
        if restored.pending_migrations:
            self.stdout.write(
                _(
                    "The backup is from an older version: run `manage.py migrate` before "
                    "starting the server (%(n)s migration(s) to apply)."
                )
                % {"n": len(restored.pending_migrations)}
            )
