"""What the helpdesk area returns: tickets for the coördinator, the helpdesk and the outbox."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from services.shared.paging import Page
from services.shared.results import ChildDTO, GroupDTO, LicenceDTO

KIND_TICKET_OUTCOME = "helpdesk_outcome"  # to the coördinator, in Teams
KIND_TICKET_MAIL = "helpdesk_mail"  # to the helpdesk's mailbox, by SMTP
KIND_TICKET_CHANNEL = "helpdesk_ticket"  # to the helpdesk's Teams channel, as a card
SCOPE_HELPDESK = "helpdesk"  # the conversation reference of the helpdesk's channel
MAX_REASON = 500  # characters of a ticket's or a refusal's reason


@dataclass(frozen=True)
class TicketDTO:
    """One ticket with every detail the helpdesk needs to act on it."""

    id: int
    number: str  # 'HD-000042', as a coördinator reads it out on the phone
    status: str  # open | executed | rejected
    school_id: int
    school_name: str
    brin: str
    vestiging: str
    licence_id: int
    licence_name: str
    school_year: str
    wrong_child_id: int
    wrong_child_name: str
    wrong_child_group: str | None
    intended_child_id: int | None
    intended_child_name: str | None
    intended_child_group: str | None
    reason: str
    created_by_name: str
    created_at: datetime
    resolved_by_name: str = ""
    outcome: str = ""

    def to_payload(self) -> dict[str, Any]:
        data = asdict(self)
        data["created_at"] = self.created_at.isoformat()
        return data

    @classmethod
    def from_payload(cls, data: dict[str, Any]) -> TicketDTO:
        return cls(**{**data, "created_at": datetime.fromisoformat(data["created_at"])})


@dataclass(frozen=True)
class TicketsDTO:
    """'Mijn meldingen': the school's tickets, newest first."""

    school_id: int
    school_name: str
    tickets: Page  # of TicketDTO


@dataclass(frozen=True)
class ResolutionDTO:
    """What an agent's click did: `applied` False when the ticket was handled already."""

    ticket: TicketDTO
    applied: bool
    intended_skipped: bool = False  # the intended child left the school (or has a seat)


@dataclass(frozen=True)
class TicketFormDTO:
    """What the coördinator chooses from: the children on the licence, and the groups to find
    the intended child in."""

    licence: LicenceDTO
    assigned: tuple[ChildDTO, ...]
    groups: tuple[GroupDTO, ...]


@dataclass(frozen=True)
class IntendedChoiceDTO:
    """The pupils of one group who could take the seat (not on the licence yet)."""

    licence: LicenceDTO
    group_name: str
    children: tuple[ChildDTO, ...]


@dataclass(frozen=True)
class TicketPreviewDTO:
    """The ticket as it will be sent, checked but not stored."""

    licence: LicenceDTO
    wrong: ChildDTO
    intended: ChildDTO | None
    reason: str
