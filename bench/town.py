"""A synthetic municipality for benchmarks: streets, addresses, residents, groups and their
sessions, made in the benchmark's own database (no open data needed).

    python bench/town.py spec.json out.json     (Django configured from the environment)

spec: {"sizes": [members per group, ...], "page_alerts": 500, "page_members": 256}
A group of size n gets its own street (Benchstraat <i>, Groningen) with n addresses; its
first resident founds it through the real `create_group` (area, adjacency, audit), the
others are bulk-added as active members (benchmark setup, not product code).  Streets lie on
a grid 1.5 km apart, so groups are not each other's neighbours.  One extra group of
`page_members` with `page_alerts` alerts (bench/fanout.py's `fill_alerts`) is for timing the
group page.  Every resident gets a Django session.  Writes out.json: street ids, group ids,
per group its members' sessions (the founder first).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

ID_BASE = 900_000  # as bench/fanout.py: ids apart from a test run's on a shared Redis
CITY = "Groningen"
MUNICIPALITY = "GM0014"


def build(spec: dict[str, Any]) -> dict[str, Any]:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "buurtwacht.settings")
    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.contrib.sessions.backends.base import VALID_KEY_CHARS
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.db import connection, transaction
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    from buurtwacht.accounts.models import HomeAddress, User
    from buurtwacht.geo.models import Address, Street
    from buurtwacht.groups import actions as group_actions
    from buurtwacht.groups.models import Group, Membership, MembershipRole, MembershipStatus

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import fanout

    started = time.perf_counter()
    sizes = list(spec["sizes"])
    page_members = int(spec.get("page_members") or 0)
    all_sizes = [*sizes, *([page_members] if page_members else [])]
    with transaction.atomic():
        streets = Street.objects.bulk_create(
            Street(name=f"Benchstraat {i}", city=CITY, municipality_code=MUNICIPALITY)
            for i in range(len(all_sizes))
        )
        addresses = []
        for i, (street, size) in enumerate(zip(streets, all_sizes, strict=True)):
            lon0, lat0 = 6.40 + (i % 25) * 0.025, 53.10 + (i // 25) * 0.015
            addresses += [
                Address(
                    street=street,
                    number=n + 1,
                    postcode=f"{9000 + i:04d}{chr(65 + n // 26 % 26)}{chr(65 + n % 26)}",
                    lon=lon0 + (n % 32) * 0.0001,
                    lat=lat0 + (n // 32) * 0.0001,
                )
                for n in range(size)
            ]
        Address.objects.bulk_create(addresses, batch_size=2000)
        password = make_password(None)  # unusable, hashed once
        users, homes = [], []
        uid = ID_BASE
        for i, (street, size) in enumerate(zip(streets, all_sizes, strict=True)):
            for n in range(size):
                uid += 1
                user = User(
                    pk=uid,
                    email=f"bench{uid}@example.nl",
                    name=f"Lid {i}-{n}",
                    date_of_birth=dt.date(1980, 1, 1),
                    password=password,
                )
                users.append(user)
                homes.append(
                    HomeAddress(
                        user=user,
                        street=street.name,
                        number=n + 1,
                        postcode=f"{9000 + i:04d}AA",
                        city=CITY,
                        municipality_code=MUNICIPALITY,
                        lon=6.40 + (i % 25) * 0.025,
                        lat=53.10 + (i // 25) * 0.015,
                    )
                )
        User.objects.bulk_create(users, batch_size=2000)
        HomeAddress.objects.bulk_create(homes, batch_size=2000)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)",
                [Group._meta.db_table, ID_BASE],
            )
        elif connection.vendor == "sqlite":
            cursor.execute(
                "INSERT OR REPLACE INTO sqlite_sequence (name, seq) VALUES (%s, %s)",
                [Group._meta.db_table, ID_BASE],
            )
    groups: list[dict[str, Any]] = []
    offset = 0
    for i, (street, size) in enumerate(zip(streets, all_sizes, strict=True)):
        residents = users[offset : offset + size]
        offset += size
        founder = User.objects.get(pk=residents[0].pk)
        group = group_actions.create_group(
            founder=founder,
            new=group_actions.NewGroup(
                name=f"Buurtwacht Benchstraat {i}",
                description="Schaalbenchmark",
                municipality_code=MUNICIPALITY,
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
            for user in residents[1:]
        )
        groups.append({"id": group.pk, "street_id": street.pk, "users": [u.pk for u in residents]})
    if page_members:
        page = groups.pop()
        fill_users = list(User.objects.filter(pk__in=page["users"]).order_by("pk"))
        fanout.fill_alerts(
            group=Group.objects.get(pk=page["id"]),
            street=streets[-1],
            users=fill_users,
            count=int(spec.get("page_alerts") or 0),
        )
    else:
        page = None
    # Sessions in bulk: what SessionStore.create() writes, without a query per session.
    by_id = {u.pk: u for u in users}
    expire = timezone.now() + dt.timedelta(days=14)
    rows, keys = [], {}
    store = SessionStore()
    for user in users:
        key = get_random_string(32, VALID_KEY_CHARS)
        keys[user.pk] = key
        data = {
            "_auth_user_id": str(user.pk),
            "_auth_user_backend": "django.contrib.auth.backends.ModelBackend",
            "_auth_user_hash": by_id[user.pk].get_session_auth_hash(),
        }
        rows.append(Session(session_key=key, session_data=store.encode(data), expire_date=expire))
    Session.objects.bulk_create(rows, batch_size=2000)
    for entry in [*groups, *([page] if page else [])]:
        entry["sessions"] = [keys[pk] for pk in entry["users"]]
    return {
        "groups": groups,
        "page_group": page,
        "members": sum(len(g["users"]) for g in groups),
        "seconds": time.perf_counter() - started,
    }


if __name__ == "__main__":
    out = build(json.loads(Path(sys.argv[1]).read_text()))
    Path(sys.argv[2]).write_text(json.dumps(out))
