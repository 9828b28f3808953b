"""Action ids of 'Wijzigingen' (the sync's runs) and of the notification's one-tap buttons."""

CHANGES = "changes"
CHANGES_RUN = "changes.run"
NOTIFY_LINK = "notify.link"  # 'Nu koppelen': link one group to one licence, after a confirmation
NOTIFY_UNDO = "notify.undo"  # 'Ongedaan maken' of a link the sync made
KEY_RUN = "run_id"
