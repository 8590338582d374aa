"""Closing an alert is one rule, policy.can_close: the action, the card and the live page
(whose data attributes tell live.js) agree with it for every reader and author (issue 13)."""

import re

import pytest
from django.urls import reverse

from buurtwacht.alerts import actions as alert_actions
from buurtwacht.alerts.models import Alert
from buurtwacht.geo.models import Street
from buurtwacht.groups.access import role_in
from buurtwacht.groups.policy import can_close
from tests.conftest import GROUP_STREET, admit, visible_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def liv_member(resident_on, group, anna_admin):
    liv = resident_on("Liv Jansen", GROUP_STREET, 5)
    admit(group, anna_admin, liv)
    return liv


def live_flags(page: str) -> dict[str, bool]:
    section = re.search(r'<section id="live"[^>]*>', page, re.S)
    assert section, "no live section"
    found = dict(re.findall(r'data-close-(own|others)="([^"]*)"', section.group(0)))
    return {key: found[key] == "1" for key in ("own", "others")}


@pytest.mark.parametrize("author_name", ["anna_admin", "mo_member"])
@pytest.mark.parametrize("reader_name", ["anna_admin", "mo_member", "liv_member", "pieter_politie"])
def test_close_view_action_and_page_agree_with_policy(
    request, client, group, mo_member, liv_member, pieter_politie, author_name, reader_name
):
    author = request.getfixturevalue(author_name)
    reader = request.getfixturevalue(reader_name)
    alert, _created = alert_actions.post_alert(
        user=author,
        group_id=group.pk,
        draft=alert_actions.AlertDraft(
            client_id="close-rule",
            kind="break_in",
            what="Iemand forceert een achterdeur",
            street_id=Street.objects.filter(name=GROUP_STREET).first().pk,
        ),
    )
    role, _membership = role_in(user=reader, group=group)
    expected = can_close(role=role, is_author=reader == author)
    client.force_login(reader)

    card = visible_text(client.get(reverse("alert_card", args=[alert.pk])).text)
    assert ("Melding afsluiten" in card) is expected

    flags = live_flags(client.get(reverse("group", args=[group.pk])).text)
    assert flags["own" if reader == author else "others"] is expected

    response = client.post(
        reverse("alert_close", args=[alert.pk]),
        {"outcome": "suspect_gone"},
        headers={"X-Requested-With": "fetch"},
    )
    assert response.status_code == (200 if expected else 403)
    assert (Alert.objects.get(pk=alert.pk).closed_at is not None) is expected
