"""A local push service and SMS gateway on 127.0.0.1, and browser-side push keys."""

import base64
import json
import os
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from buurtwacht.notify import actions

ENDPOINT = "https://fcm.googleapis.com/fcm/send/abc123:def456"  # a browser's push address


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class LocalService:
    """Answers every POST with `status` (after `delay` seconds) and keeps what it got."""

    status: int = 201
    delay: float = 0.0
    received: list[Received] = field(default_factory=list)
    url: str = ""

    def paths(self) -> list[str]:
        return [r.path for r in self.received]


@pytest.fixture
def local_service(settings):
    settings.PUSH_LOCAL_SERVICES = True  # the push service below is on 127.0.0.1
    service = LocalService()
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            time.sleep(service.delay)
            with lock:
                headers = {k.lower(): v for k, v in self.headers.items()}
                service.received.append(Received(self.path, headers, body))
            self.send_response(service.status)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    service.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield service
    server.shutdown()


@dataclass
class BrowserKeys:
    """What a browser holds for one push subscription: an ECDH key pair and an auth secret."""

    private_key: ec.EllipticCurvePrivateKey
    auth: bytes

    @classmethod
    def new(cls) -> "BrowserKeys":
        return cls(private_key=ec.generate_private_key(ec.SECP256R1()), auth=os.urandom(16))

    @property
    def p256dh(self) -> str:
        return b64url(
            self.private_key.public_key().public_bytes(
                serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
            )
        )

    def decrypt(self, body: bytes) -> dict:
        import http_ece

        plain = http_ece.decrypt(
            body, private_key=self.private_key, auth_secret=self.auth, version="aes128gcm"
        )
        return json.loads(plain)


@pytest.fixture
def subscribe(local_service):
    def make(user, name: str | None = None) -> BrowserKeys:
        keys = BrowserKeys.new()
        actions.subscribe_push(
            user=user,
            endpoint=f"{local_service.url}/push/{name or user.pk}",
            p256dh=keys.p256dh,
            auth=b64url(keys.auth),
        )
        return keys

    return make
