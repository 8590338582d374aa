"""The word lists of the polite-language check (R-RUL-3), read from data files.

A language is a folder `lists/<code>/` of plain text files (one list a file: words
separated by white space, `#` starts a comment; the place-name files hold one name a line)
and a small pattern module (`patterns_<code>.py`).  Dutch (`nl`) is the only one so far;
a French one adds `lists/fr/` and `patterns_fr.py` with the same file names.

The Dutch lists are our own, written for this project from knowledge of the language, not
copied from any list.  The place names are facts: the Dutch municipality and place names
as CBS and the BAG publish them (CBS gemeenten: CBS en Kadaster, CC BY 4.0), the Belgian
municipalities written by us.  Words are written as people spell them; the check folds
them the same way as the text (lower case, no accents, repeated letters squeezed).
"""

from functools import cache
from pathlib import Path

LISTS = Path(__file__).resolve().parent / "lists"


@cache
def words(name: str, language: str = "nl") -> tuple[str, ...]:
    """The words of `lists/<language>/<name>.txt`, in their order."""
    text = (LISTS / language / f"{name}.txt").read_text(encoding="utf-8")
    return tuple(w for line in text.splitlines() for w in line.split("#", 1)[0].split())


@cache
def names(name: str, language: str = "nl") -> tuple[str, ...]:
    """One entry a line (place names have spaces and hyphens)."""
    text = (LISTS / language / f"{name}.txt").read_text(encoding="utf-8")
    return tuple(
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )
