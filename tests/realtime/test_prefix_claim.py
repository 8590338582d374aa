"""Two installs must not share a CHANNEL_PREFIX on one Redis (they would see each other's
alerts): `manage.py serve` claims its prefix with its database's identity at start and
refuses to start when another install holds it (realtime/claim.py)."""

import subprocess
import time
import uuid

import pytest
import redis
from django.db import connection

from buurtwacht.realtime import claim as prefix_claim
from buurtwacht.realtime.claim import CLAIM_SECONDS, PrefixTaken, claim

from .test_faults import launch, prefix  # noqa: F401  (the fixture)

REDIS_URL = "redis://127.0.0.1:6379/13"


@pytest.fixture
def client():
    return redis.Redis.from_url(REDIS_URL)


@pytest.fixture
def own_prefix(client):
    name = f"t{uuid.uuid4().hex[:10]}."
    yield name
    client.delete(prefix_claim._key(name))


def test_one_install_claims_and_renews_another_is_refused(client, own_prefix):
    claim(client=client, prefix=own_prefix, identity="install-a")
    claim(client=client, prefix=own_prefix, identity="install-a")  # another process of it
    assert 0 < client.ttl(prefix_claim._key(own_prefix)) <= CLAIM_SECONDS
    with pytest.raises(PrefixTaken) as refused:
        claim(client=client, prefix=own_prefix, identity="install-b")
    assert own_prefix in str(refused.value) and "CHANNEL_PREFIX" in str(refused.value)


def test_the_claim_of_an_install_that_stopped_expires(client, own_prefix):
    claim(client=client, prefix=own_prefix, identity="install-a")
    client.pexpire(prefix_claim._key(own_prefix), 50)  # as if CLAIM_SECONDS had passed
    deadline = time.monotonic() + 5
    while client.exists(prefix_claim._key(own_prefix)):
        assert time.monotonic() < deadline
        time.sleep(0.02)
    claim(client=client, prefix=own_prefix, identity="install-b")
    assert client.get(prefix_claim._key(own_prefix)) == b"install-b"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_database_identity_is_stable_and_names_nothing():
    here = prefix_claim.database_identity()
    assert here == prefix_claim.database_identity()
    db = connection.settings_dict
    assert db["NAME"] not in here


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
async def test_a_server_refuses_a_prefix_another_install_holds(launch, tmp_path):  # noqa: F811
    """Real `manage.py serve` processes: two of one install share the prefix; one on
    another database (here PostgreSQL's own `postgres` database) is refused at start."""
    shared = prefix()
    db = connection.settings_dict
    first = launch(CHANNEL_PREFIX=shared)
    second = launch(CHANNEL_PREFIX=shared)
    await launch.ready(first, second)
    other_install = launch(
        CHANNEL_PREFIX=shared,
        DATABASE_URL=f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/postgres",
    )
    try:
        code = other_install.process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        pytest.fail("a second install started on a prefix the first one holds")
    assert code != 0
    port = other_install.address.rsplit(":", 1)[1]
    said = (tmp_path / f"server-{port}.log").read_text()
    assert "is in use on this Redis by another install" in said
    assert first.process.poll() is None and second.process.poll() is None


@pytest.mark.django_db
def test_a_server_starts_when_redis_is_away_and_claims_later(settings, caplog):
    """As after a cut link: the sockets wait for the channel layer; the claim is tried
    again by the thread that renews it."""
    from tests.conftest import free_port

    settings.REDIS_URL = f"redis://127.0.0.1:{free_port()}/13"
    settings.CHANNEL_PREFIX = f"t{uuid.uuid4().hex[:10]}."
    prefix_claim.claim_for_this_install()  # no exception
    assert "did not answer the CHANNEL_PREFIX claim" in caplog.text
