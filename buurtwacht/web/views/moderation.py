"""Moderation pages and buttons (R-RUL-3, R-GRP-6): admins hide a message with a reason the
author sees, move an off-topic alert to the chat, and work through the review queue;
members report a message.  Every call goes through the access gate inside the action."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from buurtwacht.alerts.models import Alert, AlertUpdate
from buurtwacht.chat.models import ChatMessage
from buurtwacht.core.errors import ActionError
from buurtwacht.groups.access import access_group
from buurtwacht.groups.policy import Action
from buurtwacht.moderation import actions
from buurtwacht.moderation import selectors as moderation_selectors

from .accounts import _user


def _answer(
    request: HttpRequest, group_id: int, *, error: str = "", info: str = ""
) -> HttpResponse:
    if request.headers.get("X-Requested-With") == "fetch":
        return JsonResponse({"error": error, "info": info}, status=400 if error else 200)
    if error:
        messages.error(request, error)
    elif info:
        messages.info(request, info)
    back = request.POST.get("next", "")
    if back == "queue":
        return redirect("group_moderation", group_id=group_id)
    return redirect("group", group_id=group_id)


def _chat_group(message_id: int) -> int:
    return get_object_or_404(ChatMessage.objects.only("group_id"), pk=message_id).group_id


def _alert_group(alert_id: int) -> int:
    return get_object_or_404(Alert.objects.only("group_id"), pk=alert_id).group_id


def _moderate(
    request: HttpRequest, group_id: int, act: Callable[..., object], done: str, **target: int
) -> HttpResponse:
    """Run a moderation action with the admin and the form's reason; answer either way."""
    try:
        act(admin=_user(request), reason=request.POST.get("reason", ""), **target)
    except ActionError as error:
        return _answer(request, group_id, error=error.message)
    return _answer(request, group_id, info=done)


@login_required
@require_POST
def hide_chat(request: HttpRequest, message_id: int) -> HttpResponse:
    return _moderate(
        request,
        _chat_group(message_id),
        actions.hide_chat_message,
        _("The message has been hidden."),
        message_id=message_id,
    )


@login_required
@require_POST
def hide_alert(request: HttpRequest, alert_id: int) -> HttpResponse:
    return _moderate(
        request,
        _alert_group(alert_id),
        actions.hide_alert,
        _("The alert has been hidden."),
        alert_id=alert_id,
    )


@login_required
@require_POST
def hide_update(request: HttpRequest, update_id: int) -> HttpResponse:
    update = get_object_or_404(AlertUpdate.objects.select_related("alert"), pk=update_id)
    return _moderate(
        request,
        update.alert.group_id,
        actions.hide_update,
        _("The update has been hidden."),
        update_id=update_id,
    )


@login_required
@require_POST
def move_to_chat(request: HttpRequest, alert_id: int) -> HttpResponse:
    return _moderate(
        request,
        _alert_group(alert_id),
        actions.move_alert_to_chat,
        _("The alert has been moved to the chat."),
        alert_id=alert_id,
    )


@login_required
@require_POST
def report_chat(request: HttpRequest, message_id: int) -> HttpResponse:
    group_id = _chat_group(message_id)
    actions.report(
        user=_user(request),
        target=actions.ReportTarget(chat_message_id=message_id),
        note=request.POST.get("note", ""),
    )
    return _answer(request, group_id, info=_("Thank you: the admins will look at it."))


@login_required
@require_POST
def report_alert(request: HttpRequest, alert_id: int) -> HttpResponse:
    group_id = _alert_group(alert_id)
    actions.report(
        user=_user(request),
        target=actions.ReportTarget(alert_id=alert_id),
        note=request.POST.get("note", ""),
    )
    return _answer(request, group_id, info=_("Thank you: the admins will look at it."))


@login_required
def queue(request: HttpRequest, group_id: int) -> HttpResponse:
    """The review queue: blocked attempts, posts made anyway, reports (admins only)."""
    group = access_group(user=_user(request), group_id=group_id, action=Action.MODERATE).group
    return render(
        request,
        "moderation/queue.html",
        {"group": group, "records": moderation_selectors.open_records(group=group)},
    )


@login_required
@require_POST
def let_stand(request: HttpRequest, group_id: int, record_id: int) -> HttpResponse:
    actions.let_stand(admin=_user(request), record_id=record_id)  # it passes the gate
    return redirect("group_moderation", group_id=group_id)
