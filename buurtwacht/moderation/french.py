"""The polite-language check in French (R-RUL-3, for French-speaking groups in Brussels and
Wallonia): ``check(text)`` gives the same `Verdict` as the Dutch check in ``language.py``,
with the same categories (cursing, insults and generalisations about a group of people
warn; slurs and threats block) and the same disguises undone (case, accents, letters written
apart, digits and signs for letters, a star for a few letters, repeated letters).

Where Belgium is served (``settings.COUNTRIES``), ``moderation.actions.check_texts`` reads
every text with both checks and keeps the worse verdict: Brussels is bilingual, and a
French slur in a Flemish group is as much a slur.  The text is first normalised as for the
Dutch check (``normalise.fold``: invisible characters, look-alike letters, NFKC).

Word lists: ours, kept short and obvious; apostrophes and elision are read as spaces
("t'es con" -> "t es con", "d'enculé" -> "d enculé").
"""

import re
import unicodedata
from functools import lru_cache

from .normalise import fold
from .reasons import CLEAN, Outcome, Reason, Verdict

CURSE_WORDS = ("merde", "putain", "bordel", "chier", "fait chier", "fais chier", "foutre")
INSULT_WORDS = (
    "connard",
    "connasse",
    "con",
    "conne",
    "salaud",
    "salope",
    "enfoire",
    "encule",
    "abruti",
    "cretin",
    "debile",
    "imbecile",
    "ordure",
    "pourriture",
    "batard",
    "pauvre type",
    "tete de con",
)
SLUR_WORDS = (
    "bougnoule",
    "bicot",
    "negre",
    "negro",
    "youpin",
    "bamboula",
    "pede",
    "tapette",
    "gouine",
    "romano",
    "chinetoque",
    "sale arabe",
    "sale noir",
    "sale juif",
    "sale roumain",
)
# "con" is also part of many words ("contre", "cône"): only whole words count.
THREATS = (
    r"\bje (?:vais|va) (?:te|le|la|les|vous) (?:tuer|buter|crever|defoncer|casser la gueule)\b",
    r"\bon (?:va|devrait) (?:le|la|les|lui|leur) "
    r"(?:tuer|buter|casser la gueule|regler son compte)\b",
    r"\b(?:il|elle|ils|elles) (?:merite|meritent) (?:une raclee|de crever|d etre tabasse)\b",
    r"\bcasser la gueule\b",
    r"\bje (?:te|vous) (?:retrouverai|retrouve)\b.*\b(?:tuer|regretter)\b",
)
# "tous ces Marocains sont des voleurs", "encore ces étrangers", "c'est toujours les Roms"
_PEOPLE = (
    r"(?:etrangers|immigres|migrants|marocains|turcs|arabes|roms|roumains|polonais|"
    r"africains|noirs|musulmans|juifs|gitans|albanais|refugies|allochtones)"
)
GROUP_STATEMENTS = (
    rf"\b(?:tous|toutes) (?:ces|les) {_PEOPLE}\b.*\b(?:sont|volent|cassent)\b",
    rf"\b(?:encore|toujours) (?:ces|des|les) {_PEOPLE}\b",
    rf"\bc est (?:encore|toujours|forcement) (?:les|des) {_PEOPLE}\b",
    rf"\b{_PEOPLE} (?:dehors|a la porte)\b",
)

_LEET = str.maketrans(
    {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"}
)
_SPACED = re.compile(r"(?<![a-z0-9@$*])(?:[a-z0-9@$*][ .\-_]{1,3}){2,}[a-z0-9@$*](?![a-z0-9@$*])")
_SQUEEZE = re.compile(r"(.)\1{2,}")  # French doubles letters ("connard"): three or more
_TOKEN = re.compile(r"[a-z0-9@$*]+")
_SENTENCE = re.compile(r"[.!?;:]+(?=\s|$)|[\r\n]+")


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"['\u2019\u2018`\u00b4]", " ", text)
    return _SPACED.sub(lambda m: re.sub(r"[ .\-_]", "", m.group()), text)


@lru_cache(maxsize=65536)
def _read(token: str) -> str:
    return _SQUEEZE.sub(r"\1\1", token.translate(_LEET))


def _phrases(words: tuple[str, ...]) -> list[tuple[str, ...]]:
    return sorted((tuple(w.split()) for w in words), key=len, reverse=True)


_LISTS = (
    (Reason.SLUR, _phrases(SLUR_WORDS)),
    (Reason.INSULT, _phrases(INSULT_WORDS)),
    (Reason.CURSING, _phrases(CURSE_WORDS)),
)
_THREATS = [re.compile(p) for p in THREATS]
_GROUPS = [re.compile(p) for p in GROUP_STATEMENTS]
_BLOCKING = {Reason.SLUR, Reason.THREAT}
_RANK = [Reason.THREAT, Reason.SLUR, Reason.GENERALISATION, Reason.INSULT, Reason.CURSING]


def _wild(pattern: tuple[str, ...], tokens: list[str], at: int) -> bool:
    for offset, word in enumerate(pattern):
        token = tokens[at + offset]
        if "*" in token:
            regex = "^" + ".{1,3}".join(re.escape(part) for part in token.split("*")) + "$"
            if not re.match(regex, word):
                return False
        elif token != word:
            return False
    return True


def check(text: str) -> Verdict:
    """The French polite-language verdict on one text.  Pure."""
    if not text:
        return CLEAN
    found: dict[Reason, list[str]] = {}
    for sentence in _SENTENCE.split(_fold(fold(text))):
        tokens = [_read(t) for t in _TOKEN.findall(sentence)]
        plain = " ".join(tokens)
        for pattern in _THREATS:
            if match := pattern.search(plain):
                found.setdefault(Reason.THREAT, []).append(match.group())
        for pattern in _GROUPS:
            if match := pattern.search(plain):
                found.setdefault(Reason.GENERALISATION, []).append(match.group())
        for reason, phrases in _LISTS:
            for phrase in phrases:
                for at in range(len(tokens) - len(phrase) + 1):
                    if _wild(phrase, tokens, at):
                        found.setdefault(reason, []).append(" ".join(phrase))
    if not found:
        return CLEAN
    worst = next(reason for reason in _RANK if reason in found)
    blocking = worst in _BLOCKING
    words: list[str] = []
    for reason in _RANK:
        if reason in found and (reason in _BLOCKING) == blocking:
            words += [w for w in found[reason] if w not in words]
    return Verdict(Outcome.BLOCK if blocking else Outcome.WARN, worst, tuple(words))
