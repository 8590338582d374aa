"""The municipality dashboard and the police's statistics: the groups of the own
municipality, statistics without content (each figure checked, small counts suppressed,
no alert text, person name or street in the statistics or the CSV), the message form to a
group's admins, and who may see any of it (everyone else: 404)."""

import csv
import datetime as dt
import io

import pytest
import shapely
import time_machine
from django.urls import reverse
from django.utils import timezone

from buurtwacht.alerts import actions as alert_actions
from buurtwacht.alerts.models import CallChannel, Outcome
from buurtwacht.groups import actions as group_actions
from buurtwacht.groups.models import AuditEntry, Listing
from buurtwacht.municipality.actions import grant_role
from buurtwacht.municipality.models import VerifiedRole
from buurtwacht.municipality.statistics import Shown, breakdown, share, statistics_for
from buurtwacht.notify.models import Delivery
from buurtwacht.police import actions as police_actions
from tests.conftest import GROUP_STREET, OTHER_STREET, visible_text

pytestmark = pytest.mark.django_db

WHAT = "Man met koevoet bij de achterdeur van nummer 12"
PERSON = {"clothing_top": "groene regenjas", "hair": "rossig krullend"}
PLATE = "99XYZ9"


def at(days_ago: int, hour: int, minute: int = 0) -> dt.datetime:
    day = timezone.localdate() - dt.timedelta(days=days_ago)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def fill(group, anna, pieter):
    """26 alerts in two weeks and four hours, 8 with 112, 12 closed; 7 police reports, 6
    with feedback."""
    area = shapely.from_geojson(group.area_geometry).representative_point()
    made = []
    plan = [("suspicious_person", 14, 22, 12), ("break_in", 21, 3, 7)]
    plan += [("suspicious_vehicle", 21, 10, 5), ("other", 21, 14, 2)]
    for kind, days_ago, hour, how_many in plan:
        for n in range(how_many):
            alert, _ = alert_actions.post_alert(
                user=anna,
                group_id=group.pk,
                draft=alert_actions.AlertDraft(
                    client_id=f"{kind}-{n}",
                    kind=kind,
                    what=WHAT,
                    lon=area.x,
                    lat=area.y,
                    seen_at=at(days_ago, hour, n),
                    person=PERSON if kind == "suspicious_person" else {},
                    vehicle={"plate": PLATE} if kind == "suspicious_vehicle" else {},
                ),
            )
            made.append(alert)
    persons = [a for a in made if a.kind == "suspicious_person"]
    breaks = [a for a in made if a.kind == "break_in"]
    vehicles = [a for a in made if a.kind == "suspicious_vehicle"]
    for alert in [*breaks, persons[0]]:
        alert_actions.claim_call(user=anna, alert_id=alert.pk, channel=CallChannel.EMERGENCY)
    for alert in persons[:6]:
        alert_actions.close_alert(user=anna, alert_id=alert.pk, outcome=Outcome.FALSE_ALARM)
    for alert in breaks[:5]:
        alert_actions.close_alert(user=anna, alert_id=alert.pk, outcome=Outcome.RESOLVED)
    alert_actions.close_alert(user=anna, alert_id=vehicles[0].pk, outcome=Outcome.POLICE_ON_SITE)
    now = timezone.now()
    for n, hours in enumerate([2, 4, 6, 10, 30, 72, 1]):
        report, _ = police_actions.record_report(
            user=anna,
            group_id=group.pk,
            draft=police_actions.ReportDraft(
                client_id=f"r{n}",
                channel="0900-8844",
                reported_at=now - dt.timedelta(hours=hours),
                number=f"PLX0{n}-2026",
            ),
        )
        if n < 6:
            police_actions.record_feedback(
                user=pieter,
                report_id=report.pk,
                text=f"Verdachte aangehouden bij de fietsenstalling ({n})",
            )
    return made


def next_week():
    """The figures are of closed weeks only (this one counts from next Monday): look
    a week later, when the week of `fill` is closed."""
    return time_machine.travel(timezone.now() + dt.timedelta(weeks=1), tick=True)


def shown(figures):
    return [figure.display for figure in figures]


def test_suppression_rules():
    assert shown(breakdown([0, 12, 0])) == ["0", "12", "0"]
    # One small cell would follow from the total: the next smallest hides it.
    assert shown(breakdown([12, 7, 5, 2])) == ["12", "•", "•", "< 5"]
    # Two cells of 1 would follow from a hidden sum of 2: more are hidden.
    assert shown(breakdown([1, 1, 20, 30])) == ["< 5", "< 5", "•", "30"]
    # When no set adds up to 10, every non-zero cell is hidden.
    assert shown(breakdown([3, 5, 0])) == ["•", "•", "0"]
    assert share(8, 26).display == "31%"
    assert share(3, 26).display == "•"  # the part is small
    assert share(24, 26).display == "•"  # the rest is small
    assert share(0, 0).display == "•"


def test_statistics_fill_a_municipality_and_check_each_figure(
    group, anna_admin, mo_member, pieter_politie, gea_gemeente
):
    fill(group, anna_admin, pieter_politie)
    week_of = lambda days: (  # noqa: E731  (the Monday of the week `days` before the fill)
        timezone.localdate()
        - dt.timedelta(days=days + (timezone.localdate() - dt.timedelta(days=days)).weekday())
    ).isoformat()
    assert statistics_for(group_ids=[group.pk]).alerts.display == "0"  # this week: not yet
    with next_week():
        stats = statistics_for(group_ids=[group.pk])
    assert stats.alerts.display == "26"
    assert stats.groups.display == "< 5"
    weeks = {row.key: row.figure.display for row in stats.per_week}
    assert len(weeks) == 12
    assert weeks[week_of(14)] == "12" and weeks[week_of(21)] == "14"
    assert sorted(weeks.values()) == ["0"] * 10 + ["12", "14"]
    kinds = {row.key: row.figure.display for row in stats.per_kind}
    assert kinds == {
        "suspicious_person": "12",
        "suspicious_vehicle": "•",
        "break_in": "•",
        "noise_vandalism": "0",
        "fire_medical": "0",
        "other": "< 5",
    }
    hours = {row.key: row.figure.display for row in stats.per_hour}
    assert (hours["22"], hours["03"], hours["10"], hours["14"]) == ("12", "•", "•", "< 5")
    assert {hours[h] for h in hours if h not in ("22", "03", "10", "14")} == {"0"}
    assert stats.called_112.display == "8" and stats.share_112.display == "31%"
    outcomes = {row.key: row.figure.display for row in stats.outcomes}
    assert outcomes == {
        "resolved": "•",
        "police_on_site": "< 5",
        "false_alarm": "•",
        "suspect_gone": "0",
        "open": "14",
    }
    assert stats.false_alarm_share.display == "50%"  # 6 of the 12 closed
    assert stats.reports.display == "7"
    assert stats.with_feedback.display == "6"
    assert stats.feedback_median_hours.display == "8,0 h"  # (6 + 10) / 2
    assert stats.feedback_within_48h.display == "•"  # 5 of 6: the rest is 1
    assert stats.members.display == "< 5"  # anna and mo
    assert stats.joined.display == "< 5"
    assert stats.left.display == "0"
    assert stats.churn.display == "•"
    assert stats.inactive_groups.display == "0"
    assert {f.shown for *_, f in stats.figures()} <= set(Shown)


def private_words(group, *people):
    words = [WHAT, "koevoet", *PERSON.values(), PLATE, "99-XYZ-9", "fietsenstalling", "PLX01-2026"]
    words += [person.name for person in people] + [person.email for person in people]
    return words


def test_no_text_name_or_street_in_the_dashboard_or_the_csv(
    client, group, anna_admin, mo_member, pieter_politie, gea_gemeente
):
    fill(group, anna_admin, pieter_politie)
    client.force_login(gea_gemeente)
    with next_week():
        page = client.get(reverse("municipality_dashboard"))
        response = client.get(reverse("municipality_csv", args=["GM0014"]))
    assert page.status_code == 200
    html = page.content.decode()
    for word in private_words(group, anna_admin, mo_member, pieter_politie):
        assert word not in html, word
    # The group list shows the group's own (public) streets; the statistics none at all.
    assert group.name in html and GROUP_STREET in visible_text(html, element_id="groups")
    statistics = html[html.index('id="statistics"') :]
    for street in (GROUP_STREET, OTHER_STREET):
        assert street not in statistics
    assert "<svg" in statistics and "Meldingen per week" in statistics
    assert "26" in visible_text(html, element_id="statistics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")  # Dutch Excel: a BOM and semicolons
    assert response.content.startswith(b"\xef\xbb\xbf")
    for word in [*private_words(group, anna_admin, mo_member, pieter_politie), GROUP_STREET]:
        assert word not in text, word
    rows = {
        (r["section"], r["key"]): r["value"]
        for r in csv.DictReader(io.StringIO(text), delimiter=";")
    }
    assert rows[("total", "alerts")] == "26"
    assert rows[("kind", "other")] == "< 5"
    assert rows[("kind", "break_in")] == "•"
    assert rows[("112", "share")] == "31%"
    assert rows[("police", "median_hours")] == "8,0 h"
    # No value from 1 to 4 anywhere, however it is spelled.
    assert not {value for value in rows.values() if value in {"1", "2", "3", "4"}}


def test_the_police_see_the_same_statistics_for_their_groups(
    client, group, anna_admin, mo_member, pieter_politie, gea_gemeente
):
    fill(group, anna_admin, pieter_politie)
    client.force_login(pieter_politie)
    with next_week():
        page = client.get(reverse("police_statistics"))
        csv_text = client.get(reverse("police_statistics_csv")).content.decode()
    assert page.status_code == 200
    html = page.content.decode()
    for word in private_words(group, anna_admin, mo_member):
        assert word not in html, word
    assert "26" in visible_text(html, element_id="statistics")
    assert "total;alerts;Meldingen;26" in csv_text


def test_the_group_list_shows_size_range_activity_and_sign_status(
    client, group, anna_admin, mo_member, gea_gemeente
):
    client.force_login(gea_gemeente)
    text = visible_text(
        client.get(reverse("municipality_dashboard")).content.decode(),
        element_id=f"group-{group.pk}",
    )
    assert group.name in text and GROUP_STREET in text
    assert "1\u20139 leden" in text  # a range, with an en dash
    assert timezone.localdate().strftime("%Y") in text  # the last activity's date
    assert "geen aanvraag" in text
    assert "Maar één beheerder" in text  # group health on the dashboard
    for private in (anna_admin.name, mo_member.name, anna_admin.email):
        assert private not in text


def test_a_message_reaches_the_admins_through_the_outbox(
    client, group, anna_admin, mo_member, gea_gemeente
):
    client.force_login(gea_gemeente)
    url = reverse("municipality_message", args=[group.pk])
    response = client.post(url, {"text": "Kom naar de bewonersavond op 12 januari."})
    assert response.status_code == 302
    entry = AuditEntry.objects.get(group=group, action="municipality_message")
    assert entry.actor == gea_gemeente
    delivery = Delivery.objects.get(source=f"municipality_message:{entry.pk}")
    assert delivery.user == anna_admin  # the admins, not the members
    assert "Kom naar de bewonersavond" in delivery.payload["body"]
    assert not Delivery.objects.filter(user=mo_member, kind="municipality_message").exists()
    assert client.post(url, {"text": ""}).status_code == 302  # refused with a message
    assert AuditEntry.objects.filter(action="municipality_message").count() == 1


@pytest.fixture
def amsterdam_coordinator(resident_on):
    ada = resident_on("Ada Amsterdam", OTHER_STREET, 15)
    grant_role(
        user=ada,
        role=VerifiedRole.MUNICIPALITY,
        municipality_codes=["GM0363"],
        staff=None,
        evidence="test",
    )
    return ada


def test_access_matrix_of_the_municipality_pages(
    client,
    group,
    anna_admin,
    mo_member,
    pieter_politie,
    bob_buiten,
    gea_gemeente,
    amsterdam_coordinator,
    settings,
):
    """Only this municipality's verified coordinator sees its dashboard, CSV, requests and
    message form; only a verified wijkagent with groups sees the police statistics."""
    from buurtwacht.signage import actions as sign_actions

    settings.SIGN_MIN_MEMBERS = 1
    group_actions.set_listing(admin=anna_admin, group_id=group.pk, listing=Listing.LISTED)
    sign = sign_actions.request_signs(
        admin=anna_admin, group_id=group.pk, order=sign_actions.SignOrder(signs=1)
    )
    pages = {
        "dashboard": ("get", reverse("municipality_dashboard")),
        "code": ("get", reverse("municipality_code", args=["GM0014"])),
        "csv": ("get", reverse("municipality_csv", args=["GM0014"])),
        "sign": ("get", reverse("municipality_sign", args=[sign.pk])),
        "sign_step": ("post", reverse("municipality_sign", args=[sign.pk])),  # no step
        "sign_pdf": ("get", reverse("municipality_sign_pdf", args=[sign.pk])),
        "message": ("post", reverse("municipality_message", args=[group.pk])),  # empty
        "police": ("get", reverse("police_statistics")),
        "police_csv": ("get", reverse("police_statistics_csv")),
    }
    people = {
        "outsider": bob_buiten,
        "member": mo_member,
        "admin": anna_admin,
        "wijkagent": pieter_politie,
        "other_municipality": amsterdam_coordinator,
        "coordinator": gea_gemeente,
    }
    gemeente = {"dashboard": 200, "code": 200, "csv": 200, "sign": 200, "sign_step": 200}
    gemeente |= {"sign_pdf": 200, "message": 302, "police": 404, "police_csv": 404}
    police = dict.fromkeys(pages, 404) | {"police": 200, "police_csv": 200}
    expected = {
        "outsider": dict.fromkeys(pages, 404),
        "member": dict.fromkeys(pages, 404),
        "admin": dict.fromkeys(pages, 404),
        "wijkagent": police,
        # /gemeente/ is the own municipality's dashboard: Amsterdam's, without this group.
        "other_municipality": dict.fromkeys(pages, 404) | {"dashboard": 200},
        "coordinator": gemeente,
    }
    for who, person in people.items():
        client.force_login(person)
        seen = {name: getattr(client, m)(url).status_code for name, (m, url) in pages.items()}
        assert seen == expected[who], who
    # Amsterdam's own dashboard works, and shows no Groningen group.
    client.force_login(amsterdam_coordinator)
    html = client.get(reverse("municipality_dashboard")).content.decode()
    assert group.name not in html
    assert client.get(reverse("municipality_code", args=["GM0363"])).status_code == 200
    client.logout()
    for name, (method, url) in pages.items():
        response = getattr(client, method)(url)
        assert response.status_code == 302 and reverse("login") in response["Location"], name
    sign.refresh_from_db()
    assert sign.status == "requested"  # nothing above changed it
    assert not AuditEntry.objects.filter(action="municipality_message").exists()


def test_charts_with_nearly_no_data_say_so_instead_of_drawing_empty_axes(
    client, group, anna_admin, gea_gemeente
):
    client.force_login(gea_gemeente)
    html = client.get(reverse("municipality_dashboard")).content.decode()
    statistics = html[html.index('id="statistics"') :]
    assert "<svg" not in statistics
    assert statistics.count("Te weinig meldingen") == 4


def _csv_rows(client, code="GM0014"):
    response = client.get(reverse("municipality_csv", args=[code]))
    assert response.status_code == 200
    return response.content.decode("utf-8-sig")


def test_two_downloads_in_one_week_are_the_same_so_no_alert_can_be_differenced(
    client, group, anna_admin, mo_member, pieter_politie, gea_gemeente
):
    """Total 130 -> 131 and a cell 0 -> "< 5" between two downloads revealed one alert,
    its kind, hour and outcome.  The figures are of closed weeks, as they stood at their
    end: an alert posted, closed or called in between changes nothing until next week."""
    fill(group, anna_admin, pieter_politie)
    client.force_login(gea_gemeente)
    with next_week():
        before = _csv_rows(client)
        area = shapely.from_geojson(group.area_geometry).representative_point()
        alert, _ = alert_actions.post_alert(
            user=anna_admin,
            group_id=group.pk,
            draft=alert_actions.AlertDraft(
                client_id="one-more",
                kind="noise_vandalism",
                what="Ruit ingegooid",
                lon=area.x,
                lat=area.y,
                seen_at=at(8, 4),  # seen in the closed week: posted in this one
            ),
        )
        alert_actions.claim_call(user=anna_admin, alert_id=alert.pk, channel=CallChannel.EMERGENCY)
        alert_actions.close_alert(user=anna_admin, alert_id=alert.pk, outcome=Outcome.SUSPECT_GONE)
        after = _csv_rows(client)
    assert after == before
    rows = {
        (r["section"], r["key"]): r["value"]
        for r in csv.DictReader(io.StringIO(after), delimiter=";")
    }
    assert rows[("total", "alerts")] == "26" and rows[("kind", "noise_vandalism")] == "0"
    with time_machine.travel(timezone.now() + dt.timedelta(weeks=2), tick=True):
        client.force_login(gea_gemeente)  # (the session of two weeks ago has expired)
        later = _csv_rows(client)
    rows = {
        (r["section"], r["key"]): r["value"]
        for r in csv.DictReader(io.StringIO(later), delimiter=";")
    }
    assert rows[("total", "alerts")] == "27"  # next week, with the rest of its week
