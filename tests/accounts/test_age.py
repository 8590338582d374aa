import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from buurtwacht.accounts.age import age_on, is_adult


def test_r_rul_1_eighteen_on_the_birthday_not_the_day_before():
    born = dt.date(2008, 11, 29)
    assert not is_adult(born, dt.date(2026, 11, 28))
    assert is_adult(born, dt.date(2026, 11, 29))


def test_leap_day_birthday_counts_from_first_of_march():
    born = dt.date(2008, 2, 29)
    assert age_on(born, dt.date(2026, 2, 28)) == 17
    assert age_on(born, dt.date(2026, 3, 1)) == 18
    assert age_on(born, dt.date(2028, 2, 29)) == 20


@given(
    born=st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2030, 1, 1)),
    days=st.integers(min_value=0, max_value=40000),
)
def test_age_grows_by_one_each_year_and_never_decreases(born, days):
    day = born + dt.timedelta(days=days)
    age = age_on(born, day)
    assert 0 <= age <= days // 365
    assert age_on(born, day + dt.timedelta(days=1)) in {age, age + 1}
