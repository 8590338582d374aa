import json
import threading

import requests
from django.conf import settings
from pywebpush import WebPushException, webpush

from buurtwacht.notify.keys import vapid
from buurtwacht.notify.models import Delivery

from .base import PermanentFailure, TemporaryFailure


class WebPushTransport:
    """VAPID-signed, aes128gcm-encrypted Web Push (RFC 8030/8291/8292).  Each sending
    thread keeps its own HTTP session, so pushes to one push service reuse connections."""

    def __init__(self) -> None:
        self._local = threading.local()

    def _session(self) -> requests.Session:
        if not hasattr(self._local, "session"):
            self._local.session = requests.Session()
        return self._local.session  # type: ignore[no-any-return]

    def send(self, delivery: Delivery) -> None:
        subscription = delivery.subscription
        if subscription is None:
            raise PermanentFailure("no subscription")
        try:
            webpush(
                subscription_info={
                    "endpoint": subscription.endpoint,
                    "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
                },
                data=json.dumps(delivery.payload),
                vapid_private_key=vapid(),
                vapid_claims={"sub": settings.VAPID_SUBJECT},
                ttl=3600,
                timeout=settings.NOTIFY_TIMEOUT_SECONDS,
                headers={"Urgency": "high" if delivery.kind == "alert" else "normal"},
                requests_session=self._session(),
            )
        except WebPushException as exc:
            status = exc.response.status_code if exc.response is not None else None
            if status in (404, 410):  # the browser dropped the subscription
                raise PermanentFailure(f"subscription gone ({status})") from exc
            raise TemporaryFailure(str(exc)[:500]) from exc
        except OSError as exc:  # connection refused, timeout (requests' errors are OSErrors)
            raise TemporaryFailure(str(exc)[:500]) from exc
