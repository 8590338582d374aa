"""Serve the ASGI app with uvicorn.  Refuses several workers on the in-memory channel
layer, which only works inside one process."""

import uvicorn
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Serve Buurtwacht (HTTP and WebSockets) with uvicorn."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=1)

    def handle(self, *args: object, host: str, port: int, workers: int, **options: object) -> None:
        if workers > 1 and not settings.REDIS_URL:
            raise CommandError(
                "Several workers need REDIS_URL: the in-memory channel layer only reaches "
                "clients of its own process."
            )
        self.stdout.write(f"Buurtwacht on http://{host}:{port}/ ({workers} worker(s))")
        uvicorn.run(
            "buurtwacht.asgi:application",
            host=host,
            port=port,
            workers=workers,
            proxy_headers=True,
            lifespan="off",
        )
