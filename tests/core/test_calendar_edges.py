"""Issue 13: the date-sensitive rules on the days that break date code, with the clock
pinned (time-machine): 29 February, the night of new year's eve in Amsterdam (the local
date is a day ahead of UTC after midnight) and both DST changes.  Each goes through the
real path: the registration form and the join action (18+), the police report form and
its 48-hour follow-up, the retention sweep, the vetting date, quiet hours and the
statistics' weeks."""

import dataclasses
import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from buurtwacht.accounts import actions as account_actions
from buurtwacht.accounts.forms import RegistrationForm
from buurtwacht.alerts import actions as alert_actions
from buurtwacht.chat import actions as chat_actions
from buurtwacht.chat.models import ChatMessage
from buurtwacht.core.errors import ActionError
from buurtwacht.geo.models import Street
from buurtwacht.groups import actions as group_actions
from buurtwacht.groups.forms import AdmitForm
from buurtwacht.groups.models import Group, JoinRequest
from buurtwacht.municipality.statistics import statistics_for
from buurtwacht.notify.actions import after_quiet_hours
from buurtwacht.notify.models import Preferences
from buurtwacht.police import actions as police_actions
from buurtwacht.police.models import PoliceReport
from buurtwacht.privacy.actions import purge_expired
from tests.conftest import GROUP_STREET, VETTED

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def local(*args: int, fold: int = 0) -> dt.datetime:
    return dt.datetime(*args, tzinfo=AMSTERDAM, fold=fold)


def pinned(moment: dt.datetime):
    return time_machine.travel(moment, tick=False)


# --- 18+ (R-RUL-1) --------------------------------------------------------------------

# Someone born on 29 February turns a year older on 1 March in a common year (as Dutch
# law counts it); the day is the local one, also where UTC still says yesterday.
AGES = [
    (local(2026, 2, 28, 12), dt.date(2008, 2, 29), False),
    (local(2026, 2, 28, 23, 59), dt.date(2008, 2, 29), False),
    (local(2026, 3, 1, 0, 30), dt.date(2008, 2, 29), True),  # UTC: still 28 February
    (local(2028, 2, 29, 12), dt.date(2010, 2, 28), True),
    (local(2028, 2, 29, 12), dt.date(2010, 3, 1), False),
    (local(2028, 2, 29, 12), dt.date(2008, 2, 29), True),  # twenty, on the day itself
    (local(2027, 12, 31, 23, 30), dt.date(2010, 1, 1), False),
    (local(2028, 1, 1, 0, 30), dt.date(2010, 1, 1), True),  # UTC: still 2027
]


def registration_data(born: dt.date) -> dict[str, str]:
    return {
        "name": "Femke de Boer",
        "email": "femke@example.nl",
        "date_of_birth": born.isoformat(),
        "postcode": "9712 kb",
        "house_number": "24",
        "house_letter": "c",
        "password1": "zonnebloem-straat-77",
        "password2": "zonnebloem-straat-77",
    }


@pytest.mark.parametrize(("now", "born", "adult"), AGES)
def test_registration_counts_18_years_on_the_edge_dates(groningen_addresses, now, born, adult):
    with pinned(now):
        form = RegistrationForm(registration_data(born))
        form.is_valid()
    assert ("date_of_birth" not in form.errors) is adult, form.errors.get("date_of_birth")


@pytest.mark.parametrize(("now", "born", "adult"), AGES)
def test_the_join_action_counts_18_years_on_the_edge_dates(group, resident_on, now, born, adult):
    # Registration refuses a minor: staff corrected the date of birth (as in tests/groups).
    applicant = resident_on("Jesse Smit", GROUP_STREET, 5)
    applicant.date_of_birth = born
    account_actions.save_staff_edit(user=applicant, changed=["date_of_birth"])
    with pinned(now):
        if adult:
            group_actions.request_to_join(user=applicant, group_id=group.pk, rules_accepted=True)
        else:
            with pytest.raises(ActionError) as refused:
                group_actions.request_to_join(
                    user=applicant, group_id=group.pk, rules_accepted=True
                )
            assert refused.value.code == "under_age"
    assert JoinRequest.objects.filter(user=applicant).exists() is adult


# --- the 48-hour follow-up (R-FUP-1) ----------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "due"),
    [
        ("2028-02-28T12:00", local(2028, 3, 1, 12)),  # across 29 February
        ("2027-12-31T23:30", local(2028, 1, 2, 23, 30)),
        ("2028-03-25T12:00", local(2028, 3, 27, 13)),  # summer time began: 48 hours, 13:00
        ("2028-10-28T12:00", local(2028, 10, 30, 11)),  # winter time began: 11:00
    ],
)
def test_the_follow_up_is_due_48_hours_after_the_report_also_across_dst(
    client, group, mo_member, typed, due
):
    """The police report form takes a local time; 48 hours are 48 hours, not the same
    time two days later (that is 47 or 49 hours over a DST change)."""
    reported = dt.datetime.fromisoformat(typed).replace(tzinfo=AMSTERDAM)
    with pinned(reported + dt.timedelta(minutes=30)):
        client.force_login(mo_member)
        response = client.post(
            reverse("police_reports", args=[group.pk]),
            {"client_id": "r1", "channel": "online", "reported_at": typed},
        )
    assert response.status_code == 302
    report = PoliceReport.objects.get()
    assert report.reported_at == reported
    assert report.follow_up_due_at == due
    assert report.follow_up_due_at - report.reported_at == dt.timedelta(hours=48)
    with pinned(due - dt.timedelta(minutes=1)):
        assert police_actions.send_overdue_follow_ups() == 0
    with pinned(due + dt.timedelta(minutes=1)):
        assert police_actions.send_overdue_follow_ups() > 0  # the reporter and the admins
    report.refresh_from_db()
    assert report.follow_up_sent_at is not None


# --- retention (R-RUL-6) ----------------------------------------------------------------


def test_retention_cut_off_counts_29_february_as_a_day(group, mo_member):
    """Chat is kept 30 days: on 1 March 2028 at noon that reaches back to 31 January at
    noon (29 February included), to the minute."""
    made = {}
    for name, moment in [
        ("expired", local(2028, 1, 31, 11, 59)),
        ("kept", local(2028, 1, 31, 12, 1)),
        ("recent", local(2028, 2, 29, 12)),
    ]:
        with pinned(moment):
            made[name], _ = chat_actions.post_chat(
                user=mo_member, group_id=group.pk, client_id=name, text="Hoi buren"
            )
    with pinned(local(2028, 3, 1, 12)):
        assert purge_expired().chat_messages == 1
    assert set(ChatMessage.objects.values_list("pk", flat=True)) == {
        made["kept"].pk,
        made["recent"].pk,
    }


# --- the vetting date (R-GRP-5) --------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "today"),
    [
        (local(2028, 2, 29, 12), dt.date(2028, 2, 29)),
        (local(2028, 1, 1, 0, 30), dt.date(2028, 1, 1)),  # UTC: still 31 December 2027
    ],
)
def test_the_vetting_date_is_today_at_the_latest_in_local_time(
    group, anna_admin, resident_on, now, today
):
    lotte = resident_on("Lotte Jansen", GROUP_STREET, 20)
    request = group_actions.request_to_join(user=lotte, group_id=group.pk, rules_accepted=True)

    def admit(contact_date: dt.date) -> None:
        vetting = dataclasses.replace(VETTED, contact_date=contact_date)
        group_actions.admit_member(admin=anna_admin, request_id=request.pk, vetting=vetting)

    with pinned(now):
        assert AdmitForm()["contact_date"].initial == today  # what the form offers
        for wrong in (today + dt.timedelta(days=1), dt.date(1999, 12, 31)):
            with pytest.raises(ActionError) as refused:
                admit(wrong)
            assert refused.value.code == "vetting"
        admit(today)
    request.refresh_from_db()
    assert request.contact_date == today


def test_the_earliest_vetting_date_is_1_january_2000(group, anna_admin, resident_on):
    lotte = resident_on("Lotte Jansen", GROUP_STREET, 20)
    request = group_actions.request_to_join(user=lotte, group_id=group.pk, rules_accepted=True)
    vetting = dataclasses.replace(VETTED, contact_date=dt.date(2000, 1, 1))
    group_actions.admit_member(admin=anna_admin, request_id=request.pk, vetting=vetting)


# --- quiet hours (chat, join requests, the follow-up: never at night) -------------------


@pytest.mark.parametrize(
    ("now", "until"),
    [
        (local(2027, 12, 31, 23, 30), local(2028, 1, 1, 7)),
        (local(2028, 2, 28, 23, 30), local(2028, 2, 29, 7)),
        (local(2028, 2, 29, 6, 59), local(2028, 2, 29, 7)),
        (local(2028, 3, 25, 23, 30), local(2028, 3, 26, 7)),  # the night summer time begins
        (local(2028, 3, 26, 3, 30), local(2028, 3, 26, 7)),
        (local(2028, 10, 29, 2, 30, fold=1), local(2028, 10, 29, 7)),  # the second 02:30
        (local(2028, 2, 29, 12), local(2028, 2, 29, 12)),  # not inside: now
    ],
)
def test_quiet_hours_end_at_7_local_time_on_the_edge_nights(now, until):
    prefs = Preferences(quiet_start=dt.time(23), quiet_end=dt.time(7))
    ends = after_quiet_hours(prefs, now.astimezone(dt.UTC))
    assert ends.astimezone(dt.UTC) == until.astimezone(dt.UTC)
    assert ends.astimezone(AMSTERDAM).time() == until.time()


# --- the statistics' weeks (municipality, police) ---------------------------------------


def test_statistics_count_alerts_in_local_weeks_and_hours_around_new_year(group, anna_admin):
    """Weeks start on Monday at midnight in Amsterdam: an alert at 00:30 on Monday
    3 January 2028 (Sunday 23:30 in UTC) counts in that week, ISO week 1."""
    street = Street.objects.get(name=GROUP_STREET)
    # The figures count the groups that existed at the end of the period (also when the
    # suite runs with --today after it).
    Group.objects.filter(pk=group.pk).update(created_at=local(2027, 12, 1, 12))
    plan = [
        (local(2027, 12, 31, 23, 30), 12),  # new year's eve: week 52 of 2027
        (local(2028, 1, 3, 0, 30), 10),  # Monday just after midnight: week 1
    ]
    with pinned(local(2028, 1, 5, 12)):
        for seen_at, how_many in plan:
            for n in range(how_many):
                alert_actions.post_alert(
                    user=anna_admin,
                    group_id=group.pk,
                    draft=alert_actions.AlertDraft(
                        client_id=f"{seen_at:%d}-{n}",
                        kind="suspicious_person",
                        what="Iemand probeert deurklinken",
                        street_id=street.pk,
                        seen_at=seen_at + dt.timedelta(minutes=n),
                    ),
                )
    with pinned(local(2028, 1, 12, 12)):  # the figures are of closed weeks only
        stats = statistics_for(group_ids=[group.pk])
    weeks = {row.key: (row.label, row.figure.display) for row in stats.per_week}
    assert weeks["2027-12-27"] == ("week 52", "12")
    assert weeks["2028-01-03"] == ("week 1", "10")
    assert stats.until == dt.date(2028, 1, 9)
    hours = {row.key: row.figure.display for row in stats.per_hour}
    assert (hours["23"], hours["00"]) == ("12", "10")
