"""Pincodes: pupils' login codes per group, their rules, and the signed print links."""

from services.pincodes.service import PincodeService, issue_missing_pincodes

__all__ = ["PincodeService", "issue_missing_pincodes"]
