"""A reconnect storm is paced by the server (realtime/pacing.py): beyond the sockets a
process is opening at once, a socket is told when to come back (spread out, never long)
and closed with 1013; the client comes back then and resumes with since=."""

import asyncio

import pytest
from asgiref.sync import sync_to_async

from buurtwacht.geo.models import Street
from buurtwacht.realtime import pacing
from buurtwacht.realtime.client import Position, StreamClient
from tests.conftest import GROUP_STREET, session_cookie

from .conftest import alert_message


def test_beyond_the_openings_each_socket_gets_its_own_later_slot_and_none_waits_long():
    paced = pacing.Pacing(openings=2)
    assert paced.admit(now=100.0) == 0 and paced.admit(now=100.0) == 0
    waits = [paced.admit(now=100.0) for _ in range(5000)]
    assert all(w > 0 for w in waits)
    assert waits[0] < waits[10] < waits[100]  # spread out, in the order they came
    assert max(waits) <= pacing.MAX_WAIT_SECONDS * 1.15
    paced.settle(took=0.2)  # one opened: the next may come in at once
    assert paced.admit(now=100.5) == 0


def test_the_slots_follow_how_long_opening_a_socket_takes_the_process():
    slow, quick = pacing.Pacing(openings=1), pacing.Pacing(openings=1)
    for paced, took in ((slow, 2.0), (quick, 0.05)):
        for _ in range(50):
            paced.admit(now=10.0)
            paced.settle(took=took)
        paced.admit(now=10.0)
    assert quick.admit(now=10.0) < slow.admit(now=10.0)


@pytest.mark.django_db(transaction=True)
async def test_a_socket_told_to_retry_comes_back_then_and_misses_nothing(
    asgi_server, connect, group, anna_admin, mo_member, monkeypatch
):
    street_id = await sync_to_async(lambda: Street.objects.get(name=GROUP_STREET).pk)()
    cookie = await sync_to_async(session_cookie)(mo_member)
    async with connect(anna_admin) as anna:
        subscribed = await anna.subscribe(group.pk)
        monkeypatch.setattr(pacing.PACING, "openings", 0)  # the storm: nobody may open now
        client = StreamClient(
            urls=[f"ws://{asgi_server}/ws/"],
            cookie=cookie,
            groups={group.pk: Position(id=subscribed["position"], seq=subscribed["seq"])},
        )
        task = asyncio.ensure_future(client.run())
        try:
            for _ in range(100):
                if 1013 in client.closes:
                    break
                await asyncio.sleep(0.05)
            assert client.closes[:1] == [1013] and client.connects == 1
            # Meanwhile an alert is posted; the client comes back when told, and replays it.
            await anna.request(**alert_message(group.pk, street_id, what="Fiets weg"))
            monkeypatch.setattr(pacing.PACING, "openings", pacing.OPENINGS)
            for _ in range(200):
                if client.applied:
                    break
                await asyncio.sleep(0.05)
            assert [e["alert"]["what"] for e in client.applied] == ["Fiets weg"]
            assert client.connects >= 2
        finally:
            client.stop()
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
