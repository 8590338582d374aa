"""The Dutch polite-language check (R-RUL-3): one pure function, `check(text)`.

Outcomes:
- `ok` (reason `clean`);
- `warn`: cursing (`cursing`) or an insult (`insult`): the writer sees the words and may
  rephrase or post anyway;
- `block`: a slur (`slur`), a threat (`threat`) or a discriminating statement about a group
  of people (`discrimination`): never posted.

How a text is read, once:
1. lower case, accents off ("é" -> "e"), apostrophes dropped ("homo's" -> "homos");
2. letters written apart are joined ("k u t", "k.u.t", "k-u-t" -> "kut");
3. per word: digits and signs read as letters ("kl00tzak", "5h1t"), a star or hash stands for
   a few letters ("k*t", "kl**tzak"), and repeated letters are squeezed ("kuuuut" -> "kut",
   "klootzak" -> "klotzak": the word lists are squeezed the same way);
4. each word is looked up (whole word, curse prefix "kanker-/kut-/klote-", insult head
   "-lijer/-wijf"), with our exceptions for words that merely contain a bad word
   ("knikker", "klerenkast", "kankeronderzoek");
5. per sentence: threats ("ik maak je af", "die moet je in elkaar slaan") and statements about
   groups of people ("al die Marokkanen zijn criminelen", "dat zijn vast weer van die
   buitenlanders") by pattern; a bare "kanker" is the illness when the sentence says so
   ("mijn buurman heeft kanker").

Word lists: `lexicon.py` (ours).  Speed: everything is compiled at import; a word's reading is
cached, so a message costs a few dictionary look-ups per word.
"""

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from itertools import product

from . import lexicon as lx


class Outcome(StrEnum):
    OK = "ok"
    WARN = "warn"
    BLOCK = "block"


class Reason(StrEnum):
    CLEAN = "clean"
    CURSING = "cursing"
    INSULT = "insult"
    SLUR = "slur"
    THREAT = "threat"
    DISCRIMINATION = "discrimination"


_OUTCOME_OF = {
    Reason.CLEAN: Outcome.OK,
    Reason.CURSING: Outcome.WARN,
    Reason.INSULT: Outcome.WARN,
    Reason.SLUR: Outcome.BLOCK,
    Reason.THREAT: Outcome.BLOCK,
    Reason.DISCRIMINATION: Outcome.BLOCK,
}
# Which reason wins when a text has several: the worst, threats before slurs.
_RANK = {
    Reason.CLEAN: 0,
    Reason.CURSING: 1,
    Reason.INSULT: 2,
    Reason.SLUR: 4,
    Reason.DISCRIMINATION: 5,
    Reason.THREAT: 6,
}


@dataclass(frozen=True, slots=True)
class Verdict:
    outcome: Outcome
    reason: Reason
    words: tuple[str, ...] = ()  # what matched, as written (lower case)

    @property
    def ok(self) -> bool:
        return self.outcome == Outcome.OK


CLEAN = Verdict(Outcome.OK, Reason.CLEAN)

# --- reading the text -------------------------------------------------------------------

_SQUEEZE = re.compile(r"(.)\1+")


def _squeeze(word: str) -> str:
    return _SQUEEZE.sub(r"\1", word)


def _squeezed(words: list[str]) -> frozenset[str]:
    return frozenset(_squeeze(w) for w in words)


def _inflected(words: list[str]) -> list[str]:
    """Plurals, diminutives and adjective forms of the longer words."""
    out = list(words)
    for w in words:
        if len(w) >= 5 and not w.endswith(("en", "s", "je", "jes", "e")):
            out += [w + "s", w + "en", w + "e", w + "je", w + "jes", w + "tje"]
    return out


_COMBINING = re.compile(r"[\u0300-\u036f]")
_APOSTROPHE = re.compile("['\u2019\u2018`\u00b4]")
# Three or more single letters (or leet signs) written apart: "k u t", "k.u.t", "k-u-t".
_SPACED = re.compile(r"(?<![a-z0-9@$*])(?:[a-z0-9@$*][ .\-_]{1,3}){2,}[a-z0-9@$*](?![a-z0-9@$*])")
_SPACE_SIGNS = re.compile(r"[ .\-_]")
_HYPHEN = re.compile(r"(?<=[a-z])-(?=[a-z])")
# A sentence ends at . ! ? ; : or a line break followed by space or the end.
_SENTENCE = re.compile(r"[.!?;:]+(?=\s|$)|[\r\n]+")
_TOKEN = re.compile(r"[a-z0-9@$€!|*#]+")
_LETTER = re.compile(r"[a-z]")
_LEET_SIGNS = re.compile(r"[0-9@$€!|]")
_LEET_I = str.maketrans(
    {
        "0": "o",
        "1": "i",
        "3": "e",
        "4": "a",
        "5": "s",
        "7": "t",
        "8": "b",
        "@": "a",
        "$": "s",
        "€": "e",
        "!": "i",
        "|": "i",
    }
)
_LEET_L = str.maketrans(
    {
        "1": "l",
        "|": "l",
        "!": "i",
        "0": "o",
        "3": "e",
        "4": "a",
        "5": "s",
        "7": "t",
        "8": "b",
        "@": "a",
        "$": "s",
        "€": "e",
    }
)
_WILD = re.compile(r"[*#]+")
_WILD_FILL = ("a", "e", "i", "o", "u", "oo", "ee", "aa", "uu", "ui", "oe", "ie", "ij", "ei")


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold())
    text = _COMBINING.sub("", text)
    text = _APOSTROPHE.sub("", text)
    text = _SPACED.sub(lambda m: _SPACE_SIGNS.sub("", m.group()), text)
    return _HYPHEN.sub("", text)  # "Oost-Europeanen", "Noord-Afrikaans"


def _variants(token: str) -> tuple[str, ...]:
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


# --- the word lists, squeezed -----------------------------------------------------------

_CURSE = _squeezed(lx.CURSE_WORDS)
_INSULT = _squeezed(_inflected(lx.INSULT_WORDS))
_SLUR = _squeezed(_inflected(lx.SLUR_WORDS))
_EXCEPTIONS = _squeezed(lx.COMPOUND_EXCEPTIONS)
_PREFIXES = tuple(sorted(_squeezed(lx.CURSE_PREFIXES), key=len, reverse=True))
_INSULT_HEADS = tuple(sorted(_squeezed(lx.INSULT_HEADS), key=len, reverse=True))
_SLUR_HEADS = tuple(sorted(_squeezed(lx.SLUR_HEADS), key=len, reverse=True))
_MEDICAL_RAW = tuple(lx.MEDICAL_KANKER_RESTS)
_ILLNESS_PREFIXES = _squeezed(lx.ILLNESS_PREFIXES)
_RAW_EXCEPTIONS = frozenset(lx.RAW_EXCEPTIONS)
_RAW_CURSE = frozenset(
    ["kk", "kkr", "verrekken", "creperen"]
)  # as written: squeezed they are other words
_ILLNESS_CUES = _squeezed(lx.ILLNESS_CUES)
_ILLNESS_BEFORE = _squeezed(lx.ILLNESS_BEFORE)
_ILLNESS_WORDS = _squeezed(["kanker", "kankers", "tyfus", "tering"])
_KANKER = _squeeze("kanker")
_GROUP = _squeezed(lx.GROUP_NOUNS)
_GROUP_ADJ = _squeezed(lx.GROUP_ADJECTIVES)
_GROUP_PEOPLE = _squeezed(lx.GROUP_PEOPLE)
_GROUP_HATE = _squeezed(lx.GROUP_HATE)
_GROUP_ADJ_HATE = _squeezed(lx.GROUP_ADJ_HATE)
_GROUP_CRIME = _squeezed(lx.GROUP_CRIME)
_GENERALISERS = _squeezed(
    [
        "hele",
        "al",
        "alle",
        "allemaal",
        "altijd",
        "typisch",
        "steeds",
        "nooit",
        "elke",
        "iedere",
        "vast",
        "zoals",
        "gewoon",
        "echt",
    ]
)
_COPULA = _squeezed(["zijn", "moeten", "moet", "horen", "blijven", "kunnen"])
_NEGATIONS = _squeezed(["niet", "nooit", "geen", "niemand"])
_FEW = _squeezed(["een", "sommige", "veel", "twee", "drie", "paar", "enkele"])
_ARTICLES = _squeezed(["de", "die", "het"])
# Right after the bare word, a verb or preposition: "kanker bij honden komt vaak voor".
_ILLNESS_AFTER = _squeezed(lx.ILLNESS_AFTER)
_TERING = _squeeze("tering")
_FLIKKER = _squeezed(["flikker", "flikkers"])
_IDIOOT = _squeeze("idioot")
_EIKEL = _squeezed(["eikel", "eikels", "eikelen"])
_TREE = _squeezed(
    [
        "boom",
        "bomen",
        "eik",
        "eiken",
        "eekhoorn",
        "eekhoorns",
        "herfst",
        "vallen",
        "rapen",
        "bos",
        "tuin",
        "blaadjes",
        "kastanjes",
    ]
)
_DOG_WORDS = _squeezed(["teef", "teefje", "teven", "tuig", "tuigje"])
_DOG = _squeezed(
    [
        "hond",
        "hondje",
        "honden",
        "pup",
        "puppy",
        "pups",
        "loops",
        "reu",
        "ras",
        "labrador",
        "herder",
        "riem",
        "lijn",
        "paard",
        "pony",
        "gevonden",
        "kwijt",
        "vermist",
        "dierenarts",
        "nestje",
        "kennel",
        "zwanger",
        "blaft",
    ]
)
_COUNTRY_BEFORE = _squeezed(["naar", "uit", "in", "via"])
_GO_AWAY = _squeezed(["met", "jij", "jullie", "joh", "man", "nou", "gauw", "toch", "je", "uit"])
_ALL = _squeezed(["alle", "al", "elke", "iedere", "alleen", "allemaal"])
_INTENSIFIED = _squeezed(
    [
        "druk",
        "hard",
        "duur",
        "veel",
        "vroeg",
        "laat",
        "lang",
        "hoog",
        "groot",
        "snel",
        "warm",
        "koud",
        "goed",
        "mooi",
        "leuk",
    ]
)


def _is_illness_compound(word: str) -> bool:
    return word.endswith(_KANKER) and len(word) > len(_KANKER)


@lru_cache(maxsize=65536)
def _word(word: str, raw: str = "") -> Reason:
    """The reason one word is bad for, or CLEAN.  Context-free.  `word` is squeezed, `raw`
    as written (exceptions and the illnesses' compounds are checked on it too: squeezing
    "losser" gives "loser", and "kankerrisico" "kankerisico")."""
    raw = raw or word
    if word in _EXCEPTIONS or raw in _RAW_EXCEPTIONS:
        return Reason.CLEAN
    if raw in _RAW_CURSE:
        return Reason.CURSING
    if len(word) < 2:
        return Reason.CLEAN  # "'k heb": squeezing "kk" must not make every "k" a curse
    if word in _SLUR:
        return Reason.SLUR
    if word in _INSULT:
        return Reason.INSULT
    if word in _CURSE:
        return Reason.CURSING
    for prefix in _PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 3:
            rest = word[len(prefix) :]
            if prefix in _ILLNESS_PREFIXES and any(
                raw.startswith(p) and raw[len(p) :].lstrip("n").startswith(_MEDICAL_RAW)
                for p in lx.ILLNESS_PREFIXES
            ):
                return Reason.CLEAN  # kankerpatiënt, pokkenvaccin, teringlijder
            if prefix == "klere" and rest.startswith("n"):
                return Reason.CLEAN  # klerenkast: clothes
            if prefix == "poke" and word.startswith(("poker", "pokemon")):
                return Reason.CLEAN
            if rest in _GROUP or rest in _SLUR:
                return Reason.SLUR  # "kutmarokkanen", "kankerjoden"
            return Reason.CURSING
    for head in _SLUR_HEADS:
        if word.endswith(head) and len(word) > len(head) + 1:
            return Reason.SLUR
    for head in _INSULT_HEADS:
        if word.endswith(head) and len(word) > len(head) + 1:
            return Reason.INSULT
    return Reason.CLEAN


@dataclass(frozen=True, slots=True)
class _Token:
    shown: str  # as written, lower case, leet resolved
    word: str  # squeezed: what the lists and patterns see
    reason: Reason


@lru_cache(maxsize=65536)
def _read(raw: str) -> _Token | None:
    forms = _variants(raw)
    if not forms:
        return None
    best = _Token(shown=forms[0], word=_squeeze(forms[0]), reason=Reason.CLEAN)
    for form in forms:
        word = _squeeze(form)
        reason = _word(word, form)
        if _RANK[reason] > _RANK[best.reason]:
            best = _Token(shown=form, word=word, reason=reason)
    return best


# --- sentence patterns ------------------------------------------------------------------

_P = r"(?:je|jou|jullie|hem|haar|ze|die|jij)"
_THREATS_SRC = [
    rf"\bmaak (?:ik |we |wij )?{_P} (?:\w+ )?(?:af|dood|kapot)\b",
    rf"\b{_P}(?: \w+){{0,3}} (?:afmaken|kapotmaken|doodmaken)\b",
    # A violent verb said by someone who means to (not a report: "probeerden hem te ...").
    r"\b(?:ik|we|wij|ga|gaan|moet|moeten|zal|zullen|zou|zouden|kan|mag|wil|laten)\b"
    r"(?: \w+){0,5} (?<!te )(?:vermoorden|vergiftigen|doodslaan|doodschieten|doodsteken|neersteken"
    r"|neerschieten|afschieten|afknallen|neerknallen|aftuigen|afranselen|afrossen|lynchen"
    r"|afslachten|vergassen|wurgen|kapotslaan|kapottrappen|doodtrappen|abrazo)\b",
    rf"\b(?:ik |we )vermoord\b|\bvermoord (?:ik |we )?{_P}\b",
    r"\bin elkaar (?:slaan|trappen|timmeren|rammen|beuken|meppen|schoppen|slaat|sla|trap)\b",
    rf"\b(?:sla|slaan|trap|trappen|schop|schoppen|mep|meppen|ram|rammen|timmer) (?:ik |we )?"
    rf"{_P} (?:\w+ )?(?:in elkaar|dood|kapot|verrot|lens|bewusteloos|tot moes|de hersens in"
    r"|het ziekenhuis in|helemaal)\b",
    rf"\bik (?:sla|schop|trap|steek|schiet|mep|pak) {_P}\b",
    rf"\b(?:steek|steken) (?:ik |we )?{_P} (?:\w+ )?(?:neer|lek|dood|overhoop|af)\b",
    rf"\b(?:schiet|schieten|knal|knallen) (?:ik |we )?{_P} (?:\w+ )?(?:neer|dood|af|kapot)\b",
    r"\b(?:breek|breken) (?:ik |we )?(?:je|jouw|jullie|zijn|haar|hun) (?:\w+ )?"
    r"(?:nek|benen|botten|poten|armen|kaak|kop)\b",
    r"\b(?:kop|koppen|hoofd|hersens|hersenen|smoel|bek|tanden) "
    r"(?:in ?slaan|in ?trappen|in ?rammen|in ?beuken|eraf ?slaan|eraf ?halen|kapot ?slaan)\b",
    r"\bik weet waar (?:je|jij|jullie|u) (?:woont|wonen)\b",
    r"\b(?:je|jij|jullie) (?:bent|zijn|gaat|gaan) er (?:straks |zo |echt )?(?:geweest|aan)\b",
    r"\b(?:je|jij|jullie) (?:gaat|gaan) eraan\b",
    r"\bkogel door (?:je|jouw|zijn|haar|hun|die) (?:kop|hoofd|harses)\b",
    r"\b(?:mes|knuppel|honkbalknuppel) (?:in|tussen|op) (?:je|jou|hem|haar|zijn)\b",
    r"\b(?:steek|steken|fik|fikken) (?:\w+ ){0,4}(?:huis|auto|deur|tent|winkel|woning|caravan)"
    r" in (?:de fik|brand)\b",
    r"\bga (?:toch )?dood\b|\bmoeten (?:allemaal )?dood\b|\bhoop dat (?:je|jij|hij|ze|zij|jullie)"
    r" (?:\w+ )?dood ?(?:gaat|gaan|neervalt)\b",
    r"\bpak (?:slaag|rammel|op je donder|op hun donder)\b",
    rf"\bals ik {_P} (?:\w+ )?te pakken krijg\b",
    r"\baan de hoogste boom\b",
    r"\baframmeling\b",
    rf"\b{_P}(?: \w+){{0,3}} een lesje (?:leren|geven)\b",
    rf"\b(?:breek|sla|trap|schop) (?:ik|we) {_P}\b",
    r"\b(?:krijgt|krijg|krijgen) (?:je |ie |hij |ze )?(?:een |ff |even )?(?:klap|dreun|mep|knal"
    r"|beuk|opdonder|rammel|pak slaag)\b",
    r"\b(?:verdient|verdienen|krijgt|krijgen|moet|moeten) (?:\w+ )?(?:een )?kogel\b",
    r"\b(?:zal|gaat|zullen|gaan) (?:hij|ze|je|jij|jullie) (?:\w+ )?wat beleven\b",
]
_THREATS = [re.compile("|".join(f"(?:{_squeeze(p)})" for p in _THREATS_SRC))]
_INSINUATIONS = [
    re.compile(_squeeze(p))
    for p in (
        r"\bvan die $",
        r"\bvan die \w+ $",
        r"\bdat soort $",
        r"\bdat volk $",
        r"\btypisch (?:weer )?(?:die |een |zon |van die )?$",
        r"\bvast (?:weer )?(?:die |van die )?$",
        r"\baltijd (?:weer )?(?:die |van die )?$",
        r"\bweer eens (?:die )?$",
        r"\b(?:zeker|natuurlijk|alweer) (?:weer )?(?:die |een |zon |van die |zulke )?$",
        r"\bweer (?:zon|zulke) $",
        r"\bzoals altijd (?:die )?$",
    )
]
_PHRASES_CURSE = [
    re.compile(_squeeze(p))
    for p in (
        r"\b(?:rot|donder|flikker|sodemieter|pleur|lazer|tyf|tief|kut) (?:toch |maar |dan )?op\b",
        r"\bhou (?:je|jullie|uw) (?:bek|kop|muil|smoel|waffel)\b",
        r"\b(?:bek|kop|muil|smoel) (?:dicht|houden)\b",
        r"\b(?:loop|ga|lazer|rot) (?:toch |maar )?naar de (?:hel|duivel|verdommenis|klote)\b",
    )
]
_PHRASES_INSULT = [
    re.compile(_squeeze(p))
    for p in (
        r"\bdat (?:soort )?(?:volk|tuig)\b",
        r"\bstelletje (?:\w+ )?(?:gajes|tuig|apen|sukkels|idioten|debielen)\b",
        r"\b(?:wat een|vuile|stomme|vieze|jij|lamme|luie) zak\b(?! \w)",
        r"\bwat een (?:homo|mietje|nicht|autist|aap|zak)\b",
        r"\bkrijg (?:toch )?de (?:pest|tyfus|tering|kolere|klere|pokken|kanker)\b",
        r"\bval (?:toch )?dood\b",
    )
]
_GROUP_PHRASES = re.compile(
    _squeeze(
        r"\bhoren hier niet\b|\bhet land uit\b|\b(?:moeten|mogen) (?:\w+ )?(?:weg|eruit|oprotten"
        r"|opzouten|dood)\b|\bniet te vertrouwen\b|\bdeugen niet\b|\bzijn het probleem\b"
    )
)
_PHRASES_DISCRIMINATION = [
    re.compile(_squeeze(p))
    for p in (
        r"\bterug naar (?:hun|je|jullie|eigen) (?:eigen )?(?:land|landen)\b",
        r"\bhet land (?:uit ?zetten|uit ?gooien|uit ?schoppen|uit ?trappen|uit ?sturen)\b",
        r"\bhoren (?:hier )?niet (?:in nederland|in ons land|thuis in nederland)\b",
    )
]


_UNLESS = _squeezed(["oppast", "ophoudt", "stopt", "luistert", "weggaat"])

# One pass per kind: the alternatives joined.
_PHRASES_CURSE = [re.compile("|".join(f"(?:{p.pattern})" for p in _PHRASES_CURSE))]
_PHRASES_INSULT = [re.compile("|".join(f"(?:{p.pattern})" for p in _PHRASES_INSULT))]
_AMBIGUOUS = _ILLNESS_WORDS | _FLIKKER | _EIKEL | _DOG_WORDS | {_IDIOOT}


def _negated(words: list[str], start: int) -> bool:
    """A "niet"/"geen" up to three words before: "ga hem niet zelf in elkaar slaan"."""
    for j in range(max(0, start - 3), start):
        if words[j] in _NEGATIONS and not (j + 1 < len(words) and words[j + 1] in _UNLESS):
            return True
    return False


def _spans(words: list[str]) -> tuple[str, list[int]]:
    line = " ".join(words)
    starts, pos = [], 0
    for w in words:
        starts.append(pos)
        pos += len(w) + 1
    return line, starts


def _sentence(tokens: list[_Token], found: list[tuple[Reason, str]]) -> None:
    words = [t.word for t in tokens]
    line, starts = _spans(words)
    n = len(words)
    present = set(words)
    for pattern in _THREATS:
        for m in pattern.finditer(line):
            first = bisect_right(starts, m.start()) - 1
            last = bisect_right(starts, m.end() - 1) - 1
            if _negated(words, first) or any(w in _NEGATIONS for w in words[first : last + 1]):
                continue
            found.append((Reason.THREAT, " ".join(t.shown for t in tokens[first : last + 1])))
    bad_words: set[int] = set()
    for patterns, kind in (
        (_PHRASES_CURSE, Reason.CURSING),
        (_PHRASES_INSULT, Reason.INSULT),
        (_PHRASES_DISCRIMINATION, Reason.DISCRIMINATION),
    ):
        for pattern in patterns:
            for m in pattern.finditer(line):
                first = bisect_right(starts, m.start()) - 1
                last = bisect_right(starts, m.end() - 1) - 1
                bad_words.update(range(first, last + 1))
                found.append((kind, " ".join(t.shown for t in tokens[first : last + 1])))

    ambiguous = not present.isdisjoint(_AMBIGUOUS)
    illness = ambiguous and any(w in _ILLNESS_CUES or _is_illness_compound(w) for w in words)
    for i, tok in enumerate(tokens):
        w = tok.word
        reason = tok.reason
        if reason == Reason.CLEAN and w not in _ILLNESS_WORDS:
            continue
        if not ambiguous:
            pass
        elif w in _ILLNESS_WORDS:
            prev = words[i - 1] if i else ""
            nxt = words[i + 1] if i + 1 < n else ""
            curse_use = (nxt == "op" and (i + 2 >= n or words[i + 2] in _GO_AWAY)) or (
                prev in _ARTICLES
                and any(x.startswith("krijg") for x in words[max(0, i - 3) : i + 3])
            )
            said_of_illness = (
                illness
                or prev in _ILLNESS_BEFORE
                or (i > 1 and words[i - 2] in _ILLNESS_BEFORE)
                or nxt in _ILLNESS_AFTER
            )
            if w == _TERING:
                said_of_illness = False
            reason = Reason.CURSING if curse_use or not said_of_illness else Reason.CLEAN
        elif w in _FLIKKER:
            prev = words[i - 1] if i else ""
            if prev in _NEGATIONS or "op" in words[i + 1 : i + 3]:
                reason = Reason.CURSING
        elif (
            (w in _EIKEL and any(x in _TREE for x in words))
            or (w in _DOG_WORDS and any(x in _DOG for x in words))
        ) or (w == _IDIOOT and i + 1 < n and words[i + 1] in _INTENSIFIED):
            reason = Reason.CLEAN
        if reason != Reason.CLEAN:
            found.append((reason, tok.shown))

    # Statements about groups of people.
    bad_words.update(i for i, t in enumerate(tokens) if t.reason != Reason.CLEAN)
    if present.isdisjoint(_GROUP) and present.isdisjoint(_GROUP_ADJ):
        return
    group_phrase = _GROUP_PHRASES.search(line) is not None
    for i, w in enumerate(words):
        width = 1
        if w in _GROUP:
            pass
        elif w in _GROUP_ADJ and i + 1 < n and words[i + 1] in _GROUP_PEOPLE:
            width = 2
        else:
            continue
        before = words[max(0, i - 3) : i]
        if before[-1:] and before[-1] in _NEGATIONS:
            continue
        if w == "polen" and before[-1:] and before[-1] in _COUNTRY_BEFORE:
            continue  # the country
        if len(before) >= 2 and before[-2] in _NEGATIONS and before[-1] in _ALL:
            continue
        lo, hi = max(0, i - 6), min(n, i + width + 8)
        window = words[lo:hi]
        head = " ".join(words[max(0, i - 4) : i]) + " "
        said = " ".join(tokens[j].shown for j in range(i, i + width))
        after = words[i + width] if i + width < n else ""
        if (
            any(x in _GROUP_HATE for x in window)
            or group_phrase
            or (i and words[i - 1] in _GROUP_ADJ_HATE)
            or any(lo <= j < hi for j in bad_words)
            or (
                any(x in _GROUP_CRIME for x in window)
                and (any(x in _GENERALISERS for x in window) or after in _COPULA)
            )
            or (
                any(p.search(head) for p in _INSINUATIONS)
                and not (len(before) >= 3 and before[-3] in _FEW and before[-2] == "van")
            )
        ):
            found.append((Reason.DISCRIMINATION, said))


def check(text: str) -> Verdict:
    """The polite-language verdict on one text (R-RUL-3).  Pure; same on every path."""
    if not text:
        return CLEAN
    folded = _fold(text)
    found: list[tuple[Reason, str]] = []
    for sentence in _SENTENCE.split(folded):
        tokens = [t for t in map(_read, _TOKEN.findall(sentence)) if t is not None]
        if tokens:
            _sentence(tokens, found)
    if not found:
        return CLEAN
    worst = max(found, key=lambda f: _RANK[f[0]])[0]
    words: list[str] = []
    for reason, shown in found:
        if _OUTCOME_OF[reason] == _OUTCOME_OF[worst] and shown not in words:
            words.append(shown)
    return Verdict(_OUTCOME_OF[worst], worst, tuple(words))
