"""core/clock.py: the one way a moment is shown, in Amsterdam time (issue 13: a 112 claim's
time was once shown in UTC), with the date for a chat message that is not from today."""

import datetime as dt

import time_machine
from django.utils import translation

from buurtwacht.core.clock import clock_stamp, clock_time

UTC = dt.UTC


def test_times_are_amsterdam_time_not_utc_in_winter_and_summer() -> None:
    assert clock_time(dt.datetime(2026, 12, 1, 7, 35, tzinfo=UTC)) == "08:35"
    assert clock_time(dt.datetime(2026, 7, 1, 7, 35, tzinfo=UTC)) == "09:35"
    # An event's ISO 8601 string, as the stream carries it, gives the same.
    assert clock_time("2026-12-01T07:35:00+00:00") == "08:35"
    assert clock_time(None) == clock_time("") == clock_stamp(None) == ""


@time_machine.travel(dt.datetime(2026, 3, 3, 11, 0, tzinfo=UTC), tick=False)
def test_chat_time_has_the_date_when_it_is_not_today() -> None:
    with translation.override("nl"):
        assert clock_stamp(dt.datetime(2026, 3, 3, 7, 35, tzinfo=UTC)) == "08:35"
        assert clock_stamp(dt.datetime(2026, 3, 2, 7, 35, tzinfo=UTC)) == "2 maart 08:35"
        # 23:30 UTC on 2 March is half past midnight on 3 March in Amsterdam: today.
        assert clock_stamp(dt.datetime(2026, 3, 2, 23, 30, tzinfo=UTC)) == "00:30"
    with translation.override("en"):
        assert clock_stamp(dt.datetime(2026, 2, 28, 7, 35, tzinfo=UTC)) == "28 February 08:35"


@time_machine.travel(dt.datetime(2028, 3, 1, 11, 0, tzinfo=UTC), tick=False)
def test_chat_time_on_the_day_after_29_february() -> None:
    with translation.override("nl"):
        assert clock_stamp(dt.datetime(2028, 2, 29, 22, 59, tzinfo=UTC)) == "29 februari 23:59"
        assert clock_stamp(dt.datetime(2028, 2, 29, 23, 0, tzinfo=UTC)) == "00:00"
