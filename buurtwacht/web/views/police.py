"""Police reports on the web (R-FUP-1): the report form on an alert card (posted in the
background by live.js; the card shows the report from the event), the group's police page
(reports on their own, and the wijkagent's feedback), and the reminder's one tap."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from buurtwacht.alerts.models import Alert
from buurtwacht.core.errors import ActionError
from buurtwacht.groups.access import access_group
from buurtwacht.groups.policy import Action, allowed
from buurtwacht.police import actions
from buurtwacht.police.forms import FeedbackForm, ReportForm
from buurtwacht.police.models import PoliceReport
from buurtwacht.police.selectors import reports_of

from .accounts import _user
from .alerts import _done


def _draft(form: ReportForm, *, alert_id: int | None) -> actions.ReportDraft:
    data = form.cleaned_data
    return actions.ReportDraft(
        client_id=data["client_id"],
        channel=data["channel"],
        reported_at=data["reported_at"],
        number=data["number"],
        group_mentioned=data["group_mentioned"],
        alert_id=alert_id,
    )


@login_required
@require_POST
def report_on_alert(request: HttpRequest, alert_id: int) -> HttpResponse:
    user = _user(request)
    alert = get_object_or_404(Alert, pk=alert_id)
    access = access_group(user=user, group_id=alert.group_id, action=Action.RECORD_POLICE_REPORT)
    form = ReportForm(request.POST)
    if not form.is_valid():
        return _done(request, alert.group_id, error=_("Say how and when you reported it."))
    try:
        actions.record_report(
            user=user,
            group_id=alert.group_id,
            draft=_draft(form, alert_id=alert.pk),
            access=access,
        )
    except ActionError as error:
        return _done(request, alert.group_id, error=error.message)
    return _done(request, alert.group_id, info=_("Your report to the police has been recorded."))


@login_required
def group_reports(request: HttpRequest, group_id: int) -> HttpResponse:
    """The group's police reports: members add one, the wijkagent adds feedback."""
    user = _user(request)
    posting = request.method == "POST"
    access = access_group(
        user=user,
        group_id=group_id,
        action=Action.RECORD_POLICE_REPORT if posting else Action.READ,
    )
    may_report = allowed(access.role, Action.RECORD_POLICE_REPORT)
    form = ReportForm(country=access.group.country)
    if posting:
        form = ReportForm(request.POST, country=access.group.country)
        if form.is_valid():
            try:
                actions.record_report(
                    user=user, group_id=group_id, draft=_draft(form, alert_id=None), access=access
                )
            except ActionError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Your report to the police has been recorded."))
                return redirect("police_reports", group_id=group_id)
    reports = list(reports_of(group=access.group))
    return render(
        request,
        "police/reports.html",
        {
            "group": access.group,
            "reports": reports,
            "form": form if may_report else None,
            "may_feedback": allowed(access.role, Action.RECORD_POLICE_FEEDBACK),
            "feedback_form": FeedbackForm(auto_id=False),
            "role": access.role,
        },
    )


@login_required
@require_POST
def feedback(request: HttpRequest, report_id: int) -> HttpResponse:
    user = _user(request)
    report = get_object_or_404(PoliceReport, pk=report_id)
    access = access_group(user=user, group_id=report.group_id, action=Action.RECORD_POLICE_FEEDBACK)
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write the police's feedback (at most 2000 characters)."))
    else:
        try:
            actions.record_feedback(
                user=user,
                report_id=report.pk,
                text=form.cleaned_data["text"],
                access=access,
                confirm_language=request.POST.get("confirm_language") == "1",
            )
        except ActionError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The feedback has been recorded; the members see it."))
    return redirect("police_reports", group_id=report.group_id)


@login_required
def wijkagent_called(request: HttpRequest, report_id: int) -> HttpResponse:
    """Where the 48-hour reminder leads: one button, "I called the wijkagent"."""
    user = _user(request)
    report = get_object_or_404(PoliceReport.objects.select_related("group"), pk=report_id)
    access = access_group(user=user, group_id=report.group_id, action=Action.READ)
    if not actions.may_confirm_call(user=user, report=report, role=access.role):
        raise Http404
    if request.method == "POST":
        actions.record_wijkagent_called(user=user, report_id=report.pk)
        messages.success(
            request,
            _("Recorded: you called %(officer)s.") % {"officer": access.group.country.the_officer},
        )
        return redirect("police_reports", group_id=report.group_id)
    return render(request, "police/called.html", {"group": access.group, "report": report})
