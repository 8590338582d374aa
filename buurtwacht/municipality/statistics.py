"""Statistics without content for the municipality and the police (reads only).

Only counts leave this module: no text, names, streets, places or photos of an alert.
So that no single incident can be recognised, small counts are suppressed:

- every count from 1 to 4 is shown as "< 5" (0 and 5 or more are shown as they are);
- a breakdown (alerts per week, per kind, per hour, per outcome) adds up to a total that
  is shown, so one suppressed cell would follow from the others by subtraction, and two
  cells of 1 from a hidden sum of 2.  Cells are therefore hidden ("•") as well, smallest
  first, until the hidden cells are at least two and add up to at least 10; when that is
  impossible, every non-zero cell of the breakdown is hidden;
- a share (percentage, median) is shown only when neither its part nor the rest is a
  small count; otherwise it is hidden too.

Suppression holds across time too: the figures are of closed periods only, the last
`WEEKS` full weeks (Monday to Sunday, local time) before this one, as they stood at the end
of last Sunday: alerts posted (and outcomes given, 112 calls, police reports and their
feedback, members joining and leaving) before then, in the groups that existed then.
Every download within a week gives the same figures, so one download minus another reveals
nothing; this week's alerts count from next Monday on, together with the rest of the week.
(What a group's retention deletes later does leave the figures of closed weeks.)
"""

import datetime as dt
import statistics as stats
from dataclasses import dataclass
from enum import StrEnum

from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from buurtwacht.alerts.models import Alert, AlertKind, CallChannel, Outcome, PoliceCall
from buurtwacht.core import clock
from buurtwacht.groups.models import Group, Membership, MembershipRole, MembershipStatus
from buurtwacht.groups.selectors import INACTIVE_DAYS, last_activity
from buurtwacht.police.models import FOLLOW_UP_AFTER
from buurtwacht.police.selectors import feedback_delays, report_count

WEEKS = 12
SMALL = range(1, 5)  # counts shown as "< 5"
HIDDEN_SUM = 10  # hidden cells of a breakdown add up to at least this


class Shown(StrEnum):
    EXACT = "exact"
    SMALL = "small"  # 1-4: "< 5"
    HIDDEN = "hidden"  # hidden so that a small count cannot be worked out: "•"


@dataclass(frozen=True)
class Figure:
    """One number as it may be shown."""

    value: int | float | None  # None unless shown exactly
    shown: Shown
    unit: str = ""  # "%", " h"

    @property
    def display(self) -> str:
        if self.shown == Shown.SMALL:
            return "< 5"
        if self.shown == Shown.HIDDEN or self.value is None:
            return "•"
        if isinstance(self.value, float):
            return f"{self.value:.1f}".replace(".", ",") + self.unit
        return f"{self.value}{self.unit}"

    def __str__(self) -> str:
        return self.display


NONE = Figure(value=None, shown=Shown.HIDDEN)


def count(value: int) -> Figure:
    return Figure(value=None, shown=Shown.SMALL) if value in SMALL else Figure(value, Shown.EXACT)


def share(part: int, whole: int) -> Figure:
    """part/whole as a whole percentage, unless the part or the rest is a small count."""
    if whole == 0 or part in SMALL or (whole - part) in SMALL:
        return NONE
    return Figure(value=round(100 * part / whole), shown=Shown.EXACT, unit="%")


def breakdown(values: list[int]) -> list[Figure]:
    """The cells of a breakdown whose total is shown, suppressed as the module says."""
    hidden = {i for i, value in enumerate(values) if value in SMALL}
    if hidden:
        others = sorted((value, i) for i, value in enumerate(values) if value and i not in hidden)
        while (len(hidden) < 2 or sum(values[i] for i in hidden) < HIDDEN_SUM) and others:
            hidden.add(others.pop(0)[1])
        if len(hidden) < 2 or sum(values[i] for i in hidden) < HIDDEN_SUM:
            return [NONE if value else count(0) for value in values]
    return [
        (Figure(None, Shown.SMALL) if values[i] in SMALL else NONE) if i in hidden else count(v)
        for i, v in enumerate(values)
    ]


@dataclass(frozen=True)
class Row:
    key: str  # stable, for the CSV (a week's date, a kind's code, an hour)
    label: str  # for people
    figure: Figure
    short: str = ""  # under a chart's column, where the label does not fit


@dataclass(frozen=True)
class Statistics:
    since: dt.date
    until: dt.date
    groups: Figure
    alerts: Figure
    per_week: list[Row]
    per_kind: list[Row]
    per_hour: list[Row]
    called_112: Figure
    share_112: Figure
    outcomes: list[Row]  # each outcome, false alarms included, and "still open"
    false_alarm_share: Figure  # of the closed alerts
    reports: Figure  # reports to the police
    with_feedback: Figure
    feedback_median_hours: Figure
    feedback_within_48h: Figure  # share of the reports with feedback
    members: Figure  # admins and members now
    joined: Figure
    left: Figure
    churn: Figure  # left / (members now + left)
    inactive_groups: Figure  # no alert or chat for 90 days

    def figures(self) -> list[tuple[str, str, str, Figure]]:
        """(section, key, label, figure) for every number: the CSV, and the tests."""
        rows: list[tuple[str, str, str, Figure]] = [
            ("total", "groups", _("Groups"), self.groups),
            ("total", "alerts", _("Alerts"), self.alerts),
        ]
        for section, found in (
            ("week", self.per_week),
            ("kind", self.per_kind),
            ("hour", self.per_hour),
            ("outcome", self.outcomes),
        ):
            rows += [(section, row.key, row.label, row.figure) for row in found]
        rows += [
            ("112", "called", _("Alerts with 112 called"), self.called_112),
            ("112", "share", _("Share with 112 called"), self.share_112),
            ("outcome", "false_alarm_share", _("Share of false alarms"), self.false_alarm_share),
            ("police", "reports", _("Reports to the police"), self.reports),
            ("police", "with_feedback", _("Reports with feedback"), self.with_feedback),
            (
                "police",
                "median_hours",
                _("Median time to feedback (hours)"),
                self.feedback_median_hours,
            ),
            ("police", "within_48h", _("Feedback within 48 hours"), self.feedback_within_48h),
            ("members", "members", _("Members now"), self.members),
            ("members", "joined", _("Joined"), self.joined),
            ("members", "left", _("Left or removed"), self.left),
            ("members", "churn", _("Churn"), self.churn),
            ("groups", "inactive", _("Groups without activity for 90 days"), self.inactive_groups),
        ]
        return rows


def period_end(*, today: dt.date) -> dt.date:
    """The Monday of this week: the figures stop before it."""
    return today - dt.timedelta(days=today.weekday())


def period_start(*, today: dt.date, weeks: int = WEEKS) -> dt.date:
    """The Monday `weeks` full weeks before this week's."""
    return period_end(today=today) - dt.timedelta(weeks=weeks)


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def statistics_for(*, group_ids: list[int], weeks: int = WEEKS) -> Statistics:
    today = timezone.localdate(clock.now())
    first_day = period_start(today=today, weeks=weeks)
    monday = period_end(today=today)
    since, end = _start_of(first_day), _start_of(monday)
    groups = list(Group.objects.filter(pk__in=group_ids, created_at__lt=end))
    group_ids = [group.pk for group in groups]
    called = PoliceCall.objects.filter(
        alert=OuterRef("pk"), channel=CallChannel.EMERGENCY, created_at__lt=end
    )
    alerts = [
        # as the alert stood at the end: open, unless it was closed before
        (seen_at, kind, outcome if closed_at is not None and closed_at < end else "", was_called)
        for seen_at, kind, outcome, closed_at, was_called in Alert.objects.filter(
            group_id__in=group_ids, seen_at__gte=since, created_at__lt=end
        )
        .annotate(called=Exists(called))
        .values_list("seen_at", "kind", "outcome", "closed_at", "called")
    ]
    total = len(alerts)

    week_starts = [first_day + dt.timedelta(weeks=n) for n in range(weeks)]
    per_week = dict.fromkeys(week_starts, 0)
    per_hour = dict.fromkeys(range(24), 0)
    per_kind = dict.fromkeys(AlertKind.values, 0)
    per_outcome = dict.fromkeys([*Outcome.values, ""], 0)
    called_112 = 0
    for seen_at, kind, outcome, was_called in alerts:
        local = timezone.localtime(seen_at)
        week = local.date() - dt.timedelta(days=local.weekday())
        # seen_at may lie a few minutes ahead (check_moment): past Sunday midnight, count
        # it in the last week rather than in one the figures do not show yet.
        per_week[min(week, week_starts[-1])] += 1
        per_hour[local.hour] += 1
        per_kind[kind] = per_kind.get(kind, 0) + 1
        per_outcome[outcome] = per_outcome.get(outcome, 0) + 1
        called_112 += bool(was_called)

    def rows(
        keys: list[str], labels: list[str], values: list[int], shorts: list[str] | None = None
    ) -> list[Row]:
        return [
            Row(key=key, label=label, figure=figure, short=short)
            for key, label, figure, short in zip(
                keys, labels, breakdown(values), shorts or [""] * len(keys), strict=True
            )
        ]

    outcome_labels = dict(Outcome.choices)
    closed = total - per_outcome[""]
    delays = feedback_delays(group_ids=group_ids, since=since, until=end)
    reports = report_count(group_ids=group_ids, since=since, until=end)
    within = sum(1 for delay in delays if delay <= FOLLOW_UP_AFTER)
    median = (
        Figure(round(stats.median(d.total_seconds() for d in delays) / 3600, 1), Shown.EXACT, " h")
        if len(delays) >= 5
        else NONE
    )
    people = Membership.objects.filter(
        group_id__in=group_ids,
        role__in=(MembershipRole.ADMIN, MembershipRole.MEMBER),
        created_at__lt=end,
    )
    ended = (MembershipStatus.LEFT, MembershipStatus.REMOVED)
    members = people.exclude(status__in=ended, ended_at__lt=end).count()  # at the end
    joined = people.filter(created_at__gte=since).count()
    left = people.filter(status__in=ended, ended_at__gte=since, ended_at__lt=end).count()
    quiet_since = end - dt.timedelta(days=INACTIVE_DAYS)
    inactive = sum(
        1 for last in last_activity(groups=groups, until=end).values() if last < quiet_since
    )
    return Statistics(
        since=first_day,
        until=monday - dt.timedelta(days=1),
        groups=count(len(groups)),
        alerts=count(total),
        per_week=rows(
            [day.isoformat() for day in week_starts],
            [_("week %(n)d") % {"n": day.isocalendar().week} for day in week_starts],
            list(per_week.values()),
            [str(day.isocalendar().week) for day in week_starts],
        ),
        per_kind=rows(
            list(AlertKind.values),
            [str(label) for label in AlertKind.labels],
            [per_kind[kind] for kind in AlertKind.values],
        ),
        per_hour=rows(
            [f"{hour:02d}" for hour in range(24)],
            [f"{hour:02d}:00" for hour in range(24)],
            list(per_hour.values()),
            [f"{hour:02d}" for hour in range(24)],
        ),
        called_112=count(called_112),
        share_112=share(called_112, total),
        outcomes=rows(
            [*Outcome.values, "open"],
            [*(str(outcome_labels[o]) for o in Outcome.values), _("Still open")],
            [*(per_outcome[o] for o in Outcome.values), per_outcome[""]],
        ),
        false_alarm_share=share(per_outcome[Outcome.FALSE_ALARM], closed),
        reports=count(reports),
        with_feedback=count(len(delays)),
        feedback_median_hours=median,
        feedback_within_48h=share(within, len(delays)),
        members=count(members),
        joined=count(joined),
        left=count(left),
        churn=share(left, members + left),
        inactive_groups=count(inactive),
    )
