"""Notifications, the member's side: the preferences page and what makes Buurtwacht
installable (web app manifest, icons, the service worker at /sw.js).

This device's push subscription goes from static/web/notify.js to the API
(api/push.py, /api/push-subscriptions) as JSON (PushSubscription.toJSON()); the CSRF token
travels in the X-CSRFToken header, taken from the form on the preferences page.
"""

import functools
import io
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from PIL import Image, ImageDraw

from buurtwacht.notify import actions
from buurtwacht.notify.forms import PreferencesForm
from buurtwacht.notify.keys import application_server_key
from buurtwacht.notify.selectors import preferences_of, push_device_count
from buurtwacht.notify.subscriptions import devices_text

from .accounts import _user

# --- preferences ---------------------------------------------------------------------------


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
    count = push_device_count(user=user)
    return render(
        request,
        "notify/preferences.html",
        {
            "form": form,
            "device_count": count,
            "devices_text": devices_text(count),
            "application_server_key": application_server_key(),
        },
    )


@login_required
@require_POST
def push_remove_all(request: HttpRequest) -> HttpResponse:
    """The form on the page: none of the member's devices gets push any more.  One device
    is subscribed and unsubscribed through the API (api/push.py)."""
    actions.unsubscribe_all_push(user=_user(request))
    messages.success(request, _("No device receives push notifications any more."))
    return redirect("notify_preferences")


# --- installable web app: manifest, icons, service worker -----------------------------------

THEME_COLOUR = "#0b5cad"
BACKGROUND_COLOUR = "#ffffff"
ICON_SIZES = (180, 192, 512)  # 180: the iPhone's home screen (apple-touch-icon)


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
        "start_url": reverse("after_login"),  # a member opens the app on their group
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
def offline(request: HttpRequest) -> HttpResponse:
    """What the service worker shows for a page it cannot load and did not keep."""
    return render(request, "web/offline.html")


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
