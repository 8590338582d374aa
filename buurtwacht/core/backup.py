"""Backup and restore of a whole install: one archive (tar.gz) with the database, the
uploaded files (MEDIA_ROOT) and the keys kept in DATA_DIR, described by a manifest.

The archive holds, in this order:

- ``manifest.json``: format and app version, the database vendor, the migrations applied
  and the row count of every table *in the snapshot*, when it was made, and the size and
  SHA-256 of every other member;
- ``database/buurtwacht.sqlite3`` (SQLite's online backup API: one consistent copy while
  the server writes) or ``database/buurtwacht.pgdump`` (``pg_dump`` custom format, taken
  from a snapshot exported by the transaction that counted the rows, so counts and dump
  agree);
- ``media/<path>``: the files under MEDIA_ROOT;
- ``keys/<name>``: the generated keys in DATA_DIR (secret key, VAPID key).

A backup appears whole or not at all (written beside its name, renamed at the end).  A
restore checks the whole archive and the install first (same database vendor, migrations
this code knows, an install with no data and no media) and refuses before it changes
anything.  The archive holds personal data and the keys: keep it like the database.
"""

import contextlib
import datetime as dt
import hashlib
import importlib.metadata
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connection, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.utils.translation import gettext as _

from buurtwacht import datadir
from buurtwacht.notify.keys import VAPID_KEY_FILE

FORMAT = "buurtwacht-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
KEY_FILES = (datadir.SECRET_KEY_FILE, VAPID_KEY_FILE)
# The same keys from the environment instead of DATA_DIR: not in the archive.
KEY_VARIABLES = ("SECRET_KEY", "VAPID_PRIVATE_KEY")
SQLITE_MEMBER = "database/buurtwacht.sqlite3"
PG_MEMBER = "database/buurtwacht.pgdump"
CHUNK = 1024 * 1024
# libpq connection parameters dj-database-url may put in OPTIONS (?sslmode=require, ...).
LIBPQ_OPTIONS = {
    "sslmode",
    "sslrootcert",
    "sslcert",
    "sslkey",
    "sslcrl",
    "connect_timeout",
    "application_name",
    "target_session_attrs",
    "options",
    "service",
}


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is for the operator (Dutch)."""


@dataclass
class Snapshot:
    vendor: str
    server_version: str
    tables: dict[str, int]
    migrations: dict[str, list[str]]


@dataclass
class Restored:
    manifest: dict[str, Any]
    rows: int
    media: int
    keys: list[str]
    pending_migrations: list[str] = field(default_factory=list)


def app_version() -> str:
    try:
        return importlib.metadata.version("buurtwacht")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _migrations(rows: list[tuple[str, str]]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for app, name in rows:
        found.setdefault(app, []).append(name)
    return {app: sorted(names) for app, names in sorted(found.items())}


# --- the database ------------------------------------------------------------------


def _sqlite_path() -> Path:
    return Path(settings.DATABASES["default"]["NAME"])


def _snapshot_sqlite(dest: Path) -> Snapshot:
    """SQLite's online backup API, in one step: a consistent copy while others write (in
    WAL mode they are not held up).  The copy is a single file (rollback journal)."""
    path = _sqlite_path()
    if not path.is_file():
        raise BackupError(_("There is no database at %(path)s.") % {"path": path})
    source = sqlite3.connect(path, timeout=30)
    copy = sqlite3.connect(dest)
    try:
        source.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")
        if copy.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise BackupError(_("The database copy failed its integrity check."))
        tables = [
            name
            for (name,) in copy.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        counts = {
            table: copy.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]  # noqa: S608
            for table in sorted(tables)
        }
        applied = (
            copy.execute("SELECT app, name FROM django_migrations").fetchall()
            if "django_migrations" in counts
            else []
        )
        version = copy.execute("SELECT sqlite_version()").fetchone()[0]
    finally:
        copy.close()
        source.close()
    return Snapshot("sqlite", version, counts, _migrations(applied))


def _pg_conninfo() -> tuple[str, dict[str, str]]:
    """The connection for psycopg, pg_dump and pg_restore (libpq conninfo), and the
    environment with the password (never on a command line)."""
    from psycopg.conninfo import make_conninfo

    db = settings.DATABASES["default"]
    params = {
        "dbname": db.get("NAME") or "",
        "user": db.get("USER") or "",
        "host": db.get("HOST") or "",
        "port": str(db.get("PORT") or ""),
    }
    params.update({k: str(v) for k, v in (db.get("OPTIONS") or {}).items() if k in LIBPQ_OPTIONS})
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return make_conninfo(**{k: v for k, v in params.items() if v}), env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupError(
            _("%(tool)s was not found: install the PostgreSQL client tools (postgresql-client).")
            % {"tool": name}
        )
    return found


def _run(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode:
        raise BackupError(
            _("%(tool)s failed: %(error)s")
            % {"tool": Path(command[0]).name, "error": done.stderr.strip()[-2000:]}
        )


def _snapshot_postgresql(dest: Path) -> Snapshot:
    """pg_dump from a snapshot this transaction exports: the row counts and the migrations
    in the manifest are those of the dump, whatever the server writes meanwhile."""
    import psycopg
    from psycopg import sql

    pg_dump = _tool("pg_dump")
    conninfo, env = _pg_conninfo()
    with psycopg.connect(conninfo, password=env.get("PGPASSWORD")) as conn:
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        conn.read_only = True
        with conn.cursor() as cur:
            cur.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
            snapshot, version = cur.fetchone()  # type: ignore[misc]
            cur.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
                "ORDER BY tablename"
            )
            counts = {}
            for (table,) in cur.fetchall():
                cur.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table)))
                counts[table] = cur.fetchone()[0]  # type: ignore[index]
            applied = []
            if "django_migrations" in counts:
                cur.execute("SELECT app, name FROM django_migrations")
                applied = cur.fetchall()
            _run(
                [
                    pg_dump,
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    f"--snapshot={snapshot}",
                    f"--file={dest}",
                    f"--dbname={conninfo}",
                ],
                env,
            )
        conn.rollback()
    return Snapshot("postgresql", version, counts, _migrations(applied))


# --- making a backup ---------------------------------------------------------------


def default_name(now: dt.datetime | None = None) -> str:
    moment = now or dt.datetime.now(dt.UTC)
    return f"buurtwacht-backup-{moment:%Y%m%dT%H%M%SZ}.tar.gz"


def _copy_media(dest: Path) -> list[str]:
    """Copy MEDIA_ROOT's files (after the database: a file uploaded meanwhile is extra,
    never missing).  Returns the member names."""
    root = Path(settings.MEDIA_ROOT)
    names = []
    for path in sorted(root.rglob("*")) if root.is_dir() else []:
        if not path.is_file() or path.is_symlink():
            continue
        relative = path.relative_to(root).as_posix()
        target = dest / "media" / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(FileNotFoundError):  # deleted meanwhile: not there
            shutil.copyfile(path, target)
            names.append(f"media/{relative}")
    return names


def _copy_keys(dest: Path) -> list[str]:
    names = []
    for name in KEY_FILES:
        path = Path(settings.DATA_DIR) / name
        if path.is_file():
            (dest / "keys").mkdir(exist_ok=True)
            shutil.copyfile(path, dest / "keys" / name)
            names.append(f"keys/{name}")
    return names


def create_backup(*, output: Path) -> dict[str, Any]:
    """Write the archive at `output` (whole or not at all); returns its manifest."""
    output = output.resolve()
    if output.is_dir():
        raise BackupError(_("%(path)s is a folder; give a file name.") % {"path": output})
    output.parent.mkdir(parents=True, exist_ok=True)
    vendor = connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(_("Backups support SQLite and PostgreSQL, not %(v)s.") % {"v": vendor})
    with tempfile.TemporaryDirectory(prefix=".backup-", dir=output.parent) as work:
        staging = Path(work)
        member = SQLITE_MEMBER if vendor == "sqlite" else PG_MEMBER
        (staging / "database").mkdir()
        snapshot = (_snapshot_sqlite if vendor == "sqlite" else _snapshot_postgresql)(
            staging / member
        )
        members = [member, *_copy_media(staging), *_copy_keys(staging)]
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "app_version": app_version(),
            "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "database": {
                "vendor": snapshot.vendor,
                "server_version": snapshot.server_version,
                "file": member,
            },
            "migrations": snapshot.migrations,
            "tables": snapshot.tables,
            "keys": [name.removeprefix("keys/") for name in members if name.startswith("keys/")],
            "keys_from_environment": [name for name in KEY_VARIABLES if os.environ.get(name)],
            "files": {
                name: {"size": (staging / name).stat().st_size, "sha256": _sha256(staging / name)}
                for name in members
            },
        }
        draft = staging / "archive.tar.gz"
        with tarfile.open(draft, "w:gz") as archive:
            body = json.dumps(manifest, indent=2, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mode = len(body), 0o600
            info.mtime = int(dt.datetime.now(dt.UTC).timestamp())
            archive.addfile(info, io.BytesIO(body))
            for name in members:
                archive.add(staging / name, arcname=name, recursive=False, filter=_private)
        draft.chmod(0o600)
        with draft.open("rb") as fh:
            os.fsync(fh.fileno())
        os.replace(draft, output)  # appears whole, or not at all
    return manifest


def _private(info: tarfile.TarInfo) -> tarfile.TarInfo:
    info.mode, info.uid, info.gid, info.uname, info.gname = 0o600, 0, 0, "", ""
    return info


# --- reading an archive ------------------------------------------------------------


def _safe_member(name: str) -> bool:
    path = PurePosixPath(name)
    return (
        not path.is_absolute()
        and ".." not in path.parts
        and path.parts[:1] in (("database",), ("media",), ("keys",))
        and len(path.parts) >= 2
    )


def read_archive(archive: Path, into: Path) -> dict[str, Any]:
    """Unpack `archive` into `into`, checking every member against the manifest (size,
    SHA-256) and that none is missing or extra.  Returns the manifest."""
    damaged = _("The backup %(path)s is damaged or not a Buurtwacht backup: %(why)s")
    try:
        with tarfile.open(archive, "r:gz") as tar:
            first = tar.next()
            if first is None or first.name != MANIFEST or not first.isfile():
                raise BackupError(damaged % {"path": archive, "why": _("no manifest")})
            raw = tar.extractfile(first)
            manifest = json.loads(raw.read()) if raw else None
            if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
                raise BackupError(damaged % {"path": archive, "why": _("no manifest")})
            if manifest.get("format_version") != FORMAT_VERSION:
                raise BackupError(
                    _("The backup has format version %(found)s; this version reads %(ours)s.")
                    % {"found": manifest.get("format_version"), "ours": FORMAT_VERSION}
                )
            expected: dict[str, dict[str, Any]] = manifest.get("files") or {}
            database = (manifest.get("database") or {}).get("file")
            if database not in expected or not isinstance(manifest.get("tables"), dict):
                raise BackupError(damaged % {"path": archive, "why": _("no database")})
            seen = set()
            for member in tar:
                if member is first:
                    continue
                name = member.name
                if name not in expected or not member.isfile() or not _safe_member(name):
                    why = _("unexpected member %(name)s") % {"name": name}
                    raise BackupError(damaged % {"path": archive, "why": why})
                target = into / name
                target.parent.mkdir(parents=True, exist_ok=True)
                digest = hashlib.sha256()
                source = tar.extractfile(member)
                if source is None:  # not a regular file after all
                    raise BackupError(damaged % {"path": archive, "why": name})
                with target.open("wb") as out:
                    while chunk := source.read(CHUNK):
                        digest.update(chunk)
                        out.write(chunk)
                if (
                    digest.hexdigest() != expected[name]["sha256"]
                    or target.stat().st_size != expected[name]["size"]
                ):
                    why = _("checksum of %(name)s does not match") % {"name": name}
                    raise BackupError(damaged % {"path": archive, "why": why})
                seen.add(name)
    except (tarfile.TarError, EOFError, zlib.error, ValueError, KeyError, TypeError) as error:
        why = str(error) or type(error).__name__
        raise BackupError(damaged % {"path": archive, "why": why}) from error
    missing = sorted(set(expected) - seen)
    if missing:
        why = _("missing %(names)s") % {"names": ", ".join(missing[:5])}
        raise BackupError(damaged % {"path": archive, "why": why})
    return manifest


# --- restoring ---------------------------------------------------------------------


def app_tables() -> list[str]:
    """This app's tables (not Django's own, which `migrate` fills by itself)."""
    names = set()
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.app_config.name.startswith("buurtwacht.") and meta.managed and not meta.proxy:
            names.add(meta.db_table)
    return sorted(names)


def _media_files() -> Iterator[Path]:
    root = Path(settings.MEDIA_ROOT)
    return (p for p in root.rglob("*") if p.is_file()) if root.is_dir() else iter(())


def not_empty() -> list[str]:
    """Why this install is not empty (tables of the app with rows, files in MEDIA_ROOT);
    empty: []."""
    existing = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        filled = []
        for table in app_tables():
            if table in existing:
                cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")  # noqa: S608
                if cursor.fetchone():
                    filled.append(table)
    reasons = []
    if filled:
        shown = ", ".join(filled[:6]) + (", ..." if len(filled) > 6 else "")
        reasons.append(_("the database holds data (%(tables)s)") % {"tables": shown})
    if media := sum(1 for _path in _media_files()):
        reasons.append(
            _("MEDIA_ROOT %(path)s holds %(n)s file(s)") % {"path": settings.MEDIA_ROOT, "n": media}
        )
    return reasons


def _check_fits(manifest: dict[str, Any]) -> None:
    vendor = manifest.get("database", {}).get("vendor")
    if vendor != connection.vendor:
        raise BackupError(
            _(
                "This backup holds a %(theirs)s database; this install uses %(ours)s. "
                "A backup can only be restored onto the same kind of database."
            )
            % {"theirs": vendor, "ours": connection.vendor}
        )
    known = set(MigrationLoader(None, ignore_no_migrations=True).graph.nodes)
    unknown = sorted(
        f"{app}.{name}"
        for app, names in (manifest.get("migrations") or {}).items()
        for name in names
        if (app, name) not in known
    )
    if unknown:
        raise BackupError(
            _(
                "This backup was made by a newer version of Buurtwacht (%(version)s; it has "
                "migrations this version does not know: %(names)s). Install that version "
                "or a newer one, then restore."
            )
            % {"version": manifest.get("app_version"), "names": ", ".join(unknown[:5])}
        )


def _restore_sqlite(staged: Path) -> None:
    connections.close_all()
    target = _sqlite_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(staged)
    dest = sqlite3.connect(target, timeout=30)
    try:
        if source.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise BackupError(_("The database in the backup failed its integrity check."))
        source.backup(dest)  # page by page under SQLite's own locks: one transaction
    finally:
        dest.close()
        source.close()


def _restore_postgresql(staged: Path) -> None:
    """Drop the empty install's tables, then pg_restore in one transaction."""
    pg_restore = _tool("pg_restore")
    conninfo, env = _pg_conninfo()
    _run([pg_restore, "--list", str(staged)], env)  # readable by this pg_restore, first
    tables = connection.introspection.table_names()
    if tables:
        with transaction.atomic(), connection.cursor() as cursor:
            quoted = ", ".join(connection.ops.quote_name(t) for t in tables)
            cursor.execute(f"DROP TABLE IF EXISTS {quoted} CASCADE")
    connections.close_all()
    _run(
        [
            pg_restore,
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={conninfo}",
            str(staged),
        ],
        env,
    )


def _place(source: Path, target: Path, mode: int | None = None) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    if mode is not None:
        source.chmod(mode)
    try:
        os.replace(source, target)
    except OSError:  # another file system
        shutil.copyfile(source, target)


def restore_backup(*, archive: Path) -> Restored:
    """Bring `archive` back on this install, which must be empty; refuses (BackupError)
    before changing anything when the archive, the database vendor or the install does
    not fit."""
    if not archive.is_file():
        raise BackupError(_("%(path)s does not exist.") % {"path": archive})
    data_dir = Path(settings.DATA_DIR)
    data_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".restore-", dir=data_dir) as work:
        staging = Path(work)
        manifest = read_archive(archive, staging)
        _check_fits(manifest)
        if reasons := not_empty():
            raise BackupError(
                _(
                    "This install is not empty: %(reasons)s. A restore would overwrite it, "
                    "so nothing was changed. Restore onto a new install (a new DATA_DIR and "
                    "a new, empty database)."
                )
                % {"reasons": "; ".join(reasons)}
            )
        staged = staging / manifest["database"]["file"]
        if connection.vendor == "sqlite":
            _restore_sqlite(staged)
        else:
            _restore_postgresql(staged)
        names = manifest["files"]
        media = [n for n in names if n.startswith("media/")]
        for name in media:
            _place(staging / name, Path(settings.MEDIA_ROOT) / name.removeprefix("media/"))
        keys = [n.removeprefix("keys/") for n in names if n.startswith("keys/")]
        for key in keys:
            _place(staging / "keys" / key, data_dir / key, mode=0o600)
    counts = restored_counts(list(manifest["tables"]))
    wrong = sorted(t for t, n in manifest["tables"].items() if counts.get(t) != n)
    if wrong:
        raise BackupError(
            _("After the restore these tables do not hold the rows of the backup: %(t)s")
            % {"t": ", ".join(wrong[:6])}
        )
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return Restored(
        manifest=manifest,
        rows=sum(counts.values()),
        media=len(media),
        keys=keys,
        pending_migrations=[f"{m.app_label}.{m.name}" for m, _backwards in plan],
    )


def restored_counts(tables: list[str]) -> dict[str, int]:
    existing = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        counts = {}
        for table in tables:
            if table in existing:
                cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
                counts[table] = cursor.fetchone()[0]
    return counts
