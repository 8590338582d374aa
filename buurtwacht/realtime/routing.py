"""WebSocket routes.  The consumer passes every subscription and post through the access
gate (groups/access.py)."""

from django.urls import path

from .consumers import StreamConsumer

websocket_urlpatterns = [path("ws/", StreamConsumer.as_asgi())]
