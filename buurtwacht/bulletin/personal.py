"""What a public notice must not contain (R-RUL-7): personal data or an alert's details.
One pure function; the action turns a finding into a Dutch refusal."""

import re
from enum import StrEnum

from buurtwacht.alerts.plates import PlateKind, normalize_plate


class Finding(StrEnum):
    EMAIL = "email"
    PHONE = "phone"
    ADDRESS = "address"
    PLATE = "plate"


EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
# Dutch numbers: 06-12345678, 050 123 4567, +31 6 1234 5678, 0031...; not the short
# public service numbers (112, 0900-8844, 0800-7000, 14 050).
PHONE = re.compile(r"(?<![\w-])(?:\+|00)?(?:[\d][\s.-]?){9,12}\d(?![\w-])")
PUBLIC_NUMBER = re.compile(r"^(?:0800|0900)")
# A street name and a house number: "Grote Beerstraat 12", "Hoofdweg 3a", "Kerkplein 1-3";
# also a postcode with a number ("9725 BL 12").
STREET_WORDS = (
    "straat",
    "weg",
    "laan",
    "plein",
    "singel",
    "kade",
    "gracht",
    "dijk",
    "pad",
    "hof",
    "park",
    "dreef",
    "steeg",
    "markt",
    "baan",
    "veld",
    "wal",
    "plantsoen",
    "erf",
    "oord",
    "haven",
    "kamp",
    "dam",
    "ring",
    "zijl",
)
# A capitalised word (a name) followed by a house number.
NAME_AND_NUMBER = re.compile(r"\b([A-Z][\w'-]*)\s+\d{1,4}(?:\s?[a-zA-Z](?![a-zA-Z]))?\b")
POSTCODE_NUMBER = re.compile(r"\b\d{4}\s?[A-Z]{2}\s+\d{1,4}\b")
PLATE_LIKE = re.compile(r"\b[A-Za-z0-9]{1,3}-[A-Za-z0-9]{1,3}-[A-Za-z0-9]{1,3}\b")


def _is_public_service(number: str) -> bool:
    digits = re.sub(r"\D", "", number)
    return bool(PUBLIC_NUMBER.match(digits)) and len(digits) <= 11


def personal_data(text: str) -> list[Finding]:
    """The kinds of personal data found in `text`, in a fixed order; [] when none."""
    found: list[Finding] = []
    if EMAIL.search(text):
        found.append(Finding.EMAIL)
    stripped = EMAIL.sub(" ", text)
    if any(not _is_public_service(m.group()) for m in PHONE.finditer(stripped)):
        found.append(Finding.PHONE)
    if POSTCODE_NUMBER.search(stripped) or any(
        m.group(1).lower().endswith(STREET_WORDS) for m in NAME_AND_NUMBER.finditer(stripped)
    ):
        found.append(Finding.ADDRESS)
    for match in PLATE_LIKE.finditer(stripped):
        token = match.group()
        mixed = any(c.isalpha() for c in token) and any(c.isdigit() for c in token)
        if mixed and normalize_plate(token).kind in {PlateKind.DUTCH, PlateKind.BELGIAN}:
            found.append(Finding.PLATE)
            break
    return found


# Six words in a row, the same as in an alert: the notice retells it.
QUOTE_WORDS = 6


def _shingles(text: str) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text.casefold())
    return {tuple(words[i : i + QUOTE_WORDS]) for i in range(len(words) - QUOTE_WORDS + 1)}


def quotes_alert(text: str, alert_texts: list[str]) -> bool:
    """Whether `text` repeats QUOTE_WORDS words in a row of one of `alert_texts`."""
    own = _shingles(text)
    return bool(own) and any(own & _shingles(alert) for alert in alert_texts)
