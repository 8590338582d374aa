"""Account pages: register, profile, e-mail/password change, export, deletion.

Login and password reset are Django's own views with our templates; the ones that change
a password call `accounts.actions.set_password` (only actions write), and so close the
account's open sockets.  Logging out closes that session's sockets.
"""

import json

from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from buurtwacht.accounts import actions
from buurtwacht.accounts.forms import ChangeEmailForm, DeleteAccountForm, RegistrationForm
from buurtwacht.accounts.models import User
from buurtwacht.accounts.selectors import personal_data


def _user(request: HttpRequest) -> User:
    """The logged-in account (the views below are all behind login_required)."""
    if not isinstance(request.user, User):
        raise PermissionDenied
    return request.user


def safe_next(request: HttpRequest) -> str:
    """The `next` of the request when it points into this site, else ''."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def register(request: HttpRequest) -> HttpResponse:
    """Creating an account; with `next` (e.g. a group's join form) it goes there after."""
    target = safe_next(request)
    if request.user.is_authenticated:
        return redirect(target or "profile")
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = actions.register_user(
            registration=actions.Registration(
                email=form.cleaned_data["email"],
                name=form.cleaned_data["name"],
                password=form.cleaned_data["password1"],
                date_of_birth=form.cleaned_data["date_of_birth"],
                address=form.resolved_address(),
            )
        )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(
            request, _("Welcome, %(name)s! Your account has been created.") % {"name": user.name}
        )
        return redirect(target or "profile")
    return render(request, "accounts/register.html", {"form": form, "next": target})


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/profile.html", {"account": _user(request)})


@login_required
def change_email(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = ChangeEmailForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        actions.change_email(user=user, email=form.cleaned_data["email"])
        messages.success(request, _("Your e-mail address has been changed."))
        return redirect("profile")
    return render(
        request, "accounts/form_page.html", {"form": form, "title": _("Change e-mail address")}
    )


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/form_page.html"
    success_url = reverse_lazy("profile")
    extra_context = {"title": _("Change password")}

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        actions.set_password(
            user=form.user,
            password=form.cleaned_data["new_password1"],
            keep_session_key=self.request.session.session_key,
        )
        update_session_auth_hash(self.request, form.user)
        messages.success(self.request, _("Your password has been changed."))
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    token_generator = default_token_generator

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        actions.set_password(user=form.user, password=form.cleaned_data["new_password1"])
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        return HttpResponseRedirect(self.get_success_url())


@login_required
def export_data(request: HttpRequest) -> HttpResponse:
    payload = json.dumps(personal_data(user=_user(request)), indent=2, ensure_ascii=False)
    response = HttpResponse(payload, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="buurtwacht-mijn-gegevens.json"'
    return response


@login_required
def delete_account(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = DeleteAccountForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        actions.delete_account(user=user)
        logout(request)
        messages.success(request, _("Your account has been deleted."))
        return redirect("home")
    return render(request, "accounts/delete.html", {"form": form})


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    user, session_key = request.user, request.session.session_key
    logout(request)
    if isinstance(user, User):
        actions.logged_out(user=user, session_key=session_key)
    return redirect("home")
