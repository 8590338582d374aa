"""Replay over HTTP (GET /api/groups/{id}/events) takes from the same account bucket as
the account's sockets (realtime/limits.py): one token per replay page a socket would
need.  Without tokens: 429 with Retry-After, and the socket is refused too."""

import uuid

import pytest
from asgiref.sync import sync_to_async
from django.test import Client

from buurtwacht.realtime import handlers, limits

pytestmark = pytest.mark.django_db(transaction=True)


def events(client: Client, group_id: int, limit: int):
    return client.get(f"/api/groups/{group_id}/events", {"limit": limit})


@pytest.fixture
def frozen(monkeypatch):
    """The buckets refill as time passes: hold their clock still."""
    monkeypatch.setattr(limits, "_now", lambda: 1000.0)


def test_http_replay_is_refused_once_the_accounts_bucket_is_empty(
    group, mo_member, anna_admin, frozen
):
    mo = Client()
    mo.force_login(mo_member)
    for _ in range(limits.ACCOUNT_BURST):
        assert events(mo, group.pk, handlers.REPLAY_LIMIT).status_code == 200
    refused = events(mo, group.pk, 1)
    assert refused.status_code == 429
    assert refused.json()["code"] == "rate_limited"
    assert "Wacht even" in refused.json()["message"]
    assert int(refused["Retry-After"]) >= 1
    anna = Client()  # another account has a bucket of its own
    anna.force_login(anna_admin)
    assert events(anna, group.pk, 1).status_code == 200


def test_a_bigger_http_replay_costs_what_its_pages_would_cost_a_socket(group, mo_member, frozen):
    mo = Client()
    mo.force_login(mo_member)
    pages = 500 // handlers.REPLAY_LIMIT
    for _ in range(limits.ACCOUNT_BURST // pages):
        assert events(mo, group.pk, 500).status_code == 200
    assert events(mo, group.pk, 1).status_code == 429


async def test_http_replay_and_the_socket_share_one_bucket(connect, group, mo_member, frozen):
    mo = Client()
    await sync_to_async(mo.force_login)(mo_member)
    async with connect(mo_member) as socket:
        assert (await socket.subscribe(group.pk))["type"] == "subscribed"
        codes = []
        for _ in range(limits.ACCOUNT_BURST + 5):
            response = await sync_to_async(events)(mo, group.pk, handlers.REPLAY_LIMIT)
            codes.append(response.status_code)
        # the socket's subscribe frame took one token of the account's bucket
        assert codes.index(429) == limits.ACCOUNT_BURST - 1
        ref = uuid.uuid4().hex
        await socket.send(type="subscribe", group=group.pk, ref=ref)
        reply = await socket.receive_until(lambda m: m.get("ref") == ref)
        assert reply.get("code") == "rate_limited"
