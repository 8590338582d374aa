import ipaddress
import json
import socket
import threading
from typing import Any

import requests
from django.conf import settings
from pywebpush import WebPushException, webpush
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from buurtwacht.notify.keys import vapid
from buurtwacht.notify.models import Delivery

from .base import PermanentFailure, TemporaryFailure


class PrivatePushService(Exception):
    """The push address led to this machine or a private network."""


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global


class _PublicPeer:
    """Checks the address a connection actually reached, before a byte is sent: a push
    address is chosen by a browser (so by anyone with an account), and its host name may
    resolve to an internal address, also only later than the check when subscribing."""

    def _new_conn(self) -> socket.socket:
        sock: socket.socket = super()._new_conn()  # type: ignore[misc]
        peer = sock.getpeername()[0]
        if not settings.PUSH_LOCAL_SERVICES and not is_public(peer):
            sock.close()
            raise PrivatePushService(f"push address leads to {peer}, not a public address")
        return sock


class _PublicHTTPConnection(_PublicPeer, HTTPConnection):
    pass


class _PublicHTTPSConnection(_PublicPeer, HTTPSConnection):
    pass


class _PublicHTTPPool(HTTPConnectionPool):
    ConnectionCls = _PublicHTTPConnection


class _PublicHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _PublicHTTPSConnection


class _PublicOnlyAdapter(HTTPAdapter):
    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {
            "http": _PublicHTTPPool,
            "https": _PublicHTTPSPool,
        }


class WebPushTransport:
    """VAPID-signed, aes128gcm-encrypted Web Push (RFC 8030/8291/8292).  Each sending
    thread keeps its own HTTP session, so pushes to one push service reuse connections."""

    def __init__(self) -> None:
        self._local = threading.local()

    def _session(self) -> requests.Session:
        if not hasattr(self._local, "session"):
            session = requests.Session()
            session.mount("http://", _PublicOnlyAdapter())
            session.mount("https://", _PublicOnlyAdapter())
            self._local.session = session
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
        except PrivatePushService as exc:
            raise PermanentFailure(str(exc)) from exc
        except WebPushException as exc:
            status = exc.response.status_code if exc.response is not None else None
            if status in (404, 410):  # the browser dropped the subscription
                raise PermanentFailure(f"subscription gone ({status})") from exc
            raise TemporaryFailure(str(exc)[:500]) from exc
        except OSError as exc:  # connection refused, timeout (requests' errors are OSErrors)
            raise TemporaryFailure(str(exc)[:500]) from exc
