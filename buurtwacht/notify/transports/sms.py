import json
import urllib.error
import urllib.request
from base64 import b64encode

from django.conf import settings

from buurtwacht.notify.models import Delivery

from .base import PermanentFailure, TemporaryFailure


class SmsTransport:
    """POSTs JSON {"to", "text"} to a configurable SMS gateway (SMS_GATEWAY_URL), with
    HTTP basic auth; the text comes from SMS_TEMPLATE ({title}, {body})."""

    def send(self, delivery: Delivery) -> None:
        url = settings.SMS_GATEWAY_URL
        if not url:
            raise PermanentFailure("no SMS gateway configured")
        phone = getattr(getattr(delivery.user, "notify_preferences", None), "phone", "")
        if not phone:
            raise PermanentFailure("no mobile number")
        text = settings.SMS_TEMPLATE.format(**delivery.payload)[:320]
        request = urllib.request.Request(  # noqa: S310 - the operator configures the URL
            url,
            data=json.dumps({"to": phone, "text": text}).encode(),
            headers={"Content-Type": "application/json", **self._auth()},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=settings.NOTIFY_TIMEOUT_SECONDS):  # noqa: S310
                pass
        except urllib.error.HTTPError as exc:
            if 400 <= exc.code < 500 and exc.code != 429:
                raise PermanentFailure(f"gateway refused ({exc.code})") from exc
            raise TemporaryFailure(f"gateway error ({exc.code})") from exc
        except OSError as exc:
            raise TemporaryFailure(str(exc)[:500]) from exc

    def _auth(self) -> dict[str, str]:
        if not settings.SMS_GATEWAY_USER:
            return {}
        token = f"{settings.SMS_GATEWAY_USER}:{settings.SMS_GATEWAY_PASSWORD}".encode()
        return {"Authorization": "Basic " + b64encode(token).decode()}
