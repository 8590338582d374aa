"""Verified roles: a police officer or municipality coordinator asks in the app, platform
staff decide on the staff page (every decision recorded: who, when, evidence, reason), an
official municipality address of a configured domain is accepted after e-mail
confirmation, and the staff pages are for staff only.  (Revoking over a real socket:
tests/realtime/test_session_end.py.)"""

import re

import pytest
from django.core import mail
from django.urls import reverse

from buurtwacht.accounts.models import User, normalize_email
from buurtwacht.groups.access import role_in
from buurtwacht.groups.policy import Role
from buurtwacht.municipality import actions
from buurtwacht.municipality.models import Decision, Verification, VerificationRequest
from buurtwacht.municipality.selectors import is_verified_police, municipality_codes_for
from buurtwacht.notify.actions import process_due
from buurtwacht.notify.models import Delivery
from tests.conftest import OTHER_STREET, PASSWORD, visible_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(db):
    return User.objects.create_user(
        "platform@example.nl", PASSWORD, name="Platform Beheer", is_staff=True
    )


@pytest.fixture
def kees(resident_on):
    """A police officer without a verification yet."""
    return resident_on("Kees Agent", OTHER_STREET, 5)


@pytest.fixture
def gea_gemeente(resident_on):
    return resident_on("Gea Gemeente", OTHER_STREET, 6)


@pytest.fixture
def groningen(groningen_addresses):
    """The municipality code of the imported streets (the tests import no area borders,
    which is where a street's code comes from)."""
    from buurtwacht.geo.models import Street

    Street.objects.update(municipality_code="GM0014")
    return "GM0014"


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Runs what a request does after commit (e-mail) when it ends."""

    def run(call, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return call(*args, **kwargs)

    return run


def ask(client, user, **fields):
    client.force_login(user)
    data = {
        "role": "police",
        "organisation": "Politie Noord-Nederland",
        "official_email": "kees.agent@politie.nl",
        "reference": "Teamchef Groningen-Centrum, via het basisteam",
        "municipality_codes": "",
        **fields,
    }
    return client.post(reverse("verification"), data)


def test_request_and_staff_decision_are_recorded(client, kees, staff, group, anna_admin, committed):
    assert ask(client, kees).status_code == 302
    made = VerificationRequest.objects.get()
    assert (made.user, made.role, made.status) == (kees, "police", "pending")
    assert not is_verified_police(user=kees)
    client.force_login(staff)
    page = visible_text(client.get(reverse("staff_verification")).content.decode())
    assert "Kees Agent" in page and "Teamchef Groningen-Centrum" in page
    decide = reverse("staff_verification_decide", args=[made.pk])
    # Approving needs what was checked: nothing is written without it.
    client.post(decide, {"decision": "approve", "evidence": ""})
    assert not Decision.objects.filter(subject=kees).exists() and not is_verified_police(user=kees)
    mail.outbox.clear()
    response = committed(
        client.post,
        decide,
        {"decision": "approve", "evidence": "Teamchef gebeld via 0900-8844: bevestigd"},
    )
    assert response.status_code == 302
    decision = Decision.objects.get(subject=kees)
    assert (decision.kind, decision.decided_by, decision.evidence) == (
        "approved",
        staff,
        "Teamchef gebeld via 0900-8844: bevestigd",
    )
    assert decision.created_at is not None
    assert is_verified_police(user=kees)
    # Kees hears it through the outbox (retried like every notification), in his language.
    assert mail.outbox == []
    assert Delivery.objects.filter(user=kees, kind="verification").count() == 1
    process_due()
    [told] = mail.outbox
    assert told.to == [kees.email]
    assert "goedgekeurd" in told.body and "politie" in told.body.lower()
    # Deciding twice is refused.
    client.post(decide, {"decision": "deny", "reason": "Toch niet"})
    assert Decision.objects.filter(subject=kees).count() == 1
    # Now an admin can attach the officer, who reads along.
    from buurtwacht.groups.actions import attach_wijkagent

    attach_wijkagent(admin=anna_admin, group_id=group.pk, officer=kees)
    assert role_in(user=kees, group=group)[0] == Role.WIJKAGENT
    log = visible_text(
        client.get(reverse("staff_verification")).content.decode(), element_id="decisions"
    )
    assert "Kees Agent" in log and "Platform Beheer" in log and "Teamchef gebeld" in log


def test_denial_needs_a_reason_and_is_recorded(client, kees, staff):
    ask(client, kees)
    made = VerificationRequest.objects.get()
    client.force_login(staff)
    decide = reverse("staff_verification_decide", args=[made.pk])
    client.post(decide, {"decision": "deny", "reason": ""})
    assert not Decision.objects.exists()
    client.post(decide, {"decision": "deny", "reason": "Niet bekend bij het basisteam"})
    decision = Decision.objects.get()
    assert (decision.kind, decision.reason, decision.decided_by) == (
        "denied",
        "Niet bekend bij het basisteam",
        staff,
    )
    made.refresh_from_db()
    assert made.status == "denied" and not is_verified_police(user=kees)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"role": "municipality", "municipality_codes": ""}, "gemeentecode"),
        ({"role": "municipality", "municipality_codes": "GM9999"}, "GM9999"),
        ({"organisation": "Politie\x00"}, "tekens"),
    ],
)
def test_bad_requests_get_a_dutch_error_and_nothing_is_written(client, kees, fields, message):
    response = ask(client, kees, **fields)
    assert response.status_code == 200
    assert message in visible_text(response.content.decode())
    assert not VerificationRequest.objects.exists()


def test_a_second_pending_request_is_refused(client, kees):
    ask(client, kees)
    response = ask(client, kees)
    assert "al gevraagd" in visible_text(response.content.decode())
    assert VerificationRequest.objects.count() == 1


def test_official_municipality_address_is_accepted_after_email_confirmation(
    client, settings, gea_gemeente, groningen, bob_buiten, committed
):
    code = groningen
    settings.MUNICIPALITY_EMAIL_DOMAINS = {code: frozenset({"groningen.nl"})}
    mail.outbox.clear()
    committed(
        ask,
        client,
        gea_gemeente,
        role="municipality",
        organisation="Gemeente Groningen",
        official_email="gea@groningen.nl",
        municipality_codes=code,
    )
    [message] = mail.outbox
    assert message.to == ["gea@groningen.nl"]
    link = re.search(r"https?://\S+(/account/verificatie/bevestigen/\S+/)", message.body).group(1)
    assert municipality_codes_for(user=gea_gemeente) == frozenset()
    # Opening the link changes nothing (a mail scanner may open it); someone else's
    # account cannot use it; a changed token is refused.
    assert client.get(link).status_code == 200
    assert not Verification.objects.exists()
    client.force_login(bob_buiten)
    assert client.post(link).status_code == 404
    client.force_login(gea_gemeente)
    client.post(link[:-3] + "xx/")
    assert not Verification.objects.exists()
    assert client.post(link).status_code == 302
    assert municipality_codes_for(user=gea_gemeente) == frozenset({code})
    decision = Decision.objects.get(subject=gea_gemeente)
    assert decision.kind == "email_confirmed" and "gea@groningen.nl" in decision.evidence
    assert decision.decided_by is None


def test_the_official_address_is_normalised_as_account_addresses_are(
    client, settings, gea_gemeente, groningen, committed
):
    """It was lower-cased with str.lower(), not normalize_email: a full-width spelling of
    the domain (which e-mail validation accepts) did not count as the official domain."""
    code = groningen
    settings.MUNICIPALITY_EMAIL_DOMAINS = {code: frozenset({"groningen.nl"})}
    fields = {"role": "municipality", "organisation": "Gemeente Groningen"}
    typed = (
        " Gea@\uff27\uff32\uff2f\uff2e\uff29\uff2e\uff27\uff25\uff2e.NL "  # full-width GRONINGEN
    )
    mail.outbox.clear()
    committed(ask, client, gea_gemeente, official_email=typed, municipality_codes=code, **fields)
    made = VerificationRequest.objects.get()
    assert made.official_email == normalize_email(typed) == "gea@groningen.nl"
    assert [m.to for m in mail.outbox] == [["gea@groningen.nl"]]  # the confirmation link
    # A dotless i (U+0131) is not an i: that is another domain, which waits for staff.
    made.delete()
    mail.outbox.clear()
    dotless = "GEA@GRON\u0131NGEN.NL"
    committed(ask, client, gea_gemeente, official_email=dotless, municipality_codes=code, **fields)
    assert VerificationRequest.objects.get().official_email == "gea@gron\u0131ngen.nl"
    assert mail.outbox == []


def test_an_address_of_another_domain_waits_for_staff(
    client, settings, gea_gemeente, groningen, committed
):
    code = groningen
    settings.MUNICIPALITY_EMAIL_DOMAINS = {code: frozenset({"groningen.nl"})}
    mail.outbox.clear()
    committed(
        ask,
        client,
        gea_gemeente,
        role="municipality",
        organisation="Gemeente Groningen",
        official_email="gea@gmail.com",
        municipality_codes=code,
    )
    assert mail.outbox == []
    assert VerificationRequest.objects.get().status == "pending"


def test_staff_pages_are_for_staff_only(
    client, staff, group, anna_admin, mo_member, pieter_politie, bob_buiten, kees
):
    ask(client, kees)
    made = VerificationRequest.objects.get(user=kees)
    police = Verification.objects.get(user=pieter_politie)
    pages = [
        ("get", reverse("staff_verification"), {}),
        (
            "post",
            reverse("staff_verification_decide", args=[made.pk]),
            {"decision": "deny", "reason": "x"},
        ),
        ("post", reverse("staff_verification_revoke", args=[police.pk]), {"reason": "x"}),
    ]
    client.logout()
    for method, url, data in pages:
        response = getattr(client, method)(url, data)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    for person in (bob_buiten, mo_member, anna_admin, pieter_politie, kees):
        client.force_login(person)
        for method, url, data in pages:
            assert getattr(client, method)(url, data).status_code == 404, (person, url)
    assert not Decision.objects.filter(kind__in=["denied", "revoked"]).exists()
    client.force_login(staff)
    assert client.get(reverse("staff_verification")).status_code == 200
    # The actions refuse non-staff too, whoever calls them.
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        actions.revoke(staff=anna_admin, verification_id=police.pk, reason="x")


def test_deleting_an_account_ends_its_roles(pieter_politie):
    from buurtwacht.accounts import actions as account_actions

    account_actions.delete_account(user=pieter_politie)
    assert not Verification.objects.filter(user=pieter_politie, revoked_at__isnull=True).exists()
    assert Decision.objects.filter(subject=pieter_politie, kind="revoked").exists()


def test_verification_over_the_api(client, kees, pieter_politie):
    import json

    client.force_login(kees)
    body = {
        "role": "police",
        "organisation": "Politie Noord-Nederland",
        "official_email": "kees.agent@politie.nl",
        "reference": "Basisteam Groningen-Centrum",
    }
    made = client.post(
        "/api/verification-requests", json.dumps(body), content_type="application/json"
    )
    assert made.status_code == 201, made.content
    assert (made.json()["status"], made.json()["confirm_by_email"]) == ("pending", False)
    again = client.post(
        "/api/verification-requests", json.dumps(body), content_type="application/json"
    )
    assert (again.status_code, again.json()["code"]) == (400, "pending")
    mine = client.get("/api/verification").json()
    assert (mine["police"], [r["status"] for r in mine["requests"]]) == (False, ["pending"])
    client.force_login(pieter_politie)
    assert client.get("/api/verification").json()["police"] is True
    client.logout()
    assert client.get("/api/verification").status_code == 401
