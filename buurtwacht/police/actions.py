"""The only writers for police reports (R-FUP-1).  A report on an alert changes the alert's
state, so it writes an alert event in the same transaction (members see it live); the
48-hour follow-up is queued in that transaction too (the database task backend stores the
task with the report, so a restart loses nothing)."""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from buurtwacht.accounts.models import User
from buurtwacht.alerts.models import Alert
from buurtwacht.alerts.selectors import alert_state
from buurtwacht.core import clock
from buurtwacht.core.errors import ActionError
from buurtwacht.core.text import check_moment, clean_text
from buurtwacht.groups.access import GroupAccess, passed_gate, role_in
from buurtwacht.groups.models import Membership, MembershipRole, MembershipStatus
from buurtwacht.groups.policy import Action, Role, can_read
from buurtwacht.moderation.actions import screen_outside_group
from buurtwacht.notify.actions import notify_police_follow_up
from buurtwacht.realtime.actions import clean_client_id, record_event

from .models import FOLLOW_UP_AFTER, PoliceReport, ReportChannel

MAX_NUMBER = 64
MAX_FEEDBACK = 2000


@dataclass(frozen=True)
class ReportDraft:
    client_id: str
    channel: str
    reported_at: dt.datetime | None = None  # default: now
    number: str = ""
    group_mentioned: bool = False
    alert_id: int | None = None  # None: a report on its own, for the group


def _publish(alert: Alert | None, type: str) -> None:
    if alert is not None:
        record_event(group=alert.group, type=type, payload={"alert": alert_state(alert=alert)})


@transaction.atomic
def record_report(
    *, user: User, group_id: int, draft: ReportDraft, access: GroupAccess | None = None
) -> tuple[PoliceReport, bool]:
    """(report, created): "Ik heb dit bij de politie gemeld".  `access`: what the gate
    already answered the caller for this (else the gate is asked)."""
    access = passed_gate(access, user=user, group_id=group_id, action=Action.RECORD_POLICE_REPORT)
    group = access.group
    client_id = clean_client_id(draft.client_id)
    existing = PoliceReport.objects.filter(group=group, reporter=user, client_id=client_id).first()
    if existing is not None:
        return existing, False
    alert = None
    if draft.alert_id is not None:
        alert = Alert.objects.select_related("group").filter(pk=draft.alert_id, group=group).first()
        if alert is None:
            raise Http404
    if draft.channel not in ReportChannel.values:
        raise ActionError(
            "channel",
            _("Choose how you reported it: %(emergency)s, %(police)s or online.")
            % {
                "emergency": group.country.emergency_number,
                "police": group.country.police_number,
            },
        )
    now = clock.now()
    reported_at = check_moment(draft.reported_at or now, code="reported_at", now=now)
    number = clean_text(draft.number, code="number", single_line=True)
    if len(number) > MAX_NUMBER:
        raise ActionError("number", _("A report number has at most 64 characters."))
    # get_or_create: the same resend arriving twice at the same moment makes one report.
    report, created = PoliceReport.objects.get_or_create(
        group=group,
        reporter=user,
        client_id=client_id,
        defaults={
            "alert": alert,
            "channel": draft.channel,
            "reported_at": reported_at,
            "number": number,
            "group_mentioned": draft.group_mentioned,
            "follow_up_due_at": reported_at + FOLLOW_UP_AFTER,
        },
    )
    if not created:
        return report, False
    from .tasks import follow_up

    follow_up.using(run_after=report.follow_up_due_at).enqueue(report.pk)
    _publish(alert, "alert.reported")
    return report, True


def _report_for(
    *, user: User, report_id: int, action: Action, access: GroupAccess | None = None
) -> tuple[PoliceReport, GroupAccess]:
    """The report, locked, and the caller's access to its group (404 for non-readers)."""
    report = (
        PoliceReport.objects.select_for_update(of=("self",))
        .select_related("group", "alert__group")
        .filter(pk=report_id)
        .first()
    )
    if report is None:
        raise Http404
    return report, passed_gate(access, user=user, group_id=report.group_id, action=action)


@transaction.atomic
def record_feedback(
    *,
    user: User,
    report_id: int,
    text: str,
    access: GroupAccess | None = None,
    confirm_language: bool = False,
) -> PoliceReport:
    """The police's feedback, by a verified wijkagent of the group (nobody else: an
    unverified one is an outsider, see groups/access.py).  The first feedback sets the
    time to feedback; a later one replaces the text."""
    report, _access = _report_for(
        user=user, report_id=report_id, action=Action.RECORD_POLICE_FEEDBACK, access=access
    )
    text = clean_text(text, code="feedback")
    if not text:
        raise ActionError("feedback", _("Write the police's feedback."))
    if len(text) > MAX_FEEDBACK:
        raise ActionError("too_long", _("Keep it short: at most 2000 characters."))
    screen_outside_group(texts=[text], confirmed=confirm_language)  # R-RUL-3
    now = clock.now()
    report.feedback = text
    report.feedback_by = user
    if report.feedback_at is None:
        report.feedback_at = now
        report.time_to_feedback = max(now - report.reported_at, dt.timedelta(0))
    report.save(update_fields=["feedback", "feedback_by", "feedback_at", "time_to_feedback"])
    _publish(report.alert, "alert.police_feedback")
    return report


def may_confirm_call(*, user: User, report: PoliceReport, role: Role) -> bool:
    """Who got the reminder may say they called the wijkagent: the reporter and admins."""
    return can_read(role) and (report.reporter_id == user.pk or role == Role.ADMIN)


@transaction.atomic
def record_wijkagent_called(*, user: User, report_id: int) -> PoliceReport:
    """The one tap in the reminder: "I called the wijkagent via 0900-8844"."""
    report, access = _report_for(user=user, report_id=report_id, action=Action.READ)
    if not may_confirm_call(user=user, report=report, role=access.role):
        raise PermissionDenied
    if report.wijkagent_called_at is None:
        report.wijkagent_called_at = clock.now()
        report.wijkagent_called_by = user
        report.save(update_fields=["wijkagent_called_at", "wijkagent_called_by"])
        _publish(report.alert, "alert.followed_up")
    return report


# --- the 48-hour follow-up ----------------------------------------------------------------


def _follow_up_recipients(report: PoliceReport) -> list[User]:
    """The reporter (while still in the group) and the group's admins."""
    admins = Membership.objects.filter(
        group=report.group,
        status=MembershipStatus.ACTIVE,
        role=MembershipRole.ADMIN,
        user__is_active=True,
    ).values_list("user_id", flat=True)
    ids = set(admins)
    if can_read(role_in(user=report.reporter, group=report.group)[0]):
        ids.add(report.reporter_id)
    return list(
        User.objects.filter(pk__in=ids)
        .select_related("notify_preferences")
        .prefetch_related("push_subscriptions")
        .order_by("pk")
    )


@transaction.atomic
def send_follow_up(*, report_id: int) -> int:
    """Queue the reminder when it is due and no feedback came; the number of notices.
    The sent mark is set in the same transaction as the notices, on the locked row, so a
    second run (a late worker, the overdue sweep, a retried task) sends nothing."""
    report = (
        PoliceReport.objects.select_for_update(of=("self",))
        .select_related("group", "reporter")
        .filter(pk=report_id)
        .first()
    )
    now = clock.now()
    if (
        report is None
        or report.feedback_at is not None
        or report.follow_up_sent_at is not None
        or report.follow_up_due_at > now
    ):
        return 0
    report.follow_up_sent_at = now
    report.save(update_fields=["follow_up_sent_at"])
    return notify_police_follow_up(report=report, users=_follow_up_recipients(report))


def send_overdue_follow_ups() -> int:
    """Every reminder that is due and not sent (a worker that was down, a task that was
    lost): each in its own transaction."""
    due = PoliceReport.objects.filter(
        follow_up_sent_at__isnull=True,
        feedback_at__isnull=True,
        follow_up_due_at__lte=clock.now(),
    ).values_list("pk", flat=True)
    return sum(send_follow_up(report_id=pk) for pk in list(due))
