"""The admin's privacy page (what is kept, how long, who is responsible) and the member
register export."""

import csv
import io

import pytest
from django.urls import reverse

from buurtwacht.accounts import actions as account_actions
from buurtwacht.groups.models import AuditEntry
from tests.conftest import visible_text

pytestmark = pytest.mark.django_db


def test_privacy_page_states_what_is_kept_and_who_is_responsible(client, group, anna_admin):
    client.force_login(anna_admin)
    page = client.get(reverse("group_privacy", args=[group.pk])).text
    assert "Anna de Vries" in visible_text(page, element_id="controller")
    kept = visible_text(page, element_id="kept")
    assert "Meldingen, met hun aanvullingen" in kept and "180 dagen" in kept
    assert "Foto's bij meldingen30 dagen" in kept
    assert "Chatberichten30 dagen" in kept
    assert "verwerkingsverantwoordelijke" in page


def test_admins_export_the_member_register(
    client, group, anna_admin, mo_member, pieter_politie, resident_on
):
    from tests.conftest import GROUP_STREET, admit

    gone = resident_on("Gerrit Weg", GROUP_STREET, 15)
    admit(group, anna_admin, gone)
    account_actions.delete_account(user=gone)
    client.force_login(mo_member)
    url = reverse("group_member_register", args=[group.pk])
    assert client.get(url).status_code == 403
    client.force_login(anna_admin)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Cache-Control"] == "private, no-store"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Naam", "Rol", "Status", "Lid sinds", "Tot"]
    names = {row[0]: row for row in rows[1:]}
    assert set(names) == {"Anna de Vries", "Mo Bakker", "Pieter Politie", "Verwijderd account"}
    assert names["Verwijderd account"][2] == "vertrokken"
    assert "@" not in response.content.decode()  # no e-mail addresses
    assert AuditEntry.objects.filter(action="export_members", actor=anna_admin).count() == 1
