"""The only writers for moderation: the language gate every posting action calls, and what
admins do (hide, move an off-topic alert to the chat, resolve); members report.

The gate (`screen`) runs before the posting action opens its transaction, so that a blocked
attempt is recorded for the admins even though nothing is posted."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from buurtwacht.accounts.models import User
from buurtwacht.alerts.models import Alert, AlertUpdate
from buurtwacht.chat.models import ChatMessage
from buurtwacht.core import clock, metrics
from buurtwacht.core.errors import ActionError
from buurtwacht.core.text import clean_text
from buurtwacht.geo.geocoding import belgium_served
from buurtwacht.groups.access import GroupAccess, access_group, passed_gate
from buurtwacht.groups.models import AuditEntry, Group
from buurtwacht.groups.policy import Action

from . import french
from .language import Outcome, Reason, Rule, Verdict, check, hits, profiled, verdict_of
from .models import ModerationRecord, Place, RecordKind
from .reasons import RANK

MAX_REASON = 500

# The category, in the reader's language (the writer's explanation and the review queue).
REASON_LABELS = {
    Reason.CURSING: gettext_lazy("cursing"),
    Reason.INSULT: gettext_lazy("an insult"),
    Reason.SLUR: gettext_lazy("a slur"),
    Reason.GENERALISATION: gettext_lazy("a generalisation about a group of people"),
    Reason.DISCRIMINATION: gettext_lazy("a generalisation about a group of people"),
    Reason.THREAT: gettext_lazy("a threat or a call to take the law into your own hands"),
    Reason.DOXXING: gettext_lazy("an address with a call to go there"),
    Reason.PROFILING: gettext_lazy("a description by origin or skin colour"),
}
# Which pattern matched, so the explanation says why.
_RULE_WHY = {
    Rule.DISEASE_WISH: gettext_lazy("It wishes an illness on someone."),
    Rule.GROUP_FRAME: gettext_lazy(
        "It says something about a whole group of people (a nationality, religion, origin "
        "or orientation): judge what someone does, not who they are."
    ),
    Rule.GROUP_HOSTILE: gettext_lazy("It speaks with hostility about a group of people."),
    Rule.GROUP_DEHUMANISED: gettext_lazy(
        "It speaks of a group of people as animals, vermin or waste."
    ),
    Rule.VIOLENCE: gettext_lazy("It threatens violence against a person or their home."),
    Rule.EIGENRICHTING: gettext_lazy(
        "It calls on people to act against someone themselves, or to bring weapons. Never "
        "act yourself: call 112, or the police on 0900-8844."
    ),
    Rule.ADDRESS_CALL: gettext_lazy(
        "It names where someone lives and calls people to go there, or names a suspect's "
        "address. Give the police the address, not the group."
    ),
    Rule.ORIGIN: gettext_lazy(
        "If you mention skin colour, also give at least two other concrete details "
        "(clothing, height, build, hair, features). Describe behaviour first."
    ),
}


def reason_label(reason: str) -> str:
    """A stored category code in the reader's language ("" for none)."""
    try:
        return str(REASON_LABELS[Reason(reason)])
    except (ValueError, KeyError):
        return ""


def rule_explanation(rule: str) -> str:
    """A stored rule code in the reader's language ("" for a word or none)."""
    try:
        return str(_RULE_WHY.get(Rule(rule), ""))
    except ValueError:
        return ""


def why(verdict: Verdict) -> str:
    """What the writer is told, in their language: the category, the words, the rule."""
    words = ", ".join(f"“{w}”" for w in verdict.words)
    label = REASON_LABELS.get(verdict.reason, "")
    rule = str(_RULE_WHY.get(verdict.rule, ""))
    if verdict.reason == Reason.PROFILING:
        return rule
    if verdict.outcome == Outcome.BLOCK:
        text = _(
            "This cannot be posted: it contains %(why)s (%(words)s). Our house rules ask for "
            "polite language: no threats, insults, discrimination or racist remarks. The "
            "group's admins see this attempt."
        ) % {"why": label, "words": words}
    else:
        text = _(
            "Please check your words: %(words)s reads as %(why)s. Our house rules ask for "
            "polite language. Rephrase it, or post it anyway: the admins will then look at it."
        ) % {"why": label, "words": words}
    return f"{text} {rule}" if rule else text


class LanguageError(ActionError):
    """Refused for its language.  `verdict` says which words and why."""

    def __init__(self, code: str, verdict: Verdict) -> None:
        super().__init__(code, why(verdict))
        self.verdict = verdict


class LanguageWarning(LanguageError):
    """`warn`: nothing stored; post again with confirm_language to post anyway."""

    def __init__(self, verdict: Verdict) -> None:
        super().__init__("language_warning", verdict)


class LanguageBlocked(LanguageError):
    """`block`: never posted; the attempt is in the admins' review queue.  Profiling keeps
    the code the alert form has always answered with (`profiling`)."""

    def __init__(self, verdict: Verdict) -> None:
        code = "profiling" if verdict.reason == Reason.PROFILING else "language_blocked"
        super().__init__(code, verdict)


def gazetteer(word: str) -> list[str]:
    """The street and area names of the gazetteer that contain `word` (a flagged word: the
    check asks only for those, so this runs rarely)."""
    from buurtwacht.geo.models import Area, Street

    if len(word) < 4:
        return []
    streets = Street.objects.filter(name__icontains=word).values_list("name", flat=True)[:50]
    areas = Area.objects.filter(name__icontains=word).values_list("name", flat=True)[:50]
    return [*streets, *areas]


def check_texts(texts: Iterable[str]) -> Verdict:
    """The worst verdict over several fields of one post: each field on its own, and the
    profiling rule over them together (a description's details may be in other fields).
    Where Belgium is served, each field is read in French too (french.py)."""
    texts = [t for t in texts if t]
    found = [hit for t in texts for hit in hits(t, names=gazetteer, profiling=False)]
    if texts and (hit := profiled("\n".join(texts))) is not None:
        found.append(hit)
    verdict = verdict_of(found)
    if belgium_served():
        for text in texts:
            other = french.check(text)
            if RANK[other.reason] > RANK[verdict.reason]:
                verdict = other
    return verdict


def screen(
    *,
    user: User,
    group_id: int,
    action: Action,
    place: Place,
    texts: Iterable[str],
    confirmed: bool,
    access: GroupAccess | None = None,
) -> Verdict:
    """Before a post is stored.  `block`: the attempt is recorded for the admins (a threat:
    they are told at once) and LanguageBlocked raised; `warn` without `confirmed`:
    LanguageWarning.  Returns the verdict (ok, or warn confirmed: pass it to `flag_posted`
    inside the posting transaction).  `access`: what the gate answered the posting action,
    if it asked already."""
    texts = list(texts)
    verdict = check_texts(texts)
    metrics.MODERATION.labels(stage="screen", outcome=str(verdict.outcome)).inc()
    if verdict.outcome == Outcome.BLOCK:
        with transaction.atomic():
            group = passed_gate(access, user=user, group_id=group_id, action=action).group
            if verdict.reason != Reason.PROFILING:  # the writer rephrases, as on the form
                record = _record(
                    group=group,
                    kind=RecordKind.BLOCKED,
                    place=place,
                    author=user,
                    text="\n".join(t for t in texts if t),
                    verdict=verdict,
                )
                if verdict.reason == Reason.THREAT:
                    from buurtwacht.notify.actions import notify_moderation_threat

                    notify_moderation_threat(record=record)
        raise LanguageBlocked(verdict)
    if verdict.outcome == Outcome.WARN and not confirmed:
        passed_gate(access, user=user, group_id=group_id, action=action)  # outsiders: 404
        raise LanguageWarning(verdict)
    return verdict


def screen_outside_group(*, texts: Iterable[str], confirmed: bool = False) -> Verdict:
    """For text written outside a group's own posting paths: a new group's name and
    description (there are no admins yet to queue it for), a visitor's message, the
    police's feedback, a municipality's message, reasons and notes.  The same check:
    block is refused, warn asks to confirm (`confirmed`)."""
    verdict = check_texts(texts)
    metrics.MODERATION.labels(stage="screen", outcome=str(verdict.outcome)).inc()
    if verdict.outcome == Outcome.BLOCK:
        raise LanguageBlocked(verdict)
    if verdict.outcome == Outcome.WARN and not confirmed:
        raise LanguageWarning(verdict)
    return verdict


def _record(
    *,
    group: Group,
    kind: RecordKind,
    place: Place,
    author: User | None,
    text: str = "",
    verdict: Verdict | None = None,
    **targets: object,
) -> ModerationRecord:
    return ModerationRecord.objects.create(
        group=group,
        kind=kind,
        place=place,
        author=author,
        text=text,
        outcome=str(verdict.outcome) if verdict else "",
        reason=str(verdict.reason) if verdict else "",
        words=list(verdict.words) if verdict else [],
        rule=str(verdict.rule) if verdict else "",
        **targets,
    )


def flag_posted(
    *, group: Group, author: User, place: Place, text: str, verdict: Verdict, **targets: object
) -> None:
    """In the posting transaction: a post made anyway after a warning goes to the queue."""
    if verdict.outcome == Outcome.WARN:
        _record(
            group=group,
            kind=RecordKind.POSTED_ANYWAY,
            place=place,
            author=author,
            text=text,
            verdict=verdict,
            **targets,
        )


# --- admins moderate (R-RUL-3, R-GRP-6) ---------------------------------------------------


def _audit(
    *, group: Group, actor: User, action: str, subject: User | None, reason: str, **details: object
) -> None:
    AuditEntry.objects.create(
        group=group, actor=actor, action=action, subject=subject, reason=reason, details=details
    )
    transaction.on_commit(lambda: metrics.MODERATION.labels(stage="admin", outcome=action).inc())


def _reason(value: str, *, confirmed: bool = False) -> str:
    value = clean_text(value, code="reason")
    if not value:
        raise ActionError("reason", _("Say why: the author sees this reason."))
    if len(value) > MAX_REASON:
        raise ActionError("reason", _("Keep the reason short: at most 500 characters."))
    screen_outside_group(texts=[value], confirmed=confirmed)
    return value


def _resolve(*, admin: User, **target: object) -> None:
    ModerationRecord.objects.filter(resolved_at__isnull=True, **target).update(
        resolved_at=clock.now(), resolved_by=admin
    )


def _publish_chat_hidden(message: ChatMessage) -> None:
    from buurtwacht.realtime.actions import record_event

    record_event(
        group=message.group,
        type="chat.hidden",
        payload={
            "message": {
                "id": message.pk,
                "author": message.author_id,
                "text": "",
                "at": message.created_at.isoformat(),
                "hidden": True,
                "hidden_reason": message.hidden_reason,
            }
        },
    )


def _publish_alert(alert: Alert, type: str) -> None:
    from buurtwacht.alerts.selectors import alert_state
    from buurtwacht.realtime.actions import record_event

    record_event(group=alert.group, type=type, payload={"alert": alert_state(alert=alert)})


@transaction.atomic
def hide_chat_message(*, admin: User, message_id: int, reason: str) -> ChatMessage:
    message = ChatMessage.objects.select_for_update().filter(pk=message_id).first()
    if message is None:
        raise Http404
    access_group(user=admin, group_id=message.group_id, action=Action.MODERATE)
    reason = _reason(reason)
    if message.hidden_at is not None:
        return message
    message.hidden_at, message.hidden_by, message.hidden_reason = clock.now(), admin, reason
    message.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    _audit(
        group=message.group,
        actor=admin,
        action="hide_chat",
        subject=message.author,
        reason=reason,
        message=message.pk,
    )
    _resolve(admin=admin, chat_message=message)
    _publish_chat_hidden(message)
    return message


@transaction.atomic
def hide_alert(*, admin: User, alert_id: int, reason: str) -> Alert:
    alert = Alert.objects.select_for_update().select_related("group").filter(pk=alert_id).first()
    if alert is None:
        raise Http404
    access_group(user=admin, group_id=alert.group_id, action=Action.MODERATE)
    reason = _reason(reason)
    if alert.hidden_at is not None:
        return alert
    _hide(alert, admin=admin, reason=reason)
    _audit(
        group=alert.group,
        actor=admin,
        action="hide_alert",
        subject=alert.author,
        reason=reason,
        alert=alert.pk,
    )
    _publish_alert(alert, "alert.hidden")
    return alert


@transaction.atomic
def hide_update(*, admin: User, update_id: int, reason: str) -> AlertUpdate:
    """An alert update leaves the alert's state; members see the alert without it."""
    update = (
        AlertUpdate.objects.select_for_update().select_related("alert__group").filter(pk=update_id)
    ).first()
    if update is None:
        raise Http404
    access_group(user=admin, group_id=update.alert.group_id, action=Action.MODERATE)
    reason = _reason(reason)
    if update.hidden_at is not None:
        return update
    update.hidden_at, update.hidden_by, update.hidden_reason = clock.now(), admin, reason
    update.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    _audit(
        group=update.alert.group,
        actor=admin,
        action="hide_update",
        subject=update.author,
        reason=reason,
        alert=update.alert_id,
        update=update.pk,
    )
    _resolve(admin=admin, update=update)
    _publish_alert(update.alert, "alert.updated")
    return update


def _hide(alert: Alert, *, admin: User, reason: str) -> None:
    alert.hidden_at, alert.hidden_by, alert.hidden_reason = clock.now(), admin, reason
    alert.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    _resolve(admin=admin, alert=alert)


@transaction.atomic
def move_alert_to_chat(*, admin: User, alert_id: int, reason: str = "") -> ChatMessage:
    """An off-topic alert (R-GRP-6) leaves the alert channel and appears in the chat, with
    its author and text; the author is told why."""
    from buurtwacht.chat.actions import publish_chat

    alert = Alert.objects.select_for_update().select_related("group").filter(pk=alert_id).first()
    if alert is None:
        raise Http404
    access_group(user=admin, group_id=alert.group_id, action=Action.MODERATE)
    reason = clean_text(reason, code="reason") or _(
        "Moved to the chat: the alert channel is for safety only."
    )
    if alert.hidden_at is not None:
        raise ActionError("hidden", _("This alert has already been hidden or moved."))
    message = ChatMessage.objects.create(
        group=alert.group,
        author=alert.author,
        client_id=f"moved-alert-{alert.pk}",
        text=alert.what,
    )
    _hide(alert, admin=admin, reason=reason[:MAX_REASON])
    _audit(
        group=alert.group,
        actor=admin,
        action="move_alert_to_chat",
        subject=alert.author,
        reason=reason,
        alert=alert.pk,
        message=message.pk,
    )
    _publish_alert(alert, "alert.hidden")
    publish_chat(message)
    return message


@dataclass(frozen=True)
class ReportTarget:
    chat_message_id: int | None = None
    alert_id: int | None = None


@transaction.atomic
def report(*, user: User, target: ReportTarget, note: str = "") -> ModerationRecord:
    """A member asks the admins to look at a message (R-RUL-3)."""
    if target.chat_message_id is not None:
        message = ChatMessage.objects.filter(pk=target.chat_message_id).first()
        if message is None:
            raise Http404
        group_id, place, text, author = message.group_id, Place.CHAT, message.text, message.author
        targets: dict[str, object] = {"chat_message": message}
    elif target.alert_id is not None:
        alert = Alert.objects.filter(pk=target.alert_id).first()
        if alert is None:
            raise Http404
        group_id, place, text, author = alert.group_id, Place.ALERT, alert.what, alert.author
        targets = {"alert": alert}
    else:
        raise ActionError("target", _("Say which message you report."))
    group = access_group(user=user, group_id=group_id, action=Action.REPORT).group
    note = clean_text(note, code="note")[:MAX_REASON]
    existing = ModerationRecord.objects.filter(
        kind=RecordKind.REPORTED, reporter=user, resolved_at__isnull=True, **targets
    ).first()
    if existing is not None:
        return existing
    record = _record(
        group=group,
        kind=RecordKind.REPORTED,
        place=place,
        author=author,
        text=text,
        verdict=check(text),
        **targets,
    )
    record.reporter, record.note = user, note
    record.save(update_fields=["reporter", "note"])
    return record


@transaction.atomic
def let_stand(*, admin: User, record_id: int) -> None:
    """The admin looked and leaves the message as it is."""
    record = ModerationRecord.objects.select_for_update().filter(pk=record_id).first()
    if record is None:
        raise Http404
    access_group(user=admin, group_id=record.group_id, action=Action.MODERATE)
    if record.resolved_at is None:
        record.resolved_at, record.resolved_by = clock.now(), admin
        record.save(update_fields=["resolved_at", "resolved_by"])
        _audit(
            group=record.group,
            actor=admin,
            action="review_let_stand",
            subject=record.author,
            reason="",
            record=record.pk,
        )
