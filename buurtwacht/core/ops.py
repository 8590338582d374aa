"""What an operator watches (docs/OPERATING.md): the request id, one log line per request
and per task (JSON with LOG_FORMAT=json), the request metrics, and the three endpoints
that are answered before anything else in the middleware: `/healthz`, `/readyz` and
`/metrics`.  Those three skip the host check, the https redirect, sessions and rate
limits: a probe on 127.0.0.1:<port> works, and they stay cheap."""

import logging
import re
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.functional import empty

from . import health, metrics
from .logs import request_id

log = logging.getLogger("buurtwacht.request")
task_log = logging.getLogger("buurtwacht.task")

# A proxy's X-Request-ID is taken when it looks like one (no log injection), else we make one.
REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
HEALTH_PATHS = {"/healthz": "healthz", "/readyz": "readyz", "/metrics": "metrics"}


def _line_level() -> int:
    """The line per request and per task: INFO in JSON; in text uvicorn's access log and
    django-tasks' own lines say it already, so ours only at DEBUG."""
    return logging.INFO if settings.LOG_FORMAT == "json" else logging.DEBUG


def _user_id(request: HttpRequest) -> int | None:
    """The account the request acted as, if the request looked it up (never forced: that
    would cost a session query on requests that do not need one).  Never a name, e-mail
    address or home address."""
    user = request.__dict__.get("user")
    if user is None or getattr(user, "_wrapped", None) is empty:
        return None
    return user.pk if user.is_authenticated else None


def _view_name(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    if match is None:
        if request.path.startswith(f"/{settings.STATIC_URL.lstrip('/')}"):
            return "static"  # served by WhiteNoise (nginx serves them in production)
        return getattr(request, "observed_view", "unmatched")
    return match.view_name or match._func_path


class ObserveMiddleware:
    """Outermost: gives the request its id (and the response an X-Request-ID), counts and
    times it per view and status, and logs one line about it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.headers.get("X-Request-ID", "")
        rid = given if REQUEST_ID.match(given) else uuid.uuid4().hex
        token = request_id.set(rid)
        started = time.perf_counter()
        status = 500
        try:
            response = self.get_response(request)
            status = response.status_code
            response["X-Request-ID"] = rid
            return response
        finally:
            duration = time.perf_counter() - started
            view = _view_name(request)
            metrics.observe_request(
                view=view, method=request.method or "", status=status, seconds=duration
            )
            log.log(
                _line_level(),
                "%s %s %s",
                request.method,
                request.path,
                status,
                extra={
                    "fields": {
                        "request_id": rid,
                        "method": request.method,
                        "path": request.path,
                        "view": view,
                        "status": status,
                        "duration_ms": round(duration * 1000, 2),
                        "user_id": _user_id(request),
                    }
                },
            )
            request_id.reset(token)


class HealthMiddleware:
    """/healthz, /readyz and /metrics, before the host check, sessions and redirects."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        name = HEALTH_PATHS.get(request.path_info)
        if name is None or request.method not in {"GET", "HEAD"}:
            return self.get_response(request)
        request.observed_view = name  # type: ignore[attr-defined]
        if name == "healthz":
            return JsonResponse({"status": "ok"})
        if name == "readyz":
            ready, checks = health.readiness()
            if not metrics.may_scrape(request):  # the internet sees no host names or ports
                for check in checks.values():
                    check.pop("detail", None)
            failed = [
                f"{name}: {check['reason']}" for name, check in checks.items() if not check["ok"]
            ]
            return JsonResponse(
                {"status": "ok" if ready else "unavailable", "checks": checks, "reasons": failed},
                status=200 if ready else 503,
            )
        if not metrics.may_scrape(request):
            return JsonResponse({"status": "forbidden"}, status=403)
        body, content_type = metrics.exposition()
        return HttpResponse(body, content_type=content_type)


def log_task(*, task_result: Any) -> None:
    """One line per finished task (django-tasks' task_finished signal)."""
    started, finished = task_result.started_at, task_result.finished_at
    seconds = (finished - started).total_seconds() if started and finished else None
    path = task_result.task.module_path
    status = str(task_result.status)
    metrics.observe_task(task=path, status=status, seconds=seconds)
    task_log.log(
        _line_level(),
        "task %s %s",
        path,
        status,
        extra={
            "fields": {
                "task": path,
                "task_id": str(task_result.id),
                "status": status,
                "duration_ms": round(seconds * 1000, 2) if seconds is not None else None,
                "attempts": len(task_result.worker_ids),
            }
        },
    )
