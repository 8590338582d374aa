"""R-GRP-3 for the last member: leaving dissolves the group, but only once confirmed."""

import pytest
from django.test import Client
from django.urls import reverse

from buurtwacht.core.errors import ActionError
from buurtwacht.groups import actions
from buurtwacht.groups.models import Group, Membership


def test_r_grp_3_last_member_leaving_is_asked_to_confirm_dissolving(group, anna_admin):
    with pytest.raises(ActionError) as refused:
        actions.leave_group(user=anna_admin, group_id=group.pk)
    assert refused.value.code == "last_member"
    assert Group.objects.filter(pk=group.pk).exists()


def test_r_grp_3_last_member_dissolves_the_group_with_confirmation(
    group, anna_admin, pieter_politie
):
    # The wijkagent only reads along: anna is still the last resident.
    actions.leave_group(user=anna_admin, group_id=group.pk, dissolve=True)
    assert not Group.objects.filter(pk=group.pk).exists()
    assert not Membership.objects.filter(group_id=group.pk).exists()


def test_r_grp_3_others_left_means_no_dissolving(group, anna_admin, mo_member):
    with pytest.raises(ActionError) as refused:
        actions.leave_group(user=anna_admin, group_id=group.pk, dissolve=True)
    assert refused.value.code == "last_admin"
    assert Group.objects.filter(pk=group.pk).exists()


def test_last_member_leave_page_explains_and_dissolves_on_the_second_press(group, anna_admin):
    client = Client()
    client.force_login(anna_admin)
    page = client.get(reverse("group", args=[group.pk])).content.decode()
    assert "data-confirm" not in page.split(reverse("group_leave", args=[group.pk]))[1][:40]
    asked = client.post(reverse("group_leave", args=[group.pk]))
    assert asked.status_code == 200
    assert "verdwijnt van de kaart" in asked.content.decode()
    assert Group.objects.filter(pk=group.pk).exists()
    done = client.post(reverse("group_leave", args=[group.pk]), {"dissolve": "1"})
    assert done.status_code == 302
    assert not Group.objects.filter(pk=group.pk).exists()
    # The public register no longer lists it.
    assert client.get(reverse("register_group", args=[group.pk])).status_code == 404
