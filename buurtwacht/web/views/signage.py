"""Signs and stickers for a group's admins (R-VIS-1): what the request is filled in with,
the municipality's conditions, the form, and the requests so far with their steps."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from buurtwacht.core.errors import ActionError
from buurtwacht.groups.access import access_group
from buurtwacht.groups.policy import Action
from buurtwacht.signage import actions, selectors
from buurtwacht.signage.forms import SignRequestForm

from .accounts import _user


@login_required
def group_signs(request: HttpRequest, group_id: int) -> HttpResponse:
    admin = _user(request)
    group = access_group(user=admin, group_id=group_id, action=Action.REQUEST_SIGNS).group
    form = SignRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.request_signs(
                admin=admin,
                group_id=group.pk,
                order=actions.SignOrder(
                    signs=data["signs"],
                    stickers=data["stickers"],
                    note=data["note"],
                    confirm_language=request.POST.get("confirm_language") == "1",
                ),
            )
        except ActionError as error:
            form.add_error(None, error.message)
        else:
            # The page says it once: the request under way (no second confirmation on top).
            return redirect("group_signs", group_id=group.pk)
    facts = selectors.facts_of(group=group)
    return render(
        request,
        "signage/group_signs.html",
        {
            "group": group,
            "facts": facts,
            "obstacle": selectors.obstacle(group=group, facts=facts),
            "conditions": selectors.conditions(),
            "open_request": selectors.open_request(group=group),
            "requests": selectors.requests_of(group=group),
            "form": form,
        },
    )
