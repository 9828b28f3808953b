"""Typed Dutch (and English) words → what the user wants; pure text handling, no data."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

HELP = "help"
MENU = "menu"
LANGUAGE = "language"
SCHOOL = "school"
SWITCH_SCHOOL = "switch_school"
LICENCES = "licences"
LAS = "las"
FEATURE = "feature"
UNKNOWN = "unknown"


@dataclass(frozen=True)
class Intent:
    kind: str
    args: dict = field(default_factory=dict)


def normalise(text: str) -> str:
    """Lower case, accents folded, punctuation to spaces, single spaces."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[^a-z0-9/ ]+", " ", folded.lower()).split())


_EXACT = {
    HELP: {"help", "hulp", "helpdesk", "wat kun je", "what can you do", "uitleg"},
    MENU: {"menu", "start", "begin", "hoi", "hallo", "hi", "hello", "hey", "goedemorgen",
           "goedemiddag", "home", "opnieuw", "terug"},
    LANGUAGE: {"taal", "language", "english", "engels", "nederlands", "dutch"},
    SCHOOL: {"school", "schoolgegevens", "school data", "mijn school", "gegevens", "groepen",
             "leerkrachten", "leerlingen", "pupils", "teachers", "groups"},
    SWITCH_SCHOOL: {"andere school", "wissel school", "wissel van school", "switch school",
                    "other school", "scholen"},
    LICENCES: {"licenties", "licentie", "licenties koppelen", "koppelen", "groepslicenties",
               "licences", "link licences"},
}

_FEATURES = {
    "pincodes": "pincodes", "pincode": "pincodes", "wachtwoorden": "pincodes",
    "kindlicenties": "child_licences", "kindlicentie": "child_licences",
    "child licences": "child_licences",
    "kinderen op licenties": "children", "kinderen gekoppeld": "children",
    "resultaten uitwisselen": "exchange", "uitwisseling": "exchange", "lvs": "exchange",
    "koppeling lvs": "exchange", "exchange results": "exchange",
    "wijzigingen": "changes", "changes": "changes",
}

# Rule 1: creating users and moving pupils happens in the LAS, never here.
_LAS_PATTERNS = [
    r"\b(maak|aanmaken|toevoegen|nieuwe?)\b.*\b(leerling|gebruiker|leerkracht|account|groep)",
    r"\b(leerling|gebruiker|leerkracht|account|groep)\w*\b.*\b(aanmaken|maken|toevoegen)\b",
    r"\b(verplaats|verplaatsen|verhuis|overzetten|zet)\b.*\b(leerling|kind|groep)",
    r"\b(leerling|kind)\b.*\b(verplaatsen|naar (een )?andere groep)",
    r"\b(create|add|new)\b.*\b(user|pupil|teacher|account)",
    r"\bmove\b.*\b(pupil|child|student)",
]


def parse(text: str) -> Intent:
    said = normalise(text or "")
    if not said:
        return Intent(MENU)
    for kind, words in _EXACT.items():
        if said in words:
            return Intent(kind)
    if said in _FEATURES:
        return Intent(FEATURE, {"feature": _FEATURES[said]})
    if any(re.search(p, said) for p in _LAS_PATTERNS):
        return Intent(LAS)
    return Intent(UNKNOWN, {"text": (text or "").strip()})
