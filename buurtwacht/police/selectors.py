"""Reads for police reports."""

from django.db.models import QuerySet

from buurtwacht.groups.models import Group

from .models import PoliceReport


def reports_of(*, group: Group) -> QuerySet[PoliceReport]:
    """The group's police reports, latest first, with what the list shows."""
    return PoliceReport.objects.filter(group=group).select_related(
        "reporter", "feedback_by", "alert", "wijkagent_called_by"
    )
