"""Frozen result types of the kindlicenties area."""

from __future__ import annotations

from dataclasses import dataclass

from services.shared.results import ChildDTO, LicenceDTO


@dataclass(frozen=True)
class WrongChildReportDTO:
    """'Verkeerd kind gekoppeld?': what a helpdesk ticket needs. Only the helpdesk can correct
    a kindlicentie (the licence, and the child if known)."""

    licence: LicenceDTO
    child: ChildDTO | None
    assigned: tuple[ChildDTO, ...]
