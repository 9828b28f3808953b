"""Frozen result types that several areas return: people, groups, licences, children on them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from services.shared.paging import Page

__all__ = [
    "ChildCandidatesDTO", "ChildDTO", "ChildGroupsDTO", "ChildrenPreviewDTO", "ChildrenResultDTO",
    "GroupDTO", "LicenceChildDTO", "LicenceChildrenDTO", "LicenceDTO", "LicenceOverviewDTO",
    "LicenceOverviewListDTO",
    "LinkedGroupDTO", "Page", "PersonDTO", "ReminderLineDTO", "TeacherReminderDTO",
    "levels_label",
]


def levels_label(levels: tuple[int, ...]) -> str:
    """(6, 7) -> '6/7'."""
    return "/".join(str(level) for level in levels)


@dataclass(frozen=True)
class PersonDTO:
    id: int
    name: str
    email: str | None = None


@dataclass(frozen=True)
class GroupNameDTO:
    """A group as typed words name it: no pupils counted, no teachers read."""

    id: int
    name: str
    levels: tuple[int, ...]


@dataclass(frozen=True)
class GroupDTO:
    id: int
    name: str
    levels: tuple[int, ...]
    pupil_count: int = 0
    teacher_names: tuple[str, ...] = ()


@dataclass(frozen=True)
class LinkedGroupDTO:
    group_id: int
    group_name: str
    origin: str  # 'auto' | 'manual'
    linked_at: datetime | None
    linked_by: str | None


@dataclass(frozen=True)
class LicenceDTO:
    id: int
    school_id: int
    product_code: str
    product_name: str
    levels: tuple[int, ...]
    school_year: str
    model: str
    seats: int | None
    seats_taken: int
    linked_groups: tuple[LinkedGroupDTO, ...] = ()

    @property
    def seats_free(self) -> int | None:
        return None if self.seats is None else max(self.seats - self.seats_taken, 0)


@dataclass(frozen=True)
class ChildDTO:
    """A pupil as shown in a child list: name and (current) group."""

    id: int
    name: str
    group_id: int | None = None
    group_name: str | None = None


@dataclass(frozen=True)
class LicenceChildDTO:
    """A child on a licence: an extra child of a group licence or a kindlicentie seat."""

    child: ChildDTO
    since: datetime | None
    by: str | None


@dataclass(frozen=True)
class LicenceOverviewDTO:
    """A licence with the number of children on it (extra children or assigned seats)."""

    licence: LicenceDTO
    child_count: int


@dataclass(frozen=True)
class LicenceOverviewListDTO:
    """The school's licences of one school year, each with the number of children on it."""

    school_id: int
    school_year: str
    licences: tuple[LicenceOverviewDTO, ...]


@dataclass(frozen=True)
class LicenceChildrenDTO:
    """A licence with one page of its children."""

    licence: LicenceDTO
    children: Page[LicenceChildDTO]


@dataclass(frozen=True)
class ChildGroupsDTO:
    """Where to look for a child to add: the school's groups that make sense for the licence."""

    licence: LicenceDTO
    groups: tuple[GroupDTO, ...]


@dataclass(frozen=True)
class ChildCandidatesDTO:
    """One page of children that can be put on a licence, from one group or a name search."""

    licence: LicenceDTO
    group: GroupDTO | None
    candidates: Page[ChildDTO]
    already_on: int  # children of this group / search that are on the licence already


@dataclass(frozen=True)
class ReminderLineDTO:
    child_name: str
    group_name: str | None
    teacher_names: tuple[str, ...]


@dataclass(frozen=True)
class TeacherReminderDTO:
    """Rule 7: what the teacher must start for a child that joins during a lesson week."""

    product_name: str
    kind: str  # 'digitaal' | 'papier' | 'oefensoftware'
    lines: tuple[ReminderLineDTO, ...]


@dataclass(frozen=True)
class ChildrenPreviewDTO:
    """What adding or assigning would do, checked but not applied (for the confirmation card)."""

    licence: LicenceDTO
    children: tuple[ChildDTO, ...]

    @property
    def seats_free_after(self) -> int | None:
        free = self.licence.seats_free
        return None if free is None else free - len(self.children)


@dataclass(frozen=True)
class ChildrenResultDTO:
    licence: LicenceDTO
    added: tuple[ChildDTO, ...]
    reminder: TeacherReminderDTO
