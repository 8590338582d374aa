"""A socket is authorized once, when it opens: whatever ends the session or the account
closes it (4401), at once, over the real server."""

from contextlib import asynccontextmanager
from types import SimpleNamespace

import pytest
import websockets
from asgiref.sync import sync_to_async
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from buurtwacht.accounts import actions as account_actions
from buurtwacht.accounts.models import User
from buurtwacht.chat.models import ChatMessage
from tests.conftest import PASSWORD

from .conftest import Socket, closed_with

pytestmark = pytest.mark.django_db(transaction=True)


def logged_in(user: User) -> Client:
    """A browser session of the user (each call another session)."""
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def open_socket(asgi_server):
    @asynccontextmanager
    async def open_with(client: Client):
        cookie = f"sessionid={client.cookies['sessionid'].value}"
        headers = {"Origin": f"http://{asgi_server}", "Cookie": cookie}
        async with websockets.connect(f"ws://{asgi_server}/ws/", additional_headers=headers) as ws:
            yield Socket(ws)

    return open_with


async def still_open(socket: Socket, group_id: int) -> bool:
    return (await socket.subscribe(group_id))["type"] == "subscribed"


async def test_logout_closes_that_sessions_sockets_only(open_socket, group, mo_member):
    phone = await sync_to_async(logged_in)(mo_member)
    laptop = await sync_to_async(logged_in)(mo_member)
    async with open_socket(phone) as on_phone, open_socket(laptop) as on_laptop:
        await on_phone.subscribe(group.pk)
        await on_laptop.subscribe(group.pk)
        response = await sync_to_async(phone.post)(reverse("logout"))
        assert response.status_code == 302
        code, received = await closed_with(on_phone)
        assert code == 4401
        assert received[-1]["code"] == "session_ended"
        assert "Log opnieuw in" in received[-1]["message"]
        assert await still_open(on_laptop, group.pk)


async def test_a_password_change_closes_the_other_sessions_sockets(open_socket, group, mo_member):
    here = await sync_to_async(logged_in)(mo_member)
    elsewhere = await sync_to_async(logged_in)(mo_member)
    async with open_socket(here) as this_tab, open_socket(elsewhere) as other:
        await this_tab.subscribe(group.pk)
        await other.subscribe(group.pk)
        new = "een-heel-ander-wachtwoord-77"
        response = await sync_to_async(here.post)(
            reverse("password_change"),
            {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
        )
        assert response.status_code == 302
        code, _received = await closed_with(other)
        assert code == 4401
        # the session that changed it stays logged in, as Django keeps it
        assert await still_open(this_tab, group.pk)


async def test_a_password_reset_closes_every_socket(open_socket, group, mo_member):
    async with open_socket(await sync_to_async(logged_in)(mo_member)) as mo:
        await mo.subscribe(group.pk)
        await sync_to_async(account_actions.set_password)(user=mo_member, password="nieuw-1234-ab")
        code, _received = await closed_with(mo)
    assert code == 4401


async def test_deactivation_closes_the_sockets_and_stops_posting(
    open_socket, group, anna_admin, mo_member
):
    async with open_socket(await sync_to_async(logged_in)(mo_member)) as mo:
        await mo.subscribe(group.pk)
        await sync_to_async(account_actions.set_active)(user=mo_member, active=False)
        code, _received = await closed_with(mo)
        assert code == 4401
        with pytest.raises(websockets.exceptions.ConnectionClosed):
            await mo.send(type="chat", group=group.pk, client_id="na", text="Nog even")
    assert await sync_to_async(ChatMessage.objects.count)() == 0


async def test_deactivation_in_the_django_admin_closes_the_sockets(open_socket, group, mo_member):
    async with open_socket(await sync_to_async(logged_in)(mo_member)) as mo:
        await mo.subscribe(group.pk)

        def deactivate_in_admin() -> None:
            user = User.objects.get(pk=mo_member.pk)
            user.is_active = False
            admin.site._registry[User].save_model(
                request=None,
                obj=user,
                form=SimpleNamespace(changed_data=["is_active"]),
                change=True,
            )

        await sync_to_async(deactivate_in_admin)()
        code, _received = await closed_with(mo)
    assert code == 4401
    assert not (await sync_to_async(User.objects.get)(pk=mo_member.pk)).is_active


async def test_an_admin_edit_of_other_fields_leaves_the_sockets_open(open_socket, group, mo_member):
    async with open_socket(await sync_to_async(logged_in)(mo_member)) as mo:
        await mo.subscribe(group.pk)

        def rename_in_admin() -> None:
            user = User.objects.get(pk=mo_member.pk)
            user.name = "Mo B."
            admin.site._registry[User].save_model(
                request=None, obj=user, form=SimpleNamespace(changed_data=["name"]), change=True
            )

        await sync_to_async(rename_in_admin)()
        assert await mo.nothing_within(0.3)
        assert await still_open(mo, group.pk)


async def test_deleting_the_account_closes_its_sockets(open_socket, group, mo_member):
    async with open_socket(await sync_to_async(logged_in)(mo_member)) as mo:
        await mo.subscribe(group.pk)
        await sync_to_async(account_actions.delete_account)(user=mo_member)
        code, received = await closed_with(mo)
    assert code == 4401
    assert [m["type"] for m in received] == ["revoked", "error"]


def revoke_police(officer, *, reason="Test"):
    """Platform staff revoke the officer's police verification on the staff page."""
    from buurtwacht.municipality.models import Verification

    staff = User.objects.filter(is_staff=True).first() or User.objects.create_user(
        "platform@example.nl", PASSWORD, name="Platform Beheer", is_staff=True
    )
    verification = Verification.objects.get(user=officer, revoked_at__isnull=True)
    response = logged_in(staff).post(
        reverse("staff_verification_revoke", args=[verification.pk]), {"reason": reason}
    )
    assert response.status_code == 302, response.content


async def test_r_pol_1_revoking_police_verification_ends_the_role_and_closes_sockets(
    open_socket, group, anna_admin, pieter_politie
):
    from buurtwacht.groups.models import AuditEntry, Membership
    from buurtwacht.municipality.models import Decision
    from buurtwacht.notify.models import Delivery

    async with open_socket(await sync_to_async(logged_in)(pieter_politie)) as pieter:
        await pieter.subscribe(group.pk)
        await sync_to_async(revoke_police)(pieter_politie, reason="Uit dienst getreden")
        code, received = await closed_with(pieter)
    assert code == 4401
    assert [m["type"] for m in received] == ["revoked", "error"]

    def recorded():
        membership = Membership.objects.get(group=group, user=pieter_politie)
        decision = Decision.objects.get(subject=pieter_politie, kind="revoked")
        told = Delivery.objects.filter(kind="wijkagent_ended").values_list("user_id", flat=True)
        audit = AuditEntry.objects.get(group=group, action="wijkagent_verification_revoked")
        return membership.status, decision.reason, decision.decided_by.name, set(told), audit.reason

    assert await sync_to_async(recorded)() == (
        "left",
        "Uit dienst getreden",
        "Platform Beheer",
        {anna_admin.pk},
        "Uit dienst getreden",
    )
    # Logging in again does not bring the group back: the gate wants a verified officer.
    async with open_socket(await sync_to_async(logged_in)(pieter_politie)) as again:
        refused = await again.subscribe(group.pk)
    assert (refused["type"], refused["code"]) == ("error", "not_found")
    page = await sync_to_async(lambda: logged_in(pieter_politie).get(f"/groepen/{group.pk}/"))()
    assert page.status_code == 200 and 'id="live"' not in page.text  # the public part only


async def test_other_accounts_sockets_stay_open(open_socket, group, anna_admin, mo_member):
    async with (
        open_socket(await sync_to_async(logged_in)(mo_member)) as mo,
        open_socket(await sync_to_async(logged_in)(anna_admin)) as anna,
    ):
        await mo.subscribe(group.pk)
        await anna.subscribe(group.pk)
        await sync_to_async(account_actions.set_active)(user=mo_member, active=False)
        code, _received = await closed_with(mo)
        assert code == 4401
        assert await still_open(anna, group.pk)
