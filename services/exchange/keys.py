"""An autorisatiesleutel as pasted, and the LVS it is for: checked before anything is stored."""

from __future__ import annotations

from services.errors import InvalidInput, Rejected
from services.exchange.lvs import SYSTEMS

KEY_MIN = 8  # shorter cannot be a key an LVS issued, and masking would show most of it
KEY_MAX = 64  # UWLR 2.2 autorisatiesleutel is a tpString64: a longer key cannot be sent
MASK = "••••"
# The refusals of a badly pasted key (each a Rejected: the dialog asks for the key again).
KEY_ERRORS = frozenset({
    "error.lvs_key_empty", "error.lvs_key_too_short", "error.lvs_key_too_long",
    "error.lvs_key_whitespace", "error.lvs_key_unprintable",
})


def clean_key(value: object) -> str:
    """An autorisatiesleutel as pasted: trimmed, else InvalidInput with a message that says
    what is wrong. Never puts (part of) the key into the error."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise InvalidInput("error.invalid_field", field="key")
    key = value.strip()
    if not key:
        raise Rejected("error.lvs_key_empty")
    if len(key) > KEY_MAX:
        raise Rejected("error.lvs_key_too_long", length=len(key), limit=KEY_MAX)
    for position, char in enumerate(key, 1):
        if char.isspace():
            raise Rejected("error.lvs_key_whitespace", position=position)
    for position, char in enumerate(key, 1):
        if not "!" <= char <= "~":  # printable ASCII only: no invisible or look-alike characters
            raise Rejected("error.lvs_key_unprintable", position=position)
    if len(key) < KEY_MIN:
        raise Rejected("error.lvs_key_too_short", length=len(key), minimum=KEY_MIN)
    return key


def clean_system(value: object) -> str:
    if not isinstance(value, str) or value not in SYSTEMS:
        raise InvalidInput("error.lvs_system_unknown")
    return value


def mask(key: str) -> str:
    return MASK + key[-4:]
