"""Frozen data the services return; never ORM objects."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar

T = TypeVar("T")


def levels_label(levels: tuple[int, ...]) -> str:
    """(6, 7) -> '6/7'."""
    return "/".join(str(level) for level in levels)


@dataclass(frozen=True)
class SchoolDTO:
    id: int
    name: str
    brin: str
    vestiging: str
    city: str
    school_year: str
    group_count: int = 0
    pupil_count: int = 0
    teacher_count: int = 0


@dataclass(frozen=True)
class PersonDTO:
    id: int
    name: str
    email: str | None = None


@dataclass(frozen=True)
class GroupDTO:
    id: int
    name: str
    levels: tuple[int, ...]
    pupil_count: int = 0
    teacher_names: tuple[str, ...] = ()


@dataclass(frozen=True)
class GroupDetailDTO:
    group: GroupDTO
    teachers: tuple[PersonDTO, ...]
    pupils: tuple[PersonDTO, ...]


@dataclass(frozen=True)
class TeacherDTO:
    person: PersonDTO
    group_names: tuple[str, ...]


@dataclass(frozen=True)
class PupilDTO:
    person: PersonDTO
    group_id: int | None
    group_name: str | None


@dataclass(frozen=True)
class Page(Generic[T]):
    items: tuple[T, ...]
    page: int
    page_count: int
    total: int
    query: str = ""


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
class GroupChoiceDTO:
    id: int
    name: str
    fits: bool


@dataclass(frozen=True)
class LinkOptionsDTO:
    licence: LicenceDTO
    groups: tuple[GroupChoiceDTO, ...]


@dataclass(frozen=True)
class LinkPreviewDTO:
    licence: LicenceDTO
    to_link: tuple[GroupChoiceDTO, ...]


@dataclass(frozen=True)
class LinkResultDTO:
    licence: LicenceDTO
    linked: tuple[str, ...]
    already_linked: tuple[str, ...]


@dataclass(frozen=True)
class UnlinkPreviewDTO:
    licence: LicenceDTO
    group: LinkedGroupDTO


@dataclass(frozen=True)
class UnlinkResultDTO:
    licence: LicenceDTO
    group_name: str
    was_linked: bool


@dataclass(frozen=True)
class RefusalDTO:
    """Why someone who is no coördinator cannot use the bot, and whom to ask instead."""

    kind: str  # 'staff' | 'unknown' | 'tenant'
    schools: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (school name, coordinator names)
