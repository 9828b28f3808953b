"""The Basispoort-shaped JSON delivery parsed into a Snapshot. It is the one format that carries
roles (Leerkracht, ICTCoordinator). JSON has no element lines: a problem names the line where
the item's key first appears in the file."""

from __future__ import annotations

import json
from typing import Any

from services.sync.snapshot import (
    FORMAT_JSON,
    DeliveryError,
    Problem,
    SnapGroup,
    SnapPupil,
    SnapSchool,
    Snapshot,
    SnapStaff,
)

MAX_DEPTH = 20


class _Lines:
    """The line on which a key's value first appears, for readable reports."""

    def __init__(self, text: str) -> None:
        self.text = text

    def of(self, key: object) -> int:
        if not isinstance(key, str) or not key:
            return 0
        at = self.text.find(json.dumps(key))
        return self.text.count("\n", 0, at) + 1 if at >= 0 else 0


def _depth(value: Any, limit: int) -> int:
    stack = [(value, 1)]
    deepest = 0
    while stack:
        item, depth = stack.pop()
        deepest = max(deepest, depth)
        if depth > limit:
            return depth
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)
    return deepest


def _str(value: object) -> str:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return ""


def _keys(value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, list):
        return tuple(_str(v.get("key") if isinstance(v, dict) else v) for v in value)
    if isinstance(value, dict):
        return (_str(value.get("key")),)
    return (_str(value),)


def _levels(value: object) -> str:
    if isinstance(value, list):
        return "/".join(_str(v) for v in value)
    return _str(value)


def parse_json(data: bytes, source: str) -> Snapshot:
    try:
        text = data.decode("utf-8-sig")
        document = json.loads(text)
    except UnicodeDecodeError:
        raise DeliveryError(source, [Problem(0, "het bestand is geen UTF-8")]) from None
    except json.JSONDecodeError as exc:
        raise DeliveryError(source, [Problem(exc.lineno, f"geen geldige JSON: {exc.msg}")]
                            ) from None
    except RecursionError:
        raise DeliveryError(source, [Problem(0, "de JSON is te diep genest")]) from None
    if not isinstance(document, dict):
        raise DeliveryError(source, [Problem(1, "verwacht een JSON-object met 'instelling'")])
    if _depth(document, MAX_DEPTH) > MAX_DEPTH:
        raise DeliveryError(source, [Problem(0, "de JSON is te diep genest")])
    lines = _Lines(text)
    problems: list[Problem] = []

    def items(name: str) -> list[dict]:
        value = document.get(name, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            problems.append(Problem(lines.of(name), f"'{name}' moet een lijst van objecten zijn"))
            return []
        return value

    instelling = document.get("instelling")
    if not isinstance(instelling, dict):
        raise DeliveryError(source, [Problem(lines.of("instelling"), "'instelling' ontbreekt")])
    school = SnapSchool(
        brin=_str(instelling.get("brin")).upper(),
        vestiging=_str(instelling.get("vestiging")) or "00",
        name=_str(instelling.get("naam")) or None,
        school_year=_str(document.get("schooljaar")) or None,
        line=lines.of("instelling"),
    )
    pupils = []
    composite_levels: dict[str, set[str]] = {}
    for item in items("leerlingen"):
        key = _str(item.get("key"))
        composites = _keys(item.get("samengestelde_groepen"))
        level = _levels(item.get("jaargroep"))
        for ckey in composites:
            composite_levels.setdefault(ckey, set()).add(level)
        pupils.append(SnapPupil(
            key=key, eck_id=_str(item.get("eckid")) or None,
            first_name=_str(item.get("roepnaam")), tussenvoegsel=_str(item.get("voorvoegsel")),
            last_name=_str(item.get("achternaam")), level=level,
            group_keys=_keys(item.get("groep")), composite_keys=composites,
            line=lines.of(key),
        ))
    groups = []
    for item in items("groepen"):
        key = _str(item.get("key"))
        composite = bool(item.get("samengesteld"))
        levels = ("/".join(sorted(v for v in composite_levels.get(key, ()) if v))
                  if composite else _levels(item.get("jaargroep")))
        groups.append(SnapGroup(key=key, name=_str(item.get("naam")), levels=levels,
                                composite=composite, line=lines.of(key)))
    staff = []
    for item in items("staf"):
        key = _str(item.get("key"))
        roles = item.get("rollen", [])
        role_names = frozenset(_str(r) for r in roles) if isinstance(roles, list) else frozenset()
        staff.append(SnapStaff(
            key=key, first_name=_str(item.get("roepnaam")),
            tussenvoegsel=_str(item.get("voorvoegsel")), last_name=_str(item.get("achternaam")),
            email=_str(item.get("email")).lower() or None, roles=role_names,
            group_keys=_keys(item.get("groepen")), line=lines.of(key),
        ))
    if problems:
        raise DeliveryError(source, problems, (school.brin, school.vestiging))
    return Snapshot(format=FORMAT_JSON, source=source, school=school, groups=tuple(groups),
                    pupils=tuple(pupils), staff=tuple(staff))
