"""The polite-language check (R-RUL-3): one pure function, `check(text)`, the same on every
path (web, API, socket) and for every kind of text.

Categories and what they lead to (`reasons.py`):
- cursing: warn;
- an insult at a person: warn; a strong one (a disease wished on someone) blocks;
- a slur, or dehumanising words about a group of people: block;
- a generalisation about a group of people: warn (posted anyway, it goes to the queue);
- a threat or a call for eigenrichting: block, and the admins are told at once;
- doxxing (an address with a call to go there, or as where a suspect lives): block;
- profiling (a person described by skin colour or origin with fewer than two other concrete
  details): block, as on the alert form.

How a text is read: once, by `normalise.fold` (invisible characters, look-alike letters,
NFKC, accents, letters written apart); per word by `words.read` (leet, stars, repeated
letters, the word lists); per sentence by the language's patterns (`patterns_nl`).  Known
names (Dutch and Belgian places, and the gazetteer's streets and places when the caller
passes them) are never abuse: "Bronneger" is a village.

Speed: everything is compiled at import; a word's reading is cached, so a message costs a
few dictionary look-ups per word and one pass of each sentence pattern.
"""

import re
from collections.abc import Callable, Iterable

from . import patterns_nl as patterns
from .lexicon import names as _names
from .lexicon import words as _words
from .normalise import fold
from .profiling import descriptors, origin_described
from .reasons import CLEAN, OUTCOME_OF, RANK, Hit, Outcome, Reason, Rule, Verdict
from .words import TOKEN, Token, read, read_all, squeeze

__all__ = ["CLEAN", "Hit", "Outcome", "Reason", "Rule", "Verdict", "check", "hits", "profiled"]

# A sentence ends at . ! ? ; : or a line break followed by space or the end.
_SENTENCE = re.compile(r"[.!?;:]+(?=\s|$)|[\r\n]+")
_ORDER = {Outcome.OK: 0, Outcome.WARN: 1, Outcome.BLOCK: 2}

# Names lookup: given a flagged word (folded, as written), the names that contain it.
Names = Callable[[str], Iterable[str]]


def _name_words(name: str) -> tuple[str, ...]:
    return tuple(t.word for t in (read(raw) for raw in TOKEN.findall(fold(name))) if t is not None)


def _place_index() -> dict[str, list[tuple[str, ...]]]:
    """Shipped place names with a word the check would flag, by that word."""
    index: dict[str, list[tuple[str, ...]]] = {}
    for name in (*_names("places_nl"), *_names("places_be")):
        words = _name_words(name)
        for raw in TOKEN.findall(fold(name)):
            token = read(raw)
            if token is not None and token.reason != Reason.CLEAN:
                index.setdefault(token.word, []).append(words)
    return index


_PLACES = _place_index()
# Where the profiling rule applies outside the alert form: a description of someone seen.
_SIGHTING = frozenset(_words("sighting"))
_STATEMENT = frozenset(_words("statement_verbs"))


def _known(tokens: list[Token], names: Names | None) -> set[int]:
    """Positions of the flagged words that are part of a known name in this sentence."""
    known: set[int] = set()
    words = [t.word for t in tokens]
    for i, token in enumerate(tokens):
        if token.reason == Reason.CLEAN:
            continue
        candidates = list(_PLACES.get(token.word, ()))
        if names is not None:
            candidates += [_name_words(n) for n in names(token.shown)]
        for name in candidates:
            for k, word in enumerate(name):
                start = i - k
                if (
                    word == token.word
                    and start >= 0
                    and words[start : start + len(name)] == list(name)
                ):
                    known.update(range(start, start + len(name)))
    return known


def _describes_someone_seen(words: list[str]) -> bool:
    """A sighting ("gezien", "bij de school", "verdachte"), or a short description
    without a statement about oneself or a group ("Donkere man, Marokkaans uiterlijk")."""
    if not _SIGHTING.isdisjoint(words):
        return True
    return len(words) <= 8 and _STATEMENT.isdisjoint(words)


def profiled(text: str) -> Hit | None:
    """The profiling hit, if the text describes a person by origin or skin colour with
    fewer than two other concrete details (the alert form's rule, issue 11)."""
    folded = fold(text)
    if (
        origin_described(folded)
        and len(descriptors(folded)) < 2
        and _describes_someone_seen(TOKEN.findall(folded))
    ):
        return Hit(Reason.PROFILING, "", Rule.ORIGIN)
    return None


def hits(text: str, *, names: Names | None = None, profiling: bool = True) -> list[Hit]:
    """Everything the check finds in `text` (for the verdict and for measuring)."""
    if not text:
        return []
    folded = fold(text)
    sentences = []
    for part in _SENTENCE.split(folded):
        tokens = [t for raw in TOKEN.findall(part) for t in read_all(raw)]
        if tokens:
            sentences.append((part, tokens))
    call = patterns.calls_to_go(" ".join(t.word for _p, ts in sentences for t in ts))
    found: list[Hit] = []
    group_before = False
    for part, tokens in sentences:
        known = _known(tokens, names)
        group_before = patterns.sentence(
            tokens, found, known=known, call=call, folded=part, group_before=group_before
        )
    if profiling and (hit := profiled(text)) is not None:
        found.append(hit)
    return found


def _outcome(hit: Hit) -> Outcome:
    return Outcome.BLOCK if hit.strong else OUTCOME_OF[hit.reason]


def verdict_of(found: list[Hit]) -> Verdict:
    if not found:
        return CLEAN
    worst = max(found, key=lambda h: (_ORDER[_outcome(h)], RANK[h.reason]))
    outcome = _outcome(worst)
    words: list[str] = []
    for hit in found:
        same = hit.reason == worst.reason and _outcome(hit) == outcome
        if same and hit.shown and hit.shown not in words:
            words.append(hit.shown)
    return Verdict(outcome, worst.reason, tuple(words), worst.rule)


def check(text: str, *, names: Names | None = None, profiling: bool = True) -> Verdict:
    """The polite-language verdict on one text (R-RUL-3).  Pure; same on every path.
    `names`: the gazetteer's names containing a flagged word (see `actions.gazetteer`);
    `profiling`: False when the caller checks profiling over several fields at once."""
    return verdict_of(hits(text, names=names, profiling=profiling))


def squeezed_text(text: str) -> str:
    """The text as the patterns see it (for the benchmark's explanations)."""
    return " ".join(squeeze(w) for w in TOKEN.findall(fold(text)))
