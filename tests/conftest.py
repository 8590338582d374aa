"""Shared fixtures.  Personas (see ARCHITECTURE.md): anna_admin, mo_member,
pieter_politie (wijkagent), bob_buiten (outsider), gea_gemeente (municipality)."""

import atexit
import csv
import datetime as dt
import itertools
import re
import shutil
import socket
import tempfile
import threading
import time
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
import uvicorn
from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.test import Client, override_settings

from buurtwacht.accounts import actions as account_actions
from buurtwacht.accounts.models import User
from buurtwacht.core.management.commands.serve import SOCKET_OPTIONS
from buurtwacht.demo.data import SAMPLE_ADDRESS_FILE, SAMPLE_DIR
from buurtwacht.geo import actions as geo_actions
from buurtwacht.geo.geocoders import GazetteerGeocoder
from buurtwacht.geo.geocoding import AddressQuery
from buurtwacht.geo.models import Address, Street
from buurtwacht.groups import actions
from buurtwacht.groups.models import Group, VettingMethod
from buurtwacht.municipality.actions import grant_role
from buurtwacht.municipality.models import VerifiedRole

# The Belgian demo area and personas (tests/belgium.py).
pytest_plugins = ["tests.belgium"]

# The in-process test server (asgi_server) shares the test database with the test thread.
# Connections are closed after each request, as the test runner expects.
settings.DATABASES["default"]["CONN_MAX_AGE"] = 0
if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, as in production, not Django's default shared in-memory database: there a
    # write meeting another thread's lock fails at once ("database table is locked");
    # in a WAL file it waits (busy_timeout), as it does when the app runs.
    _test_db_dir = tempfile.mkdtemp(prefix="buurtwacht-test-")
    atexit.register(shutil.rmtree, _test_db_dir, ignore_errors=True)
    settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = f"{_test_db_dir}/test.sqlite3"

PASSWORD = "veilig-in-de-buurt-2026"
GROUP_STREET = "Grote Beerstraat"
OTHER_STREET = "Paterswoldseweg"


@pytest.fixture(scope="session")
def groningen_csv() -> Path:
    """The BAG addresses of 299 Groningen streets that ship with Buurtwacht."""
    return SAMPLE_ADDRESS_FILE


@pytest.fixture(scope="session")
def gemeenten_geojson() -> Path:
    """The 352 Dutch municipalities (CBS/Kadaster 2021) that ship with Buurtwacht."""
    return SAMPLE_DIR / "gemeenten.geojson"


@pytest.fixture(scope="session")
def pc4_geojson() -> Path:
    """Groningen's postcode-4 areas, derived from the BAG addresses (DATA-LICENCES.md)."""
    return SAMPLE_DIR / "groningen_pc4.geojson"


@pytest.fixture(scope="session")
def groningen_addresses(django_db_setup, django_db_blocker, groningen_csv: Path) -> None:
    """The real Groningen BAG addresses of the shipped set, imported once per test session.
    (Tests with `transactional_db` flush the database; they import what they need.)"""
    with django_db_blocker.unblock():
        geo_actions.import_addresses(path=groningen_csv)


@pytest.fixture(scope="session")
def groningen_subset_csv(groningen_csv: Path, tmp_path_factory) -> Path:
    """The real rows of the streets the personas live on: quick to import again in tests
    with `transactional_db`, whose database is emptied after each test."""
    part = tmp_path_factory.mktemp("bag") / "groningen_personas.csv"
    streets = {GROUP_STREET, OTHER_STREET, "Poelestraat"}
    with groningen_csv.open(newline="") as src, part.open("w", newline="") as dst:
        rows = csv.reader(src)
        writer = csv.writer(dst)
        writer.writerow(next(rows))
        writer.writerows(row for row in rows if row[0] in streets)
    return part


def pytest_addoption(parser):
    parser.addoption(
        "--today",
        metavar="MOMENT",
        help="run the tests as if it were this moment (ISO, e.g. 2028-02-29T12:00+01:00): "
        "the clock starts there and ticks on (time-machine); for the date-sensitive tests",
    )


def pytest_configure(config):
    moment = config.getoption("--today")
    if moment:
        time_machine.travel(dt.datetime.fromisoformat(moment), tick=True).start()


def pytest_collection_modifyitems(config, items):
    """`@pytest.mark.postgres`: the test needs PostgreSQL; skipped on SQLite (one marker,
    not a copied skipif in every file)."""
    if connections["default"].vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (DATABASE_URL)")
    for item in items:
        if item.get_closest_marker("postgres"):
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _plain_http(settings):
    """Production settings send http to https; the test client and live server speak http."""
    settings.SECURE_SSL_REDIRECT = False


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Rate-limit counters (core/ratelimit.py) start at zero in every test, and so do the
    account buckets of this process (realtime/limits.py)."""
    from buurtwacht.realtime.limits import ACCOUNTS

    cache.clear()
    ACCOUNTS._buckets.clear()


@pytest.fixture(autouse=True)
def _register_sees_every_change(settings):
    """The public register's index checks the database on every request in tests (not
    every 2 s), so no test sees groups of an earlier, rolled-back one."""
    settings.REGISTER_REFRESH_SECONDS = 0


# A Tuesday at noon in Amsterdam: outside anyone's quiet hours (23:00-07:00 by default).
NOON = dt.datetime(2027, 3, 2, 12, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))


@pytest.fixture
def noon():
    """The clock at NOON, ticking on, for a test whose outcome depends on the time of day
    (quiet hours hold notifications back at night).  Ask for it first, so that the
    set-up runs at noon too; it yields the time-machine traveller."""
    with time_machine.travel(NOON, tick=True) as traveller:
        yield traveller


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_serving(url: str, timeout: float = 30) -> str:
    """Poll `url` until a server answers it; returns the body."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.read().decode()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


# Production settings send http to https; test servers speak plain http.
PLAIN_HTTP = {
    "SECURE_SSL_REDIRECT": False,
    "SECURE_HSTS_SECONDS": 0,
    "SESSION_COOKIE_SECURE": False,
    "CSRF_COOKIE_SECURE": False,
}


@pytest.fixture(scope="session")
def asgi_server():
    """The real ASGI app on uvicorn, in a thread of this process so it shares the test
    database (use it with `transactional_db`).  Yields "127.0.0.1:<port>"."""
    plain_http = override_settings(**PLAIN_HTTP)
    plain_http.enable()  # before the app loads its middleware, which reads them once
    port = free_port()
    config = uvicorn.Config(
        "buurtwacht.asgi:application",
        host="127.0.0.1",
        port=port,
        lifespan="off",
        log_level="warning",
        **SOCKET_OPTIONS,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
    plain_http.disable()


def session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}"


def run_together(*calls):
    """Start all calls at the same moment; return what each returned or raised."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def worker(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as exc:
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


_emails = itertools.count()


@pytest.fixture
def make_resident(groningen_addresses, db):
    """Registers a resident at a real Groningen address through the real action."""

    def make(
        name: str,
        *,
        postcode: str = "9712KB",
        number: int = 24,
        letter: str = "C",
        addition: str = "",
        born: dt.date = dt.date(1980, 5, 17),
    ) -> User:
        address = GazetteerGeocoder().lookup(
            AddressQuery(postcode=postcode, number=number, letter=letter, addition=addition)
        )
        assert address is not None
        return account_actions.register_user(
            registration=account_actions.Registration(
                email=f"{name.split()[0].lower()}{next(_emails)}@example.nl",
                name=name,
                password=PASSWORD,
                date_of_birth=born,
                address=address,
            )
        )

    return make


@pytest.fixture
def femke(make_resident):
    return make_resident("Femke de Boer")


@pytest.fixture
def femke_client(femke):
    """Femke, logged in: a resident without a group (tests of her own pages)."""
    client = Client()
    client.force_login(femke)
    return client


# --- personas in a real Groningen group on Grote Beerstraat -----------------------------


@pytest.fixture
def resident_on(make_resident):
    def make(name: str, street: str, index: int = 0, born: dt.date = dt.date(1980, 5, 17)):
        row = Address.objects.filter(street__name=street).order_by("number", "letter", "suffix")[
            index
        ]
        return make_resident(
            name,
            postcode=row.postcode,
            number=row.number,
            letter=row.letter,
            addition=row.suffix,
            born=born,
        )

    return make


@pytest.fixture
def group_street_ids(groningen_addresses):
    return list(Street.objects.filter(name=GROUP_STREET).values_list("pk", flat=True))


@pytest.fixture
def anna_admin(resident_on):
    return resident_on("Anna de Vries", GROUP_STREET, 0)


@pytest.fixture
def group(anna_admin, group_street_ids):
    street = Street.objects.get(pk=group_street_ids[0])
    return actions.create_group(
        founder=anna_admin,
        new=actions.NewGroup(
            name="Buurtpreventie Grote Beerstraat",
            description="Samen letten we op elkaar.",
            municipality_code=street.municipality_code,
            street_ids=group_street_ids,
        ),
        overlaps_confirmed=False,
    )


VETTED = actions.Vetting(
    contact_date=dt.date(2026, 11, 1),
    method=VettingMethod.IN_PERSON,
    note="Bij de voordeur gesproken",
    age_checked=True,
    address_checked=True,
)


def admit(group, admin, user):
    join_request = actions.request_to_join(user=user, group_id=group.pk, rules_accepted=True)
    return actions.admit_member(admin=admin, request_id=join_request.pk, vetting=VETTED)


@pytest.fixture
def mo_member(resident_on, group, anna_admin):
    mo = resident_on("Mo Bakker", GROUP_STREET, 10)
    admit(group, anna_admin, mo)
    return mo


@pytest.fixture
def pieter_politie(resident_on, group, anna_admin):
    pieter = resident_on("Pieter Politie", OTHER_STREET, 3)
    grant_role(
        user=pieter,
        role=VerifiedRole.POLICE,
        municipality_codes=[],
        staff=None,
        evidence="Politie Noord-Nederland, team Groningen-Centrum (test)",
    )
    actions.attach_wijkagent(admin=anna_admin, group_id=group.pk, officer=pieter)
    return pieter


@pytest.fixture
def bob_buiten(resident_on):
    return resident_on("Bob Buiten", OTHER_STREET, 7)


class _VisibleText(HTMLParser):
    """The text a reader sees: without <template> contents, `hidden` elements, scripts."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skipping = 0  # depth inside an invisible element

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        if self.skipping or tag in ("template", "script", "style") or "hidden" in dict(attrs):
            self.skipping += 1

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.skipping:
            self.skipping -= 1

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def visible_text(html: str, *, element_id: str | None = None) -> str:
    """What a reader sees of a page (or of the element with `element_id`), whitespace
    collapsed."""
    if element_id is not None:
        match = re.search(rf'<(\w+)[^>]*\bid="{re.escape(element_id)}"', html)
        assert match, f"no element #{element_id}"
        tag = match.group(1)
        end = html.index(f"</{tag}>", match.start())  # cards do not nest their own tag
        html = html[match.start() : end + len(tag) + 3]
    parser = _VisibleText()
    parser.feed(html)
    return " ".join("".join(parser.parts).split())


@pytest.fixture
def gea_gemeente(resident_on, group):
    """A verified municipality coordinator for the test data's municipality (GM0014)."""
    # The tests import no area borders, which is where a street's (and so a group's)
    # municipality code comes from: the real one of these Groningen addresses is GM0014.
    Street.objects.filter(municipality_code="").update(municipality_code="GM0014")
    Group.objects.filter(municipality_code="").update(municipality_code="GM0014")
    group.refresh_from_db()
    gea = resident_on("Gea Gemeente", OTHER_STREET, 12)
    grant_role(
        user=gea,
        role=VerifiedRole.MUNICIPALITY,
        municipality_codes=["GM0014"],
        staff=None,
        evidence="Gemeente Groningen, team Veiligheid (test)",
    )
    return gea
