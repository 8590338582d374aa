"""The HTTP API: django-ninja routers that parse, call an action and serialize (urls.py)."""
