"""How long from an alert to the last of N Web Pushes handed to the push service.

Sets up a throwaway SQLite database (real Groningen addresses, one group, N members who
each have one push subscription and no open socket), posts one alert through the real
action, and runs the real delivery worker code (`notify.actions.process_due`) against a
local push service on 127.0.0.1 that answers 201 like a real one.  Every push is
VAPID-signed and aes128gcm-encrypted by pywebpush, exactly as in production.

    .venv/bin/python bench/push_fanout.py [--members 256] [--rounds 3]

Prints, per round: time to create the deliveries (inside the post), time until the first
and the last push reached the push service, pushes per second.
"""

from __future__ import annotations

import argparse
import base64
import csv
import datetime as dt
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _serve_push(port_out: multiprocessing.Queue, times_out: multiprocessing.Queue) -> None:
    """The local push service, in its own process like a real one: it answers 201 and
    reports when each push arrived (CLOCK_MONOTONIC, shared by all processes here)."""
    received: list[float] = []

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            received.append(time.perf_counter())
            self.send_response(201)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def do_GET(self) -> None:
            times_out.put(list(received))
            received.clear()
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    port_out.put(server.server_address[1])
    server.serve_forever()


class PushService:
    def __init__(self) -> None:
        ports: multiprocessing.Queue = multiprocessing.Queue()
        self._times: multiprocessing.Queue = multiprocessing.Queue()
        self.process = multiprocessing.Process(
            target=_serve_push, args=(ports, self._times), daemon=True
        )
        self.process.start()
        self.url = f"http://127.0.0.1:{ports.get(timeout=10)}"

    def take_times(self) -> list[float]:
        urllib.request.urlopen(self.url + "/times", timeout=10).close()
        return self._times.get(timeout=10)

    def stop(self) -> None:
        self.process.terminate()


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def setup(members: int, push_url: str):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from django.core.management import call_command

    from buurtwacht.accounts.models import HomeAddress, User
    from buurtwacht.geo import actions as geo_actions
    from buurtwacht.geo.models import Address, Street
    from buurtwacht.groups import actions as group_actions
    from buurtwacht.groups.models import Membership
    from buurtwacht.notify import actions as notify_actions

    call_command("migrate", verbosity=0)
    from buurtwacht.demo.data import SAMPLE_ADDRESS_FILE as source

    part = Path(os.environ["DATA_DIR"]) / "street.csv"
    with source.open(newline="") as src, part.open("w", newline="") as dst:
        rows = csv.reader(src)
        writer = csv.writer(dst)
        writer.writerow(next(rows))
        writer.writerows(r for r in rows if r[0] == "Grote Beerstraat")
    geo_actions.import_addresses(path=part)
    street = Street.objects.get(name="Grote Beerstraat")
    home = Address.objects.filter(street=street).first()
    assert home is not None
    # Benchmark set-up, not product code: members are bulk-created (no password hashing).
    users = User.objects.bulk_create(
        [User(email=f"buur{i}@example.nl", name=f"Buur {i}") for i in range(members + 1)]
    )
    HomeAddress.objects.bulk_create(
        [
            HomeAddress(
                user=u,
                street=street.name,
                number=home.number,
                postcode=home.postcode,
                city=street.city,
                lon=home.lon,
                lat=home.lat,
            )
            for u in users
        ]
    )
    author, *rest = users
    group = group_actions.create_group(
        founder=author,
        new=group_actions.NewGroup(
            name="Bench",
            description="",
            municipality_code=street.municipality_code,
            street_ids=[street.pk],
        ),
        overlaps_confirmed=True,
    )
    Membership.objects.bulk_create(
        [Membership(group=group, user=u, role="member", status="active") for u in rest]
    )
    for u in rest:
        key = ec.generate_private_key(ec.SECP256R1()).public_key()
        raw = key.public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        notify_actions.subscribe_push(
            user=u,
            endpoint=f"{push_url}/push/{u.pk}",
            p256dh=b64url(raw),
            auth=b64url(os.urandom(16)),
        )
        notify_actions.update_preferences(
            user=u,
            change=notify_actions.PreferenceChange(
                webpush=True,
                email=False,
                sms=False,
                phone="",
                chat=False,
                quiet_start=dt.time(23),
                quiet_end=dt.time(7),
            ),
        )
    return author, group, street


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=256)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bw-push-bench-") as data_dir:
        os.environ.update(
            DATA_DIR=data_dir,
            DJANGO_SETTINGS_MODULE="buurtwacht.settings",
            PUSH_LOCAL_SERVICES="1",  # the push service is a local process
        )
        os.environ.pop("DATABASE_URL", None)
        import django

        django.setup()
        from buurtwacht.alerts import actions as alert_actions
        from buurtwacht.notify.actions import process_due
        from buurtwacht.notify.models import Delivery

        service = PushService()
        author, group, street = setup(args.members, service.url)
        print(f"{args.members} members, each with one push subscription, none connected")
        lasts = []
        service.take_times()
        for round_ in range(args.rounds):
            start = time.perf_counter()
            alert_actions.post_alert(
                user=author,
                group_id=group.pk,
                draft=alert_actions.AlertDraft(
                    client_id=f"bench-{round_}",
                    kind="suspicious_person",
                    what="Bench",
                    street_id=street.pk,
                ),
            )
            posted = time.perf_counter()
            while process_due():
                pass
            done = time.perf_counter()
            times = service.take_times()
            received = len(times)
            first, last = (min(times) - start, max(times) - start)
            lasts.append(last)
            print(
                f"round {round_ + 1}: post incl. {args.members} deliveries "
                f"{(posted - start) * 1000:.0f} ms | first push {first * 1000:.0f} ms, "
                f"last push {last * 1000:.0f} ms | {received}/{args.members} handed over "
                f"({received / (done - posted):.0f}/s)"
            )
            if received != args.members:
                return 2
        median = statistics.median(lasts) * 1000
        print(f"alert -> last of {args.members} pushes: median {median:.0f} ms")
        assert Delivery.objects.filter(state="pending").count() == 0
        service.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
