"""normalize_plate: the 14 RDW sidecodes, foreign and partial plates, and its properties.

The sidecode table is written out here by hand from the RDW formats, independently of
buurtwacht/alerts/plates.py, so a change there must be a deliberate change here.  No database.
"""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from buurtwacht.alerts.plates import (
    MAX_PLATE_LENGTH,
    Plate,
    PlateKind,
    PlateTooLongError,
    normalize_plate,
)

# sidecode: (RDW format, a real-looking plate in that format)
SIDECODES: dict[int, tuple[str, str]] = {
    1: ("XX-99-99", "NB-15-27"),
    2: ("99-99-XX", "38-41-TL"),
    3: ("99-XX-99", "47-GD-12"),
    4: ("XX-99-XX", "HF-43-NR"),
    5: ("XX-XX-99", "JG-PL-53"),
    6: ("99-XX-XX", "86-ZR-TJ"),
    7: ("99-XXX-9", "56-NKX-7"),
    8: ("9-XXX-99", "4-TXZ-78"),
    9: ("XX-999-X", "GH-352-K"),
    10: ("X-999-XX", "K-584-HJ"),
    11: ("XXX-99-X", "GTL-59-R"),
    12: ("X-99-XXX", "R-23-FJK"),
    13: ("9-XX-999", "3-KL-271"),
    14: ("999-XX-9", "514-TN-8"),
}
DUTCH_EXAMPLES = [
    pytest.param(sidecode, plate, id=f"sidecode-{sidecode}")
    for sidecode, (_, plate) in SIDECODES.items()
]


def dutch(text: str, sidecode: int) -> Plate:
    return Plate(text=text, kind=PlateKind.DUTCH, sidecode=sidecode)


def other(text: str) -> Plate:
    """A plate in a format we do not know (foreign, partial, misread)."""
    return Plate(text=text, kind=PlateKind.UNKNOWN, sidecode=None)


EMPTY = Plate(text="", kind=PlateKind.EMPTY, sidecode=None)


def pattern_of(fmt_or_plate: str) -> str:
    """'56-NKX-7' -> '99XXX9': the letter/digit shape without dashes."""
    return re.sub(r"[0-9]", "9", re.sub(r"[A-Z]", "X", fmt_or_plate)).replace("-", "")


# --- the 14 sidecodes -------------------------------------------------------------------------


def test_the_table_has_fourteen_sidecodes_each_with_its_own_pattern() -> None:
    assert set(SIDECODES) == set(range(1, 15))
    patterns = [pattern_of(fmt) for fmt, _ in SIDECODES.values()]
    assert all(len(pattern) == 6 for pattern in patterns)
    # Pairwise different: six characters can match at most one sidecode.
    assert len(set(patterns)) == 14
    for fmt, plate in SIDECODES.values():
        assert pattern_of(plate) == pattern_of(fmt)
        assert [len(group) for group in plate.split("-")] == [len(g) for g in fmt.split("-")]


@pytest.mark.parametrize(("sidecode", "plate"), DUTCH_EXAMPLES)
def test_a_canonical_dutch_plate_is_recognised_unchanged(sidecode: int, plate: str) -> None:
    assert normalize_plate(plate) == dutch(plate, sidecode)


@pytest.mark.parametrize(("sidecode", "plate"), DUTCH_EXAMPLES)
def test_a_compact_lower_case_dutch_plate_is_re_dashed(sidecode: int, plate: str) -> None:
    assert normalize_plate(plate.replace("-", "").lower()) == dutch(plate, sidecode)


@pytest.mark.parametrize(("sidecode", "plate"), DUTCH_EXAMPLES)
def test_spaces_and_dots_anywhere_are_ignored(sidecode: int, plate: str) -> None:
    messy = "  " + " . ".join(plate.replace("-", "").lower()) + ". "
    assert normalize_plate(messy) == dutch(plate, sidecode)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("12abc3", dutch("12-ABC-3", 7)),
        ("ab1234", dutch("AB-12-34", 1)),
        # Only the letter/digit positions choose the sidecode; the user's dashes do not.
        ("1234AB", dutch("12-34-AB", 2)),
        ("1234-ab", dutch("12-34-AB", 2)),
        ("1-234-AB", dutch("12-34-AB", 2)),
        ("12ab-c3", dutch("12-ABC-3", 7)),
        ("Gh 352 k", dutch("GH-352-K", 9)),
        ("gh.352.k", dutch("GH-352-K", 9)),
        ("\tgh\n352 k\r\n", dutch("GH-352-K", 9)),
        ("gh\u2013352\u2013k", dutch("GH-352-K", 9)),  # en dashes from a phone keyboard
        ("gh\u00a0352\u00a0k", dutch("GH-352-K", 9)),  # non-breaking spaces
        ("\uff47\uff48\uff13\uff15\uff12\uff4b", dutch("GH-352-K", 9)),  # full-width
        ("gh\u200b352k", dutch("GH-352-K", 9)),  # zero-width space pasted along
        # Letters are not checked against the RDW issuing rules (see plates.py): vowels,
        # C and Q occur on real plates (AA Royal House, O semi-trailers, sidecodes 1-3).
        ("AA-12-34", dutch("AA-12-34", 1)),
        ("OQ-12-CE", dutch("OQ-12-CE", 4)),
    ],
)
def test_dutch_examples(raw: str, expected: Plate) -> None:
    assert normalize_plate(raw) == expected


# --- foreign, partial, empty, too long -------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("B-123-XYZ", other("B-123-XYZ")),  # Belgian, current
        ("0-ABC-123", other("0-ABC-123")),  # Belgian series never begin at 0
        ("M AB 1234", other("M AB 1234")),  # German
        ("m ab 1234", other("M AB 1234")),
        ("  M   AB  1234 ", other("M AB 1234")),
        ("M - AB 1234", other("M-AB 1234")),  # a run with a dash becomes one dash
        ("M..AB--1234", other("M-AB-1234")),
        ("ab-123-cd", other("AB-123-CD")),  # French
        ("äb-12-34", other("ÄB-12-34")),  # not A-Z after cleaning
        ("DÜW 1234", other("DÜW 1234")),
        ("AB_12_34", other("AB_12_34")),
        ("12-AB", other("12-AB")),  # partial
        ("ab 12", other("AB 12")),
        ("12abc", other("12ABC")),
        ("-12-ab-", other("12-AB")),
        ("12abc34", other("12ABC34")),  # seven characters
        ("4-TXZ-789", other("4-TXZ-789")),
        ("123456", other("123456")),  # six characters, no sidecode
        ("ABCDEF", other("ABCDEF")),
        ("x", other("X")),
    ],
)
def test_foreign_and_partial_plates_keep_their_shape(raw: str, expected: Plate) -> None:
    assert normalize_plate(raw) == expected


@pytest.mark.parametrize("raw", ["ABC", "abc", "a-b-c", "12", "ABCDEFG", "GH-35-K"])
def test_abc_is_a_plate_in_an_unknown_format_not_a_dutch_plate(raw: str) -> None:
    plate = normalize_plate(raw)
    assert plate.kind is PlateKind.UNKNOWN and plate.kind == "unknown"
    assert plate.sidecode is None
    assert plate.text == raw.upper()  # kept as typed, not re-dashed as if it were Dutch


@pytest.mark.parametrize("raw", ["", " ", "\t\n ", "-", " . - . ", "\u200b", "\u00a0"])
def test_empty_input_is_empty(raw: str) -> None:
    assert normalize_plate(raw) == EMPTY


def test_sixteen_characters_is_the_maximum() -> None:
    sixteen = "ABCDEFGH-1234567"
    assert len(sixteen) == MAX_PLATE_LENGTH == 16
    assert normalize_plate(sixteen) == other(sixteen)
    # Counted after collapsing separators, not on the raw input.
    assert normalize_plate("AB" + " " * 40 + "CD") == other("AB CD")


@pytest.mark.parametrize("raw", ["ABCDEFGH-12345678", "A" * 17, "m ab 1234 5678 9012", "x" * 500])
def test_longer_than_sixteen_characters_is_a_value_error(raw: str) -> None:
    with pytest.raises(ValueError, match="at most 16 characters"):
        normalize_plate(raw)


def test_the_too_long_error_says_how_long_it_was() -> None:
    with pytest.raises(PlateTooLongError) as caught:
        normalize_plate("A" * 20)
    assert caught.value.length == 20


def test_plates_are_frozen_values() -> None:
    plate = normalize_plate("12abc3")
    with pytest.raises(AttributeError):
        plate.text = "X"  # type: ignore[misc]
    assert plate.kind == "dutch"
    assert {kind.value for kind in PlateKind} == {"dutch", "belgian", "unknown", "empty"}


# --- Belgian ---------------------------------------------------------------------------------


def belgian(text: str) -> Plate:
    return Plate(text=text, kind=PlateKind.BELGIAN, sidecode=None)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1-abc-123", belgian("1-ABC-123")),  # since 2010
        ("2 XYZ 987", belgian("2-XYZ-987")),
        ("1abc123", belgian("1-ABC-123")),
        ("ABC-123", belgian("ABC-123")),  # 1973-2010: no Dutch sidecode is XXX999
        ("abc 123", belgian("ABC-123")),
        ("123-ABC", belgian("123-ABC")),  # the older series: nor is 999XXX
        ("12-3AB-C", belgian("123-ABC")),  # re-dashed where the DIV puts the dashes
    ],
)
def test_r_be_belgian_plates_are_recognised_and_dashed(raw: str, expected: Plate) -> None:
    plate = normalize_plate(raw)
    assert plate == expected
    assert normalize_plate(plate.text) == plate


def test_r_be_no_plate_is_both_dutch_and_belgian() -> None:
    belgian_patterns = {"XXX999", "999XXX"}
    assert belgian_patterns.isdisjoint(pattern_of(fmt) for fmt, _ in SIDECODES.values())


# --- properties ------------------------------------------------------------------------------

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
DIGITS = "0123456789"
separators = st.text(alphabet=" -.", max_size=2)


@st.composite
def dutch_plates(draw: st.DrawFn) -> tuple[int, str, str]:
    """(sidecode, canonical text, the way someone might type it)."""
    sidecode = draw(st.sampled_from(sorted(SIDECODES)))
    fmt = SIDECODES[sidecode][0]
    canonical = "".join(
        "-" if slot == "-" else draw(st.sampled_from(LETTERS if slot == "X" else DIGITS))
        for slot in fmt
    )
    typed = draw(separators)
    for char in canonical.replace("-", ""):
        typed += (char.lower() if draw(st.booleans()) else char) + draw(separators)
    return sidecode, canonical, typed


@given(dutch_plates())
def test_any_typing_of_a_dutch_plate_normalises_to_its_sidecode(
    case: tuple[int, str, str],
) -> None:
    sidecode, canonical, typed = case
    plate = normalize_plate(typed)
    assert plate == dutch(canonical, sidecode)
    # Idempotent, and re-dashing is stable whichever way the dashes are removed or kept.
    assert normalize_plate(plate.text) == plate
    assert normalize_plate(plate.text.replace("-", "")) == plate
    assert normalize_plate(plate.text.replace("-", " ").lower()) == plate


@given(st.text(alphabet=LETTERS + DIGITS, min_size=6, max_size=6))
def test_six_characters_are_dutch_exactly_when_their_pattern_is_a_sidecode(compact: str) -> None:
    expected = {pattern_of(fmt): sidecode for sidecode, (fmt, _) in SIDECODES.items()}
    plate = normalize_plate(compact)
    assert plate.sidecode == expected.get(pattern_of(compact))
    assert (plate.kind is PlateKind.DUTCH) == (plate.sidecode is not None)


def check_invariants(raw: str) -> None:
    try:
        plate = normalize_plate(raw)
    except PlateTooLongError as error:  # the only documented error
        assert error.length > MAX_PLATE_LENGTH
        return
    assert len(plate.text) <= MAX_PLATE_LENGTH
    assert (plate.kind is PlateKind.EMPTY) == (plate.text == "")
    assert (plate.kind is PlateKind.DUTCH) == (plate.sidecode is not None)
    assert plate.text == plate.text.strip(" -")
    assert "  " not in plate.text and "--" not in plate.text
    assert normalize_plate(plate.text) == plate


@given(st.text(max_size=30))
def test_any_text_normalises_stably_or_is_too_long(raw: str) -> None:
    check_invariants(raw)


PLATE_LIKE = LETTERS + LETTERS.lower() + DIGITS + " -.\t\u00e4\u00df\u2013"


@given(st.text(alphabet=PLATE_LIKE, max_size=20))
def test_plate_like_text_normalises_stably_or_is_too_long(raw: str) -> None:
    check_invariants(raw)
