"""Readiness (`/readyz`): may this process take traffic?  Each check is cheap (a query, a
Redis PING) and says why it fails, in English for the operator:

- database: reachable, and every migration applied (once true, remembered per process);
- channel_layer: Redis answers a PING (the in-process layer of the embedded mode always
  does);
- worker: a task worker ran its heartbeat task less than READY_WORKER_SECONDS ago;
- outbox: no notification has been due for longer than READY_OUTBOX_SECONDS.

A failed check's `detail` (the error itself: host names, ports) is shown only to those
who may read /metrics.
"""

import datetime as dt
import functools
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from . import clock

Check = dict[str, Any]
_migrated = False


def readiness() -> tuple[bool, dict[str, Check]]:
    checks = {"database": _database()}
    checks["channel_layer"] = _channel_layer()
    if checks["database"]["ok"]:
        checks["worker"] = _worker()
        checks["outbox"] = _outbox()
    else:
        skipped = {"ok": False, "reason": "not checked: the database is unavailable"}
        checks["worker"] = checks["outbox"] = skipped
    return all(check["ok"] for check in checks.values()), checks


def _database() -> Check:
    global _migrated
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        if not _migrated:
            executor = MigrationExecutor(connection)
            plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
            if plan:
                return {"ok": False, "reason": f"{len(plan)} migration(s) not applied"}
            _migrated = True
    except Exception as error:
        connection.close()  # the next check makes a new connection
        return {"ok": False, "reason": "unreachable", "detail": _detail(error)}
    return {"ok": True, "reason": ""}


@functools.cache
def _redis(url: str) -> Any:
    import redis

    timeout = min(settings.LAYER_TIMEOUT_SECONDS, 2.0)
    return redis.Redis.from_url(url, socket_timeout=timeout, socket_connect_timeout=timeout)


def _channel_layer() -> Check:
    if not settings.REDIS_URL:
        return {"ok": True, "reason": "", "layer": "in-process"}
    try:
        _redis(settings.REDIS_URL).ping()
    except Exception as error:
        return {"ok": False, "reason": "Redis unreachable", "detail": _detail(error)}
    return {"ok": True, "reason": "", "layer": "redis"}


def _worker() -> Check:
    from .selectors import last_heartbeat

    beat = last_heartbeat()
    if beat is None:
        return {"ok": False, "reason": "no heartbeat from any task worker"}
    age = (clock.now() - beat.seen_at).total_seconds()
    if age > settings.READY_WORKER_SECONDS:
        return {
            "ok": False,
            "reason": f"last worker heartbeat {age:.0f} s ago (run_worker stopped?)",
            "age_seconds": round(age, 1),
        }
    return {"ok": True, "reason": "", "age_seconds": round(age, 1)}


def _outbox() -> Check:
    from buurtwacht.notify.selectors import oldest_due

    oldest = oldest_due()
    age = (clock.now() - oldest).total_seconds() if oldest else 0.0
    if age > settings.READY_OUTBOX_SECONDS:
        return {
            "ok": False,
            "reason": f"a notification has waited {age:.0f} s to be sent",
            "oldest_due_seconds": round(age, 1),
        }
    return {"ok": True, "reason": "", "oldest_due_seconds": round(max(age, 0.0), 1)}


def _detail(error: Exception) -> str:
    """What went wrong, for the operator only (/readyz shows it to METRICS_ALLOWED_IPS)."""
    return f"{type(error).__name__}: {error}"[:300]


def age_seconds(moment: dt.datetime | None) -> float:
    return max(0.0, (clock.now() - moment).total_seconds()) if moment else 0.0
