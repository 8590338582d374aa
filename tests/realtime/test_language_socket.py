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
