"""One school's delivery, normalised: what the two delivery formats are parsed into and what the
sync compares with the database. Plain frozen data; the parsers record where each item came
from (a line in the file) so a report can say which line is wrong."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, fields
from operator import attrgetter

FORMAT_EDEXML = "edexml"
FORMAT_JSON = "json"

ROLE_TEACHER_NAME = "Leerkracht"
ROLE_COORDINATOR_NAME = "ICTCoordinator"


@dataclass(frozen=True)
class Problem:
    """What is wrong with a delivery, and where: a line of the file (0 when unknown)."""

    line: int
    text: str

    def __str__(self) -> str:
        return f"regel {self.line}: {self.text}" if self.line else self.text


@dataclass(frozen=True)
class SnapSchool:
    brin: str
    vestiging: str
    name: str | None
    school_year: str | None
    line: int = 0


@dataclass(frozen=True)
class SnapGroup:
    key: str
    name: str
    levels: str  # '5', '6/7'; for a samengestelde groep the levels of its pupils
    composite: bool
    line: int = 0


@dataclass(frozen=True)
class SnapPupil:
    key: str
    eck_id: str | None
    first_name: str
    tussenvoegsel: str
    last_name: str
    level: str
    group_keys: tuple[str, ...]  # the stamgroep(en) as delivered: exactly one is valid
    composite_keys: tuple[str, ...]
    line: int = 0


@dataclass(frozen=True)
class SnapStaff:
    key: str
    first_name: str
    tussenvoegsel: str
    last_name: str
    email: str | None
    # None: the format carries no roles (EDEXML); every leerkracht teaches, other roles stay.
    roles: frozenset[str] | None
    group_keys: tuple[str, ...]
    line: int = 0

    @property
    def teaches(self) -> bool:
        return self.roles is None or ROLE_TEACHER_NAME in self.roles or bool(self.group_keys)

    @property
    def coordinates(self) -> bool:
        return self.roles is not None and ROLE_COORDINATOR_NAME in self.roles


@dataclass(frozen=True)
class Snapshot:
    """A school's whole delivery."""

    format: str
    source: str
    school: SnapSchool
    groups: tuple[SnapGroup, ...]
    pupils: tuple[SnapPupil, ...]
    staff: tuple[SnapStaff, ...]

    @property
    def carries_roles(self) -> bool:
        return self.format == FORMAT_JSON

    def digest(self) -> str:
        """SHA-256 of the content, independent of order and of where it came from: items are
        sorted by key, an item's group keys are sorted, lines are left out."""
        content = [_plain(self.school), self.carries_roles]
        for items in (self.groups, self.pupils, self.staff):
            content.append(sorted((_plain(item) for item in items), key=lambda row: row[0]))
        text = json.dumps(content, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()


_PLAIN: dict[type, tuple] = {}


def _plain(item) -> list:
    """An item's values in field order (its key first), without its line; collections sorted.
    The fields are looked up once per type: the digest is taken of every delivery, also of the
    unchanged ones a night consists of mostly."""
    plan = _PLAIN.get(type(item))
    if plan is None:
        names = tuple(f.name for f in fields(item) if f.name != "line")
        plan = _PLAIN[type(item)] = (attrgetter(*names), names)
    values = list(plan[0](item))
    for index, value in enumerate(values):
        if isinstance(value, (tuple, frozenset)):
            values[index] = sorted(value)
    return values


class DeliveryError(Exception):
    """A delivery that cannot be applied: its problems, each with its line."""

    def __init__(self, source: str, problems: list[Problem],
                 school: tuple[str, str] | None = None) -> None:
        super().__init__(f"{source}: {len(problems)} problemen")
        self.source = source
        self.problems = problems
        self.school = school

    def report(self, limit: int = 50) -> str:
        lines = [str(p) for p in self.problems[:limit]]
        if len(self.problems) > limit:
            lines.append(f"... en nog {len(self.problems) - limit}")
        return "\n".join(lines)
