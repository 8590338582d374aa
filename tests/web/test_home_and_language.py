from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_home_is_dutch_by_default(client):
    response = client.get("/")
    assert response.status_code == 200
    assert 'lang="nl"' in response.text
    assert "Samen letten we op elkaar" in response.text
    assert "belt één persoon 112" in response.text


def test_language_switch_to_english_and_back(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"}, follow=True)
    assert 'lang="en"' in response.text
    assert "Watch out for each other, together" in response.text
    response = client.post(reverse("set_language"), {"language": "nl", "next": "/"}, follow=True)
    assert "Samen letten we op elkaar" in response.text


def test_browser_language_english_is_honoured(client):
    response = client.get("/", headers={"accept-language": "en-GB,en;q=0.9"})
    assert "Watch out for each other, together" in response.text


def test_every_dutch_translation_is_filled_in():
    po = polib.pofile(str(Path(settings.LOCALE_PATHS[0]) / "nl" / "LC_MESSAGES" / "django.po"))
    untranslated = [entry.msgid for entry in po.untranslated_entries()]
    fuzzy = [entry.msgid for entry in po.fuzzy_entries()]
    assert len(po) > 50
    assert untranslated == []
    assert fuzzy == []


def test_security_headers(client):
    response = client.get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'self'" in response["Content-Security-Policy"]
