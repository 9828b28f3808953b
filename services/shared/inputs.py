"""Card payload values checked once, the same way in every area: ids, id lists, pages, texts."""

from __future__ import annotations

import re
from collections.abc import Iterable

from services.errors import InvalidInput

MAX_ID = 2**53
MAX_IDS = 500
MAX_QUERY = 100
ASCII_DIGITS = re.compile(r"[0-9]{1,16}")


def as_id(value: object, field: str = "id") -> int:
    """A card payload's id as a positive int; anything else is garbled input."""
    if isinstance(value, bool):
        raise InvalidInput("error.invalid_field", field=field)
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and ASCII_DIGITS.fullmatch(value.strip()) and len(value) < 40:
        # Only 0-9: str.isdigit() also accepts '²' and '①', which int() then refuses.
        number = int(value.strip())
    else:
        raise InvalidInput("error.invalid_field", field=field)
    if not 0 < number < MAX_ID:
        raise InvalidInput("error.invalid_field", field=field)
    return number


def as_ids(values: object, field: str = "ids") -> list[int]:
    """A list of ids from a multi-select ('1,2,3') or a JSON list; duplicates dropped."""
    if isinstance(values, str):
        parts: Iterable[object] = [p for p in values.split(",") if p.strip()]
    elif isinstance(values, list | tuple):
        parts = values
    else:
        raise InvalidInput("error.invalid_field", field=field)
    ids = list(dict.fromkeys(as_id(p, field) for p in parts))
    if not ids:
        raise InvalidInput("error.nothing_chosen")
    if len(ids) > MAX_IDS:
        raise InvalidInput("error.invalid_field", field=field)
    return ids


def page_number(value: object) -> int:
    """A page number from a card (1 when absent)."""
    return as_id(value, "page") if value not in (None, "") else 1


def query_text(value: object) -> str:
    """A typed search text: a string of at most MAX_QUERY characters, spaces folded."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InvalidInput("error.invalid_field", field="query")
    text = " ".join(value.split())
    if len(text) > MAX_QUERY:
        raise InvalidInput("error.query_too_long", limit=MAX_QUERY)
    return text


def required_text(value: object, field: str) -> str:
    """Like query_text, but empty text is garbled input."""
    text = query_text(value)
    if not text:
        raise InvalidInput("error.invalid_field", field=field)
    return text


def as_flag(value: object, field: str = "value") -> bool:
    """A toggle's value: a bool, or 'true'/'false' as Adaptive Cards send it."""
    if isinstance(value, bool):
        return value
    if value in ("true", "false"):
        return value == "true"
    raise InvalidInput("error.invalid_field", field=field)
