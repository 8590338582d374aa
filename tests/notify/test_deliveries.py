"""Alerts reach members who do not have the app open; chat never wakes anyone at night."""

import dataclasses
import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from buurtwacht.alerts import actions as alert_actions
from buurtwacht.chat import actions as chat_actions
from buurtwacht.geo.models import Street
from buurtwacht.notify import actions
from buurtwacht.notify.models import Delivery, PushSubscription
from buurtwacht.notify.transports.webpush import is_public
from buurtwacht.realtime.actions import mark_present
from tests.conftest import GROUP_STREET

pytestmark = pytest.mark.django_db


def settle(local_service=None):
    """Send what the set-up queued (admins hear of each join request), forget it."""
    actions.process_due()
    mail.outbox.clear()
    if local_service is not None:
        local_service.received.clear()


def post(user, group, *, client_id="a1", **extra):
    alert, _ = alert_actions.post_alert(
        user=user,
        group_id=group.pk,
        draft=alert_actions.AlertDraft(
            client_id=client_id,
            kind="suspicious_person",
            what="Man kijkt in geparkeerde auto's",
            street_id=Street.objects.get(name=GROUP_STREET).pk,
            person={"clothing_top": "rode jas", "height": "lang", "hair": "kaal"},
            vehicle={"plate": "12abc3"},
            **extra,
        ),
    )
    return alert


PUSH_ONLY = actions.PreferenceChange(
    webpush=True,
    email=False,
    sms=False,
    phone="",
    chat=True,
    quiet_start=dt.time(23),
    quiet_end=dt.time(7),
)


def set_preferences(user, **changes):
    actions.update_preferences(user=user, change=dataclasses.replace(PUSH_ONLY, **changes))


def no_email(user):
    set_preferences(user)


def test_web_push_end_to_end_encrypted_and_without_a_description(
    group, anna_admin, mo_member, subscribe, local_service
):
    keys = subscribe(mo_member)
    no_email(mo_member)
    settle(local_service)
    alert = post(anna_admin, group)
    assert actions.process_due() == 1

    [request] = local_service.received
    assert request.path == f"/push/{mo_member.pk}"
    assert request.headers["content-encoding"] == "aes128gcm"
    assert request.headers["authorization"].startswith("vapid t=")
    assert request.headers["urgency"] == "high"
    payload = keys.decrypt(request.body)
    assert payload == {
        "title": "Melding: Verdachte persoon",
        "body": f"{GROUP_STREET} · 112 nog niet gebeld",
        "url": f"/groepen/{group.pk}/#alert-{alert.pk}",
        "tag": f"alert-{alert.pk}",
    }
    for secret in ("rode jas", "kaal", "12-ABC-3", "auto"):  # lock screens are public
        assert secret not in str(payload)
    assert Delivery.objects.get(kind="alert").state == "sent"


def test_a_connected_member_gets_no_push_one_without_gets_exactly_one(
    group, anna_admin, mo_member, resident_on, subscribe, local_service
):
    from tests.conftest import admit

    lotte = resident_on("Lotte Jansen", GROUP_STREET, 20)
    admit(group, anna_admin, lotte)
    for user in (mo_member, lotte):
        subscribe(user)
        no_email(user)
    mark_present(user_id=mo_member.pk, group_id=group.pk, channel_name="socket-of-mo")
    settle(local_service)
    post(anna_admin, group)
    actions.process_due()
    actions.process_due()  # nothing is sent twice
    assert local_service.paths() == [f"/push/{lotte.pk}"]


def test_quiet_hours_hold_chat_back_but_an_alert_goes_through(
    group, anna_admin, mo_member, subscribe, local_service
):
    subscribe(mo_member)
    now = timezone.localtime()
    set_preferences(
        mo_member,
        quiet_start=(now - dt.timedelta(hours=1)).time(),
        quiet_end=(now + dt.timedelta(hours=1)).time().replace(second=0, microsecond=0),
    )
    settle(local_service)
    chat_actions.post_chat(user=anna_admin, group_id=group.pk, client_id="c1", text="Koffie?")
    post(anna_admin, group)
    assert actions.process_due() == 1
    assert [r.path for r in local_service.received] == [f"/push/{mo_member.pk}"]
    chat = Delivery.objects.get(kind="chat")
    assert chat.state == "pending"
    assert chat.due_at > timezone.now() + dt.timedelta(minutes=55)


def test_email_transport_and_the_join_request_notice_for_admins(
    noon, group, anna_admin, resident_on, mo_member, settings
):
    settings.SITE_URL = "https://buurtwacht.example.nl"
    settle()
    alert = post(anna_admin, group)
    actions.process_due()
    [message] = mail.outbox
    assert message.to == [mo_member.email]
    assert message.subject == "Melding: Verdachte persoon"
    assert "rode jas" not in message.body
    link = f"https://buurtwacht.example.nl/groepen/{group.pk}/#alert-{alert.pk}"
    assert message.body.splitlines()[-1] == link
    mail.outbox.clear()
    from buurtwacht.groups import actions as group_actions

    lotte = resident_on("Lotte Jansen", GROUP_STREET, 20)
    group_actions.request_to_join(user=lotte, group_id=group.pk, rules_accepted=True)
    actions.process_due()
    assert [m.to for m in mail.outbox] == [[anna_admin.email]]  # admins only, not members


def test_admins_are_told_the_applicants_name_with_a_join_request(
    noon, group, anna_admin, resident_on, settings
):
    """The admin must make personal contact (R-GRP-5): the notice names who asks."""
    from buurtwacht.groups import actions as group_actions

    settings.SITE_URL = "https://buurtwacht.example.nl"
    settle()
    lotte = resident_on("Lotte Jansen", GROUP_STREET, 20)
    group_actions.request_to_join(user=lotte, group_id=group.pk, rules_accepted=True)
    actions.process_due()
    [message] = mail.outbox
    assert message.to == [anna_admin.email]
    assert "Lotte Jansen wil lid worden" in message.body
    link = f"https://buurtwacht.example.nl/groepen/{group.pk}/aanvragen/"
    assert message.body.splitlines()[-1] == link
    assert lotte.email not in message.body  # her name, not her address


def test_sms_transport_against_a_local_gateway(
    group, anna_admin, mo_member, local_service, settings
):
    settings.SMS_GATEWAY_URL = f"{local_service.url}/sms"
    settings.SMS_GATEWAY_USER, settings.SMS_GATEWAY_PASSWORD = "buurt", "geheim"
    set_preferences(mo_member, webpush=False, sms=True, phone="+31612345678")
    settle(local_service)
    post(anna_admin, group)
    assert actions.process_due() == 1
    [request] = local_service.received
    assert request.path == "/sms"
    assert request.headers["authorization"] == "Basic YnV1cnQ6Z2VoZWlt"
    import json

    body = json.loads(request.body)
    assert body["to"] == "+31612345678"
    assert (
        body["text"]
        == f"Buurtwacht: Melding: Verdachte persoon. {GROUP_STREET} · 112 nog niet gebeld"
    )


def test_expired_subscription_is_removed_and_a_failing_service_is_retried(
    group, anna_admin, mo_member, subscribe, local_service
):
    subscribe(mo_member)
    no_email(mo_member)
    settle(local_service)
    local_service.status = 500
    post(anna_admin, group, client_id="one")
    assert actions.process_due() == 0
    delivery = Delivery.objects.get(kind="alert")
    assert (delivery.state, delivery.attempts) == ("pending", 1)
    assert delivery.due_at > timezone.now()  # backoff
    assert "500" in delivery.last_error
    Delivery.objects.filter(pk=delivery.pk).update(due_at=timezone.now())
    local_service.status = 410  # the browser dropped the subscription
    assert actions.process_due() == 0
    delivery.refresh_from_db()
    assert delivery.state == "failed"
    assert not PushSubscription.objects.exists()


def test_a_push_address_leading_to_a_private_address_is_never_posted_to(
    group, anna_admin, mo_member, subscribe, local_service, settings
):
    """A host name passes the subscribe-time check (it is no IP address) but resolves to
    this machine: the worker refuses before sending a byte and drops the subscription."""
    subscribe(mo_member)
    no_email(mo_member)
    settle(local_service)
    by_name = local_service.url.replace("127.0.0.1", "localhost")
    PushSubscription.objects.filter(user=mo_member).update(
        endpoint=f"{by_name}/push/{mo_member.pk}"
    )
    settings.PUSH_LOCAL_SERVICES = False  # production
    post(anna_admin, group)
    assert actions.process_due() == 0
    assert local_service.received == []
    delivery = Delivery.objects.get(kind="alert")
    assert delivery.state == "failed"
    assert "not a public address" in delivery.last_error
    assert not PushSubscription.objects.exists()


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("8.8.8.8", True),
        ("2606:4700:4700::1111", True),
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("169.254.169.254", False),  # cloud metadata
        ("::1", False),
        ("::ffff:127.0.0.1", False),  # IPv4 in IPv6 clothing
        ("fe80::1%eth0", False),
    ],
)
def test_which_peer_addresses_count_as_public(address, public):
    assert is_public(address) is public
