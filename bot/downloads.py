"""GET /downloads/pincodes/<token>: a group's pincode PDF behind a signed, short-lived link."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable

from aiohttp import web
from aiohttp.web_log import AccessLogger

from bot.limits import RateLimits
from cards.i18n import Texts
from cards.pincode_pdf import pincode_pdf
from services.errors import DomainError
from services.pincodes import PincodeService
from services.pincodes.links import PINCODE_PATH, LinkRefused

log = logging.getLogger(__name__)

ROUTE = PINCODE_PATH + "{token}"
# Nothing of this response may be kept or passed on: not by caches, not in a Referer header.
PRIVATE = {
    "Cache-Control": "no-store, private",
    "Pragma": "no-cache",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Robots-Tag": "noindex",
}
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def pincode_download(pincodes_of: Callable[[web.Application], PincodeService],
                     limits_of: Callable[[web.Application], RateLimits]) -> Handler:
    """The handler; `pincodes_of(app)` gives the running pincode service, `limits_of(app)`
    the rate limits (a client over its limit gets 429 before any token is checked)."""

    async def handler(request: web.Request) -> web.StreamResponse:
        t = Texts()  # the sheet is for Dutch pupils, whoever asked for it
        if not limits_of(request.app).download(request.remote):
            return _refusal(429, t("download.too_many"))
        pincodes = pincodes_of(request.app)
        try:
            sheet = await pincodes.pincode_sheet_for_link(request.match_info.get("token", ""))
        except LinkRefused as refused:
            log.warning("downloadlink geweigerd: %s", refused.reason)
            if refused.reason == "expired":
                return _refusal(410, t("download.expired"))
            return _refusal(403, t("download.forbidden"))
        except DomainError as error:  # the person is no coördinator (any more), group is gone
            log.warning("downloadlink geweigerd: %s", error.code)
            return _refusal(403, t("download.forbidden"))
        except Exception:
            # Logged here, without the path: the app's error middleware would write the token.
            log.exception("download van pincodes mislukt")
            return _refusal(500, t("download.failed"))
        try:
            pdf = await asyncio.to_thread(pincode_pdf, t, sheet)
        except Exception:
            log.exception("pincode-PDF van groep %s kon niet gemaakt worden", sheet.group_name)
            return _refusal(500, t("download.failed"))
        name = re.sub(r"[^a-z0-9]+", "-", sheet.group_name.lower()).strip("-") or "groep"
        return web.Response(body=pdf, content_type="application/pdf", headers={
            **PRIVATE, "Content-Disposition": f'attachment; filename="pincodes-{name}.pdf"'})

    return handler


class RedactingAccessLogger(AccessLogger):
    """The standard access log, but a download link's token (a 10-minute capability to a
    group's pincodes) is never written down."""

    def log(self, request, response, time: float) -> None:
        if request.path.startswith(PINCODE_PATH):
            request = request.clone(rel_url=PINCODE_PATH + "REDACTED")
        super().log(request, response, time)


def _refusal(status: int, message: str) -> web.Response:
    return web.Response(status=status, text=message, content_type="text/plain", charset="utf-8",
                        headers=PRIVATE)
