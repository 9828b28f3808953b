"""Small element builders for Adaptive Cards 1.5."""

from __future__ import annotations

from collections.abc import Iterable

from cards.actions import KEY_ACTION, KEY_FLOW

SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
VERSION = "1.5"


def card(body: list[dict], actions: Iterable[dict] = (), *, fallback: str = "") -> dict:
    result = {
        "type": "AdaptiveCard",
        "$schema": SCHEMA,
        "version": VERSION,
        "body": body,
        "msteams": {"width": "Full"},
    }
    actions = list(actions)
    if actions:
        result["actions"] = actions
    if fallback:
        result["fallbackText"] = fallback
    return result


def title(value: str) -> dict:
    return {"type": "TextBlock", "text": value, "size": "Large", "weight": "Bolder", "wrap": True}


def heading(value: str) -> dict:
    return {"type": "TextBlock", "text": value, "weight": "Bolder", "wrap": True, "spacing": "Medium"}


def text(value: str, *, subtle: bool = False, color: str | None = None, **extra) -> dict:
    block = {"type": "TextBlock", "text": value, "wrap": True}
    if subtle:
        block["isSubtle"] = True
    if color:
        block["color"] = color
    block.update(extra)
    return block


def facts(pairs: Iterable[tuple[str, str]]) -> dict:
    return {"type": "FactSet", "facts": [{"title": k, "value": v} for k, v in pairs]}


def submit(label: str, action: str, *, flow: str | None = None, style: str | None = None,
           **data: object) -> dict:
    payload: dict[str, object] = {KEY_ACTION: action}
    if flow is not None:
        payload[KEY_FLOW] = flow
    payload.update({k: v for k, v in data.items() if v is not None})
    result = {"type": "Action.Submit", "title": label, "data": payload}
    if style:
        result["style"] = style
    return result


def execute(label: str, verb: str, *, style: str | None = None, **data: object) -> dict:
    """An Action.Execute (the card is replaced in place by the invoke response), with an
    Action.Submit fallback for clients without Universal Actions (the bot then updates the
    message instead)."""
    fallback = submit(label, verb, **data)
    result = {"type": "Action.Execute", "title": label, "verb": verb, "data": fallback["data"],
              "fallback": fallback}
    if style:
        result["style"] = style
    return result


def open_url(label: str, url: str) -> dict:
    """A button that opens a link (https:, tel:, mailto:) on the user's device."""
    return {"type": "Action.OpenUrl", "title": label, "url": url}


def action_set(actions: Iterable[dict]) -> dict:
    return {"type": "ActionSet", "actions": list(actions)}


def action_rows(actions: list[dict], per_row: int = 3) -> list[dict]:
    """Teams shows only a few buttons per row: spread them over several action sets."""
    return [action_set(actions[i : i + per_row]) for i in range(0, len(actions), per_row)]


def row(label: str, detail: str, action: dict | None = None) -> dict:
    """A line of a list: a bold label, a subtle detail, optionally a button at the right."""
    columns = [
        {
            "type": "Column",
            "width": "stretch",
            "items": [text(label, weight="Bolder"), text(detail, subtle=True, spacing="None")],
        }
    ]
    if action is not None:
        columns.append(
            {"type": "Column", "width": "auto", "verticalContentAlignment": "Center",
             "items": [action_set([action])]}
        )
    return {"type": "ColumnSet", "columns": columns, "separator": True}


def choice_set(input_id: str, choices: Iterable[tuple[str, str]], *, multi: bool = False,
               label: str = "", required: bool = True, error: str = "") -> dict:
    element = {
        "type": "Input.ChoiceSet",
        "id": input_id,
        "style": "expanded",
        "isMultiSelect": multi,
        "choices": [{"title": t, "value": v} for t, v in choices],
    }
    if label:
        element["label"] = label
    if required:
        element["isRequired"] = True
        if error:
            element["errorMessage"] = error
    return element


def text_input(input_id: str, *, label: str = "", placeholder: str = "", value: str = "",
               max_length: int | None = None) -> dict:
    element: dict[str, object] = {"type": "Input.Text", "id": input_id}
    if label:
        element["label"] = label
    if placeholder:
        element["placeholder"] = placeholder
    if value:
        element["value"] = value
    if max_length:
        element["maxLength"] = max_length
    return element


def warning(value: str) -> dict:
    """A warning people must read: dark bold text on the host's warning background (yellow
    text on white is too faint), with a sign so it does not rely on colour alone."""
    return {"type": "Container", "style": "warning", "items": [
        {"type": "TextBlock", "text": f"⚠️ {value}", "wrap": True, "weight": "Bolder"}]}


def without_inputs(action: dict) -> dict:
    """The action (and its Action.Submit fallback) sends none of the card's inputs."""
    result = {**action, "associatedInputs": "none"}
    if isinstance(action.get("fallback"), dict):
        result["fallback"] = {**action["fallback"], "associatedInputs": "none"}
    return result
