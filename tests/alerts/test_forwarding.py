"""R-ADJ-1: adjacency computed from the areas; an admin warns the adjacent groups' admins
with a summary that carries no personal data; they repost it or decline; audit both sides."""

import json
import math

import pytest
import shapely
from django.core.management import call_command
from django.urls import reverse

from buurtwacht.alerts import actions as alert_actions
from buurtwacht.alerts.models import Alert, Forward
from buurtwacht.geo.adjacency import distance_m, neighbours
from buurtwacht.geo.models import Street
from buurtwacht.groups import actions
from buurtwacht.groups.models import Adjacency, AuditEntry
from buurtwacht.groups.selectors import adjacent_groups
from buurtwacht.notify.models import Delivery
from buurtwacht.realtime.models import Event
from tests.conftest import GROUP_STREET, visible_text

pytestmark = pytest.mark.django_db

TOUCHING = "Dierenriemstraat"  # its area overlaps Grote Beerstraat's
NEAR = "Zwarteweg"  # about 200 m away
FAR = "Nassaulaan"  # about 300 m away: beyond the default 250 m


def test_r_adj_1_metres_from_degrees():
    # 0.01 degree of longitude at 53° N, against the haversine distance on the sphere.
    a, b = shapely.Point(6.56, 53.2), shapely.Point(6.57, 53.2)
    phi = math.radians(53.2)
    haversine = 6371008.8 * 2 * math.asin(math.cos(phi) * math.sin(math.radians(0.005)))
    assert distance_m(a, b) == pytest.approx(haversine, rel=0.005)
    north = shapely.Point(6.56, 53.21)
    assert distance_m(a, north) == pytest.approx(1112, abs=3)  # 0.01° of latitude


def test_r_adj_1_touching_near_and_far_squares():
    def square(lon, lat, size=0.004):
        return shapely.box(lon, lat, lon + size, lat + size)

    areas = {
        1: square(6.56, 53.2),
        2: square(6.564, 53.2),  # shares an edge with 1
        3: square(6.5685, 53.2),  # 0.0005° east of 2: about 33 m; 1 is about 300 m away
        4: square(6.56, 53.2 + 0.004 + 0.004),  # 0.004° north of 1: about 445 m
    }
    found = {(n.a, n.b): n for n in neighbours(areas, max_distance_m=250)}
    assert set(found) == {(1, 2), (2, 3)}
    assert found[(1, 2)].touching and found[(1, 2)].distance_m == 0
    assert not found[(2, 3)].touching
    assert found[(2, 3)].distance_m == pytest.approx(33.4, abs=1)
    wider = {(n.a, n.b) for n in neighbours(areas, max_distance_m=500)}
    assert (1, 4) in wider
    only = {(n.a, n.b) for n in neighbours(areas, max_distance_m=250, only=3)}
    assert only == {(2, 3)}


def _group_on(street_name, founder):
    street_ids = list(Street.objects.filter(name=street_name).values_list("pk", flat=True))
    return actions.create_group(
        founder=founder,
        new=actions.NewGroup(
            name=f"Buurtpreventie {street_name}",
            description="",
            municipality_code=Street.objects.get(pk=street_ids[0]).municipality_code,
            street_ids=street_ids,
        ),
        overlaps_confirmed=True,
    )


@pytest.fixture
def neighbourhood(group, resident_on):
    """Groups around the personas' group: touching, near (within 250 m) and far."""
    founders = {name: resident_on(f"Beheerder {name}", name, 0) for name in (TOUCHING, NEAR, FAR)}
    groups = {name: _group_on(name, founder) for name, founder in founders.items()}
    return {"groups": groups, "admins": founders}


def test_r_adj_1_adjacency_from_geometry(group, neighbourhood, settings):
    groups = neighbourhood["groups"]
    assert adjacent_groups(group=group) == sorted(
        [groups[TOUCHING], groups[NEAR]], key=lambda g: g.name
    )
    touching = Adjacency.objects.get(low=group, high=groups[TOUCHING])
    assert touching.touching and touching.distance_m == 0
    near = Adjacency.objects.get(low=group, high=groups[NEAR])
    assert not near.touching and 150 < near.distance_m < 250
    assert groups[FAR] not in adjacent_groups(group=group)
    # A wider setting and the command: the far group becomes a neighbour too.
    settings.ADJACENCY_DISTANCE_M = 400
    call_command("recompute_adjacency", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert groups[FAR] in adjacent_groups(group=group)


def _alert(user, group, **extra):
    street = group.streets.get(name=GROUP_STREET)
    alert, _created = alert_actions.post_alert(
        user=user,
        group_id=group.pk,
        draft=alert_actions.AlertDraft(
            client_id="a1",
            kind="suspicious_vehicle",
            what="Man van Jan Jansen probeert autodeuren, rode jas",
            street_id=street.pk,
            direction="N",
            person={"clothing_top": "rode jas", "height": "1.80 m", "hair": "kort"},
            vehicle={"make": "Opel", "colour": "grijs", "plate": "12-ABC-3"},
            **extra,
        ),
    )
    return alert


PERSONAL = ["Anna", "Jansen", "rode jas", "1.80", "Opel", "12ABC3", "12-ABC-3", "autodeuren"]


def _has_no_personal_data(value):
    text = json.dumps(value, ensure_ascii=False)
    return [word for word in PERSONAL if word.lower() in text.lower()]


def test_r_adj_1_forward_reaches_exactly_the_adjacent_admins_without_personal_data(
    group, anna_admin, mo_member, neighbourhood
):
    groups, admins = neighbourhood["groups"], neighbourhood["admins"]
    alert = _alert(anna_admin, group)
    alert_actions.claim_call(user=mo_member, alert_id=alert.pk, channel="112")
    made = alert_actions.forward_alert(admin=anna_admin, alert_id=alert.pk)
    assert {f.to_group for f in made} == {groups[TOUCHING], groups[NEAR]}
    forward = Forward.objects.get(to_group=groups[TOUCHING])
    assert forward.summary == {
        "kind": "suspicious_vehicle",
        "street": alert.street_id,
        "direction": "N",
        "seen_at": alert.seen_at.isoformat(),
        "called_112": True,
    }
    deliveries = Delivery.objects.filter(kind="forward")
    assert {d.user for d in deliveries} == {admins[TOUCHING], admins[NEAR]}
    for delivery in deliveries:
        assert _has_no_personal_data(delivery.payload) == []
        assert GROUP_STREET in delivery.payload["body"]
    assert _has_no_personal_data([f.summary for f in Forward.objects.all()]) == []
    # Nothing reached the far group, nor any stream of the neighbours yet.
    assert not Forward.objects.filter(to_group=groups[FAR]).exists()
    assert not Event.objects.filter(group__in=groups.values()).exists()
    # Forwarding twice to the same groups is idempotent.
    assert alert_actions.forward_alert(admin=anna_admin, alert_id=alert.pk) == []
    assert Forward.objects.count() == 2
    assert Delivery.objects.filter(kind="forward").count() == deliveries.count()


def test_r_adj_1_plate_only_when_kept(group, anna_admin, neighbourhood):
    alert = _alert(anna_admin, group)
    alert_actions.forward_alert(admin=anna_admin, alert_id=alert.pk, keep_plate=True)
    forward = Forward.objects.filter(alert=alert).first()
    assert forward is not None
    assert forward.summary["plate"] == alert.vehicle["plate"]
    assert alert.vehicle["plate"].replace("-", "") == "12ABC3"


def test_r_adj_1_members_cannot_forward(group, anna_admin, mo_member, neighbourhood):
    from django.core.exceptions import PermissionDenied

    alert = _alert(anna_admin, group)
    with pytest.raises(PermissionDenied):
        alert_actions.forward_alert(admin=mo_member, alert_id=alert.pk)
    assert not Forward.objects.exists()


def test_r_adj_1_repost_and_decline_with_audit_in_both_logs(
    group, anna_admin, mo_member, neighbourhood
):
    groups, admins = neighbourhood["groups"], neighbourhood["admins"]
    alert = _alert(anna_admin, group)
    alert_actions.claim_call(user=mo_member, alert_id=alert.pk, channel="112")
    alert_actions.forward_alert(admin=anna_admin, alert_id=alert.pk)
    touching = Forward.objects.get(to_group=groups[TOUCHING])
    near = Forward.objects.get(to_group=groups[NEAR])

    repost = alert_actions.repost_forward(admin=admins[TOUCHING], forward_id=touching.pk)
    assert repost.group == groups[TOUCHING]
    assert repost.origin == {"group": group.pk, "called_112": True}
    assert repost.person == {} and repost.vehicle == {}
    assert _has_no_personal_data(repost.what) == []
    [event] = Event.objects.filter(group=groups[TOUCHING])
    assert event.type == "alert.created"
    assert _has_no_personal_data(event.payload) == []
    assert event.payload["alert"]["origin"] == {"group": group.pk, "called_112": True}
    # The card says where it came from.
    from django.test import Client

    reader = Client()
    reader.force_login(admins[TOUCHING])
    page = reader.get(reverse("group", args=[groups[TOUCHING].pk]), HTTP_ACCEPT_LANGUAGE="nl")
    card = visible_text(page.content.decode(), element_id=f"alert-{repost.pk}")
    assert f"Doorgestuurd van {group.name}" in card
    # Nobody here calls 112 again for what the other group already reported (R-RUL-5).
    assert "112 is al gebeld in de buurgroep" in card
    assert "Nog niemand heeft 112 gebeld" not in card
    # Deciding again is refused.
    from buurtwacht.core.errors import ActionError

    with pytest.raises(ActionError):
        alert_actions.decline_forward(admin=admins[TOUCHING], forward_id=touching.pk)
    alert_actions.decline_forward(admin=admins[NEAR], forward_id=near.pk)
    near.refresh_from_db()
    assert near.status == "declined"
    assert Alert.objects.filter(group=groups[NEAR]).count() == 0

    def log(g):
        return sorted(
            AuditEntry.objects.filter(group=g, action__startswith="forward").values_list(
                "action", "details__other_group"
            )
        )

    assert log(group) == sorted(
        [
            ("forward_sent", groups[TOUCHING].pk),
            ("forward_sent", groups[NEAR].pk),
            ("forward_reposted", groups[TOUCHING].pk),
            ("forward_declined", groups[NEAR].pk),
        ]
    )
    assert log(groups[TOUCHING]) == [
        ("forward_received", group.pk),
        ("forward_reposted", group.pk),
    ]
    assert log(groups[NEAR]) == [("forward_declined", group.pk), ("forward_received", group.pk)]
    # The other group's log names no person of this group.
    assert not AuditEntry.objects.filter(
        group=groups[TOUCHING], action="forward_received", actor__isnull=False
    ).exists()


def test_r_adj_1_waiting_warnings_listed_for_admins_only(
    client, group, anna_admin, neighbourhood, resident_on
):
    groups, admins = neighbourhood["groups"], neighbourhood["admins"]
    alert = _alert(anna_admin, group)
    alert_actions.forward_alert(admin=anna_admin, alert_id=alert.pk)
    client.force_login(admins[TOUCHING])
    page = client.get(reverse("group", args=[groups[TOUCHING].pk]), HTTP_ACCEPT_LANGUAGE="nl")
    listed = visible_text(page.content.decode(), element_id="forwards")
    assert "Verdacht voertuig" in listed or "voertuig" in listed.lower()
    assert GROUP_STREET in listed and group.name in listed
    assert _has_no_personal_data(listed) == []
    # Reposting through the page.
    forward = Forward.objects.get(to_group=groups[TOUCHING])
    response = client.post(reverse("forward_decide", args=[forward.pk]), {"do": "repost"})
    assert response.status_code == 302
    forward.refresh_from_db()
    assert forward.status == "reposted"


def test_r_adj_1_access_matrix_for_forwarding(
    client, group, anna_admin, mo_member, pieter_politie, bob_buiten, neighbourhood, resident_on
):
    from tests.conftest import admit

    groups, admins = neighbourhood["groups"], neighbourhood["admins"]
    target = groups[TOUCHING]
    target_member = resident_on("Lid Dierenriemstraat", TOUCHING, 3)
    admit(target, admins[TOUCHING], target_member)
    alert = _alert(anna_admin, group)
    forward_url = reverse("alert_forward", args=[alert.pk])
    for person, status in [(bob_buiten, 404), (mo_member, 403), (pieter_politie, 403)]:
        client.force_login(person)
        assert client.post(forward_url).status_code == status, person.name
    assert not Forward.objects.exists()
    client.force_login(anna_admin)
    assert client.post(forward_url).status_code == 302
    forward = Forward.objects.get(to_group=target)
    decide_url = reverse("forward_decide", args=[forward.pk])
    # Only the receiving group's admins decide; everyone else who cannot read it gets 404.
    for person, status in [
        (bob_buiten, 404),
        (mo_member, 404),
        (pieter_politie, 404),
        (anna_admin, 404),  # the forwarding admin is no member of the receiving group
        (target_member, 403),
    ]:
        client.force_login(person)
        assert client.post(decide_url, {"do": "decline"}).status_code == status, person.name
    forward.refresh_from_db()
    assert forward.status == "pending"
    client.force_login(admins[TOUCHING])
    assert client.post(decide_url, {"do": "decline"}).status_code == 302
    forward.refresh_from_db()
    assert forward.status == "declined"
    # Members of the receiving group do not see the list of warnings.
    client.force_login(target_member)
    page = client.get(reverse("group", args=[target.pk])).content.decode()
    assert 'id="forwards"' not in page and 'id="forward-template"' not in page
    client.logout()
    assert client.post(forward_url).status_code == 302  # to the login page
    assert client.post(decide_url).status_code == 302


def test_r_adj_1_adjacency_follows_a_change_of_streets(group, anna_admin, neighbourhood):
    groups = neighbourhood["groups"]
    far = groups[FAR]
    far_admin = neighbourhood["admins"][FAR]
    assert far not in adjacent_groups(group=group)
    # The far group takes in a street right next to the personas' group.
    extra = list(Street.objects.filter(name="Plantsoenstraat").values_list("pk", flat=True))
    own = list(far.streets.values_list("pk", flat=True))
    actions.change_streets(
        admin=far_admin, group_id=far.pk, street_ids=own + extra, overlaps_confirmed=True
    )
    assert far in adjacent_groups(group=group)
    entry = AuditEntry.objects.get(group=far, action="change_streets")
    assert entry.details["previous"] == sorted(own)
    # And back: no longer a neighbour.
    actions.change_streets(
        admin=far_admin, group_id=far.pk, street_ids=own, overlaps_confirmed=True
    )
    assert far not in adjacent_groups(group=group)
    # Only the group's admins change its streets; no streets at all is refused.
    from django.http import Http404

    from buurtwacht.core.errors import ActionError

    with pytest.raises(Http404):  # not a member of that group
        actions.change_streets(
            admin=anna_admin, group_id=far.pk, street_ids=own, overlaps_confirmed=True
        )
    with pytest.raises(ActionError):
        actions.change_streets(
            admin=far_admin, group_id=far.pk, street_ids=[], overlaps_confirmed=True
        )


def test_r_adj_1_the_button_only_where_there_are_neighbours(
    client, group, anna_admin, mo_member, resident_on
):
    alert = _alert(anna_admin, group)
    button = reverse("alert_forward", args=[alert.pk])
    client.force_login(anna_admin)
    assert button not in client.get(reverse("group", args=[group.pk])).content.decode()
    neighbour = _group_on(TOUCHING, resident_on("Noor Buur", TOUCHING, 0))
    assert neighbour in adjacent_groups(group=group)
    page = client.get(reverse("group", args=[group.pk])).content.decode()
    assert button in page
    assert button in client.get(reverse("alert_card", args=[alert.pk])).content.decode()
    client.force_login(mo_member)  # members never get it
    assert button not in client.get(reverse("group", args=[group.pk])).content.decode()


def test_r_adj_1_the_warning_leaves_a_trace_on_the_admins_card(
    client, group, anna_admin, mo_member, neighbourhood
):
    alert = _alert(anna_admin, group)
    client.force_login(anna_admin)
    before = client.get(reverse("group", args=[group.pk])).content.decode()
    assert "buurgroepen gewaarschuwd om" not in visible_text(before)
    alert_actions.forward_alert(admin=anna_admin, alert_id=alert.pk)
    page = client.get(reverse("group", args=[group.pk])).content.decode()
    assert "2 buurgroepen gewaarschuwd om" in visible_text(page, element_id=f"alert-{alert.pk}")
