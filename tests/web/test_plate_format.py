"""Issue 13: "ABC" was accepted as a licence plate and shown as if it were one.  A plate in
no known (Dutch) format is stored marked `unknown` and the card says "onbekend formaat"
beside it, in the page and in the event live.js renders from; a Dutch plate is normalised
and shown as Dutch, without that note."""

import importlib
import re

import pytest
from django.apps import apps
from django.urls import reverse

from buurtwacht.alerts import actions as alert_actions
from buurtwacht.alerts.models import Alert, Forward
from buurtwacht.geo.models import Street
from buurtwacht.realtime.models import Event
from buurtwacht.realtime.present import present_events, present_forwards
from tests.alerts.test_forwarding import TOUCHING, neighbourhood  # noqa: F401 (a fixture)
from tests.conftest import GROUP_STREET, visible_text

pytestmark = pytest.mark.django_db


def post_with_plate(client, group, plate, client_id="p1"):
    response = client.post(
        reverse("alert_post", args=[group.pk]),
        {
            "client_id": client_id,
            "kind": "suspicious_vehicle",
            "what": "Auto rijdt stapvoets langs de schuren",
            "street": Street.objects.get(name=GROUP_STREET).pk,
            "vehicle_plate": plate,
        },
    )
    assert response.status_code == 302
    return Alert.objects.get(client_id=client_id)


def card_facts(client, alert) -> dict[str, str]:
    """The card's facts as a reader sees them: {"Kenteken": "ABC onbekend formaat", ...}."""
    card = client.get(reverse("alert_card", args=[alert.pk])).text
    pairs = re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", card)
    assert pairs, "the card shows its facts"
    return {visible_text(dt): visible_text(dd) for dt, dd in pairs}


def plate_fact(group, alert):
    event = Event.objects.filter(group=group).order_by("-id").first()
    [shown] = present_events(group=group, events=[event])
    assert shown["alert"]["id"] == alert.pk
    return next(f for f in shown["alert"]["facts"] if f["label"] == "Kenteken")


def test_abc_is_stored_as_an_unknown_plate_format_and_shown_as_onbekend_formaat(
    client, group, mo_member
):
    client.force_login(mo_member)
    alert = post_with_plate(client, group, "abc")
    assert alert.vehicle == {"plate": "ABC", "plate_kind": "unknown"}
    assert card_facts(client, alert)["Kenteken"] == "ABC onbekend formaat"
    # The event carries the note too: live.js shows the card from it.
    assert plate_fact(group, alert) == {
        "label": "Kenteken",
        "value": "ABC",
        "note": "onbekend formaat",
    }


def test_a_dutch_plate_is_normalised_and_shown_as_dutch(client, group, mo_member):
    client.force_login(mo_member)
    alert = post_with_plate(client, group, "12abc3")
    assert alert.vehicle == {"plate": "12-ABC-3", "plate_kind": "dutch"}
    assert card_facts(client, alert)["Kenteken"] == "12-ABC-3"
    assert plate_fact(group, alert) == {"label": "Kenteken", "value": "12-ABC-3", "note": ""}


def test_a_forwarded_unknown_plate_stays_onbekend_formaat(
    client,
    group,
    anna_admin,
    neighbourhood,  # noqa: F811
):
    client.force_login(anna_admin)
    alert = post_with_plate(client, group, "ABC")
    alert_actions.forward_alert(admin=anna_admin, alert_id=alert.pk, keep_plate=True)
    forward = Forward.objects.select_related("from_group").get(
        to_group=neighbourhood["groups"][TOUCHING]
    )
    assert forward.summary["plate_kind"] == "unknown"
    [shown] = present_forwards([forward])
    assert (shown["plate"], shown["plate_note"]) == ("ABC", "onbekend formaat")
    admin = neighbourhood["admins"][TOUCHING]
    client.force_login(admin)
    page = client.get(reverse("group", args=[forward.to_group_id]))
    assert "Kenteken: ABC onbekend formaat" in visible_text(page.text, element_id="forwards")
    repost = alert_actions.repost_forward(admin=admin, forward_id=forward.pk)
    assert repost.vehicle == {"plate": "ABC", "plate_kind": "unknown"}


def test_the_migration_renames_foreign_or_partial_to_unknown_everywhere(
    group,
    anna_admin,
    neighbourhood,  # noqa: F811
):
    alert = alert_actions.post_alert(
        user=anna_admin,
        group_id=group.pk,
        draft=alert_actions.AlertDraft(
            client_id="old",
            kind="suspicious_vehicle",
            what="Auto zonder licht",
            street_id=Street.objects.get(name=GROUP_STREET).pk,
            vehicle={"plate": "ABC", "colour": "rood"},
        ),
    )[0]
    alert_actions.forward_alert(admin=anna_admin, alert_id=alert.pk, keep_plate=True)
    # As stored before: the old code in the alert, the forwards and the event.
    Alert.objects.filter(pk=alert.pk).update(
        vehicle={"plate": "ABC", "plate_kind": "foreign_or_partial", "colour": "rood"}
    )
    for forward in Forward.objects.all():
        forward.summary["plate_kind"] = "foreign_or_partial"
        forward.save()
    event = Event.objects.get(group=group, type="alert.created")
    event.payload["alert"]["vehicle"]["plate_kind"] = "foreign_or_partial"
    event.save()

    migration = importlib.import_module("buurtwacht.alerts.migrations.0004_plate_kind_unknown")
    migration.rename(apps, None)

    alert.refresh_from_db()
    event.refresh_from_db()
    assert alert.vehicle == {"plate": "ABC", "plate_kind": "unknown", "colour": "rood"}
    assert {f.summary["plate_kind"] for f in Forward.objects.all()} == {"unknown"}
    assert event.payload["alert"]["vehicle"]["plate_kind"] == "unknown"
    migration.rename_back(apps, None)
    alert.refresh_from_db()
    assert alert.vehicle["plate_kind"] == "foreign_or_partial"
