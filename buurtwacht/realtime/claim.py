"""One install per CHANNEL_PREFIX on a Redis.  Two installs that set the same explicit
prefix on one Redis would see each other's alerts (pub/sub ignores the db number), and
nothing would tell.  So `manage.py serve` claims the prefix at start with the identity
of its database, and refuses to start when another install (another database) holds it.
Processes of one install share the database, so they share the claim; the claim expires
CLAIM_SECONDS after its last renewal (every RENEW_SECONDS while a server runs), so an
install that is gone blocks nobody for long."""

import hashlib
import logging
import os
import socket
import threading

import redis
from django.conf import settings
from django.db import DatabaseError, connections

log = logging.getLogger(__name__)

CLAIM_SECONDS = 60
RENEW_SECONDS = 20


class PrefixTaken(Exception):
    """Another install holds this CHANNEL_PREFIX on this Redis."""


def database_identity() -> str:
    """What tells this install's database from any other: PostgreSQL's cluster id and the
    database's oid (a database with the same name on another server differs); for SQLite
    the file on this machine.  A digest: no host names or paths in Redis."""
    connection = connections["default"]
    db = connection.settings_dict
    parts = [connection.vendor, str(db.get("HOST") or ""), str(db.get("PORT") or "")]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT oid FROM pg_database WHERE datname = current_database()")
            parts.append(str(cursor.fetchone()[0]))
            try:
                with connection.cursor() as inner:
                    inner.execute("SELECT system_identifier FROM pg_control_system()")
                    parts.append(str(inner.fetchone()[0]))
            except DatabaseError:  # not every role may read it: the oid stays
                parts.append(str(db.get("NAME") or ""))
    else:
        name = str(db.get("NAME") or "")
        parts += [socket.gethostname(), os.path.realpath(name) if name else ""]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]


def _key(prefix: str) -> str:
    return f"buurtwacht:prefix-claim:{prefix}"


def claim(*, client: redis.Redis, prefix: str, identity: str) -> None:
    """Claim `prefix` for `identity` (or renew this install's claim); raises PrefixTaken
    when another identity holds it."""
    key = _key(prefix)
    if client.set(key, identity, nx=True, ex=CLAIM_SECONDS):
        return
    holder = client.get(key)
    if holder is None:  # expired in between
        if client.set(key, identity, nx=True, ex=CLAIM_SECONDS):
            return
        holder = client.get(key)
    if isinstance(holder, bytes):
        holder = holder.decode()
    if holder is not None and holder != identity:
        raise PrefixTaken(
            f"CHANNEL_PREFIX {prefix!r} is in use on this Redis by another install (another "
            f"database): the two would see each other's alerts.  Give this install a "
            f"CHANNEL_PREFIX of its own, or leave it unset (then it follows the database).  "
            f"A claim of an install that stopped expires after {CLAIM_SECONDS} seconds."
        )
    client.expire(key, CLAIM_SECONDS)


def claim_for_this_install() -> None:
    """At the start of `manage.py serve` with REDIS_URL: claim the prefix, and keep
    renewing it in a daemon thread while the server runs.  Raises PrefixTaken.  With Redis
    away at the start the server starts (its sockets wait for the channel layer, as after
    a cut) and the thread claims the prefix once Redis answers."""
    timeout = settings.LAYER_TIMEOUT_SECONDS
    client = redis.Redis.from_url(
        settings.REDIS_URL, socket_timeout=timeout, socket_connect_timeout=timeout
    )
    identity = database_identity()
    prefix = settings.CHANNEL_PREFIX
    try:
        claim(client=client, prefix=prefix, identity=identity)
    except redis.RedisError as away:
        log.warning("Redis did not answer the CHANNEL_PREFIX claim (%s): trying again", away)

    def renew() -> None:
        stop = threading.Event()
        while not stop.wait(RENEW_SECONDS):
            try:
                claim(client=client, prefix=prefix, identity=identity)
            except PrefixTaken as taken:  # ours expired (Redis away) and another took it
                log.error("%s", taken)
            except redis.RedisError:
                continue  # Redis away for a moment: the liveness probe handles sockets

    threading.Thread(target=renew, name="prefix-claim", daemon=True).start()
