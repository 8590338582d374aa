"""One reading of a text before any check (R-RUL-3): what a reader would see, in plain
lower-case letters.  Language-independent.

1. invisible and direction-control characters out: zero-width space/joiners (U+200B-200D),
   word joiner (U+2060), BOM (U+FEFF), soft hyphen, Unicode tag characters
   (U+E0000-E007F), left/right-to-left marks, embeddings, overrides and isolates,
   variation selectors (`core.text.strip_invisible` does the same, more gently, before a
   text is stored);
2. NFKC: full-width letters, ligatures, mathematical and circled letters become letters;
3. case folded;
4. look-alike letters folded to the Latin letter they imitate (Cyrillic a, Greek omicron,
   ...) from the Unicode confusables data shipped in the `confusable-homoglyphs` package
   (Unicode TR39 `confusables.txt`, MIT-licensed package).  Only in a word that already has
   a Latin letter, or whose every letter has a Latin look-alike: a Russian or Greek
   sentence stays itself;
5. accents off (NFKD without combining marks), apostrophes dropped ("homo's" -> "homos");
6. letters written apart joined ("k u t", "k.u.t", "k-u-t" -> "kut"), hyphens inside a word
   dropped ("Oost-Europeanen").

Leet ("kl00tzak"), stars ("k*t") and repeated letters are read per word by `words.py`.
"""

import re
import unicodedata

from confusable_homoglyphs import utils as confusables_data

# Everything a reader does not see (checking only: storing keeps emoji sequences).
_INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\U000e0000-\U000e007f]"
)
_COMBINING = re.compile(r"[\u0300-\u036f]")
_APOSTROPHE = re.compile("['\u2019\u2018`\u00b4\u02bc]")
# Three or more single letters (or leet signs) written apart: "k u t", "k.u.t", "k-u-t".
_SPACED = re.compile(r"(?<![a-z0-9@$*])(?:[a-z0-9@$*][ .\-_]{1,3}){2,}[a-z0-9@$*](?![a-z0-9@$*])")
_SPACE_SIGNS = re.compile(r"[ .\-_]")
_HYPHEN = re.compile(r"(?<=[a-z])-(?=[a-z])")
_NON_ASCII_WORD = re.compile(r"\S*[^\x00-\x7f]\S*")
_LATIN = re.compile(r"[a-z]")


def _fold_table() -> dict[int, str]:
    """Each non-ASCII character whose confusable is one ASCII letter or digit -> that one."""
    table: dict[int, str] = {}
    for char, glyphs in confusables_data.load("confusables.json").items():
        if len(char) != 1 or char.isascii():
            continue
        for glyph in glyphs:
            c = glyph["c"]
            if len(c) == 1 and c.isascii() and c.isalnum():
                table[ord(char)] = c.lower()
                break
    return table


LOOK_ALIKES = _fold_table()


def _fold_word(match: re.Match[str]) -> str:
    word = match.group()
    folded = word.translate(LOOK_ALIKES)
    if _LATIN.search(word) or all(not c.isalpha() or c.isascii() for c in folded):
        return folded
    return word  # a word in another script, not imitating Latin letters


def invisible(text: str) -> bool:
    """Whether the text holds characters a reader does not see."""
    return _INVISIBLE.search(text) is not None


def fold(text: str) -> str:
    """The text as the checks read it (see the module's docstring)."""
    text = _INVISIBLE.sub("", text)
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    text = text.casefold()
    if not text.isascii():
        text = _NON_ASCII_WORD.sub(_fold_word, text)
        text = _COMBINING.sub("", unicodedata.normalize("NFKD", text))
    text = _APOSTROPHE.sub("", text)
    text = _SPACED.sub(lambda m: _SPACE_SIGNS.sub("", m.group()), text)
    return _HYPHEN.sub("", text)
