"""Age check (R-RUL-1): members are demonstrably 18 or older."""

import datetime as dt


def age_on(date_of_birth: dt.date, day: dt.date) -> int:
    """Completed years on `day`.  Someone born on 29 February turns a year older on 1 March
    in a non-leap year."""
    had_birthday = (day.month, day.day) >= (date_of_birth.month, date_of_birth.day)
    return day.year - date_of_birth.year - (0 if had_birthday else 1)


def is_adult(date_of_birth: dt.date, day: dt.date, minimum_age: int = 18) -> bool:
    return age_on(date_of_birth, day) >= minimum_age
