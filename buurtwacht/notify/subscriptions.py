"""A browser's push subscription, as static/web/notify.js sends it to the API
(PushSubscription.toJSON(), read by api/push.py): checked here before an action stores it.

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
import re
import socket
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from buurtwacht.core.errors import ActionError
from buurtwacht.notify.transports.webpush import is_public


class BadSubscription(ActionError):
    """An address or keys no push can be sent with (the API answers 400 with the code)."""


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


def _check_endpoint(endpoint: str) -> str:
    bad = BadSubscription(
        "bad_endpoint", _("This browser gave an unusable push address. Try another browser.")
    )
    if not 0 < len(endpoint) <= 1000 or not endpoint.isprintable():  # NUL, control characters
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


def check_subscription(*, endpoint: str, p256dh: str, auth: str) -> tuple[str, str, str]:
    """(endpoint, p256dh, auth) of PushSubscription.toJSON() checked, the keys as unpadded
    base64url; BadSubscription if no push could be sent with them."""
    endpoint = _check_endpoint(endpoint)
    try:
        public_key = _decode_key(p256dh, length=65)
        secret = _decode_key(auth, length=16)
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), public_key)  # on the curve?
    except ValueError:
        raise BadSubscription(
            "bad_keys", _("This browser gave unusable push keys. Try another browser.")
        ) from None
    return endpoint, _b64url(public_key), _b64url(secret)


def devices_text(count: int) -> str:
    """How many of the member's devices get push, for the preferences page."""
    if count == 0:
        return _("No device receives push notifications yet.")
    return ngettext(
        "%(count)d device receives push notifications.",
        "%(count)d devices receive push notifications.",
        count,
    ) % {"count": count}
