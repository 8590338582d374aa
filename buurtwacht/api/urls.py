"""The HTTP API (django-ninja): session login, CSRF on every unsafe request, OpenAPI at
/api/openapi.json.  Every error is JSON `{"code", "message"}`; the message is for people, in
the request's language (LocaleMiddleware: Dutch unless the visitor chose otherwise).

No docs page: it would load Swagger from a CDN, which the site's CSP (rightly) refuses.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import path
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import django_auth

from buurtwacht.core.errors import ActionError

from .alerts import router as alerts_router
from .police import router as police_router
from .push import router as push_router
from .register import router as register_router
from .verification import router as verification_router

# django_auth checks the CSRF token itself (ninja ≥ 1.0 has no `csrf=` switch any more).
api = NinjaAPI(
    title="Buurtwacht API",
    version="1",
    description=(
        "The alert channel and the chat of a neighbourhood watch group, push notifications "
        "on a member's devices, and the public register of groups as GeoJSON."
    ),
    urls_namespace="api",
    auth=django_auth,
    docs_url=None,
)
api.add_router("", alerts_router)
api.add_router("", register_router)
api.add_router("", police_router)
api.add_router("", verification_router)
api.add_router("", push_router)


def _error(
    request: HttpRequest, status: int, code: str, message: str, **extra: Any
) -> HttpResponse:
    return api.create_response(request, {"code": code, "message": message, **extra}, status=status)


@api.exception_handler(ActionError)
def refused(request: HttpRequest, exc: ActionError) -> HttpResponse:
    # The action translated its message while the request's language was active.
    return _error(request, 400, exc.code, exc.message)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, "not_found", _("Not found."))


@api.exception_handler(PermissionDenied)
def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _error(request, 403, "forbidden", _("You may not do this."))


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, 401, "unauthenticated", _("Log in first."))


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    """What ninja refuses before an endpoint runs: a body that is not JSON (400) and a
    missing or wrong CSRF token (403, django_auth's only HttpError)."""
    if exc.status_code == 400:
        return _error(request, 400, "bad_request", _("The request body is not valid JSON."))
    if exc.status_code == 403:
        return _error(
            request, 403, "csrf", _("The security check failed: reload the page and try again.")
        )
    return _error(request, exc.status_code, "error", str(exc))


@api.exception_handler(ValidationError)
def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    fields = sorted({_field(error.get("loc", ())) for error in exc.errors} - {""})
    if fields:
        message = _("Check these fields: %(fields)s.") % {"fields": ", ".join(fields)}
    else:  # no body at all
        message = _("The request body is not valid JSON.")
    return _error(request, 422, "invalid", message, detail=exc.errors)


def _field(loc: Any) -> str:
    """("body", "body", "person", "skin_colour") -> "person.skin_colour"."""
    return ".".join(str(part) for part in loc if part not in ("body", "query", "path"))


urlpatterns = [path("", api.urls)]


def unknown_path(request: HttpRequest, rest: str = "") -> HttpResponse:
    """Whatever under /api/ has no endpoint: the API's JSON 404, not the site's HTML page."""
    return not_found(request, Http404())
