"""What the sync reports: one run per school and delivery, and the changes of a run."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from services.shared.paging import Page


@dataclass(frozen=True)
class RunResultDTO:
    """One delivery's outcome, for the command line's summary table."""

    source: str
    brin: str
    vestiging: str
    school_name: str
    status: str  # applied | unchanged | rejected
    counts: dict[str, int]
    report: str = ""
    run_id: int | None = None
    notified: int = 0


@dataclass(frozen=True)
class RunDTO:
    id: int
    at: datetime
    status: str
    counts: dict[str, int]


@dataclass(frozen=True)
class RunsDTO:
    """'Wijzigingen': the school's last runs, newest first."""

    school_id: int
    school_name: str
    runs: Page  # of RunDTO


@dataclass(frozen=True)
class ChangeDTO:
    kind: str
    subject: str
    detail: dict


@dataclass(frozen=True)
class RunChangesDTO:
    """One run's changes, paged, in the order of changes.ORDER."""

    school_id: int
    school_name: str
    run: RunDTO
    changes: Page  # of ChangeDTO
