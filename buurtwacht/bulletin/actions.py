"""The only writers of the bulletin (R-RUL-7): admins publish and withdraw public notices;
residents subscribe to a group's newsletter without an account (double opt-in), confirm
and unsubscribe.

A notice goes through the language screen like every post (R-RUL-3: warn, post anyway,
block) and is refused when it holds personal data (personal.py).  The newsletter and the
confirmation mail are sent with Django's mail after commit; every newsletter carries the
RFC 8058 one-click unsubscribe headers."""

import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.core.validators import validate_email
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from buurtwacht.accounts.models import User, normalize_email
from buurtwacht.core import clock
from buurtwacht.core.errors import ActionError
from buurtwacht.core.ratelimit import allow
from buurtwacht.core.text import clean_text
from buurtwacht.groups.access import access_group
from buurtwacht.groups.models import AuditEntry, Group
from buurtwacht.groups.policy import Action
from buurtwacht.moderation.actions import flag_posted, screen
from buurtwacht.moderation.models import Place

from . import selectors
from .models import NewsletterDelivery, Notice, NoticeKind, Subscriber
from .personal import Finding, personal_data, quotes_alert

MAX_TITLE = 120
MAX_BODY = 2000
CONFIRM_SALT = "bulletin.confirm"
CONFIRM_MAX_AGE = 7 * 24 * 3600
# Subscribing: per visitor (IP) and per address, within the window.
PER_VISITOR = 5
PER_ADDRESS = 3
WINDOW_SECONDS = 3600

_FOUND = {
    Finding.EMAIL: gettext_lazy("an e-mail address"),
    Finding.PHONE: gettext_lazy("a phone number"),
    Finding.ADDRESS: gettext_lazy("an address (a street with a house number)"),
    Finding.PLATE: gettext_lazy("a licence plate"),
}


@dataclass(frozen=True)
class NoticeDraft:
    kind: str
    title: str
    body: str


def _refuse_personal_data(texts: list[str]) -> None:
    found: list[Finding] = []
    for text in texts:
        found += [f for f in personal_data(text) if f not in found]
    if found:
        raise ActionError(
            "personal_data",
            _(
                "A public notice is read by everyone, also outside the group: it cannot "
                "contain %(what)s. Leave out personal data and the details of incidents; "
                "residents contact the group through its public page."
            )
            % {"what": ", ".join(str(_FOUND[f]) for f in found)},
        )


def publish_notice(
    *, admin: User, group_id: int, draft: NoticeDraft, confirm_language: bool = False
) -> Notice:
    title = clean_text(draft.title, code="title", single_line=True)
    body = clean_text(draft.body, code="body")
    if draft.kind not in NoticeKind.values:
        raise ActionError("kind", _("Choose what kind of notice this is."))
    if not title or not body:
        raise ActionError("empty", _("Give the notice a title and a text."))
    if len(title) > MAX_TITLE or len(body) > MAX_BODY:
        raise ActionError(
            "too_long",
            _("Keep the title under %(title)s and the text under %(body)s characters.")
            % {"title": MAX_TITLE, "body": MAX_BODY},
        )
    # The gate first: an outsider learns nothing about the group from these refusals.
    access_group(user=admin, group_id=group_id, action=Action.PUBLISH_NOTICE)
    _refuse_personal_data([title, body])
    if quotes_alert(f"{title}\n{body}", selectors.recent_alert_texts(group_id=group_id)):
        raise ActionError(
            "alert_content",
            _(
                "This repeats an alert of the group. What happens in alerts stays within "
                "the group: write a general tip instead, without the details."
            ),
        )
    verdict = screen(
        user=admin,
        group_id=group_id,
        action=Action.PUBLISH_NOTICE,
        place=Place.NOTICE,
        texts=[title, body],
        confirmed=confirm_language,
    )
    with transaction.atomic():
        access = access_group(user=admin, group_id=group_id, action=Action.PUBLISH_NOTICE)
        notice = Notice.objects.create(
            group=access.group,
            kind=draft.kind,
            title=title,
            body=body,
            author=admin,
            published_at=clock.now(),
        )
        AuditEntry.objects.create(
            group=access.group,
            actor=admin,
            action="publish_notice",
            details={"notice_id": notice.pk, "kind": draft.kind},
        )
        flag_posted(
            group=access.group,
            author=admin,
            place=Place.NOTICE,
            text=f"{title}\n{body}",
            verdict=verdict,
        )
        transaction.on_commit(lambda: _queue_newsletter(notice.pk))
    return notice


@transaction.atomic
def withdraw_notice(*, admin: User, group_id: int, notice_id: int) -> Notice:
    access = access_group(user=admin, group_id=group_id, action=Action.PUBLISH_NOTICE)
    notice = Notice.objects.filter(pk=notice_id, group=access.group).first()
    if notice is None:
        raise Http404
    if notice.withdrawn_at is None:
        notice.withdrawn_at = clock.now()
        notice.save(update_fields=["withdrawn_at"])
        AuditEntry.objects.create(
            group=access.group,
            actor=admin,
            action="withdraw_notice",
            details={"notice_id": notice.pk},
        )
    return notice


# --- the newsletter ----------------------------------------------------------------------


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def unsubscribe_url(subscriber: Subscriber) -> str:
    return _absolute(reverse("bulletin_unsubscribe", args=[subscriber.unsubscribe_token]))


def confirm_token(subscriber: Subscriber) -> str:
    return signing.dumps([subscriber.pk, subscriber.confirm_nonce], salt=CONFIRM_SALT)


def newsletter_message(*, notice: Notice, subscriber: Subscriber) -> EmailMessage:
    link = unsubscribe_url(subscriber)
    page = _absolute(reverse("register_group", args=[notice.group_id]))
    body = "\n\n".join(
        [
            notice.title,
            notice.body,
            _("More about %(group)s: %(url)s") % {"group": notice.group.name, "url": page},
            _("You receive this because you subscribed to this newsletter. Unsubscribe: %(url)s")
            % {"url": link},
        ]
    )
    return EmailMessage(
        subject=f"{notice.group.name}: {notice.title}",
        body=body,
        to=[subscriber.email],
        headers={
            "List-Unsubscribe": f"<{link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",  # RFC 8058
            "List-Id": f"{notice.group.name} <bulletin-{notice.group_id}.buurtwacht>",
        },
    )


def _queue_newsletter(notice_id: int) -> None:
    from .tasks import send_newsletter as task  # the task module imports this one

    task.enqueue(notice_id=notice_id)


BATCH = 100


def send_newsletter(*, notice_id: int) -> int:
    """The notice to every confirmed subscriber of its group, in batches; each batch is
    marked sent in the transaction that hands it to the mail backend (a failure leaves it
    unsent for the next run; a second run sends nothing twice).  Returns how many went."""
    notice = Notice.objects.select_related("group").filter(pk=notice_id).first()
    if notice is None or notice.withdrawn_at is not None:
        return 0
    NewsletterDelivery.objects.bulk_create(
        [
            NewsletterDelivery(notice=notice, subscriber=subscriber)
            for subscriber in selectors.active_subscribers(group_id=notice.group_id)
        ],
        ignore_conflicts=True,
    )
    sent = 0
    connection = get_connection()
    while True:
        with transaction.atomic():
            batch = list(
                NewsletterDelivery.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("subscriber")
                .filter(
                    notice=notice,
                    sent_at__isnull=True,
                    subscriber__confirmed_at__isnull=False,
                    subscriber__unsubscribed_at__isnull=True,
                )
                .order_by("pk")[:BATCH]
            )
            if not batch:
                return sent
            # Subscribers have no account and no language setting: the site's language,
            # not the language of the admin who happened to publish.
            with translation.override(settings.LANGUAGE_CODE):
                messages = [
                    newsletter_message(notice=notice, subscriber=row.subscriber) for row in batch
                ]
            connection.send_messages(messages)
            NewsletterDelivery.objects.filter(pk__in=[row.pk for row in batch]).update(
                sent_at=clock.now()
            )
            sent += len(batch)


def _send_confirmation(subscriber: Subscriber) -> None:
    link = _absolute(reverse("bulletin_confirm", args=[confirm_token(subscriber)]))
    group = subscriber.group.name
    EmailMessage(
        subject=_("Confirm your subscription to the news of %(group)s") % {"group": group},
        body=_(
            "Someone (probably you) asked to receive the public news of %(group)s at this "
            "address. Confirm with this link (valid for 7 days):\n\n%(url)s\n\n"
            "Did you not ask for this? Then ignore this message: you will receive nothing."
        )
        % {"group": group, "url": link},
        to=[subscriber.email],
    ).send(fail_silently=True)


def subscribe(*, group_id: int, email: str, ip_address: str) -> None:
    """Always the same answer for the visitor, whether the address is new, waiting or
    already subscribed: nobody learns who reads a group's news."""
    address = normalize_email(clean_text(email, code="email", single_line=True))
    try:
        validate_email(address)
    except ValidationError:
        raise ActionError("email", _("Enter a valid e-mail address.")) from None
    if not allow(
        scope="bulletin_subscribe", key=ip_address, limit=PER_VISITOR, window_seconds=WINDOW_SECONDS
    ) or not allow(
        scope="bulletin_subscribe_address",
        key=address,
        limit=PER_ADDRESS,
        window_seconds=WINDOW_SECONDS,
    ):
        raise ActionError(
            "rate_limited", _("You have subscribed several times just now. Try again later.")
        )
    with transaction.atomic():
        group = Group.objects.filter(pk=group_id).first()
        if group is None:
            raise Http404
        subscriber = (
            Subscriber.objects.select_for_update().filter(group=group, email=address).first()
        )
        if subscriber is None:
            subscriber = Subscriber.objects.create(
                group=group,
                email=address,
                confirm_nonce=secrets.token_hex(8),
                unsubscribe_token=secrets.token_urlsafe(32),
            )
        elif subscriber.confirmed_at is not None and subscriber.unsubscribed_at is None:
            return  # already receives it
        else:
            subscriber.confirm_nonce = secrets.token_hex(8)
            if subscriber.unsubscribed_at is not None:  # the old unsubscribe link stays dead
                subscriber.unsubscribe_token = secrets.token_urlsafe(32)
            subscriber.save(update_fields=["confirm_nonce", "unsubscribe_token"])
        transaction.on_commit(lambda: _send_confirmation(subscriber))


def _invalid_link() -> ActionError:
    return ActionError(
        "link_invalid",
        _("This confirmation link is not valid (any more). Subscribe again on the group's page."),
    )


@transaction.atomic
def confirm_subscription(*, token: str) -> Subscriber:
    """The signed link from the confirmation mail; it works once."""
    try:
        pk, nonce = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    except (signing.BadSignature, ValueError, TypeError):
        raise _invalid_link() from None
    subscriber = (
        Subscriber.objects.select_for_update().select_related("group").filter(pk=pk).first()
    )
    if subscriber is None or not nonce or subscriber.confirm_nonce != nonce:
        raise _invalid_link()
    subscriber.confirm_nonce = ""
    subscriber.confirmed_at = clock.now()
    subscriber.unsubscribed_at = None
    subscriber.save(update_fields=["confirm_nonce", "confirmed_at", "unsubscribed_at"])
    return subscriber


@dataclass(frozen=True)
class Unsubscribed:
    group: Group
    already: bool  # the link had been used before: nothing changed


@transaction.atomic
def unsubscribe(*, token: str) -> Unsubscribed:
    subscriber = (
        Subscriber.objects.select_for_update()
        .select_related("group")
        .filter(unsubscribe_token=token)
        .first()
    )
    if subscriber is None:
        raise Http404
    if subscriber.unsubscribed_at is not None:
        return Unsubscribed(group=subscriber.group, already=True)
    subscriber.unsubscribed_at = clock.now()
    subscriber.confirm_nonce = ""
    subscriber.save(update_fields=["unsubscribed_at", "confirm_nonce"])
    return Unsubscribed(group=subscriber.group, already=False)
