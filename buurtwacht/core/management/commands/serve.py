"""Serve the ASGI app with uvicorn.  Refuses several workers on the in-memory channel
layer, which only works inside one process, and a CHANNEL_PREFIX that another install
holds on the same Redis (realtime/claim.py)."""

import argparse
import os
import threading
import uuid
from typing import Any

import uvicorn
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

WS_MAX_SIZE = 256 * 1024
# How uvicorn serves the sockets (the tests' server too).  Alerts are small: compressing
# each one per socket costs more than it saves, and without an extension the same frame
# goes to every socket as it is (realtime/fanout.py).  A frame above ws_max_size is cut
# off by uvicorn (close 1009) before it is read whole; the consumer refuses frames above
# protocol.MAX_FRAME_BYTES (64 KiB) itself.
# The client's address is the connection's: behind PROXY_COUNT proxies
# core/ratelimit.client_address reads X-Forwarded-For (and Django's SECURE_PROXY_SSL_HEADER
# the scheme).  uvicorn's own proxy headers would trust the header from any client that
# connects from 127.0.0.1.
SOCKET_OPTIONS = {
    "proxy_headers": False,
    "ws": "websockets-sansio",
    "ws_per_message_deflate": False,
    "ws_max_size": WS_MAX_SIZE,
}


class Command(BaseCommand):
    help = "Serve Buurtwacht (HTTP and WebSockets) with uvicorn."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=1)
        parser.add_argument(
            "--with-worker",
            action=argparse.BooleanOptionalAction,
            default=None,
            help="run the background worker in this process (default: yes without REDIS_URL)",
        )

    def handle(
        self,
        *args: object,
        host: str,
        port: int,
        workers: int,
        with_worker: bool | None,
        **options: object,
    ) -> None:
        if workers > 1 and not settings.REDIS_URL:
            raise CommandError(
                "Several workers need REDIS_URL: the in-memory channel layer only reaches "
                "clients of its own process."
            )
        if settings.REDIS_URL:
            from django.db import connections

            from buurtwacht.realtime.claim import PrefixTaken, claim_for_this_install

            try:
                claim_for_this_install()
            except PrefixTaken as taken:
                raise CommandError(str(taken)) from None
            finally:
                connections.close_all()
        if with_worker if with_worker is not None else not settings.REDIS_URL:
            start_worker_thread()
            self.stdout.write("Background worker runs in this process.")
        self.stdout.write(f"Buurtwacht on http://{host}:{port}/ ({workers} worker(s))")
        # Each worker process builds the public register's index when it starts (asgi.py).
        os.environ["BUURTWACHT_WARM_REGISTER"] = "1"
        # LOG_FORMAT=json: uvicorn's own lines through our JSON log too, and no access line
        # of its own (core/ops.py logs each request, with its id).
        logs: dict[str, Any] = (
            {"log_config": None, "access_log": False} if settings.LOG_FORMAT == "json" else {}
        )
        uvicorn.run(
            "buurtwacht.asgi:application",
            host=host,
            port=port,
            workers=workers,
            lifespan="off",
            **logs,
            **SOCKET_OPTIONS,  # type: ignore[arg-type]
        )


def start_worker_thread() -> None:
    """The embedded mode's task worker: django-tasks-db's loop in a daemon thread."""
    from django_tasks_db.management.commands.db_worker import Worker

    from buurtwacht.core.tasks import schedule_heartbeat
    from buurtwacht.notify.tasks import deliver_due
    from buurtwacht.police.tasks import follow_up_overdue
    from buurtwacht.privacy.tasks import schedule_purge

    deliver_due.enqueue()  # recovery: whatever is pending gets a look now
    schedule_purge()  # retention: what expired while no worker ran goes now
    follow_up_overdue.enqueue()  # and whatever police follow-up fell due meanwhile
    schedule_heartbeat()  # /readyz: the worker runs tasks
    worker = Worker(
        queue_names=["default"],
        interval=0.5,
        batch=False,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=f"serve-{uuid.uuid4().hex[:8]}",
        excluded_queue_names=[],
    )
    threading.Thread(target=worker.run, name="task-worker", daemon=True).start()
