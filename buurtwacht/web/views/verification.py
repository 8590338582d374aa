"""Verified roles on the web: asking for verification (account page), confirming an
official municipality address (the e-mail's link), and the staff pages where platform
staff decide and revoke.  The staff pages answer 404 to anyone who is not staff."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from buurtwacht.core.errors import ActionError
from buurtwacht.municipality import actions, selectors
from buurtwacht.municipality.forms import DecisionForm, RevokeForm, VerificationRequestForm

from .accounts import _user


def staff_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Logged in and platform staff; anyone else cannot tell the page exists (404)."""

    @login_required
    @wraps(view)
    def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = _user(request)
        if not (user.is_active and user.is_staff):
            raise Http404
        return view(request, *args, **kwargs)

    return checked


@login_required
def request_page(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = VerificationRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            made = actions.request_verification(
                user=user,
                draft=actions.VerificationDraft(
                    role=data["role"],
                    organisation=data["organisation"],
                    official_email=data["official_email"],
                    reference=data["reference"],
                    municipality_codes=form.codes(),
                ),
            )
        except ActionError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("We sent a confirmation link to %(email)s.") % {"email": made.official_email}
                if actions.official_domain(made)
                else _("Your request has been sent. Platform staff will contact you."),
            )
            return redirect("verification")
    return render(
        request,
        "verification/request.html",
        {
            "form": form,
            "requests": selectors.requests_of(user=user),
            "roles": selectors.verifications_of(user=user).filter(revoked_at__isnull=True),
        },
    )


@login_required
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The e-mail's link: one button, so a mail scanner opening the link changes nothing."""
    if request.method == "POST":
        try:
            actions.confirm_email(user=_user(request), token=token)
        except ActionError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Your address is confirmed: you are verified."))
        return redirect("verification")
    return render(request, "verification/confirm.html")


@staff_only
def staff_page(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "verification/staff.html",
        {
            "pending": selectors.pending_requests(),
            "active": selectors.active_verifications(),
            "decisions": selectors.decisions()[:100],
            "decision_form": DecisionForm(auto_id=False),
            "revoke_form": RevokeForm(auto_id=False),
        },
    )


@staff_only
@require_POST
def decide(request: HttpRequest, request_id: int) -> HttpResponse:
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose approve or deny."))
        return redirect("staff_verification")
    data = form.cleaned_data
    try:
        actions.decide(
            staff=_user(request),
            request_id=request_id,
            ruling=actions.Ruling(
                approve=data["decision"] == "approve",
                evidence=data["evidence"],
                reason=data["reason"],
            ),
        )
    except ActionError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The decision has been recorded."))
    return redirect("staff_verification")


@staff_only
@require_POST
def revoke(request: HttpRequest, verification_id: int) -> HttpResponse:
    form = RevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the verification ends."))
        return redirect("staff_verification")
    try:
        actions.revoke(
            staff=_user(request),
            verification_id=verification_id,
            reason=form.cleaned_data["reason"],
        )
    except ActionError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The verification has been revoked; the role ended at once."))
    return redirect("staff_verification")
