"""What the polite-language check answers (R-RUL-3): an outcome, a category (stored as a
code, labelled in the reader's language by `actions.REASON_LABELS`) and the rule that
matched, so that the writer and the admins are told why."""

from dataclasses import dataclass
from enum import StrEnum


class Outcome(StrEnum):
    OK = "ok"
    WARN = "warn"  # the writer may rephrase or post anyway (then the admins look at it)
    BLOCK = "block"  # never posted


class Reason(StrEnum):
    CLEAN = "clean"
    CURSING = "cursing"  # warn
    INSULT = "insult"  # at a person: warn, block when strong (a disease wished on someone)
    SLUR = "slur"  # block: slurs and dehumanising words about people
    GENERALISATION = "generalisation"  # about a group of people: warn, to the review queue
    THREAT = "threat"  # block, the admins are told at once: threats, eigenrichting
    DOXXING = "doxxing"  # block: an address with a call to go there
    PROFILING = "profiling"  # block: a person described by origin or skin colour only
    DISCRIMINATION = "discrimination"  # older records only (now slur or generalisation)


# Which category wins when a text has several: the worst.
RANK = {
    Reason.CLEAN: 0,
    Reason.CURSING: 1,
    Reason.INSULT: 2,
    Reason.GENERALISATION: 3,
    Reason.PROFILING: 4,
    Reason.SLUR: 5,
    Reason.DISCRIMINATION: 5,
    Reason.DOXXING: 6,
    Reason.THREAT: 7,
}
OUTCOME_OF = {
    Reason.CLEAN: Outcome.OK,
    Reason.CURSING: Outcome.WARN,
    Reason.INSULT: Outcome.WARN,
    Reason.GENERALISATION: Outcome.WARN,
    Reason.PROFILING: Outcome.BLOCK,
    Reason.SLUR: Outcome.BLOCK,
    Reason.DISCRIMINATION: Outcome.BLOCK,
    Reason.DOXXING: Outcome.BLOCK,
    Reason.THREAT: Outcome.BLOCK,
}


class Rule(StrEnum):
    """Which kind of evidence matched (the explanation names it)."""

    NONE = ""
    WORD = "word"  # a word of the lists, however spelt
    PHRASE = "phrase"  # a fixed expression ("hou je bek")
    DISEASE_WISH = "disease_wish"  # wishing a disease on someone
    GROUP_FRAME = "group_frame"  # a group of people + a generalising frame
    GROUP_HOSTILE = "group_hostile"  # a group of people + hostile words
    GROUP_DEHUMANISED = "group_dehumanised"  # a group of people + animal/vermin words
    VIOLENCE = "violence"  # a violent verb + a person or house as its target
    EIGENRICHTING = "eigenrichting"  # a call to act against someone ourselves, weapons
    ADDRESS_CALL = "address_call"  # an address + a call to go there, or a suspect's address
    ORIGIN = "origin"  # a person described by origin or skin colour, too little else


@dataclass(frozen=True, slots=True)
class Hit:
    reason: Reason
    shown: str  # what matched, as written (lower case)
    rule: Rule = Rule.WORD
    strong: bool = False  # an insult that blocks


@dataclass(frozen=True, slots=True)
class Verdict:
    outcome: Outcome
    reason: Reason
    words: tuple[str, ...] = ()  # what matched, as written (lower case)
    rule: Rule = Rule.NONE

    @property
    def ok(self) -> bool:
        return self.outcome == Outcome.OK


CLEAN = Verdict(Outcome.OK, Reason.CLEAN)
