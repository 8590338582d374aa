"""WebSocket routes.  Consumers arrive with the alert channel; every one of them goes
through the access gate before it joins a group's stream."""

from django.urls import URLPattern

websocket_urlpatterns: list[URLPattern] = []
