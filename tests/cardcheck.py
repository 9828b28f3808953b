"""Checks every card the tests see: Adaptive Card 1.5 schema, size, and the action contract."""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path

import jsonschema

SCHEMA = Path(__file__).resolve().parent / "schemas" / "adaptive-card-1.5.schema.json"
MAX_CARD_BYTES = 80_000


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
    for action in _actions(card):
        if action.get("type") in ("Action.Submit", "Action.Execute"):
            data = action.get("data")
            assert isinstance(data, dict) and isinstance(data.get("action"), str), action


def _actions(node):
    if isinstance(node, dict):
        if str(node.get("type", "")).startswith("Action."):
            yield node
        for value in node.values():
            yield from _actions(value)
    elif isinstance(node, list):
        for value in node:
            yield from _actions(value)
