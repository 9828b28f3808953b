"""Action and input ids of 'Resultaten uitwisselen': the school's LVS couplings."""

EXCHANGE = "exchange"  # the school's couplings
EXCHANGE_ADD = "exchange.add"  # start 'Koppeling toevoegen' (optionally for one system)
EXCHANGE_GRADES = "exchange.grades"  # set 'schoolcijfers doorsturen' to a value
EXCHANGE_REMOVE = "exchange.remove"  # start 'Koppeling verwijderen' (asks first)
EXCHANGE_VERIFY = "exchange.verify"  # ask the LVS again
EXCHANGE_SYSTEM_CHOSEN = "exchange.system"
EXCHANGE_KEY_SAVE = "exchange.save"
KEY_SYSTEM = "system"
KEY_COUPLING = "coupling_id"
KEY_VALUE = "value"
INPUT_LVS_KEY = "lvs_key"
