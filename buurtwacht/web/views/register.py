"""The public register (R-REG-1): map, list, search, public group pages and the widget.
No login anywhere here; nothing private is ever read (register/selectors.py)."""

import shapely
from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt

from buurtwacht.bulletin.forms import SubscribeForm
from buurtwacht.bulletin.selectors import published_notices
from buurtwacht.core import countries, ratelimit
from buurtwacht.core.errors import ActionError
from buurtwacht.groups.models import Group
from buurtwacht.register import actions, selectors
from buurtwacht.register.forms import ContactForm, SearchForm
from buurtwacht.register.index import register_index
from buurtwacht.register.search import SearchError, search

# The Netherlands (and a little around it), lon/lat.
NL_BOUNDS = (3.2, 50.7, 7.3, 53.6)


def map_context(*, bounds=None, municipality: str = "", outline: str = "") -> dict[str, object]:
    return {
        "map_tiles": settings.MAP_TILES_URL,
        "map_attribution": settings.MAP_TILES_ATTRIBUTION,
        "map_bounds": ",".join(f"{v:.5f}" for v in (bounds or NL_BOUNDS)),
        "map_api": reverse("api:register_bbox"),
        "map_municipality_api": reverse("api:register_municipality", args=[municipality])
        if municipality
        else "",
        "map_outline": outline,
    }


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html", {"search_form": SearchForm()})


def search_page(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    result = None
    if form.is_valid():
        try:
            result = search(form.cleaned_data["q"])
        except SearchError as error:
            form.add_error("q", error.message)
    elif request.GET:
        form.add_error(None, _("Enter a postcode and house number, or a place or street."))
    return render(
        request,
        "register/search.html",
        {
            "search_form": form,
            "result": result,
            "start_url": _start_url(request),
            **map_context(bounds=result.bounds if result else None),
            "map_highlight": ",".join(str(g.id) for g in result.groups) if result else "",
        },
    )


def _start_url(request: HttpRequest) -> str:
    """Where "start a group" leads: the create form, through registration if need be."""
    create = reverse("group_create")
    if request.user.is_authenticated:
        return create
    return f"{reverse('register')}?{urlencode({'next': create})}"


def map_page(request: HttpRequest) -> HttpResponse:
    index = register_index()
    return render(
        request,
        "register/map.html",
        {
            "municipalities": selectors.by_municipality(index=index),
            "group_count": len(index.groups),
            "search_form": SearchForm(),
            "title": countries.register_title(),
            **map_context(),
        },
    )


def municipality_page(request: HttpRequest, code: str) -> HttpResponse:
    index = register_index()
    entries = selectors.by_municipality(index=index, code=code)
    if not entries:
        raise Http404
    ids = [g.id for g in entries[0].groups]
    return render(
        request,
        "register/municipality.html",
        {"entry": entries[0], **map_context(bounds=index.bounds_of(ids))},
    )


def public_group(request: HttpRequest, group_id: int) -> HttpResponse:
    index = register_index()
    public = selectors.public_group(group_id=group_id, index=index)
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["website"]:  # a bot: pretend all is well, send nothing
            messages.success(request, _("Your message has been sent to the admins."))
            return redirect("register_group", group_id=group_id)
        try:
            actions.send_contact_message(
                group_id=group_id,
                contact=actions.Contact(
                    name=form.cleaned_data["name"],
                    email=form.cleaned_data["email"],
                    body=form.cleaned_data["body"],
                ),
                ip_address=ratelimit.client_address(request),
                confirm_language=request.POST.get("confirm_language") == "1",
            )
        except ActionError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your message has been sent to the admins."))
            return redirect("register_group", group_id=group_id)
    join = reverse("group", args=[group_id]) + "#aanmelden"
    bounds = None
    if public.outline:
        bounds = shapely.from_geojson(public.outline).bounds
    return render(
        request,
        "register/group.html",
        {
            "public": public,
            "group": public.group,
            "contact_form": form,
            "notices": published_notices(group_id=public.group.pk),
            "subscribe_form": SubscribeForm(auto_id="newsletter_%s"),
            "join_url": join,
            "register_url": f"{reverse('register')}?{urlencode({'next': join})}",
            "login_url": f"{reverse('login')}?{urlencode({'next': join})}",
            **map_context(bounds=bounds, outline=public.outline),
        },
    )


def public_photo(request: HttpRequest, group_id: int) -> FileResponse:
    group = Group.objects.filter(pk=group_id).first()
    if group is None or not group.photo:
        raise Http404
    return FileResponse(group.photo.open("rb"), content_type="image/jpeg")


@xframe_options_exempt
def widget(request: HttpRequest, code: str) -> HttpResponse:
    """For a municipality's own website, in an iframe: its listed groups on a map and in a
    list; links open on this site in a new tab."""
    index = register_index()
    entries = selectors.by_municipality(index=index, code=code)
    ids = [g.id for g in entries[0].groups] if entries else []
    response = render(
        request,
        "register/widget.html",
        {
            "code": code,
            "entry": entries[0] if entries else None,
            **map_context(bounds=index.bounds_of(ids), municipality=code),
        },
    )
    # This page only: the sites allowed to frame it (django-csp reads this attribute).
    response._csp_replace = {  # type: ignore[attr-defined]
        "frame-ancestors": list(settings.REGISTER_WIDGET_FRAME_ANCESTORS)
    }
    return response
