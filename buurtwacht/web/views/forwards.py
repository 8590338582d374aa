"""Warning the neighbouring groups (R-ADJ-1): an admin forwards an open alert; the admins
of each adjacent group repost it in their own group with one tap, or decline."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from buurtwacht.alerts import actions as alert_actions
from buurtwacht.alerts.models import Alert, Forward
from buurtwacht.core.errors import ActionError
from buurtwacht.groups.access import access_group
from buurtwacht.groups.policy import Action

from .accounts import _user
from .alerts import _done


@login_required
@require_POST
def forward(request: HttpRequest, alert_id: int) -> HttpResponse:
    user = _user(request)
    alert = get_object_or_404(Alert, pk=alert_id)
    access = access_group(user=user, group_id=alert.group_id, action=Action.FORWARD)
    try:
        made = alert_actions.forward_alert(
            admin=user,
            alert_id=alert.pk,
            keep_plate=request.POST.get("keep_plate") == "on",
            access=access,
        )
    except ActionError as error:
        return _done(request, alert.group_id, error=error.message)
    if not made:
        return _done(
            request, alert.group_id, info=_("The neighbouring groups were warned already.")
        )
    return _done(
        request,
        alert.group_id,
        info=_("The admins of %(count)s neighbouring groups have been warned.")
        % {"count": len(made)},
    )


@login_required
@require_POST
def decide(request: HttpRequest, forward_id: int) -> HttpResponse:
    user = _user(request)
    found = get_object_or_404(Forward, pk=forward_id)
    try:  # the actions pass the gate (the group row locked while they decide)
        if request.POST.get("do") == "repost":
            alert_actions.repost_forward(admin=user, forward_id=found.pk)
            info = _("The warning has been posted in your group.")
        elif request.POST.get("do") == "decline":
            alert_actions.decline_forward(admin=user, forward_id=found.pk)
            info = _("The warning has been declined.")
        else:  # the gate first: outsiders learn nothing
            access_group(user=user, group_id=found.to_group_id, action=Action.RECEIVE_FORWARD)
            raise ActionError("do", _("Choose: post it in your group, or decline."))
    except ActionError as error:
        return _done(request, found.to_group_id, error=error.message)
    return _done(request, found.to_group_id, info=info)
