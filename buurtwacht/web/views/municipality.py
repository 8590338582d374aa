"""The municipality's pages: the dashboard of each municipality a verified coordinator
works for (the groups, the sign requests, statistics without content and a CSV of the
same figures), the sign request page with its steps and PDF, and the message form to a
group's admins.  The police see the same statistics for the groups they read along with.
Everyone else gets 404 (municipality/access.py)."""

import csv
import io

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from buurtwacht.core.errors import ActionError
from buurtwacht.municipality import actions
from buurtwacht.municipality.access import (
    access_municipality,
    access_municipality_group,
    coordinator_codes,
    police_group_ids,
)
from buurtwacht.municipality.charts import bar_chart, column_chart, too_little
from buurtwacht.municipality.dashboard import (
    bounds_of,
    group_lines,
    groups_in,
    municipality_name,
)
from buurtwacht.municipality.forms import MessageForm
from buurtwacht.municipality.statistics import Row, Statistics, statistics_for
from buurtwacht.signage import actions as sign_actions
from buurtwacht.signage.forms import DecideForm, PlacedForm
from buurtwacht.signage.models import SignRequest
from buurtwacht.signage.pdf import sign_request_pdf
from buurtwacht.signage.selectors import requests_in

from .accounts import _user
from .register import map_context


def _charts(figures: Statistics) -> list[tuple[str, SafeString | None, list[Row]]]:
    """(title, SVG, the figures drawn) per chart; the page shows each as a table too.
    A chart with nearly nothing to draw (no exact figure above zero) is None: the page
    says so instead of drawing empty axes."""
    week, hour = _("Alerts per week"), _("Alerts by hour of day")
    kind, outcome = _("Alerts per kind"), _("Outcomes")
    charts = [
        (week, figures.per_week, lambda: column_chart(figures.per_week, title=week)),
        (
            hour,
            figures.per_hour,
            lambda: column_chart(figures.per_hour, title=hour, label_every=3),
        ),
        (kind, figures.per_kind, lambda: bar_chart(figures.per_kind, title=kind)),
        (outcome, figures.outcomes, lambda: bar_chart(figures.outcomes, title=outcome)),
    ]
    return [(title, None if too_little(rows) else draw(), rows) for title, rows, draw in charts]


def _csv(figures: Statistics, *, filename: str) -> HttpResponse:
    # As Dutch Excel opens it with a double click: semicolons (the comma is the decimal
    # separator there) and a byte order mark, so that accents come out right.
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";")
    writer.writerow(["section", "key", "label", "value"])
    writer.writerow(["period", "since", _("From"), figures.since.isoformat()])
    writer.writerow(["period", "until", _("Until"), figures.until.isoformat()])
    for section, key, label, figure in figures.figures():
        writer.writerow([section, key, label, figure.display])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def dashboard(request: HttpRequest, code: str | None = None) -> HttpResponse:
    user = _user(request)
    codes = coordinator_codes(user=user)
    code = access_municipality(user=user, code=code or codes[0])
    groups = groups_in(code=code)
    figures = statistics_for(group_ids=[group.pk for group in groups])
    sign_requests = list(requests_in(code=code))
    return render(
        request,
        "municipality/dashboard.html",
        {
            "code": code,
            "name": municipality_name(code),
            "codes": [(other, municipality_name(other)) for other in codes],
            "lines": group_lines(code=code),
            "open_requests": [r for r in sign_requests if r.is_open],
            "done_requests": [r for r in sign_requests if not r.is_open][:50],
            "stats": figures,
            "chart_list": _charts(figures),
            "message_form": MessageForm(auto_id=False),
            # The register's map of the municipality: the groups that are listed publicly.
            **map_context(bounds=bounds_of(groups), municipality=code),
        },
    )


@login_required
def statistics_csv(request: HttpRequest, code: str) -> HttpResponse:
    code = access_municipality(user=_user(request), code=code)
    figures = statistics_for(group_ids=[group.pk for group in groups_in(code=code)])
    return _csv(figures, filename=f"buurtwacht-{code}-{figures.until.isoformat()}.csv")


@login_required
@require_POST
def message(request: HttpRequest, group_id: int) -> HttpResponse:
    user = _user(request)
    group = access_municipality_group(user=user, group_id=group_id)
    form = MessageForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write a message of at most 1000 characters."))
    else:
        try:
            actions.message_group_admins(
                coordinator=user,
                group_id=group.pk,
                text=form.cleaned_data["text"],
                confirm_language=request.POST.get("confirm_language") == "1",
            )
        except ActionError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Your message has been sent to the group's admins."))
    return redirect("municipality_code", code=group.municipality_code)


def _sign_request_for(request: HttpRequest, request_id: int) -> SignRequest:
    """A request made to one of the caller's municipalities, else 404."""
    sign_request = SignRequest.objects.select_related("group").filter(pk=request_id).first()
    if sign_request is None:
        raise Http404
    access_municipality(user=_user(request), code=sign_request.municipality_code)
    return sign_request


@login_required
def sign_request_page(request: HttpRequest, request_id: int) -> HttpResponse:
    """One request: its facts, and the step it is at (approve/decline, ordered,
    delivered, placed)."""
    user = _user(request)
    sign_request = _sign_request_for(request, request_id)
    decide_form, placed_form = DecideForm(), PlacedForm()
    if request.method == "POST":
        step = request.POST.get("do", "")
        details: sign_actions.StepDetails | None = None
        if step in ("approve", "decline"):
            decide_form = DecideForm(request.POST)
            if decide_form.is_valid():
                details = sign_actions.StepDetails(reason=decide_form.cleaned_data["reason"])
        elif step == "placed":
            placed_form = PlacedForm(request.POST)
            if placed_form.is_valid():
                data = placed_form.cleaned_data
                details = sign_actions.StepDetails(
                    where=data["where"], lon=data["lon"], lat=data["lat"]
                )
        elif step in ("ordered", "delivered"):
            details = sign_actions.StepDetails()
        else:
            messages.error(request, _("Choose a step."))
        if details is not None:
            try:
                sign_actions.advance(
                    coordinator=user,
                    request_id=sign_request.pk,
                    step=sign_actions.Step(step),
                    details=details,
                )
            except ActionError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("Recorded; the group's admins have been told."))
                return redirect("municipality_sign", request_id=sign_request.pk)
    return render(
        request,
        "municipality/sign_request.html",
        {
            "sign_request": sign_request,
            "name": municipality_name(sign_request.municipality_code),
            "decide_form": decide_form,
            "placed_form": placed_form,
            "map_tiles": settings.MAP_TILES_URL,
            "map_attribution": settings.MAP_TILES_ATTRIBUTION,
        },
    )


@login_required
def sign_request_document(request: HttpRequest, request_id: int) -> HttpResponse:
    sign_request = _sign_request_for(request, request_id)
    response = HttpResponse(sign_request_pdf(sign_request), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="borden-aanvraag-{sign_request.pk}.pdf"'
    )
    return response


@login_required
def police_statistics(request: HttpRequest) -> HttpResponse:
    figures = statistics_for(group_ids=police_group_ids(user=_user(request)))
    return render(
        request,
        "police/statistics.html",
        {"stats": figures, "chart_list": _charts(figures)},
    )


@login_required
def police_statistics_csv(request: HttpRequest) -> HttpResponse:
    figures = statistics_for(group_ids=police_group_ids(user=_user(request)))
    return _csv(figures, filename=f"buurtwacht-politie-{figures.until.isoformat()}.csv")
