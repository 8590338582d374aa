"""Licence plates as witnesses type them: one pure function, no database.

``normalize_plate(raw)`` turns what someone typed into an alert ("12abc3", "ab 12 34",
"B-123-XYZ") into a `Plate`: the text to show and search on, what kind of plate it is and,
for a Dutch plate, its RDW sidecode.  Dutch and Belgian formats are known; any other plate
is kept as typed but marked `PlateKind.UNKNOWN`, and the card shows it as "onbekend formaat",
never as a Dutch plate (issue 13: "ABC" looked like a plate).

Belgian plates (`PlateKind.BELGIAN`, the card says "Belgisch kenteken").  Since 2010 a digit,
three letters and three digits, "1-ABC-123": the digit is the series, which began at 1 in
2010 and is at 2 now, so 1-3 are accepted ("4-TXZ-789" stays a misread Dutch plate).  Before
that three letters and three digits, "ABC-123" (1973-2010), or three digits and three
letters, "123-ABC" (the older series).  Neither six-character pattern (XXX999, 999XXX) is a
Dutch sidecode, so no plate is both.  Belgian plates are shown with their dashes where the
DIV puts them, whatever the witness typed.

Dutch plates.  Spaces, dashes and dots are removed and the rest is upper-cased.  When exactly
six characters A-Z/0-9 remain, their letter/digit pattern is looked up in the sidecode table
below and the plate is re-dashed in that sidecode's format ("12abc3" -> "12-ABC-3", sidecode 7).
The 14 patterns are pairwise different (see the table), so a six-character plate matches at
most one sidecode.  The sidecodes differ *only* by where the letters and digits are, never by
dash position alone; the dashes the user typed are therefore ignored: "1234-AB", "12-34-AB" and
"1-234AB" are all sidecode 2, "12-34-AB".

Letters are not checked against the RDW issuing rules.  Modern series use no vowels and never
C or Q, but there are real exceptions on the road: AA (Royal House), O (semi-trailers), CD
(diplomats), and sidecodes 1-3 which did use vowels.  A witness may also misread one letter.
A plate with an unusual letter is still a Dutch-shaped plate worth matching, so every letter
A-Z is accepted.

Anything else that is not empty (foreign plates, partial plates such as "12-AB" or "ABC",
seven characters, characters outside A-Z0-9) is `PlateKind.UNKNOWN`: a format we do not know.
Its text is the input upper-cased, with each run of separators collapsed: a run containing a
dash or dot becomes one "-", a run of whitespace only becomes one " "; separators at either
end are dropped.  Longer than `MAX_PLATE_LENGTH` characters after that raises `PlateTooLongError`
(a `ValueError`; the message is English, the caller translates).

Input is Unicode-normalised (NFKC) first, so full-width characters and non-breaking spaces
typed on a phone count as their plain forms; invisible control and format characters are
dropped.  The result is stable: ``normalize_plate(normalize_plate(x).text) ==
normalize_plate(x)`` for every input that does not raise.
"""

import unicodedata
from dataclasses import dataclass
from enum import StrEnum

MAX_PLATE_LENGTH = 16


class PlateKind(StrEnum):
    DUTCH = "dutch"
    BELGIAN = "belgian"
    UNKNOWN = "unknown"  # foreign, partial or misread: "onbekend formaat" on the card
    EMPTY = "empty"


@dataclass(frozen=True)
class Plate:
    """`sidecode` is 1-14 for a Dutch plate and None otherwise; `text` is '' only when empty."""

    text: str
    kind: PlateKind
    sidecode: int | None


class PlateTooLongError(ValueError):
    """The cleaned plate text is longer than `MAX_PLATE_LENGTH` characters."""

    def __init__(self, *, length: int) -> None:
        super().__init__(
            f"A licence plate has at most {MAX_PLATE_LENGTH} characters; this one has {length}."
        )
        self.length = length


# RDW sidecodes for six-character plates: X = letter, 9 = digit.  Every pattern (the format
# without dashes) is different, so the lookup below is unambiguous (tests/alerts/test_plates.py
# checks that from its own copy of the table).
_SIDECODE_FORMATS: dict[int, str] = {
    1: "XX-99-99",
    2: "99-99-XX",
    3: "99-XX-99",
    4: "XX-99-XX",
    5: "XX-XX-99",
    6: "99-XX-XX",
    7: "99-XXX-9",
    8: "9-XXX-99",
    9: "XX-999-X",
    10: "X-999-XX",
    11: "XXX-99-X",
    12: "X-99-XXX",
    13: "9-XX-999",
    14: "999-XX-9",
}
_SIDECODE_BY_PATTERN: dict[str, int] = {
    fmt.replace("-", ""): sidecode for sidecode, fmt in _SIDECODE_FORMATS.items()
}

_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_DIGITS = frozenset("0123456789")
# Hyphen-minus, dot, and the Unicode hyphens/dashes phones substitute (after NFKC).
_DASHES = frozenset("-.\u2010\u2011\u2012\u2013\u2014\u2015\u2212")


def normalize_plate(raw: str) -> Plate:
    """'12abc3' -> Plate('12-ABC-3', DUTCH, 7); 'm ab 1234' -> Plate('M AB 1234', FOREIGN…)."""
    text = _collapse_separators(_fold(raw))
    if not text:
        return Plate(text="", kind=PlateKind.EMPTY, sidecode=None)
    compact = text.replace("-", "").replace(" ", "")
    dutch = _as_dutch(compact)
    if dutch is not None:
        return dutch
    belgian = _as_belgian(compact)
    if belgian is not None:
        return belgian
    if len(text) > MAX_PLATE_LENGTH:
        raise PlateTooLongError(length=len(text))
    return Plate(text=text, kind=PlateKind.UNKNOWN, sidecode=None)


def _fold(raw: str) -> str:
    """NFKC, upper case, and NFKC again (upper-casing can leave a string un-normalised)."""
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", raw).upper())


def _collapse_separators(text: str) -> str:
    """Runs of separators -> one '-' (if the run has a dash or dot) or one ' '; ends trimmed.

    Control and format characters that are not whitespace (zero-width space, BOM, ...) are
    dropped without separating anything.
    """
    parts: list[str] = []
    pending: str | None = None  # the separator to emit before the next visible character
    for char in text:
        if char in _DASHES:
            pending = "-"
        elif char.isspace():
            pending = pending or " "
        elif unicodedata.category(char) in {"Cc", "Cf"}:
            continue
        else:
            if pending and parts:
                parts.append(pending)
            pending = None
            parts.append(char)
    return "".join(parts)


# Belgian formats (X = letter, 9 = digit, 1 = the series digit), with their dashes.
_BELGIAN_FORMATS = ("1-XXX-999", "XXX-999", "999-XXX")
_BELGIAN_SERIES = frozenset("123")


def _as_belgian(compact: str) -> Plate | None:
    for fmt in _BELGIAN_FORMATS:
        slots = fmt.replace("-", "")
        if len(compact) != len(slots) or not all(
            char in {"X": _LETTERS, "9": _DIGITS, "1": _BELGIAN_SERIES}[slot]
            for char, slot in zip(compact, slots, strict=True)
        ):
            continue
        chars = iter(compact)
        text = "".join("-" if slot == "-" else next(chars) for slot in fmt)
        return Plate(text=text, kind=PlateKind.BELGIAN, sidecode=None)
    return None


def _as_dutch(compact: str) -> Plate | None:
    if len(compact) != 6:
        return None
    pattern = []
    for char in compact:
        if char in _LETTERS:
            pattern.append("X")
        elif char in _DIGITS:
            pattern.append("9")
        else:
            return None
    sidecode = _SIDECODE_BY_PATTERN.get("".join(pattern))
    if sidecode is None:
        return None
    chars = iter(compact)
    text = "".join("-" if slot == "-" else next(chars) for slot in _SIDECODE_FORMATS[sidecode])
    return Plate(text=text, kind=PlateKind.DUTCH, sidecode=sidecode)
