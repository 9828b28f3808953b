"""Action and input ids of 'Licenties koppelen': linking, automatic linking, topografie."""

LICENCES = "licences"
LINK_START = "link.start"
UNLINK_START = "unlink.start"
AUTOLINK = "autolink"  # starts 'Automatisch koppelen'
TOPOGRAPHY = "topography"
SHORTCUT_LINK = "shortcut.link"
GROUPS_CHOSEN = "link.groups"
LICENCE_CHOSEN = "pick.licence"
INPUT_GROUPS = "group_ids"
# 'Automatisch koppelen': one input per doubtful row of the proposal (prefix + row number),
# whose value is the chosen licence's id or AUTOLINK_SKIP.
INPUT_AUTOLINK_CHOICE = "autolink.row."
AUTOLINK_SKIP = "none"
