"""`manage.py check --deploy` finds nothing with the production settings of
docs/OPERATING.md: DEBUG off, behind a TLS proxy (HTTPS=1), a long SECRET_KEY of its own,
the site's host and origin, PostgreSQL and Redis as in the scaled topology."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_deploy_check_is_clean_with_production_settings(tmp_path):
    production = {
        "DEBUG": "0",
        "HTTPS": "1",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "buurtwacht.example.nl",
        "CSRF_TRUSTED_ORIGINS": "https://buurtwacht.example.nl",
        "DATABASE_URL": "postgres://buurtwacht@127.0.0.1:5432/buurtwacht",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "DATA_DIR": str(tmp_path),
    }
    # Not what a deployment has: the browser tests' switch for Playwright's sync API.
    left_out = ("PUSH_LOCAL_SERVICES", "DJANGO_ALLOW_ASYNC_UNSAFE")
    environment = {k: v for k, v in os.environ.items() if k not in left_out}
    done = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "check", "--deploy", "--fail-level", "WARNING"],
        env={**environment, **production},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout, done.stdout + done.stderr
