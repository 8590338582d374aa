"""normalize_postcode and friends."""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from buurtwacht.geo.geocoding import normalize_addition, normalize_letter, normalize_postcode

CANONICAL = re.compile(r"^[1-9][0-9]{3}[A-Z]{2}$")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("9712KB", "9712KB"),
        ("9712 kb", "9712KB"),
        ("  9712kB ", "9712KB"),
        ("9712  KB", "9712KB"),
        ("0712KB", None),  # no postcode starts with 0
        ("971KB", None),
        ("9712K", None),
        ("9712KBX", None),
        ("9712-KB", None),
        ("9712SA", None),  # SA, SD and SS are never used
        ("9712sd", None),
        ("9712SS", None),
        ("", None),
        ("\u0669\u0667\u0661\u0662KB", None),  # Arabic-Indic digits are not postcode digits
    ],
)
def test_normalize_postcode(value: str, expected: str | None) -> None:
    assert normalize_postcode(value) == expected


def test_letter_and_addition_are_upper_case_and_compact() -> None:
    assert normalize_letter(" c ") == "C"
    assert normalize_letter("") == ""
    assert normalize_addition(" bis ") == "BIS"
    assert normalize_addition("-2 a") == "2A"


letters = st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
spaces = st.text(alphabet=" \t", max_size=3)


@given(
    number=st.integers(min_value=1000, max_value=9999),
    first=letters,
    second=letters,
    before=spaces,
    between=spaces,
    after=spaces,
)
def test_any_spelling_of_a_valid_postcode_normalises_to_the_canonical_form(
    number: int, first: str, second: str, before: str, between: str, after: str
) -> None:
    canonical = f"{number}{first}{second}".upper()
    result = normalize_postcode(f"{before}{number}{between}{first}{second}{after}")
    if canonical[4:] in {"SA", "SD", "SS"}:
        assert result is None
    else:
        assert result == canonical


@given(st.text(max_size=12))
def test_normalize_postcode_returns_canonical_or_none_and_is_idempotent(value: str) -> None:
    result = normalize_postcode(value)
    if result is not None:
        assert CANONICAL.match(result)
        assert normalize_postcode(result) == result
        assert result[4:] not in {"SA", "SD", "SS"}
