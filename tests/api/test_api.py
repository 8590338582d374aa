"""The HTTP API: the same operations as the WebSocket, through the same actions and gate.
Errors are JSON with a code and a Dutch message (the request's language)."""

import json
import uuid

import pytest
from django.test import Client
from django.utils.crypto import get_random_string

from buurtwacht.alerts import actions as alert_actions
from buurtwacht.alerts.models import Alert, AlertUpdate, PoliceCall
from buurtwacht.chat.models import ChatMessage
from buurtwacht.groups import actions as group_actions
from buurtwacht.groups.models import MembershipRole
from buurtwacht.realtime.models import Event
from tests.conftest import GROUP_STREET, VETTED

pytestmark = pytest.mark.django_db

NOT_FOUND = {"code": "not_found", "message": "Niet gevonden."}
FORBIDDEN = {"code": "forbidden", "message": "Dit mag je niet doen."}
UNAUTHENTICATED = {"code": "unauthenticated", "message": "Log eerst in."}


def alert_body(street_id, **extra):
    return {
        "client_id": uuid.uuid4().hex,
        "kind": "suspicious_person",
        "what": "Man probeert deurklinken",
        "street_id": street_id,
        **extra,
    }


def post(client, url, body, **kwargs):
    return client.post(url, json.dumps(body), content_type="application/json", **kwargs)


def posted_alert(user, group, street_id, what="Man probeert deurklinken"):
    alert, _created = alert_actions.post_alert(
        user=user,
        group_id=group.pk,
        draft=alert_actions.AlertDraft(
            client_id=uuid.uuid4().hex, kind="other", what=what, street_id=street_id
        ),
    )
    return alert


def endpoints(group_id, alert_id, street_id):
    """Every API endpoint with a valid request: (name, method, url, body)."""
    return [
        ("events", "get", f"/api/groups/{group_id}/events", None),
        ("post_alert", "post", f"/api/groups/{group_id}/alerts", alert_body(street_id)),
        ("claim_call", "post", f"/api/alerts/{alert_id}/calls", {"channel": "112"}),
        (
            "add_update",
            "post",
            f"/api/alerts/{alert_id}/updates",
            {"client_id": uuid.uuid4().hex, "text": "Richting park"},
        ),
        ("acknowledge", "post", f"/api/alerts/{alert_id}/acknowledgements", {"kind": "going"}),
        ("post_chat", "post", f"/api/groups/{group_id}/chat", {"client_id": "c1", "text": "Hoi"}),
        # last: it closes the alert
        ("close_alert", "post", f"/api/alerts/{alert_id}/close", {"outcome": "resolved"}),
    ]


def call(client, method, url, body):
    if method == "get":
        return client.get(url)
    return post(client, url, body)


def test_member_posts_an_alert_and_a_resend_changes_nothing(client, group, mo_member, street_id):
    client.force_login(mo_member)
    body = alert_body(street_id, client_id="telefoon-1-alert-7", person={"height": 180})
    first = post(client, f"/api/groups/{group.pk}/alerts", body)
    assert first.status_code == 201
    assert first.json() == {"alert": Alert.objects.get().pk, "created": True}
    again = post(client, f"/api/groups/{group.pk}/alerts", body)
    assert again.status_code == 200
    assert again.json() == {"alert": first.json()["alert"], "created": False}
    alert = Alert.objects.get()
    assert (alert.author, alert.what, alert.person) == (
        mo_member,
        "Man probeert deurklinken",
        {"height": "180"},
    )
    events = client.get(f"/api/groups/{group.pk}/events").json()["events"]
    assert [(e["type"], e["alert"]["by"]) for e in events] == [("alert.created", "Mo Bakker")]


def test_csrf_token_is_required_for_posts(group, mo_member, street_id):
    client = Client(enforce_csrf_checks=True)
    client.force_login(mo_member)
    url = f"/api/groups/{group.pk}/alerts"
    refused = post(client, url, alert_body(street_id))
    assert refused.status_code == 403
    assert refused.json()["code"] == "csrf"
    assert "beveiligingscontrole" in refused.json()["message"]
    assert not Alert.objects.exists()
    token = get_random_string(32)
    client.cookies["csrftoken"] = token
    wrong = post(client, url, alert_body(street_id), headers={"x-csrftoken": "x" * 32})
    assert (wrong.status_code, wrong.json()["code"]) == (403, "csrf")
    accepted = post(client, url, alert_body(street_id), headers={"x-csrftoken": token})
    assert accepted.status_code == 201
    assert client.get(f"/api/groups/{group.pk}/events").status_code == 200  # reads need none


def test_anonymous_callers_get_401_json_everywhere(client, group, anna_admin, street_id):
    alert = posted_alert(anna_admin, group, street_id)
    for name, method, url, body in endpoints(group.pk, alert.pk, street_id):
        response = call(client, method, url, body)
        assert (response.status_code, response.json()) == (401, UNAUTHENTICATED), name
    assert Alert.objects.count() == 1


def test_outsider_gets_404_everywhere_and_writes_nothing(
    client, group, anna_admin, bob_buiten, street_id
):
    alert = posted_alert(anna_admin, group, street_id)
    before = Event.objects.count()
    client.force_login(bob_buiten)
    for name, method, url, body in endpoints(group.pk, alert.pk, street_id):
        response = call(client, method, url, body)
        assert (response.status_code, response.json()) == (404, NOT_FOUND), name
    assert Event.objects.count() == before
    assert Alert.objects.count() == 1
    assert not PoliceCall.objects.exists() and not ChatMessage.objects.exists()


def test_unknown_group_and_alert_are_404_too(client, mo_member):
    client.force_login(mo_member)
    for missing in (987654, 10**20):  # beyond a bigint too
        for name, method, url, body in endpoints(missing, missing, 1):
            response = call(client, method, url, body)
            assert (response.status_code, response.json()) == (404, NOT_FOUND), name


def test_r_pol_1_wijkagent_reads_but_every_post_is_refused(
    client, group, anna_admin, pieter_politie, street_id
):
    alert = posted_alert(anna_admin, group, street_id)
    client.force_login(pieter_politie)
    for name, method, url, body in endpoints(group.pk, alert.pk, street_id):
        response = call(client, method, url, body)
        if method == "get":
            assert response.status_code == 200, name
            assert [e["alert"]["id"] for e in response.json()["events"]] == [alert.pk]
        else:
            assert (response.status_code, response.json()) == (403, FORBIDDEN), name
    assert Alert.objects.count() == 1
    assert not PoliceCall.objects.exists() and not AlertUpdate.objects.exists()


def test_r_rul_5_the_second_caller_learns_who_called_first(
    client, group, anna_admin, mo_member, street_id
):
    alert = posted_alert(anna_admin, group, street_id)
    url = f"/api/alerts/{alert.pk}/calls"
    client.force_login(mo_member)
    won = post(client, url, {"channel": "112"})
    assert won.status_code == 201
    assert won.json()["won"] is True and won.json()["by"] == "Mo Bakker"
    client.force_login(anna_admin)
    lost = post(client, url, {"channel": "112"})
    assert lost.status_code == 200
    assert lost.json() == {"won": False, "by": "Mo Bakker", "at": won.json()["at"]}
    other_channel = post(client, url, {"channel": "0900-8844"})
    assert other_channel.json()["won"] is True and other_channel.json()["by"] == "Anna de Vries"
    assert PoliceCall.objects.count() == 2
    claimed = client.get(f"/api/groups/{group.pk}/events").json()["events"][-1]
    assert claimed["alert"]["call_112"]["by"] == "Mo Bakker"


def test_updates_acknowledgements_close_and_chat(client, group, anna_admin, mo_member, street_id):
    alert = posted_alert(anna_admin, group, street_id)
    client.force_login(mo_member)
    update = {"client_id": "u1", "text": "Richting park"}
    first = post(client, f"/api/alerts/{alert.pk}/updates", update)
    assert (first.status_code, first.json()["created"]) == (201, True)
    again = post(client, f"/api/alerts/{alert.pk}/updates", update)
    assert (again.status_code, again.json()) == (200, {**first.json(), "created": False})
    for status, added in ((201, True), (200, False)):  # a double tap counts once
        ack = post(client, f"/api/alerts/{alert.pk}/acknowledgements", {"kind": "going"})
        assert (ack.status_code, ack.json()) == (status, {"alert": alert.pk, "added": added})
    chat = post(client, f"/api/groups/{group.pk}/chat", {"client_id": "c1", "text": "Ik kijk"})
    assert chat.status_code == 201
    assert chat.json() == {"message": ChatMessage.objects.get().pk, "created": True}
    not_author = post(client, f"/api/alerts/{alert.pk}/close", {"outcome": "false_alarm"})
    assert (not_author.status_code, not_author.json()) == (403, FORBIDDEN)

    client.force_login(anna_admin)
    closed = post(client, f"/api/alerts/{alert.pk}/close", {"outcome": "police_on_site"})
    assert (closed.status_code, closed.json()) == (
        200,
        {"alert": alert.pk, "outcome": "police_on_site"},
    )
    late = post(client, f"/api/alerts/{alert.pk}/updates", {"client_id": "u2", "text": "Nog"})
    assert (late.status_code, late.json()) == (
        400,
        {"code": "closed", "message": "Deze melding is afgesloten."},
    )
    events = client.get(f"/api/groups/{group.pk}/events").json()["events"]
    assert [e["type"] for e in events] == [
        "alert.created",
        "alert.updated",
        "alert.acknowledged",
        "chat.message",
        "alert.closed",
    ]
    assert events[-1]["alert"]["going"] == 1 and events[-1]["alert"]["closed"] is True
    assert events[3]["message"] == {
        "id": chat.json()["message"],
        "author": ChatMessage.objects.get().author_id,
        "by": "Mo Bakker",
        "text": "Ik kijk",
        "at": ChatMessage.objects.get().created_at.isoformat(),
        "hidden": False,  # hidden by an admin (R-RUL-3): a later chat.hidden event says so
        "hidden_reason": "",
    }


def test_replay_since_returns_exactly_the_events_after_it_in_order(
    client, group, anna_admin, mo_member, street_id
):
    client.force_login(mo_member)
    url = f"/api/groups/{group.pk}/events"
    empty = client.get(url).json()
    assert empty == {"events": [], "position": 0}
    for i in range(5):
        posted_alert(anna_admin, group, street_id, what=f"melding {i}")
    ids = list(Event.objects.filter(group=group).order_by("id").values_list("id", flat=True))

    everything = client.get(url).json()
    assert [e["id"] for e in everything["events"]] == ids
    assert everything["position"] == ids[-1]
    after = client.get(url, {"since": ids[1]}).json()
    assert [e["id"] for e in after["events"]] == ids[2:]
    assert [e["alert"]["what"] for e in after["events"]] == ["melding 2", "melding 3", "melding 4"]
    assert after["position"] == ids[-1]
    nothing_new = client.get(url, {"since": ids[-1]}).json()
    assert nothing_new == {"events": [], "position": ids[-1]}

    # paging: without since the latest `limit`, oldest first; with since the next `limit`
    latest = client.get(url, {"limit": 2}).json()
    assert [e["id"] for e in latest["events"]] == ids[-2:]
    page = client.get(url, {"since": ids[0], "limit": 2}).json()
    assert [e["id"] for e in page["events"]] == ids[1:3]
    assert page["position"] == ids[2]
    rest = client.get(url, {"since": page["position"], "limit": 2}).json()
    assert [e["id"] for e in rest["events"]] == ids[3:5]


@pytest.mark.parametrize(
    ("change", "status", "code", "message"),
    [
        ({"what": None}, 400, "required", "Beschrijf wat je zag."),
        ({"what": "   "}, 400, "required", "Beschrijf wat je zag."),
        ({"kind": "ufo"}, 400, "kind", "Kies wat voor situatie het is."),
        ({"person": {"skin_colour": "donker"}}, 400, "profiling", "Noem je huidskleur"),
        (
            {"street_id": None, "lat": 53.21},
            400,
            "point",
            "Een punt op de kaart heeft beide coördinaten nodig.",
        ),
        ({"street_id": None}, 400, "where", "Zeg waar: kies een straat of een punt op de kaart."),
        ({"client_id": ""}, 400, "client_id", "Elk bericht heeft een client-id"),
        ({"kind": None}, 422, "invalid", "Controleer deze velden: kind."),
        ({"street_id": "zeven"}, 422, "invalid", "Controleer deze velden: street_id."),
        ({"seen_at": "2026-11-01T10:00:00"}, 422, "invalid", "Controleer deze velden: seen_at."),
        ({"person": ["lang"]}, 422, "invalid", "Controleer deze velden: person."),
    ],
)
def test_bad_alert_input_gets_a_dutch_json_error_and_writes_nothing(
    client, group, mo_member, street_id, change, status, code, message
):
    client.force_login(mo_member)
    body = {k: v for k, v in {**alert_body(street_id), **change}.items() if v is not None}
    response = post(client, f"/api/groups/{group.pk}/alerts", body)
    assert response.status_code == status
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json()["code"] == code
    assert response.json()["message"].startswith(message)
    if status == 422:
        assert response.json()["detail"]
    assert not Alert.objects.exists() and not Event.objects.exists()


def test_a_body_that_is_not_json_gets_a_dutch_error(client, group, mo_member):
    client.force_login(mo_member)
    url = f"/api/groups/{group.pk}/alerts"
    message = "De inhoud van het verzoek is geen geldige JSON."
    broken = client.post(url, "{kind: 'other'", content_type="application/json")
    assert (broken.status_code, broken.json()) == (400, {"code": "bad_request", "message": message})
    empty = client.post(url, "", content_type="application/json")
    assert (empty.status_code, empty.json()["code"], empty.json()["message"]) == (
        422,
        "invalid",
        message,
    )
    form = client.post(url, {"kind": "other"})
    assert (form.status_code, form.json()["code"]) == (400, "bad_request")
    assert not Alert.objects.exists()


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("calls", {"channel": "113"}, "channel"),
        ("acknowledgements", {"kind": "liked"}, "kind"),
        ("close", {"outcome": "whatever"}, "outcome"),
        ("updates", {"text": "zonder id"}, "client_id"),
    ],
)
def test_bad_choices_get_422(client, group, anna_admin, street_id, path, body, field):
    alert = posted_alert(anna_admin, group, street_id)
    client.force_login(anna_admin)
    response = post(client, f"/api/alerts/{alert.pk}/{path}", body)
    assert (response.status_code, response.json()["code"]) == (422, "invalid")
    assert response.json()["message"] == f"Controleer deze velden: {field}."


def test_events_limit_is_at_most_500(client, group, mo_member):
    client.force_login(mo_member)
    url = f"/api/groups/{group.pk}/events"
    assert client.get(url, {"limit": 500}).status_code == 200
    for query in ({"limit": 501}, {"limit": 0}, {"since": -1}, {"since": "gisteren"}):
        response = client.get(url, query)
        assert (response.status_code, response.json()["code"]) == (422, "invalid"), query


def test_errors_follow_the_visitors_language(client, group, mo_member, bob_buiten, street_id):
    client.force_login(bob_buiten)
    english = client.get(f"/api/groups/{group.pk}/events", headers={"accept-language": "en"})
    assert english.json() == {"code": "not_found", "message": "Not found."}
    client.force_login(mo_member)
    refused = post(
        client,
        f"/api/groups/{group.pk}/alerts",
        alert_body(street_id, kind="ufo"),
        headers={"accept-language": "en"},
    )
    assert refused.json() == {"code": "kind", "message": "Choose what kind of situation it is."}


OPERATIONS = {
    ("/api/groups/{group_id}/events", "get"): "events",
    ("/api/groups/{group_id}/alerts", "post"): "post_alert",
    ("/api/alerts/{alert_id}/calls", "post"): "claim_call",
    ("/api/alerts/{alert_id}/updates", "post"): "add_update",
    ("/api/alerts/{alert_id}/acknowledgements", "post"): "acknowledge",
    ("/api/alerts/{alert_id}/close", "post"): "close_alert",
    ("/api/alerts/{alert_id}/photo", "post"): "add_photo",
    ("/api/groups/{group_id}/chat", "post"): "post_chat",
    ("/api/groups/{group_id}/police-reports", "get"): "police_reports",
    ("/api/groups/{group_id}/police-reports", "post"): "record_police_report",
    ("/api/police-reports/{report_id}/feedback", "post"): "record_police_feedback",
    ("/api/police-reports/{report_id}/wijkagent-called", "post"): "record_wijkagent_called",
    ("/api/verification-requests", "post"): "request_verification",
    ("/api/verification", "get"): "my_verification",
    ("/api/push-subscriptions", "post"): "subscribe_push",
    ("/api/push-subscriptions", "delete"): "unsubscribe_push",
}
# The public register (R-REG-1): no login, nothing private (tests/register).
PUBLIC_OPERATIONS = {
    ("/api/register/groups.geojson", "get"): "register_bbox",
    ("/api/register/municipalities/{code}.geojson", "get"): "register_municipality",
}


def test_openapi_schema_lists_every_endpoint(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"] == "Buurtwacht API"
    listed = {
        (path, method): operation["operationId"]
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    }
    assert listed == OPERATIONS | PUBLIC_OPERATIONS
    for path, method in PUBLIC_OPERATIONS:
        assert "security" not in schema["paths"][path][method]
    for (path, method), _operation in OPERATIONS.items():
        operation = schema["paths"][path][method]
        assert operation["security"] == [{"SessionAuth": []}]
        assert {"401", "404", "422"} <= set(operation["responses"])
    alert_in = schema["components"]["schemas"]["AlertIn"]
    assert "suspicious_person" in alert_in["properties"]["kind"]["enum"]
    assert set(alert_in["required"]) == {"client_id", "kind"}
    posted = schema["paths"]["/api/groups/{group_id}/alerts"]["post"]["responses"]
    assert {"200", "201", "400", "403"} <= set(posted)


def test_socket_and_http_read_an_alert_the_same_way(group, anna_admin, street_id):
    """The WebSocket handler parses with the API's AlertIn: the same refusal for the same
    mistake (here a naive time) on both."""
    from pydantic import ValidationError

    from buurtwacht.realtime import handlers, protocol

    content = {
        "type": "post_alert",
        "group": group.pk,
        "client_id": "s1",
        "alert": {**alert_body(street_id), "seen_at": "2026-11-01T10:00:00"},
    }
    with pytest.raises(ValidationError, match="seen_at"):
        protocol.validate(content)
    content["alert"]["seen_at"] = "2026-11-01T10:00:00+01:00"
    frame = protocol.validate(content)
    assert handlers.post_alert(user=anna_admin, frame=frame)["created"] is True
    assert Alert.objects.get().client_id == "s1"  # the socket's client id, not the body's


# --- access matrix ---------------------------------------------------------------------

STEPS = ["outsider", "requested", "member", "wijkagent", "admin", "removed"]
# expected status at each step, in STEPS order (a fresh alert by someone else each step)
EXPECTED = {
    "events": [404, 404, 200, 200, 200, 404],
    "post_alert": [404, 404, 201, 403, 201, 404],
    "claim_call": [404, 404, 201, 403, 201, 404],
    "add_update": [404, 404, 201, 403, 201, 404],
    "acknowledge": [404, 404, 201, 403, 201, 404],
    "post_chat": [404, 404, 201, 403, 201, 404],
    "close_alert": [404, 404, 403, 403, 200, 404],  # the author or an admin
}


def test_access_matrix_over_membership_states(
    client, group, anna_admin, pieter_politie, resident_on, street_id
):
    lotte = resident_on("Lotte Jansen", GROUP_STREET, 20)

    def check(step):
        index = STEPS.index(step)
        alert = posted_alert(anna_admin, group, street_id, what=f"voor {step}")
        chat_id = f"chat-{step}"
        observed = {}
        for name, method, url, body in endpoints(group.pk, alert.pk, street_id):
            if name == "post_chat":
                body = {**body, "client_id": chat_id}
            observed[name] = call(client, method, url, body).status_code
        assert observed == {name: statuses[index] for name, statuses in EXPECTED.items()}, step

    client.force_login(lotte)
    check("outsider")
    request = group_actions.request_to_join(user=lotte, group_id=group.pk, rules_accepted=True)
    check("requested")
    group_actions.admit_member(admin=anna_admin, request_id=request.pk, vetting=VETTED)
    check("member")
    # The wijkagent step is walked by a verified officer (a member is never turned into one).
    client.force_login(pieter_politie)
    check("wijkagent")
    client.force_login(lotte)
    group_actions.change_role(
        admin=anna_admin, group_id=group.pk, user_id=lotte.pk, role=MembershipRole.ADMIN
    )
    check("admin")
    group_actions.remove_member(
        admin=anna_admin, group_id=group.pk, user_id=lotte.pk, reason="Test"
    )
    check("removed")
    # what lotte wrote while she could, and nothing else
    assert Alert.objects.filter(author=lotte).count() == 2
    assert ChatMessage.objects.filter(author=lotte).count() == 2


def test_openapi_documents_events_as_the_socket_sends_them(
    client, group, anna_admin, mo_member, street_id
):
    """One event schema: what the replay API returns validates against the document's
    AlertOut (no field more or less), and call_112 is the event's {by, at}, not the claim
    answer."""
    schemas = client.get("/api/openapi.json").json()["components"]["schemas"]
    alert_out = schemas["AlertOut"]
    assert alert_out["additionalProperties"] is False
    assert alert_out["properties"]["call_112"]["anyOf"][0] == {"$ref": "#/components/schemas/Call"}
    assert set(schemas["Call"]["properties"]) == {"by", "at"}
    assert set(schemas["ClaimOut"]["properties"]) == {"won", "by", "at"}
    alert = posted_alert(anna_admin, group, street_id)
    alert_actions.claim_call(user=mo_member, alert_id=alert.pk, channel="112")
    client.force_login(anna_admin)
    events = client.get(f"/api/groups/{group.pk}/events").json()["events"]
    shown = events[-1]["alert"]
    assert set(shown) == set(alert_out["properties"])
    assert shown["call_112"]["by"] == "Mo Bakker"
