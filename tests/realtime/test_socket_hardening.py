"""What a socket takes from a client, over real WebSockets to the in-process uvicorn server:
bounded replays, malformed frames, the Origin, caps and rate limits."""

import asyncio
import json
import logging
import uuid

import pytest
import websockets
from asgiref.sync import sync_to_async
from django.test import Client

from buurtwacht.alerts.models import Alert
from buurtwacht.chat import actions as chat_actions
from buurtwacht.chat.models import ChatMessage
from buurtwacht.geo.models import Street
from buurtwacht.realtime import handlers, limits, protocol
from buurtwacht.realtime.models import Event
from buurtwacht.realtime.origin import origin_allowed
from tests.conftest import GROUP_STREET, session_cookie

from .conftest import Socket, alert_message, closed_with

pytestmark = pytest.mark.django_db(transaction=True)

REPLAY_LIMIT = handlers.REPLAY_LIMIT


@pytest.fixture
def server_errors():
    """Errors the server logs while the test runs ("Exception in ASGI application" is one)."""
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    handler = Keep(level=logging.ERROR)
    loggers = [logging.getLogger(name) for name in ("uvicorn.error", "uvicorn", "buurtwacht")]
    for logger in loggers:
        logger.addHandler(handler)
    yield records
    for logger in loggers:
        logger.removeHandler(handler)


def raw_socket(asgi_server, *, cookie: str | None = None, origin: str | None = "", **headers):
    """A WebSocket with exactly these headers (origin "": the server's own)."""
    if origin == "":
        origin = f"http://{asgi_server}"
    if origin is not None:
        headers["Origin"] = origin
    if cookie is not None:
        headers["Cookie"] = cookie
    return websockets.connect(f"ws://{asgi_server}/ws/", additional_headers=headers)


async def send_raw(socket: Socket, data: str | bytes) -> dict:
    """Send one frame as it is and read the next reply."""
    await socket.connection.send(data)
    return json.loads(await asyncio.wait_for(socket.connection.recv(), 5))


def post_chats(*, group, user, count: int) -> None:
    for i in range(count):
        chat_actions.post_chat(user=user, group_id=group.pk, client_id=f"c{i}", text=f"bericht {i}")


def take_events(socket: Socket) -> list[dict]:
    """The stream events a request skipped over, in the order they came."""
    events = [m for m in socket.kept if "seq" in m and "id" in m]
    socket.kept = [m for m in socket.kept if m not in events]
    return events


# --- bounded replay ------------------------------------------------------------------


async def test_a_replay_comes_in_pages_of_replay_limit_without_gaps_or_duplicates(
    connect, group, anna_admin, mo_member
):
    total = 2 * REPLAY_LIMIT + 17
    await sync_to_async(post_chats)(group=group, user=anna_admin, count=total)
    received: list[dict] = []
    pages: list[tuple[int, bool]] = []
    async with connect(mo_member) as mo:
        since = 0
        while True:
            reply = await mo.subscribe(group.pk, since=since)
            page = take_events(mo)
            received += page
            pages.append((len(page), reply["more"]))
            assert reply["type"] == "subscribed"
            assert reply["position"] == page[-1]["id"]
            assert reply["seq"] == page[-1]["seq"]
            if not reply["more"]:
                break
            since = reply["position"]
    assert pages == [(REPLAY_LIMIT, True), (REPLAY_LIMIT, True), (17, False)]
    assert [m["seq"] for m in received] == list(range(1, total + 1))
    ids = await sync_to_async(
        lambda: list(Event.objects.order_by("id").values_list("id", flat=True))
    )()
    assert [m["id"] for m in received] == ids


async def test_subscribing_again_from_zero_replays_one_page_not_the_whole_stream(
    connect, group, anna_admin, mo_member
):
    await sync_to_async(post_chats)(group=group, user=anna_admin, count=REPLAY_LIMIT + 5)
    async with connect(mo_member) as mo:
        for _ in range(3):
            reply = await mo.subscribe(group.pk, since=0)
            assert reply["more"] is True
            assert len(take_events(mo)) == REPLAY_LIMIT


async def test_while_a_replay_is_behind_live_events_wait_for_the_next_page(
    connect, group, anna_admin, mo_member
):
    await sync_to_async(post_chats)(group=group, user=anna_admin, count=REPLAY_LIMIT + 3)
    async with connect(mo_member) as mo, connect(anna_admin) as anna:
        first = await mo.subscribe(group.pk, since=0)
        assert first["more"] is True
        take_events(mo)
        posted = await anna.request(type="chat", group=group.pk, client_id="live", text="Nu")
        assert posted["type"] == "ok"
        assert await mo.nothing_within(0.5)  # not forwarded: mo is behind
        rest = await mo.subscribe(group.pk, since=first["position"])
        events = take_events(mo)
        assert rest["more"] is False
        assert [m["seq"] for m in events] == list(range(REPLAY_LIMIT + 1, REPLAY_LIMIT + 5))
        assert events[-1]["message"]["text"] == "Nu"
        # caught up: live again
        await anna.request(type="chat", group=group.pk, client_id="live2", text="Daarna")
        live = await mo.receive_until(lambda m: m.get("type") == "chat.message")
        assert live["seq"] == REPLAY_LIMIT + 5


async def test_subscribed_says_the_seq_of_its_position(connect, group, anna_admin, mo_member):
    async with connect(mo_member) as mo:
        empty = await mo.subscribe(group.pk)
        assert (empty["position"], empty["seq"], empty["more"]) == (0, 0, False)
        await sync_to_async(post_chats)(group=group, user=anna_admin, count=3)
        await mo.receive_until(lambda m: m.get("seq") == 3)  # all three arrived live
        take_events(mo)
        live = await mo.subscribe(group.pk)
        assert (live["seq"], live["more"]) == (3, False)
        caught_up = await mo.subscribe(group.pk, since=live["position"])
        assert (caught_up["position"], caught_up["seq"]) == (live["position"], 3)
        assert take_events(mo) == []
        replay = await mo.subscribe(group.pk, since=0)
        assert [m["seq"] for m in take_events(mo)] == [1, 2, 3]
        assert (replay["position"], replay["seq"]) == (live["position"], 3)


async def test_http_replay_is_bounded_by_its_own_limit(group, anna_admin):
    await sync_to_async(post_chats)(group=group, user=anna_admin, count=5)
    client = Client()
    await sync_to_async(client.force_login)(anna_admin)
    url = f"/api/groups/{group.pk}/events"
    too_many = await sync_to_async(client.get)(url, {"since": 0, "limit": 100_000})
    assert too_many.status_code == 422
    capped = await sync_to_async(client.get)(url, {"since": 0, "limit": 2})
    assert [e["seq"] for e in capped.json()["events"]] == [1, 2]
    default = await sync_to_async(client.get)(url)
    assert len(default.json()["events"]) == 5


# --- malformed frames ----------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "dit is geen json",
        '{"type": "subscribe", "group": Infinity}',
        '{"type": "subscribe", "group": -Infinity}',
        '{"type": "subscribe", "group": NaN}',
        '{"type": "subscribe", "group": 1e400}',
        '{"type": "subscribe", "group": 1' + "0" * 40 + "}",
        "[" * 30_000 + "]" * 30_000,  # deeper than the recursion limit, under the size limit
        '{"a": ' * 5_000 + "1" + "}" * 5_000,
        '[{"type": "subscribe", "group": 1}]',
        '"subscribe"',
        "42",
        "null",
        "",
    ],
    ids=lambda text: text[:30],
)
async def test_unreadable_json_gets_bad_json_and_the_socket_stays_usable(
    connect, group, mo_member, server_errors, text
):
    async with connect(mo_member) as mo:
        reply = await send_raw(mo, text)
        assert (reply["type"], reply["code"]) == ("error", "bad_json")
        assert "JSON" in reply["message"] and "stuur" in reply["message"]  # Dutch
        assert (await mo.subscribe(group.pk))["type"] == "subscribed"
    assert server_errors == []


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        ({"type": "dansen"}, "unknown_type"),
        ({"group": 1}, "unknown_type"),
        ({"type": 7}, "unknown_type"),
        ({"type": "subscribe", "group": "7"}, "bad_request"),
        ({"type": "subscribe", "group": 7.0}, "bad_request"),
        ({"type": "subscribe", "group": True}, "bad_request"),
        ({"type": "subscribe", "group": 0}, "bad_request"),
        ({"type": "subscribe", "group": 2**63}, "bad_request"),
        ({"type": "subscribe", "group": 1, "since": -1}, "bad_request"),
        ({"type": "subscribe", "group": 1, "since": "120"}, "bad_request"),
        ({"type": "subscribe", "group": 1, "extra": "veld"}, "bad_request"),
        ({"type": "subscribe", "group": [[[[[[[[1]]]]]]]]}, "bad_request"),
        ({"type": "subscribe"}, "bad_request"),
        ({"type": "chat", "group": 1, "client_id": "x" * 1000, "text": "Hoi"}, "bad_request"),
        ({"type": "chat", "group": 1, "client_id": "c", "text": 5}, "bad_request"),
        ({"type": "post_alert", "group": 1, "client_id": "c", "alert": "brand"}, "bad_request"),
        ({"type": "post_alert", "group": 1, "client_id": "c"}, "bad_request"),
        ({"type": "claim", "alert": 1, "channel": "113"}, "bad_request"),
        ({"type": "ack", "alert": 1, "kind": "dansen"}, "bad_request"),
        ({"type": "close", "alert": 1}, "bad_request"),
        ({"type": "update", "alert": "een", "text": "Hoi"}, "bad_request"),
    ],
    ids=lambda value: json.dumps(value)[:40] if isinstance(value, dict) else value,
)
async def test_invalid_frames_get_an_error_with_their_ref_and_change_nothing(
    connect, group, mo_member, server_errors, frame, code
):
    async with connect(mo_member) as mo:
        reply = await mo.request(**frame)
        assert (reply["type"], reply["code"]) == ("error", code)
        assert reply["message"] in {"Dit bericht klopt niet.", "Onbekend soort bericht."}
        assert (await mo.subscribe(group.pk))["type"] == "subscribed"
    assert await sync_to_async(ChatMessage.objects.count)() == 0
    assert server_errors == []


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        (lambda g, s: {"type": "chat", "group": g, "client_id": "c1", "text": "Hoi\u0000"}, "text"),
        (lambda g, s: alert_message(g, s, what="Man bij\u0000 de deur"), "text"),
        (lambda g, s: alert_message(g, s, client_id="nul\u0000id"), "client_id"),
    ],
    ids=["chat text", "alert text", "alert client_id"],
)
async def test_a_nul_byte_on_the_socket_is_a_dutch_error_and_stores_nothing(
    connect, group, mo_member, server_errors, frame, code
):
    """PostgreSQL refuses a NUL byte: it crashed the consumer there (the HTTP API's
    equivalent is tests/api/test_bad_input.py); SQLite would have stored it."""
    street_id = await sync_to_async(lambda: Street.objects.get(name=GROUP_STREET).pk)()
    async with connect(mo_member) as mo:
        await mo.subscribe(group.pk)
        sent = frame(group.pk, street_id)
        assert "\\u0000" in json.dumps(sent)  # the JSON escape, as a client sends it
        reply = await mo.request(**sent)
        assert (reply["type"], reply["code"]) == ("error", code)
        assert "tekens die niet kunnen worden opgeslagen" in reply["message"]
        assert await mo.nothing_within(0.3)  # no event either
        fine = await mo.request(type="chat", group=group.pk, client_id="c2", text="Hoi")
        assert fine["type"] != "error", fine  # the socket stays usable
    assert await sync_to_async(
        lambda: list(ChatMessage.objects.values_list("text", flat=True))
    )() == ["Hoi"]
    assert not await sync_to_async(Alert.objects.exists)()
    assert server_errors == []


async def test_errors_are_in_the_language_of_the_socket(asgi_server, mo_member):
    cookie = await sync_to_async(session_cookie)(mo_member)
    async with raw_socket(asgi_server, cookie=cookie, **{"Accept-Language": "en"}) as ws:
        reply = await send_raw(Socket(ws), "{")
        assert reply["message"] == "This message cannot be read: send one JSON object."


async def test_a_binary_frame_gets_an_error_and_close_1003(connect, mo_member, server_errors):
    async with connect(mo_member) as mo:
        await mo.connection.send(b'{"type": "subscribe", "group": 1}')
        code, received = await closed_with(mo)
    assert code == 1003
    assert [m["code"] for m in received] == ["binary"]
    assert server_errors == []


@pytest.mark.parametrize(
    "text",
    [
        "x" * (protocol.MAX_FRAME_BYTES + 1),
        '{"type": "chat", "text": "' + "é" * (protocol.MAX_FRAME_BYTES // 2) + '"}',
        "[" * 100_000 + "]" * 100_000,
    ],
    ids=["ascii", "two-byte characters", "100k deep"],
)
async def test_a_frame_over_the_size_limit_gets_an_error_and_close_1009(
    connect, mo_member, server_errors, text
):
    async with connect(mo_member) as mo:
        await mo.connection.send(text)
        code, received = await closed_with(mo)
    assert code == 1009
    assert [m["code"] for m in received] == ["too_big"]
    assert server_errors == []


async def test_frames_sent_after_the_close_are_not_run(connect, group, mo_member, server_errors):
    async with connect(mo_member) as mo:
        await mo.connection.send(b"\x00")
        for i in range(5):  # already on their way when the server closes
            await mo.send(type="chat", group=group.pk, client_id=f"na-{i}", text="Hallo")
        code, _received = await closed_with(mo)
    assert code == 1003
    assert await sync_to_async(ChatMessage.objects.count)() == 0
    assert server_errors == []


def test_every_post_frame_has_a_handler():
    posts = {model.model_fields["type"].annotation.__args__[0] for model in protocol.Post.__args__}
    assert posts == set(handlers.POSTS)


# --- Origin --------------------------------------------------------------------------


async def origin_refused(asgi_server, cookie, origin, **headers) -> bool:
    """True when the server closes the socket with 4403 (sending nothing else); False when
    it answers a frame."""
    async with raw_socket(asgi_server, cookie=cookie, origin=origin, **headers) as ws:
        try:
            await ws.send(json.dumps({"type": "nothing", "ref": "o"}))
            reply = await asyncio.wait_for(ws.recv(), 5)
        except websockets.exceptions.ConnectionClosed as closed:
            assert closed.rcvd is not None
            return closed.rcvd.code == 4403
        assert json.loads(reply)["ref"] == "o"
        return False


async def test_origin_must_match_scheme_host_and_port(asgi_server, mo_member, settings):
    settings.CSRF_TRUSTED_ORIGINS = ["https://buurtwacht.example"]
    cookie = await sync_to_async(session_cookie)(mo_member)
    host, port = asgi_server.rsplit(":", 1)
    assert not await origin_refused(asgi_server, cookie, f"http://{asgi_server}")
    assert await origin_refused(asgi_server, cookie, f"http://{host}:{int(port) + 1}")
    assert await origin_refused(asgi_server, cookie, f"http://{host}")
    assert await origin_refused(asgi_server, cookie, f"https://{asgi_server}")
    assert await origin_refused(asgi_server, cookie, f"http://localhost:{port}")
    assert await origin_refused(asgi_server, cookie, "null")
    assert await origin_refused(asgi_server, cookie, None)
    assert not await origin_refused(asgi_server, cookie, "https://buurtwacht.example")
    assert await origin_refused(asgi_server, cookie, "http://buurtwacht.example")
    assert await origin_refused(asgi_server, cookie, "https://buurtwacht.example:444")


async def test_behind_a_tls_proxy_the_origin_is_https(asgi_server, mo_member):
    """uvicorn trusts X-Forwarded-Proto from 127.0.0.1 (the proxy): the socket is wss."""
    cookie = await sync_to_async(session_cookie)(mo_member)
    proxied = {"X-Forwarded-Proto": "https"}
    assert not await origin_refused(asgi_server, cookie, f"https://{asgi_server}", **proxied)
    assert await origin_refused(asgi_server, cookie, f"http://{asgi_server}", **proxied)


def scope(*headers: tuple[str, str], scheme: str = "ws") -> dict:
    return {
        "type": "websocket",
        "scheme": scheme,
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers],
    }


def test_origin_rule_is_djangos_csrf_origin_rule(settings):
    settings.ALLOWED_HOSTS = ["buurtwacht.nl", ".gemeente.nl"]
    settings.CSRF_TRUSTED_ORIGINS = ["https://*.example.nl", "https://app.example.com"]
    settings.SECURE_PROXY_SSL_HEADER = None
    own = ("Host", "buurtwacht.nl")
    assert origin_allowed(scope(own, ("Origin", "https://buurtwacht.nl"), scheme="wss"))
    assert not origin_allowed(scope(own, ("Origin", "http://buurtwacht.nl"), scheme="wss"))
    assert origin_allowed(scope(own, ("Origin", "http://buurtwacht.nl")))
    assert origin_allowed(
        scope(("Host", "wijk.gemeente.nl"), ("Origin", "http://wijk.gemeente.nl"))
    )
    # a Host outside ALLOWED_HOSTS is never "the same origin"
    assert not origin_allowed(scope(("Host", "evil.nl"), ("Origin", "http://evil.nl")))
    assert origin_allowed(scope(own, ("Origin", "https://app.example.com")))
    assert origin_allowed(scope(own, ("Origin", "https://wijk.example.nl")))
    assert origin_allowed(scope(own, ("Origin", "https://example.nl")))
    assert not origin_allowed(scope(own, ("Origin", "http://wijk.example.nl")))
    assert not origin_allowed(scope(own, ("Origin", "https://app.example.com.evil.nl")))
    # two Origin headers, or none: refused
    twice = scope(own, ("Origin", "http://buurtwacht.nl"), ("Origin", "http://evil.nl"))
    assert not origin_allowed(twice)
    assert not origin_allowed(scope(own))


# --- caps and rate limits ------------------------------------------------------------


async def test_the_socket_over_the_account_cap_is_refused_with_4429(
    connect, group, anna_admin, mo_member, settings, server_errors
):
    settings.SOCKETS_PER_ACCOUNT = 3
    async with connect(mo_member) as one, connect(mo_member) as two, connect(mo_member) as three:
        for socket in (one, two, three):
            assert (await socket.subscribe(group.pk))["type"] == "subscribed"
        async with connect(mo_member) as four:
            code, received = await closed_with(four)
        assert code == 4429
        assert [m["code"] for m in received] == ["too_many_sockets"]
        async with connect(anna_admin) as anna:  # another account is not affected
            assert (await anna.subscribe(group.pk))["type"] == "subscribed"
        assert (await one.subscribe(group.pk))["type"] == "subscribed"  # the three still work
    # closed sockets no longer count (the server sees the close a moment later)
    for _attempt in range(50):
        if await opens(connect, mo_member, group.pk):
            break
        await asyncio.sleep(0.1)
    else:
        pytest.fail("the account's closed sockets still count")
    assert server_errors == []


async def opens(connect, user, group_id) -> bool:
    async with connect(user) as socket:
        try:
            return (await socket.subscribe(group_id))["type"] == "subscribed"
        except websockets.exceptions.ConnectionClosed:
            return False


async def test_a_burst_beyond_the_bucket_is_refused_and_not_run_then_recovers(
    connect, group, mo_member
):
    burst = 3 * limits.SOCKET_BURST
    async with connect(mo_member) as mo:
        refs = [uuid.uuid4().hex for _ in range(burst)]
        for i, ref in enumerate(refs):
            await mo.send(type="chat", group=group.pk, client_id=f"b{i}", text="Snel", ref=ref)
        replies = [await mo.receive_until(lambda m, r=ref: m.get("ref") == r) for ref in refs]
        ok = [r for r in replies if r["type"] == "ok"]
        limited = [r for r in replies if r.get("code") == "rate_limited"]
        assert len(ok) + len(limited) == burst
        assert len(ok) >= limits.SOCKET_BURST
        assert limited, "a burst of three buckets' worth was let through whole"
        assert "Wacht even" in limited[0]["message"]
        assert await sync_to_async(ChatMessage.objects.count)() == len(ok)  # refused: not run
        await asyncio.sleep(3 / limits.SOCKET_RATE)
        after = await mo.request(type="chat", group=group.pk, client_id="later", text="Weer")
        assert after["type"] == "ok"


async def test_the_account_bucket_is_shared_by_its_sockets(connect, group, anna_admin, mo_member):
    per_socket = limits.SOCKET_BURST - 5  # under each socket's own bucket ...
    assert 3 * per_socket > limits.ACCOUNT_BURST  # ... but together over the account's
    async with (
        connect(mo_member) as s1,
        connect(mo_member) as s2,
        connect(mo_member) as s3,
        connect(anna_admin) as anna,
    ):
        refs = {socket: [uuid.uuid4().hex for _ in range(per_socket)] for socket in (s1, s2, s3)}
        for socket, socket_refs in refs.items():
            for ref in socket_refs:
                await socket.send(type="nothing", ref=ref)
        codes = [
            (await socket.receive_until(lambda m, r=ref: m.get("ref") == r))["code"]
            for socket, socket_refs in refs.items()
            for ref in socket_refs
        ]
        assert codes.count("rate_limited") > 0
        assert set(codes) == {"unknown_type", "rate_limited"}
        assert (await anna.subscribe(group.pk))["type"] == "subscribed"  # anna has her own
