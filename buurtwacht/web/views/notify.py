"""Notifications, the member's side: preferences, this device's push subscription, and what
makes Buurtwacht installable (web app manifest, icons, the service worker at /sw.js).

Push subscriptions come from static/web/notify.js as JSON (PushSubscription.toJSON()); the
CSRF token travels in the X-CSRFToken header, taken from the form on the preferences page.

Push addresses are checked in notify/subscriptions.py.
"""

import functools
import io
import json
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from PIL import Image, ImageDraw

from buurtwacht.accounts.models import User
from buurtwacht.notify import actions
from buurtwacht.notify.forms import PreferencesForm
from buurtwacht.notify.keys import application_server_key
from buurtwacht.notify.models import PushSubscription
from buurtwacht.notify.selectors import preferences_of
from buurtwacht.notify.subscriptions import BadSubscription, endpoint_from, parse_subscription

from .accounts import _user

# --- preferences ---------------------------------------------------------------------------


def _devices_text(count: int) -> str:
    if count == 0:
        return _("No device receives push notifications yet.")
    return ngettext(
        "%(count)d device receives push notifications.",
        "%(count)d devices receive push notifications.",
        count,
    ) % {"count": count}


def _device_count(user: User) -> int:
    return PushSubscription.objects.filter(user=user).count()


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    prefs = preferences_of(user=user)
    initial = {
        "webpush": prefs.webpush,
        "email": prefs.email,
        "sms": prefs.sms,
        "phone": prefs.phone,
        "chat": prefs.chat,
        "quiet_start": prefs.quiet_start,
        "quiet_end": prefs.quiet_end,
    }
    form = PreferencesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        actions.update_preferences(user=user, change=form.change())
        messages.success(request, _("Your notification settings have been saved."))
        return redirect("notify_preferences")
    count = _device_count(user)
    return render(
        request,
        "notify/preferences.html",
        {
            "form": form,
            "device_count": count,
            "devices_text": _devices_text(count),
            "application_server_key": application_server_key(),
        },
    )


# --- push subscriptions (JSON, from notify.js) ---------------------------------------------


def _error(code: str, message: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"code": code, "message": message}, status=status)


def _login_required_json(
    view: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    """Like login_required, but a 401 in JSON instead of a redirect to the login page."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest) -> HttpResponse:
        if not request.user.is_authenticated:
            return _error("login_required", _("Log in first."), status=401)
        return view(request)

    return wrapped


def _unsubscribe_one(request: HttpRequest, user: User) -> HttpResponse:
    endpoint = endpoint_from(request.body)
    if endpoint is None:
        return _error("bad_request", _("The request could not be read."))
    actions.unsubscribe_push(user=user, endpoint=endpoint)
    count = _device_count(user)
    return JsonResponse(
        {
            "message": _("Push notifications on this device are off."),
            "devices": count,
            "devices_text": _devices_text(count),
        }
    )


@_login_required_json
@require_http_methods(["POST", "DELETE"])
def push_subscription(request: HttpRequest) -> HttpResponse:
    """POST: subscribe this device (JSON body); DELETE {"endpoint"}: unsubscribe it."""
    user = _user(request)
    if request.method == "DELETE":
        return _unsubscribe_one(request, user)
    try:
        endpoint, p256dh, auth = parse_subscription(request.body)
    except BadSubscription as error:
        return _error(error.code, error.message)
    actions.subscribe_push(user=user, endpoint=endpoint, p256dh=p256dh, auth=auth)
    count = _device_count(user)
    return JsonResponse(
        {
            "message": _("Push notifications on this device are on."),
            "devices": count,
            "devices_text": _devices_text(count),
        }
    )


@login_required
@require_POST
def push_unsubscribe(request: HttpRequest) -> HttpResponse:
    """A JSON body {"endpoint"} removes that device (notify.js); the form on the page
    removes all of the member's devices and comes back to the page."""
    user = _user(request)
    if request.content_type == "application/json":
        return _unsubscribe_one(request, user)
    actions.unsubscribe_all_push(user=user)
    messages.success(request, _("No device receives push notifications any more."))
    return redirect("notify_preferences")


# --- installable web app: manifest, icons, service worker -----------------------------------

THEME_COLOUR = "#0b5cad"
BACKGROUND_COLOUR = "#ffffff"
ICON_SIZES = (192, 512)


@require_GET
def manifest(request: HttpRequest) -> HttpResponse:
    with translation.override("nl"):
        description = _("Neighbourhood watch: alerts and chat for your street.")
    data = {
        "id": "/",
        "name": "Buurtwacht",
        "short_name": "Buurtwacht",
        "description": description,
        "lang": "nl",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "icons": [
            {"src": static("web/icon.svg"), "sizes": "any", "type": "image/svg+xml"},
            *(
                {
                    "src": reverse("app_icon", args=[size]),
                    "sizes": f"{size}x{size}",
                    "type": "image/png",
                }
                for size in ICON_SIZES
            ),
        ],
    }
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2),
        content_type="application/manifest+json; charset=utf-8",
    )
    response["Cache-Control"] = "public, max-age=3600"
    return response


def _quadratic(
    start: tuple[float, float], control: tuple[float, float], end: tuple[float, float]
) -> list[tuple[float, float]]:
    steps = 32
    points = []
    for i in range(steps + 1):
        t = i / steps
        points.append(
            (
                (1 - t) ** 2 * start[0] + 2 * (1 - t) * t * control[0] + t**2 * end[0],
                (1 - t) ** 2 * start[1] + 2 * (1 - t) * t * control[1] + t**2 * end[1],
            )
        )
    return points


@functools.cache
def _icon_png(size: int) -> bytes:
    """static/web/icon.svg drawn with Pillow (4x oversampled, then scaled down smoothly)."""
    big = size * 4
    unit = big / 512  # the SVG's coordinates are on a 512 grid

    def at(x: float, y: float) -> tuple[float, float]:
        return (x * unit, y * unit)

    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((0, 0, big - 1, big - 1), radius=96 * unit, fill=THEME_COLOUR)
    house = [(256, 92), (436, 244), (396, 244), (396, 420), (116, 420), (116, 244), (76, 244)]
    draw.polygon([at(x, y) for x, y in house], fill=BACKGROUND_COLOUR)
    eye = _quadratic((156, 320), (256, 220), (356, 320))[:-1] + _quadratic(
        (356, 320), (256, 420), (156, 320)
    )
    draw.polygon([at(x, y) for x, y in eye], fill=THEME_COLOUR)
    for radius, colour in ((36, BACKGROUND_COLOUR), (18, THEME_COLOUR)):
        (x0, y0), (x1, y1) = at(256 - radius, 320 - radius), at(256 + radius, 320 + radius)
        draw.ellipse((x0, y0, x1, y1), fill=colour)
    out = io.BytesIO()
    image.resize((size, size), Image.Resampling.LANCZOS).save(out, format="PNG", optimize=True)
    return out.getvalue()


@require_GET
def icon(request: HttpRequest, size: int) -> HttpResponse:
    if size not in ICON_SIZES:
        raise Http404
    response = HttpResponse(_icon_png(size), content_type="image/png")
    response["Cache-Control"] = "public, max-age=86400"
    return response


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """static/web/sw.js, served from the root so that its scope is the whole site."""
    path = finders.find("web/sw.js")
    if not isinstance(path, str):
        raise Http404
    with open(path, encoding="utf-8") as source:
        response = HttpResponse(source.read(), content_type="application/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"  # a new version reaches browsers on their next visit
    return response
