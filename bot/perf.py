"""Start-up fix for msrest's per-client retry policy cost (DESIGN.md §5)."""

from __future__ import annotations

from msrest.universal_http.requests import ClientRetryPolicy


def apply_msrest_fix() -> None:
    """Make ClientRetryPolicy.safe_codes a frozenset.

    CloudAdapter builds a ConnectorClient and a UserTokenClient for every incoming activity;
    each builds a ClientRetryPolicy, whose `i not in self.safe_codes` scans a 500-item list a
    thousand times. With a frozenset the same membership test is O(1).
    """
    if not isinstance(ClientRetryPolicy.safe_codes, frozenset):
        ClientRetryPolicy.safe_codes = frozenset(ClientRetryPolicy.safe_codes)
