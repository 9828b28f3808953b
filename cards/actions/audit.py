"""Action id of 'Recente wijzigingen' (the school's audit trail)."""

RECENT_CHANGES = "audit.recent"
