"""Result types of the audit area."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from services.shared.paging import Page


@dataclass(frozen=True)
class NamedLicenceDTO:
    product_name: str
    levels: tuple[int, ...]
    school_year: str


@dataclass(frozen=True)
class AuditEntryDTO:
    """One line of 'Recente wijzigingen': who did what, when, from which conversation. The ids
    an event recorded are shown by name, and only when they belong to this school."""

    at: datetime
    who: str  # '' when nobody of ours (the nightly sync, an unknown user)
    action: str
    refused: bool
    conversation: str  # 'this' | 'other' | 'none' (the command line, the nightly sync)
    conversation_tag: str  # the last characters of another conversation's id, to tell them apart
    groups: tuple[str, ...] = ()
    licences: tuple[NamedLicenceDTO, ...] = ()
    people: tuple[str, ...] = ()
    more: int = 0  # names left out of the line
    system: str = ""  # the LVS of an exchange change
    count: int | None = None  # pupils an action touched, where it recorded how many


@dataclass(frozen=True)
class RecentChangesDTO:
    school_id: int
    school_name: str
    entries: Page[AuditEntryDTO]
