#!/usr/bin/env python3
"""The group page's server CPU per request: a group of 256 members with 500 alerts (bench/
town.py, a throwaway SQLite DATA_DIR), GET /groepen/<id>/ as a member through Django's test
client in this process (middleware, view, queries, templates: the server's whole share but
the HTTP parsing), process CPU time (not wall) per request.

    .venv/bin/python bench/group_page.py [--requests 50] [--members 256] [--alerts 500]
                                         [--profile]      # cProfile, the top 40 by cumtime

The first request renders what the others reuse (web/fragments.py) and is reported apart.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--members", type=int, default=256)
    parser.add_argument("--alerts", type=int, default=500)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--data-dir", type=Path, default=None, help="keep the database here")
    args = parser.parse_args()
    data = args.data_dir or Path(tempfile.mkdtemp(prefix="buurtwacht-page-"))
    os.environ.update(
        DJANGO_SETTINGS_MODULE="buurtwacht.settings",
        DATA_DIR=str(data),
        SECRET_KEY=os.environ.get("SECRET_KEY", "bench-" + uuid.uuid4().hex),
        DEBUG="0",
        HTTPS="0",
        ALLOWED_HOSTS="testserver",
        LOG_LEVEL="WARNING",
    )
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("REDIS_URL", None)
    out = data / "town-out.json"
    if not out.exists():
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), "migrate", "--verbosity", "0"],
            env=env,
            check=True,
        )
        spec = data / "town.json"
        spec.write_text(
            json.dumps({"sizes": [5], "page_members": args.members, "page_alerts": args.alerts})
        )
        subprocess.run(
            [sys.executable, str(ROOT / "bench" / "town.py"), str(spec), str(out)],
            env=env,
            check=True,
        )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.test import Client

    page = json.loads(out.read_text())["page_group"]
    client = Client()
    client.cookies["sessionid"] = page["sessions"][1]
    url = f"/groepen/{page['id']}/"
    t = time.process_time()
    first = client.get(url)
    first_ms = (time.process_time() - t) * 1000
    assert first.status_code == 200, first.status_code
    times = []
    for _ in range(args.requests):
        t = time.process_time()
        client.get(url)
        times.append((time.process_time() - t) * 1000)
    times.sort()
    print(
        f"group page, {args.members} members, {args.alerts} alerts: server CPU per request "
        f"p50 {statistics.median(times):.1f} ms, p90 {times[int(0.9 * len(times))]:.1f} ms, "
        f"min {times[0]:.1f} ms over {args.requests} requests (the first: {first_ms:.1f} ms); "
        f"{len(first.content) / 1024:.0f} KiB"
    )
    if args.profile:
        import cProfile
        import pstats

        profile = cProfile.Profile(timer=time.process_time)
        profile.enable()
        for _ in range(args.requests):
            client.get(url)
        profile.disable()
        pstats.Stats(profile).sort_stats("cumulative").print_stats(40)


if __name__ == "__main__":
    main()
