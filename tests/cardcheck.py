"""Checks every card the tests see: Adaptive Card 1.5 schema, size, and the action contract."""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path

import jsonschema

SCHEMA = Path(__file__).resolve().parent / "schemas" / "adaptive-card-1.5.schema.json"
MAX_CARD_BYTES = 28_000  # what one Teams message holds


@cache
def _validator() -> jsonschema.Draft6Validator:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    return jsonschema.Draft6Validator(schema)


def check_card(card: dict) -> None:
    """Raise AssertionError when a card would not render in Teams as we intend."""
    size = len(json.dumps(card, ensure_ascii=False).encode())
    assert size < MAX_CARD_BYTES, f"card of {size} bytes"
    assert card.get("version") == "1.5"
    plain = copy.deepcopy(card)
    plain.pop("msteams", None)  # Teams' own extension, not in the Adaptive Cards schema
    errors = sorted(_validator().iter_errors(plain), key=lambda e: list(e.path))
    assert not errors, "; ".join(f"{list(e.path)}: {e.message[:200]}" for e in errors[:3])
    for action in card_actions(card):
        if action.get("type") in ("Action.Submit", "Action.Execute"):
            data = action.get("data")
            assert isinstance(data, dict) and isinstance(data.get("action"), str), action


def elements(node):
    """Every dict inside a card, the card itself first."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from elements(value)
    elif isinstance(node, list):
        for value in node:
            yield from elements(value)


def card_actions(card: dict) -> list[dict]:
    """Every Action.* of a card, in document order."""
    return [e for e in elements(card) if str(e.get("type", "")).startswith("Action.")]


def card_texts(card: dict) -> list[str]:
    """Every text a card shows: text blocks, titles, fact values, labels."""
    return [e[key] for e in elements(card) for key in ("text", "title", "value", "label")
            if isinstance(e.get(key), str)]
