"""Who the client is: the connection's address, unless PROXY_COUNT trusted proxies stand in
front of the app; a forged X-Forwarded-For never makes a new visitor.  And the logins of one
account, from however many addresses, are slowed down (a delay, never a lock-out)."""

import datetime as dt
import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request

import pytest
import time_machine
from django.test import RequestFactory
from django.urls import reverse

from buurtwacht.accounts.models import User
from buurtwacht.core.ratelimit import client_address
from tests.conftest import PASSWORD

from .test_registration import register

pytestmark = pytest.mark.django_db

CONNECTION = "198.51.100.7"


def forged(n: int) -> str:
    return f"203.0.113.{n % 250 + 1}"


def login(client, email, password, **headers):
    return client.post(reverse("login"), {"username": email, "password": password}, **headers)


def test_without_a_proxy_the_address_is_the_connections(settings):
    settings.PROXY_COUNT = 0
    request = RequestFactory().get("/", REMOTE_ADDR=CONNECTION, HTTP_X_FORWARDED_FOR="10.1.2.3")
    assert client_address(request) == CONNECTION


def test_behind_one_proxy_the_address_is_what_the_proxy_saw(settings):
    """The proxy appends the address it saw; whatever the client wrote itself stands left."""
    settings.PROXY_COUNT = 1
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="10.1.2.3, 192.0.2.44"
    )
    assert client_address(request) == "192.0.2.44"
    settings.PROXY_COUNT = 2
    assert client_address(request) == "10.1.2.3"
    settings.PROXY_COUNT = 3  # fewer entries than proxies: the connection
    assert client_address(request) == "10.0.0.2"


def test_a_forged_forwarded_for_per_try_does_not_escape_the_login_lockout(
    client, make_resident, settings
):
    femke = make_resident("Femke de Boer")
    for n in range(settings.AXES_FAILURE_LIMIT - 1):
        response = login(
            client, femke.email, "fout", REMOTE_ADDR=CONNECTION, HTTP_X_FORWARDED_FOR=forged(n)
        )
        assert response.status_code == 200
    locked = login(
        client, femke.email, "fout", REMOTE_ADDR=CONNECTION, HTTP_X_FORWARDED_FOR="1.2.3.4"
    )
    assert locked.status_code == 429
    right = login(
        client, femke.email, PASSWORD, REMOTE_ADDR=CONNECTION, HTTP_X_FORWARDED_FOR="5.6.7.8"
    )
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_forged_forwarded_for_per_try_does_not_escape_the_registration_limit(
    client, settings, groningen_addresses
):
    settings.REGISTRATIONS_PER_HOUR = 2
    headers = {"REMOTE_ADDR": CONNECTION}
    for n in range(2):
        response = register(
            client, email=f"buur{n}@example.nl", **headers, HTTP_X_FORWARDED_FOR=forged(n)
        )
        assert response.status_code == 200
    refused = register(client, email="buur9@example.nl", **headers, HTTP_X_FORWARDED_FOR="9.9.9.9")
    assert refused.status_code == 429
    assert not User.objects.filter(email="buur9@example.nl").exists()


def test_one_account_is_slowed_down_across_addresses_but_never_locked_out(
    client, make_resident, settings
):
    """django-axes locks an account *and address* pair; from many real addresses an attacker
    would get 4 tries each.  Per account, after LOGIN_FREE_FAILURES wrong passwords each
    next try waits twice as long (at most LOGIN_LONGEST_WAIT); a try told to wait checks no
    password and does not count, and once the wait is over the owner logs in."""
    settings.LOGIN_FREE_FAILURES = 3
    settings.LOGIN_LONGEST_WAIT = 60
    femke = make_resident("Femke de Boer")
    start = dt.datetime(2027, 3, 2, 12, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as traveller:
        for n in range(3):  # a new real address per try: axes sees 1 failure per pair
            assert login(client, femke.email, "fout", REMOTE_ADDR=forged(n)).status_code == 200
        waits = []
        for n in range(3, 8):
            told = login(client, femke.email, "fout", REMOTE_ADDR=forged(n))
            assert told.status_code == 429
            assert "Wacht" in told.text
            waits.append(int(re.search(r"Wacht (\d+) seconden", told.text).group(1)))
            # even the right password waits (no password is checked), and is not counted
            right = login(client, femke.email, PASSWORD, REMOTE_ADDR=forged(n + 100))
            assert right.status_code == 429
            traveller.shift(waits[-1])
            assert login(client, femke.email, "fout", REMOTE_ADDR=forged(n + 50)).status_code == 200
        assert waits == [1, 2, 4, 8, 16]
        traveller.shift(60)  # the longest wait, and the owner is in
        owner = login(client, femke.email.upper(), PASSWORD, REMOTE_ADDR="192.0.2.10")
        assert owner.status_code == 302
        client.logout()
        # a success starts the count afresh
        assert login(client, femke.email, "fout", REMOTE_ADDR=forged(1)).status_code == 200


def _login_through(server: str, email: str, password: str, forwarded: str) -> int:
    """One login through the real server, as a browser would (CSRF cookie and token)."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect())
    url = f"http://{server}{reverse('login')}"
    page = opener.open(url, timeout=10).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    body = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "username": email, "password": password}
    ).encode()
    request = urllib.request.Request(url, data=body, headers={"X-Forwarded-For": forwarded})
    try:
        return opener.open(request, timeout=10).status
    except urllib.error.HTTPError as error:
        return error.code


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


@pytest.mark.django_db(transaction=True)
def test_the_server_counts_the_connection_not_a_forged_forwarded_for(asgi_server, settings):
    """Through uvicorn (as `manage.py serve` runs it): its proxy headers would take the
    header of any client on 127.0.0.1."""
    from buurtwacht.accounts import actions as account_actions

    femke = User.objects.create(email="femke@example.nl", name="Femke de Boer")
    account_actions.set_password(user=femke, password=PASSWORD)
    codes = [
        _login_through(asgi_server, femke.email, "fout", forged(n))
        for n in range(settings.AXES_FAILURE_LIMIT)
    ]
    assert codes == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429]
    assert _login_through(asgi_server, femke.email, PASSWORD, "192.0.2.99") == 429


def test_the_admin_login_is_slowed_down_per_account_too(client, make_resident, settings):
    settings.LOGIN_FREE_FAILURES = 2
    femke = make_resident("Femke de Boer")
    url = "/beheer/login/"
    for n in range(2):
        client.post(url, {"username": femke.email, "password": "fout"}, REMOTE_ADDR=forged(n))
    told = client.post(url, {"username": femke.email, "password": "fout"}, REMOTE_ADDR=forged(9))
    assert "Wacht" in told.text
