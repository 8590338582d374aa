"""Error pages speak Dutch and lead somewhere (they were Django's bare English pages)."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_a_page_that_does_not_exist_is_a_dutch_page(client):
    response = client.get("/bestaat-niet/")
    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.text
    assert 'href="/"' in response.text


def test_a_groups_alerts_for_someone_else_are_the_same_dutch_404(client, bob_buiten, group):
    client.force_login(bob_buiten)
    response = client.get(f"/groepen/{group.pk}/meldingen/eerder/")
    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.text


def test_a_form_body_that_cannot_be_read_is_a_dutch_400(client, settings, anna_admin, group):
    client.force_login(anna_admin)
    response = client.post(
        f"/groepen/{group.pk}/meldingen/", data=b"x", content_type="multipart/form-data"
    )
    assert response.status_code == 400
    assert "Verzoek niet begrepen" in response.text


def test_a_failed_csrf_check_is_a_dutch_403(anna_admin):
    client = Client(enforce_csrf_checks=True)
    client.force_login(anna_admin)
    response = client.post("/account/uitloggen/")
    assert response.status_code == 403
    assert "De veiligheidscontrole is mislukt" in response.text


def test_a_permission_denied_is_the_dutch_403_page(client, group, pieter_politie, settings):
    """Not only a failed CSRF check: a real refusal of a logged-in account (a wijkagent reads
    along but never reports on the group's behalf) was Django's bare "403 Forbidden"."""
    settings.DEBUG = False
    client.force_login(pieter_politie)
    response = client.post(f"/groepen/{group.pk}/politie/", {"client_id": "x"})
    assert response.status_code == 403
    assert '<html lang="nl">' in response.text
    assert "Niet toegestaan" in response.text
    assert "Dit mag je niet doen. Ben je ingelogd met het goede account?" in response.text
    assert 'href="/"' in response.text and "Forbidden" not in response.text


def test_the_demo_with_debug_on_still_shows_the_dutch_404_page(client, settings):
    settings.DEBUG = True  # as `make demo` runs
    response = client.get("/bestaat-niet/")
    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.text
    assert "URLconf" not in response.text  # not Django's technical page with every pattern
    # JSON 404s of the API stay JSON.
    api = client.get("/api/bestaat-niet")
    assert api.status_code == 404 and api["Content-Type"].startswith("application/json")
