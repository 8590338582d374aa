"""Group health for the admins (on their pages) and the municipality: no activity for 90
days, more than 100 members, a single admin, join requests waiting longer than 7 days."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from buurtwacht.groups import actions
from buurtwacht.groups.models import MembershipRole
from buurtwacht.groups.selectors import group_health
from tests.conftest import GROUP_STREET
from tests.notify.test_deliveries import post

pytestmark = pytest.mark.django_db


def codes(group):
    return [advice.code for advice in group_health(groups=[group])[group.pk]]


def test_health_single_admin_then_a_co_admin(group, anna_admin, mo_member):
    assert codes(group) == ["single_admin"]
    actions.change_role(
        admin=anna_admin, group_id=group.pk, user_id=mo_member.pk, role=MembershipRole.ADMIN
    )
    assert codes(group) == []


def test_health_quiet_for_90_days_and_waiting_requests(group, anna_admin, resident_on):
    actions.request_to_join(
        user=resident_on("Sem Visser", GROUP_STREET, 30), group_id=group.pk, rules_accepted=True
    )
    assert codes(group) == ["single_admin"]
    with time_machine.travel(timezone.now() + dt.timedelta(days=8)):
        assert codes(group) == ["single_admin", "waiting_requests"]
    with time_machine.travel(timezone.now() + dt.timedelta(days=91)):
        assert codes(group) == ["inactive", "single_admin", "waiting_requests"]
    post(anna_admin, group)  # an alert now: active again 91 days from... now
    with time_machine.travel(timezone.now() + dt.timedelta(days=89)):
        assert "inactive" not in codes(group)


def test_health_more_than_100_members(settings, group, anna_admin, mo_member):
    settings.GROUP_SPLIT_ADVICE_AT = 1  # two members are "more than" one here
    assert "large" in codes(group)


def test_health_shows_on_the_admins_pages(client, group, anna_admin, mo_member):
    client.force_login(anna_admin)
    for name in ("group_members", "group_settings", "group_requests", "group_signs"):
        text = client.get(reverse(name, args=[group.pk])).content.decode()
        assert "Maar één beheerder: benoem een medebeheerder" in text, name
    client.force_login(mo_member)
    assert client.get(reverse("group_members", args=[group.pk])).status_code == 403
