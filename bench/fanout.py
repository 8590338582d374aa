#!/usr/bin/env python3
"""Alert fan-out benchmark: how long an alert posted by one member of a group takes to reach
every other member's open WebSocket, on the real server (`manage.py serve`).

    .venv/bin/python bench/fanout.py [--members 16 64 256] [--alerts 20] [--rate 5]
                                     [--mode embedded|scaled|both] [--json out.json]

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
created with `create_group` (member 0 founds it and is the sender) and every member gets a
Django session.

Scenarios per N (after an untimed warm-up alert that must reach everyone)
    isolated  K alerts, one at a time: the next is sent when the previous has reached all
              N - 1 recipients (plus a short idle gap).  The critical path on an idle server.
    rate      K alerts on a fixed schedule (--rate per second).  Sends are sequential: the
              sender waits for the server's "ok" before the next send, so a saturated server
              slows the sender (closed loop); the achieved rate is reported.

Latency of one delivery = perf_counter_ns() when the recipient's frame was read off the
socket (before JSON parsing) minus perf_counter_ns() just before the sender's frame was
written; all clients live in this one asyncio process.  Deliveries expected = K x (N - 1):
the sender's own copy of the event is not counted there; it is reported separately
("self echo"), next to the latency of the server's "ok" reply.  Anything missing after the
drain timeout is lost.  Server CPU seconds (utime + stime from /proc) cover the timed window
of a scenario (first send to last delivery), RSS is read at its end.

Only loopback hosts are accepted.  Every wait is bounded (--scenario-timeout,
--max-runtime); servers, temporary directories and the benchmark database are removed on exit,
also after an error or Ctrl-C.  Exit codes: 0 all delivered, 2 losses or errors, 3 timeout,
1 other failure.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import csv
import ipaddress
import json
import os
import platform
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent  # where the server code is: see --code-root
STREET = "Grote Beerstraat"
ADDRESSES_CSV = "addresses/groningen_bag_addresses_25k.csv"
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
    import datetime as dt

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
    groups = {}
    for size in sorted(set(spec["sizes"])):
        group = group_actions.create_group(
            founder=founder,
            new=group_actions.NewGroup(
                name=f"Bench {STREET} {size}",
                description="Fan-out benchmark",
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
            for user in users[1:size]
        )
        groups[str(size)] = group.pk
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
        "sessions": sessions,
        "user_ids": [u.pk for u in users],
        "seconds": time.perf_counter() - started,
    }
    print(SETUP_MARK + json.dumps(out), flush=True)


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


def open_data_dir() -> Path:
    """As settings.py finds it: OPEN_DATA_DIR, else ../shared/data, else /work/shared/data."""
    if os.environ.get("OPEN_DATA_DIR"):
        return Path(os.environ["OPEN_DATA_DIR"])
    shared = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
    return shared if shared.is_dir() else Path("/work/shared/data")


def street_csv(open_data: Path, dest: Path) -> Path:
    source = open_data / ADDRESSES_CSV
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
# WebSocket clients
# ----------------------------------------------------------------------------------------


@dataclass
class Member:
    index: int
    server: int  # which server process it is connected to
    ws: Any = None
    reader: asyncio.Task[None] | None = None
    errors: list[dict[str, Any]] = field(default_factory=list)


class Recorder:
    """Deliveries of one scenario (alerts whose `what` carries this tag)."""

    def __init__(self, tag: str, recipients: set[int], alerts: int, sender: int) -> None:
        self.tag = tag
        self.recipients = recipients
        self.sender = sender
        self.alerts = alerts
        self.sent_ns: dict[int, int] = {}
        self.got: dict[int, dict[int, int]] = {}  # seq -> member -> receive ns (first)
        self.duplicates = 0
        self.foreign = 0
        self.echo_ns: dict[int, int] = {}
        self.complete: dict[int, asyncio.Event] = {}
        self.received = 0
        self.all_done = asyncio.Event()
        self.expected = alerts * len(recipients)

    def event_for(self, seq: int) -> asyncio.Event:
        return self.complete.setdefault(seq, asyncio.Event())

    def on_event(self, member: int, t_ns: int, seq: int) -> None:
        if member == self.sender:
            if seq in self.echo_ns:
                self.duplicates += 1
            else:
                self.echo_ns[seq] = t_ns
            return
        if member not in self.recipients:
            self.foreign += 1
            return
        per = self.got.setdefault(seq, {})
        if member in per:
            self.duplicates += 1
            return
        per[member] = t_ns
        self.received += 1
        if len(per) == len(self.recipients):
            self.event_for(seq).set()
        if self.received >= self.expected:
            self.all_done.set()


class Hub:
    """Routes what the reader tasks read: replies by ref, alert events to the recorder."""

    def __init__(self, group_id: int) -> None:
        self.group_id = group_id
        self.replies: dict[str, asyncio.Future[dict[str, Any]]] = {}
        self.recorder: Recorder | None = None
        self.other_messages = 0

    async def read(self, member: Member) -> None:
        ws = member.ws
        perf = time.perf_counter_ns
        with contextlib.suppress(Exception):
            async for raw in ws:
                t_ns = perf()
                message = json.loads(raw)
                ref = message.get("ref")
                if ref is not None and ref in self.replies:
                    future = self.replies.pop(ref)
                    if not future.done():
                        future.set_result(message)
                    continue
                kind = message.get("type")
                if kind == "alert.created" and message.get("group") == self.group_id:
                    what = str(message.get("alert", {}).get("what", ""))
                    parts = what.split(":")
                    rec = self.recorder
                    if len(parts) == 3 and parts[0] == "bench" and rec and parts[1] == rec.tag:
                        rec.on_event(member.index, t_ns, int(parts[2]))
                        continue
                if kind == "error":
                    member.errors.append(message)
                self.other_messages += 1

    async def request(self, member: Member, message: dict[str, Any], timeout: float) -> dict:
        ref = uuid.uuid4().hex
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self.replies[ref] = future
        await member.ws.send(json.dumps({**message, "ref": ref}))
        return await asyncio.wait_for(future, timeout)


async def open_members(
    *,
    urls: list[str],
    sessions: list[str],
    count: int,
    hub: Hub,
    timeout: float,
) -> list[Member]:
    import websockets

    members = [Member(index=i, server=i % len(urls)) for i in range(count)]
    gate = asyncio.Semaphore(16)

    async def open_one(member: Member) -> None:
        async with gate:
            host_port = urls[member.server]
            member.ws = await websockets.connect(
                f"ws://{host_port}/ws/",
                additional_headers={
                    "Origin": f"http://{host_port}",
                    "Cookie": f"sessionid={sessions[member.index]}",
                },
                open_timeout=timeout,
                max_queue=None,
            )
            member.reader = asyncio.create_task(hub.read(member))
            reply = await hub.request(member, {"type": "subscribe", "group": hub.group_id}, timeout)
            if reply.get("type") != "subscribed":
                raise RuntimeError(f"member {member.index} could not subscribe: {reply}")

    await asyncio.wait_for(asyncio.gather(*(open_one(m) for m in members)), timeout)
    return members


async def close_members(members: list[Member]) -> None:
    async def close(member: Member) -> None:
        if member.ws is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(member.ws.close(), 5)
        if member.reader is not None:
            member.reader.cancel()
            with contextlib.suppress(BaseException):
                await member.reader

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


async def run_scenario(
    *,
    name: str,
    hub: Hub,
    members: list[Member],
    street_id: int,
    alerts: int,
    interval: float,
    isolated: bool,
    timeout: float,
    drain: float,
    server_pids: list[int],
    scaled: bool,
) -> dict[str, Any]:
    sender = members[0]
    recipients = {m.index for m in members[1:]}
    deadline = time.monotonic() + timeout

    def left() -> float:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise BenchTimeout(f"scenario {name} hit its {timeout:.0f} s timeout")
        return remaining

    # Warm-up: one untimed alert that must reach everyone first.
    warm = Recorder(uuid.uuid4().hex[:8], recipients, 1, sender.index)
    hub.recorder = warm
    await hub.request(
        sender, alert_post(hub.group_id, street_id, f"bench:{warm.tag}:0"), min(left(), 30)
    )
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(warm.all_done.wait(), min(left(), drain))
    await asyncio.sleep(0.3)

    rec = Recorder(uuid.uuid4().hex[:8], recipients, alerts, sender.index)
    hub.recorder = rec
    reply_ns: list[int] = []
    send_errors: list[dict[str, Any]] = []
    cpu0 = [proc_cpu_s(pid) for pid in server_pids]
    busy0, steal0, total0 = machine_cpu()
    client0 = self_cpu_s()
    redis0 = redis_cpu_s() if scaled else float("nan")
    wall0 = time.perf_counter()
    start = time.monotonic()
    for seq in range(alerts):
        if not isolated:
            delay = start + seq * interval - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
        message = alert_post(hub.group_id, street_id, f"bench:{rec.tag}:{seq}")
        ref = uuid.uuid4().hex
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        hub.replies[ref] = future
        data = json.dumps({**message, "ref": ref})
        t0 = time.perf_counter_ns()
        rec.sent_ns[seq] = t0
        await sender.ws.send(data)
        reply = await asyncio.wait_for(future, left())
        reply_ns.append(time.perf_counter_ns() - t0)
        if reply.get("type") != "ok" or not reply.get("created"):
            send_errors.append(reply)
        if isolated:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(rec.event_for(seq).wait(), min(left(), drain))
            await asyncio.sleep(0.1)  # idle gap: the next alert meets a quiet server
    send_phase = time.monotonic() - start
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(rec.all_done.wait(), min(left(), drain))
    wall = time.perf_counter() - wall0
    cpu1 = [proc_cpu_s(pid) for pid in server_pids]
    busy1, steal1, total1 = machine_cpu()
    client_cpu = self_cpu_s() - client0
    redis_cpu = (redis_cpu_s() - redis0) if scaled else float("nan")

    latencies: list[int] = []
    same: list[int] = []
    cross: list[int] = []
    last: list[int] = []
    for seq, per in rec.got.items():
        t0 = rec.sent_ns[seq]
        for member, t_ns in per.items():
            latencies.append(t_ns - t0)
            if scaled:
                (same if members[member].server == sender.server else cross).append(t_ns - t0)
        if len(per) == len(recipients):
            last.append(max(per.values()) - t0)
    echo = [t - rec.sent_ns[s] for s, t in rec.echo_ns.items()]
    server_cpu = sum(b - a for a, b in zip(cpu0, cpu1, strict=False))
    result = {
        "scenario": name,
        "members": len(members),
        "recipients": len(recipients),
        "alerts": alerts,
        "target_rate_per_s": None if isolated else 1 / interval,
        "deliveries_expected": rec.expected,
        "deliveries_received": rec.received,
        "lost": rec.expected - rec.received,
        "duplicates": rec.duplicates,
        "foreign_deliveries": rec.foreign,
        "self_echo_received": len(rec.echo_ns),
        "send_errors": send_errors[:5],
        "send_error_count": len(send_errors),
        "socket_errors": sum(len(m.errors) for m in members),
        "latency_ms": summary_ms(latencies),
        "latency_same_process_ms": summary_ms(same) if scaled else None,
        "latency_cross_process_ms": summary_ms(cross) if scaled else None,
        "time_to_last_recipient_ms": summary_ms(last),
        "send_ok_reply_ms": summary_ms(reply_ns),
        "self_echo_ms": summary_ms(echo),
        "send_phase_s": send_phase,
        "timed_window_s": wall,
        # (K - 1) intervals between the first and the last send
        "achieved_send_rate_per_s": (
            (alerts - 1) * 1e9 / (rec.sent_ns[alerts - 1] - rec.sent_ns[0])
            if alerts > 1
            else float("nan")
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
    hub = Hub(setup["groups"][str(size)])
    connect_started = time.perf_counter()
    members = await open_members(
        urls=urls,
        sessions=setup["sessions"],
        count=size,
        hub=hub,
        timeout=args.scenario_timeout,
    )
    connect_s = time.perf_counter() - connect_started
    print(f"  [{mode} N={size}] {size} sockets connected and subscribed in {connect_s:.1f} s")
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
        await close_members(members)
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
    mode: str, args: argparse.Namespace, procs: Processes, tmp_root: Path
) -> list[dict[str, Any]]:
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
                "csv": str(street_csv(open_data_dir(), work / "street.csv")),
                "sizes": args.members,
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
    results = []
    try:
        for size in args.members:
            run = asyncio.run
            if args.client_loop == "uvloop":
                import uvloop

                run = uvloop.run
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
    return results


# ----------------------------------------------------------------------------------------
# output
# ----------------------------------------------------------------------------------------


def print_result(r: dict[str, Any]) -> None:
    lat = r["latency_ms"]
    rate = "isolated" if r["target_rate_per_s"] is None else f"{r['target_rate_per_s']:g}/s"
    print(
        f"  {r['mode']:<8} N={r['members']:<4} {rate:<8} "
        f"recv {r['deliveries_received']}/{r['deliveries_expected']} "
        f"lost {r['lost']} dup {r['duplicates']} | "
        f"p50 {lat.get('p50', float('nan')):.1f} p90 {lat.get('p90', float('nan')):.1f} "
        f"p99 {lat.get('p99', float('nan')):.1f} max {lat.get('max', float('nan')):.1f} ms | "
        f"ok-reply p50 {r['send_ok_reply_ms'].get('p50', float('nan')):.1f} ms | "
        f"rate {r['achieved_send_rate_per_s']:.2f}/s | server CPU {r['server_cpu_s']:.2f} s "
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
            f"           same process p50/p99 {s.get('p50', 0):.1f}/{s.get('p99', 0):.1f} ms, "
            f"cross process (Redis) p50/p99 {c.get('p50', 0):.1f}/{c.get('p99', 0):.1f} ms"
        )
    if r["send_error_count"] or r["socket_errors"]:
        print(
            f"           ERRORS: {r['send_error_count']} send, {r['socket_errors']} socket: "
            f"{r['send_errors'][:1]}"
        )


def print_table(results: list[dict[str, Any]]) -> None:
    print()
    print(
        "| mode | N | scenario | recv/expected | lost | dup | p50 ms | p90 ms | p99 ms "
        "| max ms | last recipient p50 ms | ok reply p50 ms | sends/s | server CPU % of a core "
        "| server RSS MiB |"
    )
    print("| --- " * 15 + "|")
    for r in results:
        lat = r["latency_ms"]
        scen = "isolated" if r["target_rate_per_s"] is None else f"{r['target_rate_per_s']:g}/s"
        print(
            f"| {r['mode']} | {r['members']} | {scen} | {r['deliveries_received']}/"
            f"{r['deliveries_expected']} | {r['lost']} | {r['duplicates']} | "
            f"{lat.get('p50', float('nan')):.1f} | {lat.get('p90', float('nan')):.1f} | "
            f"{lat.get('p99', float('nan')):.1f} | {lat.get('max', float('nan')):.1f} | "
            f"{r['time_to_last_recipient_ms'].get('p50', float('nan')):.1f} | "
            f"{r['send_ok_reply_ms'].get('p50', float('nan')):.1f} | "
            f"{r['achieved_send_rate_per_s']:.2f} | {r['server_cpu_pct_of_one_core']:.0f} | "
            f"{' + '.join(f'{x:.0f}' for x in r['server_rss_mb'])} |"
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
    code = 0
    used_postgres = False
    try:
        for mode in modes:
            used_postgres |= mode == "scaled"
            results += run_mode(mode, args, procs, tmp_root)
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
    if results:
        print_table(results)
        if args.json:
            args.json.write_text(
                json.dumps(
                    {
                        "python": platform.python_version(),
                        "nproc": os.cpu_count(),
                        "args": {
                            k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()
                        },
                        "results": results,
                    },
                    indent=2,
                )
            )
    bad = [r for r in results if r["lost"] or r["send_error_count"] or r["duplicates"]]
    if code == 0 and bad:
        print(f"FAILED: {len(bad)} run(s) lost deliveries or had errors", file=sys.stderr)
        code = 2
    return code


if __name__ == "__main__":
    sys.exit(main())
