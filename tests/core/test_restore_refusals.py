"""`manage.py restore` refuses, before it looks at the install, a backup of the other kind
of database (SQLite <-> PostgreSQL) and one made by a newer version (migrations this code
does not know); the message says what to do, in Dutch."""

import hashlib
import io
import json
import tarfile

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import translation

from buurtwacht.core.backup import FORMAT, FORMAT_VERSION, SQLITE_MEMBER


def archive_with(path, **manifest):
    database = b"SQLite format 3\x00 not really"
    files = {SQLITE_MEMBER: {"size": len(database), "sha256": hashlib.sha256(database).hexdigest()}}
    body = json.dumps(
        {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "app_version": "9.9.9",
            "created_at": "2027-01-01T00:00:00+00:00",
            "tables": {},
            "keys": [],
            "files": files,
            **manifest,
        }
    ).encode()
    with tarfile.open(path, "w:gz") as tar:
        for name, data in (("manifest.json", body), (SQLITE_MEMBER, database)):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def refusal(archive) -> str:
    with translation.override("nl"), pytest.raises(CommandError) as refused:
        call_command("restore", str(archive))
    return str(refused.value)


def test_restore_refuses_a_backup_of_the_other_database_vendor(tmp_path, settings):
    settings.DATA_DIR = tmp_path
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    archive = archive_with(
        tmp_path / "other.tar.gz", database={"vendor": other, "file": SQLITE_MEMBER}
    )
    message = refusal(archive)
    assert f"{other}-database" in message and "hetzelfde soort database" in message


def test_restore_refuses_a_backup_of_a_newer_version(tmp_path, settings):
    settings.DATA_DIR = tmp_path
    archive = archive_with(
        tmp_path / "newer.tar.gz",
        database={"vendor": connection.vendor, "file": SQLITE_MEMBER},
        migrations={"alerts": ["0001_initial", "0999_from_the_future"]},
    )
    message = refusal(archive)
    assert "nieuwere versie" in message and "alerts.0999_from_the_future" in message
