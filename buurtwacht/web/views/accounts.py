"""Account pages: register, profile, e-mail/password change, export, deletion.

Login and password reset are Django's own views with our templates; the ones that change
a password call `accounts.actions.set_password` (only actions write), and so close the
account's open sockets.  Logging out closes that session's sockets.
"""

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import i18n
from django.views.decorators.http import require_POST

from buurtwacht.accounts import actions, emails
from buurtwacht.accounts.forms import (
    ChangeAddressForm,
    ChangeEmailForm,
    DeleteAccountForm,
    LoginForm,
    RegistrationForm,
)
from buurtwacht.accounts.models import User
from buurtwacht.accounts.selectors import personal_data
from buurtwacht.core import ratelimit
from buurtwacht.core.errors import ActionError
from buurtwacht.groups import actions as group_actions


def _user(request: HttpRequest) -> User:
    """The logged-in account (the views below are all behind login_required)."""
    if not isinstance(request.user, User):
        raise PermissionDenied
    return request.user


def _safe_next(request: HttpRequest) -> str:
    """Where to go after registering or logging in: a path of this site, else ''."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def register(request: HttpRequest) -> HttpResponse:
    next_url = _safe_next(request)
    if request.user.is_authenticated:
        return redirect(next_url or "profile")
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and not ratelimit.allow(
        scope="register",
        key=ratelimit.client_address(request),
        limit=settings.REGISTRATIONS_PER_HOUR,
        window_seconds=3600,
    ):
        form.add_error(None, _("Too many registrations from this address. Try again in an hour."))
        context = {"form": form, "next": next_url}
        return render(request, "accounts/register.html", context, status=429)
    if request.method == "POST" and form.is_valid():
        try:
            outcome = actions.register_resident(
                registration=actions.Registration(
                    email=form.cleaned_data["email"],
                    name=form.cleaned_data["name"],
                    password=form.cleaned_data["password1"],
                    date_of_birth=form.cleaned_data["date_of_birth"],
                    address=form.resolved_address(),
                    language=translation.get_language() or "",
                )
            )
        except ActionError as refused:  # the form asked the same (a day may have passed)
            form.add_error("date_of_birth", refused.message)
        else:
            emails.send_registration_mail(request=request, outcome=outcome, next_url=next_url)
            # The same answer whether or not the address had an account (no enumeration).
            return render(request, "accounts/check_email.html")
    return render(request, "accounts/register.html", {"form": form, "next": next_url})


def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch; a logged-in person's choice is also remembered, so that
    what is sent to them (e-mail, push) is written in it."""
    response = i18n.set_language(request)
    if request.method == "POST" and isinstance(request.user, User):
        actions.remember_language(user=request.user, language=request.POST.get("language", ""))
    return response


def confirm_email(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """The link in the registration e-mail: a page with a button (mail scanners follow
    links, they don't press buttons), whose POST activates the account and logs in."""
    user = emails.user_for_token(uidb64=uidb64, token=token)
    if user is None:
        return render(request, "accounts/confirm_email.html", {"valid": False}, status=400)
    next_url = _safe_next(request)
    if request.method == "POST":
        actions.confirm_email(user=user)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(
            request, _("Welcome, %(name)s! Your account has been created.") % {"name": user.name}
        )
        return HttpResponseRedirect(next_url or reverse("profile"))
    return render(request, "accounts/confirm_email.html", {"valid": True, "next": next_url})


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/profile.html", {"account": _user(request)})


@login_required
def change_address(request: HttpRequest) -> HttpResponse:
    """Moving house (R-RUL-2): the memberships of groups whose streets the person left are
    named to them, and show up for those groups' admins (groups.actions.moved_house)."""
    user = _user(request)
    form = ChangeAddressForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        left = group_actions.move_house(user=user, address=form.resolved_address())
        messages.success(request, _("Your address has been changed."))
        for group in left:
            messages.warning(
                request,
                _(
                    "Your new address is not on the streets of %(group)s. Its admins see "
                    "this; leave the group, or wait until they decide."
                )
                % {"group": group.name},
            )
        return redirect("profile")
    return render(request, "accounts/form_page.html", {"form": form, "title": _("Change address")})


@login_required
def change_email(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = ChangeEmailForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            actions.change_email(user=user, email=form.cleaned_data["email"])
        except ActionError as refused:  # another account has this address
            form.add_error("email", refused.message)
        else:
            messages.success(request, _("Your e-mail address has been changed."))
            return redirect("profile")
    return render(
        request, "accounts/form_page.html", {"form": form, "title": _("Change e-mail address")}
    )


class LoginView(auth_views.LoginView):
    """Django's login; 429 while the account has to wait (accounts.forms.LoginForm)."""

    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_invalid(self, form):  # type: ignore[no-untyped-def]
        response = super().form_invalid(form)
        if form.throttled:
            response.status_code = 429
        return response


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
        try:
            actions.delete_account(user=user)
        except ActionError as error:
            form.add_error(None, error.message)
            return render(request, "accounts/delete.html", {"form": form})
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
