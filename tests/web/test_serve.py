"""The real ASGI server: `manage.py serve` runs uvicorn on a SQLite file in WAL mode."""

import os
import sqlite3
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import free_port, wait_until_serving

ROOT = Path(__file__).resolve().parents[2]


def manage(*args: str, env: dict[str, str], **kwargs):
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        **kwargs,
    )


@pytest.fixture
def embedded_env(tmp_path):
    env = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "SECRET_KEY"}
    }
    env.update(DATA_DIR=str(tmp_path), HTTPS="0")
    return env


def test_secret_key_is_generated_once_and_private(embedded_env, tmp_path):
    assert manage("check", env=embedded_env).returncode == 0
    key_file = tmp_path / "secret_key"
    key = key_file.read_text()
    assert len(key) >= 50
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert manage("check", env=embedded_env).returncode == 0
    assert key_file.read_text() == key


def test_reading_the_settings_writes_nothing(embedded_env, tmp_path):
    data = tmp_path / "nieuw"
    code = "import django; django.setup(); from django.conf import settings; settings.SECRET_KEY"
    env = {**embedded_env, "DATA_DIR": str(data), "DJANGO_SETTINGS_MODULE": "buurtwacht.settings"}
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert not data.exists()  # no folders, no key file


@pytest.mark.parametrize(
    ("name", "value", "says"),
    [
        ("HTTPS", "ture", "HTTPS='ture': use 1 or 0"),
        ("DEBUG", "maybe", "DEBUG='maybe'"),
        ("SOCKETS_PER_ACCOUNT", "twenty", "must be a whole number"),
        ("HEARTBEAT_SECONDS", "-1", "must not be negative"),
    ],
)
def test_a_setting_that_makes_no_sense_stops_the_start(embedded_env, name, value, says):
    """HTTPS=ture was silently "off": no HSTS, no secure cookies."""
    result = manage("check", env={**embedded_env, name: value})
    assert result.returncode != 0
    assert says in result.stderr


def test_several_workers_are_refused_without_redis(embedded_env):
    result = manage("serve", "--workers", "2", env=embedded_env)
    assert result.returncode != 0
    assert "REDIS_URL" in result.stderr


def test_uvicorn_serves_the_dutch_home_page_on_sqlite_wal(embedded_env, tmp_path):
    assert manage("migrate", "--verbosity", "0", env=embedded_env).returncode == 0
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), "serve", "--port", str(port)],
        env=embedded_env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        body = wait_until_serving(f"http://127.0.0.1:{port}/")
        assert "Samen letten we op elkaar" in body
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/static/web/site.css") as css:
            assert css.status == 200
    finally:
        server.terminate()
        server.wait(timeout=10)
    with sqlite3.connect(tmp_path / "buurtwacht.sqlite3") as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
