"""Dutch sentence patterns of the polite-language check (R-RUL-3), beyond single words.

Per sentence, on the squeezed words (`words.py`):
- threats: "ik maak je af", a violent verb with a person or a house as its target
  ("die moet je in elkaar slaan", "we gooien zijn ramen in"), and calls for eigenrichting
  ("we pakken hem zelf", "met z'n allen naar zijn huis", "neem een knuppel mee");
- doxxing: an address (street + number, or a postcode) with a call to go there, or given
  as where the suspect lives;
- groups of people: a group noun with a generalising frame ("al die X zijn criminelen",
  "je kan X niet vertrouwen", "sinds die X hier wonen", "vast weer een X"): a
  generalisation; with hostile words ("ik haat X"): the same, more surely; with animal,
  vermin or extermination words ("X zijn ratten"): a slur;
- words in context: "kanker" is the illness when the sentence says so ("mijn buurman
  heeft kanker"), "eikels" fall from a tree, a "teefje" is a dog.

The word lists these read are data (`lists/nl/*.txt`); a language adds its own module like
this one and its own lists.
"""

import re
from bisect import bisect_right

from .lexicon import words as _list
from .reasons import Hit, Reason, Rule
from .words import GROUP, Token, squeeze, squeezed


def _alt(name: str) -> str:
    return "|".join(sorted((re.escape(squeeze(w)) for w in _list(name)), key=len, reverse=True))


def _joined(patterns: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{squeeze(p)})" for p in patterns))


_P = r"(?:je|jou|jullie|hem|haar|ze|die|jij)"
_THREATS = _joined(
    [
        rf"\bmaak (?:ik |we |wij )?{_P} (?:\w+ )?(?:af|dood|kapot)\b",
        rf"\b{_P}(?: \w+){{0,3}} (?:afmaken|kapotmaken|doodmaken)\b",
        # A violent verb said by someone who means to (not a report: "probeerden hem te ...").
        r"\b(?:ik|we|wij|ga|gaan|moet|moeten|zal|zullen|zou|zouden|kan|mag|wil|laten)\b"
        r"(?: \w+){0,5} (?<!te )(?:vermoorden|vergiftigen|doodslaan|doodschieten|doodsteken"
        r"|neersteken|neerschieten|afschieten|afknallen|neerknallen|aftuigen|afranselen|afrossen"
        r"|lynchen|afslachten|vergassen|wurgen|kapotslaan|kapottrappen|doodtrappen|afstraffen)\b",
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
        r"\bik weet waar (?:je|jij|jullie|u|hij|ze|zij) (?:woont|wonen)\b",
        r"\b(?:je|jij|jullie) (?:bent|zijn|gaat|gaan) er (?:straks |zo |echt )?(?:geweest|aan)\b",
        r"\b(?:je|jij|jullie) (?:gaat|gaan) eraan\b",
        r"\bkogel door (?:je|jouw|zijn|haar|hun|die) (?:kop|hoofd|harses)\b",
        r"\b(?:mes|knuppel|honkbalknuppel) (?:in|tussen|op) (?:je|jou|hem|haar|zijn)\b",
        r"\b(?:steek|steken|fik|fikken) (?:\w+ ){0,4}(?:huis|auto|deur|tent|winkel|woning"
        r"|caravan) in (?:de fik|brand)\b",
        r"\bga (?:toch )?dood\b|\bmoeten (?:allemaal )?dood\b|\bhoop dat (?:je|jij|hij|ze|zij"
        r"|jullie) (?:\w+ )?dood ?(?:gaat|gaan|neervalt)\b",
        r"\bpak (?:slaag|rammel|op je donder|op hun donder)\b",
        rf"\bals ik {_P} (?:\w+ )?te pakken krijg\b",
        r"\baan de hoogste boom\b",
        r"\baframmeling\b",
        rf"\b{_P}(?: \w+){{0,3}} een lesje (?:leren|geven)\b",
        rf"\b(?:breek|sla|trap|schop) (?:ik|we) {_P}\b",
        r"\b(?:krijgt|krijg|krijgen) (?:je |ie |hij |ze )?(?:een |ff |even )?(?:klap|dreun|mep"
        r"|knal|beuk|opdonder|rammel|pak slaag)\b",
        r"\b(?:verdient|verdienen|krijgt|krijgen|moet|moeten) (?:\w+ )?(?:een )?kogel\b",
        r"\b(?:zal|gaat|zullen|gaan) (?:hij|ze|je|jij|jullie) (?:\w+ )?wat beleven\b",
        r"\b(?:sla|slaan|trap|trappen|ram|rammen|beuk|beuken|schop|schoppen) (?:ik |we )?"
        r"(?:je|jouw|zijn|haar|hun|die|z n) (?:kop|hoofd|smoel|bek|tanden|schedel|harses) in\b",
        r"\b(?:is|ben|bent|zijn) (?:hij|ze|zij|je|jij|jullie) er (?:\w+ )?geweest\b",
        rf"\b(?:huis|auto|deur|tent|winkel|woning|caravan|schuur|{_alt('house_words')}) "
        r"(?:\w+ )?in (?:de fik|brand) (?:steken|zetten|gooien)\b",
        # A house or property of someone as the target.
        rf"\b(?:ik|we|wij|gaan|moeten|laten|zullen)\b(?: \w+){{0,4}} (?:zijn|haar|hun|je|jouw"
        rf"|die|dat) (?:\w+ )?(?:{_alt('house_words')}) (?:\w+ )?(?:{_alt('violent_property')})\b",
        rf"\b(?:gooi|gooien|sla|slaan|trap|trappen) (?:we |ik )?(?:zijn|haar|hun|je|jouw) "
        rf"(?:{_alt('house_words')}) (?:\w+ )?(?:in|kapot)\b",
    ]
)
_EIGENRICHTING = _joined(
    [
        r"\beigen rechter (?:\w+ )?(?:spelen|speel|spel)\b",
        r"\bheft in (?:eigen|onze eigen) hand(?:en)?\b",
        r"\b(?:zelf|onszelf|ons zelf) (?:wel )?(?:even |eens )?(?:afhandelen|afrekenen|aanpakken"
        r"|oppakken|straffen|afstraffen|te grazen nemen|een lesje leren|grijpen)\b",
        rf"\b(?:we|wij|laten we|jullie|iedereen|mannen|buren)\b(?: \w+){{0,3}} (?:{_P}|die \w+"
        r"|dat tuig|de dader|de daders|die dader|die daders) (?:\w+ ){0,3}(?:zelf|onszelf) "
        r"(?:wel )?(?:pakken|grijpen|aanpakken|afhandelen|straffen|afstraffen|opwachten)\b",
        rf"\b(?:pakken|grijpen|opwachten|afstraffen|aanpakken) (?:we|wij) (?:{_P}|die \w+"
        r"|de dader|de daders|dat tuig)(?: \w+){0,2} (?:zelf|wel|vanavond|morgen|als|op)\b",
        rf"\b(?:we|wij|ik) (?:pakken|grijpen|aanpakken|straffen|afstraffen|opwachten|pak) "
        rf"(?:{_P}|die \w+|de daders?|dat tuig)(?: \w+){{0,2}} zelf\b",
        rf"\b(?:we|wij) (?:gaan|moeten) (?:{_P}|die \w+|de daders?) (?:\w+ ){{0,2}}(?:opwachten"
        r"|te grazen nemen|afstraffen|aanpakken|opzoeken|straffen)\b",
        r"\b(?:verzamelen|afspreken|samenkomen|met zn allen|met z n allen|met ze allen"
        r"|met een groep|allemaal) (?:\w+ ){0,4}(?:bij|voor|naar) (?:zijn|haar|hun|het huis van"
        r"|de deur van|die|dat) (?:\w+ )?(?:huis|deur|woning|adres|flat|voordeur|tent)\b",
        rf"\b(?:neem|nemen|pak|pakken|breng|brengen|meenemen|mee) (?:\w+ ){{0,3}}"
        rf"(?:{_alt('weapons')}) (?:\w+ )?mee\b",
        rf"\b(?:{_alt('weapons')}) mee(?:nemen)?\b",
        rf"\bmet (?:een |je |jullie |hun )?(?:{_alt('weapons')}) (?:\w+ )?(?:naar|erheen|langs)\b",
        rf"\b(?:we|wij|ik) (?:wachten|wacht) (?:{_P}|die \w+|de daders?) (?:\w+ ){{0,3}}op\b",
        r"\b(?:verdient|verdienen) (?:\w+ )?(?:een )?(?:pak slaag|klappen|aframmeling|afstraffing"
        r"|een lesje)\b",
    ]
)
_CURSE_PHRASES = _joined(
    [
        r"\b(?:rot|donder|flikker|sodemieter|pleur|lazer|tyf|tief|kut) (?:toch |maar |dan )?op\b",
        r"\bhou (?:je|jullie|uw) (?:bek|kop|muil|smoel|waffel)\b",
        r"\b(?:bek|kop|muil|smoel) (?:dicht|houden)\b",
        r"\b(?:loop|ga|lazer|rot) (?:toch |maar )?naar de (?:hel|duivel|verdommenis|klote)\b",
    ]
)
_INSULT_PHRASES = _joined(
    [
        r"\bdat (?:soort )?(?:volk|tuig)\b",
        r"\bstelletje (?:\w+ )?(?:gajes|tuig|apen|sukkels|idioten|debielen)\b",
        r"\b(?:wat een|vuile|stomme|vieze|jij|lamme|luie) zak\b(?! \w)",
        r"\bwat een (?:homo|mietje|nicht|autist|aap|zak)\b",
        r"\bval (?:toch )?dood\b",
    ]
)
_DISEASE_WISH = _joined(
    [
        r"\bkrijg (?:toch )?(?:de|het) (?:pest|tyfus|tering|kolere|klere|pokken|kanker|pleuris)\b",
        r"\b(?:hoop|wens) (?:dat |ik )?(?:je|jij|hij|ze|zij|jullie|die) (?:\w+ ){0,3}(?:kanker"
        r"|tyfus|tering|de pest|corona|aids|een ziekte|de pokken|ebola)(?: \w+)? krijg",
        r"\b(?:kanker|tyfus|tering|aids|ebola) (?:mag|moet|zal) (?:je|jij|hij|ze|jullie) "
        r"(?:\w+ )?krijgen\b",
    ]
)
# Statements about groups of people.
_GROUP_PHRASES = _joined(
    [
        r"\bhoren hier niet\b|\bhet land uit\b|\b(?:moeten|mogen) (?:\w+ )?(?:weg|eruit|oprotten"
        r"|opzouten)\b|\bniet te vertrouwen\b|\bdeugen niet\b|\bzijn het probleem\b",
        r"\bterug naar (?:hun|je|jullie|eigen) (?:eigen )?(?:land|landen)\b",
        r"\bhet land (?:uit ?zetten|uit ?gooien|uit ?schoppen|uit ?trappen|uit ?sturen)\b",
        r"\bhoren (?:hier )?niet (?:in nederland|in ons land|thuis)\b",
        r"\b(?:kan|kun|kunt|moet|mag) (?:je|jij|u|men) (?:\w+ ){0,3}niet vertrouwen\b",
        r"\b(?:je|jij|u|men) (?:kan|kun|kunt|moet|mag) (?:\w+ ){0,3}niet vertrouwen\b",
        r"\bsinds (?:die |de |er |al die |hier )?(?:\w+ )?(?:hier )?(?:wonen|zijn komen|gekomen"
        r"|in de buurt|in de straat|er wonen)\b",
        r"\bniks dan (?:ellende|problemen|overlast)\b|\balleen maar (?:ellende|problemen)\b",
        r"\bdoen er niet toe\b|\bmensenrechten\b",
    ]
)
_INSINUATIONS = [
    re.compile(squeeze(p))
    for p in (
        r"\bvan die $",
        r"\bvan die \w+ $",
        r"\bdat soort $",
        r"\bdat volk $",
        r"\btypisch (?:weer )?(?:die |een |zon |van die )?$",
        r"\bvast (?:wel |weer )?(?:die |een |van die )?$",
        r"\baltijd (?:weer )?(?:die |van die )?$",
        r"\bweer eens (?:die )?$",
        r"\b(?:zeker|natuurlijk|alweer|waarschijnlijk|ongetwijfeld) (?:wel |weer )?(?:die |een "
        r"|zon |van die |zulke )?$",
        r"\b(?:zal|zullen) wel (?:weer )?(?:een |die )?$",
        r"\bweer (?:zon|zulke) $",
        r"\bzoals altijd (?:die )?$",
        r"\b(?:omdat|want) (?:het|hij|zij|ze) (?:een |die )?$",
    )
]
# Doxxing: an address, and a call to go there or a suspect living there.
_STREET_ENDS = "|".join(sorted(_list("street_suffixes"), key=len, reverse=True))
_ADDRESS = re.compile(  # on the folded text, not squeezed: numbers are not words
    rf"\b(?:[a-z]*(?:{_STREET_ENDS})|nummer|nr|no|huisnummer|postcode) \d{{1,4}}(?: ?[a-z])?\b"
    r"|\b(?:woont|wonen|woonde|zit|zitten|verblijft) (?:op|aan|in) (?:de |het )?[a-z]+ \d{1,4}\b"
    r"|\b\d{4} ?[a-z]{2} \d{1,4}\b|\b\d{4} ?[a-z]{2}\b"
)
_GO_THERE = _joined(
    [
        rf"\b(?:{_alt('go_there')})\b",
        r"\b(?:ga|gaan|gaat|kom|komen|allemaal|iedereen|we|wij) (?:\w+ ){0,3}(?:naar|bij) "
        r"(?:hem|haar|ze|hen|daar|dat adres|die)\b",
        r"\bmet zn allen\b|\bstaan we (?:\w+ )?voor de deur\b|\bvoor de deur staan\b",
        r"\biedereen (?:\w+ )?(?:erheen|daarheen)\b",
    ]
)
_GO_THERE_WEAK = _joined(
    [
        rf"\b(?:{_alt('go_there_weak')})\b",
        r"\bkom (?:\w+ )?allemaal\b|\biedereen (?:\w+ )?(?:langs|komen)\b",
    ]
)
_LIVES = re.compile(squeeze(r"\b(?:woont|wonen|woonde|zit|zitten|verblijft) (?:op|aan|in|bij)\b"))
_SUSPECT = squeezed("suspect_words")

_ILLNESS_CUES = squeezed("illness_cues")
_ILLNESS_BEFORE = squeezed("illness_before")
_ILLNESS_AFTER = squeezed("illness_after")
_ILLNESS_WORDS = squeezed("illness_words")
_KANKER = squeeze("kanker")
_TERING = squeeze("tering")
_FLIKKER = frozenset({squeeze("flikker"), squeeze("flikkers")})
_IDIOOT = squeeze("idioot")
_EIKEL = frozenset(squeeze(w) for w in ("eikel", "eikels", "eikelen"))
_TREE = squeezed("tree_words")
_DOG_WORDS = squeezed("dog_words")
_DOG = squeezed("dog_context")
_GROUP_ADJ = squeezed("group_adjectives")
_GROUP_PEOPLE = squeezed("group_people")
_GROUP_HATE = squeezed("group_hate")
_DEHUMANISING = squeezed("group_dehumanising")
_GROUP_ADJ_HATE = squeezed("group_adj_hate")
_GROUP_CRIME = squeezed("group_crime")
_GENERALISERS = squeezed("generalisers")
_COPULA = squeezed("copula")
_NEGATIONS = squeezed("negations")
_FEW = squeezed("few")
_ARTICLES = squeezed("articles")
_COUNTRY_BEFORE = squeezed("country_before")
_GO_AWAY = squeezed("go_away")
_ALL = squeezed("all_words")
_INTENSIFIED = squeezed("intensified")
_UNLESS = squeezed("unless")
_CONDEMN = squeezed("counter_cues")
_SPEECH = frozenset(
    squeeze(w) for w in ("zeggen", "zegt", "zei", "zeg", "noemen", "noemt", "gezegd", "beweerd")
)
_QUOTES = frozenset("\"“”„«»'\u2018\u2019")
_POSITIVE = squeezed("positive_traits")
_PRONOUNS = squeezed("group_pronouns")
_GROUP_VIOLENCE = squeezed("group_violence")
_ABOUT_GROUPS = _DEHUMANISING | _GROUP_HATE | _GROUP_VIOLENCE
_NEGATIVE_WITH_NIET = frozenset({squeeze("uitstaan")})  # "ik kan X niet uitstaan"
_GROUP_VIOLENT_PHRASES = _joined(
    [
        r"\been einde (?:\w+ )?maken aan\b",
        r"\bnek(?:ken)? (?:\w+ ){0,2}breken\b",
        r"\bpijn (?:\w+ )?doen\b",
        r"\bleven (?:\w+ ){0,4}beeindigen\b",
        r"\bop de brandstapel\b",
    ]
)
_GROUP_HOSTILE_PHRASES = _joined(
    [
        r"\bmaakt? me (?:\w+ )?(?:ziek|woedend|boos|misselijk|kotsmisselijk|pissig|razend)\b",
        r"\bvan woede\b|\bmet (?:zo ?veel |veel )?woede\b",
        r"\bbeter af (?:\w+ ){0,2}zonder\b",
        r"\bhet zat\b|\bspuugzat\b|\bkotsbeu\b",
        r"\bvertrouw (?:\w+ )?nooit\b|\bnooit (?:\w+ ){0,2}vertrouwen\b",
    ]
)
_DENY = frozenset(squeeze(w) for w in ("niet", "nooit"))
_AMBIGUOUS = _ILLNESS_WORDS | _FLIKKER | _EIKEL | _DOG_WORDS | {_IDIOOT}


def _negated(words: list[str], start: int) -> bool:
    """A "niet"/"geen" up to three words before: "ga hem niet zelf in elkaar slaan"."""
    for j in range(max(0, start - 3), start):
        if words[j] in _NEGATIONS and not (j + 1 < len(words) and words[j + 1] in _UNLESS):
            return True
    return False


class _Line:
    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.words = [t.word for t in tokens]
        self.text = " ".join(self.words)
        self.starts: list[int] = []
        pos = 0
        for w in self.words:
            self.starts.append(pos)
            pos += len(w) + 1

    def span(self, m: re.Match[str]) -> tuple[int, int]:
        return bisect_right(self.starts, m.start()) - 1, bisect_right(self.starts, m.end() - 1) - 1

    def shown(self, first: int, last: int) -> str:
        return " ".join(t.shown for t in self.tokens[first : last + 1])


def _violence(line: _Line, found: list[Hit]) -> None:
    words = line.words
    for pattern, rule in ((_THREATS, Rule.VIOLENCE), (_EIGENRICHTING, Rule.EIGENRICHTING)):
        for m in pattern.finditer(line.text):
            first, last = line.span(m)
            if _negated(words, first) or any(w in _NEGATIONS for w in words[first : last + 1]):
                continue
            found.append(Hit(Reason.THREAT, line.shown(first, last), rule))


def _doxxing(line: _Line, found: list[Hit], *, call: str, folded: str) -> None:
    m = _ADDRESS.search(folded)
    if m is None:
        return
    about_suspect = any(w in _SUSPECT for w in line.words)
    lives = _LIVES.search(line.text) is not None
    if call == "strong" or (about_suspect and (call or lives)):
        found.append(Hit(Reason.DOXXING, m.group(), Rule.ADDRESS_CALL))


def _phrases(line: _Line, found: list[Hit], bad: set[int]) -> None:
    for pattern, reason, rule, strong in (
        (_CURSE_PHRASES, Reason.CURSING, Rule.PHRASE, False),
        (_INSULT_PHRASES, Reason.INSULT, Rule.PHRASE, False),
        (_DISEASE_WISH, Reason.INSULT, Rule.DISEASE_WISH, True),
    ):
        for m in pattern.finditer(line.text):
            first, last = line.span(m)
            bad.update(range(first, last + 1))
            found.append(Hit(reason, line.shown(first, last), rule, strong))


def _words_in_context(line: _Line, found: list[Hit], known: set[int], *, counter: bool) -> None:
    words, n = line.words, len(line.words)
    present = set(words)
    ambiguous = not present.isdisjoint(_AMBIGUOUS)
    illness = ambiguous and any(
        w in _ILLNESS_CUES or (w.endswith(_KANKER) and len(w) > len(_KANKER)) for w in words
    )
    for i, tok in enumerate(line.tokens):
        w, reason = tok.word, tok.reason
        if (reason == Reason.CLEAN and w not in _ILLNESS_WORDS) or i in known:
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
        if reason in (Reason.INSULT, Reason.CURSING) and counter and w in _ABOUT_GROUPS:
            continue  # "uitspraken als 'X zijn uitschot' zijn kwetsend": counter-speech
        if reason != Reason.CLEAN:
            found.append(Hit(reason, tok.shown, Rule.WORD, tok.strong and reason == tok.reason))


def _triggers(words: list[str], lo: int, hi: int, vocabulary: frozenset[str]) -> bool:
    """A word of `vocabulary` in words[lo:hi] not negated ("geen haat", "haat ze niet")."""
    ends_negated = bool(words) and words[-1] in _NEGATIONS
    for j in range(lo, hi):
        if words[j] in vocabulary:
            if words[j] in _NEGATIVE_WITH_NIET:
                return True
            if any(w in _NEGATIONS for w in words[max(0, j - 2) : j]):
                continue
            if ends_negated and j >= len(words) - 4:
                continue  # "ik haat ze niet"
            return True
    return False


def _counter_speech(line: _Line, folded: str) -> bool:
    """The sentence condemns or quotes what others say about a group."""
    words = line.words
    present = set(words)
    if not present.isdisjoint(_CONDEMN):
        return True
    if any(  # "ik heb nooit gezegd dat ..."
        w in _SPEECH and any(x in _NEGATIONS for x in words[max(0, i - 2) : i])
        for i, w in enumerate(words)
    ):
        return True
    return not present.isdisjoint(_SPEECH) and not _QUOTES.isdisjoint(folded)


def _referred(line: _Line, found: list[Hit]) -> None:
    """A group named in the sentence before, referred to as "ze": "Ik haat ze."."""
    words = line.words
    for i, w in enumerate(words):
        if w in _PRONOUNS and (
            _triggers(words, 0, len(words), _DEHUMANISING)
            or _triggers(words, 0, len(words), _GROUP_HATE)
        ):
            found.append(Hit(Reason.GENERALISATION, line.shown(i, i), Rule.GROUP_HOSTILE))
            return


def _groups(
    line: _Line,
    found: list[Hit],
    bad: set[int],
    known: set[int],
    *,
    group_before: bool,
    folded: str,
) -> bool:
    """Statements about groups of people; whether the sentence names a group."""
    words, n = line.words, len(line.words)
    present = set(words)
    if present.isdisjoint(GROUP) and present.isdisjoint(_GROUP_ADJ):
        if group_before and not _counter_speech(line, folded):
            _referred(line, found)
        return False
    if _counter_speech(line, folded):
        return True
    frame = _GROUP_PHRASES.search(line.text) is not None
    violent = _GROUP_VIOLENT_PHRASES.search(line.text) is not None
    hostile = _GROUP_HOSTILE_PHRASES.search(line.text) is not None
    for i, w in enumerate(words):
        width = 1
        if i in known:
            continue
        if w in GROUP:
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
        said = line.shown(i, i + width - 1)
        after = words[i + width] if i + width < n else ""
        denied = any(  # "X zijn nooit intelligent", "kunnen nooit zo slim zijn"
            words[k] in _DENY and any(w in _POSITIVE for w in words[k + 1 : k + 4])
            for k in range(i + width, hi)
        )
        if violent or _triggers(words, lo, hi, _GROUP_VIOLENCE):
            found.append(Hit(Reason.THREAT, said, Rule.VIOLENCE))
        elif _triggers(words, lo, hi, _DEHUMANISING) or (i and words[i - 1] in _GROUP_ADJ_HATE):
            found.append(Hit(Reason.SLUR, said, Rule.GROUP_DEHUMANISED))
        elif hostile or _triggers(words, lo, hi, _GROUP_HATE) or any(lo <= j < hi for j in bad):
            found.append(Hit(Reason.GENERALISATION, said, Rule.GROUP_HOSTILE))
        elif (
            frame
            or denied
            or (
                any(x in _GROUP_CRIME for x in window)
                and (any(x in _GENERALISERS for x in window) or after in _COPULA)
            )
            or (
                any(p.search(head) for p in _INSINUATIONS)
                and not (len(before) >= 3 and before[-3] in _FEW and before[-2] == "van")
            )
        ):
            found.append(Hit(Reason.GENERALISATION, said, Rule.GROUP_FRAME))
    return True


def sentence(
    tokens: list[Token],
    found: list[Hit],
    *,
    known: set[int],
    call: str,
    folded: str,
    group_before: bool = False,
) -> bool:
    """The hits of one sentence into `found`.  `known`: positions of words that are part of
    a known name (a street, a place): never abuse.  `call`: how surely the text calls to
    go somewhere ("strong", "weak", "": see `calls_to_go`; for an address in another
    sentence).  `folded`: the sentence as read.
    `group_before`: the sentence before named a group of people.  Returns whether this
    sentence names one."""
    line = _Line(tokens)
    _violence(line, found)
    _doxxing(line, found, call=call, folded=folded)
    bad: set[int] = set()
    _phrases(line, found, bad)
    counter = not set(line.words).isdisjoint(GROUP) and _counter_speech(line, folded)
    _words_in_context(line, found, known, counter=counter)
    bad.update(i for i, t in enumerate(tokens) if t.reason != Reason.CLEAN and i not in known)
    return _groups(line, found, bad, known, group_before=group_before, folded=folded)


def calls_to_go(text: str) -> str:
    """Whether the (folded, squeezed) text calls people to go somewhere: "strong"
    ("allemaal erheen"), "weak" ("ga even langs") or ""."""
    if _GO_THERE.search(text) is not None:
        return "strong"
    return "weak" if _GO_THERE_WEAK.search(text) is not None else ""
