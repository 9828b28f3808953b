"""The Basispoort-shaped JSON delivery parsed into a Snapshot. It is the one format that carries
roles (Leerkracht, ICTCoordinator). JSON has no element lines: a problem names the line where
the item's key first appears in the file."""

from __future__ import annotations

import bisect
import json
import re
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
    """Where each item of the lists 'groepen', 'leerlingen' and 'staf' stands in the file: the
    line of its "key" (or of its opening brace), found by walking the top-level object once.
    A key's text can also appear elsewhere (a group key in the pupils that refer to it), so
    the line is that of the item itself, not the first place its key is mentioned."""

    LISTS = ("groepen", "leerlingen", "staf")

    def __init__(self, text: str) -> None:
        self.text = text
        self._newlines = [m.start() for m in _NEWLINE.finditer(text)]
        self.items: dict[str, list[int]] = {}
        self.names: dict[str, int] = {}
        try:
            self._walk()
        except (ValueError, IndexError):  # a shape the parser rejects anyway
            pass

    def line_at(self, offset: int) -> int:
        return bisect.bisect_right(self._newlines, offset - 1) + 1

    def _skip(self, at: int) -> int:
        text = self.text
        while at < len(text) and text[at] in " \t\r\n":
            at += 1
        return at

    def _walk(self) -> None:
        text, decode = self.text, _DECODER.raw_decode
        at = self._skip(0)
        if text[at] != "{":
            return
        at = self._skip(at + 1)
        while text[at] != "}":
            name, at = decode(text, at)
            self.names.setdefault(name, self.line_at(at))
            at = self._skip(self._skip(at) + 1)  # past ':'
            if name in self.LISTS and text[at] == "[":
                lines = self.items.setdefault(name, [])
                at = self._skip(at + 1)
                while text[at] != "]":
                    _, end = decode(text, at)
                    key_at = text.find('"key"', at, end) if text[at] == "{" else -1
                    lines.append(self.line_at(key_at if key_at >= 0 else at))
                    at = self._skip(end)
                    if text[at] == ",":
                        at = self._skip(at + 1)
                at += 1
            else:
                _, at = decode(text, at)
            at = self._skip(at)
            if text[at] == ",":
                at = self._skip(at + 1)

    def of(self, name: str) -> int:
        """The line of a top-level member."""
        return self.names.get(name, 0)

    def item(self, name: str, index: int) -> int:
        lines = self.items.get(name, ())
        return lines[index] if index < len(lines) else 0


_DECODER = json.JSONDecoder()
_NEWLINE = re.compile("\n")


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


class _NoLines:
    """Line numbers not looked for: a delivery without problems never shows them, and finding
    them walks the whole file a second time. A problem parses again with _Lines."""

    def of(self, name: str) -> int:
        return 0

    def item(self, name: str, index: int) -> int:
        return 0


def parse_json(data: bytes, source: str, *, lines: bool = True) -> Snapshot:
    """The delivery as a Snapshot; with `lines=False` every item's line is 0 (the caller
    parses again with lines when it has a problem to report)."""
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
    if not lines:
        try:
            return _snapshot(document, source, _NoLines())
        except DeliveryError:
            pass  # reported with its lines below
    return _snapshot(document, source, _Lines(text))


def _snapshot(document: dict, source: str, lines: _Lines | _NoLines) -> Snapshot:
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
    for index, item in enumerate(items("leerlingen")):
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
            line=lines.item("leerlingen", index),
        ))
    groups = []
    for index, item in enumerate(items("groepen")):
        key = _str(item.get("key"))
        composite = bool(item.get("samengesteld"))
        levels = ("/".join(sorted(v for v in composite_levels.get(key, ()) if v))
                  if composite else _levels(item.get("jaargroep")))
        groups.append(SnapGroup(key=key, name=_str(item.get("naam")), levels=levels,
                                composite=composite, line=lines.item("groepen", index)))
    staff = []
    for index, item in enumerate(items("staf")):
        key = _str(item.get("key"))
        roles = item.get("rollen", [])
        role_names = frozenset(_str(r) for r in roles) if isinstance(roles, list) else frozenset()
        staff.append(SnapStaff(
            key=key, first_name=_str(item.get("roepnaam")),
            tussenvoegsel=_str(item.get("voorvoegsel")), last_name=_str(item.get("achternaam")),
            email=_str(item.get("email")).lower() or None, roles=role_names,
            group_keys=_keys(item.get("groepen")), line=lines.item("staf", index),
        ))
    if problems:
        raise DeliveryError(source, problems, (school.brin, school.vestiging))
    return Snapshot(format=FORMAT_JSON, source=source, school=school, groups=tuple(groups),
                    pupils=tuple(pupils), staff=tuple(staff))
