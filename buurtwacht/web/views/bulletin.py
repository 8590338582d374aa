"""The bulletin (R-RUL-7): admins write public notices; anyone subscribes to a group's
news by e-mail without an account, confirms by a signed link and unsubscribes in one
click (RFC 8058: the mail client POSTs to the same link, without a CSRF token)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from buurtwacht.bulletin import actions, selectors
from buurtwacht.bulletin.forms import NoticeForm, SubscribeForm
from buurtwacht.core import ratelimit
from buurtwacht.core.errors import ActionError
from buurtwacht.groups.access import access_group
from buurtwacht.groups.policy import Action
from buurtwacht.moderation.actions import LanguageWarning

from .accounts import _user


@login_required
def notices(request: HttpRequest, group_id: int) -> HttpResponse:
    admin = _user(request)
    group = access_group(user=admin, group_id=group_id, action=Action.PUBLISH_NOTICE).group
    form = NoticeForm(request.POST or None)
    language_confirm = False
    if request.method == "POST" and form.is_valid():
        try:
            actions.publish_notice(
                admin=admin,
                group_id=group.pk,
                draft=actions.NoticeDraft(
                    kind=form.cleaned_data["kind"],
                    title=form.cleaned_data["title"],
                    body=form.cleaned_data["body"],
                ),
                confirm_language=request.POST.get("confirm_language") == "1",
            )
        except ActionError as error:
            form.add_error(None, error.message)
            language_confirm = isinstance(error, LanguageWarning)
        else:
            messages.success(
                request, _("The notice has been published and sent to the subscribers.")
            )
            return redirect("group_notices", group_id=group.pk)
    return render(
        request,
        "bulletin/notices.html",
        {
            "group": group,
            "form": form,
            "language_confirm": language_confirm,
            "notices": selectors.notices_for_admins(group_id=group.pk),
            "subscriber_count": selectors.subscriber_count(group_id=group.pk),
        },
    )


@login_required
@require_POST
def withdraw(request: HttpRequest, group_id: int, notice_id: int) -> HttpResponse:
    actions.withdraw_notice(admin=_user(request), group_id=group_id, notice_id=notice_id)
    messages.success(request, _("The notice has been withdrawn from the public page."))
    return redirect("group_notices", group_id=group_id)


@require_POST
def subscribe(request: HttpRequest, group_id: int) -> HttpResponse:
    form = SubscribeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter a valid e-mail address."))
    else:
        try:
            actions.subscribe(
                group_id=group_id,
                email=form.cleaned_data["email"],
                ip_address=ratelimit.client_address(request),
            )
        except ActionError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("Almost done: we sent you an e-mail. Confirm with the link in it."),
            )
    return redirect(f"{_public(group_id)}#nieuwsbrief")


def _public(group_id: int) -> str:
    return reverse("register_group", args=[group_id])


def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button (link checkers in mail servers open links too); POST confirms."""
    if request.method == "POST":
        try:
            subscriber = actions.confirm_subscription(token=token)
        except ActionError as error:
            return render(request, "bulletin/confirm.html", {"error": error.message}, status=400)
        return render(request, "bulletin/confirm.html", {"done": True, "group": subscriber.group})
    return render(request, "bulletin/confirm.html", {"token": token})


@csrf_exempt  # RFC 8058: the one-click POST comes from the mail client, without a token
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    if request.method == "POST":
        result = actions.unsubscribe(token=token)
        return render(
            request,
            "bulletin/unsubscribe.html",
            {"done": True, "already": result.already, "group": result.group},
        )
    subscriber = selectors.subscriber_by_token(token=token)
    if subscriber is None:
        raise Http404
    return render(
        request,
        "bulletin/unsubscribe.html",
        {
            "group": subscriber.group,
            "already": subscriber.unsubscribed_at is not None,
            "token": token,
        },
    )
