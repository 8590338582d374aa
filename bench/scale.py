#!/usr/bin/env python3
"""A whole municipality on one machine: M members online in G groups, each a client doing
what live.js does, on the real server, embedded and scaled; then one server process is
killed and started again and its members must resume with nothing lost.

    .venv/bin/python bench/scale.py [--members 10000] [--groups 400] [--duration 60]
                                    [--rate 5] [--ack-rate 20] [--mode both|embedded|scaled]
                                    [--clients 4] [--json out.json]
    .venv/bin/python bench/scale.py --members 1000 --groups 40 --duration 20   # ~3 min check

Data: bench/town.py makes a synthetic municipality in the benchmark's own database (no
open data): G groups with sizes drawn between 5 and 256 (one of 256) summing to M, each on
its own street, plus a page group of 256 members with 500 alerts for the group page.

Modes: embedded = one `manage.py serve` on a fresh SQLite file, in-memory channel layer;
scaled = two `serve` processes on PostgreSQL (database bw_scale, dropped and made again)
and Redis (db 0, a channel prefix of this run's own: nothing is flushed).

Clients: --clients processes (`scale.py _client`), each driving whole groups (so an
event's sender and its recipients share a process and a clock).  Each member, as live.js
(bench/fanout.py's Hub and Screen): loads the group page once, opens the socket,
subscribes with since=position, shows every event from what it carries (seq rule, gaps
resubscribe), reads heartbeats, reconnects with since= (and waits as long as the server's
`retry` frame says).  The client processes' CPU is measured apart and reported.

Phases per mode:
  page     the page group's page, --page-fetches times: server CPU per request (p50 of the
           per-request CPU is not observable from outside; reported is the mean over the
           requests of the process's CPU, as bench/fanout.py does).
  connect  every member loads the page, opens the socket, subscribes.
  idle     --idle seconds with heartbeats only: server CPU.
  load     --duration seconds: alerts at --rate/s over random groups, from each group's
           first member (on the first server), and --ack-rate/s acknowledgements ("seen")
           from other members of the recent alerts' groups; latency = when a member has
           shown the event minus when the frame causing it was written.
  restart  the last server process is killed (SIGKILL) and started again; alerts go on at
           --rate/s through the first server (scaled; embedded has none meanwhile) for
           --restart-window seconds; resume_s = kill until the last member of the killed
           process has subscribed again; then every member must have shown every event of
           its group exactly once (replayed with since=).
Last line: RESULT members=M groups=G p99_ms=P lost=L rss_mib=R resume_s=S page_cpu_ms=C
(worst of the modes run for P, R, S, C; lost summed).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import fanout as fo  # the single-group benchmark: harness and client

BENCH = Path(__file__).resolve().parent
PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_DB = "bw_scale"
REDIS_URL = "redis://127.0.0.1:6379/0"
PORTS = range(27000, 28000)
MARK = "SCALE_JSON "
PAGES_AT_ONCE = 4  # per client process
REPLY_TIMEOUT = 30.0  # seconds for the server's "ok" to a post or an acknowledgement


# ----------------------------------------------------------------------------------------
# the client processes
# ----------------------------------------------------------------------------------------


class ScaleHub(fo.Hub):
    """fanout.Hub for one group, noting when each member last subscribed."""

    def __init__(self, group_id: int) -> None:
        super().__init__(group_id, "render")
        self.subscribed_at: dict[int, float] = {}

    async def receive(self, member: fo.Member, message: dict[str, Any]) -> None:
        if message.get("type") == "subscribed":
            self.subscribed_at[member.index] = time.monotonic()
        await super().receive(member, message)


class Group:
    def __init__(self, spec: dict[str, Any]) -> None:
        self.id = spec["id"]
        self.street_id = spec["street_id"]
        self.sessions = spec["sessions"]
        self.hub = ScaleHub(self.id)
        self.members: list[fo.Member] = []
        self.alerts: dict[int, int] = {}  # schedule index -> alert id
        self.acked: dict[int, int] = {}  # alert id -> acknowledgements landed
        self.busy: set[int] = set()


class Client:
    def __init__(self, spec: dict[str, Any]) -> None:
        self.urls = spec["urls"]
        self.timeout = spec["timeout"]
        self.groups = {g["id"]: Group(g) for g in spec["groups"]}
        self.watchers: list[asyncio.Task[None]] = []
        self.sent: list[int] = []
        self.refused: list[dict[str, Any]] = []

    async def connect(self) -> dict[str, Any]:
        """As a browser, per member: the group page once, the socket, subscribe with
        since=position; a socket the server paces (retry + 1013) comes back when told
        (fanout.Hub.run), so a member counts as online once it is subscribed."""
        t0, cpu0 = time.monotonic(), fo.self_cpu_s()
        gate = asyncio.Semaphore(24)  # members opening at once in this process
        # Page loads at once: Django runs each request in a thread of its own with its own
        # database connection, and PostgreSQL's connections are shared with other work.
        pages = asyncio.Semaphore(PAGES_AT_ONCE)

        async def open_member(group: Group, member: fo.Member) -> None:
            async with gate:
                url = self.urls[member.server]
                async with pages, fo.http_session(url, member.session, 1) as http:
                    page = await fo.get_text(http, f"/groepen/{group.id}/")
                data = fo.live_data(page)
                member.screen = fo.Screen(data)
                member.position = int(data.get("position") or 0)
                member.seq = int(data["seq"]) if data.get("seq") else None
                with contextlib.suppress(Exception):  # paced: Hub.run reconnects
                    await group.hub.connect(member, url, self.timeout)
                    await group.hub.subscribe(member)
                member.reader = asyncio.create_task(group.hub.run(member, url, self.timeout))
                while member.index not in group.hub.subscribed_at:
                    await asyncio.sleep(0.05)

        for group in self.groups.values():
            group.members = [
                fo.Member(index=i, server=i % len(self.urls), session=session)
                for i, session in enumerate(group.sessions)
            ]
        await asyncio.wait_for(
            asyncio.gather(*(open_member(g, m) for g in self.groups.values() for m in g.members)),
            self.timeout,
        )
        for group in self.groups.values():
            self.watchers.append(asyncio.create_task(group.hub.watch(group.members)))
        paced = sum(g.hub.count.get("paced", 0) for g in self.groups.values())
        return {
            "members": sum(len(g.members) for g in self.groups.values()),
            "seconds": time.monotonic() - t0,
            "cpu_s": fo.self_cpu_s() - cpu0,
            "paced": paced,
        }

    def recorders(self, tag: str) -> None:
        for group in self.groups.values():
            group.hub.recorder = fo.Recorder(f"{tag}{group.id}", len(group.members))
            group.hub.count.clear()
            group.alerts.clear()

    async def post(self, group: Group, index: int) -> None:
        rec = group.hub.recorder
        assert rec is not None
        sender = group.members[0]
        key = ("created", index)
        pending = rec.expect(key, "created", sender.index)
        ref = uuid.uuid4().hex
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        group.hub.replies[ref] = future
        message = fo.alert_post(group.id, group.street_id, f"bench:{rec.tag}:{index}")
        try:
            pending.t0 = time.perf_counter_ns()
            self.sent.append(pending.t0)
            await sender.ws.send(json.dumps({**message, "ref": ref}))
            reply = await asyncio.wait_for(future, REPLY_TIMEOUT)
        except Exception as exc:  # the sender's server is down (restart): no event
            group.hub.replies.pop(ref, None)
            self.refused.append({"error": repr(exc)})
            rec.withdraw(key)
            return
        if reply.get("type") != "ok" or not reply.get("created"):
            self.refused.append(reply)
            rec.withdraw(key)
        else:
            group.alerts[index] = int(reply["alert"])

    async def ack(self, group: Group, index: int) -> None:
        alert = group.alerts.get(index)
        rec = group.hub.recorder
        n = len(group.members)
        if alert is None or alert in group.busy or rec is None or n < 2:
            return
        k = group.acked.get(alert, 0) + 1
        if k > n - 1:
            return
        member = group.members[1 + (k - 1) % (n - 1)]
        group.busy.add(alert)
        key = ("ack", alert, k)
        pending = rec.expect(key, "ack", member.index)
        ref = uuid.uuid4().hex
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        group.hub.replies[ref] = future
        try:
            pending.t0 = time.perf_counter_ns()
            await member.ws.send(
                json.dumps({"type": "ack", "alert": alert, "kind": "seen", "ref": ref})
            )
            reply = await asyncio.wait_for(future, REPLY_TIMEOUT)
            if reply.get("type") == "ok" and reply.get("added"):
                group.acked[alert] = k
            else:
                self.refused.append(reply)
                rec.withdraw(key)
        except Exception as exc:
            group.hub.replies.pop(ref, None)
            self.refused.append({"error": repr(exc)})
            rec.withdraw(key)
        finally:
            group.busy.discard(alert)

    async def load(self, command: dict[str, Any]) -> dict[str, Any]:
        """Post and acknowledge on the schedule (times relative to `start`, monotonic),
        then wait until everything arrived or `drain` seconds passed."""
        self.recorders(command["tag"])
        self.sent.clear()
        self.refused.clear()
        cpu0 = fo.self_cpu_s()
        start = command["start"]
        work: list[asyncio.Task[None]] = []
        steps = sorted(
            [(t, 0, g, i) for t, g, i in command["alerts"]]
            + [(t, 1, g, i) for t, g, i in command["acks"]]
        )
        for t, kind, group_id, index in steps:
            delay = start + t - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            group = self.groups[group_id]
            work.append(
                asyncio.create_task(
                    self.post(group, index) if kind == 0 else self.ack(group, index)
                )
            )
        await asyncio.gather(*work)
        for group in self.groups.values():
            assert group.hub.recorder is not None
            group.hub.recorder.finish_sending()
        deadline = time.monotonic() + command["drain"]
        for group in self.groups.values():
            rec = group.hub.recorder
            assert rec is not None
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(rec.all_done.wait(), max(0.01, deadline - time.monotonic()))
        await asyncio.sleep(1)  # what is still on its way (a replay) lands first
        return self.report(cpu0)

    def report(self, cpu0: float) -> dict[str, Any]:
        created: list[int] = []
        acks: list[int] = []
        expected = received = behind = 0
        counts: dict[str, int] = {}
        for group in self.groups.values():
            rec = group.hub.recorder
            assert rec is not None
            expected += rec.expected
            received += rec.received
            for p in rec.pending.values():
                (created if p.kind == "created" else acks).extend(
                    (t - p.t0) // 1000 for t in p.got.values()
                )
            head = max((m.seq or 0) for m in group.members)
            behind += sum((m.seq or 0) != head for m in group.members)
            for name, value in group.hub.count.items():
                counts[name] = counts.get(name, 0) + value
        return {
            "created_us": created,
            "ack_us": acks,
            "expected": expected,
            "received": received,
            "behind": behind,
            "counts": counts,
            "sent": len(self.sent),
            "refused": len(self.refused),
            "refusals": self.refused[:3],
            "cpu_s": fo.self_cpu_s() - cpu0,
        }

    def resumed(self, command: dict[str, Any]) -> dict[str, Any]:
        """Members of the killed server: how many have not subscribed again since."""
        killed, t_kill = command["server"], command["t_kill"]
        waiting, last = 0, 0.0
        for group in self.groups.values():
            for member in group.members:
                if member.server != killed:
                    continue
                at = group.hub.subscribed_at.get(member.index, 0.0)
                if at < t_kill:
                    waiting += 1
                else:
                    last = max(last, at - t_kill)
        return {"waiting": waiting, "last_s": last}

    async def close(self) -> dict[str, Any]:
        for task in self.watchers:
            task.cancel()
        for group in self.groups.values():
            await fo.close_members(group.hub, group.members)
        return {"cpu_s": fo.self_cpu_s()}


async def client_main(spec_path: str) -> None:
    client = Client(json.loads(Path(spec_path).read_text()))
    reader = asyncio.StreamReader()
    loop = asyncio.get_running_loop()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)

    def say(payload: dict[str, Any]) -> None:
        sys.stdout.write(MARK + json.dumps(payload) + "\n")
        sys.stdout.flush()

    while line := await reader.readline():
        command = json.loads(line)
        try:
            if command["do"] == "connect":
                say(await client.connect())
            elif command["do"] == "load":
                say(await client.load(command))
            elif command["do"] == "report":
                say(client.report(fo.self_cpu_s()))
            elif command["do"] == "resumed":
                say(client.resumed(command))
            elif command["do"] == "close":
                say(await client.close())
                return
        except Exception as exc:
            say({"error": f"{type(exc).__name__}: {exc}"})


class ClientProcess:
    def __init__(self, procs: fo.Processes, spec: Path, log: Path) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), "_client", str(spec)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=log.open("wb"),
            cwd=fo.ROOT,
            start_new_session=True,
        )
        procs.procs.append(self.proc)  # stopped with the servers

    def send(self, command: dict[str, Any]) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write((json.dumps(command) + "\n").encode())
        self.proc.stdin.flush()

    def answer(self) -> dict[str, Any]:
        assert self.proc.stdout is not None
        while True:
            line = self.proc.stdout.readline()
            if not line:
                raise RuntimeError(f"client process {self.proc.pid} ended")
            text = line.decode()
            if text.startswith(MARK):
                payload = json.loads(text[len(MARK) :])
                if "error" in payload:
                    raise RuntimeError(f"client process {self.proc.pid}: {payload['error']}")
                return payload


def ask_all(clients: list[ClientProcess], command: dict[str, Any]) -> list[dict[str, Any]]:
    for client in clients:
        client.send(command)
    return [client.answer() for client in clients]


# ----------------------------------------------------------------------------------------
# the run
# ----------------------------------------------------------------------------------------


def draw_sizes(members: int, groups: int, rng: random.Random) -> list[int]:
    """Group sizes between 5 and 256, one of 256, summing to `members`."""
    if groups < 1 or not 5 * (groups - 1) + 256 <= members <= 256 * groups:
        raise SystemExit(f"{members} members do not fit {groups} groups of 5..256 (one 256)")
    raw = [rng.lognormvariate(0, 0.9) for _ in range(groups - 1)]
    scale = (members - 256) / sum(raw) if raw else 0
    sizes = [256] + [min(255, max(5, round(r * scale))) for r in raw]
    diff = members - sum(sizes)
    while diff:
        i = rng.randrange(1, groups)
        step = 1 if diff > 0 else -1
        if 5 <= sizes[i] + step <= 255:
            sizes[i] += step
            diff -= step
    return sizes


def free_port(host: str) -> int:
    for port in random.sample(PORTS, len(PORTS)):
        with socket.socket() as sock:
            try:
                sock.bind((host, port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port in 27000-27999")


def reset_postgres() -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=10) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {PG_DB}")


def rss_mib(pids: list[int]) -> float:
    """Resident memory of these processes and their children (uvicorn's workers)."""
    total = 0.0
    seen: set[int] = set()
    todo = list(pids)
    while todo:
        pid = todo.pop()
        if pid in seen:
            continue
        seen.add(pid)
        total += fo.proc_rss_mb(pid) if Path(f"/proc/{pid}").exists() else 0.0
        with contextlib.suppress(OSError):
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
            todo += [int(c) for c in children]
    return total


def cpu_s(pids: list[int]) -> float:
    return sum(fo.proc_cpu_s(pid) for pid in pids)


class Servers:
    def __init__(self, procs: fo.Processes, env: dict[str, str], work: Path, host: str, n: int):
        self.procs, self.env, self.work, self.host = procs, env, work, host
        self.ports = [free_port(host) for _ in range(n)]
        self.proc: list[subprocess.Popen[bytes]] = [self.start(i) for i in range(n)]
        self.cpu_before_restart = 0.0  # CPU of processes that were killed

    def start(self, i: int) -> subprocess.Popen[bytes]:
        log = self.work / f"server{i}-{time.monotonic():.0f}.log"
        proc = self.procs.start(
            [
                sys.executable,
                str(fo.ROOT / "manage.py"),
                "serve",
                "--host",
                self.host,
                "--port",
                str(self.ports[i]),
            ],
            self.env,
            log,
        )
        fo.wait_listening(proc, self.host, self.ports[i], log)
        return proc

    @property
    def urls(self) -> list[str]:
        return [f"{self.host}:{port}" for port in self.ports]

    @property
    def pids(self) -> list[int]:
        return [p.pid for p in self.proc]

    def kill(self, i: int) -> None:
        self.cpu_before_restart += fo.proc_cpu_s(self.proc[i].pid)
        os.killpg(self.proc[i].pid, signal.SIGKILL)
        self.proc[i].wait(timeout=10)


def schedule(
    *, rng: random.Random, groups: list[int], owner: dict[int, int], clients: int, args: Any
) -> list[dict[str, list[Any]]]:
    """Per client process its alerts (t, group, index) and acknowledgements (t, group,
    index of the alert acknowledged: one of the 8 latest posted at least 0.5 s before)."""
    plans: list[dict[str, list[Any]]] = [{"alerts": [], "acks": []} for _ in range(clients)]
    posted: list[tuple[float, int, int]] = []
    for i in range(int(args.rate * args.duration)):
        t = (i + 0.5) / args.rate
        group = rng.choice(groups)
        posted.append((t, group, i))
        plans[owner[group]]["alerts"].append((t, group, i))
    for j in range(int(args.ack_rate * args.duration)):
        t = (j + 0.5) / args.ack_rate
        recent = [p for p in posted if p[0] <= t - 0.5][-8:]
        if recent:
            _t, group, index = rng.choice(recent)
            plans[owner[group]]["acks"].append((t, group, index))
    return plans


def summary(results: list[dict[str, Any]]) -> dict[str, Any]:
    created = [x for r in results for x in r["created_us"]]
    acks = [x for r in results for x in r["ack_us"]]
    counts: dict[str, int] = {}
    for r in results:
        for name, value in r["counts"].items():
            counts[name] = counts.get(name, 0) + value
    return {
        "created_ms": fo.summary_ms([x * 1000 for x in created]),
        "ack_ms": fo.summary_ms([x * 1000 for x in acks]),
        "all_ms": fo.summary_ms([x * 1000 for x in created + acks]),
        "expected": sum(r["expected"] for r in results),
        "received": sum(r["received"] for r in results),
        "lost": sum(r["expected"] - r["received"] for r in results),
        "behind": sum(r["behind"] for r in results),
        "duplicates": counts.get("duplicates", 0),
        "counts": counts,
        "sent": sum(r["sent"] for r in results),
        "refused": sum(r["refused"] for r in results),
        "refusals": [x for r in results for x in r["refusals"]][:3],
        "client_cpu_s": sum(r["cpu_s"] for r in results),
    }


def run_mode(mode: str, args: Any, procs: fo.Processes, tmp: Path) -> dict[str, Any]:
    rng = random.Random(args.seed)
    work = Path(tempfile.mkdtemp(prefix=f"{mode}-", dir=tmp))
    env = fo.base_env(work / "data", args.host)
    env["PYTHONPATH"] = str(fo.ROOT)
    if mode == "scaled":
        reset_postgres()
        env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{PG_DB}"
        env["REDIS_URL"] = REDIS_URL
        env["CHANNEL_PREFIX"] = f"bwscale{uuid.uuid4().hex[:8]}."
        # Django under ASGI runs each request in a thread of its own: with persistent
        # connections (settings: CONN_MAX_AGE 60) every page load leaves a connection
        # open, and 10,000 page loads exhaust PostgreSQL's 100 (Django's documentation:
        # "When using ASGI, persistent connections should be disabled").
        env["CONN_MAX_AGE"] = str(args.conn_max_age)
    t = time.perf_counter()
    fo.run_checked(
        [sys.executable, str(fo.ROOT / "manage.py"), "migrate", "--verbosity", "0"],
        env,
        900,
        "migrate",
    )
    sizes = draw_sizes(args.members, args.groups, rng)
    spec, out = work / "town.json", work / "town-out.json"
    spec.write_text(json.dumps({"sizes": sizes, "page_members": 256, "page_alerts": 500}))
    fo.run_checked([sys.executable, str(BENCH / "town.py"), str(spec), str(out)], env, 1800, "town")
    town = json.loads(out.read_text())
    print(
        f"[{mode}] migrate and town {time.perf_counter() - t:.0f} s: {town['members']} members "
        f"in {len(town['groups'])} groups (sizes {min(sizes)}-{max(sizes)}, median "
        f"{sorted(sizes)[len(sizes) // 2]})",
        flush=True,
    )
    servers = Servers(procs, env, work, args.host, 2 if mode == "scaled" else 1)
    result: dict[str, Any] = {"mode": mode, "members": town["members"], "groups": len(sizes)}

    # -- the group page at 256 members, 500 alerts
    page = town["page_group"]
    cpu0 = fo.proc_cpu_s(servers.pids[0])
    timed = asyncio.run(
        fo.time_group_page(
            url=servers.urls[0],
            session=page["sessions"][1],
            group_id=page["id"],
            fetches=args.page_fetches,
        )
    )
    # the first request renders what the others reuse: it is excluded
    cpu_first = fo.proc_cpu_s(servers.pids[0])
    timed_again = asyncio.run(
        fo.time_group_page(
            url=servers.urls[0],
            session=page["sessions"][2],
            group_id=page["id"],
            fetches=args.page_fetches,
        )
    )
    page_cpu_ms = 1000 * (fo.proc_cpu_s(servers.pids[0]) - cpu_first) / (args.page_fetches + 1)
    result["page"] = {
        "cpu_ms_per_request": page_cpu_ms,
        "cpu_ms_first_reader": 1000 * (cpu_first - cpu0) / (args.page_fetches + 1),
        "wall_ms": timed_again["ms"],
        "kib": timed["bytes"] / 1024,
    }
    print(
        f"[{mode}] group page (256 members, 500 alerts): server CPU {page_cpu_ms:.1f} ms per "
        f"request, wall p50 {timed_again['ms']['p50']:.1f} ms, {timed['bytes'] / 1024:.0f} KiB",
        flush=True,
    )

    # -- the client processes, whole groups each, balanced by members
    n_clients = max(1, min(args.clients, len(town["groups"])))
    loads = [0] * n_clients
    shares: list[list[dict[str, Any]]] = [[] for _ in range(n_clients)]
    owner: dict[int, int] = {}
    for group in sorted(town["groups"], key=lambda g: -len(g["sessions"])):
        i = loads.index(min(loads))
        loads[i] += len(group["sessions"])
        shares[i].append(group)
        owner[group["id"]] = i
    rss_idle = rss_mib(servers.pids)
    clients = []
    for i, share in enumerate(shares):
        spec_i = work / f"client{i}.json"
        spec_i.write_text(
            json.dumps({"urls": servers.urls, "timeout": args.connect_timeout, "groups": share})
        )
        clients.append(ClientProcess(procs, spec_i, work / f"client{i}.log"))
    t = time.monotonic()
    cpu0 = cpu_s(servers.pids)
    connected = ask_all(clients, {"do": "connect"})
    connect_s = time.monotonic() - t
    result["connect"] = {
        "seconds": connect_s,
        "server_cpu_s": cpu_s(servers.pids) - cpu0,
        "client_cpu_s": sum(c["cpu_s"] for c in connected),
    }
    rss_online = rss_mib(servers.pids)
    result["rss_mib_before_clients"] = rss_idle
    result["memory_per_socket_kib"] = 1024 * (rss_online - rss_idle) / max(1, town["members"])
    print(
        f"[{mode}] {sum(c['members'] for c in connected)} members loaded the page, connected "
        f"and subscribed in {connect_s:.0f} s ({n_clients} client processes); server RSS "
        f"{rss_idle:.0f} -> {rss_online:.0f} MiB, {sum(c['paced'] for c in connected)} paced "
        f"({result['memory_per_socket_kib']:.0f} KiB per socket)",
        flush=True,
    )

    # -- idle: heartbeats only
    cpu0, t = cpu_s(servers.pids), time.monotonic()
    time.sleep(args.idle)
    idle = (cpu_s(servers.pids) - cpu0) / (time.monotonic() - t)
    result["server_cpu_idle_pct"] = 100 * idle
    print(f"[{mode}] idle (heartbeats only): server CPU {100 * idle:.1f} % of a core", flush=True)

    # -- load
    groups = [g["id"] for g in town["groups"]]
    plans = schedule(rng=rng, groups=groups, owner=owner, clients=n_clients, args=args)
    start = time.monotonic() + 1.0
    cpu0, busy0 = cpu_s(servers.pids), fo.machine_cpu()
    for client, plan in zip(clients, plans, strict=True):
        client.send({"do": "load", "tag": "L", "start": start, "drain": args.drain, **plan})
    loaded = summary([client.answer() for client in clients])
    wall = time.monotonic() - start
    busy1 = fo.machine_cpu()
    result["load"] = loaded | {
        "seconds": wall,
        "server_cpu_pct": 100 * (cpu_s(servers.pids) - cpu0) / wall,
        "client_cpu_pct": 100 * loaded["client_cpu_s"] / wall,
        "machine_busy_pct": 100 * (busy1[0] - busy0[0]) / max(1, busy1[2] - busy0[2]),
        "rss_mib": rss_mib(servers.pids),
        "alerts_per_s": sum(len(p["alerts"]) for p in plans) / args.duration,
        "acks_per_s": sum(len(p["acks"]) for p in plans) / args.duration,
    }
    print_load(mode, "load", result["load"])

    # -- restart: the last server process killed and started again
    killed = len(servers.proc) - 1
    t_kill = time.monotonic()
    servers.kill(killed)
    restart_plan = argparse.Namespace(rate=args.rate, ack_rate=0, duration=args.restart_window)
    plans = schedule(rng=rng, groups=groups, owner=owner, clients=n_clients, args=restart_plan)
    for client, plan in zip(clients, plans, strict=True):
        client.send({"do": "load", "tag": "R", "start": t_kill + 0.5, "drain": 0.1, **plan})
    servers.proc[killed] = servers.start(killed)
    started_s = time.monotonic() - t_kill
    posted = [client.answer() for client in clients]
    waiting, resume_s = -1, float("nan")
    deadline = time.monotonic() + args.resume_timeout
    while time.monotonic() < deadline:
        states = ask_all(clients, {"do": "resumed", "server": killed, "t_kill": t_kill})
        waiting = sum(s["waiting"] for s in states)
        if waiting == 0:
            resume_s = max(s["last_s"] for s in states)
            break
        time.sleep(1)
    # what was posted meanwhile has reached everyone (live, or replayed with since=)?
    time.sleep(min(args.drain, 5))
    restart = summary(ask_all(clients, {"do": "report"}))
    restart["client_cpu_s"] = sum(p["cpu_s"] for p in posted)
    result["restart"] = restart | {
        "server_started_s": started_s,
        "resume_s": resume_s,
        "members_not_back": waiting,
        "rss_mib": rss_mib(servers.pids),
    }
    print(
        f"[{mode}] restart of server {killed}: listening again after {started_s:.1f} s, every "
        f"member back after {resume_s:.1f} s ({waiting} not back); meanwhile "
        f"{restart['sent']} alerts sent ({restart['refused']} refused: server down); "
        f"deliveries {restart['received']}/{restart['expected']}, lost {restart['lost']}, "
        f"duplicates {restart['duplicates']}, behind {restart['behind']}, reconnects "
        f"{restart['counts'].get('reconnects', 0)}",
        flush=True,
    )
    closing = ask_all(clients, {"do": "close"})
    result["client_cpu_total_s"] = sum(c["cpu_s"] for c in closing)
    result["server_cpu_total_s"] = cpu_s(servers.pids) + servers.cpu_before_restart
    procs.stop_all()
    return result


def print_load(mode: str, name: str, r: dict[str, Any]) -> None:
    c, a, every = r["created_ms"], r["ack_ms"], r["all_ms"]
    print(
        f"[{mode}] {name}: {r['alerts_per_s']:.1f} alerts/s + {r['acks_per_s']:.1f} acks/s "
        f"for {r['seconds']:.0f} s; on screen alert.created p50 {c.get('p50', 0):.1f} p99 "
        f"{c.get('p99', 0):.1f} ms, acks p50 {a.get('p50', 0):.1f} p99 {a.get('p99', 0):.1f} "
        f"ms, all p99 {every.get('p99', 0):.1f} max {every.get('max', 0):.1f} ms; deliveries "
        f"{r['received']}/{r['expected']}, lost {r['lost']}, duplicates {r['duplicates']}, "
        f"behind {r['behind']}, refused {r['refused']} {r['refusals'][:1]}",
        flush=True,
    )
    print(
        f"[{mode}]   server CPU {r['server_cpu_pct']:.0f} % of a core, RSS "
        f"{r['rss_mib']:.0f} MiB, client CPU {r['client_cpu_pct']:.0f} %, machine busy "
        f"{r['machine_busy_pct']:.0f} % of 2 cores",
        flush=True,
    )


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--groups", type=int, default=400)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load")
    parser.add_argument("--rate", type=float, default=5.0, help="alerts per second")
    parser.add_argument("--ack-rate", type=float, default=20.0)
    parser.add_argument("--idle", type=float, default=20.0, help="seconds of heartbeats only")
    parser.add_argument("--restart-window", type=float, default=10.0)
    parser.add_argument("--resume-timeout", type=float, default=120.0)
    parser.add_argument("--drain", type=float, default=15.0)
    parser.add_argument("--page-fetches", type=int, default=20)
    parser.add_argument("--clients", type=int, default=4, help="client processes")
    parser.add_argument("--mode", choices=["embedded", "scaled", "both"], default="both")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--seed", type=int, default=20)
    parser.add_argument("--connect-timeout", type=float, default=1200.0)
    parser.add_argument(
        "--conn-max-age", type=int, default=0, help="scaled: CONN_MAX_AGE of the servers"
    )
    parser.add_argument("--max-runtime", type=int, default=3600)
    parser.add_argument("--json", type=Path, default=None)
    return parser.parse_args()


def main() -> int:
    if len(sys.argv) == 3 and sys.argv[1] == "_client":
        asyncio.run(client_main(sys.argv[2]))
        return 0
    args = parse_args()
    fo.check_loopback(args.host)

    def on_signal(signum: int, _frame: object) -> None:
        if signum == signal.SIGALRM:
            raise fo.BenchTimeout(f"--max-runtime {args.max_runtime} s reached")
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGALRM, on_signal)
    signal.alarm(args.max_runtime)
    procs = fo.Processes()
    tmp = Path(tempfile.mkdtemp(prefix="buurtwacht-scale-"))
    results: list[dict[str, Any]] = []
    code = 0
    modes = ["embedded", "scaled"] if args.mode == "both" else [args.mode]
    try:
        for mode in modes:
            results.append(run_mode(mode, args, procs, tmp))
    except fo.BenchTimeout as exc:
        print(f"TIMEOUT: {exc}", file=sys.stderr)
        code = 3
    except KeyboardInterrupt:
        code = 130
    except Exception as exc:
        print(f"ERROR: {type(exc).__name__}: {exc}", file=sys.stderr)
        code = 1
    finally:
        signal.alarm(0)
        procs.stop_all()
        for log in sorted(tmp.glob("*/*.log")):  # what went wrong on a server or client
            text = log.read_text(errors="replace")
            if "Traceback" in text:
                print(f"--- {log.name}:\n{text[text.index('Traceback') :][:3000]}", file=sys.stderr)
        shutil.rmtree(tmp, ignore_errors=True)
        if "scaled" in modes:
            with contextlib.suppress(Exception):
                import psycopg

                with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=10) as c:
                    c.execute(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    if not results:
        return code or 1
    lost = sum(r["load"]["lost"] + r["restart"]["lost"] for r in results)
    p99 = max(r["load"]["all_ms"].get("p99", float("nan")) for r in results)
    rss = max(max(r["load"]["rss_mib"], r["restart"]["rss_mib"]) for r in results)
    resume = max(r["restart"]["resume_s"] for r in results)
    page = max(r["page"]["cpu_ms_per_request"] for r in results)
    bad = lost or any(
        r["load"]["duplicates"]
        + r["restart"]["duplicates"]
        + r["load"]["behind"]
        + r["restart"]["behind"]
        + r["restart"]["members_not_back"]
        for r in results
    )
    print(
        f"RESULT members={results[0]['members']} groups={results[0]['groups']} "
        f"p99_ms={p99:.1f} lost={lost} rss_mib={rss:.0f} resume_s={resume:.1f} "
        f"page_cpu_ms={page:.1f}"
    )
    return code or (2 if bad else 0)


if __name__ == "__main__":
    sys.exit(main())
