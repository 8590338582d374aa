"""Recruiting (R-CRE-2): the admins' share link and door-to-door flyer, and the page the
link opens.  The link only leads to the join request form: nobody is admitted by it."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.text import slugify
from django.utils.translation import gettext as _

from buurtwacht.groups import actions, selectors
from buurtwacht.groups.access import access_group
from buurtwacht.groups.flyer import FlyerContent, render_flyer
from buurtwacht.groups.models import ShareLink
from buurtwacht.groups.policy import Action

from .accounts import _user


def link_url(link: ShareLink) -> str:
    """The absolute address of a share link, as printed on the flyer."""
    return settings.SITE_URL.rstrip("/") + reverse("share_link", args=[link.token])


@login_required
def recruit(request: HttpRequest, group_id: int) -> HttpResponse:
    admin = _user(request)
    group = access_group(user=admin, group_id=group_id, action=Action.RECRUIT).group
    if request.method == "POST":
        what = request.POST.get("do")
        if what == "create":
            actions.get_share_link(admin=admin, group_id=group.pk)
            messages.success(request, _("The share link is ready."))
        elif what == "renew":
            actions.renew_share_link(admin=admin, group_id=group.pk)
            messages.success(
                request, _("A new share link has been made. The old one no longer works.")
            )
        elif what == "revoke":
            actions.revoke_share_link(admin=admin, group_id=group.pk)
            messages.success(request, _("The share link has been revoked."))
        return redirect("group_recruit", group_id=group.pk)
    link = selectors.active_share_link(group=group)
    return render(
        request,
        "groups/recruit.html",
        {"group": group, "link": link, "link_url": link_url(link) if link else ""},
    )


@login_required
def flyer(request: HttpRequest, group_id: int) -> HttpResponse:
    """The A4 flyer as a PDF, with a QR code of the group's share link."""
    group = access_group(user=_user(request), group_id=group_id, action=Action.RECRUIT).group
    link = selectors.active_share_link(group=group)
    if link is None:
        messages.error(request, _("Make a share link first: the flyer carries it as a QR code."))
        return redirect("group_recruit", group_id=group.pk)
    pdf = render_flyer(
        FlyerContent(
            group_name=group.name,
            streets=[street.name for street in selectors.streets_of(group=group)],
            own_rules=group.own_rules,
            link=link_url(link),
            scheme=str(group.country.scheme_full_name),
        )
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    name = slugify(group.name) or "groep"
    response["Content-Disposition"] = f'inline; filename="flyer-{name}.pdf"'
    return response


def share_link(request: HttpRequest, token: str) -> HttpResponse:
    """What a share link opens, logged in or not.  Logged in: the group's page with its
    join request form.  Not logged in: log in or register, and come back here."""
    link = selectors.share_link_by_token(token=token)
    if link is None:
        return render(request, "groups/share_link.html", {"link": None}, status=404)
    if link.revoked_at is not None:
        return render(request, "groups/share_link.html", {"link": None}, status=410)
    group = link.group
    if request.user.is_authenticated:
        return redirect(reverse("group", args=[group.pk]) + "#aanmelden")
    back = urlencode({"next": request.get_full_path()})
    return render(
        request,
        "groups/share_link.html",
        {
            "link": link,
            "group": group,
            "streets": selectors.streets_of(group=group),
            "login_url": f"{reverse('login')}?{back}",
            "register_url": f"{reverse('register')}?{back}",
        },
    )
