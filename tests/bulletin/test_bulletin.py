"""R-RUL-7: admins publish short public notices for residents who are not members; they
are on the public page, in the Atom feed and in a newsletter with double opt-in and
one-click unsubscribe (RFC 8058); moderation applies; no personal data."""

import re
import xml.etree.ElementTree as ET

import pytest
from django.core import mail
from django.urls import reverse

from buurtwacht.alerts import actions as alert_actions
from buurtwacht.bulletin import actions
from buurtwacht.bulletin.models import NewsletterDelivery, Notice, Subscriber
from buurtwacht.bulletin.personal import Finding, personal_data
from buurtwacht.core.errors import ActionError
from buurtwacht.groups.models import AuditEntry
from buurtwacht.moderation.actions import LanguageBlocked, LanguageWarning
from buurtwacht.moderation.models import ModerationRecord, Place, RecordKind
from tests.conftest import visible_text

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
TIP = actions.NoticeDraft(
    kind="tip",
    title="Doe de deur op slot",
    body="Ook als je maar even weg bent. Bel bij verdachte situaties 112, "
    "voor de wijkagent 0900-8844.",
)


def publish(group, admin, draft=TIP, **extra):
    return actions.publish_notice(admin=admin, group_id=group.pk, draft=draft, **extra)


def test_r_rul_7_notice_on_the_public_page_and_in_the_atom_feed(client, group, anna_admin):
    client.force_login(anna_admin)
    response = client.post(
        reverse("group_notices", args=[group.pk]),
        {"kind": TIP.kind, "title": TIP.title, "body": TIP.body},
    )
    assert response.status_code == 302
    notice = Notice.objects.get()
    assert AuditEntry.objects.filter(group=group, action="publish_notice").exists()
    client.logout()
    page = client.get(reverse("register_group", args=[group.pk]))
    news = visible_text(page.text, element_id=f"bericht-{notice.pk}")
    assert "Doe de deur op slot" in news
    assert "0900-8844" in news
    assert "Preventietip" in news
    assert reverse("bulletin_feed", args=[group.pk]) in page.text

    feed = client.get(reverse("bulletin_feed", args=[group.pk]))
    assert feed.status_code == 200
    assert feed["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(feed.content)  # noqa: S314 (our own server's feed)
    assert root.tag == f"{ATOM}feed"
    assert group.name in root.find(f"{ATOM}title").text
    for required in ("id", "updated"):
        assert root.find(f"{ATOM}{required}") is not None
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 1
    entry = entries[0]
    assert entry.find(f"{ATOM}title").text == TIP.title
    summary = entry.find(f"{ATOM}summary")
    assert summary.get("type") == "html"
    assert TIP.body in summary.text
    for required in ("id", "updated", "link"):
        assert entry.find(f"{ATOM}{required}") is not None
    assert (
        entry.find(f"{ATOM}link")
        .get("href")
        .endswith(reverse("register_group", args=[group.pk]) + f"#bericht-{notice.pk}")
    )
    # Withdrawn: off the page and out of the feed.
    actions.withdraw_notice(admin=anna_admin, group_id=group.pk, notice_id=notice.pk)
    assert "Doe de deur op slot" not in client.get(reverse("register_group", args=[group.pk])).text
    again = client.get(reverse("bulletin_feed", args=[group.pk]))
    root = ET.fromstring(again.content)  # noqa: S314 (our own server's feed)
    assert root.findall(f"{ATOM}entry") == []
    assert client.get(reverse("bulletin_feed", args=[99999])).status_code == 404


def _subscribe(client, group, email="buur@example.nl"):
    return client.post(reverse("bulletin_subscribe", args=[group.pk]), {"email": email})


def _link(body, name):
    match = re.search(r"https?://\S+" + re.escape(name) + r"\S+/", body)
    assert match, body
    return match.group().split("://", 1)[1].split("/", 1)[1]


def test_r_rul_7_newsletter_double_opt_in_and_one_click_unsubscribe(
    client, group, anna_admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _subscribe(client, group)
    assert response.status_code == 302
    assert response["Location"].endswith("#nieuwsbrief")
    assert len(mail.outbox) == 1
    confirmation = mail.outbox[0]
    assert confirmation.to == ["buur@example.nl"]
    confirm_path = "/" + _link(confirmation.body, "/nieuwsbrief/bevestigen/")

    # Not confirmed yet: a notice reaches nobody.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        publish(group, anna_admin)
    assert mail.outbox == []

    # The link shows a button (GET changes nothing), the POST confirms; it works once.
    assert client.get(confirm_path).status_code == 200
    assert Subscriber.objects.get().confirmed_at is None
    assert "Bedankt" in client.post(confirm_path).text
    assert Subscriber.objects.get().confirmed_at is not None
    again = client.post(confirm_path)
    assert again.status_code == 400
    assert "niet (meer) geldig" in again.text
    assert client.post("/nieuwsbrief/bevestigen/vervalst/").status_code == 400

    with django_capture_on_commit_callbacks(execute=True):
        publish(
            group,
            anna_admin,
            actions.NoticeDraft(
                kind="meeting",
                title="Buurtbijeenkomst",
                body="Dinsdag 20 uur in het buurthuis: kennismaken met de wijkagent.",
            ),
        )
    assert len(mail.outbox) == 1
    letter = mail.outbox[0]
    assert letter.to == ["buur@example.nl"]
    assert "Buurtbijeenkomst" in letter.subject
    header = letter.extra_headers["List-Unsubscribe"]
    assert re.fullmatch(r"<https?://\S+/nieuwsbrief/afmelden/\S+/>", header)
    assert letter.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # The headers survive into the message as sent.
    sent = letter.message()
    assert sent["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe_path = "/" + header.strip("<>").split("://", 1)[1].split("/", 1)[1]
    assert unsubscribe_path.lstrip("/") in letter.body

    # RFC 8058: the mail client POSTs "List-Unsubscribe=One-Click", no cookie, no CSRF token.
    from django.test import Client

    one_click = Client(enforce_csrf_checks=True)
    response = one_click.post(
        unsubscribe_path,
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert Subscriber.objects.get().unsubscribed_at is not None
    # Once: the second use changes nothing and says so.
    second = one_click.post(
        unsubscribe_path,
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert "ontvangt het nieuws van" in visible_text(second.text)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        publish(group, anna_admin, actions.NoticeDraft(kind="tip", title="Nog een", body="Tip."))
    assert mail.outbox == []


def test_r_rul_7_subscribing_again_needs_a_new_confirmation_and_the_old_links_are_dead(
    client, group, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _subscribe(client, group)
    first = "/" + _link(mail.outbox[0].body, "/nieuwsbrief/bevestigen/")
    client.post(first)
    subscriber = Subscriber.objects.get()
    old_unsubscribe = reverse("bulletin_unsubscribe", args=[subscriber.unsubscribe_token])
    client.post(old_unsubscribe)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _subscribe(client, group)
    assert len(mail.outbox) == 1
    subscriber.refresh_from_db()
    assert subscriber.unsubscribed_at is not None  # until confirmed again
    assert client.post(first).status_code == 400  # the first link stays used
    client.post("/" + _link(mail.outbox[0].body, "/nieuwsbrief/bevestigen/"))
    subscriber.refresh_from_db()
    assert subscriber.unsubscribed_at is None and subscriber.confirmed_at is not None
    assert client.post(old_unsubscribe).status_code == 404  # the old link is no more


def test_r_rul_7_subscribe_form_is_rate_limited(client, group):
    for n in range(actions.PER_VISITOR):
        assert _subscribe(client, group, f"buur{n}@example.nl").status_code == 302
    response = _subscribe(client, group, "nog1@example.nl")
    page = client.get(response["Location"])
    assert "meerdere keren aangemeld" in page.text
    assert Subscriber.objects.count() == actions.PER_VISITOR
    bad = client.get(
        _subscribe(client, group, "geen-adres")["Location"]
    )  # invalid: a Dutch message, nothing stored
    assert "geldig e-mailadres" in bad.text


def test_r_rul_7_moderation_applies_a_blocked_notice_is_never_published(
    group, anna_admin, django_capture_on_commit_callbacks
):
    Subscriber.objects.create(
        group=group,
        email="buur@example.nl",
        unsubscribe_token="t",
        confirmed_at="2026-11-01T10:00:00Z",
    )
    blocked = actions.NoticeDraft(
        kind="tip", title="Let op", body="Dat zijn vast weer van die vuile buitenlanders"
    )
    for confirm in (False, True):
        with pytest.raises(LanguageBlocked), django_capture_on_commit_callbacks(execute=True):
            publish(group, anna_admin, blocked, confirm_language=confirm)
    assert not Notice.objects.exists()
    assert mail.outbox == []
    assert ModerationRecord.objects.filter(kind=RecordKind.BLOCKED, place=Place.NOTICE).count() == 2
    warned = actions.NoticeDraft(kind="tip", title="Let op", body="Wat een klootzak was dat")
    with pytest.raises(LanguageWarning):
        publish(group, anna_admin, warned)
    assert not Notice.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        notice = publish(group, anna_admin, warned, confirm_language=True)
    record = ModerationRecord.objects.get(kind=RecordKind.POSTED_ANYWAY)
    assert record.place == Place.NOTICE
    assert notice.body in record.text
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    ("body", "found"),
    [
        ("Bel Anna op 06-12345678 voor vragen", "een telefoonnummer"),
        ("Mail ons via anna@example.nl", "een e-mailadres"),
        ("Bijeenkomst bij Grote Beerstraat 12", "een adres"),
        ("Let op de auto met kenteken 12-ABC-3", "een kenteken"),
    ],
)
def test_r_rul_7_no_personal_data_in_a_notice(client, group, anna_admin, body, found):
    with pytest.raises(ActionError) as refused:
        publish(group, anna_admin, actions.NoticeDraft(kind="tip", title="Tip", body=body))
    assert refused.value.code == "personal_data"
    assert found in refused.value.message
    assert not Notice.objects.exists()
    client.force_login(anna_admin)
    page = client.post(
        reverse("group_notices", args=[group.pk]), {"kind": "tip", "title": "Tip", "body": body}
    )
    assert page.status_code == 200
    assert "iedereen gelezen" in page.text
    assert not Notice.objects.exists()


def test_r_rul_7_public_numbers_and_dates_are_no_personal_data():
    assert personal_data("Bel 112 bij nood, de wijkagent via 0900-8844.") == []
    assert personal_data("Dinsdag 12 maart om 19:30 in het buurthuis, 2026.") == []
    assert personal_data("Auto 12-ABC-3, bel +31 6 1234 5678") == [Finding.PHONE, Finding.PLATE]


def test_r_rul_7_only_admins_publish(group, mo_member, bob_buiten):
    with pytest.raises(Exception) as refused:
        publish(group, mo_member)
    assert type(refused.value).__name__ in ("PermissionDenied", "Http404")
    with pytest.raises(Exception) as hidden:
        publish(group, bob_buiten)
    assert type(hidden.value).__name__ == "Http404"
    assert not Notice.objects.exists()


def test_r_rul_7_newsletter_goes_once_per_subscriber_also_when_run_again(
    group, anna_admin, django_capture_on_commit_callbacks
):
    for n in range(3):
        Subscriber.objects.create(
            group=group,
            email=f"buur{n}@example.nl",
            unsubscribe_token=f"t{n}",
            confirmed_at="2026-11-01T10:00:00Z",
        )
    Subscriber.objects.create(group=group, email="wacht@example.nl", unsubscribe_token="w")
    with django_capture_on_commit_callbacks(execute=True):
        notice = publish(group, anna_admin)
    assert sorted(m.to[0] for m in mail.outbox) == [f"buur{n}@example.nl" for n in range(3)]
    assert actions.send_newsletter(notice_id=notice.pk) == 0  # a second run: nothing again
    assert len(mail.outbox) == 3
    assert NewsletterDelivery.objects.filter(notice=notice, sent_at__isnull=False).count() == 3


def test_r_rul_7_a_notice_does_not_retell_an_alert(group, anna_admin, mo_member):
    alert_actions.post_alert(
        user=mo_member,
        group_id=group.pk,
        draft=alert_actions.AlertDraft(
            client_id="a1",
            kind="suspicious_person",
            what="Man met rode jas probeert deurklinken van de achterdeuren",
            street_id=group.streets.first().pk,
        ),
    )
    retold = actions.NoticeDraft(
        kind="tip",
        title="Let op",
        body="Gisteren: een man met rode jas probeert deurklinken van de achterdeuren. Sluit af!",
    )
    with pytest.raises(ActionError) as refused:
        publish(group, anna_admin, retold)
    assert refused.value.code == "alert_content"
    assert "blijft binnen de groep" in refused.value.message
    general = actions.NoticeDraft(
        kind="tip",
        title="Let op",
        body="Sluit ook overdag je achterdeur af, ook als je thuis bent.",
    )
    assert publish(group, anna_admin, general).pk
