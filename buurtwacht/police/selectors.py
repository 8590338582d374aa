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


def feedback_delays(*, group_ids: list[int]) -> list[dt.timedelta]:
    """How long the police took to give feedback, per report that got it (R-FUP-1), for
    the statistics: durations only, no content."""
    found = (
        PoliceReport.objects.filter(group_id__in=group_ids, time_to_feedback__isnull=False)
        .order_by("time_to_feedback")
        .values_list("time_to_feedback", flat=True)
    )
    return [delay for delay in found if delay is not None]
