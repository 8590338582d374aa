# ruff: noqa: SIM905  (word lists read and edit best as text)
"""Profiling in free text (issue 11): the structured guard's rule for the words people write.

The alert form's guard (alerts/actions.py) allows skin colour only with at least two other
concrete descriptors.  The same rule applies when the text of an alert or update names skin
colour, origin or ethnicity *of someone described*: "Donkere man, Marokkaans uiterlijk" is
refused, "een Poolse buurman zag de dader" or "de nieuwe buren komen uit Syrië" is not a
description of a suspect and passes.

`origin_described(text)`: whether the text describes a person by skin colour or origin.
`descriptors(text)`: which other kinds of concrete description the text gives (clothing,
height, build, hair, age, features, vehicle), counted per kind.
"""

import re
import unicodedata

_COMBINING = re.compile(r"[\u0300-\u036f]")
_WORD = re.compile(r"[a-z0-9]+(?:[.,][0-9]+)?")

# Skin colour or origin words used to describe a person.
_ORIGIN = frozenset(
    """
    donker donkere donkergetint donkergetinte getint getinte blank blanke zwart zwarte
    licht lichte gekleurd gekleurde negroide mediterraan mediterrane
    marokkaans marokkaanse turks turkse arabisch arabische afrikaans afrikaanse noordafrikaans
    noordafrikaanse surinaams surinaamse antilliaans antilliaanse oosteuropees oosteuropese
    oostblok pools poolse roemeens roemeense bulgaars bulgaarse aziatisch aziatische chinees
    chinese zuideuropees zuideuropese buitenlands buitenlandse allochtoon allochtone
    zigeuner zigeuners roma syrisch syrische afghaans afghaanse somalisch somalische
    indisch indiase hindoestaans hindoestaanse latino kaukasisch kaukasische
    marokkaan marokkanen turk turken polen roemeen roemenen afrikaan arabier buitenlander
    buitenlanders allochtonen
    """.split()
)
# What such a word must describe for it to be a description of someone.
_PERSON = frozenset(
    """
    man mannen vrouw vrouwen jongen jongens jongeman meisje meisjes meid meiden persoon
    personen type types typetje figuur figuren kerel kerels gast gasten dader daders
    verdachte verdachten uiterlijk huidskleur huid afkomst accent uitziend uitziende
    knul knullen jochie jongere jongeren tiener tieners heer dame
    """.split()
)
# These name the person's colour or origin by themselves.
_BY_ITSELF = frozenset(["huidskleur", "afkomst", "uiterlijk"])
# Colour words that describe things more often than people.
_THING_COLOURS = frozenset(["donker", "donkere", "zwart", "zwarte", "licht", "lichte"])

_KINDS: dict[str, frozenset[str]] = {
    "clothing": frozenset(
        """
        jas jasje jack jackje trui hoodie capuchon vest bodywarmer broek spijkerbroek jeans
        joggingbroek trainingsbroek trainingspak short korte schoenen sneakers gympen laarzen
        pet petje muts sjaal handschoenen shirt tshirt overhemd blouse jurk rok colbert
        pak werkkleding hesje helm bivakmuts mondkapje rugzak tas sporttas schoudertas
        regenjas leren capuchontrui nike adidas
        """.split()
    ),
    "height": frozenset(
        """
        lang lange klein kleine groot grote cm meter m centimeter
        """.split()
    ),
    "build": frozenset(
        """
        tenger tengere slank slanke mager magere dik dikke stevig stevige fors forse
        gespierd gespierde breed brede gezet gezette postuur
        """.split()
    ),
    "hair": frozenset(
        """
        haar haren kaal kale baard snor sik stoppels blond blonde krullen krullend
        paardenstaart staart vlecht vlechten dreadlocks kapsel
        """.split()
    ),
    "age": frozenset(
        """
        jaar jaren leeftijd twintiger dertiger veertiger vijftiger tiener tieners oud oude
        jong jonge bejaard bejaarde
        """.split()
    ),
    "features": frozenset(
        """
        bril zonnebril tatoeage tattoo tatoeages litteken piercing oorbel oorbellen moedervlek
        sproeten hinkt manken mank wandelstok
        """.split()
    ),
    "vehicle": frozenset(
        """
        scooter fiets fatbike brommer motor auto busje bus bestelbus kenteken kentekenplaat
        """.split()
    ),
}
_NUMBER = re.compile(r"^\d+(?:[.,]\d+)?$")


def _words(text: str) -> list[str]:
    text = unicodedata.normalize("NFKD", (text or "").casefold())
    text = _COMBINING.sub("", text).replace("-", "")
    return _WORD.findall(text)


def origin_described(text: str) -> bool:
    """Whether `text` describes a person by skin colour, origin or ethnicity."""
    words = _words(text)
    for i, word in enumerate(words):
        if word in _BY_ITSELF and any(
            w in _ORIGIN for w in words[max(0, i - 3) : i]
        ):  # "Marokkaans uiterlijk", "donkere huidskleur", "van Turkse afkomst"
            return True
        if word in _ORIGIN:
            near = words[i + 1 : i + 3]
            if any(w in _PERSON for w in near):
                if word in _THING_COLOURS and near and near[0] not in _PERSON:
                    continue  # "zwarte jas man" is the jacket
                return True
            before = words[max(0, i - 2) : i]
            if word not in _THING_COLOURS and any(w in _PERSON for w in before):
                return True  # "man, Marokkaans", "een jongen, Turks"
    return False


def descriptors(text: str) -> set[str]:
    """The kinds of concrete description in `text` besides colour and origin."""
    words = [w for w in _words(text) if w not in _ORIGIN]
    found = {kind for kind, vocabulary in _KINDS.items() if any(w in vocabulary for w in words)}
    for w in words:
        if _NUMBER.match(w):
            value = float(w.replace(",", "."))
            found.add("height" if 1.2 <= value <= 2.3 or 120 <= value <= 230 else "age")
    return found
