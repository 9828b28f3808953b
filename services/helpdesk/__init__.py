"""Helpdesk handoff: tickets for wrongly assigned kindlicentie seats."""

from services.helpdesk.service import HelpdeskService

__all__ = ["HelpdeskService"]
