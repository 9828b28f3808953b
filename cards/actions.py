"""Action ids carried in every Action.Submit's data, and the input ids shared with dialogs."""

# Navigation: stateless, carry the ids they act on, may arrive at any time.
MENU = "menu"
HELP = "help"
SCHOOL_PICK = "school.pick"
SCHOOL_SET = "school.set"
LANGUAGE = "language"
LANGUAGE_SET = "language.set"
FEATURE = "feature"  # a menu item whose capability is not built yet
LICENCES = "licences"
LINK_START = "link.start"
UNLINK_START = "unlink.start"
SCHOOL_HOME = "school.home"
SCHOOL_GROUPS = "school.groups"
SCHOOL_GROUP = "school.group"
SCHOOL_COORDINATORS = "school.coordinators"
SCHOOL_TEACHERS = "school.teachers"
SCHOOL_PUPILS = "school.pupils"

# --- navigation actions of issue 3 (licence tasks) ---
# --- navigation actions of issue 4 (pincodes) ---
# --- navigation actions of issue 5 (result exchange) ---

NAVIGATION = frozenset(
    {
        MENU, HELP, SCHOOL_PICK, SCHOOL_SET, LANGUAGE, LANGUAGE_SET, FEATURE, LICENCES,
        LINK_START, UNLINK_START, SCHOOL_HOME, SCHOOL_GROUPS, SCHOOL_GROUP,
        SCHOOL_COORDINATORS, SCHOOL_TEACHERS, SCHOOL_PUPILS,
        # --- issue 3 ---
        # --- issue 4 ---
        # --- issue 5 ---
    }
)

# Steps: answer the card a running dialog is waiting for; carry that dialog's flow token.
GROUPS_CHOSEN = "link.groups"
CONFIRM = "confirm"
CANCEL = "cancel"

# Data keys and input ids.
KEY_ACTION = "action"
KEY_FLOW = "flow"
KEY_SCHOOL = "school_id"
KEY_LICENCE = "licence_id"
KEY_GROUP = "group_id"
KEY_FEATURE = "feature"
KEY_LANGUAGE = "language"
KEY_PAGE = "page"
INPUT_GROUPS = "group_ids"
INPUT_QUERY = "query"

# Menu features that are not built yet (the menu says so instead of offering a broken button).
FEATURE_CHILDREN = "children"
FEATURE_CHILD_LICENCES = "child_licences"
FEATURE_PINCODES = "pincodes"
FEATURE_EXCHANGE = "exchange"
FEATURE_CHANGES = "changes"
