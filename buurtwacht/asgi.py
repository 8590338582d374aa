"""ASGI entry point: HTTP through Django, WebSockets through Channels (served by uvicorn)."""

import os

from django.core.asgi import get_asgi_application

from buurtwacht import datadir

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "buurtwacht.settings")
datadir.prepare()  # also when uvicorn is started on buurtwacht.asgi directly
django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402  (after setup)

from buurtwacht.realtime.middleware import socket_auth_stack  # noqa: E402
from buurtwacht.realtime.origin import OriginValidator  # noqa: E402
from buurtwacht.realtime.pacing import PacingMiddleware  # noqa: E402
from buurtwacht.realtime.routing import websocket_urlpatterns  # noqa: E402

if os.environ.get("BUURTWACHT_WARM_REGISTER") == "1":  # set by `manage.py serve`
    from buurtwacht.register.index import warm_in_background

    warm_in_background()

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        # The Origin first (exact scheme, host and port), then a place among the sockets
        # opening (a reconnect storm is paced: realtime/pacing.py), then the session.
        "websocket": OriginValidator(
            PacingMiddleware(socket_auth_stack(URLRouter(websocket_urlpatterns)))
        ),
    }
)
