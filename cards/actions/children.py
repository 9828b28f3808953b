"""Action and input ids of 'Kinderen op licenties', and of picking children."""

CHILDREN = "children"  # 'Kinderen op licenties': the group licences
CHILDREN_LICENCE = "children.licence"  # tab 'Kinderen gekoppeld' of one group licence
CHILDREN_ADD = "children.add"  # starts 'Kind toevoegen' on a group licence
CHILDREN_REMOVE = "children.remove"  # starts removing a child of another group
SHORTCUT_CHILDREN = "shortcut.children"
CHILDREN_SEARCH = "pick.search"
CHILDREN_CHOSEN = "pick.children"
PICK_GROUPS = "pick.groups"
KEY_CHILD = "child_id"
INPUT_CHILDREN = "child_ids"
