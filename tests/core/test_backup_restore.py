"""`manage.py backup` while a real server runs and alerts are posted, then `manage.py
restore` on a fresh, empty install (a new DATA_DIR, a new database): every alert committed
before the snapshot is back with its updates, nothing half-restored (row counts match the
manifest, the stream has no holes), keys and media identical.  A restore onto an install
with data, or of a damaged archive, refuses and changes nothing.

Runs on the suite's database: SQLite (the test database file) or PostgreSQL (DATABASE_URL;
the restored copy goes into a database of its own, `<test database>_restored`)."""

import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
import threading
import time
import urllib.request
import uuid
from contextlib import closing, contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from PIL import Image
from py_vapid import Vapid

from buurtwacht.geo import actions as geo_actions
from buurtwacht.geo.models import Street
from tests.conftest import GROUP_STREET, free_port, session_cookie, wait_until_serving
from tests.core.conftest import database_url, pg_conninfo
from tests.realtime.conftest import alert_message, http_post_alert

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def groningen_addresses(groningen_subset_csv):
    """transactional_db: the server process must see committed rows."""
    geo_actions.import_addresses(path=groningen_subset_csv)


# --- installs ----------------------------------------------------------------------


class Install:
    """DATA_DIR + database of one install, as the processes of that install see them."""

    def __init__(self, data_dir: Path, database_url: str, vendor: str, db_name: str) -> None:
        self.data_dir, self.database_url = data_dir, database_url
        self.vendor, self.db_name = vendor, db_name

    @property
    def env(self) -> dict[str, str]:
        env = {
            k: v
            for k, v in os.environ.items()
            if k not in ("SECRET_KEY", "VAPID_PRIVATE_KEY", "REDIS_URL", "DATABASE_URL")
        }
        env.update(DATA_DIR=str(self.data_dir), DATABASE_URL=self.database_url, HTTPS="0")
        return env

    def manage(self, *args: str, timeout: float = 180) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), *args],
            env=self.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    @contextmanager
    def serving(self):
        port = free_port()
        log = (self.data_dir.parent / f"serve-{port}.log").open("w")
        process = subprocess.Popen(
            [sys.executable, str(ROOT / "manage.py"), "serve", "--port", str(port)],
            env=self.env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_until_serving(f"http://127.0.0.1:{port}/")
            yield f"127.0.0.1:{port}"
        finally:
            process.terminate()
            process.wait(timeout=15)
            log.close()

    @contextmanager
    def db(self):
        """A plain DB-API connection to this install's database."""
        if self.vendor == "sqlite":
            import sqlite3

            with closing(sqlite3.connect(self.db_name, timeout=30)) as conn:
                yield conn
        else:
            import psycopg

            with psycopg.connect(pg_conninfo(self.db_name), autocommit=True) as conn:
                yield conn

    def rows(self, query: str) -> list[tuple]:
        with self.db() as conn:
            return list(conn.execute(query).fetchall())

    def counts(self) -> dict[str, int]:
        if self.vendor == "sqlite":
            tables = "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite%'"
        else:
            tables = "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
        names = [name for (name,) in self.rows(tables)]
        return {name: self.rows(f'SELECT count(*) FROM "{name}"')[0][0] for name in names}  # noqa: S608

    def files(self) -> dict[str, str]:
        """Every file of DATA_DIR but the database and what a process makes itself."""
        found = {}
        for path in sorted(self.data_dir.rglob("*")):
            relative = path.relative_to(self.data_dir).as_posix()
            if path.is_file() and not relative.startswith(("buurtwacht.sqlite3", "static/")):
                found[relative] = hashlib.sha256(path.read_bytes()).hexdigest()
        return found


def make_install(tmp_path: Path, label: str, vendor: str, db_name: str | None = None) -> Install:
    data_dir = tmp_path / label
    data_dir.mkdir()
    name = db_name or (str(data_dir / "buurtwacht.sqlite3") if vendor == "sqlite" else "")
    return Install(data_dir, database_url(vendor, name), vendor, name)


@pytest.fixture
def source(tmp_path, group, mo_member):
    """The install that runs: the test database, a DATA_DIR with its keys and a photo."""
    vendor = connection.vendor
    install = make_install(tmp_path, "source", vendor, connection.settings_dict["NAME"])
    (install.data_dir / "secret_key").write_text(settings.SECRET_KEY)  # signed the cookies
    vapid = Vapid()
    vapid.generate_keys()
    (install.data_dir / "vapid_private.pem").write_bytes(vapid.private_pem())
    photos = install.data_dir / "media" / "groups"
    photos.mkdir(parents=True)
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 40, 40)).save(buffer, "JPEG")
    (photos / "grote-beerstraat.jpg").write_bytes(buffer.getvalue())
    return install


# --- posting while the backup runs ---------------------------------------------------


class Poster(threading.Thread):
    """Posts alerts one after another, each followed by an update, until stopped; keeps
    (alert id, update id, when the update's reply came) in order."""

    def __init__(self, server: str, cookie: str, group_id: int, street_id: int) -> None:
        super().__init__(daemon=True)
        self.server, self.cookie = server, cookie
        self.group_id, self.street_id = group_id, street_id
        self.done: list[tuple[int, int, float]] = []
        self.alert_times: list[tuple[int, float]] = []
        self.errors: list[object] = []
        self.stop = threading.Event()

    def post(self, path: str, payload: dict) -> dict:
        token = uuid.uuid4().hex
        request = urllib.request.Request(
            f"http://{self.server}{path}",
            data=json.dumps(payload).encode(),
            method="POST",
            headers={
                "Content-Type": "application/json",
                "Cookie": f"{self.cookie}; csrftoken={token}",
                "X-CSRFToken": token,
            },
        )
        with urllib.request.urlopen(request, timeout=15) as response:
            return json.loads(response.read())

    def run(self) -> None:
        number = 0
        while not self.stop.is_set():
            number += 1
            body = alert_message(self.group_id, self.street_id, what=f"Man bij schuur {number}")
            status, reply = http_post_alert(self.server, self.cookie, body)
            if status != 201:
                self.errors.append((status, reply))
                return
            alert = reply["alert"]
            self.alert_times.append((alert, time.monotonic()))
            try:
                update = self.post(
                    f"/api/alerts/{alert}/updates",
                    {"client_id": uuid.uuid4().hex, "text": f"Richting park ({number})"},
                )
            except OSError as error:
                self.errors.append(error)
                return
            self.done.append((alert, update["update"], time.monotonic()))


def read_manifest(archive: Path) -> dict:
    with tarfile.open(archive, "r:gz") as tar:
        member = tar.extractfile("manifest.json")
        assert member is not None
        return json.loads(member.read())


def test_backup_while_serving_and_restore_bring_back_every_committed_alert(
    source, tmp_path, new_database, group, mo_member
):
    street_id = Street.objects.get(name=GROUP_STREET).pk
    cookie = session_cookie(mo_member)
    archive = tmp_path / "backups" / "buurtwacht.tar.gz"
    with source.serving() as server:
        poster = Poster(server, cookie, group.pk, street_id)
        poster.start()
        while len(poster.done) < 5 and poster.is_alive():
            time.sleep(0.05)
        committed_before = list(poster.done)  # their replies came before the backup began
        backup_started = time.monotonic()
        made = source.manage("backup", "--output", str(archive))
        backup_ended = time.monotonic()
        while len(poster.done) < len(committed_before) + 15 and poster.is_alive():
            time.sleep(0.05)  # and posting goes on after it
        poster.stop.set()
        poster.join(timeout=30)
    assert made.returncode == 0, made.stderr
    assert not poster.errors, poster.errors
    during = [a for a, at in poster.alert_times if backup_started < at < backup_ended]
    assert during, "no alert was posted while the backup ran"
    assert archive.is_file() and not list(archive.parent.glob(".backup-*"))  # no leftovers
    assert oct(archive.stat().st_mode & 0o777) == "0o600"  # it holds the keys
    manifest = read_manifest(archive)
    assert manifest["database"]["vendor"] == connection.vendor
    assert manifest["keys"] == ["secret_key", "vapid_private.pem"]
    assert "media/groups/grote-beerstraat.jpg" in manifest["files"]
    assert manifest["migrations"]["alerts"]  # the migration state of the snapshot

    target = make_install(tmp_path, "restored", connection.vendor, new_database("restored"))
    if target.vendor == "postgresql":  # an installed, migrated, empty install ...
        migrated = target.manage("migrate", "--no-input")
        assert migrated.returncode == 0, migrated.stderr
    # ... or (SQLite here) a new DATA_DIR where nothing ran yet
    restored = target.manage("restore", str(archive))
    assert restored.returncode == 0, restored.stderr
    assert "Hersteld" in restored.stdout
    print(f"\n{made.stdout.strip()}\n{restored.stdout.strip()}")

    # Nothing half-restored: every table holds exactly the rows of the snapshot.
    counts = target.counts()
    assert {t: counts.get(t) for t in manifest["tables"]} == manifest["tables"]
    posted = [alert for alert, _update, _at in poster.done]
    alerts = [a for (a,) in target.rows("SELECT id FROM alerts_alert ORDER BY id")]
    # One poster, one alert after the other: the snapshot holds the first N of them.
    assert alerts == [a for a, _at in poster.alert_times][: len(alerts)]
    assert set(posted[: len(committed_before)]) <= set(alerts)
    print(  # the figures for the operator's notes (pytest -s)
        f"\nbackup ({connection.vendor}): {backup_ended - backup_started:.1f} s while "
        f"{len(during)} alerts were posted; {len(alerts)} of {len(poster.alert_times)} posted "
        f"alerts in the snapshot ({len(committed_before)} committed before it began); "
        f"{sum(manifest['tables'].values())} rows in {len(manifest['tables'])} tables"
    )
    updates = dict(target.rows("SELECT id, alert_id FROM alerts_alertupdate"))
    for alert, update, _at in poster.done:
        if alert in alerts[:-1] or (alert, update, _at) in committed_before:
            assert updates.get(update) == alert  # each alert with its update
    assert set(updates.values()) <= set(alerts)
    stream = f"SELECT seq FROM realtime_event WHERE group_id = {group.pk} ORDER BY seq"  # noqa: S608
    seqs = [s for (s,) in target.rows(stream)]
    assert seqs == list(range(1, len(seqs) + 1))  # the stream without holes
    created = target.rows("SELECT count(*) FROM realtime_event WHERE type = 'alert.created'")
    assert created[0][0] == len(alerts)
    # Keys and media identical.
    assert target.files() == source.files()

    # The restored install serves, with the same keys and sessions.
    migrate_check = target.manage("migrate", "--check")
    assert migrate_check.returncode == 0, migrate_check.stdout + migrate_check.stderr
    with target.serving() as server:
        request = urllib.request.Request(
            f"http://{server}/api/groups/{group.pk}/events?limit=500", headers={"Cookie": cookie}
        )
        with urllib.request.urlopen(request, timeout=15) as response:
            events = json.loads(response.read())["events"]
    assert [e["alert"]["id"] for e in events if e["type"] == "alert.created"] == alerts

    # A second restore onto this install, which now holds data, refuses and changes nothing.
    before = (target.counts(), target.files())
    again = target.manage("restore", str(archive))
    assert again.returncode != 0
    assert "niet leeg" in again.stderr and "niets veranderd" in again.stderr, again.stderr
    assert (target.counts(), target.files()) == before


def test_restore_refuses_a_damaged_archive_and_changes_nothing(
    source, tmp_path, new_database, group
):
    archive = tmp_path / "good.tar.gz"
    made = source.manage("backup", "--output", str(archive))
    assert made.returncode == 0, made.stderr
    target = make_install(tmp_path, "empty", connection.vendor, new_database("empty"))
    (target.data_dir / "secret_key").write_text("the new install's own key")
    empty = (target.counts(), target.files())

    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    # The same manifest with another database: the checksum gives it away.
    tampered = tmp_path / "tampered.tar.gz"
    with tarfile.open(archive, "r:gz") as old, tarfile.open(tampered, "w:gz") as new:
        for member in old:
            data = old.extractfile(member).read()  # type: ignore[union-attr]
            if member.name.startswith("database/"):
                data = data[:-1] + bytes([data[-1] ^ 1])
            new.addfile(member, io.BytesIO(data))
    for damaged in (truncated, tampered):
        refused = target.manage("restore", str(damaged))
        assert refused.returncode != 0
        assert "beschadigd" in refused.stderr, refused.stderr
        assert (target.counts(), target.files()) == empty
    assert "controlegetal" in refused.stderr  # the tampered one: which member failed
    assert not list(target.data_dir.glob(".restore-*"))  # nothing left behind
