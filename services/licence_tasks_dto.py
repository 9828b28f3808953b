"""Frozen data of the licence tasks: children on licences, kindlicenties, auto-linking, shortcuts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from services.dto import GroupDTO, LicenceDTO, Page


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


@dataclass(frozen=True)
class ExtraChildRemovalDTO:
    """An extra child of a group licence: about to be removed, or just removed."""

    licence: LicenceDTO
    child: ChildDTO
    was_on: bool = True


@dataclass(frozen=True)
class WrongChildReportDTO:
    """'Verkeerd kind gekoppeld?': what a helpdesk ticket needs. Only the helpdesk can correct
    a kindlicentie; the helpdesk handoff plugs in here (the licence, and the child if known)."""

    licence: LicenceDTO
    child: ChildDTO | None
    assigned: tuple[ChildDTO, ...]


# -- automatic linking ---------------------------------------------------------------------------

@dataclass(frozen=True)
class LicenceRefDTO:
    id: int
    product_name: str
    levels: tuple[int, ...]
    school_year: str


@dataclass(frozen=True)
class AutoLinkDTO:
    group_id: int
    group_name: str
    licence: LicenceRefDTO


@dataclass(frozen=True)
class SuggestionDTO:
    """A group that fits several licences of one product: the coördinator chooses."""

    group_id: int
    group_name: str
    licences: tuple[LicenceRefDTO, ...]


@dataclass(frozen=True)
class AutoLinkOutcomeDTO:
    school_id: int
    school_year: str
    links: tuple[AutoLinkDTO, ...]
    suggestions: tuple[SuggestionDTO, ...]
    applied: bool


# -- typed shortcuts -----------------------------------------------------------------------------

@dataclass(frozen=True)
class LinkShortcutDTO:
    """'koppel groep 5b aan pluspunt' resolved against the school: what matched, what did not."""

    school_id: int
    group_text: str
    product_text: str
    groups: tuple[GroupDTO, ...]  # the matching groups (one when unambiguous)
    product_name: str | None
    licences: tuple[LicenceDTO, ...]  # the matched product's group licences of the year
    known_products: tuple[str, ...]


@dataclass(frozen=True)
class ChildrenShortcutDTO:
    """'kinderen op taal actief': the matched product's group licences with their extra children."""

    school_id: int
    product_text: str
    product_name: str | None
    licences: tuple[LicenceOverviewDTO, ...]
    known_products: tuple[str, ...]


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
