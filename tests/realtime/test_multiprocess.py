"""Scaled mode: two uvicorn processes on PostgreSQL + Redis.  A member connected to one
process receives an alert posted through the other (channels-redis carries it)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
import redis
import websockets
from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import connection

from buurtwacht.geo.models import Street
from tests.conftest import GROUP_STREET, free_port, session_cookie, wait_until_serving

from .conftest import Socket, alert_message

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/14")

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def two_processes(tmp_path):
    redis.Redis.from_url(REDIS_URL).flushdb()
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "REDIS_URL": REDIS_URL,
        "SECRET_KEY": settings.SECRET_KEY,  # the session cookies were signed with it
        "DATA_DIR": str(tmp_path),
        "HTTPS": "0",
    }
    ports = [free_port(), free_port()]
    servers = [
        subprocess.Popen(
            [sys.executable, str(ROOT / "manage.py"), "serve", "--port", str(port)],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for port in ports
    ]
    try:
        for port in ports:
            wait_until_serving(f"http://127.0.0.1:{port}/")
        yield [f"127.0.0.1:{port}" for port in ports]
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=10)


async def open_socket(server, user):
    cookie = await sync_to_async(session_cookie)(user)
    return await websockets.connect(
        f"ws://{server}/ws/", additional_headers={"Origin": f"http://{server}", "Cookie": cookie}
    )


async def test_alert_crosses_processes_through_redis(two_processes, group, anna_admin, mo_member):
    street_id = await sync_to_async(lambda: Street.objects.get(name=GROUP_STREET).pk)()
    first, second = two_processes
    async with (
        await open_socket(first, mo_member) as mo_ws,
        await open_socket(second, anna_admin) as anna_ws,
    ):
        mo, anna = Socket(mo_ws), Socket(anna_ws)
        assert (await mo.subscribe(group.pk))["type"] == "subscribed"
        assert (await anna.subscribe(group.pk))["type"] == "subscribed"
        posted = await anna.request(
            **alert_message(group.pk, street_id, what="Via het andere proces")
        )
        assert posted["created"] is True
        event = await mo.receive_until(lambda m: m.get("type") == "alert.created")
        assert event["alert"]["what"] == "Via het andere proces"
        claim = await mo.request(type="claim", alert=posted["alert"], channel="112")
        assert claim["won"] is True
        claimed = await anna.receive_until(lambda m: m.get("type") == "alert.claimed")
        assert claimed["alert"]["call_112"]["by"] == "Mo Bakker"
