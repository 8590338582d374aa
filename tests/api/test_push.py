"""This device's push subscription through the API (/api/push-subscriptions), as
static/web/notify.js sends it: checked (notify/subscriptions.py), stored and removed by the
actions, answered with how many devices get push; refusals are JSON `{"code", "message"}`."""

import json
import os
import re

import pytest
from django.test import Client

from buurtwacht.notify.models import PushSubscription
from tests.notify.conftest import ENDPOINT, BrowserKeys, b64url

pytestmark = pytest.mark.django_db

PAGE = "/account/meldingen/"
PUSH = "/api/push-subscriptions"


def subscription(keys: BrowserKeys | None = None, endpoint: object = ENDPOINT, **overrides):
    """PushSubscription.toJSON() of a browser."""
    keys = keys or BrowserKeys.new()
    body = {
        "endpoint": endpoint,
        "expirationTime": None,
        "keys": {"p256dh": keys.p256dh, "auth": b64url(keys.auth)},
    }
    body["keys"].update(overrides)
    return body


def send(client, body, method="post", **kwargs):
    payload = body if isinstance(body, str) else json.dumps(body)
    return getattr(client, method)(PUSH, payload, content_type="application/json", **kwargs)


def test_the_page_sends_the_subscription_to_the_api(femke_client):
    page = femke_client.get(PAGE).text
    assert f'data-subscribe="{PUSH}"' in page


def test_a_real_subscription_is_stored(femke_client, femke):
    keys = BrowserKeys.new()
    response = send(femke_client, subscription(keys))
    assert response.status_code == 200
    assert response.json() == {
        "message": "Pushmeldingen op dit apparaat staan aan.",
        "devices": 1,
        "devices_text": "1 apparaat krijgt pushmeldingen.",
    }
    stored = PushSubscription.objects.get(user=femke)
    assert stored.endpoint == ENDPOINT
    assert stored.p256dh == keys.p256dh
    assert stored.auth == b64url(keys.auth)
    # The same browser again (a second click): still one device.
    assert send(femke_client, subscription(keys)).json()["devices"] == 1
    assert "1 apparaat" in femke_client.get(PAGE).text


def test_padded_base64_keys_are_accepted_and_stored_unpadded(femke_client, femke):
    keys = BrowserKeys.new()
    body = subscription(keys, p256dh=keys.p256dh + "=", auth=b64url(keys.auth) + "==")
    assert send(femke_client, body).status_code == 200
    assert PushSubscription.objects.get(user=femke).p256dh == keys.p256dh


def bad_keys():
    keys = BrowserKeys.new()
    not_on_curve = b64url(b"\x04" + b"\x01" * 64)
    return {
        "p256dh too short": subscription(keys, p256dh=b64url(os.urandom(33))),
        "p256dh not on the curve": subscription(keys, p256dh=not_on_curve),
        "p256dh not base64url": subscription(keys, p256dh=keys.p256dh[:-2] + "+/"),
        "auth 8 bytes": subscription(keys, auth=b64url(os.urandom(8))),
        "auth empty": subscription(keys, auth=""),
    }


@pytest.mark.parametrize("case", list(bad_keys()))
def test_bad_keys_are_refused_in_dutch(femke_client, case):
    response = send(femke_client, bad_keys()[case])
    assert response.status_code == 400
    assert response.json()["code"] == "bad_keys"
    assert "onbruikbare pushsleutels" in response.json()["message"]
    assert not PushSubscription.objects.exists()


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"endpoint": ENDPOINT, "keys": {"p256dh": BrowserKeys.new().p256dh}}, "keys.auth"),
        (subscription(auth=16), "keys.auth"),
        ({"endpoint": ENDPOINT}, "keys"),
        (subscription(endpoint=42), "endpoint"),
        ("[]", "endpoint, keys"),
    ],
)
def test_a_body_not_shaped_like_a_subscription_names_the_fields(femke_client, body, fields):
    """The schema checks the form (the API's 422), notify/subscriptions.py the values."""
    response = send(femke_client, body)
    assert response.status_code == 422
    assert response.json()["code"] == "invalid"
    assert response.json()["message"] == f"Controleer deze velden: {fields}."
    assert not PushSubscription.objects.exists()


@pytest.mark.parametrize(
    ("endpoint", "code"),
    [
        ("http://push.example.com/send/1", "insecure_endpoint"),
        ("ftp://push.example.com/send/1", "insecure_endpoint"),
        ("http://127.0.0.1:8080/push/1", "insecure_endpoint"),
        ("https://127.0.0.1/push/1", "bad_endpoint"),
        ("https://localhost/push/1", "bad_endpoint"),
        ("https://10.1.2.3/push/1", "bad_endpoint"),
        ("https://[::1]/push/1", "bad_endpoint"),
        # Other spellings of this machine: resolved when subscribing, not only when sending.
        ("https://localhost.:8199/push/1", "bad_endpoint"),
        ("https://0x7f000001/push/1", "bad_endpoint"),
        ("https://2130706433:8199/push/1", "bad_endpoint"),
        ("https://017700000001/push/1", "bad_endpoint"),
        ("https://127.1/push/1", "bad_endpoint"),
        ("https://0x0a000001/push/1", "bad_endpoint"),  # 10.0.0.1
        ("https://user:pw@push.example.com/1", "bad_endpoint"),
        ("https:///nohost", "bad_endpoint"),
        ("https://push.example.com/" + "x" * 1000, "bad_endpoint"),
        ("", "bad_endpoint"),
        # A NUL byte: PostgreSQL cannot store it, and no host name holds one.
        ("https://push.exam\x00ple.com/1", "bad_endpoint"),
        ("https://push.example.com/\x00", "bad_endpoint"),
    ],
)
def test_unusable_endpoints_are_refused(femke_client, endpoint, code):
    response = send(femke_client, subscription(endpoint=endpoint))
    assert response.status_code == 400
    assert response.json()["code"] == code
    assert not PushSubscription.objects.exists()


def test_https_is_explained_in_dutch(femke_client):
    response = send(femke_client, subscription(endpoint="http://push.example.com/1"))
    assert "beveiligd" in response.json()["message"]


def test_a_local_push_service_is_allowed_only_when_configured(femke_client, settings):
    local = "http://127.0.0.1:8080/push/1"
    assert send(femke_client, subscription(endpoint=local)).status_code == 400
    settings.PUSH_LOCAL_SERVICES = True
    assert send(femke_client, subscription(endpoint=local)).status_code == 200
    assert PushSubscription.objects.get().endpoint == local


def test_a_body_that_is_no_json_is_refused(femke_client):
    response = send(femke_client, "not json")
    assert response.status_code == 400
    assert response.json()["code"] == "bad_request"
    assert send(femke_client, "").status_code == 422  # no body at all
    assert not PushSubscription.objects.exists()


def test_unsubscribe_one_device(femke_client, femke):
    for suffix in ("", "-2", "-3"):
        send(femke_client, subscription(endpoint=ENDPOINT + suffix))
    response = send(femke_client, {"endpoint": ENDPOINT}, method="delete")
    assert response.status_code == 200
    assert response.json() == {
        "message": "Pushmeldingen op dit apparaat staan uit.",
        "devices": 2,
        "devices_text": "2 apparaten krijgen pushmeldingen.",
    }
    # The whole PushSubscription.toJSON() does as well as its endpoint alone.
    response = send(femke_client, subscription(endpoint=ENDPOINT + "-2"), method="delete")
    assert response.json()["devices"] == 1
    assert list(PushSubscription.objects.values_list("endpoint", flat=True)) == [ENDPOINT + "-3"]


def test_unsubscribing_with_a_nul_byte_is_refused_on_both_databases(femke_client):
    send(femke_client, subscription(endpoint=ENDPOINT))
    response = send(femke_client, {"endpoint": ENDPOINT + "\x00"}, method="delete")
    assert response.status_code == 400
    assert response.json()["code"] == "bad_endpoint"
    assert PushSubscription.objects.count() == 1


def test_an_eleventh_device_replaces_the_one_subscribed_longest_ago(
    femke_client, femke, bob_buiten
):
    bob = Client()
    bob.force_login(bob_buiten)
    send(bob, subscription(endpoint=f"{ENDPOINT}-shared"))  # the oldest row
    for i in range(11):
        response = send(femke_client, subscription(endpoint=f"{ENDPOINT}-{i}"))
        assert response.status_code == 200

    def femkes():
        return set(PushSubscription.objects.filter(user=femke).values_list("endpoint", flat=True))

    assert femkes() == {f"{ENDPOINT}-{i}" for i in range(1, 11)}
    # The shared computer's browser, now subscribed by Femke: hers, however old its row.
    send(femke_client, subscription(endpoint=f"{ENDPOINT}-shared"))
    assert femkes() == {f"{ENDPOINT}-shared"} | {f"{ENDPOINT}-{i}" for i in range(2, 11)}


def test_nobody_can_remove_someone_elses_device(femke_client, bob_buiten):
    send(femke_client, subscription(endpoint=ENDPOINT))
    bob = Client()
    bob.force_login(bob_buiten)
    response = send(bob, {"endpoint": ENDPOINT}, method="delete")
    assert response.status_code == 200
    assert response.json()["devices"] == 0  # Bob's
    assert PushSubscription.objects.get().endpoint == ENDPOINT


def test_anonymous_visitors_must_log_in(client):
    unauthenticated = {"code": "unauthenticated", "message": "Log eerst in."}
    response = send(client, subscription())
    assert (response.status_code, response.json()) == (401, unauthenticated)
    response = send(client, {"endpoint": ENDPOINT}, method="delete")
    assert (response.status_code, response.json()) == (401, unauthenticated)
    assert not PushSubscription.objects.exists()


def test_csrf_token_is_required(femke):
    client = Client(enforce_csrf_checks=True)
    client.force_login(femke)
    refused = send(client, subscription())
    assert (refused.status_code, refused.json()["code"]) == (403, "csrf")
    assert send(client, {"endpoint": ENDPOINT}, method="delete").status_code == 403
    page = client.get(PAGE).text  # notify.js takes the token from the form on the page
    form = page[page.index('id="push-form"') :]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    assert send(client, subscription(), HTTP_X_CSRFTOKEN=token).status_code == 200
    assert PushSubscription.objects.count() == 1


def test_get_is_not_allowed(femke_client):
    assert femke_client.get(PUSH).status_code == 405


def test_openapi_documents_the_push_operations(client):
    schema = client.get("/api/openapi.json").json()
    operations = schema["paths"][PUSH]
    assert {name: op["operationId"] for name, op in operations.items()} == {
        "post": "subscribe_push",
        "delete": "unsubscribe_push",
    }
    components = schema["components"]["schemas"]
    subscribe_in = components["PushSubscriptionIn"]
    assert set(subscribe_in["required"]) == {"endpoint", "keys"}
    assert set(components["PushKeys"]["required"]) == {"p256dh", "auth"}
    assert components["PushEndpointIn"]["required"] == ["endpoint"]
    for operation in operations.values():
        assert operation["security"] == [{"SessionAuth": []}]
        assert {"200", "400", "401", "403", "422"} <= set(operation["responses"])
        answer = operation["responses"]["200"]["content"]["application/json"]["schema"]
        assert answer == {"$ref": "#/components/schemas/PushDevicesOut"}
        refused = operation["responses"]["400"]["content"]["application/json"]["schema"]
        assert refused == {"$ref": "#/components/schemas/ErrorOut"}
