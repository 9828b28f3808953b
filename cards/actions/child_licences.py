"""Action and input ids of 'Kindlicenties': per-child licences and their seats."""

CHILD_LICENCES = "childlic"  # 'Kindlicenties': the per-child licences
CHILD_LICENCE = "childlic.open"  # one per-child licence with its children
CHILD_ASSIGN = "childlic.assign"  # starts 'Kind toevoegen' on a per-child licence
CHILD_WRONG = "childlic.wrong"  # 'Verkeerd kind gekoppeld?': the helpdesk handoff entry point
