"""Police reports over HTTP (R-FUP-1): the same actions, and so the same gate, as the web."""

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import AwareDatetime, Field

from buurtwacht.alerts.schemas import CLIENT_ID
from buurtwacht.alerts.selectors import display_name
from buurtwacht.groups.access import access_group
from buurtwacht.groups.policy import Action
from buurtwacht.police import actions
from buurtwacht.police.models import PoliceReport, ReportChannel
from buurtwacht.police.selectors import reports_of

from .alerts import ERRORS, POST_ERRORS, caller, made

router = Router(tags=["police"])


class ReportIn(Schema):
    client_id: str = Field(..., description=CLIENT_ID)
    channel: str = Field(..., json_schema_extra={"enum": list(ReportChannel.values)})
    reported_at: AwareDatetime | None = Field(None, description="With time zone; default: now.")
    number: str = Field("", description="The police's report number, if given.")
    group_mentioned: bool = Field(False, description="The group was mentioned (R-FUP-1).")
    alert_id: int | None = Field(None, description="The alert it is about; none: on its own.")


class FeedbackIn(Schema):
    text: str
    confirm_language: bool = False  # post anyway after a `language_warning` answer (R-RUL-3)


class ReportOut(Schema):
    id: int
    alert: int | None
    by: str
    channel: str
    reported_at: str
    number: str
    group_mentioned: bool
    feedback: str = Field(..., description="Empty until the wijkagent records it.")
    feedback_at: str | None
    follow_up_due_at: str
    follow_up_sent: bool
    wijkagent_called_at: str | None


class ReportPosted(Schema):
    report: int
    created: bool


class ReportsOut(Schema):
    reports: list[ReportOut]


def _iso(moment: Any) -> str | None:
    return None if moment is None else moment.isoformat()


def _out(report: PoliceReport) -> dict[str, Any]:
    return {
        "id": report.pk,
        "alert": report.alert_id,
        "by": display_name(user=report.reporter, group=report.group),
        "channel": report.channel,
        "reported_at": report.reported_at.isoformat(),
        "number": report.number,
        "group_mentioned": report.group_mentioned,
        "feedback": report.feedback,
        "feedback_at": _iso(report.feedback_at),
        "follow_up_due_at": report.follow_up_due_at.isoformat(),
        "follow_up_sent": report.follow_up_sent_at is not None,
        "wijkagent_called_at": _iso(report.wijkagent_called_at),
    }


@router.get(
    "/groups/{group_id}/police-reports",
    response={200: ReportsOut, **ERRORS},
    operation_id="police_reports",
)
def list_reports(request: HttpRequest, group_id: int) -> dict[str, Any]:
    """The group's reports to the police, latest first (members and the wijkagent)."""
    access = access_group(user=caller(request), group_id=group_id, action=Action.READ)
    return {"reports": [_out(r) for r in reports_of(group=access.group)]}


@router.post(
    "/groups/{group_id}/police-reports",
    response={200: ReportPosted, 201: ReportPosted, **POST_ERRORS},
    operation_id="record_police_report",
)
def record_report(request: HttpRequest, group_id: int, body: ReportIn) -> Status[dict[str, Any]]:
    """ "Ik heb dit bij de politie gemeld"; 48 hours without feedback bring a reminder."""
    report, created = actions.record_report(
        user=caller(request),
        group_id=group_id,
        draft=actions.ReportDraft(
            client_id=body.client_id,
            channel=body.channel,
            reported_at=body.reported_at,
            number=body.number,
            group_mentioned=body.group_mentioned,
            alert_id=body.alert_id,
        ),
    )
    return Status(made(created), {"report": report.pk, "created": created})


@router.post(
    "/police-reports/{report_id}/feedback",
    response={200: ReportOut, **POST_ERRORS},
    operation_id="record_police_feedback",
)
def record_feedback(request: HttpRequest, report_id: int, body: FeedbackIn) -> dict[str, Any]:
    """The police's feedback: only by a verified wijkagent of the group."""
    report = actions.record_feedback(
        user=caller(request),
        report_id=report_id,
        text=body.text,
        confirm_language=body.confirm_language,
    )
    return _out(report)


@router.post(
    "/police-reports/{report_id}/wijkagent-called",
    response={200: ReportOut, **POST_ERRORS},
    operation_id="record_wijkagent_called",
)
def wijkagent_called(request: HttpRequest, report_id: int) -> dict[str, Any]:
    """The reminder's one tap: the reporter or an admin called the wijkagent."""
    report = actions.record_wijkagent_called(user=caller(request), report_id=report_id)
    return _out(report)
