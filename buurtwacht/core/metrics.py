"""Prometheus metrics (`/metrics`, prometheus-client), all named `buurtwacht_*`.

Several processes (the web processes and the workers) each count what they do.  With
PROMETHEUS_MULTIPROC_DIR set (one folder, shared by all processes of one install on one
machine, emptied when the install starts) prometheus-client's multiprocess mode adds their
counts up, so any web process answers for all of them.  Without it (the embedded mode:
one process) a process reports only itself.  Gauges kept by a process (open sockets) count
only processes that are alive: a dead process's gauge files are dropped at the next scrape.

What the database knows (the outbox, the task queue, the worker heartbeat) is read at the
scrape, by the process that answers it: a few cheap aggregate queries.
"""

import glob
import ipaddress
import os
import re
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.crypto import constant_time_compare
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)

HTTP_REQUESTS = Counter(
    "buurtwacht_http_requests", "HTTP requests answered", ["view", "method", "status"]
)
HTTP_LATENCY = Histogram(
    "buurtwacht_http_request_duration_seconds",
    "Time to answer an HTTP request",
    ["view"],
    buckets=LATENCY_BUCKETS,
)
SOCKETS_OPEN = Gauge(
    "buurtwacht_websockets_open",
    "WebSockets open (accepted, logged in)",
    multiprocess_mode="livesum",
)
EVENTS_PUBLISHED = Counter(
    "buurtwacht_events_published", "Stream events published after commit", ["type"]
)
EVENTS_DELIVERED = Counter(
    "buurtwacht_events_delivered", "Stream events handed to an open socket (one per socket)"
)
DELIVERY_LAG = Histogram(
    "buurtwacht_event_delivery_lag_seconds",
    "From publishing an event (after commit) to handing it to this process's sockets",
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
)
NOTIFICATIONS = Counter(
    "buurtwacht_notifications",
    "Notification sends by transport and result (sent, failed: given up, retry: tried again)",
    ["transport", "result"],
)
MODERATION = Counter(
    "buurtwacht_moderation_outcomes",
    "Moderation: language checks of posts (stage screen: ok, warn, block) and the admins'"
    " decisions (stage admin: hide_alert, hide_chat, review_let_stand, ...)",
    ["stage", "outcome"],
)
TASKS = Counter("buurtwacht_tasks", "Background tasks finished", ["task", "status"])
TASK_DURATION = Histogram(
    "buurtwacht_task_duration_seconds",
    "Time a background task ran",
    ["task"],
    buckets=LATENCY_BUCKETS,
)


def observe_request(*, view: str, method: str, status: int, seconds: float) -> None:
    HTTP_REQUESTS.labels(view=view, method=method, status=str(status)).inc()
    HTTP_LATENCY.labels(view=view).observe(seconds)


def observe_task(*, task: str, status: str, seconds: float | None) -> None:
    TASKS.labels(task=task, status=status).inc()
    if seconds is not None:
        TASK_DURATION.labels(task=task).observe(seconds)


class DatabaseCollector(Collector):
    """The outbox, the task queue and the worker's heartbeat, read when scraped."""

    def collect(self) -> Iterator[Any]:
        from . import health
        from .selectors import last_heartbeat, oldest_due_task

        try:
            from buurtwacht.notify.selectors import oldest_due, outbox_depth

            due, pending = outbox_depth()
            oldest = oldest_due()
            beat = last_heartbeat()
            queued = oldest_due_task()
        except Exception:  # the database is down: /readyz says so; the rest still counts
            yield GaugeMetricFamily("buurtwacht_database_up", "Database answered", value=0)
            return
        yield GaugeMetricFamily("buurtwacht_database_up", "Database answered", value=1)
        yield GaugeMetricFamily(
            "buurtwacht_outbox_due", "Notifications due and not yet sent", value=due
        )
        yield GaugeMetricFamily(
            "buurtwacht_outbox_pending",
            "Notifications not yet sent (due or waiting for quiet hours to end)",
            value=pending,
        )
        yield GaugeMetricFamily(
            "buurtwacht_outbox_oldest_due_age_seconds",
            "How long the oldest due notification has waited",
            value=health.age_seconds(oldest),
        )
        yield GaugeMetricFamily(
            "buurtwacht_task_queue_oldest_age_seconds",
            "How long the oldest due background task has waited for a worker",
            value=health.age_seconds(queued),
        )
        if beat is not None:
            yield GaugeMetricFamily(
                "buurtwacht_worker_heartbeat_age_seconds",
                "Since a task worker last ran its heartbeat task",
                value=health.age_seconds(beat.seen_at),
            )
            yield GaugeMetricFamily(
                "buurtwacht_worker_lag_seconds",
                "How late the worker ran its last heartbeat task (after it was due)",
                value=beat.lag_seconds,
            )


_DATABASE = CollectorRegistry()  # not auto_describe: that would query at import
_DATABASE.register(DatabaseCollector())


def _drop_dead_processes(folder: str) -> None:
    """Gauge files of processes that are gone (killed, say) no longer count."""
    for path in glob.glob(os.path.join(folder, "gauge_live*_*.db")):
        found = re.search(r"_(\d+)\.db$", path)
        if not found:
            continue
        pid = int(found.group(1))
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            multiprocess.mark_process_dead(pid, folder)
        except PermissionError:
            pass  # alive, someone else's


def exposition() -> tuple[bytes, str]:
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder:
        _drop_dead_processes(folder)
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry, path=folder)
        body = generate_latest(registry)
    else:
        body = generate_latest(REGISTRY)
    return body + generate_latest(_DATABASE), CONTENT_TYPE_LATEST


def may_scrape(request: HttpRequest) -> bool:
    """With the bearer METRICS_TOKEN from anywhere; else only from METRICS_ALLOWED_IPS
    (default: this machine)."""
    token = settings.METRICS_TOKEN
    given = request.headers.get("Authorization", "")
    if token and given.startswith("Bearer "):
        return constant_time_compare(given.removeprefix("Bearer ").strip(), token)
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    for allowed in settings.METRICS_ALLOWED_IPS:
        try:
            if address in ipaddress.ip_network(allowed, strict=False):
                return True
        except ValueError:
            continue
    return False
