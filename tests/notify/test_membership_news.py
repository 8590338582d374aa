"""Issue 13, one notification path: what a person hears about their own membership
(admitted, denied, removed, made admin) goes through the outbox like every other
notification: a Delivery row after commit, sent by the worker, retried after a failure,
in the recipient's language.  It is about them, so the e-mail goes whatever their e-mail
preference; a push too if they take pushes, without the admins' reason."""

import datetime as dt

import pytest
from django.core import mail
from django.db import transaction
from django.utils import translation

from buurtwacht.accounts.actions import remember_language
from buurtwacht.accounts.models import User
from buurtwacht.groups import actions as group_actions
from buurtwacht.groups.models import Membership
from buurtwacht.notify import actions
from buurtwacht.notify.models import Delivery
from tests.conftest import GROUP_STREET, PASSWORD, VETTED, free_port

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _noon(noon):
    """Pushes wait for the end of quiet hours: every test here runs at noon."""
    return noon


@pytest.fixture
def lotte(resident_on):
    return resident_on("Lotte Jansen", GROUP_STREET, 20)


def ask(user, group):
    return group_actions.request_to_join(user=user, group_id=group.pk, rules_accepted=True)


def settle():
    """Send what the set-up queued (welcome mails, join requests to the admins), forget it."""
    actions.process_due()
    mail.outbox.clear()
    Delivery.objects.all().delete()


def membership_deliveries(user):
    return list(Delivery.objects.filter(user=user, kind="membership").order_by("transport"))


def test_admit_mail_goes_through_outbox(
    group, anna_admin, lotte, django_capture_on_commit_callbacks
):
    request = ask(lotte, group)
    settle()
    with django_capture_on_commit_callbacks(execute=True) as after_commit:
        group_actions.admit_member(admin=anna_admin, request_id=request.pk, vetting=VETTED)
    assert mail.outbox == []  # nothing is sent from inside the action any more
    assert after_commit  # the outbox is looked at once the decision has committed
    [delivery] = membership_deliveries(lotte)
    assert (delivery.transport, delivery.state) == ("email", "pending")

    assert actions.process_due() == 1
    [message] = mail.outbox
    assert message.to == [lotte.email]
    assert message.subject == f"Welkom bij {group.name}"
    assert f"Je bent toegelaten tot {group.name}." in message.body
    assert f"/groepen/{group.pk}/" in message.body
    delivery.refresh_from_db()
    assert delivery.state == "sent"


def test_denial_mail_goes_even_with_email_off_and_its_push_keeps_the_reason_private(
    group, anna_admin, lotte, subscribe, local_service
):
    """Her e-mail preference is about alerts and chat; a decision about herself reaches
    her anyway.  The push shows on a lock screen: it says there is a reason, not which."""
    keys = subscribe(lotte)
    actions.update_preferences(
        user=lotte,
        change=actions.PreferenceChange(
            webpush=True,
            email=False,
            sms=False,
            phone="",
            chat=True,
            quiet_start=dt.time(23),
            quiet_end=dt.time(7),
        ),
    )
    request = ask(lotte, group)
    settle()
    local_service.received.clear()
    group_actions.deny_request(admin=anna_admin, request_id=request.pk, reason="Niet bereikt")
    assert [d.transport for d in membership_deliveries(lotte)] == ["email", "webpush"]

    assert actions.process_due() == 2
    [message] = mail.outbox
    assert message.subject == f"Je aanvraag voor {group.name}"
    assert "Reden: Niet bereikt" in message.body
    [push] = local_service.received
    payload = keys.decrypt(push.body)
    assert payload["title"] == f"Je aanvraag voor {group.name}"
    assert payload["body"] == (
        f"De beheerders van {group.name} hebben je niet toegelaten. De reden staat in je e-mail."
    )
    assert "Niet bereikt" not in str(payload)


def test_removal_and_staff_appointment_are_told_through_the_outbox(
    group, anna_admin, mo_member, lotte
):
    group_actions.admit_member(admin=anna_admin, request_id=ask(lotte, group).pk, vetting=VETTED)
    settle()
    group_actions.remove_member(
        admin=anna_admin, group_id=group.pk, user_id=mo_member.pk, reason="Ongewenst gedrag"
    )
    Membership.objects.filter(user=anna_admin, group=group).update(status="left")
    staff = User.objects.create_user("staf@example.nl", PASSWORD, name="Staf", is_staff=True)
    group_actions.appoint_admin_as_staff(staff=staff, group_id=group.pk, user_id=lotte.pk)
    assert actions.process_due() == 2

    told = {message.to[0]: message for message in mail.outbox}
    removed = told[mo_member.email]
    assert removed.subject == f"Je bent geen lid meer van {group.name}"
    assert (
        "Een beheerder heeft je uit" in removed.body and "Reden: Ongewenst gedrag" in removed.body
    )
    appointed = told[lotte.email]
    assert appointed.subject == f"Je bent nu beheerder van {group.name}"


def test_decision_mail_is_retried_after_a_transport_failure(
    group, anna_admin, lotte, settings, _noon
):
    request = ask(lotte, group)
    settle()
    # A real SMTP connection to a port where nothing listens: refused.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    group_actions.admit_member(admin=anna_admin, request_id=request.pk, vetting=VETTED)

    assert actions.process_due() == 0
    [delivery] = membership_deliveries(lotte)
    assert (delivery.state, delivery.attempts) == ("pending", 1)
    assert delivery.last_error
    assert actions.process_due() == 0  # not before its backoff has passed
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    _noon.shift(dt.timedelta(minutes=1))
    assert actions.process_due() == 1
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == ("sent", 2)
    assert [m.to for m in mail.outbox] == [[lotte.email]]


def test_decision_mail_is_in_the_recipients_language(group, anna_admin, mo_member, lotte):
    """Written in the language the person chose, not in the admin's."""
    remember_language(user=lotte, language="en")
    request = ask(lotte, group)
    settle()
    with translation.override("nl"):  # the admin reads the site in Dutch
        group_actions.admit_member(admin=anna_admin, request_id=request.pk, vetting=VETTED)
    with translation.override("en"):  # and now in English; Mo never chose a language
        group_actions.remove_member(
            admin=anna_admin, group_id=group.pk, user_id=mo_member.pk, reason="Verhuisd"
        )
    actions.process_due()
    told = {message.to[0]: message for message in mail.outbox}
    assert told[lotte.email].subject == f"Welcome to {group.name}"
    assert f"You have been admitted to {group.name}." in told[lotte.email].body
    assert told[mo_member.email].subject == f"Je bent geen lid meer van {group.name}"


def test_other_notifications_are_in_the_recipients_language_too(group, anna_admin, lotte):
    """The applicant writes in Dutch; the admin who chose English is told in English."""
    remember_language(user=anna_admin, language="en")
    settle()
    with translation.override("nl"):
        ask(lotte, group)
    actions.process_due()
    [message] = mail.outbox
    assert message.to == [anna_admin.email]
    assert "Lotte Jansen asks to join. Contact them before you decide." in message.body


def test_nothing_is_queued_when_the_decision_rolls_back(
    group, anna_admin, lotte, django_capture_on_commit_callbacks
):
    request = ask(lotte, group)
    settle()

    class Later(Exception):
        """Something after the decision fails, in the same transaction."""

    with (
        django_capture_on_commit_callbacks(execute=True) as after_commit,
        pytest.raises(Later),
        transaction.atomic(),
    ):
        group_actions.admit_member(admin=anna_admin, request_id=request.pk, vetting=VETTED)
        assert membership_deliveries(lotte)
        raise Later
    assert after_commit == []
    assert membership_deliveries(lotte) == []
    assert actions.process_due() == 0
    assert mail.outbox == []


def test_the_language_switch_is_remembered_for_notifications(client, lotte):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})  # not logged in: a cookie
    lotte.refresh_from_db()
    assert lotte.language == ""
    client.force_login(lotte)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "en"
    lotte.refresh_from_db()
    assert lotte.language == "en"
    client.post("/i18n/setlang/", {"language": "xx", "next": "/"})  # not a language of ours
    lotte.refresh_from_db()
    assert lotte.language == "en"
