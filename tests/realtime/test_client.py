"""The reference client's rule (see realtime/consumers.py), frame by frame, without a server."""

import json

from buurtwacht.realtime.client import Position, StreamClient


class FakeSocket:
    def __init__(self):
        self.sent: list[dict] = []

    async def send(self, text: str) -> None:
        self.sent.append(json.loads(text))


def client_at(position: Position) -> tuple[StreamClient, FakeSocket]:
    client = StreamClient(urls=["ws://127.0.0.1:1/ws/"], cookie="", groups={7: position})
    client._socket = socket = FakeSocket()  # type: ignore[assignment]
    return client, socket


def event(id: int, seq: int) -> dict:
    return {"id": id, "group": 7, "seq": seq, "type": "chat.message", "message": {}}


async def test_applies_in_order_ignores_duplicates_and_resubscribes_once_on_a_gap():
    client, socket = client_at(Position(id=10, seq=3))
    for frame in [event(11, 4), event(11, 4), event(14, 6), event(15, 7)]:
        await client._receive(frame, confirmed=set())
    assert [e["id"] for e in client.applied] == [11]
    assert socket.sent == [{"type": "subscribe", "group": 7, "since": 11, "ref": "subscribe:7"}]
    for frame in [event(13, 5), event(14, 6), {"type": "subscribed", "group": 7, "position": 14}]:
        await client._receive(frame, confirmed=set())
    assert [e["id"] for e in client.applied] == [11, 13, 14]
    assert client.groups[7] == Position(id=14, seq=6)


async def test_a_heartbeat_ahead_resubscribes_and_more_pages_on():
    client, socket = client_at(Position(id=10, seq=3))
    beat = {"type": "heartbeat", "groups": {"7": {"position": 10, "seq": 3}}}
    await client._receive(beat, confirmed=set())
    assert socket.sent == []  # up to date
    beat["groups"]["7"] = {"position": 20, "seq": 9}
    await client._receive(beat, confirmed=set())
    await client._receive(beat, confirmed=set())  # once, until "subscribed"
    assert [m["since"] for m in socket.sent] == [10]
    page = {"type": "subscribed", "group": 7, "position": 15, "seq": 5, "more": True}
    await client._receive(page, confirmed=set())
    assert client.groups[7] == Position(id=15, seq=5)
    assert [m["since"] for m in socket.sent] == [10, 15]


async def test_revocation_and_a_refused_subscription_drop_the_group():
    client, _socket = client_at(Position())
    await client._receive({"type": "revoked", "group": 7}, confirmed=set())
    assert client.groups == {}
    client, _socket = client_at(Position())
    refused = {"type": "error", "code": "not_found", "message": "", "ref": "subscribe:7"}
    await client._receive(refused, confirmed=set())
    assert client.groups == {}
