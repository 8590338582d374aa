"""The group page's parts that are the same for every reader (alert cards, the member list,
the alert form) are rendered once and reused (web/fragments.py): what each reader gets is
still their own and never out of date."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from buurtwacht.alerts import actions as alert_actions
from buurtwacht.alerts.models import AckKind
from buurtwacht.groups import actions as group_actions
from buurtwacht.web.fragments import CLIENT_ID, CSRF, EVENT, FRAGMENTS

from .test_group_page_feed import add_alerts

pytestmark = pytest.mark.django_db

CLIENT_IDS = re.compile(r'name="client_id" value="([^"]*)"')
TOKENS = re.compile(r'name="csrfmiddlewaretoken" value="([^"]*)"')


def page_of(user, group) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(reverse("group", args=[group.pk]))
    assert response.status_code == 200
    return response.text


def card(html: str, alert_id: int) -> str:
    found = re.search(
        rf'<article class="alert[^"]*" id="alert-{alert_id}".*?</article>', html, re.S
    )
    assert found is not None
    return found.group(0)


def test_every_reader_gets_fresh_client_ids_and_their_own_csrf_token(group, anna_admin, mo_member):
    add_alerts(group, anna_admin, 3)
    FRAGMENTS.clear()
    first, again, other = (
        page_of(mo_member, group),
        page_of(mo_member, group),
        page_of(anna_admin, group),
    )
    assert FRAGMENTS.hits  # the second and third page reused what the first rendered
    for html in (first, again, other):
        assert CSRF not in html and CLIENT_ID not in html and EVENT not in html
    ids = [i for html in (first, again, other) for i in CLIENT_IDS.findall(html) if i]
    assert len(ids) == len(set(ids)) > 3 * 3  # a resend of one form is idempotent, no more
    # Each page's forms carry a token that is valid for its own session.
    client = Client()
    client.force_login(mo_member)
    html = client.get(reverse("group", args=[group.pk])).text
    token = TOKENS.findall(html)[0]
    alert_id = int(re.findall(r'id="alert-([1-9]\d*)"', html)[0])
    client.handler.enforce_csrf_checks = True
    response = client.post(
        reverse("alert_ack", args=[alert_id, "going"]),
        {"csrfmiddlewaretoken": token},
        headers={"X-Requested-With": "fetch"},
    )
    assert response.status_code == 200


def test_a_card_shows_the_alerts_state_now_and_the_position_of_this_request(
    group, anna_admin, mo_member
):
    [alert] = add_alerts(group, anna_admin, 1)
    before = card(page_of(mo_member, group), alert.pk)
    assert "1 gezien" in before
    alert_actions.acknowledge(user=mo_member, alert_id=alert.pk, kind=AckKind.SEEN)
    after = card(page_of(mo_member, group), alert.pk)
    assert "2 gezien" in after
    event = re.search(r'data-event="(\d+)"', after).group(1)
    assert event == re.search(r'data-position="(\d+)"', page_of(mo_member, group)).group(1)
    assert int(event) > int(re.search(r'data-event="(\d+)"', before).group(1))


def test_r_grp_3_the_member_list_follows_who_is_in_the_group(group, anna_admin, mo_member):
    assert "Mo Bakker" in page_of(anna_admin, group)
    group_actions.leave_group(user=mo_member, group_id=group.pk)
    assert "Mo Bakker" not in page_of(anna_admin, group)


def test_the_controls_on_a_card_are_the_readers_own(group, anna_admin, mo_member):
    """The author and an admin may close an alert; another member may not."""
    [alert] = add_alerts(group, mo_member, 1)
    close = re.compile(r'<form[^>]*data-part="close"[^>]*>')
    own = close.search(card(page_of(mo_member, group), alert.pk)).group(0)
    assert "hidden" not in own
    add_alerts(group, anna_admin, 1, start=1)
    html = page_of(mo_member, group)
    others = [
        close.search(card(html, a)).group(0) for a in re.findall(r'id="alert-([1-9]\d*)"', html)
    ]
    assert sorted("hidden" in form for form in others) == [False, True]


def test_the_page_in_english_is_rendered_in_english(group, anna_admin, mo_member):
    add_alerts(group, anna_admin, 1)
    page_of(mo_member, group)  # Dutch first
    client = Client()
    client.force_login(mo_member)
    client.cookies["django_language"] = "en"
    html = client.get(reverse("group", args=[group.pk])).text
    assert "Members" in html and "seen" in html and "gezien" not in html
