"""LOG_FORMAT=json: one JSON line per request and per task, with the request id (the
proxy's X-Request-ID, else one of our own), the account id (never its e-mail address or
home address), the duration and the status."""

import json
import logging
import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command

from buurtwacht.core.logs import JsonFormatter
from buurtwacht.core.tasks import schedule_heartbeat

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _json(settings):
    settings.LOG_FORMAT = "json"


def json_lines(caplog, logger: str) -> list[dict]:
    formatter = JsonFormatter()
    return [json.loads(formatter.format(r)) for r in caplog.records if r.name == logger]


def test_one_json_line_per_request_with_its_id_user_duration_and_status(client, caplog, femke):
    client.force_login(femke)
    with caplog.at_level(logging.INFO, logger="buurtwacht.request"):
        response = client.get("/account/", HTTP_X_REQUEST_ID="proxy-abc.123")
    assert response.status_code == 200
    assert response["X-Request-ID"] == "proxy-abc.123"
    (line,) = json_lines(caplog, "buurtwacht.request")
    assert line["request_id"] == "proxy-abc.123"
    assert line["user_id"] == femke.pk
    assert line["status"] == 200 and line["method"] == "GET" and line["path"] == "/account/"
    assert line["view"] == "profile" and line["duration_ms"] > 0
    text = json.dumps(line)
    assert femke.email not in text and "@" not in text


def test_a_request_id_that_is_not_one_is_replaced_by_our_own(client, caplog):
    with caplog.at_level(logging.INFO, logger="buurtwacht.request"):
        response = client.get("/healthz", HTTP_X_REQUEST_ID="bad id\nforged line")
    (line,) = json_lines(caplog, "buurtwacht.request")
    assert line["request_id"] == response["X-Request-ID"]
    assert len(line["request_id"]) == 32 and "\n" not in line["request_id"]
    assert line["user_id"] is None and line["view"] == "healthz"


@pytest.mark.django_db(transaction=True)  # the worker loop closes its connections
def test_one_json_line_per_task_with_its_duration_and_status(caplog):
    schedule_heartbeat()
    with caplog.at_level(logging.INFO, logger="buurtwacht.task"):
        call_command("db_worker", batch=True, interval=0.1, startup_delay=False)
    (line,) = json_lines(caplog, "buurtwacht.task")
    assert line["task"] == "buurtwacht.core.tasks.heartbeat"
    assert line["status"] == "SUCCESSFUL" and line["duration_ms"] >= 0
    assert line["task_id"]


def test_log_format_json_makes_every_line_of_the_process_json(tmp_path):
    script = (
        "import django, logging; django.setup(); "
        "logging.getLogger('buurtwacht.x').warning('hello %s', 'world')"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=django_settings.BASE_DIR.parent,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "buurtwacht.settings",
            "LOG_FORMAT": "json",
            "DATA_DIR": str(tmp_path),
        },
        capture_output=True,
        text=True,
        check=True,
    )
    lines = [json.loads(line) for line in done.stderr.splitlines() if line.startswith("{")]
    assert {"level": "WARNING", "logger": "buurtwacht.x", "message": "hello world"}.items() <= (
        lines[-1].items()
    )
