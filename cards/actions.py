"""Action ids carried in every Action.Submit's data, and the input ids shared with dialogs.
Which actions are navigation and which view handles each is declared in dialogs (registry)."""

# Views: stateless, carry the ids they act on, may arrive at any time.
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

# Licence tasks: children on licences, kindlicenties, automatic linking, topography.
CHILDREN = "children"  # 'Kinderen op licenties': the group licences
CHILDREN_LICENCE = "children.licence"  # tab 'Kinderen gekoppeld' of one group licence
CHILDREN_ADD = "children.add"  # starts 'Kind toevoegen' on a group licence
CHILDREN_REMOVE = "children.remove"  # starts removing a child of another group
CHILD_LICENCES = "childlic"  # 'Kindlicenties': the per-child licences
CHILD_LICENCE = "childlic.open"  # one per-child licence with its children
CHILD_ASSIGN = "childlic.assign"  # starts 'Kind toevoegen' on a per-child licence
CHILD_WRONG = "childlic.wrong"  # 'Verkeerd kind gekoppeld?': the helpdesk handoff entry point
AUTOLINK = "autolink"  # starts 'Automatisch koppelen'
TOPOGRAPHY = "topography"
# typed shortcuts (from services.intents, never on a card)
SHORTCUT_LINK = "shortcut.link"
SHORTCUT_CHILDREN = "shortcut.children"
SHORTCUT_PUPIL = "shortcut.pupil"
# their steps, data keys and input ids
GROUP_CHOSEN = "pick.group"
LICENCE_CHOSEN = "pick.licence"
CHILDREN_SEARCH = "pick.search"
CHILDREN_CHOSEN = "pick.children"
PICK_GROUPS = "pick.groups"
KEY_CHILD = "child_id"
INPUT_CHILDREN = "child_ids"
# Pincodes.
PINCODES = "pincodes"  # pick a group (or the typed one)
PINCODE_GROUP = "pincodes.group"  # a group's pupils, codes hidden
PINCODES_SHOW = "pincodes.show"  # Action.Execute verb (and its Action.Submit fallback)
PINCODES_HIDE = "pincodes.hide"  # Action.Execute verb (and its Action.Submit fallback)
PINCODE_NEW_HIDE = "pincode.hide_new"  # hide a just-changed code (Action.Execute)
PINCODE_CHANGE = "pincode.change"  # starts the 'Wijzig pincode' flow
PINCODE_MODE = "pincodes.mode"  # starts the 'Inlogmethode' flow
PINCODE_PRINT = "pincodes.print"  # a signed link to the group's PDF
# steps of the pincode flows, and their data keys / input ids
PINCODE_SAVE = "pincode.save"
PINCODE_GENERATE = "pincode.generate"
KEY_PUPIL = "person_id"
KEY_GROUP_QUERY = "group_name"
INPUT_PINCODE = "new_code"
INPUT_PICTURE = "picture_{}"  # picture_1 .. picture_4
# Result exchange.
EXCHANGE = "exchange"  # the school's couplings
EXCHANGE_ADD = "exchange.add"  # start 'Koppeling toevoegen' (optionally for one system)
EXCHANGE_GRADES = "exchange.grades"  # set 'schoolcijfers doorsturen' to a value
EXCHANGE_REMOVE = "exchange.remove"  # start 'Koppeling verwijderen' (asks first)
EXCHANGE_VERIFY = "exchange.verify"  # ask the LVS again
# its steps and data keys
EXCHANGE_SYSTEM_CHOSEN = "exchange.system"
EXCHANGE_KEY_SAVE = "exchange.save"
KEY_SYSTEM = "system"
KEY_COUPLING = "coupling_id"
KEY_VALUE = "value"
INPUT_LVS_KEY = "lvs_key"

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
FEATURE_CHANGES = "changes"
