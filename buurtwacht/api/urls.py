"""The HTTP API (django-ninja): session login, CSRF on every unsafe request, OpenAPI at
/api/openapi.json.  Every error is JSON `{"code", "message"}`; the message is for people, in
the request's language (LocaleMiddleware: Dutch unless the visitor chose otherwise).

No docs page: it would load Swagger from a CDN, which the site's CSP (rightly) refuses.
"""

import functools
import logging
from collections.abc import Callable
from typing import Any

from django.core import signals
from django.core.exceptions import (
    BadRequest,
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.http.multipartparser import MultiPartParserError
from django.urls import URLPattern, URLResolver
from django.utils.log import log_response
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import django_auth

from buurtwacht.core.errors import ActionError
from buurtwacht.realtime.limits import RateLimited

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


@api.exception_handler(RateLimited)
def rate_limited(request: HttpRequest, exc: RateLimited) -> HttpResponse:
    response = _error(
        request, 429, "rate_limited", _("Too many requests at once. Wait a moment and try again.")
    )
    response["Retry-After"] = str(exc.retry_after)
    return response


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


@api.exception_handler(MultiPartParserError)
@api.exception_handler(BadRequest)
@api.exception_handler(SuspiciousOperation)
def unreadable(request: HttpRequest, exc: Exception) -> HttpResponse:
    """A body Django cannot parse (multipart without a boundary, too many fields, too big):
    what Django's own handler does for these, but answered as the API's JSON."""
    if isinstance(exc, RequestDataTooBig | TooManyFieldsSent | TooManyFilesSent):
        request._mark_post_parse_error()  # type: ignore[attr-defined]  # as Django does
    if isinstance(exc, SuspiciousOperation):
        logging.getLogger(f"django.security.{type(exc).__name__}").error(str(exc))
    return _error(request, 400, "bad_request", _("The request body cannot be read."))


@api.exception_handler(Exception)
def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    """A bug: logged with its traceback as Django logs one (and the signal lets the test
    client raise it), answered as JSON rather than ninja's plain-text traceback."""
    signals.got_request_exception.send(sender=None, request=request)
    response = _error(
        request, 500, "server_error", _("Something went wrong on our side. Try again later.")
    )
    log_response(
        "%s: %s",
        response.reason_phrase,
        request.path,
        response=response,
        request=request,
        exception=exc,
    )
    return response


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


def _json_when_not_allowed(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """ninja answers a method that no endpoint of a path takes (GET on a POST endpoint)
    with a plain-text 405 of its own, outside the exception handlers: the API's JSON
    instead, with the Allow header kept."""

    @functools.wraps(view)  # keeps csrf_exempt: django_auth checks the token itself
    def answer(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            allowed = response["Allow"]
            response = _error(
                request,
                405,
                "method_not_allowed",
                _("This address does not take %(method)s; it takes %(allowed)s.")
                % {"method": request.method, "allowed": allowed},
            )
            response["Allow"] = allowed
        return response

    return answer


def urls() -> tuple[list[URLPattern | URLResolver], str, str]:
    """`api.urls` (for `path("api/", ...)`), every endpoint wrapped as above."""
    patterns, app_name, namespace = api.urls
    wrapped: list[URLPattern | URLResolver] = [
        URLPattern(p.pattern, _json_when_not_allowed(p.callback), p.default_args, p.name)
        if isinstance(p, URLPattern)
        else p
        for p in patterns
    ]
    return wrapped, app_name, namespace


def unknown_path(request: HttpRequest, rest: str = "") -> HttpResponse:
    """Whatever under /api/ has no endpoint: the API's JSON 404, not the site's HTML page."""
    return not_found(request, Http404())
