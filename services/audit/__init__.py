"""The audit area: a school's trail of changes and refusals, for its coördinator."""

from services.audit.service import AuditService

__all__ = ["AuditService"]
