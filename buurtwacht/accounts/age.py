"""Age check (R-RUL-1): members are demonstrably 18 or older."""

import datetime as dt

from django.conf import settings
from django.utils.translation import gettext as _

from buurtwacht.core.errors import ActionError

OLDEST = 120  # years: an older date of birth is a typing error


def age_on(date_of_birth: dt.date, day: dt.date) -> int:
    """Completed years on `day`.  Someone born on 29 February turns a year older on 1 March
    in a non-leap year."""
    had_birthday = (day.month, day.day) >= (date_of_birth.month, date_of_birth.day)
    return day.year - date_of_birth.year - (0 if had_birthday else 1)


def is_adult(date_of_birth: dt.date, day: dt.date, minimum_age: int = 18) -> bool:
    return age_on(date_of_birth, day) >= minimum_age


def check_date_of_birth(born: dt.date, *, today: dt.date) -> dt.date:
    """A date of birth at registration: not in the future, at most 120 years ago, and 18 or
    older (R-RUL-1).  The registration form and the actions ask this one function."""
    if born > today:
        raise ActionError("future", _("A date of birth cannot be in the future."))
    age = age_on(born, today)
    if age > OLDEST:
        raise ActionError("too_old", _("Check your date of birth."))
    if age < settings.MINIMUM_AGE:
        raise ActionError(
            "under_age",
            _(
                "You must be 18 or older to join a neighbourhood watch group. "
                "This is one of the national rules."
            ),
        )
    return born
