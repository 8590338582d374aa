"""Rendered HTML that is the same for every reader with the same inputs, rendered once per
process and reused: an alert card (for readers of one language and the same controls),
the card template, the alert form.

The key is a digest of everything the fragment is made of (its template, the language,
the data in their wire form, the reader's controls), so a fragment can never be stale: a
changed alert is another key.  What differs per request is rendered as a marker and put in
afterwards: the CSRF token, the stream position (`data-event`) and each form's fresh
client id (an idempotency key: never shared between two readers).

Kept in memory per process (least recently used out first, FRAGMENT_CACHE_SIZE), not in a
shared cache: rendering is what costs, and a second process renders its own copy once.
"""

import hashlib
import json
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

CSRF = "\x00csrf\x00"
EVENT = "\x00event\x00"
CLIENT_ID = "\x00client-id\x00"
SIZE = 4096  # fragments per process (an alert card is about 5 KB)


class Fragments:
    def __init__(self, size: int = SIZE) -> None:
        self.size = size
        self.kept: OrderedDict[bytes, str] = OrderedDict()
        self.lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: bytes) -> str | None:
        with self.lock:
            found = self.kept.get(key)
            if found is not None:
                self.kept.move_to_end(key)
                self.hits += 1
            else:
                self.misses += 1
            return found

    def put(self, key: bytes, html: str) -> None:
        with self.lock:
            self.kept[key] = html
            self.kept.move_to_end(key)
            while len(self.kept) > self.size:
                self.kept.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.kept.clear()
            self.hits = self.misses = 0


FRAGMENTS = Fragments()


def digest(*parts: Any) -> bytes:
    """A key for what a fragment is made of (JSON-able parts; other values by str())."""
    text = json.dumps(parts, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.blake2b(text.encode(), digest_size=20).digest()


def render(
    request: HttpRequest,
    template_name: str,
    context: Callable[[], dict[str, Any]],
    *,
    key: tuple[Any, ...],
    event: int | None = None,
) -> SafeString:
    """`template_name` rendered with what `context()` returns (called only when it is not
    kept yet), reused for the same `key`, which must name everything in the context that
    changes the output besides the language.  The context renders the markers:
    `csrf_token` is set here, client ids must be CLIENT_ID (see `client_id_initial`) and
    the position EVENT."""
    found_key = digest(template_name, get_language(), *key)
    html = FRAGMENTS.get(found_key)
    if html is None:
        html = render_to_string(template_name, {**context(), "csrf_token": CSRF})
        FRAGMENTS.put(found_key, html)
    return personal(request, html, event=event)


def personal(request: HttpRequest, html: str, *, event: int | None = None) -> SafeString:
    """The markers replaced for this request: its CSRF token, the position, and a fresh
    client id for each form (all plain ASCII: the HTML stays safe)."""
    html = html.replace(CSRF, _token(request))
    if event is not None:
        html = html.replace(EVENT, str(event))
    if CLIENT_ID in html:
        parts = html.split(CLIENT_ID)
        html = parts[0] + "".join(uuid.uuid4().hex + part for part in parts[1:])
    return mark_safe(html)  # noqa: S308 (rendered by the template engine, markers replaced)


def _token(request: HttpRequest) -> str:
    """The request's CSRF token, masked once per request (not once per fragment)."""
    token: str | None = getattr(request, "_fragments_csrf", None)
    if token is None:
        token = get_token(request)
        request._fragments_csrf = token  # type: ignore[attr-defined]
    return token


def client_id_initial() -> dict[str, str]:
    """`initial` for a form with a client_id field rendered into a fragment."""
    return {"client_id": CLIENT_ID}
