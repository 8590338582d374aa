"""Reads for police reports."""

import datetime as dt

from django.db.models import QuerySet

from buurtwacht.groups.models import Group

from .models import PoliceReport


def reports_of(*, group: Group) -> QuerySet[PoliceReport]:
    """The group's police reports, latest first, with what the list shows."""
    return PoliceReport.objects.filter(group=group).select_related(
        "reporter", "feedback_by", "alert", "wijkagent_called_by"
    )


def feedback_delays(
    *, group_ids: list[int], since: dt.datetime | None = None, until: dt.datetime | None = None
) -> list[dt.timedelta]:
    """How long the police took to give feedback, per report that got it (R-FUP-1), for
    the statistics: durations only, no content.  With `since`: reports made from then on;
    with `until`: as they stood then (recorded, and given feedback, before it)."""
    found = PoliceReport.objects.filter(group_id__in=group_ids, time_to_feedback__isnull=False)
    if since is not None:
        found = found.filter(reported_at__gte=since)
    if until is not None:
        found = found.filter(created_at__lt=until, feedback_at__lt=until)
    return [
        delay
        for delay in found.order_by("time_to_feedback").values_list("time_to_feedback", flat=True)
        if delay is not None
    ]


def report_count(
    *, group_ids: list[int], since: dt.datetime, until: dt.datetime | None = None
) -> int:
    """How many reports to the police the groups recorded from `since` on (statistics);
    with `until`: those recorded before it."""
    found = PoliceReport.objects.filter(group_id__in=group_ids, reported_at__gte=since)
    if until is not None:
        found = found.filter(created_at__lt=until)
    return found.count()
