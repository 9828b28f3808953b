"""Result exchange with a school's LVS: the verification interface and its UWLR clients."""

from services.exchange.lvs.base import (
    ACTIVE,
    EASYRAPPORT,
    MOMENTO,
    PARNASSYS,
    PENDING,
    REJECTED,
    STATUSES,
    SYSTEMS,
    UNREACHABLE,
    LvsClient,
    LvsVerifier,
    SchoolIdentity,
    Verification,
)
from services.exchange.lvs.settings import LvsEndpoint, LvsSettings, build_verifier

__all__ = [
    "ACTIVE", "EASYRAPPORT", "MOMENTO", "PARNASSYS", "PENDING", "REJECTED", "STATUSES",
    "SYSTEMS", "UNREACHABLE", "LvsClient", "LvsEndpoint", "LvsSettings", "LvsVerifier",
    "SchoolIdentity", "Verification", "build_verifier",
]
