"""Frozen result types of the school area."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from services.shared.results import ChildDTO, GroupDTO, PersonDTO


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
class RefusalDTO:
    """Why someone who is no coördinator cannot use the bot, and whom to ask instead."""

    kind: str  # 'staff' | 'unknown' | 'tenant'
    schools: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (school name, coordinator names)


@dataclass(frozen=True)
class AuditRowDTO:
    """One line of a school's audit trail: who, when, what, from which conversation."""

    at: datetime
    who: str
    action: str
    outcome: str  # 'ok' | 'refused'
    conversation_id: str
    detail: str  # the recorded parameters as JSON; never a secret


@dataclass(frozen=True)
class PupilLicenceDTO:
    product_name: str
    levels: tuple[int, ...]
    school_year: str
    via: str  # 'group' | 'extra' | 'seat'


@dataclass(frozen=True)
class PupilLookupItemDTO:
    child: ChildDTO
    licences: tuple[PupilLicenceDTO, ...]


@dataclass(frozen=True)
class PupilLookupDTO:
    """'leerling Sanne de Vries': the pupils whose name matches, each with their licences."""

    school_id: int
    query: str
    matches: tuple[PupilLookupItemDTO, ...]
    more: int = 0
