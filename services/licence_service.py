"""LicenceService: the one service the bot, the CLI, the sync and the helpdesk call."""

from __future__ import annotations

from services.autolink import AutoLinkMixin
from services.child_licences import ChildLicenceMixin
from services.children import ChildrenMixin
from services.exchange import ExchangeMixin
from services.linking import LinkingMixin
from services.people import PeopleMixin
from services.pincodes import PincodeMixin
from services.shortcuts import ShortcutMixin


class LicenceService(ChildrenMixin, ChildLicenceMixin, ShortcutMixin, AutoLinkMixin,
                     LinkingMixin, PeopleMixin, ExchangeMixin, PincodeMixin):
    """All use cases of beheerbot. Each public method takes the acting Actor first,
    checks permission itself and runs as one transaction."""
