"""Every token or code a URL carries goes through one converter (web/converters.py): a
path with a NUL byte or another character no token has is a 404 before any query runs.
(On PostgreSQL such a value reaching a query was a 500: it cannot hold a NUL.)"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import StringConverter

from buurtwacht.web import urls as web_urls

pytestmark = pytest.mark.django_db

BAD = ["a%00b", "a%00", "%00", "a%01b", "a%20b", "%C3%A9"]


def _patterns(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.pattern


def test_no_path_of_the_site_takes_a_plain_string():
    plain = [
        route
        for route, pattern in _patterns(web_urls.urlpatterns)
        if any(isinstance(c, StringConverter) for c in getattr(pattern, "converters", {}).values())
    ]
    assert plain == []


@pytest.mark.parametrize(
    "path",
    [
        "/doe-mee/{}/",
        "/nieuwsbrief/afmelden/{}/",
        "/nieuwsbrief/bevestigen/{}/",
        "/account/verificatie/bevestigen/{}/",
        "/kaart/gemeente/{}/",
        "/kaart/widget/{}/",
        "/account/bevestigen/{}/abc-def/",
        "/account/bevestigen/MQ/{}/",
        "/account/wachtwoord-herstellen/{}/set-password/",
    ],
)
@pytest.mark.parametrize("bad", BAD)
def test_a_token_with_a_nul_byte_or_a_stray_character_is_not_found(client, path, bad):
    url = path.format(bad)
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404


def test_real_tokens_still_resolve():
    resolver = get_resolver()
    for url in [
        "/doe-mee/Zx9_-abc/",
        "/nieuwsbrief/bevestigen/.eJyLrlY:1tP3xw:abc-DEF_12/",
        "/account/wachtwoord-herstellen/MQ/set-password/",
        "/account/bevestigen/MQ/c1a2b3-0123456789abcdef0123456789abcdef/",
        "/kaart/gemeente/GM0014/",
    ]:
        resolver.resolve(url)  # raises Resolver404 if not
