"""The group page's feed: a constant number of queries however many alerts the group
has, older alerts paged away, closed alerts folded away."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from buurtwacht.alerts.models import Acknowledgement, Alert, AlertUpdate, PoliceCall
from buurtwacht.alerts.selectors import PAGE_SIZE
from buurtwacht.core import clock
from buurtwacht.geo.models import Street
from buurtwacht.web.fragments import FRAGMENTS
from tests.conftest import GROUP_STREET

pytestmark = pytest.mark.django_db


def add_alerts(group, author, count, *, start=0, closed=False):
    """Alerts with an update, a 112 claim and an acknowledgement each (test setup)."""
    street = Street.objects.get(name=GROUP_STREET)
    alerts = Alert.objects.bulk_create(
        Alert(
            group=group,
            author=author,
            client_id=f"bulk-{start + i}",
            kind="suspicious_person",
            what=f"Melding nummer {start + i}",
            street=street,
            seen_at=clock.now(),
            closed_at=clock.now() if closed else None,
            outcome="false_alarm" if closed else "",
        )
        for i in range(count)
    )
    AlertUpdate.objects.bulk_create(
        AlertUpdate(alert=a, author=author, client_id="u", text="Nog steeds daar") for a in alerts
    )
    PoliceCall.objects.bulk_create(PoliceCall(alert=a, user=author, channel="112") for a in alerts)
    Acknowledgement.objects.bulk_create(
        Acknowledgement(alert=a, user=author, kind="seen") for a in alerts
    )
    return alerts


def queries_for(client, url, *, warm=False):
    """Queries of one request: `warm`, after another reader loaded the page (the parts
    that are the same for everyone come rendered, web/fragments.py); else the first."""
    if warm:
        assert client.get(url).status_code == 200
    else:
        FRAGMENTS.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_group_page_queries_do_not_grow_with_the_number_of_alerts(
    client, group, anna_admin, mo_member
):
    client.force_login(mo_member)
    url = reverse("group", args=[group.pk])
    add_alerts(group, anna_admin, 5)
    with_5, warm_5 = queries_for(client, url), queries_for(client, url, warm=True)
    alerts = add_alerts(group, anna_admin, 495, start=5)
    assert queries_for(client, url) == with_5
    assert queries_for(client, url, warm=True) == warm_5 <= with_5
    history = reverse("alert_history", args=[group.pk])
    deep, shallow = (f"{history}?voor={alerts[i].pk}" for i in (400, 30))
    assert queries_for(client, deep) == queries_for(client, shallow)


def test_older_alerts_are_paged_and_every_alert_is_reachable(client, group, anna_admin, mo_member):
    alerts = add_alerts(group, anna_admin, 2 * PAGE_SIZE + 3)
    client.force_login(mo_member)
    page = client.get(reverse("group", args=[group.pk])).text
    assert page.count('<article class="alert"') == PAGE_SIZE + 1  # the <template> is one
    seen = []
    url = reverse("group", args=[group.pk])
    for _page in range(4):  # the first page and two of history, then no link
        html = client.get(url).text
        seen += [
            int(pk) for pk in re.findall(r'<article class="alert[^"]*" id="alert-([1-9]\d*)"', html)
        ]
        older = re.search(r'href="([^"]*/meldingen/eerder/\?voor=\d+)"', html)
        if older is None:
            break
        url = older.group(1)
    assert sorted(seen) == sorted(a.pk for a in alerts)


def test_closed_alerts_fold_away_below_the_open_ones(client, group, anna_admin, mo_member):
    add_alerts(group, anna_admin, 1, closed=True)
    [still_open] = add_alerts(group, anna_admin, 1, start=1)
    client.force_login(mo_member)
    page = client.get(reverse("group", args=[group.pk])).text
    feed = page[page.index('id="alerts"') : page.index('id="closed-alerts"')]
    folded = page[page.index('id="closed-alerts"') : page.index('id="alert-template"')]
    assert f'id="alert-{still_open.pk}"' in feed and "Melding nummer 0" not in feed
    assert "Melding nummer 0" in folded and "Afgesloten meldingen" in folded
