"""Action and input ids of the helpdesk handoff ('Verkeerd kind gekoppeld?', 'Mijn meldingen')."""

TICKETS = "helpdesk.tickets"  # 'Mijn meldingen': the school's tickets
TICKET_FORM = "ticket.form"  # the wrong child, the reason, where to find the intended child
TICKET_INTENDED = "ticket.intended"  # the intended child picked from one group
INPUT_WRONG = "wrong_child"
INPUT_GROUP = "intended_group"
INPUT_INTENDED = "intended_child"
INPUT_REASON = "reason"
NO_GROUP = "none"

# The helpdesk channel's Action.Execute verbs and their data key.
VERB_EXECUTE = "helpdesk.execute"
VERB_REJECT = "helpdesk.reject"
KEY_TICKET = "ticket_id"
