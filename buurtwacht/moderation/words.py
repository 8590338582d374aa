"""One written word, read (R-RUL-3): which category it is bad for, out of context.

Per word: digits and signs read as letters ("kl00tzak", "5h1t"), a star or hash stands for
a few letters ("k*t", "kl**tzak"), repeated letters are squeezed ("kuuuut" -> "kut",
"klootzak" -> "klotzak": the word lists are squeezed the same way).  Then the word is
looked up: whole word, curse prefix ("kanker-", "kut-"), insult or slur head ("-lijer",
"-neger"), with the exceptions for words that merely contain a bad word ("knikker",
"klerenkast", "kankeronderzoek").  The lists are data (`lists/nl/*.txt`).
"""

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import product

from .lexicon import words as _list
from .reasons import RANK, Reason

_SQUEEZE = re.compile(r"(.)\1+")


def squeeze(word: str) -> str:
    return _SQUEEZE.sub(r"\1", word)


def squeezed(name: str) -> frozenset[str]:
    """A list of `lists/nl/`, squeezed."""
    return frozenset(squeeze(w) for w in _list(name))


def _inflected(words: tuple[str, ...]) -> list[str]:
    """Plurals, diminutives and adjective forms of the longer words."""
    out = list(words)
    for w in words:
        if len(w) >= 5 and not w.endswith(("en", "s", "je", "jes", "e")):
            out += [w + "s", w + "en", w + "e", w + "je", w + "jes", w + "tje"]
    return out


TOKEN = re.compile(r"[a-z0-9@$€!|*#]+")
_LETTER = re.compile(r"[a-z]")
_LEET_SIGNS = re.compile(r"[0-9@$€!|]")
_LEET_COMMON = {"0": "o", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "@": "a", "$": "s"}
_LEET_I = str.maketrans({**_LEET_COMMON, "1": "i", "€": "e", "!": "i", "|": "i"})
_LEET_L = str.maketrans({**_LEET_COMMON, "1": "l", "€": "e", "!": "i", "|": "l"})
_WILD = re.compile(r"[*#]+")
_WILD_FILL = ("a", "e", "i", "o", "u", "oo", "ee", "aa", "uu", "ui", "oe", "ie", "ij", "ei")


def variants(token: str) -> tuple[str, ...]:
    """The readings of one written word (unsqueezed): leet and stars resolved."""
    token = token.strip("!|#*")
    if not token or not _LETTER.search(token):
        return ()
    forms = {token}
    if _LEET_SIGNS.search(token):
        forms = {token.translate(_LEET_I), token.translate(_LEET_L)}
    if "*" in token or "#" in token:
        starred = set()
        for form in forms:
            parts = _WILD.split(form)
            if len(parts) > 3:
                continue
            for fill in product(_WILD_FILL, repeat=len(parts) - 1):
                starred.add("".join(p + f for p, f in zip(parts, (*fill, ""), strict=True)))
        forms = starred or {_WILD.sub("", f) for f in forms}
    return tuple(sorted(forms))


CURSE = squeezed("curse_words")
INSULT = frozenset(squeeze(w) for w in _inflected(_list("insult_words")))
SLUR = frozenset(squeeze(w) for w in _inflected(_list("slur_words")))
EXCEPTIONS = squeezed("compound_exceptions")
PREFIXES = tuple(sorted(squeezed("curse_prefixes"), key=len, reverse=True))
PREFIX_EXCEPTIONS = tuple(squeezed("prefix_exceptions"))
INSULT_HEADS = tuple(sorted(squeezed("insult_heads"), key=len, reverse=True))
SLUR_HEADS = tuple(sorted(squeezed("slur_heads"), key=len, reverse=True))
MEDICAL_RAW = tuple(_list("medical_kanker_rests"))
ILLNESS_PREFIXES_RAW = _list("illness_prefixes")
ILLNESS_PREFIXES = squeezed("illness_prefixes")
RAW_EXCEPTIONS = frozenset(_list("raw_exceptions"))
RAW_CURSE = frozenset(_list("raw_curse"))  # as written: squeezed they are other words
GROUP = squeezed("group_nouns")


@dataclass(frozen=True, slots=True)
class Token:
    shown: str  # as written, lower case, leet resolved
    word: str  # squeezed: what the lists and patterns see
    reason: Reason
    strong: bool = False  # an insult that blocks ("kankerlijer": a disease wished)


def _insult_rest(rest: str) -> bool:
    return rest in INSULT or any(
        rest.endswith(head) and len(rest) >= len(head) for head in INSULT_HEADS
    )


@lru_cache(maxsize=65536)
def word_reason(word: str, raw: str = "") -> tuple[Reason, bool]:
    """(reason, strong) for one word, context-free.  `word` is squeezed, `raw` as written
    (exceptions and the illnesses' compounds are checked on it too: squeezing "losser"
    gives "loser", and "kankerrisico" "kankerisico")."""
    raw = raw or word
    if word in EXCEPTIONS or raw in RAW_EXCEPTIONS:
        return Reason.CLEAN, False
    if raw in RAW_CURSE:
        return Reason.CURSING, False
    if len(word) < 2:
        return Reason.CLEAN, False  # "'k heb": squeezing "kk" must not make every "k" a curse
    if word in SLUR:
        return Reason.SLUR, False
    if word in INSULT:
        return Reason.INSULT, False
    if word in CURSE:
        return Reason.CURSING, False
    if word.startswith(PREFIX_EXCEPTIONS):
        return Reason.CLEAN, False  # klerenkast, pokerspel
    for prefix in PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 3:
            rest = word[len(prefix) :]
            illness = prefix in ILLNESS_PREFIXES
            if illness and any(
                raw.startswith(p) and raw[len(p) :].lstrip("n").startswith(MEDICAL_RAW)
                for p in ILLNESS_PREFIXES_RAW
            ):
                return Reason.CLEAN, False  # kankerpatiënt, pokkenvaccin, teringlijder
            if rest in GROUP or rest in SLUR:
                return Reason.SLUR, False  # "kutmarokkanen", "kankerjoden"
            if _insult_rest(rest):
                return Reason.INSULT, illness  # "kankerlijer": a disease wished on someone
            return Reason.CURSING, False
    for head in SLUR_HEADS:
        if word.endswith(head) and len(word) > len(head) + 1:
            return Reason.SLUR, False
    for head in INSULT_HEADS:
        if word.endswith(head) and len(word) > len(head) + 1:
            return Reason.INSULT, False
    return Reason.CLEAN, False


# Misspellings of the words that make a statement about a group hostile ("verchtelijk",
# "immigrnten", "bederiging"): one letter dropped or two swapped, for words of seven letters
# or more, unless the misspelling is itself a word of our lists.
_GROUP_VOCABULARY = frozenset(
    squeeze(w)
    for name in (
        "group_nouns",
        "group_adjectives",
        "group_hate",
        "group_dehumanising",
        "group_violence",
        "slur_words",
    )
    for w in _list(name)
)
_KNOWN = _GROUP_VOCABULARY | CURSE | INSULT | SLUR | EXCEPTIONS


def _typos() -> dict[str, str]:
    table: dict[str, str] = {}
    for word in _GROUP_VOCABULARY:
        if len(word) < 7:
            continue
        for k in range(len(word)):
            table.setdefault(word[:k] + word[k + 1 :], word)
            if k + 1 < len(word):
                table.setdefault(word[:k] + word[k + 1] + word[k] + word[k + 2 :], word)
    return {typo: word for typo, word in table.items() if typo not in _KNOWN}


TYPOS = _typos()
_FUNCTION_WORDS = frozenset(_list("function_words"))


def _split(word: str) -> tuple[str, str] | None:
    """A short word run into a word of the group lists: "ikhaat", "zijnongedierte"."""
    for k in range(2, len(word) - 1):
        a, b = word[:k], word[k:]
        if (a in _FUNCTION_WORDS and (b in _GROUP_VOCABULARY or b in _FUNCTION_WORDS)) or (
            b in _FUNCTION_WORDS and a in _GROUP_VOCABULARY
        ):
            return a, b
    return None


@lru_cache(maxsize=65536)
def read_all(raw: str) -> tuple[Token, ...]:
    """The tokens of one written word: usually one, two when two words were run together,
    a misspelt group word read as the word."""
    token = read(raw)
    if token is None:
        return ()
    if token.reason != Reason.CLEAN or token.word in _KNOWN or len(token.word) < 5:
        return (token,)
    if token.word in TYPOS:
        word = TYPOS[token.word]
        reason, strong = word_reason(word)
        return (Token(shown=token.shown, word=word, reason=reason, strong=strong),)
    if len(token.word) >= 7 and (parts := _split(token.shown)) is not None:
        return tuple(t for part in parts if (t := read(part)) is not None)
    return (token,)


@lru_cache(maxsize=65536)
def read(raw: str) -> Token | None:
    """The worst reading of one written word, or None for no letters."""
    forms = variants(raw)
    if not forms:
        return None
    best = Token(shown=forms[0], word=squeeze(forms[0]), reason=Reason.CLEAN)
    for form in forms:
        word = squeeze(form)
        reason, strong = word_reason(word, form)
        if RANK[reason] > RANK[best.reason] or (reason == best.reason and strong):
            best = Token(shown=form, word=word, reason=reason, strong=strong)
    return best
