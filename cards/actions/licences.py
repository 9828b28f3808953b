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
