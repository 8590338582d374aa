"""Two installs on one Redis must not meet: pub/sub ignores the db number, so the channel
names carry a prefix per install (CHANNEL_PREFIX; by default derived from the database)."""

from buurtwacht.settings import default_channel_prefix

PROD = {"ENGINE": "django.db.backends.postgresql", "HOST": "db", "PORT": 5432, "NAME": "bw"}


def test_the_default_prefix_differs_per_database_and_is_stable():
    assert default_channel_prefix(PROD) == default_channel_prefix(dict(PROD))
    others = [{**PROD, "NAME": "bw2"}, {**PROD, "HOST": "db2"}, {**PROD, "PORT": 5433}]
    prefixes = {default_channel_prefix(db) for db in [PROD, *others]}
    assert len(prefixes) == 4


def test_the_default_prefix_ignores_credentials():
    with_password = {**PROD, "USER": "app", "PASSWORD": "geheim"}
    assert default_channel_prefix(with_password) == default_channel_prefix(PROD)
    assert "geheim" not in default_channel_prefix(with_password)
