"""Bad input gets a clear error and writes nothing, the same on SQLite and PostgreSQL (where
a NUL byte or a year before 1 AD used to be a 500, and the stored row broke the group)."""

import json

import pytest
from django.test import override_settings
from django.urls import reverse

from buurtwacht.alerts.models import Alert, AlertUpdate
from buurtwacht.chat.models import ChatMessage
from buurtwacht.groups.models import Group, JoinRequest
from buurtwacht.realtime.models import Event
from tests.conftest import GROUP_STREET

from .test_api import alert_body, post, posted_alert

pytestmark = pytest.mark.django_db

STORED = "tekens die niet kunnen worden opgeslagen"


@pytest.mark.parametrize(
    "seen_at",
    ["0001-01-01T00:30:00+01:00", "1999-12-31T23:59:00+00:00", "2999-01-01T00:00:00+00:00"],
)
def test_an_alert_time_out_of_bounds_is_refused_in_dutch(
    client, group, mo_member, street_id, seen_at
):
    client.force_login(mo_member)
    answer = post(client, f"/api/groups/{group.pk}/alerts", alert_body(street_id, seen_at=seen_at))
    assert answer.status_code == 400
    assert answer.json()["code"] == "when" and "tijd" in answer.json()["message"]
    assert not Alert.objects.exists() and not Event.objects.exists()
    page = client.get(reverse("group", args=[group.pk]))
    assert page.status_code == 200  # the group stays usable


@pytest.mark.parametrize(
    "body",
    [
        {"what": "Man bij\x00 de deur"},
        {"client_id": "nul\x00id"},
        {"person": {"clothing_top": "rode\x00jas"}},
        {"vehicle": {"make": "Volks\nwagen"}},  # a description field is one line
    ],
)
def test_nul_bytes_and_control_characters_in_an_alert_are_refused(
    client, group, mo_member, street_id, body
):
    client.force_login(mo_member)
    answer = post(client, f"/api/groups/{group.pk}/alerts", alert_body(street_id, **body))
    assert answer.status_code == 400, answer.content
    assert STORED in answer.json()["message"]
    assert not Alert.objects.exists() and not Event.objects.exists()


def test_nul_bytes_in_chat_and_updates_are_refused(client, group, mo_member, street_id):
    alert = posted_alert(mo_member, group, street_id)
    client.force_login(mo_member)
    chat = post(client, f"/api/groups/{group.pk}/chat", {"client_id": "c1", "text": "Hoi\x00"})
    update = post(client, f"/api/alerts/{alert.pk}/updates", {"client_id": "u1", "text": "Weg\x00"})
    assert (chat.status_code, update.status_code) == (400, 400)
    assert STORED in chat.json()["message"] and STORED in update.json()["message"]
    assert not ChatMessage.objects.exists() and not AlertUpdate.objects.exists()
    ok = post(client, f"/api/groups/{group.pk}/chat", {"client_id": "c2", "text": "Twee\nregels"})
    assert ok.status_code == 201  # a message may have several lines


def test_a_group_name_is_one_line(client, anna_admin, group_street_ids):
    from buurtwacht.core.errors import ActionError
    from buurtwacht.geo.models import Street
    from buurtwacht.groups import actions

    street = Street.objects.get(pk=group_street_ids[0])
    with pytest.raises(ActionError) as refused:
        actions.create_group(
            founder=anna_admin,
            new=actions.NewGroup(
                name="Buurtpreventie\r\nBcc: iedereen@example.nl",
                description="",
                municipality_code=street.municipality_code,
                street_ids=group_street_ids,
            ),
            overlaps_confirmed=True,
        )
    assert refused.value.code == "name" and STORED in refused.value.message
    assert not Group.objects.exists()
    client.force_login(anna_admin)
    page = client.post(
        reverse("group_create"),
        {"name": "Buurtpreventie\nGrote Beerstraat", "streets": group_street_ids},
    )
    assert STORED in page.text and not Group.objects.exists()


def test_a_join_message_with_a_nul_byte_is_refused(client, group, resident_on):
    lotte = resident_on("Lotte Jansen", GROUP_STREET, 20)
    from buurtwacht.core.errors import ActionError
    from buurtwacht.groups import actions

    with pytest.raises(ActionError):
        actions.request_to_join(
            user=lotte, group_id=group.pk, message="Hallo\x00", rules_accepted=True
        )
    assert not JoinRequest.objects.exists()


def test_an_unknown_api_path_is_a_json_404(client, mo_member):
    client.force_login(mo_member)
    for path in ("/api/bestaat-niet", "/api/groups/1/onbekend/diep"):
        answer = client.get(path)
        assert answer.status_code == 404 and answer["Content-Type"].startswith("application/json")
        assert answer.json()["code"] == "not_found"


def json_error(answer):
    assert answer["Content-Type"] == "application/json; charset=utf-8", answer.content[:200]
    body = json.loads(answer.content)
    assert set(body) == {"code", "message"}
    return body


@pytest.mark.parametrize("debug", [True, False], ids=["DEBUG", "production"])
def test_a_multipart_body_without_boundary_is_a_json_400(
    client, group, mo_member, street_id, debug
):
    """It was a plain-text traceback (500) under DEBUG and the site's HTML 400 page without."""
    alert = posted_alert(mo_member, group, street_id)
    client.force_login(mo_member)
    with override_settings(DEBUG=debug):
        answer = client.post(
            f"/api/alerts/{alert.pk}/photo", b"foto", content_type="multipart/form-data"
        )
    assert answer.status_code == 400
    assert json_error(answer) == {
        "code": "bad_request",
        "message": "De inhoud van het verzoek kan niet worden gelezen.",
    }
    alert.refresh_from_db()
    assert not hasattr(alert, "photo")


@override_settings(DATA_UPLOAD_MAX_NUMBER_FIELDS=2)
def test_a_body_over_djangos_limits_is_a_json_400(client, group, mo_member, street_id):
    """Django's SuspiciousOperation for a body (too many fields) was its HTML 400 page."""
    alert = posted_alert(mo_member, group, street_id)
    client.force_login(mo_member)
    fields = {"reason": "situation", "reason_text": "Ingang", "extra": "veld"}
    answer = client.post(f"/api/alerts/{alert.pk}/photo", fields)
    assert answer.status_code == 400
    assert json_error(answer)["code"] == "bad_request"


@pytest.mark.parametrize("debug", [True, False], ids=["DEBUG", "production"])
def test_a_wrong_method_is_a_json_405_with_the_allow_header(
    client, group, mo_member, street_id, debug
):
    """It was ninja's text/html "Method not allowed"."""
    alert = posted_alert(mo_member, group, street_id)
    client.force_login(mo_member)
    with override_settings(DEBUG=debug):
        chat = client.get(f"/api/groups/{group.pk}/chat")
        close = client.delete(f"/api/alerts/{alert.pk}/close")
        events = client.post(f"/api/groups/{group.pk}/events")
    for answer, method, allowed in (
        (chat, "GET", "POST"),
        (close, "DELETE", "POST"),
        (events, "POST", "GET"),
    ):
        assert answer.status_code == 405
        assert answer["Allow"] == allowed
        assert json_error(answer) == {
            "code": "method_not_allowed",
            "message": f"Dit adres neemt geen {method} aan, alleen {allowed}.",
        }
    alert.refresh_from_db()
    assert alert.closed_at is None


def test_a_bug_in_an_endpoint_is_a_json_500_and_logged(rf, caplog):
    """Whatever no handler expects still answers JSON (and is logged with its traceback,
    as Django logs an uncaught exception)."""
    from buurtwacht.api.urls import api

    request = rf.get("/api/groups/1/events")
    try:
        raise RuntimeError("kapot")
    except RuntimeError as exc:
        answer = api.on_exception(request, exc)
    assert answer.status_code == 500
    assert json_error(answer)["code"] == "server_error"
    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert record.exc_info[1].args == ("kapot",)
