"""Per-user and per-client rate limits: a moving window in memory, per process.

A coördinator clicks and types a few times a minute; a script sends hundreds. Over the limit
a message gets a polite Dutch answer and nothing else happens: no database work, no state.
The window is per process, which is what it protects (this process's loop and database).
Rates are written as the `limits` library reads them ('40/minute'); the window itself is kept
here, because that library's memory storage starts an expiry thread on the hit path (half a
millisecond of every turn).
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable

from limits import parse

MESSAGES = "40/minute"  # per Teams user (tenant + sender id)
DOWNLOADS = "20/minute"  # per client address, for the pincode download links


class MovingWindow:
    """At most `amount` hits per key in any `seconds`-long window (exact: each hit's time is
    kept until it leaves the window). Keys whose window emptied are forgotten now and then."""

    def __init__(self, amount: int, seconds: float,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.amount = amount
        self.seconds = seconds
        self._clock = clock
        self._hits: dict[tuple, deque[float]] = {}
        self._until_sweep = 4096

    def hit(self, *key: str) -> bool:
        """Count a hit for `key`; False (and not counted) when the window is full."""
        now = self._clock()
        start = now - self.seconds
        hits = self._hits.get(key)
        if hits is None:
            hits = self._hits[key] = deque()
        while hits and hits[0] <= start:
            hits.popleft()
        self._until_sweep -= 1
        if self._until_sweep <= 0:
            self._sweep(start)
        if len(hits) >= self.amount:
            return False
        hits.append(now)
        return True

    def _sweep(self, start: float) -> None:
        self._until_sweep = 4096
        for key in [k for k, hits in self._hits.items() if not hits or hits[-1] <= start]:
            del self._hits[key]


def window(rate: str) -> MovingWindow:
    item = parse(rate)
    return MovingWindow(item.amount, float(item.get_expiry()))


class RateLimits:
    def __init__(self, messages: str = MESSAGES, downloads: str = DOWNLOADS) -> None:
        self._messages = window(messages)
        self._downloads = window(downloads)

    def message(self, tenant: str | None, sender: str | None) -> bool:
        """Count one incoming activity of this user; False when over the limit."""
        return self._messages.hit(tenant or "-", sender or "-")

    def download(self, client: str | None) -> bool:
        """Count one download request from this address; False when over the limit."""
        return self._downloads.hit(client or "-")


def valid_rate(text: str) -> bool:
    """True for a limit the library reads, such as '40/minute' or '5 per second'."""
    try:
        parse(text)
    except ValueError:
        return False
    return True
