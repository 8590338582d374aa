"""The alert channel over real WebSockets to a real uvicorn server."""

import asyncio

import pytest
import websockets
from asgiref.sync import sync_to_async

from buurtwacht.alerts.models import Alert, PoliceCall
from buurtwacht.geo.models import Street
from buurtwacht.groups import actions as group_actions
from tests.conftest import GROUP_STREET, session_cookie

from .conftest import alert_message

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def street_id(group):
    return Street.objects.get(name=GROUP_STREET).pk


async def test_member_receives_alert_posted_by_another_member(
    connect, group, anna_admin, mo_member, street_id
):
    async with connect(mo_member) as mo, connect(anna_admin) as anna:
        assert (await mo.subscribe(group.pk))["type"] == "subscribed"
        reply = await anna.request(**alert_message(group.pk, street_id))
        assert reply["type"] == "ok" and reply["created"] is True
        event = await mo.receive_until(lambda m: m.get("type") == "alert.created")
        assert event["group"] == group.pk
        assert event["alert"]["what"] == "Man probeert deurklinken"
        assert event["alert"]["street"] == GROUP_STREET
        assert event["alert"]["by"] == "Anna de Vries"
        assert event["alert"]["call_112"] is None
        assert "email" not in str(event) and anna_admin.email not in str(event)


async def test_outsider_socket_receives_nothing(connect, group, anna_admin, bob_buiten, street_id):
    async with connect(bob_buiten) as bob, connect(anna_admin) as anna:
        refused = await bob.subscribe(group.pk)
        assert (refused["type"], refused["code"]) == ("error", "not_found")
        post = await bob.request(**alert_message(group.pk, street_id))
        assert (post["type"], post["code"]) == ("error", "not_found")
        await anna.request(**alert_message(group.pk, street_id))
        assert await bob.nothing_within(0.5)
    assert await sync_to_async(Alert.objects.count)() == 1


async def test_r_pol_1_wijkagent_reads_but_the_server_refuses_posts(
    connect, group, anna_admin, pieter_politie, street_id
):
    async with connect(pieter_politie) as pieter, connect(anna_admin) as anna:
        await pieter.subscribe(group.pk)
        refused = await pieter.request(**alert_message(group.pk, street_id))
        assert (refused["type"], refused["code"]) == ("error", "forbidden")
        chat = await pieter.request(type="chat", group=group.pk, client_id="c1", text="Hallo")
        assert chat["code"] == "forbidden"
        posted = await anna.request(**alert_message(group.pk, street_id))
        claim = await anna.request(type="claim", alert=posted["alert"], channel="112")
        assert claim["won"] is True
        refused_claim = await pieter.request(type="claim", alert=posted["alert"], channel="112")
        assert refused_claim["code"] == "forbidden"
        claimed = await pieter.receive_until(lambda m: m.get("type") == "alert.claimed")
        assert claimed["alert"]["call_112"]["by"] == "Anna de Vries"


async def test_after_removal_the_socket_receives_nothing_more(
    connect, group, anna_admin, mo_member, street_id
):
    async with connect(mo_member) as mo, connect(anna_admin) as anna:
        await mo.subscribe(group.pk)
        await sync_to_async(group_actions.remove_member)(
            admin=anna_admin, group_id=group.pk, user_id=mo_member.pk, reason="Ongewenst gedrag"
        )
        revoked = await mo.receive_until(lambda m: m.get("type") == "revoked")
        assert revoked["group"] == group.pk
        await anna.request(**alert_message(group.pk, street_id))
        assert await mo.nothing_within(0.5)
        again = await mo.subscribe(group.pk)
        assert again["code"] == "not_found"


async def test_r_rul_5_second_caller_gets_the_first_claimer(
    connect, group, anna_admin, mo_member, street_id
):
    async with connect(mo_member) as mo, connect(anna_admin) as anna:
        await mo.subscribe(group.pk)
        posted = await anna.request(**alert_message(group.pk, street_id))
        first, second = await asyncio.gather(
            mo.request(type="claim", alert=posted["alert"], channel="112"),
            anna.request(type="claim", alert=posted["alert"], channel="112"),
        )
        assert sorted([first["won"], second["won"]]) == [False, True]
        claimed = await mo.receive_until(lambda m: m.get("type") == "alert.claimed")
        winner = "Mo Bakker" if first["won"] else "Anna de Vries"
        assert claimed["alert"]["call_112"]["by"] == winner
    assert await sync_to_async(PoliceCall.objects.count)() == 1


async def test_acknowledgements_are_counts_and_updates_a_thread(
    connect, group, anna_admin, mo_member, street_id
):
    async with connect(mo_member) as mo, connect(anna_admin) as anna:
        await anna.subscribe(group.pk)
        posted = await anna.request(**alert_message(group.pk, street_id))
        for _ in range(2):  # a double tap counts once
            await mo.request(type="ack", alert=posted["alert"], kind="going")
        acked = await anna.receive_until(lambda m: m.get("type") == "alert.acknowledged")
        assert (acked["alert"]["going"], acked["alert"]["seen"]) == (1, 0)
        await mo.request(type="update", alert=posted["alert"], client_id="u1", text="Richting park")
        updated = await anna.receive_until(lambda m: m.get("type") == "alert.updated")
        assert [u["text"] for u in updated["alert"]["updates"]] == ["Richting park"]
        refused = await mo.request(type="close", alert=posted["alert"], outcome="false_alarm")
        assert refused["code"] == "forbidden"  # only the author or an admin closes
        closed = await anna.request(type="close", alert=posted["alert"], outcome="police_on_site")
        assert closed["outcome"] == "police_on_site"
        event = await anna.receive_until(lambda m: m.get("type") == "alert.closed")
        assert event["alert"]["closed"] is True


async def test_no_loss_no_duplicates_across_a_dropped_connection(
    connect, group, anna_admin, mo_member, street_id
):
    received: list[int] = []
    async with connect(anna_admin) as anna:
        async with connect(mo_member) as mo:
            subscribed = await mo.subscribe(group.pk)
            last = subscribed["position"]
            for i in range(3):
                await anna.request(**alert_message(group.pk, street_id, what=f"voor {i}"))
            for _ in range(3):
                event = await mo.receive_until(lambda m: m.get("type") == "alert.created")
                received.append(event["alert"]["id"])
                last = event["id"]
        # mo's connection is gone; alerts keep coming
        for i in range(4):
            await anna.request(**alert_message(group.pk, street_id, what=f"weg {i}"))

        async def post_more():
            for i in range(3):
                await anna.request(**alert_message(group.pk, street_id, what=f"tijdens {i}"))

        async with connect(mo_member) as mo:
            poster = asyncio.create_task(post_more())  # more while reconnecting
            await mo.send(type="subscribe", group=group.pk, since=last)
            await poster
            await mo.receive_until(lambda m: m.get("type") == "subscribed")
            while len(received) < 10:
                event = await mo.receive_until(lambda m: m.get("type") == "alert.created")
                received.append(event["alert"]["id"])
            assert await mo.nothing_within(0.5)
    ids = await sync_to_async(
        lambda: list(Alert.objects.order_by("id").values_list("id", flat=True))
    )()
    assert sorted(received) == ids  # every alert exactly once
    assert len(set(received)) == 10


async def test_resending_the_same_client_id_creates_one_alert(
    connect, group, anna_admin, street_id
):
    message = alert_message(group.pk, street_id, client_id="telefoon-1-alert-7")
    async with connect(anna_admin) as anna:
        first = await anna.request(**message)
        second = await anna.request(**message)
    assert (first["created"], second["created"]) == (True, False)
    assert first["alert"] == second["alert"]
    assert await sync_to_async(Alert.objects.count)() == 1


async def test_anonymous_and_foreign_origin_sockets_are_refused(asgi_server, mo_member, group):
    with pytest.raises(websockets.exceptions.InvalidStatus):
        async with websockets.connect(
            f"ws://{asgi_server}/ws/", additional_headers={"Origin": f"http://{asgi_server}"}
        ):
            pass
    cookie = await sync_to_async(session_cookie)(mo_member)
    async with websockets.connect(
        f"ws://{asgi_server}/ws/",
        additional_headers={"Origin": "https://evil.example", "Cookie": cookie},
    ) as foreign:
        with pytest.raises(websockets.exceptions.ConnectionClosed) as closed:
            await foreign.recv()  # nothing is sent: only the close frame
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4403


async def test_bad_input_gets_a_dutch_error_and_writes_nothing(
    connect, group, anna_admin, street_id
):
    async with connect(anna_admin) as anna:
        no_where = await anna.request(
            type="post_alert",
            group=group.pk,
            client_id="x1",
            alert={"kind": "other", "what": "Iets"},
        )
        assert no_where["code"] == "where" and "straat" in no_where["message"]
        no_what = await anna.request(**alert_message(group.pk, street_id, what="  "))
        assert no_what["code"] == "required"
        profiling = await anna.request(
            **alert_message(group.pk, street_id, person={"skin_colour": "donker"})
        )
        assert profiling["code"] == "profiling"
        garbage = await anna.request(type="post_alert", group="zeven")
        assert garbage["code"] == "bad_request"
        plate = await anna.request(
            **alert_message(group.pk, street_id, vehicle={"plate": "12abc3", "colour": "rood"})
        )
        assert plate["type"] == "ok"
    alert = await sync_to_async(Alert.objects.get)()
    assert alert.vehicle == {"plate": "12-ABC-3", "plate_kind": "dutch", "colour": "rood"}
