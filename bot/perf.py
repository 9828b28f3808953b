"""Start-up measures for the speed of a turn: msrest's per-client retry policy cost (DESIGN.md
§5), and the garbage collector's pauses."""

from __future__ import annotations

import gc

from msrest.universal_http.requests import ClientRetryPolicy


def apply_msrest_fix() -> None:
    """Make ClientRetryPolicy.safe_codes a frozenset.

    CloudAdapter builds a ConnectorClient and a UserTokenClient for every incoming activity;
    each builds a ClientRetryPolicy, whose `i not in self.safe_codes` scans a 500-item list a
    thousand times. With a frozenset the same membership test is O(1).
    """
    if not isinstance(ClientRetryPolicy.safe_codes, frozenset):
        ClientRetryPolicy.safe_codes = frozenset(ClientRetryPolicy.safe_codes)


async def freeze_heap(_app: object = None) -> None:
    """After start-up (an aiohttp on_startup handler of `serve`): everything alive then, the
    modules of botbuilder, SQLAlchemy and msrest and the app itself, about 180,000 objects,
    leaves the collector's reach. A full collection otherwise walks them all, every second or
    so under load: a pause of 50-70 ms that every turn in flight waits for; after this, 3 ms.
    Not in tests, which build many apps in one process: frozen objects are never collected."""
    gc.collect()
    gc.freeze()
