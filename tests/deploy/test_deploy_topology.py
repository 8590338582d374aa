"""The production topology, here, from the files in deploy/: nginx (TLS, static files,
WebSockets), two web processes and the worker of deploy/Procfile, PostgreSQL and Redis.
A real browser logs in through the proxy, gets an alert over wss:// through it, and keeps
getting them, with nothing lost, when the web process holding its socket is killed."""

import json
import os
import shutil
import time
from urllib.parse import urlencode

import pytest
from django.db import connection, connections

from buurtwacht.alerts import actions as alert_actions
from buurtwacht.geo import actions as geo_actions
from buurtwacht.geo.models import Address, Street
from buurtwacht.realtime.models import Presence
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.conftest import GROUP_STREET, PASSWORD, free_port, run_together
from tests.core.scrape import samples, value

from .topology import NGINX, get, start_topology

pytestmark = [pytest.mark.postgres, pytest.mark.browser, pytest.mark.django_db(transaction=True)]
LIVE = "Live: nieuwe meldingen verschijnen hier meteen."


def needed(what: str, found: bool, hint: str) -> None:
    if found:
        return
    if os.environ.get("CI") or os.environ.get("BROWSER_TESTS") == "required":
        pytest.fail(f"{what} not found ({hint})")
    pytest.skip(f"{what} not found; {hint}")


@pytest.fixture
def groningen_addresses(groningen_subset_csv):
    geo_actions.import_addresses(path=groningen_subset_csv)


@pytest.fixture
def browser():
    needed("Chromium", bool(shutil.which(CHROMIUM)), "apt-get install chromium")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def topology(tmp_path, transactional_db):
    needed("nginx", bool(shutil.which(NGINX)), "apt-get install nginx-light")
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    running = start_topology(folder=tmp_path, database_url=url, free_port=free_port)
    yield running
    running.stop()
    time.sleep(0.5)  # the processes' database sessions end before the test database goes


def log_in(browser, topology, user, path, geolocation=None):
    context = browser.new_context(
        locale="nl-NL",
        ignore_https_errors=True,  # the test's own certificate
        geolocation=geolocation,
        permissions=["geolocation"] if geolocation else [],
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    # Straight to the page from the login (`next`): one page load, so one socket.
    page.goto(f"{topology.origin}/account/inloggen/?{urlencode({'next': path})}")
    page.get_by_label("E-mailadres").fill(user.email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"{topology.origin}{path}")  # logged in, through the proxy
    page.get_by_text(LIVE).wait_for()
    return context, page


def post_in_browser(page, text: str) -> None:
    page.get_by_text("Melding maken").click()
    page.get_by_label("Wat zag je? Beschrijf het gedrag.").fill(text)
    page.get_by_role("button", name="Mijn locatie toevoegen").click()
    page.get_by_text("Je locatie is toegevoegd").wait_for()
    page.get_by_role("button", name="Melding versturen").click()


def servers_of(user) -> set[str]:
    """The pids of the web processes with a socket of this person (presence rows name
    them; a killed process's rows stay until they expire)."""
    rows = Presence.objects.filter(user=user).values_list("server", flat=True)
    return {server.split(":")[1] for server in rows}


def server_of(user) -> str:
    """The one web process that holds the person's socket."""
    deadline = time.monotonic() + 10
    while len(servers := servers_of(user)) != 1:
        assert time.monotonic() < deadline, f"no single presence for the watcher: {servers}"
        time.sleep(0.2)
    return servers.pop()


def test_deploy_topology_browser_keeps_its_alerts_when_a_web_process_is_killed(
    browser, topology, group, anna_admin, mo_member
):
    here = Address.objects.filter(street__name=GROUP_STREET).first()
    street = Street.objects.filter(name=GROUP_STREET).first()
    path = f"/groepen/{group.pk}/"
    spot = {"longitude": here.lon, "latitude": here.lat, "accuracy": 10}
    watcher_context, watcher = log_in(browser, topology, mo_member, path)
    poster_context, poster = log_in(browser, topology, anna_admin, path, geolocation=spot)
    try:
        # Static files come from nginx (STATIC_ROOT), not from the app.
        status, _body, headers = get(f"{topology.origin}/static/web/live.js")
        assert status == 200 and "X-Request-ID" not in headers

        post_in_browser(poster, "Eerste: iemand voelt aan deurklinken")
        cards = watcher.locator("article.alert")
        cards.filter(has_text="Eerste: iemand voelt aan deurklinken").wait_for()

        # Kill the web process that holds the watcher's socket, then post at once: the
        # alert is committed while the watcher has no socket (and is published to nobody).
        pids = {str(p.pid): name for name, p in topology.processes.items()}
        victim = pids[server_of(mo_member)]
        killed_at = time.monotonic()
        topology.kill(victim)
        (posted,) = run_together(  # in a thread: Playwright's event loop runs in this one
            lambda: alert_actions.post_alert(
                user=anna_admin,
                group_id=group.pk,
                draft=alert_actions.AlertDraft(
                    client_id="deploy-2",
                    kind="suspicious_person",
                    what="Tweede: gepost terwijl de verbinding weg was",
                    street_id=street.pk,
                ),
            )
        )
        assert not isinstance(posted, Exception), posted
        cards.filter(has_text="Tweede: gepost terwijl de verbinding weg was").wait_for()
        replayed_after = time.monotonic() - killed_at
        watcher.get_by_text(LIVE).wait_for()

        post_in_browser(poster, "Derde: na de herverbinding, live")
        cards.filter(has_text="Derde: na de herverbinding, live").wait_for()
        for text in ("Eerste", "Tweede", "Derde"):  # each once: nothing lost, nothing twice
            assert cards.filter(has_text=f"{text}:").count() == 1
        survivor = "web2" if victim == "web1" else "web1"
        assert str(topology.processes[survivor].pid) in servers_of(mo_member)

        # Ready through the proxy still; /metrics is not served through it.
        status, body, headers = get(f"{topology.origin}/readyz")
        assert status == 200, body
        assert len(headers["X-Request-ID"]) == 32  # nginx's $request_id, passed on
        assert get(f"{topology.origin}/metrics")[0] == 404
        # The survivor answers for every process (multiprocess mode): both posts through
        # the browser published, events handed to sockets with their lag, sockets open.
        status, body, _headers = get(f"http://127.0.0.1:{topology.web_ports[survivor]}/metrics")
        assert status == 200
        found = samples(body.decode())
        published = sum(
            v for (name, _labels), v in found.items() if name == "buurtwacht_events_published_total"
        )
        assert published >= 2
        assert value(found, "buurtwacht_events_delivered_total") >= 2
        assert value(found, "buurtwacht_event_delivery_lag_seconds_count") >= 2
        # Both browsers' sockets, once both are back (the poster's may still be waiting for
        # its reconnect slot); the killed process's are not counted.
        deadline = time.monotonic() + 20
        while value(found, "buurtwacht_websockets_open") != 2 and time.monotonic() < deadline:
            time.sleep(0.2)
            metrics_url = f"http://127.0.0.1:{topology.web_ports[survivor]}/metrics"
            found = samples(get(metrics_url)[1].decode())
        assert value(found, "buurtwacht_websockets_open") == 2
        assert value(found, "buurtwacht_worker_heartbeat_age_seconds") < 10

        # One JSON line per request, with nginx's request id and the account id.
        lines = [
            json.loads(line)
            for name in ("web1", "web2")
            for line in topology.log(name).splitlines()
            if line.startswith("{")
        ]
        requests = [line for line in lines if line["logger"] == "buurtwacht.request"]
        assert any(
            line["user_id"] == mo_member.pk and line["view"] == "group" for line in requests
        ), requests[-5:]
        assert all(len(line["request_id"]) == 32 for line in requests)
        assert not any(mo_member.email in json.dumps(line) for line in lines)
        print(
            f"\ntopology: nginx + 2 web + worker; {victim} killed, the watcher had the alert "
            f"posted meanwhile {replayed_after:.2f} s later (reconnect + replay)"
        )
    finally:
        watcher_context.close()
        poster_context.close()
        connections.close_all()  # this context's; the flush after the test opens its own
