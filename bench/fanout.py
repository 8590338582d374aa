#!/usr/bin/env python3
"""Alert fan-out benchmark: how long an event posted by one member of a group takes to be
on every other member's screen, on the real server (`manage.py serve`), with clients that
do what the browser's client (buurtwacht/web/static/web/live.js) does to show it.

    .venv/bin/python bench/fanout.py [--members 16 64 256] [--alerts 20] [--rate 5]
                                     [--ack-rate 20] [--mode embedded|scaled|both]
                                     [--client render|fetch] [--json out.json]

Modes
    embedded  a fresh SQLite file in a temporary DATA_DIR, the in-memory channel layer,
              one `manage.py serve` process.
    scaled    PostgreSQL database `buurtwacht_bench` (dropped and created), Redis db 15
              (flushed) as REDIS_URL, two `manage.py serve` processes on two ports.  Members
              connect round-robin to both; the sender is on the first, so half of the
              deliveries cross processes through Redis.

Per mode the database is migrated (`manage.py migrate`) and filled by a setup subprocess
(`fanout.py _setup`, same environment): the real BAG rows of one street are imported with
`import_addresses`, max(N) residents with a home address on that street are created (unusable
passwords and bulk-created memberships: benchmark setup, not product code), one group per N is
created with `create_group` (member 0 founds it and is the sender), two more groups of max(N)
members with 5 and 500 bulk-created alerts (--page-alerts) for the group page, and every
member gets a Django session.

The client (one asyncio process for all members), as live.js:
    * load the group page (GET /groepen/<id>/ with the session cookie) and read what live.js
      reads from <section id="live">: position, seq, user, admin, time zone, message texts;
    * open the WebSocket (Origin, Cookie) and subscribe with since=position;
    * for every frame: parse the JSON; per group keep (position, seq): seq <= last is a
      duplicate (ignored, counted), seq > last + 1 a gap (not shown, counted; resubscribe
      once with since=position until "subscribed"), seq == last + 1 is shown; a heartbeat
      whose seq is ahead resubscribes; "subscribed" with more=true asks for the next page;
      silence for 3 heartbeats closes the socket; a closed socket reconnects with backoff
      (after a "retry" frame and 1013: when the server said) and subscribes with
      since=position (4401: stop);
    * show an event from what it carries, with NO HTTP request (live.js makes none since
      a73050a): every field live.js puts into the card template (kind label, street, map
      link, times as HH:MM in the page's time zone, by, what, direction, facts, the 112 and
      0900 lines, seen/going, updates, outcome, close button) into the member's card.
    --client fetch does instead what live.js did before a73050a: for every alert event
    GET /meldingen/<id>/ with the member's cookie (at most 6 connections per member, as a
    browser) and the event is shown once the response is read.  To reproduce the old
    rendered path, serve that code: --code-root <export of a73050a~1> (on newer code the URL
    serves a whole page instead of the card).

Scenarios per N (after an untimed warm-up alert that must reach everyone)
    isolated  K alerts, one at a time: the next is sent when the previous has reached all
              N - 1 recipients (plus a short idle gap).  The critical path on an idle server.
    rate      K alerts on a fixed schedule (--rate per second) and, alongside,
              --ack-rate acknowledgements per second ({"type": "ack", "kind": "seen"} on the
              acknowledger's socket) from members other than the sender, spread over the 4
              most recent alerts and over the members (each member acknowledges an alert at
              most once; an alert never has two in flight).  Sends are sequential: the sender
              waits for the server's "ok" before the next send, so a saturated server slows
              the sender (closed loop); the achieved rates are reported.

Latency of one delivery = perf_counter_ns() when the member has shown the event (after
parsing, the seq check and filling its card; with --client fetch: after the response was
read) minus perf_counter_ns() just before the sender's or acknowledger's frame was written;
all clients live in this one process.  alert.created and alert.acknowledged are reported
apart and together.  Deliveries expected = (alerts + acknowledgements) x (N - 1): the copy of
the member who caused an event is not counted there (the sender's is "self echo").  Anything
missing after the drain timeout is lost.  Besides, every member must have shown every event
of the group exactly once: after the drain, each member's seq must equal the group's latest
seq as the group page says ("behind" otherwise).  Server CPU seconds (utime + stime from
/proc) cover the timed window of a scenario (first send to last delivery), RSS is read at its
end.

Group page: before the fan-out, a member fetches GET /groepen/<id>/ of the 5- and the
500-alert group --page-fetches times one after the other on one keep-alive connection (after
one untimed request); reported: p50/p99/max of request to last byte over loopback, the
server's CPU per request, the response size.

Only loopback hosts are accepted.  Every wait is bounded (--scenario-timeout,
--max-runtime); servers, temporary directories and the benchmark database are removed on exit,
also after an error or Ctrl-C.  Exit codes: 0 all delivered, 2 losses, duplicates, members
behind or errors, 3 timeout, 1 other failure.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import csv
import datetime as dt
import html
import ipaddress
import json
import os
import platform
import random
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent  # where the server code is: see --code-root
STREET = "Grote Beerstraat"
ADDRESSES_CSV = "buurtwacht/demo/open_data/groningen_addresses.csv"
PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_DB = "buurtwacht_bench"
REDIS_BENCH_URL = "redis://127.0.0.1:6379/15"
# Group and user ids start here, so the channel names (group.<id>, user.<id>) on the shared
# Redis (pub/sub ignores the db number) cannot meet those of a test run elsewhere.
ID_BASE = 900_000
SETUP_MARK = "BENCH_SETUP_JSON "


class BenchTimeout(Exception):
    pass


# ----------------------------------------------------------------------------------------
# setup subprocess: `fanout.py _setup spec.json` (Django configured from the environment)
# ----------------------------------------------------------------------------------------


def setup_main(spec_path: str) -> None:
    spec = json.loads(Path(spec_path).read_text())
    sys.path.insert(0, spec["code_root"])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "buurtwacht.settings")
    import django

    django.setup()
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import connection, transaction

    from buurtwacht.accounts.models import HomeAddress, User
    from buurtwacht.geo.actions import import_addresses
    from buurtwacht.geo.models import Address, Street
    from buurtwacht.groups import actions as group_actions
    from buurtwacht.groups.models import Group, Membership, MembershipRole, MembershipStatus

    started = time.perf_counter()
    import_addresses(path=spec["csv"])
    streets = list(Street.objects.filter(name=STREET))
    street = streets[0]
    homes = list(Address.objects.filter(street=street).order_by("number", "letter", "suffix"))
    count = max(spec["sizes"])
    with transaction.atomic():
        users = []
        for i in range(count):
            user = User(
                pk=ID_BASE + i + 1,
                email=f"bench{i}@example.nl",
                name=f"Bench Lid {i}",
                date_of_birth=dt.date(1980, 1, 1),
            )
            user.set_unusable_password()
            users.append(user)
        User.objects.bulk_create(users)
        HomeAddress.objects.bulk_create(
            HomeAddress(
                user=user,
                street=street.name,
                number=home.number,
                letter=home.letter,
                addition=home.suffix,
                postcode=home.postcode,
                city=street.city,
                municipality_code=street.municipality_code,
                lon=home.lon,
                lat=home.lat,
            )
            for i, user in enumerate(users)
            for home in [homes[i % len(homes)]]
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)",
                [Group._meta.db_table, ID_BASE],
            )
    elif connection.vendor == "sqlite":
        with connection.cursor() as cursor:  # AUTOINCREMENT tables keep their counter here
            cursor.execute(
                "INSERT OR REPLACE INTO sqlite_sequence (name, seq) VALUES (%s, %s)",
                [Group._meta.db_table, ID_BASE],
            )
    founder = User.objects.get(pk=users[0].pk)

    def bench_group(name: str, description: str, members: list[Any]) -> Any:
        """A group founded by user 0, the others bulk-added as active members."""
        group = group_actions.create_group(
            founder=founder,
            new=group_actions.NewGroup(
                name=name,
                description=description,
                municipality_code=street.municipality_code,
                street_ids=[street.pk],
            ),
            overlaps_confirmed=True,
        )
        Membership.objects.bulk_create(
            Membership(
                group=group,
                user=user,
                role=MembershipRole.MEMBER,
                status=MembershipStatus.ACTIVE,
                rules_accepted_version=group.rules_version,
            )
            for user in members
        )
        return group

    groups = {
        str(size): bench_group(f"Bench {STREET} {size}", "Fan-out benchmark", users[1:size]).pk
        for size in sorted(set(spec["sizes"]))
    }
    page_groups = {}
    for alerts in sorted(set(spec["page_alerts"])):
        group = bench_group(f"Bench {STREET} pagina {alerts}", "Group page benchmark", users[1:])
        fill_alerts(group=group, street=street, users=users, count=alerts)
        page_groups[str(alerts)] = group.pk
    sessions = []
    with transaction.atomic():
        for user in users:
            store = SessionStore()
            store["_auth_user_id"] = str(user.pk)
            store["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
            store["_auth_user_hash"] = user.get_session_auth_hash()
            store.create()
            sessions.append(store.session_key)
    out = {
        "street_id": street.pk,
        "addresses": len(homes),
        "groups": groups,
        "page_groups": page_groups,
        "sessions": sessions,
        "user_ids": [u.pk for u in users],
        "seconds": time.perf_counter() - started,
    }
    print(SETUP_MARK + json.dumps(out), flush=True)


def fill_alerts(*, group: Any, street: Any, users: list[Any], count: int) -> None:
    """`count` alerts in `group`, bulk-created (benchmark setup, not product code), in the
    variety a card shows: person and vehicle facts, a direction, acknowledgements, updates,
    a 112 call, every sixth one closed.  No stream events: the page reads the alerts."""
    from django.db import transaction
    from django.utils import timezone

    from buurtwacht.alerts.models import (
        AckKind,
        Acknowledgement,
        Alert,
        AlertKind,
        AlertUpdate,
        CallChannel,
        Direction,
        Outcome,
        PoliceCall,
    )

    now = timezone.now()
    kinds, directions, outcomes = list(AlertKind.values), list(Direction.values), list(Outcome)
    with transaction.atomic():
        made = Alert.objects.bulk_create(
            Alert(
                group=group,
                author=users[j % len(users)],
                client_id=f"bench-page-{j}",
                kind=kinds[j % len(kinds)],
                what=f"Benchmark alert {j}: someone tries the doors of parked cars",
                street=street,
                lon=6.55 + j * 1e-5 if j % 2 else None,
                lat=53.22 + j * 1e-5 if j % 2 else None,
                seen_at=now - dt.timedelta(minutes=count - j),
                direction=directions[j % len(directions)],
                person={"clothing_top": "dark jacket", "height": "1.80 m"} if j % 3 else {},
                vehicle={"colour": "grey", "make": "Opel"} if j % 4 == 0 else {},
                closed_at=now if j % 6 == 0 else None,
                closed_by=users[0] if j % 6 == 0 else None,
                outcome=outcomes[j % len(outcomes)] if j % 6 == 0 else "",
            )
            for j in range(count)
        )
        Acknowledgement.objects.bulk_create(
            Acknowledgement(alert=alert, user=users[(j + i) % len(users)], kind=kind)
            for j, alert in enumerate(made)
            for kind, many in ((AckKind.SEEN, j % 7), (AckKind.GOING, j % 3))
            for i in range(min(many, len(users)))
        )
        AlertUpdate.objects.bulk_create(
            AlertUpdate(
                alert=alert,
                author=users[(j + i) % len(users)],
                client_id=f"bench-page-{j}-{i}",
                text=f"Update {i}: now walking north",
            )
            for j, alert in enumerate(made)
            if j % 4 == 1
            for i in range(2)
        )
        PoliceCall.objects.bulk_create(
            PoliceCall(alert=alert, user=users[j % len(users)], channel=CallChannel.EMERGENCY)
            for j, alert in enumerate(made)
            if j % 5 == 0
        )


# ----------------------------------------------------------------------------------------
# helpers
# ----------------------------------------------------------------------------------------


def check_loopback(host: str) -> None:
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except socket.gaierror as exc:
        sys.exit(f"cannot resolve {host!r}: {exc}")
    for info in infos:
        if not ipaddress.ip_address(info[4][0]).is_loopback:
            sys.exit(f"refusing non-loopback host {host!r} ({info[4][0]})")


def free_port(host: str) -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def percentile(ordered: list[float], p: float) -> float:
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * p / 100
    lo = int(k)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def summary_ms(values_ns: list[int]) -> dict[str, Any]:
    v = sorted(x / 1e6 for x in values_ns)
    if not v:
        return {"n": 0}
    return {
        "n": len(v),
        "min": v[0],
        "p50": percentile(v, 50),
        "p90": percentile(v, 90),
        "p99": percentile(v, 99),
        "max": v[-1],
        "mean": sum(v) / len(v),
    }


def proc_cpu_s(pid: int) -> float:
    try:
        data = Path(f"/proc/{pid}/stat").read_text()
        fields = data[data.rindex(")") + 2 :].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return float("nan")


def proc_rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        pass
    return float("nan")


def machine_cpu() -> tuple[float, float, float]:
    """(busy, steal, total) jiffies of all cores: what else ran on the machine, and how much
    time the hypervisor gave to other guests (steal), which makes figures differ between
    otherwise equal machines."""
    parts = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = parts[3] + parts[4]
    total = sum(parts[:8])
    return total - idle, parts[7], total


def self_cpu_s() -> float:
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return ru.ru_utime + ru.ru_stime


# ----------------------------------------------------------------------------------------
# processes and environments
# ----------------------------------------------------------------------------------------


class Processes:
    """Every process this script starts; stopped by their own process group id."""

    def __init__(self) -> None:
        self.procs: list[subprocess.Popen[bytes]] = []

    def start(self, args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
        with log.open("wb") as out:
            proc = subprocess.Popen(
                args,
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.procs.append(proc)
        return proc

    def stop_all(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGTERM)
        deadline = time.monotonic() + 10
        for proc in self.procs:
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=5)
        self.procs.clear()


def run_checked(args: list[str], env: dict[str, str], timeout: float, what: str) -> str:
    try:
        done = subprocess.run(
            args,
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            start_new_session=True,
        )
    except subprocess.TimeoutExpired as exc:
        raise BenchTimeout(f"{what} took more than {timeout:.0f} s") from exc
    if done.returncode != 0:
        raise RuntimeError(f"{what} failed ({done.returncode}):\n{done.stderr[-1500:]}")
    return done.stdout


def base_env(data_dir: Path, host: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(
        DJANGO_SETTINGS_MODULE="buurtwacht.settings",
        DATA_DIR=str(data_dir),
        SECRET_KEY="bench-" + uuid.uuid4().hex,
        HTTPS="0",
        DEBUG="0",
        ALLOWED_HOSTS=f"{host},localhost",
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
        PYTHONPATH=str(ROOT),
    )
    return env


def reset_postgres() -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=10) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {PG_DB}")


def drop_postgres() -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=10) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")


def flush_redis() -> None:
    import redis

    client = redis.Redis.from_url(REDIS_BENCH_URL, socket_timeout=10)
    try:
        client.flushdb()
    finally:
        client.close()


def redis_cpu_s() -> float:
    import redis

    try:
        client = redis.Redis.from_url(REDIS_BENCH_URL, socket_timeout=5)
        try:
            info = client.info("cpu")
        finally:
            client.close()
        return float(info["used_cpu_sys"]) + float(info["used_cpu_user"])
    except Exception:
        return float("nan")


def street_csv(dest: Path) -> Path:
    """The benchmark street's addresses, from the open data that ships with Buurtwacht."""
    source = Path(__file__).resolve().parent.parent / ADDRESSES_CSV
    with source.open(newline="") as src, dest.open("w", newline="") as dst:
        rows = csv.reader(src)
        writer = csv.writer(dst)
        writer.writerow(next(rows))
        writer.writerows(row for row in rows if row[0] == STREET)
    return dest


def wait_listening(proc: subprocess.Popen[bytes], host: str, port: int, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server on port {port} exited:\n{log.read_text()[-3000:]}")
        with socket.socket() as sock:
            sock.settimeout(0.5)
            if sock.connect_ex((host, port)) == 0:
                return
        time.sleep(0.1)
    raise BenchTimeout(f"server on port {port} did not listen within 60 s")


# ----------------------------------------------------------------------------------------
# the browser's client (live.js) in Python
# ----------------------------------------------------------------------------------------

HEARTBEAT_SECONDS = 10  # the server's; live.js closes a socket silent for 3 of them
LIVE_SECTION = re.compile(r'<section id="live"(.*?)>', re.S)
DATA_ATTR = re.compile(r'\sdata-([a-z0-9-]+)="([^"]*)"')
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def live_data(page: str) -> dict[str, str]:
    """The data-* attributes of the group page's <section id="live">: what live.js reads
    (group, position, seq, user, admin, lang, tz and the message patterns)."""
    found = LIVE_SECTION.search(page)
    if found is None:
        raise RuntimeError('the group page has no <section id="live">')
    return {name: html.unescape(value) for name, value in DATA_ATTR.findall(found.group(1))}


def fill(pattern: str, values: dict[str, Any]) -> str:
    """live.js fill(): "{name}" placeholders."""
    return PLACEHOLDER.sub(
        lambda m: str(values[m.group(1)]) if m.group(1) in values else m.group(0), pattern
    )


class Screen:
    """What live.js keeps of one member's group page, and its showAlert/showChat: every
    field live.js puts into the card <template>, formatted as it formats them."""

    def __init__(self, data: dict[str, str]) -> None:
        self.me = int(data.get("user") or 0)
        self.is_admin = data.get("admin") == "1"
        self.zone = ZoneInfo(data["tz"]) if data.get("tz") else None
        self.msg_call_emergency = data.get("msg-call-emergency", "{name} {time}")
        self.msg_call_police = data.get("msg-call-police", "{name}")
        self.msg_acks = data.get("msg-acks", "{seen} {going}")
        self.msg_new = data.get("msg-new", "{kind} {where}")
        self.cards: dict[int, dict[str, Any]] = {}
        self.open: list[int] = []  # newest first, as #alerts
        self.closed: list[int] = []  # as #closed-list
        self.announce = ""
        self.chat: list[str] = []

    def time(self, iso: str | None) -> str:  # Intl.DateTimeFormat, 2-digit hour and minute
        if not iso:
            return ""
        return dt.datetime.fromisoformat(iso).astimezone(self.zone).strftime("%H:%M")

    def show_alert(self, alert: dict[str, Any], event_id: int, kind: str) -> None:
        card = self.cards.get(alert["id"])
        if card is not None and card["event"] >= event_id:
            return  # the page is newer
        is_new = card is None
        call, police = alert["call_112"], alert["call_0900"]
        lat, lon = alert["lat"], alert["lon"]
        card = {
            "event": event_id,
            "kind_label": alert["kind_label"],
            "street": alert["street"],
            "map": (
                f"https://www.openstreetmap.org/?mlat={lat:.6f}&mlon={lon:.6f}"
                f"#map=18/{lat:.6f}/{lon:.6f}"
                if lat is not None
                else None
            ),
            "seen_at": self.time(alert["seen_at"]),
            "by": alert["by"],
            "what": alert["what"],
            "direction_label": alert["direction_label"] if alert["direction"] else None,
            "facts": [(f["label"], f["value"]) for f in alert["facts"]],
            "call_112": (
                fill(self.msg_call_emergency, {"name": call["by"], "time": self.time(call["at"])})
                if call
                else ""
            ),
            "call_0900": fill(self.msg_call_police, {"name": police["by"]}) if police else "",
            "acks": fill(self.msg_acks, {"seen": alert["seen"], "going": alert["going"]}),
            "updates": [f"{u['by']}: {u['text']}" for u in alert["updates"]],
            "outcome_label": alert["outcome_label"],
            "closed": alert["closed"],
            "can_close": self.is_admin or alert["author"] == self.me,
        }
        self.cards[alert["id"]] = card
        if alert["closed"]:
            if alert["id"] not in self.closed:
                self.closed.insert(0, alert["id"])
        elif is_new:
            self.open.insert(0, alert["id"])
        if kind == "alert.created":
            self.announce = fill(
                self.msg_new, {"kind": alert["kind_label"], "where": alert["street"]}
            )

    def show_chat(self, message: dict[str, Any]) -> None:
        self.chat.append(f"{message['by']}: {message['text']}")


@dataclass
class Member:
    index: int
    server: int  # which server process it is connected to
    session: str
    ws: Any = None
    http: Any = None  # aiohttp session carrying the member's cookie (the page; --client fetch)
    reader: asyncio.Task[None] | None = None
    screen: Screen | None = None
    position: int = 0  # id of the last event shown
    seq: int | None = 0  # its seq (None: the page did not say; taken from the first event)
    resyncing: bool = False
    stopped: bool = False
    retry: int = 0
    retry_after: float | None = None  # seconds, from the server's "retry" frame
    last_frame: float = 0.0
    errors: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Pending:
    """One timed event: who caused it, when its frame was written, who has shown it."""

    kind: str  # "created" | "ack"
    origin: int  # the member whose frame caused it (sender or acknowledger)
    t0: int = 0
    got: dict[int, int] = field(default_factory=dict)  # member -> shown at (ns)
    echo: int | None = None  # the origin's own copy
    done: asyncio.Event = field(default_factory=asyncio.Event)


class Recorder:
    """The timed events of one scenario: alert.created of the alerts whose `what` carries
    this tag, and alert.acknowledged of the acknowledgements sent in it (an alert's k-th
    "seen" shows seen == k: acknowledgements of one alert are never in flight together)."""

    def __init__(self, tag: str, members: int) -> None:
        self.tag = tag
        self.recipients = members - 1  # everyone but the origin
        self.pending: dict[tuple[Any, ...], Pending] = {}
        self.expected = 0
        self.received = 0
        self.sending_done = False
        self.all_done = asyncio.Event()
        self.other = 0  # events shown that this scenario did not cause (warm-up, ...)

    def expect(self, key: tuple[Any, ...], kind: str, origin: int) -> Pending:
        pending = self.pending[key] = Pending(kind=kind, origin=origin)
        self.expected += self.recipients
        return pending

    def withdraw(self, key: tuple[Any, ...]) -> None:
        """A send that the server refused: no event will come."""
        pending = self.pending.pop(key)
        self.expected -= self.recipients
        self.received -= len(pending.got)
        self._check()

    def finish_sending(self) -> None:
        self.sending_done = True
        self._check()

    def _check(self) -> None:
        if self.sending_done and self.received >= self.expected:
            self.all_done.set()

    def key_of(self, message: dict[str, Any]) -> tuple[Any, ...] | None:
        alert = message["alert"]
        if message["type"] == "alert.created":
            parts = str(alert.get("what", "")).split(":")
            if len(parts) == 3 and parts[0] == "bench" and parts[1] == self.tag:
                return ("created", int(parts[2]))
        elif message["type"] == "alert.acknowledged":
            return ("ack", alert["id"], alert["seen"])
        return None

    def on_shown(self, member: int, message: dict[str, Any], t_ns: int) -> None:
        key = self.key_of(message) if "alert" in message else None
        pending = self.pending.get(key) if key is not None else None
        if pending is None:
            self.other += 1
            return
        if member == pending.origin:
            if pending.echo is None:
                pending.echo = t_ns
            return
        if member in pending.got:  # cannot happen with the seq rule; counted all the same
            self.received -= 1
        pending.got[member] = t_ns
        self.received += 1
        if len(pending.got) == self.recipients:
            pending.done.set()
        self._check()


class Hub:
    """The clients' shared side: routes replies by ref, runs live.js's receive() for every
    member, and hands what a member has shown to the scenario's recorder."""

    def __init__(self, group_id: int, client: str) -> None:
        self.group_id = group_id
        self.client = client  # "render" (live.js now) | "fetch" (live.js before a73050a)
        self.replies: dict[str, asyncio.Future[dict[str, Any]]] = {}
        self.recorder: Recorder | None = None
        self.closing = False
        self.count: Counter[str] = Counter()  # per scenario: gaps, resubscribes, duplicates...
        self.fetches: set[asyncio.Task[None]] = set()

    # --- the socket ------------------------------------------------------------------

    async def connect(self, member: Member, url: str, timeout: float) -> None:
        import websockets

        member.ws = await websockets.connect(
            f"ws://{url}/ws/",
            additional_headers={
                "Origin": f"http://{url}",
                "Cookie": f"sessionid={member.session}",
            },
            open_timeout=timeout,
            max_queue=None,
        )
        member.last_frame = time.monotonic()

    async def subscribe(self, member: Member, *, wait: float | None = None) -> dict | None:
        """live.js subscribe(): since=position (the page's, then the last event shown)."""
        member.resyncing = True
        message = {"type": "subscribe", "group": self.group_id, "since": member.position}
        if wait is not None:
            return await self.request(member, message, wait)
        await member.ws.send(json.dumps(message))
        return None

    async def resync(self, member: Member, cause: str) -> None:
        if member.resyncing:
            return
        self.count[f"resubscribe_{cause}"] += 1
        with contextlib.suppress(Exception):  # a closed socket resubscribes on reconnect
            await self.subscribe(member)

    async def run(self, member: Member, url: str, timeout: float) -> None:
        """The reader: live.js's onmessage, and onclose with its reconnect."""
        while True:
            ws = member.ws
            with contextlib.suppress(Exception):  # the socket closed (or never opened)
                async for raw in ws:
                    member.last_frame = time.monotonic()
                    try:
                        await self.receive(member, json.loads(raw))
                    except Exception as exc:  # the harness's own fault: counted, fails the run
                        self.count["client_errors"] += 1
                        member.errors.append({"type": "client_error", "error": repr(exc)})
            member.resyncing = False
            if self.closing or member.stopped:
                return
            code = getattr(ws, "close_code", None)
            if code == 4401:  # the session ended: live.js stops and tells the user
                member.stopped = True
                member.errors.append({"type": "closed", "code": code})
                return
            self.count["reconnects"] += 1
            if code == 1013 and member.retry_after is not None:  # the server said when
                self.count["paced"] += 1
                await asyncio.sleep(member.retry_after)
            else:
                member.retry = 0 if code == 1012 else min(member.retry + 1, 5)
                await asyncio.sleep(0.25 * 2**member.retry + random.random())
            member.retry_after = None
            if self.closing:
                return
            with contextlib.suppress(Exception):
                await self.connect(member, url, timeout)
                await self.subscribe(member)

    async def watch(self, members: list[Member]) -> None:
        """live.js watch(): a socket silent for three heartbeats is closed (and reconnects)."""
        while not self.closing:
            await asyncio.sleep(1)
            now = time.monotonic()
            for member in members:
                if member.ws is not None and now - member.last_frame > 3 * HEARTBEAT_SECONDS:
                    member.last_frame = now
                    self.count["silence_closes"] += 1
                    task = asyncio.create_task(member.ws.close())
                    self.fetches.add(task)  # kept (and cancelled at the end) with the fetches
                    task.add_done_callback(self.fetches.discard)

    async def receive(self, member: Member, message: dict[str, Any]) -> None:
        kind = message.get("type")
        ref = message.get("ref")
        if ref is not None and ref in self.replies:
            future = self.replies.pop(ref)
            if not future.done():
                future.set_result(message)
            if kind != "subscribed":
                return
        if kind == "subscribed":
            member.resyncing = False
            member.retry = 0
            if member.seq is None and isinstance(message.get("seq"), int):
                member.seq = message["seq"]
            if message.get("more"):
                await self.resync(member, "more")
            return
        if kind == "retry":  # a reconnect storm: come back then (realtime/pacing.py)
            member.retry_after = max(0.0, float(message.get("after_ms", 0)) / 1000)
            return
        if kind == "heartbeat":
            self.count["heartbeats"] += 1
            head = (message.get("groups") or {}).get(str(self.group_id))
            if head and member.seq is not None and head.get("seq", 0) > member.seq:
                await self.resync(member, "heartbeat")
            return
        if kind == "revoked":
            member.stopped = True
            member.errors.append(message)
            with contextlib.suppress(Exception):
                await member.ws.close()
            return
        if kind == "error":
            member.errors.append(message)
            return
        seq = message.get("seq")
        if not isinstance(seq, int) or message.get("group") != self.group_id:
            self.count["other_frames"] += 1
            return
        if member.seq is None:  # a page without data-seq (code before a73050a)
            member.seq = seq - 1
        if seq <= member.seq:  # shown already
            # While a resubscribe is under way the replay may repeat what the socket had
            # just sent (a heartbeat that overtook its events): expected, and ignored.
            self.count["duplicates_replay" if member.resyncing else "duplicates"] += 1
            return
        if seq != member.seq + 1:
            self.count["gaps"] += 1
            await self.resync(member, "gap")
            return
        member.seq = seq
        member.position = message["id"]
        rec = self.recorder
        screen = member.screen
        assert screen is not None  # loaded with the page, before the socket opened
        if "alert" in message:
            if self.client == "fetch":
                task = asyncio.create_task(self.fetch_card(member, message, rec))
                self.fetches.add(task)
                task.add_done_callback(self.fetches.discard)
                return
            screen.show_alert(message["alert"], message["id"], message["type"])
        elif "message" in message:
            screen.show_chat(message["message"])
        if rec is not None:
            rec.on_shown(member.index, message, time.perf_counter_ns())

    async def fetch_card(
        self, member: Member, message: dict[str, Any], rec: Recorder | None
    ) -> None:
        """live.js before a73050a: GET /meldingen/<id>/ for every alert event and put the
        HTML in place; shown once the response is read."""
        try:
            async with member.http.get(f"/meldingen/{message['alert']['id']}/") as response:
                body = await response.text()
                if response.status != 200:
                    self.count["fetch_errors"] += 1
                    return
        except Exception:
            self.count["fetch_errors"] += 1
            return
        self.count["fetch_bytes"] += len(body)
        if rec is not None:
            rec.on_shown(member.index, message, time.perf_counter_ns())

    async def request(self, member: Member, message: dict[str, Any], timeout: float) -> dict:
        ref = uuid.uuid4().hex
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self.replies[ref] = future
        await member.ws.send(json.dumps({**message, "ref": ref}))
        return await asyncio.wait_for(future, timeout)


def http_session(url: str, session: str, limit: int) -> Any:
    import aiohttp

    return aiohttp.ClientSession(
        base_url=f"http://{url}",
        headers={"Cookie": f"sessionid={session}"},
        connector=aiohttp.TCPConnector(limit=limit),
        cookie_jar=aiohttp.DummyCookieJar(),
    )


async def get_text(http: Any, path: str) -> str:
    async with http.get(path) as response:
        body = await response.text()
        if response.status != 200:
            raise RuntimeError(f"GET {path}: {response.status}")
        return body


async def group_head(http: Any, group_id: int) -> tuple[int, int | None]:
    """(position, seq) of the group's latest event, as the group page says (the database)."""
    data = live_data(await get_text(http, f"/groepen/{group_id}/"))
    return int(data.get("position") or 0), int(data["seq"]) if data.get("seq") else None


async def open_members(
    *, urls: list[str], sessions: list[str], count: int, hub: Hub, timeout: float
) -> list[Member]:
    """As a browser: load the group page (position, seq and texts for live.js), open the
    socket, subscribe with since=position."""
    members = [Member(index=i, server=i % len(urls), session=sessions[i]) for i in range(count)]
    gate = asyncio.Semaphore(8)

    async def open_one(member: Member) -> None:
        async with gate:
            url = urls[member.server]
            # 6 connections per host, as a browser (only --client fetch needs more than one)
            member.http = http_session(url, member.session, 6)
            data = live_data(await get_text(member.http, f"/groepen/{hub.group_id}/"))
            if int(data.get("group") or 0) != hub.group_id:
                raise RuntimeError(f"member {member.index}: the page is not group {hub.group_id}")
            member.screen = Screen(data)
            member.position = int(data.get("position") or 0)
            member.seq = int(data["seq"]) if data.get("seq") else None
            await hub.connect(member, url, timeout)
            member.reader = asyncio.create_task(hub.run(member, url, timeout))
            reply = await hub.subscribe(member, wait=timeout)
            if not reply or reply.get("type") != "subscribed":
                raise RuntimeError(f"member {member.index} could not subscribe: {reply}")

    await asyncio.wait_for(asyncio.gather(*(open_one(m) for m in members)), timeout)
    return members


async def close_members(hub: Hub, members: list[Member]) -> None:
    hub.closing = True
    for task in list(hub.fetches):
        task.cancel()

    async def close(member: Member) -> None:
        if member.ws is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(member.ws.close(), 5)
        if member.reader is not None:
            member.reader.cancel()
            with contextlib.suppress(BaseException):
                await member.reader
        if member.http is not None:
            with contextlib.suppress(Exception):
                await member.http.close()

    await asyncio.gather(*(close(m) for m in members))


# ----------------------------------------------------------------------------------------
# scenarios
# ----------------------------------------------------------------------------------------


def alert_post(group_id: int, street_id: int, what: str) -> dict[str, Any]:
    return {
        "type": "post_alert",
        "group": group_id,
        "client_id": uuid.uuid4().hex,
        "alert": {"kind": "suspicious_person", "what": what, "street_id": street_id},
    }


class AckDriver:
    """`total` acknowledgements ("seen") at `rate` per second from the members other than
    the sender, spread over the scenario's most recent RECENT alerts and over the members:
    alert j's k-th acknowledgement comes from member 1 + (37 j + k - 1) mod (N - 1), so no
    member acknowledges an alert twice.  One alert never has two in flight (so its k-th
    event shows seen == k); when every recent alert is busy the next waits (closed loop,
    like the sender)."""

    RECENT = 4

    def __init__(
        self, *, hub: Hub, members: list[Member], rec: Recorder, total: int, rate: float
    ) -> None:
        self.hub, self.members, self.rec = hub, members, rec
        self.total, self.rate = total, rate
        self.alerts: list[int] = []  # the scenario's alerts, in the order they were posted
        self.acked: dict[int, int] = {}  # alert -> acknowledgements that landed
        self.busy: set[int] = set()
        self.turn = 0
        self.wake = asyncio.Event()
        self.sent_ns: list[int] = []
        self.reply_ns: list[int] = []
        self.errors: list[dict[str, Any]] = []

    def add_alert(self, alert_id: int) -> None:
        self.alerts.append(alert_id)
        self.wake.set()

    def pick(self) -> tuple[int, int, Member] | None:
        recent = self.alerts[-self.RECENT :]
        for i in range(len(recent)):
            alert = recent[(self.turn + i) % len(recent)]
            k = self.acked.get(alert, 0) + 1
            if alert in self.busy or k > len(self.members) - 1:
                continue
            self.turn += i + 1
            j = self.alerts.index(alert)
            return alert, k, self.members[1 + (37 * j + k - 1) % (len(self.members) - 1)]
        return None

    async def run(self, start: float, left: Any) -> None:
        tasks = []
        for i in range(self.total):
            delay = start + (i + 0.5) / self.rate - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            while (choice := self.pick()) is None:
                self.wake.clear()
                await asyncio.wait_for(self.wake.wait(), left())
            alert, k, member = choice
            self.busy.add(alert)
            tasks.append(asyncio.create_task(self.one(alert, k, member, left)))
        await asyncio.gather(*tasks)

    async def one(self, alert: int, k: int, member: Member, left: Any) -> None:
        key = ("ack", alert, k)
        pending = self.rec.expect(key, "ack", member.index)
        ref = uuid.uuid4().hex
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self.hub.replies[ref] = future
        data = json.dumps({"type": "ack", "alert": alert, "kind": "seen", "ref": ref})
        try:
            pending.t0 = time.perf_counter_ns()
            self.sent_ns.append(pending.t0)
            await member.ws.send(data)
            reply = await asyncio.wait_for(future, left())
            self.reply_ns.append(time.perf_counter_ns() - pending.t0)
            if reply.get("type") == "ok" and reply.get("added"):
                self.acked[alert] = k
            else:
                self.errors.append(reply)
                self.rec.withdraw(key)
        except BenchTimeout:
            raise
        except Exception as exc:  # e.g. the acknowledger's socket closed meanwhile
            self.errors.append({"type": "ack_failed", "error": repr(exc)})
            self.rec.withdraw(key)
        finally:
            self.busy.discard(alert)
            self.wake.set()


async def run_scenario(
    *,
    name: str,
    hub: Hub,
    members: list[Member],
    street_id: int,
    alerts: int,
    interval: float,
    ack_rate: float,
    isolated: bool,
    timeout: float,
    drain: float,
    server_pids: list[int],
    scaled: bool,
) -> dict[str, Any]:
    sender = members[0]
    deadline = time.monotonic() + timeout

    def left() -> float:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise BenchTimeout(f"scenario {name} hit its {timeout:.0f} s timeout")
        return remaining

    # Warm-up: one untimed alert that must reach everyone first.
    warm = Recorder(uuid.uuid4().hex[:8], len(members))
    hub.recorder = warm
    warm.expect(("created", 0), "created", sender.index)
    await hub.request(
        sender, alert_post(hub.group_id, street_id, f"bench:{warm.tag}:0"), min(left(), 30)
    )
    warm.finish_sending()
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(warm.all_done.wait(), min(left(), drain))
    await asyncio.sleep(0.3)

    rec = Recorder(uuid.uuid4().hex[:8], len(members))
    acks = AckDriver(
        hub=hub,
        members=members,
        rec=rec,
        total=0 if isolated or len(members) < 2 else round(ack_rate * alerts * interval),
        rate=ack_rate,
    )
    hub.recorder = rec
    hub.count.clear()
    errors0 = sum(len(m.errors) for m in members)
    reply_ns: list[int] = []
    send_errors: list[dict[str, Any]] = []
    cpu0 = [proc_cpu_s(pid) for pid in server_pids]
    busy0, steal0, total0 = machine_cpu()
    client0 = self_cpu_s()
    redis0 = redis_cpu_s() if scaled else float("nan")
    wall0 = time.perf_counter()
    start_unix = time.time()
    start = time.monotonic()
    ack_task = asyncio.create_task(acks.run(start, left)) if acks.total else None
    try:
        for seq in range(alerts):
            if not isolated:
                delay = start + seq * interval - time.monotonic()
                if delay > 0:
                    await asyncio.sleep(delay)
            key = ("created", seq)
            pending = rec.expect(key, "created", sender.index)
            message = alert_post(hub.group_id, street_id, f"bench:{rec.tag}:{seq}")
            ref = uuid.uuid4().hex
            future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
            hub.replies[ref] = future
            data = json.dumps({**message, "ref": ref})
            pending.t0 = time.perf_counter_ns()
            await sender.ws.send(data)
            reply = await asyncio.wait_for(future, left())
            reply_ns.append(time.perf_counter_ns() - pending.t0)
            if reply.get("type") != "ok" or not reply.get("created"):
                send_errors.append(reply)
                rec.withdraw(key)
            else:
                acks.add_alert(int(reply["alert"]))
            if isolated:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(pending.done.wait(), min(left(), drain))
                await asyncio.sleep(0.1)  # idle gap: the next alert meets a quiet server
        if ack_task is not None:
            await ack_task
    finally:
        if ack_task is not None and not ack_task.done():
            ack_task.cancel()
    send_phase = time.monotonic() - start
    rec.finish_sending()
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(rec.all_done.wait(), min(left(), drain))
    wall = time.perf_counter() - wall0
    cpu1 = [proc_cpu_s(pid) for pid in server_pids]
    busy1, steal1, total1 = machine_cpu()
    client_cpu = self_cpu_s() - client0
    redis_cpu = (redis_cpu_s() - redis0) if scaled else float("nan")
    counts = dict(hub.count)

    # Every member must have shown every event of the group exactly once: its seq (which
    # only ever goes up by one) must have reached the group's latest, as the database says.
    head_position, head_seq = await group_head(sender.http, hub.group_id)
    if head_seq is None:
        head_seq = max(m.seq or 0 for m in members)
    behind = [m.index for m in members if (m.seq or 0) != head_seq]

    def latencies(kind: str | None) -> list[int]:
        return [
            t - p.t0
            for p in rec.pending.values()
            if kind is None or p.kind == kind
            for t in p.got.values()
        ]

    def expected(kind: str) -> int:
        return rec.recipients * sum(p.kind == kind for p in rec.pending.values())

    def received(kind: str) -> int:
        return sum(len(p.got) for p in rec.pending.values() if p.kind == kind)

    same: list[int] = []
    cross: list[int] = []
    last: list[int] = []
    for p in rec.pending.values():
        origin = members[p.origin].server
        for member, t_ns in p.got.items():
            if scaled:
                (same if members[member].server == origin else cross).append(t_ns - p.t0)
        if p.kind == "created" and len(p.got) == rec.recipients:
            last.append(max(p.got.values()) - p.t0)
    echo = [p.echo - p.t0 for p in rec.pending.values() if p.kind == "created" and p.echo]
    server_cpu = sum(b - a for a, b in zip(cpu0, cpu1, strict=False))
    created = [p for p in rec.pending.values() if p.kind == "created"]
    result = {
        "scenario": name,
        "client": hub.client,
        "members": len(members),
        "recipients": rec.recipients,
        "alerts": alerts,
        "target_rate_per_s": None if isolated else 1 / interval,
        "acks": acks.total,
        "target_ack_rate_per_s": ack_rate if acks.total else None,
        # deliveries = (event, member other than the one who caused it) pairs
        "deliveries_expected": rec.expected,
        "deliveries_received": rec.received,
        "lost": rec.expected - rec.received,
        "created_expected": expected("created"),
        "created_received": received("created"),
        "acks_expected": expected("ack"),
        "acks_received": received("ack"),
        # frames with a seq already shown, outside a resubscribe: the server sent twice
        "duplicates": counts.get("duplicates", 0),
        # ... and while a resubscribe was under way (its replay overlapping): ignored, fine
        "duplicates_replay": counts.get("duplicates_replay", 0),
        "gaps": counts.get("gaps", 0),
        "resubscribes": {
            k[len("resubscribe_") :]: v for k, v in counts.items() if k.startswith("resubscribe_")
        },
        "reconnects": counts.get("reconnects", 0),
        "heartbeats": counts.get("heartbeats", 0),
        "fetch_errors": counts.get("fetch_errors", 0),
        "client_errors": counts.get("client_errors", 0),
        "fetched_mib": counts.get("fetch_bytes", 0) / 2**20,
        "group_seq_head": head_seq,
        "group_position_head": head_position,
        "members_behind": len(behind),
        "other_events_shown": rec.other,
        "self_echo_received": len(echo),
        "send_errors": (send_errors + acks.errors)[:5],
        "send_error_count": len(send_errors) + len(acks.errors),
        "socket_errors": sum(len(m.errors) for m in members) - errors0,
        # latency_ms: alert.created on every other member's screen (the headline)
        "latency_ms": summary_ms(latencies("created")),
        "latency_ack_ms": summary_ms(latencies("ack")),
        "latency_all_ms": summary_ms(latencies(None)),
        "latency_same_process_ms": summary_ms(same) if scaled else None,
        "latency_cross_process_ms": summary_ms(cross) if scaled else None,
        "time_to_last_recipient_ms": summary_ms(last),
        "send_ok_reply_ms": summary_ms(reply_ns),
        "ack_ok_reply_ms": summary_ms(acks.reply_ns),
        "self_echo_ms": summary_ms(echo),
        "send_phase_s": send_phase,
        "timed_window_s": wall,
        # the same window on the wall clock, to read server logs against
        "timed_window_unix": [start_unix, start_unix + wall],
        # (K - 1) intervals between the first and the last send
        "achieved_send_rate_per_s": (
            (len(created) - 1) * 1e9 / (created[-1].t0 - created[0].t0)
            if len(created) > 1
            else float("nan")
        ),
        "achieved_ack_rate_per_s": (
            (len(acks.sent_ns) - 1) * 1e9 / (acks.sent_ns[-1] - acks.sent_ns[0])
            if len(acks.sent_ns) > 1
            else None
        ),
        "server_cpu_s": server_cpu,
        "server_cpu_pct_of_one_core": 100 * server_cpu / wall,
        "server_cpu_s_per_process": [b - a for a, b in zip(cpu0, cpu1, strict=False)],
        "server_rss_mb": [proc_rss_mb(pid) for pid in server_pids],
        "client_cpu_s": client_cpu,
        "client_cpu_pct_of_one_core": 100 * client_cpu / wall,
        "redis_cpu_s": redis_cpu,
        "machine_busy_pct_of_2_cores": 100 * (busy1 - busy0) / max(1, total1 - total0),
        "machine_steal_pct_of_2_cores": 100 * (steal1 - steal0) / max(1, total1 - total0),
    }
    hub.recorder = None
    return result


async def time_group_page(*, url: str, session: str, group_id: int, fetches: int) -> dict:
    """GET /groepen/<id>/ as a member, one after the other on one keep-alive connection
    (after one untimed request): the time from sending the request to the last byte read
    over loopback, i.e. the server's time plus a loopback round trip."""
    async with http_session(url, session, 1) as http:
        body = await get_text(http, f"/groepen/{group_id}/")
        times = []
        for _ in range(fetches):
            t0 = time.perf_counter_ns()
            async with http.get(f"/groepen/{group_id}/") as response:
                data = await response.read()
                status = response.status
            times.append(time.perf_counter_ns() - t0)
            if status != 200:
                raise RuntimeError(f"GET /groepen/{group_id}/: {status}")
    return {
        "fetches": fetches,
        "bytes": len(data),
        # the cards less the empty one in <template id="alert-template">
        "cards_on_page": body.count('<article class="alert')
        - body.count('<template id="alert-template">'),
        "ms": summary_ms(times),
    }


# ----------------------------------------------------------------------------------------
# one mode
# ----------------------------------------------------------------------------------------


async def bench_size(
    *,
    args: argparse.Namespace,
    urls: list[str],
    setup: dict[str, Any],
    size: int,
    server_pids: list[int],
    mode: str,
    procs: Processes,
    work: Path,
) -> list[dict[str, Any]]:
    hub = Hub(setup["groups"][str(size)], args.client)
    connect_started = time.perf_counter()
    members = await open_members(
        urls=urls,
        sessions=setup["sessions"],
        count=size,
        hub=hub,
        timeout=args.scenario_timeout,
    )
    connect_s = time.perf_counter() - connect_started
    print(
        f"  [{mode} N={size}] {size} members loaded the group page, connected and "
        f"subscribed in {connect_s:.1f} s"
    )
    watch = asyncio.create_task(hub.watch(members))
    profilers = start_profilers(args, procs, work, server_pids, f"{mode}-n{size}")
    results = []
    try:
        for scenario in args.scenarios:
            result = await run_scenario(
                name=scenario,
                hub=hub,
                members=members,
                street_id=setup["street_id"],
                alerts=args.isolated_alerts if scenario == "isolated" else args.alerts,
                interval=1 / args.rate,
                ack_rate=args.ack_rate,
                isolated=scenario == "isolated",
                timeout=args.scenario_timeout,
                drain=args.drain_timeout,
                server_pids=server_pids,
                scaled=mode == "scaled",
            )
            result["mode"] = mode
            result["connect_s"] = connect_s
            results.append(result)
            print_result(result)
    finally:
        stop_profilers(profilers)
        watch.cancel()
        await close_members(hub, members)
    return results


def start_profilers(
    args: argparse.Namespace, procs: Processes, work: Path, pids: list[int], name: str
) -> list[subprocess.Popen[bytes]]:
    """py-spy on each server for the scenarios only (not connecting/subscribing)."""
    if not args.profile:
        return []
    args.profile.mkdir(parents=True, exist_ok=True)
    local = Path(sys.executable).parent / "py-spy"
    exe = str(local) if local.exists() else "py-spy"
    profilers = []
    for i, pid in enumerate(pids):
        # raw = collapsed stacks: one line per stack, then its sample count
        out = args.profile / f"{name}-server{i}.txt"
        profilers.append(
            procs.start(
                [
                    exe,
                    "record",
                    "--pid",
                    str(pid),
                    "--rate",
                    "200",
                    "--threads",
                    "--format",
                    "raw",
                    "--output",
                    str(out),
                ],
                os.environ.copy(),
                work / f"py-spy-{name}-{i}.log",
            )
        )
    time.sleep(1)
    return profilers


def stop_profilers(profilers: list[subprocess.Popen[bytes]]) -> None:
    for profiler in profilers:  # py-spy writes its file on SIGINT
        with contextlib.suppress(ProcessLookupError):
            os.killpg(profiler.pid, signal.SIGINT)
        with contextlib.suppress(subprocess.TimeoutExpired):
            profiler.wait(timeout=30)


def run_mode(
    mode: str,
    args: argparse.Namespace,
    procs: Processes,
    tmp_root: Path,
    results: list[dict[str, Any]],
    pages: list[dict[str, Any]],
) -> None:
    """One mode: database, setup, servers, the group page timings, then every N; what is
    measured is appended to `results` and `pages` as it comes (kept after a later error)."""
    work = Path(tempfile.mkdtemp(prefix=f"{mode}-", dir=tmp_root))
    env = base_env(work / "data", args.host)
    if mode == "scaled":
        reset_postgres()
        flush_redis()
        env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{PG_DB}"
        env["REDIS_URL"] = REDIS_BENCH_URL
    t = time.perf_counter()
    run_checked(
        [sys.executable, str(ROOT / "manage.py"), "migrate", "--verbosity", "0"],
        env,
        600,
        "migrate",
    )
    migrate_s = time.perf_counter() - t
    spec = work / "setup.json"
    spec.write_text(
        json.dumps(
            {
                "csv": str(street_csv(work / "street.csv")),
                "sizes": args.members,
                "page_alerts": args.page_alerts if args.page_fetches else [],
                "code_root": str(ROOT),
            }
        )
    )
    out = run_checked(
        [sys.executable, str(Path(__file__).resolve()), "_setup", str(spec)], env, 600, "setup"
    )
    setup = next(
        json.loads(line[len(SETUP_MARK) :])
        for line in out.splitlines()
        if line.startswith(SETUP_MARK)
    )
    print(
        f"[{mode}] migrate {migrate_s:.1f} s, setup {setup['seconds']:.1f} s "
        f"({setup['addresses']} addresses on {STREET}, {len(setup['sessions'])} residents)"
    )
    servers = 2 if mode == "scaled" else 1
    urls, pids = [], []
    for i in range(servers):
        port = free_port(args.host)
        log = work / f"server{i}.log"
        proc = procs.start(
            [
                sys.executable,
                str(ROOT / "manage.py"),
                "serve",
                "--host",
                args.host,
                "--port",
                str(port),
            ],
            env,
            log,
        )
        wait_listening(proc, args.host, port, log)
        urls.append(f"{args.host}:{port}")
        pids.append(proc.pid)
    listing = ", ".join(f"{u} (pid {p})" for u, p in zip(urls, pids, strict=True))
    print(f"[{mode}] servers: {listing}")
    run = asyncio.run
    if args.client_loop == "uvloop":
        import uvloop

        run = uvloop.run
    try:
        for alerts, group_id in sorted(
            setup.get("page_groups", {}).items(), key=lambda i: int(i[0])
        ):
            cpu0 = proc_cpu_s(pids[0])
            page = run(
                time_group_page(
                    url=urls[0],
                    session=setup["sessions"][1],
                    group_id=group_id,
                    fetches=args.page_fetches,
                )
            )
            page.update(
                mode=mode,
                alerts=int(alerts),
                members=len(setup["sessions"]),
                # one untimed request and the timed ones
                server_cpu_ms_per_request=1000
                * (proc_cpu_s(pids[0]) - cpu0)
                / (args.page_fetches + 1),
            )
            pages.append(page)
            print_page(page)
        for size in args.members:
            results += run(
                bench_size(
                    args=args,
                    urls=urls,
                    setup=setup,
                    size=size,
                    server_pids=pids,
                    mode=mode,
                    procs=procs,
                    work=work,
                )
            )
    finally:
        for i, _pid in enumerate(pids):
            errors = [
                line
                for line in (work / f"server{i}.log").read_text(errors="replace").splitlines()
                if "Traceback" in line or "ERROR" in line
            ]
            if errors:
                print(f"[{mode}] server {i} log has {len(errors)} error lines, e.g. {errors[0]}")
        procs.stop_all()


# ----------------------------------------------------------------------------------------
# output
# ----------------------------------------------------------------------------------------


def _ms(summary: dict[str, Any], key: str) -> float:
    return summary.get(key, float("nan")) if summary else float("nan")


def _scenario(r: dict[str, Any]) -> str:
    if r["target_rate_per_s"] is None:
        return "isolated"
    acks = f" + {r['target_ack_rate_per_s']:g} acks/s" if r.get("target_ack_rate_per_s") else ""
    return f"{r['target_rate_per_s']:g}/s{acks}"


def print_result(r: dict[str, Any]) -> None:
    lat, ack, every = r["latency_ms"], r["latency_ack_ms"], r["latency_all_ms"]
    resubs = sum(r["resubscribes"].values())
    print(
        f"  {r['mode']:<8} N={r['members']:<4} {_scenario(r):<20} [{r['client']}] "
        f"recv {r['deliveries_received']}/{r['deliveries_expected']} "
        f"lost {r['lost']} dup {r['duplicates']} behind {r['members_behind']} | "
        f"alert.created p50 {_ms(lat, 'p50'):.1f} p90 {_ms(lat, 'p90'):.1f} "
        f"p99 {_ms(lat, 'p99'):.1f} max {_ms(lat, 'max'):.1f} ms",
        flush=True,
    )
    acks = (
        f"acks {r['acks_received']}/{r['acks_expected']} p50 {_ms(ack, 'p50'):.1f} "
        f"p99 {_ms(ack, 'p99'):.1f} ms, rate {r['achieved_ack_rate_per_s']:.2f}/s | "
        if r["acks"]
        else ""
    )
    print(
        f"           {acks}all events p50 {_ms(every, 'p50'):.1f} p99 {_ms(every, 'p99'):.1f} ms | "
        f"ok-reply p50 {_ms(r['send_ok_reply_ms'], 'p50'):.1f} ms | "
        f"alerts {r['achieved_send_rate_per_s']:.2f}/s | gaps {r['gaps']}, "
        f"resubscribes {resubs}, replay dup {r['duplicates_replay']}, "
        f"reconnects {r['reconnects']}"
    )
    print(
        f"           server CPU {r['server_cpu_s']:.2f} s "
        f"({r['server_cpu_pct_of_one_core']:.0f} %), RSS "
        f"{'+'.join(f'{x:.0f}' for x in r['server_rss_mb'])} MiB | "
        f"client CPU {r['client_cpu_pct_of_one_core']:.0f} % | machine busy "
        f"{r['machine_busy_pct_of_2_cores']:.0f} %, "
        f"steal {r['machine_steal_pct_of_2_cores']:.1f} %",
        flush=True,
    )
    if r.get("latency_cross_process_ms"):
        s, c = r["latency_same_process_ms"], r["latency_cross_process_ms"]
        print(
            f"           all events: same process p50/p99 {_ms(s, 'p50'):.1f}/"
            f"{_ms(s, 'p99'):.1f} ms, cross process (Redis) p50/p99 "
            f"{_ms(c, 'p50'):.1f}/{_ms(c, 'p99'):.1f} ms"
        )
    if r["send_error_count"] or r["socket_errors"] or r["fetch_errors"] or r["client_errors"]:
        print(
            f"           ERRORS: {r['send_error_count']} send, {r['socket_errors']} socket "
            f"({r['client_errors']} in the harness's client), {r['fetch_errors']} fetch: "
            f"{r['send_errors'][:1]}"
        )


def print_page(p: dict[str, Any]) -> None:
    print(
        f"  [{p['mode']}] group page, {p['alerts']} alerts ({p['cards_on_page']} cards shown, "
        f"{p['members']} members): p50 {_ms(p['ms'], 'p50'):.1f} p99 {_ms(p['ms'], 'p99'):.1f} "
        f"max {_ms(p['ms'], 'max'):.1f} ms over {p['fetches']} requests, "
        f"{p['bytes'] / 1024:.0f} KiB, server CPU {p['server_cpu_ms_per_request']:.1f} ms each",
        flush=True,
    )


def print_table(results: list[dict[str, Any]], pages: list[dict[str, Any]]) -> None:
    print()
    print(
        "| mode | N | scenario | client | deliveries recv/expected | lost | dup | behind "
        "| alert.created p50 ms | p90 ms | p99 ms | max ms | ack p50 / p99 ms "
        "| all events p99 ms | last recipient p50 ms | ok reply p50 ms | alerts/s | acks/s "
        "| gaps / resubscribes | server CPU % of a core | server RSS MiB |"
    )
    print("| --- " * 21 + "|")
    for r in results:
        lat = r["latency_ms"]
        ack = (
            f"{_ms(r['latency_ack_ms'], 'p50'):.1f} / {_ms(r['latency_ack_ms'], 'p99'):.1f}"
            if r["acks"]
            else "—"
        )
        acks = f"{r['achieved_ack_rate_per_s']:.2f}" if r["acks"] else "—"
        print(
            f"| {r['mode']} | {r['members']} | {_scenario(r)} | {r['client']} | "
            f"{r['deliveries_received']}/{r['deliveries_expected']} | {r['lost']} | "
            f"{r['duplicates']} | {r['members_behind']} | "
            f"{_ms(lat, 'p50'):.1f} | {_ms(lat, 'p90'):.1f} | {_ms(lat, 'p99'):.1f} | "
            f"{_ms(lat, 'max'):.1f} | {ack} | {_ms(r['latency_all_ms'], 'p99'):.1f} | "
            f"{_ms(r['time_to_last_recipient_ms'], 'p50'):.1f} | "
            f"{_ms(r['send_ok_reply_ms'], 'p50'):.1f} | "
            f"{r['achieved_send_rate_per_s']:.2f} | {acks} | "
            f"{r['gaps']} / {sum(r['resubscribes'].values())} | "
            f"{r['server_cpu_pct_of_one_core']:.0f} | "
            f"{' + '.join(f'{x:.0f}' for x in r['server_rss_mb'])} |"
        )
    if pages:
        print()
        print(
            "| mode | group page | cards shown | members | p50 ms | p99 ms | max ms "
            "| server CPU ms per request | KiB |"
        )
        print("| --- " * 9 + "|")
        for p in pages:
            print(
                f"| {p['mode']} | {p['alerts']} alerts | {p['cards_on_page']} | "
                f"{p['members']} | {_ms(p['ms'], 'p50'):.1f} | {_ms(p['ms'], 'p99'):.1f} | "
                f"{_ms(p['ms'], 'max'):.1f} | {p['server_cpu_ms_per_request']:.1f} | "
                f"{p['bytes'] / 1024:.0f} |"
            )


# ----------------------------------------------------------------------------------------
# main
# ----------------------------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--members", type=int, nargs="+", default=[16, 64, 256])
    parser.add_argument("--alerts", type=int, default=20, help="K alerts per rate scenario")
    parser.add_argument(
        "--isolated-alerts",
        type=int,
        default=None,
        help="alerts in the isolated scenario (default: --alerts)",
    )
    parser.add_argument("--rate", type=float, default=5.0, help="alerts per second")
    parser.add_argument(
        "--ack-rate",
        type=float,
        default=20.0,
        help="acknowledgements per second in the rate scenario, from the other members (0: none)",
    )
    parser.add_argument(
        "--client",
        choices=["render", "fetch"],
        default="render",
        help="render: show each event from what it carries, as live.js does now; fetch: "
        "GET /meldingen/<id>/ per alert event per member, as live.js did before a73050a "
        "(serve that code with --code-root to reproduce the old rendered path)",
    )
    parser.add_argument(
        "--page-alerts",
        type=int,
        nargs="*",
        default=[5, 500],
        help="time the group page of a group with this many alerts (one group each)",
    )
    parser.add_argument(
        "--page-fetches", type=int, default=20, help="timed requests per group page (0: none)"
    )
    parser.add_argument("--mode", choices=["embedded", "scaled", "both"], default="both")
    parser.add_argument(
        "--scenarios", nargs="+", choices=["isolated", "rate"], default=["isolated", "rate"]
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument(
        "--client-loop",
        choices=["asyncio", "uvloop"],
        default="asyncio",
        help="event loop of the benchmark's own clients (the server always uses uvloop)",
    )
    parser.add_argument("--scenario-timeout", type=float, default=180.0)
    parser.add_argument("--drain-timeout", type=float, default=15.0)
    parser.add_argument("--max-runtime", type=int, default=1800)
    parser.add_argument(
        "--keep-db",
        action="store_true",
        help="scaled: leave the buurtwacht_bench database for inspection",
    )
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument(
        "--profile",
        type=Path,
        default=None,
        help="record the servers with py-spy (collapsed stacks) into this folder",
    )
    parser.add_argument(
        "--code-root",
        type=Path,
        default=ROOT,
        help="checkout whose manage.py and buurtwacht/ are served "
        "(default: this one), e.g. an exported commit",
    )
    args = parser.parse_args()
    if args.isolated_alerts is None:
        args.isolated_alerts = args.alerts
    if min(args.members) < 2 or max(args.members) > 256:
        parser.error("--members must be between 2 and 256 (GROUP_MAX_MEMBERS)")
    if args.alerts < 1 or args.isolated_alerts < 1 or args.rate <= 0:
        parser.error("--alerts and --rate must be positive")
    if args.ack_rate < 0 or args.page_fetches < 0 or any(n < 0 for n in args.page_alerts):
        parser.error("--ack-rate, --page-fetches and --page-alerts cannot be negative")
    args.members = sorted(set(args.members))
    return args


def main() -> int:
    if len(sys.argv) == 3 and sys.argv[1] == "_setup":
        setup_main(sys.argv[2])
        return 0
    args = parse_args()
    check_loopback(args.host)
    global ROOT
    ROOT = args.code_root.resolve()
    if not (ROOT / "manage.py").is_file():
        sys.exit(f"no manage.py in {ROOT}")
    modes = ["embedded", "scaled"] if args.mode == "both" else [args.mode]

    def on_signal(signum: int, _frame: object) -> None:
        if signum == signal.SIGALRM:
            raise BenchTimeout(f"--max-runtime {args.max_runtime} s reached")
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGALRM, on_signal)
    signal.alarm(args.max_runtime)

    procs = Processes()
    tmp_root = Path(tempfile.mkdtemp(prefix="buurtwacht-fanout-"))
    results: list[dict[str, Any]] = []
    pages: list[dict[str, Any]] = []
    code = 0
    used_postgres = False
    try:
        for mode in modes:
            used_postgres |= mode == "scaled"
            run_mode(mode, args, procs, tmp_root, results, pages)
    except BenchTimeout as exc:
        print(f"TIMEOUT: {exc}", file=sys.stderr)
        code = 3
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        code = 130
    except Exception as exc:
        print(f"ERROR: {type(exc).__name__}: {exc}", file=sys.stderr)
        code = 1
    finally:
        signal.alarm(0)
        procs.stop_all()
        shutil.rmtree(tmp_root, ignore_errors=True)
        if used_postgres and not args.keep_db:
            with contextlib.suppress(Exception):
                drop_postgres()
    if results or pages:
        print_table(results, pages)
        if args.json:
            args.json.write_text(
                json.dumps(
                    {
                        "python": platform.python_version(),
                        "nproc": os.cpu_count(),
                        "args": {
                            k: (os.path.relpath(v) if isinstance(v, Path) else v)
                            for k, v in vars(args).items()
                        },
                        "results": results,
                        "group_page": pages,
                    },
                    indent=2,
                )
            )
    bad = [
        r
        for r in results
        if r["lost"]
        or r["send_error_count"]
        or r["duplicates"]
        or r["members_behind"]
        or r["fetch_errors"]
        or r["client_errors"]
    ]
    if code == 0 and bad:
        print(
            f"FAILED: {len(bad)} run(s) lost deliveries, left members behind or had errors",
            file=sys.stderr,
        )
        code = 2
    return code


if __name__ == "__main__":
    sys.exit(main())
