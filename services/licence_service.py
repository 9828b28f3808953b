"""LicenceService: the one service the bot, the CLI, the sync and the helpdesk call."""

from __future__ import annotations

from services.linking import LinkingMixin
from services.people import PeopleMixin


class LicenceService(LinkingMixin, PeopleMixin):
    """All use cases of beheerbot. Each public method takes the acting Actor first,
    checks permission itself and runs as one transaction."""
