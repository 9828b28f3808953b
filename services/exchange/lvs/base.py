"""The LVS verification interface: systems, outcomes, one client per LVS behind a Protocol."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

log = logging.getLogger(__name__)

# The pupil monitoring systems Malmberg exchanges results with (rule 11); names are proper
# nouns and read the same in every language.
PARNASSYS = "parnassys"
MOMENTO = "momento"
EASYRAPPORT = "easyrapport"
SYSTEMS: dict[str, str] = {PARNASSYS: "ParnasSys", MOMENTO: "Momento", EASYRAPPORT: "Easyrapport"}

# Coupling statuses, stored in lvs_couplings.status.
PENDING = "pending"  # saved, not (yet) verified: "Wacht op eerste uitwisseling"
ACTIVE = "active"  # the LVS accepted the key
REJECTED = "rejected"  # the LVS refused the key (UWLR fault Client.AutorisatieOngeldig)
UNREACHABLE = "unreachable"  # timeout, connection error, server fault, garbled answer
STATUSES = (PENDING, ACTIVE, REJECTED, UNREACHABLE)

# Details kept in lvs_couplings.status_detail: short codes, never text from the LVS itself.
NOT_CONFIGURED = "not-configured"
TIMEOUT = "timeout"
CONNECT = "connect"
INVALID_RESPONSE = "invalid-response"


@dataclass(frozen=True)
class SchoolIdentity:
    """What an LVS needs to know which school the key is for (UWLR: brincode, dependancecode)."""

    brin: str
    vestiging: str
    school_year: str  # '2026-2027'
    as_of: datetime  # 'laatstontvangengegevens': we ask only for changes since now


@dataclass(frozen=True)
class Verification:
    """The outcome of one check: one of STATUSES and a short code for the operator."""

    status: str
    detail: str = ""


class LvsClient(Protocol):
    """Checks an autorisatiesleutel against one LVS. Must return within its own timeout and
    never raise for network trouble; must never log or echo the key."""

    system: str

    async def verify(self, key: str, school: SchoolIdentity) -> Verification: ...


class LvsVerifier:
    """The clients of the configured LVSs. A system without a client cannot be verified here
    (local use, demo): its couplings stay pending rather than pretend to be active."""

    def __init__(self, clients: Mapping[str, LvsClient] | None = None) -> None:
        self._clients = dict(clients or {})

    @property
    def configured(self) -> tuple[str, ...]:
        return tuple(self._clients)

    async def verify(self, system: str, key: str, school: SchoolIdentity) -> Verification:
        client = self._clients.get(system)
        if client is None:
            return Verification(PENDING, NOT_CONFIGURED)
        try:
            return await client.verify(key, school)
        except Exception as exc:  # a client bug must not break a dialog; never log the message
            log.error("LVS-controle voor %s mislukt: %s", system, type(exc).__name__)
            return Verification(UNREACHABLE, INVALID_RESPONSE)
