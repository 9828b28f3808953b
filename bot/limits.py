"""Per-user and per-client rate limits (the `limits` library, a moving window in memory).

A coördinator clicks and types a few times a minute; a script sends hundreds. Over the limit
a message gets a polite Dutch answer and nothing else happens: no database work, no state.
The window is per process, which is what it protects (this process's loop and database).
"""

from __future__ import annotations

from limits import parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

MESSAGES = "40/minute"  # per Teams user (tenant + sender id)
DOWNLOADS = "20/minute"  # per client address, for the pincode download links


class RateLimits:
    def __init__(self, messages: str = MESSAGES, downloads: str = DOWNLOADS) -> None:
        self._limiter = MovingWindowRateLimiter(MemoryStorage())
        self._messages = parse(messages)
        self._downloads = parse(downloads)

    def message(self, tenant: str | None, sender: str | None) -> bool:
        """Count one incoming activity of this user; False when over the limit."""
        return self._limiter.hit(self._messages, "bericht", tenant or "-", sender or "-")

    def download(self, client: str | None) -> bool:
        """Count one download request from this address; False when over the limit."""
        return self._limiter.hit(self._downloads, "download", client or "-")


def valid_rate(text: str) -> bool:
    """True for a limit the library reads, such as '40/minute' or '5 per second'."""
    try:
        parse(text)
    except ValueError:
        return False
    return True
