"""Action ids and input ids every task shares. Each task's own ids are in the module of this
package named after it; which actions are navigation, and which view handles each, the dialogs
declare (dialogs/registry.py)."""

# Views of every conversation: stateless, carry the ids they act on, may arrive at any time.
MENU = "menu"
HELP = "help"
SCHOOL_PICK = "school.pick"
SCHOOL_SET = "school.set"
LANGUAGE = "language"
LANGUAGE_SET = "language.set"

# Steps: answer the card a running dialog is waiting for; carry that dialog's flow token.
CONFIRM = "confirm"
CANCEL = "cancel"
GROUP_CHOSEN = "pick.group"  # a group picked on a card (child picker, typed link shortcut)

# Data keys and input ids.
KEY_ACTION = "action"
KEY_FLOW = "flow"
KEY_SCHOOL = "school_id"
KEY_LICENCE = "licence_id"
KEY_GROUP = "group_id"
KEY_LANGUAGE = "language"
KEY_PAGE = "page"
INPUT_QUERY = "query"
