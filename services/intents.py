"""Typed Dutch (and English) words → what the user wants; pure text handling, no data."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from services.matching import normalise


@dataclass(frozen=True)
class Typed:
    """What typed words ask for; the dialogs route each kind to the view that serves it."""


@dataclass(frozen=True)
class Help(Typed):
    pass


@dataclass(frozen=True)
class Menu(Typed):
    pass


@dataclass(frozen=True)
class Language(Typed):
    pass


@dataclass(frozen=True)
class School(Typed):
    pass


@dataclass(frozen=True)
class SwitchSchool(Typed):
    pass


@dataclass(frozen=True)
class Licences(Typed):
    pass


@dataclass(frozen=True)
class Exchange(Typed):
    pass


@dataclass(frozen=True)
class Children(Typed):
    pass


@dataclass(frozen=True)
class ChildLicences(Typed):
    pass


@dataclass(frozen=True)
class Topography(Typed):
    pass


@dataclass(frozen=True)
class AutoLink(Typed):
    pass


@dataclass(frozen=True)
class Las(Typed):
    """Creating users or moving pupils: work for the school's administration package (rule 1)."""


@dataclass(frozen=True)
class Tickets(Typed):
    """'mijn meldingen': the school's helpdesk tickets."""


@dataclass(frozen=True)
class TooLong(Typed):
    """A message longer than any command: answered politely, never matched."""

    length: int


@dataclass(frozen=True)
class Changes(Typed):
    """'wijzigingen': what the nightly Basispoort sync changed."""


@dataclass(frozen=True)
class RecentChanges(Typed):
    """'recente wijzigingen', 'logboek': who did what for the school (its audit trail)."""


@dataclass(frozen=True)
class LinkGroup(Typed):
    """'koppel groep 5b aan pluspunt'."""

    group: str
    product: str


@dataclass(frozen=True)
class ChildrenOf(Typed):
    """'kinderen op taal actief'."""

    product: str


@dataclass(frozen=True)
class Pupil(Typed):
    """'leerling Sanne de Vries'."""

    name: str


@dataclass(frozen=True)
class Pincodes(Typed):
    """'pincodes', 'pincodes groep 4'."""

    group_name: str | None = None


@dataclass(frozen=True)
class Unknown(Typed):
    text: str


_EXACT = {
    Help: {"help", "hulp", "helpdesk", "wat kun je", "what can you do", "uitleg"},
    Menu: {"menu", "start", "begin", "hoi", "hallo", "hi", "hello", "hey", "goedemorgen",
           "goedemiddag", "home", "opnieuw", "terug"},
    Language: {"taal", "language", "english", "engels", "nederlands", "dutch"},
    School: {"school", "schoolgegevens", "school data", "mijn school", "gegevens", "groepen",
             "leerkrachten", "leerlingen", "pupils", "teachers", "groups"},
    SwitchSchool: {"andere school", "wissel school", "wissel van school", "switch school",
                   "other school", "scholen"},
    Licences: {"licenties", "licentie", "licenties koppelen", "koppelen", "groepslicenties",
               "licences", "link licences"},
    Exchange: {"resultaten uitwisselen", "uitwisselen", "uitwisseling", "uitwisseling resultaten",
               "resultatenkoppeling", "resultatenkoppelingen", "lvs", "koppeling lvs",
               "lvs koppeling", "leerlingvolgsysteem", "parnassys", "momento", "easyrapport",
               "schoolcijfers", "autorisatiesleutel", "exchange results", "exchange"},
    Changes: {"wijzigingen", "changes", "wat is er veranderd", "basispoort", "synchronisatie",
              "nieuws"},
    RecentChanges: {"recente wijzigingen", "logboek", "wie heeft wat gedaan", "wie deed wat",
                    "audit", "audit trail", "recent changes", "log", "wijzigingen door wie"},
    Tickets: {"meldingen", "mijn meldingen", "melding", "tickets", "my tickets"},
}

# Rule 1: creating users and moving pupils happens in the LAS, never here. Each rule is a word
# of the first set followed, anywhere later, by a word of the second; a second word ending in
# '*' is a prefix ('leerlingen'). Checked in one pass over the words: linear in the message.
_LAS_RULES = [
    ({"maak", "aanmaken", "toevoegen", "nieuw", "nieuwe"},
     {"leerling*", "gebruiker*", "leerkracht*", "account*", "groep*"}),
    ({"leerling*", "gebruiker*", "leerkracht*", "account*", "groep*"},
     {"aanmaken", "maken", "toevoegen"}),
    ({"verplaats", "verplaatsen", "verhuis", "overzetten", "zet"},
     {"leerling*", "kind*", "groep*"}),
    ({"leerling", "kind"}, {"verplaatsen", "naar andere groep", "naar een andere groep"}),
    ({"create", "add", "new"}, {"user*", "pupil*", "teacher*", "account*"}),
    ({"move"}, {"pupil*", "child*", "student*"}),
]
# A typed command is short: longer text is never matched (the work per message stays bounded).
MAX_TYPED = 200


def _fits(words: list[str], at: int, wanted: set[str]) -> bool:
    word = words[at]
    for option in wanted:
        if option.endswith("*"):
            if word.startswith(option[:-1]):
                return True
        elif " " in option:
            parts = option.split()
            if words[at:at + len(parts)] == parts:
                return True
        elif word == option:
            return True
    return False


def asks_for_las(said: str) -> bool:
    """True when the words ask to create users or move pupils (work for the LAS)."""
    words = re.findall(r"\w+", said)
    for first, second in _LAS_RULES:
        seen_first = False
        for at in range(len(words)):
            if seen_first and _fits(words, at, second):
                return True
            seen_first = seen_first or _fits(words, at, first)
    return False


def parse(text: str) -> Typed:
    """What the typed text asks for; Unknown (with the text) when nothing fits, TooLong (and
    no matching at all) for a message longer than MAX_TYPED characters."""
    if len(text or "") > MAX_TYPED:
        return TooLong(length=len(text))
    said = normalise(text or "")
    if not said:
        return Menu()
    for kind, words in _EXACT.items():
        if said in words:
            return kind()
    pincodes = pincode_request(said)
    if pincodes is not None:
        return pincodes
    licence = licence_request(said)  # before the LAS words, which it resembles
    if licence is not None:
        return licence
    if asks_for_las(said):
        return Las()
    task = licence_task(said)
    if task is not None:
        return task
    return Unknown((text or "").strip())


# Kinderen, kindlicenties, topografie and the typed shortcuts of the licence tasks.
_TASK_WORDS = {
    Children: {"kinderen op licenties", "kinderen gekoppeld", "kinderen op groepslicenties",
               "kinderen andere groep", "children on licences", "children on licenses",
               "linked children", "kinderen", "kind toevoegen", "kind koppelen", "children",
               "add child", "add a child"},
    ChildLicences: {"kindlicenties", "kindlicentie", "licenties per kind", "child licences",
                    "child licenses", "child licence", "licences per child",
                    "verkeerd kind gekoppeld", "verkeerd kind", "wrong child",
                    "wrong child linked"},
    Topography: {"topografie", "topography", "topografie licenties", "topography licences"},
    AutoLink: {"automatisch koppelen", "auto koppelen", "koppel automatisch",
               "link automatically", "auto link"},
}
# Phrases that are also recognised with a typo ('kindlicentis', 'schoolgegevns').
_FUZZY_PHRASES = {
    **{phrase: kind for kind, words in _TASK_WORDS.items() for phrase in words},
    "schoolgegevens": School, "school data": School,
}
_FUZZY_PHRASE_LIST = list(_FUZZY_PHRASES)  # in this order: the first of equal scores wins
_LINK_VERBS = ("koppel", "koppelen", "link", "verbind")
_CHILDREN_WORDS = ("kinderen", "children", "kids")
_PUPIL_WORDS = ("leerling", "pupil", "student")
_SEARCH_WORDS = ("zoek", "vind", "find", "search", "toon", "show")
_LINK = re.compile(r"^(?P<verb>\S+) (?P<left>.+?) (?:aan|met|bij|op|to|with) (?P<right>.+)$")
_CHILDREN_OF = re.compile(r"^(?P<word>\S+) (?:op|van|bij|on|of) (?P<product>.+)$")
_NOISE = re.compile(r"^(?:(?:de|het|the|licentie|licenties|licence|licences|license|licenses"
                    r"|methode|method)\s+)+")


# 'leerling toevoegen aan kindlicentie', 'kind van een andere groep koppelen': putting a child
# on a licence (rules 6 and 8), not creating or moving a pupil in the LAS (rule 1).
_LICENCE_WORD = re.compile(r"\b(kind)?licentie|\blicen[cs]e")
_CHILD_LICENCE_WORD = re.compile(r"kindlicentie|licenties? per kind|child licen[cs]e"
                                 r"|licen[cs]es? per child")
_CHILD_WORD = re.compile(r"\b(kind|kinderen|leerling|leerlingen|child|children|pupils?)\b")
_OTHER_GROUP = re.compile(r"\b(van|uit|of|from) (een |an )?(andere|another|other) (groep|group)\b")
_MOVE_WORD = re.compile(r"\b(verplaats\w*|verhuis\w*|overzetten|move)\b")
_ADD_WORD = re.compile(r"\b(toevoeg\w*|koppel\w*|toewijz\w*|geven|zet|add|assign|link|put|give)\b")
_LICENCE_WORDS = re.compile(r"\s*\b(kind)?(licenties?|licen[cs]es?)\b")


def licence_request(said: str) -> Typed | None:
    """A child and a licence (or 'a child of another group') in one sentence; `said` is
    normalised. The typed shortcuts keep their names ('kinderen op taal actief')."""
    if _MOVE_WORD.search(said) or not (_LICENCE_WORD.search(said) or _OTHER_GROUP.search(said)):
        return None
    task = licence_task(said)
    if task is not None and not isinstance(task, Pupil):
        return task
    if task is not None and not _ADD_WORD.search(said):  # 'leerling sanne de vries licenties'
        name = _LICENCE_WORDS.sub("", task.name).strip()
        return Pupil(name) if name else Children()
    if _CHILD_LICENCE_WORD.search(said):
        return ChildLicences()
    if _CHILD_WORD.search(said):
        return Children()
    return task


def _like(word: str, choices: tuple[str, ...], cutoff: float = 80.0) -> bool:
    return any(fuzz.ratio(word, choice) >= cutoff for choice in choices)


def _looks_like_group(text: str) -> bool:
    return bool(re.search(r"\d", text)) or text.startswith(("groep", "group"))


def licence_task(said: str) -> Typed | None:
    """The licence tasks and their shortcuts, forgiving small typos; `said` is normalised."""
    for kind, words in _TASK_WORDS.items():
        if said in words:
            return kind()
    if len(said) >= 5:
        best = process.extractOne(said, _FUZZY_PHRASE_LIST, scorer=fuzz.ratio, score_cutoff=85)
        if best is not None:
            return _FUZZY_PHRASES[best[0]]()
    if any(_like(word, ("topografie", "topography"), 82) for word in said.split()):
        return Topography()
    link = _LINK.match(said)
    if link and _like(link["verb"], _LINK_VERBS):
        left, right = _NOISE.sub("", link["left"]), _NOISE.sub("", link["right"])
        if not _looks_like_group(left) and _looks_like_group(right):
            left, right = right, left  # 'koppel pluspunt aan groep 5b'
        if left and right and _looks_like_group(left):
            return LinkGroup(group=left, product=right)
    children = _CHILDREN_OF.match(said)
    if children and _like(children["word"], _CHILDREN_WORDS):
        product = _NOISE.sub("", children["product"])
        if product:
            return ChildrenOf(product=product)
    words = said.split()
    if len(words) > 1 and _like(words[0], _SEARCH_WORDS, 85):
        words = words[1:]
    if len(words) > 1 and _like(words[0], _PUPIL_WORDS, 85):
        return Pupil(name=" ".join(words[1:]))
    return None


# Pincodes: 'pincodes', 'pincodes groep 4', 'pincode 4', 'toon pincodes van 5b'.
_PINCODES = re.compile(
    r"^(?:(?:toon|bekijk|laat|zie|show|open)\s+)?(?:de\s+|the\s+)?"
    r"(?:pincodes?|pin codes?|wachtwoorden|wachtwoord|passwords?)"
    r"(?:\s+(?:van|voor|of|for)\b)?(?:\s+(?:de|het|the)\b)?(?:\s+(?P<group>.+))?$")


def pincode_request(said: str) -> Pincodes | None:
    """'Pincodes' with an optional group name; `said` is normalised."""
    match = _PINCODES.match(said)
    if match is None:
        return None
    group = (match["group"] or "").strip()
    return Pincodes(group_name=group or None)
