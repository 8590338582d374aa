"""Every secret setting also reads NAME_FILE (systemd credentials, container secrets): the
file's contents without its trailing newline; NAME itself wins; a file that cannot be read
stops the start with the name of the variable."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured

from buurtwacht.datadir import env_secret

ROOT = django_settings.BASE_DIR.parent
SECRETS = {
    "SECRET_KEY": "SECRET_KEY",
    "DATABASE_URL": "DATABASES",
    "REDIS_URL": "REDIS_URL",
    "EMAIL_HOST_PASSWORD": "EMAIL_HOST_PASSWORD",
    "SMS_GATEWAY_PASSWORD": "SMS_GATEWAY_PASSWORD",
    "METRICS_TOKEN": "METRICS_TOKEN",
}


def test_env_secret_reads_the_file_named_by_name_file(tmp_path, monkeypatch):
    secret = tmp_path / "pw"
    secret.write_text("geheim wachtwoord\n")
    monkeypatch.delenv("SOME_PASSWORD", raising=False)
    monkeypatch.setenv("SOME_PASSWORD_FILE", str(secret))
    assert env_secret("SOME_PASSWORD") == "geheim wachtwoord"
    monkeypatch.setenv("SOME_PASSWORD", "direct")
    assert env_secret("SOME_PASSWORD") == "direct"


def test_an_unreadable_secret_file_stops_the_start(tmp_path, monkeypatch):
    monkeypatch.delenv("SOME_PASSWORD", raising=False)
    monkeypatch.setenv("SOME_PASSWORD_FILE", str(tmp_path / "missing"))
    with pytest.raises(ImproperlyConfigured, match="SOME_PASSWORD_FILE="):
        env_secret("SOME_PASSWORD")


def test_every_secret_setting_and_the_vapid_key_read_their_file(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in SECRETS and k != "VAPID_PRIVATE_KEY"}
    values = {
        "SECRET_KEY": "key-from-a-file",
        "DATABASE_URL": f"sqlite:///{tmp_path}/from-file.sqlite3",
        "REDIS_URL": "redis://:pw@127.0.0.1:6379/5",
        "EMAIL_HOST_PASSWORD": "smtp-pw",
        "SMS_GATEWAY_PASSWORD": "sms-pw",
        "METRICS_TOKEN": "scrape-token",
    }
    for name, text in values.items():
        (tmp_path / name).write_text(text + "\n")
        env[f"{name}_FILE"] = str(tmp_path / name)
    from py_vapid import Vapid

    key = Vapid()
    key.generate_keys()
    (tmp_path / "vapid.pem").write_bytes(key.private_pem())
    env["VAPID_PRIVATE_KEY_FILE"] = str(tmp_path / "vapid.pem")
    names = sorted(set(SECRETS.values()) - {"DATABASES"})
    script = f"""
import json, django
django.setup()
from django.conf import settings
from buurtwacht.notify import keys
print(json.dumps({{name: str(getattr(settings, name)) for name in {names!r}}}
                 | {{"DB": str(settings.DATABASES["default"]["NAME"]),
                    "VAPID": keys.vapid().private_pem().decode()}}))
"""
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "buurtwacht.settings", "DATA_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        check=True,
    )
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    for name in ("SECRET_KEY", "REDIS_URL", "EMAIL_HOST_PASSWORD", "SMS_GATEWAY_PASSWORD"):
        assert seen[name] == values[name]
    assert seen["METRICS_TOKEN"] == values["METRICS_TOKEN"]
    assert seen["DB"] == f"{tmp_path}/from-file.sqlite3"
    assert seen["VAPID"] == key.private_pem().decode()
