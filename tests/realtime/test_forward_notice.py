"""R-ADJ-1 over real WebSockets: a neighbouring group's warning reaches the receiving
admins' sockets (rendered from the message, no personal data) and not its members'; the
repost reaches every member as an ordinary alert event that says where it came from."""

import csv
import json

import pytest
from asgiref.sync import sync_to_async

from buurtwacht.alerts import actions as alert_actions
from buurtwacht.geo import actions as geo_actions
from tests.alerts.test_forwarding import PERSONAL, TOUCHING, _alert, _group_on
from tests.conftest import GROUP_STREET, OTHER_STREET, admit

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def groningen_addresses(groningen_csv, tmp_path):
    part = tmp_path / "streets.csv"
    with groningen_csv.open(newline="") as src, part.open("w", newline="") as dst:
        rows = csv.reader(src)
        writer = csv.writer(dst)
        writer.writerow(next(rows))
        writer.writerows(row for row in rows if row[0] in {GROUP_STREET, OTHER_STREET, TOUCHING})
    geo_actions.import_addresses(path=part)


def _setup(group, anna_admin, resident_on):
    noor = resident_on("Noor Buur", TOUCHING, 0)
    neighbour = _group_on(TOUCHING, noor)
    sem = resident_on("Sem Lid", TOUCHING, 4)
    admit(neighbour, noor, sem)
    alert = _alert(anna_admin, group)
    return noor, sem, neighbour, alert


async def test_r_adj_1_warning_reaches_admin_sockets_only(connect, group, anna_admin, resident_on):
    noor, sem, neighbour, alert = await sync_to_async(_setup)(group, anna_admin, resident_on)
    async with connect(noor) as admin_socket, connect(sem) as member_socket:
        await admin_socket.subscribe(neighbour.pk)
        await member_socket.subscribe(neighbour.pk)
        await sync_to_async(alert_actions.forward_alert)(admin=anna_admin, alert_id=alert.pk)
        notice = await admin_socket.receive_until(lambda m: m.get("type") == "forward.received")
        forward = notice["forward"]
        assert forward["to_group"] == neighbour.pk
        assert forward["from_group"] == group.name
        assert forward["street"] == GROUP_STREET
        assert forward["direction"] == "N" and forward["called_112"] is False
        assert forward["plate"] == ""
        text = json.dumps(notice).lower()
        assert [word for word in PERSONAL if word.lower() in text] == []
        assert await member_socket.nothing_within(0.5)

        await sync_to_async(alert_actions.repost_forward)(admin=noor, forward_id=forward["id"])
        decided = await admin_socket.receive_until(lambda m: m.get("type") == "forward.decided")
        assert decided["forward"]["status"] == "reposted"
        event = await member_socket.receive_until(lambda m: m.get("type") == "alert.created")
        assert event["alert"]["forwarded_from"] == group.name
        assert event["alert"]["street"] == GROUP_STREET
        text = json.dumps(event).lower()
        assert [word for word in PERSONAL if word.lower() in text] == []
