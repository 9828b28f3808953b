"""Frozen result types of the result exchange; never a key in clear."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class CouplingDTO:
    id: int
    school_id: int
    system: str  # 'parnassys' | 'momento' | 'easyrapport'
    system_name: str  # 'ParnasSys'
    status: str  # 'pending' | 'active' | 'rejected' | 'unreachable'
    masked_key: str | None  # '••••737=', None when the stored key cannot be decrypted
    forward_grades: bool
    created_at: datetime | None
    created_by: str | None  # the person's name; None for an operator or a removed person
    verified_at: datetime | None
    # What the exchange of results did (services/results).
    active_since: datetime | None = None
    last_exchange_at: datetime | None = None
    results_sent: int = 0
    queued: int = 0  # results waiting to be sent
    set_aside: tuple[tuple[str, int], ...] = ()  # (reason code, how many), most first
    status_detail: str = ""  # 'fault:Client.AutorisatieOngeldig', 'timeout', …
    brin: str = ""  # the school as Malmberg sends it to the LVS
    vestiging: str = ""


@dataclass(frozen=True)
class ExchangeDTO:
    """The school's couplings, and the systems it can couple with."""

    school_id: int
    school_name: str
    couplings: tuple[CouplingDTO, ...]
    systems: tuple[tuple[str, str], ...]  # (system, name) in the order of the manual


@dataclass(frozen=True)
class CouplingSavedDTO:
    coupling: CouplingDTO
    replaced: bool


@dataclass(frozen=True)
class CouplingRemovedDTO:
    school_id: int
    system: str
    system_name: str


@dataclass(frozen=True)
class VerifyReportDTO:
    """What `beheerbot results verify` did: the new status of each coupling it checked."""

    checked: int
    by_status: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class RecheckDTO:
    """'Opnieuw controleren': whether the LVS could be asked at all, and the status after."""

    coupling: CouplingDTO
    checked: bool  # False: this LVS is checked only by exchanging results, nothing was asked
