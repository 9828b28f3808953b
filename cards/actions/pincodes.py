"""Action and input ids of 'Pincodes': view, hide, change, login mode, print."""

PINCODES = "pincodes"  # pick a group (or the typed one)
PINCODE_GROUP = "pincodes.group"  # a group's pupils, codes hidden
PINCODES_SHOW = "pincodes.show"  # Action.Execute verb (and its Action.Submit fallback)
PINCODES_HIDE = "pincodes.hide"  # Action.Execute verb (and its Action.Submit fallback)
PINCODE_NEW_HIDE = "pincode.hide_new"  # hide a just-changed code (Action.Execute)
PINCODE_CHANGE = "pincode.change"  # starts the 'Wijzig pincode' flow
PINCODE_MODE = "pincodes.mode"  # starts the 'Inlogmethode' flow
PINCODE_PRINT = "pincodes.print"  # a signed link to the group's PDF
PINCODE_SAVE = "pincode.save"
PINCODE_GENERATE = "pincode.generate"
KEY_PUPIL = "person_id"
KEY_GROUP_QUERY = "group_name"
INPUT_PINCODE = "new_code"
INPUT_PICTURE = "picture_{}"  # picture_1 .. picture_4
