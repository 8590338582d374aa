"""An alert or an update from another day shows its date, not only "08:35"."""

import datetime as dt

from django.test import Client
from django.urls import reverse
from django.utils import translation

from buurtwacht.alerts import actions
from buurtwacht.alerts.models import Alert, AlertUpdate
from buurtwacht.core import clock
from buurtwacht.geo.models import Street
from tests.conftest import GROUP_STREET, visible_text


def test_older_alerts_and_updates_show_their_date(group, mo_member):
    alert, _created = actions.post_alert(
        user=mo_member,
        group_id=group.pk,
        draft=actions.AlertDraft(
            client_id="old",
            kind="suspicious_person",
            what="Iemand loopt met een zaklamp door de tuinen",
            street_id=Street.objects.filter(name=GROUP_STREET).first().pk,
        ),
    )
    actions.add_update(user=mo_member, alert_id=alert.pk, client_id="u1", text="Nu weg")
    earlier = clock.now() - dt.timedelta(days=3)
    Alert.objects.filter(pk=alert.pk).update(seen_at=earlier)
    AlertUpdate.objects.filter(alert=alert).update(created_at=earlier)
    client = Client()
    client.force_login(mo_member)
    html = client.get(reverse("group", args=[group.pk])).content.decode()
    with translation.override("nl"):
        expected = clock.clock_stamp(earlier)
    card = visible_text(html, element_id=f"alert-{alert.pk}")
    assert expected in card  # e.g. "1 december 20:15"
    assert card.count(expected) == 2  # the alert and its update
