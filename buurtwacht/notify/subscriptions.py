"""A browser's push subscription, as static/web/notify.js posts it (PushSubscription.toJSON()).

The task worker POSTs to whatever address is stored here, so the address is checked:
- always https; only with PUSH_LOCAL_SERVICES on (default: with DEBUG, a developer's own
  machine; tests turn it on) http(s)://localhost / 127.0.0.1 / [::1], for a local push service;
- its host is resolved now, and refused when it leads to this machine or a private network
  (``localhost.``, ``0x7f000001``, ``2130706433`` and names in internal DNS included).  A name
  that does not resolve now is kept: when sending, notify/transports/webpush.py checks the
  address each connection reached (which also catches a name that changes its address later).
"""

import base64
import binascii
import json
import re
import socket
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from django.utils.translation import gettext as _

from buurtwacht.notify.transports.webpush import is_public


class BadSubscription(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _decode_key(value: object, *, length: int) -> bytes:
    if not isinstance(value, str) or not re.fullmatch(r"[A-Za-z0-9_-]+={0,2}", value):
        raise ValueError(value)
    unpadded = value.rstrip("=")
    try:
        raw = base64.urlsafe_b64decode(unpadded + "=" * (-len(unpadded) % 4))
    except (binascii.Error, ValueError):
        raise ValueError(value) from None
    if len(raw) != length:
        raise ValueError(value)
    return raw


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


_LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}


def _leads_to_public_addresses(host: str) -> bool:
    try:
        found = socket.getaddrinfo(host, 443, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return True  # not resolvable now: checked on every connection when sending
    return all(is_public(str(info[4][0])) for info in found)


def _check_endpoint(endpoint: object) -> str:
    bad = BadSubscription(
        "bad_endpoint", _("This browser gave an unusable push address. Try another browser.")
    )
    if not isinstance(endpoint, str) or not 0 < len(endpoint) <= 1000:
        raise bad
    try:
        parts = urlsplit(endpoint)
        host = (parts.hostname or "").lower().rstrip(".")  # "localhost." is localhost
        parts.port  # noqa: B018 (raises ValueError on a bad port)
    except ValueError:
        raise bad from None
    if not host or parts.username or parts.password or any(c.isspace() for c in endpoint):
        raise bad
    local = host in _LOCAL_HOSTS or host.endswith(".localhost")
    if settings.PUSH_LOCAL_SERVICES and local and parts.scheme in ("http", "https"):
        return endpoint
    if parts.scheme != "https":
        raise BadSubscription(
            "insecure_endpoint", _("Push notifications only work over a secure (https) address.")
        )
    if local or not _leads_to_public_addresses(host):
        raise bad
    return endpoint


def parse_subscription(body: bytes) -> tuple[str, str, str]:
    """(endpoint, p256dh, auth) from PushSubscription.toJSON(), keys as unpadded base64url."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        data = None
    if not isinstance(data, dict):
        raise BadSubscription("bad_request", _("The request could not be read."))
    endpoint = _check_endpoint(data.get("endpoint"))
    keys = data.get("keys")
    bad_keys = BadSubscription(
        "bad_keys", _("This browser gave unusable push keys. Try another browser.")
    )
    if not isinstance(keys, dict):
        raise bad_keys
    try:
        p256dh = _decode_key(keys.get("p256dh"), length=65)
        auth = _decode_key(keys.get("auth"), length=16)
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), p256dh)  # on the curve?
    except ValueError:
        raise bad_keys from None
    return endpoint, _b64url(p256dh), _b64url(auth)


def endpoint_from(body: bytes) -> str | None:
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None
    endpoint = data.get("endpoint") if isinstance(data, dict) else None
    return endpoint if isinstance(endpoint, str) else None
