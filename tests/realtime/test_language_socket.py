"""R-RUL-3 over the WebSocket: the same gate as the forms and the API."""

import pytest
from asgiref.sync import sync_to_async

from buurtwacht.chat.models import ChatMessage
from buurtwacht.moderation.models import ModerationRecord, RecordKind

pytestmark = pytest.mark.django_db(transaction=True)


async def test_r_rul_3_socket_warn_confirm_and_block(connect, group, mo_member):
    async with connect(mo_member) as mo:
        warned = await mo.request(type="chat", group=group.pk, client_id="s1", text="klootzak")
        assert (warned["type"], warned["code"]) == ("error", "language_warning")
        assert "klootzak" in warned["message"]
        posted = await mo.request(
            type="chat", group=group.pk, client_id="s1", text="klootzak", confirm_language=True
        )
        assert posted["type"] == "ok"
        blocked = await mo.request(
            type="chat", group=group.pk, client_id="s2", text="ik maak je af", confirm_language=True
        )
        assert blocked["code"] == "language_blocked"
    assert await sync_to_async(ChatMessage.objects.count)() == 1
    kinds = await sync_to_async(
        lambda: sorted(ModerationRecord.objects.values_list("kind", flat=True))
    )()
    assert kinds == [RecordKind.BLOCKED, RecordKind.POSTED_ANYWAY]


async def test_r_rul_3_socket_sees_through_disguises_and_tells_admins(
    connect, group, mo_member, anna_admin
):
    from buurtwacht.notify.models import Delivery

    async with connect(mo_member) as mo:
        slur = await mo.request(
            type="chat", group=group.pk, client_id="s3", text="Die n\u0435\u00adgers weer"
        )
        assert slur["code"] == "language_blocked"
        threat = await mo.request(
            type="chat", group=group.pk, client_id="s4", text="We pakken hem z\u200belf wel"
        )
        assert threat["code"] == "language_blocked"
        profiling = await mo.request(
            type="chat", group=group.pk, client_id="s5", text="Donkere man, Marokkaans uiterlijk"
        )
        assert profiling["code"] == "profiling"
    assert await sync_to_async(ChatMessage.objects.count)() == 0
    told = await sync_to_async(
        Delivery.objects.filter(user=anna_admin, kind="moderation_threat").exists
    )()
    assert told
