"""English texts (for users who choose English)."""

CATALOG: dict[str, str | dict[str, str]] = {
    # general
    "common.menu": "Menu",
    "common.back": "Back",
    "common.cancel": "Cancel",
    "cancelled.title": "Cancelled",
    "cancelled.text": "Nothing was changed.",
    "stale.title": "This card has expired",
    "stale.text": "This button belongs to an earlier step that has already finished or was "
    "cancelled. Nothing was changed. Open the menu to start again.",
    # One change per click: the second of two clicks on one button.
    "step.already_done": "This was already done: the button had been pressed before. Nothing "
    "was changed again.",
    "step.wrong_card": "Choose one of the buttons on the latest card, or type 'menu' to start "
    "again. Nothing was changed.",
    "turn_error.text": "Sorry, something went wrong on my side. Nothing was half changed. Type "
    "'menu' to start again. If it keeps failing, call the helpdesk: 073 - 628 87 22.",
    "unknown.title": "I did not understand that",
    "unknown.secret": "That looked like a key or a code, so I will not repeat it. Paste an "
    "authorisation key into the field under 'Exchange results' → 'Add coupling'. Choose what "
    "you want to do below, or type 'help'.",
    "unknown.text": "I did not understand '{text}'. Choose what you want to do below, or type "
    "'help'.",
    # menu
    "menu.greeting": "Hello {name}!",
    "menu.intro": "I am Malmberg's admin bot. As ICT coordinator you manage your school's "
    "licences, pincodes and couplings here.",
    "menu.title": "What would you like to do?",
    "menu.school": "School: {school}",
    "menu.choose_school_intro": "You are ICT coordinator of {count} schools. Choose the school "
    "first; you can switch later with 'Other school'.",
    "menu.choose_school": "Choose a school",
    "menu.choose_school_error": "First choose the school you want to work on.",
    "menu.licences": "Link licences",
    "menu.children": "Children on licences",
    "menu.child_licences": "Child licences",
    "menu.pincodes": "Pincodes",
    "menu.exchange": "Exchange results",
    "menu.school_data": "School data",
    "menu.changes": "Changes",
    "menu.help": "Help",
    "menu.switch_school": "Other school",
    "menu.language": "Taal / Language",
    # -- helpdesk handoff: tickets for a wrongly assigned kindlicentie ---------------------------
    "helpdesk.number": "Ticket",
    "helpdesk.licence": "Licence",
    "helpdesk.wrong_child": "Wrongly assigned",
    "helpdesk.intended_child": "Intended child",
    "helpdesk.executed_title": "Ticket {number} was carried out",
    "helpdesk.executed_moved": "The helpdesk took {wrong} off {licence} and put {intended} on "
    "it.",
    "helpdesk.executed_skipped": "The helpdesk took {wrong} off {licence}. {intended} could not "
    "get the seat (no longer at school, or on it already); the seat is free.",
    "helpdesk.executed_freed": "The helpdesk took {wrong} off {licence}; the seat is free again.",
    "helpdesk.rejected_title": "Ticket {number} was declined",
    "helpdesk.rejected": "The helpdesk changed nothing. Reason: {reason}",
    "helpdesk.to_licence": "To {licence}",
    "ticket.intro": "A school cannot remove a per-child licence itself: the Malmberg helpdesk "
    "does it for you. Say which child is wrongly on {licence}, and why.",
    "ticket.wrong_label": "Which child is wrongly on it?",
    "ticket.wrong_error": "Choose the child that is wrongly on it.",
    "ticket.reason_label": "What is wrong? (briefly)",
    "ticket.reason_placeholder": "E.g. mixed up with a classmate",
    "ticket.group_label": "Should another child have had the seat? Then choose their group.",
    "ticket.no_intended": "No other child",
    "ticket.next": "Next",
    "ticket.intended_title": "Which child from {group}?",
    "ticket.intended_label": "The child who should have had the seat",
    "ticket.intended_error": "Choose a child.",
    "ticket.intended_none": "Every child of {group} is on this licence already.",
    "ticket.confirm_title": "Ticket for the helpdesk",
    "ticket.confirm_text": "The Malmberg helpdesk gets this ticket by e-mail. Until it has "
    "been carried out, the per-child licence stays as it is.",
    "ticket.reason": "Reason",
    "ticket.send": "Send ticket",
    "ticket.sent_title": "Ticket {number} was made",
    "ticket.sent_text": "The Malmberg helpdesk gets your ticket by e-mail and looks at it. As "
    "soon as it is carried out or declined, you hear it here. 'My tickets' shows where it "
    "stands.",
    "ticket.sent_contact": "In a hurry, or a question? Mention your ticket's number.",
    "ticket.call": "Call the helpdesk ({phone})",
    "ticket.mail": "Mail {email}",
    "ticket.my_tickets": "My tickets",
    "ticket.none": "Your school has no tickets yet.",
    "ticket.line": "{wrong} on {licence}, reported on {date}",
    "ticket.status.open": "open",
    "ticket.status.executed": "carried out",
    "ticket.status.rejected": "declined",
    "ticket.status.rejected_with": "declined: {reason}",
    "channel.title": "Ticket {number}: per-child licence",
    "channel.reject_label": "Reason when declining (the ICT coordinator reads this)",
    "channel.reject_placeholder": "E.g. the child is rightly on it",
    "channel.execute": "Carry out",
    "channel.reject": "Decline",
    "channel.executed": "Carried out by {name}. The ICT coordinator has been told.",
    "channel.rejected": "Declined by {name}: {reason}. The ICT coordinator has been told.",
    "channel.handled": "This ticket was handled already; nothing changed.",
    "channel.registered": "This channel receives the per-child licence tickets from now on.",
    "channel.hint": "Mention me here with 'helpdesk' to have this channel receive the "
    "per-child licence tickets.",
    "mail.subject": "Ticket {number}: per-child licence {school} ({brin} {vestiging})",
    "mail.intro": "An ICT coordinator reports a wrongly assigned per-child licence.",
    "mail.school": "School",
    "mail.by": "Reported by",
    "mail.how": "Carry it out or decline it in the helpdesk channel in Teams, or with: beheerbot "
    "helpdesk uitvoeren {number} --agent <your Entra id> (decline: beheerbot helpdesk afwijzen "
    "{number} --agent <your Entra id> --reden \"...\"). The bot applies the correction and "
    "tells the ICT coordinator.",
    # -- the nightly sync: the morning summary and 'Wijzigingen' --------------------------------
    "notify.title": "Changes from Basispoort",
    "notify.school": "School: {school}",
    "notify.open_heading": {"one": "1 link still to make",
                           "other": "{count} links still to make"},
    "notify.open_line": "{group} has no licence for {licence} yet.",
    "notify.link_button": "{group} → {licence}",
    "notify.link_button_full": "Link {group} to {licence}",
    "notify.auto_heading": {"one": "1 group linked automatically",
                           "other": "{count} groups linked automatically"},
    "notify.auto_line": "{group} is linked to {licence}, like the other groups of that year.",
    "notify.undo_button": "Unlink {group} → {licence}",
    "notify.undo_button_full": "Unlink {group} from {licence}",
    "notify.more": {"one": "And 1 more: see 'View changes'.",
                   "other": "And {count} more: see 'View changes'."},
    "notify.reminder_heading": "Remember the new pupils",
    "notify.reminder.digitaal": "{child} is new in {group}. The teacher ({teachers}) starts "
    "the current lesson week in {product} for this child.",
    "notify.reminder.papier": "{child} is new in {group}. The teacher ({teachers}) starts the "
    "current block or theme in {product} for this child.",
    "notify.reminder.oefensoftware": "{child} is new in {group}. The teacher ({teachers}) sets "
    "up the current block in {product} for this child.",
    "notify.view_changes": "View changes",
    "changes.title": "Changes from Basispoort",
    "changes.run_at": "{date} at {time}",
    "changes.run_title": "Changes of {date}",
    "changes.open_run": "View {date}",
    "changes.none": "No changes have come in yet.",
    "changes.nothing": "This delivery changed nothing.",
    "changes.rejected": "This delivery was not in order and was not processed. Malmberg knows; "
    "your data is unchanged.",
    "changes.first_delivery": "Your school's first delivery.",
    "changes.links_only": "Only links or reminders.",
    "changes.and_more": " and more",
    "changes.page": "Page {page} of {pages}",
    "changes.all_runs": "All changes",
    "changes.kind.group_added": {"one": "1 new group",
                                "other": "{count} new groups"},
    "changes.kind.group_removed": {"one": "1 group gone",
                                  "other": "{count} groups gone"},
    "changes.kind.group_renamed": {"one": "1 group renamed",
                                  "other": "{count} groups renamed"},
    "changes.kind.group_levels": {"one": "1 group in another year",
                                 "other": "{count} groups in another year"},
    "changes.kind.pupil_added": {"one": "1 new pupil",
                                "other": "{count} new pupils"},
    "changes.kind.pupil_left": {"one": "1 pupil left",
                               "other": "{count} pupils left"},
    "changes.kind.pupil_moved": {"one": "1 pupil moved to another group",
                                "other": "{count} pupils moved to another group"},
    "changes.kind.teacher_added": {"one": "1 new teacher",
                                  "other": "{count} new teachers"},
    "changes.kind.teacher_left": {"one": "1 teacher left",
                                 "other": "{count} teachers left"},
    "changes.kind.teacher_groups": {"one": "1 teacher with other groups",
                                   "other": "{count} teachers with other groups"},
    "changes.kind.coordinator_added": {"one": "1 new ICT coordinator",
                                      "other": "{count} new ICT coordinators"},
    "changes.kind.coordinator_removed": {"one": "1 ICT coordinator fewer",
                                        "other": "{count} fewer ICT coordinators"},
    "changes.kind.link_ended": {"one": "1 link ended",
                               "other": "{count} links ended"},
    "changes.kind.auto_linked": {"one": "1 automatic link",
                                "other": "{count} automatic links"},
    "changes.kind.reminder": {"one": "1 reminder for a teacher",
                             "other": "{count} reminders for teachers"},
    "changes.line.group_added": "{subject} (year {levels})",
    "changes.line.group_removed": "{subject}",
    "changes.line.group_renamed": "{previous} is now called {subject}",
    "changes.line.group_levels": "{subject}: year {previous} became {levels}",
    "changes.line.pupil_added": "{subject} in {group}",
    "changes.line.pupil_left": "{subject}",
    "changes.line.pupil_moved": "{subject}: from {previous} to {group}",
    "changes.line.pupil_moved_in": "{subject}: to {group}",
    "changes.line.teacher_added": "{subject}",
    "changes.line.teacher_left": "{subject}",
    "changes.line.teacher_groups_added": "added {groups}",
    "changes.line.teacher_groups_removed": "no longer {groups}",
    "changes.line.coordinator_added": "{subject}",
    "changes.line.coordinator_removed": "{subject}",
    "changes.line.link_ended": "{subject} no longer on {licence} (the group is gone)",
    "changes.line.auto_linked": "{subject} to {licence}",
    "changes.line.reminder": "{subject} in {group}: {product}",
    # school picker, language
    "school_pick.title": "Choose a school",
    "school_pick.intro": "You are ICT coordinator of several schools. Which school do you want "
    "to work on? You can switch later from the menu.",
    "language.title": "Taal / Language",
    "language.intro": "In welke taal wil je de beheerbot gebruiken? / Which language do you want?",
    # help
    "help.title": "Help",
    "help.intro": "With this bot you, as ICT coordinator, manage Malmberg's digital programmes "
    "for your school.",
    "help.tasks": "- **Link licences**: link groups to group licences, also automatically\n"
    "- **Children on licences**: add a child of another group to a group licence\n"
    "- **Child licences**: give children a per-child licence; you see how many are still free\n"
    "- **Pincodes**: view, change and print a group's pincodes, and choose between pictures "
    "and digits\n"
    "- **Exchange results**: add, replace or remove the coupling with your school's LVS "
    "(ParnasSys, Momento, Easyrapport)\n"
    "- **School data**: view your school, groups, teachers and pupils\n\n"
    "Type for example **link group 5b to Staal**, **children on Taal actief**, "
    "**child licences**, **pincodes groep 4**, **pupil Sanne de Vries** or **topography**. "
    "Type **menu** for the menu and **help** for this page.",
    "help.helpdesk": "Malmberg helpdesk",
    "help.phone": "Phone",
    "help.email": "E-mail",
    "help.page": "Help page",
    "help.open_page": "Open help page",
    "help.las": "Users and groups are managed in your school administration system (e.g. "
    "ParnasSys or ESIS). Changes arrive at night through Basispoort.",
    # LAS / Basispoort
    "las.title": "That is done in your administration system",
    "las.text": "Creating users and moving pupils to another group is done in your school's "
    "administration system (e.g. ParnasSys or ESIS), not here. Basispoort passes the change to "
    "Malmberg at night: tomorrow you will see it here and can continue.",
    # refusals
    "refusal.title": "This bot is for ICT coordinators",
    "refusal.staff": "This bot is only for ICT coordinators. Ask your ICT coordinator for help "
    "with licences or pincodes:",
    "refusal.school_line": "**{school}**: {names}",
    "refusal.no_coordinator": "no ICT coordinator known yet",
    "refusal.unknown": "This bot is for ICT coordinators of schools that work with Malmberg. I "
    "do not know you as an ICT coordinator (yet). If you are one, your school must give you that "
    "role in its administration system; it arrives here through Basispoort the next day.",
    "refusal.tenant": "This bot is not available for your organisation.",
    "refusal.helpdesk": "Questions? Malmberg helpdesk: {phone}, {email}.",
    # errors
    "error.title": "That did not work",
    "error.nothing_changed": "Nothing was changed.",
    # Rate limits: too many messages or downloads in a short time.
    "error.too_many_messages": "You are sending many messages in a short time. Wait a minute "
    "and try again. Nothing was changed.",
    "error.unexpected": "Something unexpected went wrong.",
    "error.not_allowed": "You are not ICT coordinator of this school, or this belongs to "
    "another school.",
    "error.not_found": "This does not exist (any more).",
    "error.invalid_input": "This input is not valid.",
    "error.conflict": "This clashes with the current data.",
    "error.invalid_field": "Something in the card is missing or wrong ({field}). Open the menu "
    "and try again.",
    "error.nothing_chosen": "You did not choose anything.",
    "error.school_not_found": "This school does not exist (any more).",
    "error.reason_missing": "Briefly say why: the helpdesk needs a reason.",
    "error.reason_too_long": "The reason is too long: at most {max} characters.",
    "error.intended_not_pupil": "The intended child is not a pupil of this school (or is the "
    "same child).",
    "error.intended_has_seat": "{name} is on this licence already.",
    "error.ticket_not_found": "This ticket does not exist (any more).",
    "error.no_children_assigned": "No children are on this per-child licence yet.",
    "error.not_an_agent": "Only Malmberg helpdesk staff may handle tickets.",
    "error.person_not_found": "There is no active person with this e-mail address.",
    "error.run_not_found": "This synchronisation does not exist (any more).",
    "error.group_not_found": "This group does not exist (any more). It may have been changed or "
    "removed through Basispoort last night.",
    "error.licence_not_found": "This licence does not exist (any more).",
    "error.already_linked": "These groups are already linked to the licence.",
    "error.not_linked": "{group} is not linked to this licence.",
    "error.query_too_long": "Your search is too long (at most {limit} characters).",
    # link licences
    "licence.auto": "linked automatically",
    "licence.manual": "linked by hand",
    "licences.title": "Link licences",
    "licences.intro": "Group licences of {school} for school year {year}. Every user of a "
    "linked group gets access.",
    "licences.none": "Your school has no group licences for {year}.",
    "licences.count": {"one": "{count} group linked", "other": "{count} groups linked"},
    "licences.no_groups": "No group linked yet",
    # licence list: by method, paged, buttons that name what they act on
    "licences.attention": {"one": "{count} licence without a group",
                           "other": "{count} licences without a group"},
    "licences.all_linked": "Every licence has a group.",
    "licences.link_named": "Link {licence}",
    "licences.unlink_named": "Unlink {group} from {licence}",
    "licences.children_named": "Other children: {licence}",
    "licences.page": "Page {page} of {pages}",
    "licences.back": "To the licences",
    "link.title": "Link groups",
    "link.already": "Already linked: {groups}",
    "link.no_groups": "Every group of your school is already linked to this licence.",
    "link.fits": "fits this licence",
    "link.choose": "Which groups do you want to link?",
    "link.choose_error": "Choose at least one group.",
    "link.next": "Next",
    "link.confirm_title": "Is this right?",
    "link.confirm_text": "You are linking **{groups}** to **{licence}**. All pupils and "
    "teachers of these groups will get access.",
    "link.misfit": "Note: {groups} does not match the year level of this licence.",
    "link.confirm": "Link",
    "link.done_title": "Linked",
    "link.done": "{groups} is linked to {licence}.",
    "link.was_linked": "Already linked: {groups}.",
    "link.now_linked": "Now linked",
    "unlink.confirm_title": "Unlink group?",
    "unlink.confirm_text": "You are unlinking **{group}** from **{licence}**.",
    "unlink.consequence": "Pupils and teachers of this group will no longer have access "
    "through this licence.",
    "unlink.confirm": "Unlink",
    "unlink.done_title": "Unlinked",
    "unlink.done": "{group} is unlinked from {licence}.",
    "unlink.was_not_linked": "{group} was not linked (any more). Nothing was changed.",
    # school data
    "school.title": "School data",
    "school.name": "Name",
    "school.brin": "BRIN",
    "school.vestiging": "Location",
    "school.city": "City",
    "school.year": "School year",
    "school.groups": "Groups",
    "school.teachers": "Teachers",
    "school.pupils": "Pupils",
    "school.las_note": "These data come from your administration system through Basispoort. "
    "Change them there; you will see the change here the next day.",
    "school.tab_home": "Home",
    "school.tab_groups": "Groups",
    "school.tab_coordinators": "ICT coordinators",
    "school.tab_teachers": "Teachers",
    "school.tab_pupils": "Pupils",
    "school.no_groups": "Your school has no groups yet.",
    "school.group_line": "{pupils} pupils · {teachers}",
    "school.no_teacher": "no teacher",
    "school.open": "View",
    "school.group_teachers": "Teachers",
    "school.group_pupils": "Pupils ({count})",
    "school.no_pupils": "No pupils.",
    "school.missing_hint": "Missing a pupil or group? Changes from the administration system "
    "arrive at night through Basispoort: tomorrow they will be here.",
    "school.no_teachers": "No teachers found.",
    "school.no_group": "no group",
    "school.search_label": "Search a pupil by name",
    "school.search_placeholder": "e.g. Sanne de Vries",
    "school.search": "Search",
    "school.search_result": {"one": "{count} pupil found for '{query}'.",
                             "other": "{count} pupils found for '{query}'."},
    "school.no_pupils_found": "No pupil found with that name.",
    "school.page": "Page {page} of {pages} ({total} pupils)",
    "school.previous": "Previous",
    "school.next": "Next",
    # --- licence tasks: children, kindlicenties, auto-linking, shortcuts ---
    "levels.range": "{first} to {last}",
    "licences.autolink": "Link automatically",
    # children on group licences
    "children.title": "Children on licences",
    "children.title_product": "Children on {product}",
    "children.intro": "Group licences of {school} for school year {year}. Since school year "
    "2022-2023 you can also add a child of another group to a group licence.",
    "children.with_children": "With children of other groups",
    "children.count": {"one": "{count} child", "other": "{count} children"},
    "children.choose": "Choose a licence",
    "children.more": {"one": "And 1 more licence. Type for example 'children on Pluspunt'.",
                      "other": "And {count} more licences. Type for example 'children on "
                      "Pluspunt'."},
    "children.tab": "Linked children",
    "children.groups": "Linked groups: {groups}",
    "children.no_groups": "none yet",
    "children.none": "No children of other groups have been added to this licence yet.",
    "children.added_by": "{group} · added by {name}",
    "children.page": "Page {page} of {pages} ({total} children)",
    "children.add": "Add child",
    "children.back": "To children on licences",
    "children.to_tab": "To linked children",
    "children.remove": "Remove",
    "children.confirm_title": "Is this right?",
    "children.confirm_text": "You add **{children}** to **{licence}**.",
    "children.confirm_note": "These children keep their own group and also get access through "
    "this licence.",
    "children.confirm": "Add",
    "children.done_title": "Added",
    "children.done": {"one": "{children} is now on {licence}.",
                      "other": "{children} are now on {licence}."},
    "children.remove_title": "Remove child?",
    "children.remove_text": "You take **{child}** off **{licence}**.",
    "children.remove_note": "The child then no longer has access through this licence (it keeps "
    "the licences of its own group).",
    "children.removed_title": "Removed",
    "children.removed": "{child} is no longer on {licence}.",
    "children.was_not_on": "{child} was not on this licence (any more). Nothing was changed.",
    # picking a child (children on licences and child licences)
    "pick.title": "Add child",
    "pick.choose_group": "Choose the child's group:",
    "pick.search_school": "Or search the child by name in the whole school",
    "pick.no_groups": "There is no group to choose a child from: every group is linked to this "
    "licence already.",
    "pick.group_or_name": "Choose a group or type (part of) the child's name.",
    "pick.children_title": "Choose the children",
    "pick.in_group": "From {group}",
    "pick.in_school": "Children of the whole school with '{query}' in their name",
    "pick.already_on": {"one": "{count} child from here is on this licence already and is not "
                        "shown.",
                        "other": "{count} children from here are on this licence already and "
                        "are not shown."},
    "pick.choose_children": "Which children? You can choose several.",
    "pick.nothing_chosen": "Choose at least one child.",
    "pick.page": "Page {page} of {pages} ({total} children). Your choice applies to this page.",
    "pick.none_found": "There is no child here that you can still add.",
    "pick.search_label": "Search by name",
    "pick.other_group": "Other group",
    # reminder (rule 7)
    "reminder.title": "Note: tell the teacher",
    "reminder.digitaal": "Adding a child during a lesson week? Then the teacher must start the "
    "running lesson week in {product} for that child (Basis digitaal).",
    "reminder.papier": "Adding a child during a block or theme? Then the teacher must start the "
    "running block or theme in {product} for that child (Basis papier).",
    "reminder.oefensoftware": "Adding a child during a block or theme? Then the teacher must "
    "start the running block or theme in {product} for that child (practice software).",
    "reminder.teacher_line": "{group} · teacher: {teachers}",
    "reminder.no_teacher": "no teacher known",
    # child licences
    "childlic.title": "Child licences",
    "childlic.intro": "Per-child licences of {school} for school year {year}.",
    "childlic.none": "Your school has no per-child licences for {year}.",
    "childlic.not_every_product": "Per-child licences are not available for every Malmberg "
    "product.",
    "childlic.free": "{free} of {seats} free",
    "childlic.open": "Open {licence}",
    "childlic.assigned": "Assigned children ({count})",
    "childlic.no_children": "No children have been assigned to this licence yet.",
    "childlic.no_children_found": "No assigned child found with that name.",
    "childlic.search_label": "Search an assigned child",
    "childlic.search_result": {"one": "{count} child found for '{query}'.",
                               "other": "{count} children found for '{query}'."},
    "childlic.full": "All licences are in use. Need more? Order them from Malmberg.",
    "childlic.no_undo_short": "You cannot unassign a child licence yourself.",
    "childlic.back": "To the child licences",
    "childlic.to_licence": "To the licence",
    "childlic.confirm_title": "Assign child licence?",
    "childlic.confirm_text": {"one": "You give {count} child a licence of **{licence}**:",
                               "other": "You give {count} children a licence of **{licence}**:"},
    "childlic.after": "Afterwards {free} of {seats} are still free.",
    "childlic.no_undo": "Note: this cannot be undone. Only the Malmberg helpdesk can unassign a "
    "wrongly assigned child ({phone}).",
    "childlic.confirm": "Assign",
    "childlic.done_title": "Assigned",
    "childlic.done": {"one": "{children} now has a licence of {licence}.",
                       "other": "{children} now have a licence of {licence}."},
    "childlic.wrong": "Wrong child assigned?",
    "childlic.wrong_text": "A school cannot unassign a child licence itself. Did you assign the "
    "wrong pupil by mistake? Contact the Malmberg helpdesk: they will put it right.",
    "childlic.wrong_licence": "Licence",
    "childlic.wrong_child": "Child",
    "childlic.wrong_tell": "Mention the licence, the child that was assigned by mistake and the "
    "child that should have had the licence.",
    # automatic linking (rule 5)
    "autolink.title": "Link automatically",
    "autolink.intro": "I link every group that has no licence of a method yet to the group "
    "licence of {year} that exactly fits its year. Doubtful cases are left to you.",
    "autolink.will_link": {"one": "I make this link automatically:",
                           "other": "I make these {count} links automatically:"},
    "autolink.nothing": "There is nothing left that I can link automatically.",
    "autolink.suggestions": "Choose yourself",
    "autolink.choose_intro": "These groups fit more than one licence. Choose for each group "
    "which licence it gets, or leave 'Do not link'. 'Link' makes all of it at once.",
    "autolink.choice_label": "{group}: which licence of {product}?",
    "autolink.skip": "Do not link",
    "autolink.suggestion": "{group} fits {licences}.",
    "autolink.and": "{first} and {last}",
    "autolink.more": {"one": "And 1 more group to choose for: it comes in the next proposal.",
                      "other": "And {count} more groups to choose for: they come in the next "
                      "proposal."},
    "autolink.more_links": {"one": "And 1 more link.", "other": "And {count} more links."},
    "autolink.confirm": "Link",
    "autolink.done_title": "Linked automatically",
    "autolink.done": {"one": "{count} link made:", "other": "{count} links made:"},
    "autolink.none_made": "Nothing was linked: you chose no licence for any group.",
    "autolink.left": {"one": "Still to choose (1 group)",
                      "other": "Still to choose ({count} groups)"},
    "autolink.new_proposal": "New proposal",
    "autolink.choose_rest": {"one": "Choose for the remaining group",
                             "other": "Choose for the remaining {count} groups"},
    # topography (rule 9)
    "topography.title": "Topography",
    "topography.button": "Topography",
    "topography.hint": "Licences for the topography software are not listed here.",
    "topography.text": "Licences for Malmberg's topography software are not managed here, nor in "
    "Malmberg's online licence administration. As ICT coordinator you receive separate login "
    "details by e-mail for managing this software.",
    "topography.helpdesk": "No login details received? Call the helpdesk ({phone}) or e-mail "
    "{email}.",
    # typed shortcuts
    "shortcut.not_found_title": "I could not find that",
    "shortcut.understood_link": "I understood: link group '{group}' to '{product}'.",
    "shortcut.understood_children": "I understood: children on '{product}'.",
    "shortcut.no_group": "I found no group '{group}' at your school. Missing a group? New groups "
    "arrive at night through Basispoort.",
    "shortcut.no_product": "I found no method '{product}' among this school year's group "
    "licences. Your school has: {products}.",
    "shortcut.no_licence": "Your school has no group licence of {product} this school year.",
    "shortcut.which_group": "Which group do you mean?",
    "shortcut.which_licence": "Which licence of {product}?",
    "shortcut.licence_for": "For {group} (year {levels}):",
    "shortcut.none_fits": "None of these licences fits the year of {group}.",
    "pupil.title": "Pupil '{query}'",
    "pupil.none": "I found no pupil whose name looks like '{query}'.",
    "pupil.open_group": "View group",
    "pupil.no_licences": "No licences this school year.",
    "pupil.via_group": "{licence} (through the group)",
    "pupil.via_extra": "{licence} (child of another group)",
    "pupil.via_seat": "{licence} (child licence)",
    "pupil.more": {"one": "And 1 more pupil. Type a longer name.",
                   "other": "And {count} more pupils. Type a longer name."},
    # errors
    "error.child_not_found": "This child does not exist (any more). Perhaps it changed last "
    "night through Basispoort.",
    "error.child_other_school": "This child does not belong to this school. You can only add "
    "pupils of your own school.",
    "error.child_left": "{names} is no longer enrolled at your school.",
    "error.child_already_on": "{names} is on this licence already.",
    "error.child_has_access": "{name} is in {group}, which is linked to this licence already: the "
    "child has access already.",
    "error.child_not_on": "{name} is not on this licence (any more).",
    "error.child_already_assigned": "{names} already has a licence of this child licence.",
    "error.child_not_assigned": "This child has no licence of this child licence.",
    "error.not_enough_seats": {"one": "You chose 1 child, but none of the {seats} licences is "
                               "free. Order more licences.",
                               "other": "You chose {count} children, but only {free} of the "
                               "{seats} licences are free. Choose fewer children or order more "
                               "licences."},
    "error.extra_children_since": "Adding a child of another group is possible from school year "
    "{year} on.",
    "error.choose_group_or_name": "Choose a group or type (part of) the child's name.",
    "error.autolink_changed": "Something changed since this proposal: one of its groups has "
    "been linked or changed meanwhile. Choose 'Link automatically' again for a new proposal.",
    "error.no_free_seats": "All {seats} licences of this child licence are in use. Need more? "
    "Order them from Malmberg.",
    "shortcut.already_linked_title": "Already linked",
    "shortcut.already_linked": "{group} is already linked to {licence}. Nothing was changed.",
    # --- pincodes ---
    "pincodes.title": "Pincodes",
    "pincodes.pick_group": "Choose a group of {school} to see its pincodes.",
    "pincodes.no_match": "I cannot find a group '{query}'. Choose a group below.",
    "pincodes.several": "Several groups match '{query}'. Which one do you mean?",
    "pincodes.group_line": "{count} pupils · {mode}",
    "pincodes.mode_pictures": "pictures",
    "pincodes.mode_digits": "digit password",
    "pincodes.group_title": "Pincodes {group}",
    "pincodes.group_intro": "{school} · logs in with {mode}",
    "pincodes.hidden_note": "The pincodes are hidden. Choose 'Show pincodes' to see them.",
    "pincodes.shown_note": "The pincodes are visible. They leave this chat as soon as you move "
    "on, and after {minutes} minutes at most. Done? Choose 'Hide'.",
    "pincodes.no_code": "no pincode",
    "pincodes.unreadable": "unreadable: change this pincode",
    "pincodes.page": "Page {page} of {pages} ({total} pupils)",
    "pincodes.show": "Show pincodes",
    "pincodes.hide": "Hide",
    "pincodes.switch_mode": "Login method",
    "pincodes.print": "Print pincodes",
    "pincodes.other_group": "Other group",
    "pincodes.back_to_group": "Back to the group",
    "pincodes.mode_title": "Change the login method?",
    "pincodes.mode_text": "{group} now logs in with **{current}**. Do you want to switch to "
    "**{target}**?",
    "pincodes.mode_consequence": "All {count} pupils of the group then get a new pincode; the "
    "old pincodes stop working. Print the new pincodes afterwards.",
    "pincodes.mode_confirm": "Switch to {mode}",
    "pincodes.mode_done_title": "Login method changed",
    "pincodes.mode_done": "{group} now logs in with {mode}. {count} pupils have a new pincode.",
    "pincodes.mode_print_hint": "Print the new pincodes and hand them to the pupils.",
    "pincodes.print_title": "Print pincodes",
    "pincodes.print_ready": "The PDF with the pincodes of {group} ({count} pupils) is ready: one "
    "card per pupil to cut out.",
    "pincodes.print_expiry": "The link works for 10 minutes. Do not share it: anyone with the "
    "link sees the pincodes. Afterwards, ask for a new one here.",
    "pincodes.print_open": "Open the PDF",
    "pincode.change_title": "Change pincode",
    "pincode.change_intro": "**{pupil}** ({group}) logs in with {mode}.",
    "pincode.digits_label": "New pincode ({min} to {max} digits)",
    "pincode.digits_placeholder": "Type the new pincode",
    "pincode.digits_rules": "Not allowed: all the same digit (1111), a straight run (1234 or "
    "9876) and the current pincode. Or choose 'Make one up for me'.",
    "pincode.picture_label": "Picture {number}",
    "pincode.picture_placeholder": "Choose a picture",
    "pincode.pictures_rules": "Choose {count} different pictures, in the order the pupil clicks "
    "them. Or choose 'Make one up for me'.",
    "pincode.save": "Change pincode",
    "pincode.generate": "Make one up for me",
    "pincode.changed_title": "Pincode changed",
    "pincode.changed_shown": "The new pincode of **{pupil}** ({group}):",
    "pincode.changed_hide_hint": "Choose 'Hide' as soon as you have written the pincode down.",
    "pincode.changed_hidden": "The pincode of {pupil} ({group}) has been changed. You can see it "
    "again with 'Show pincodes' in the group.",
    "picture.appel": "apple",
    "picture.auto": "car",
    "picture.bal": "ball",
    "picture.bloem": "flower",
    "picture.boom": "tree",
    "picture.boot": "boat",
    "picture.hart": "heart",
    "picture.huis": "house",
    "picture.kroon": "crown",
    "picture.maan": "moon",
    "picture.paraplu": "umbrella",
    "picture.sleutel": "key",
    "picture.ster": "star",
    "picture.vis": "fish",
    "picture.wolk": "cloud",
    "picture.zon": "sun",
    "pdf.title": "Pincodes {group}",
    "pdf.header": "{school} · {group} · {count} pupils · cut along the dotted line",
    "pdf.code_digits": "Your pincode:",
    "pdf.code_pictures": "Click these pictures, in this order:",
    "pdf.no_code": "No pincode yet: ask your teacher.",
    "download.forbidden": "This link is not valid.",
    "download.too_many": "Too many downloads in a short time. Wait a minute and try again.",
    "download.expired": "This link has expired. Ask the admin bot for a new one in the chat.",
    "download.failed": "The PDF could not be made. Try again in a few minutes through the chat "
    "with the admin bot.",
    "error.pincode_empty": "Type a new pincode, or choose 'Make one up for me'.",
    "error.pincode_digits_only": "A digit password consists of digits (0 to 9) only.",
    "error.pincode_length": "A digit password has {min} to {max} digits.",
    "error.pincode_same_digit": "All digits are the same (like 1111). Such a pincode is too easy "
    "to guess.",
    "error.pincode_run": "This is a straight run of digits (like 1234 or 9876). Such a pincode "
    "is too easy to guess.",
    "error.pincode_current": "This is the pupil's current pincode. Choose another one.",
    "error.pincode_pictures_count": "Choose exactly {count} pictures.",
    "error.pincode_picture_unknown": "I do not know that picture. Choose pictures from the list.",
    "error.pincode_pictures_repeat": "Choose {count} different pictures: each picture may occur "
    "only once.",
    "error.pupil_not_found": "This pupil is not (or no longer) in {group}. Perhaps that changed "
    "last night through Basispoort.",
    "error.login_mode_same": "{group} already uses this login method.",
    "error.school_ambiguous": "This BRIN has several locations ({schools}): give the location "
    "number too.",
    "error.group_ambiguous": "Several groups match this name: {groups}.",
    "error.brin_format": "Give the school by its BRIN, e.g. 12AB, or with its location number: "
    "12AB00.",
    # --- result exchange / LVS ---
    "exchange.title": "Exchange results",
    "exchange.consent": "Test and observation results from Malmberg's Resultatenmonitor go "
    "automatically to your school's pupil monitoring system (LVS). Bingel sends practice "
    "results only, and only to Momento.",
    "exchange.consent_explicit": "This happens only with your school's explicit consent: a "
    "coupling below is that consent. Remove a coupling and the exchange stops and we erase the "
    "key.",
    "exchange.supported": "Couplings exist with ParnasSys, Momento and Easyrapport. Is your "
    "school's LVS not among them? Please contact the supplier of that LVS.",
    "exchange.none": "Your school has no coupling yet: no results are exchanged.",
    "exchange.status": "Status",
    "exchange.key": "Key",
    "exchange.since": "Since",
    "exchange.by": "By",
    "exchange.by_unknown": "unknown",
    "exchange.verified": "Checked",
    "exchange.grades": "Forward school grades",
    "exchange.on": "on",
    "exchange.off": "off",
    "exchange.key_unreadable": "unreadable: replace the key",
    "exchange.status.pending": "Waiting for the first exchange",
    "exchange.status.active": "Active",
    "exchange.status.rejected": "Key refused",
    "exchange.status.unreachable": "LVS not reachable",
    "exchange.hint.pending": "The key is saved. As soon as Malmberg exchanges results with "
    "{system} for the first time, you will see here whether the coupling works.",
    "exchange.hint.active": "{system} accepted the key. From now on new results go to {system} "
    "automatically.",
    "exchange.hint.rejected": "{system} refused the key. Check in {system} that the coupling with "
    "Malmberg is switched on and that you copied the whole key. Then choose 'Replace key'.",
    "exchange.hint.unreachable": "Malmberg could not reach {system} just now. We will try again "
    "automatically; you need not do anything.",
    "exchange.grades_note": "School grades: the grade boundaries are fixed by Malmberg per "
    "method, in consultation with the publisher, and cannot be changed. They therefore differ "
    "between methods. Observations get no school grade.",
    "exchange.grades_on": "Switch school grades on",
    "exchange.grades_off": "Switch school grades off",
    "exchange.replace": "Replace key",
    "exchange.remove": "Remove coupling",
    "exchange.recheck": "Check again",
    "exchange.add": "Add coupling",
    "exchange.back": "To exchange results",
    "exchange.step1_title": "Step 1: switch the coupling on in your LVS",
    "exchange.step1_general": "First switch on the automatic coupling with Malmberg in your "
    "school's pupil monitoring system. You then get an authorisation key. It is important to do "
    "this first!",
    "exchange.choose": "Which pupil monitoring system do you want to couple?",
    "exchange.step1.parnassys": "Switch on the automatic coupling with Malmberg in ParnasSys. "
    "ParnasSys then gives you an authorisation key. ParnasSys can help you further.",
    "exchange.step1.momento": "In Momento go to **Instellingen** (settings) and further down that "
    "page tick the consent for **Malmberg**. The authorisation key then appears at the top of the "
    "page.",
    "exchange.step1.easyrapport": "Switch on the automatic coupling with Malmberg in Easyrapport. "
    "Easyrapport then gives you an authorisation key. Easyrapport can help you further.",
    "exchange.bingel_note": "Note: Bingel sends only practice results to Momento.",
    "exchange.key_title": "Coupling with {system}",
    "exchange.step2": "Step 2: paste the authorisation key from {system} here and choose Save.",
    "exchange.paste_here": "Paste the key into the field below, not as a chat message: there it "
    "would stay readable.",
    "exchange.key_label": "Authorisation key",
    "exchange.key_placeholder": "Paste the key from your LVS here",
    "exchange.try_again": "Please try again.",
    "exchange.save": "Save",
    "exchange.replace_title": "Replace?",
    "exchange.replace_text": "Your school already has a coupling with {system} (key {masked}, "
    "status: {status}). Do you want to replace it with a new key? The old key is then erased.",
    "exchange.replace_confirm": "Replace",
    "exchange.replacing": "You are replacing the key of the coupling with {system}.",
    "exchange.saved_title": "Coupling saved",
    "exchange.replaced_title": "Key replaced",
    "exchange.saved": "The coupling with {system} is saved.",
    "exchange.replaced": "The new key for {system} is saved; the old one is erased.",
    "exchange.grades_title": "Forward school grades",
    "exchange.grades_now_on": "School grades are now forwarded to {system}.",
    "exchange.grades_now_off": "School grades are no longer forwarded to {system}.",
    "exchange.remove_title": "Remove coupling?",
    "exchange.remove_text": "You are removing the coupling with {system} (key {masked}). This "
    "withdraws the consent: the exchange of results with {system} stops and the authorisation "
    "key is erased.",
    "exchange.remove_note": "Also switch off the coupling with Malmberg in {system}. To couple "
    "again later you will need a (new) key from {system}.",
    "exchange.remove_confirm": "Remove",
    "exchange.removed_title": "Coupling removed",
    "exchange.removed": "The coupling with {system} is removed and the key is erased. No more "
    "results are sent to {system}.",
    "exchange.checked_title": "Status of the coupling",
    "error.lvs_key_empty": "You did not enter a key. Paste the authorisation key from your LVS "
    "into the field.",
    "error.lvs_key_too_short": "This key is too short ({length} characters, at least {minimum}). "
    "Copy the whole authorisation key from your LVS.",
    "error.lvs_key_too_long": "This key is too long ({length} characters, at most {limit}). Copy "
    "only the authorisation key, without the text around it.",
    "error.lvs_key_whitespace": "The key contains a space or a line break at position "
    "{position}. An authorisation key has no spaces: copy only the key itself.",
    "error.lvs_key_unprintable": "At position {position} there is an invisible or special "
    "character (such as an accented letter) that does not belong in an authorisation key. Copy "
    "the key from your LVS again.",
    "error.lvs_system_unknown": "Choose ParnasSys, Momento or Easyrapport.",
    "error.lvs_coupling_exists": "Your school already has a coupling with {system}. Do you want to "
    "replace the key? Then choose 'Replace key' at that coupling.",
    "error.lvs_coupling_not_found": "This coupling does not exist (any more). Perhaps someone "
    "else has just changed or removed it.",
    # Limits on what the bot reads and sends.
    "too_long.title": "That message is too long",
    "too_long.text": "Your message is {length} characters long; I only read short commands (up "
    "to {limit} characters), so I did nothing with it. Choose from the menu below, or type "
    "for example 'pincodes group 4'.",
    "card_too_big.title": "This does not fit in one message",
    "card_too_big.text": "Sorry, my answer grew too large to show in Teams, so I did not send "
    "it. Choose 'Menu' and look in the overview how things stand now, or call the helpdesk if "
    "this keeps happening.",
    # 'Recente wijzigingen': the school's audit trail.
    "menu.audit": "Recent changes",
    "audit.title": "Recent changes",
    "audit.intro": "Who did what for this school, newest first; refusals included.",
    "audit.none": "Nothing has been recorded for this school yet.",
    "audit.who_sync": "Basispoort (nightly delivery)",
    "audit.who_unknown": "Unknown user",
    "audit.where_this": "From this conversation",
    "audit.where_other": "From another conversation (…{tag})",
    "audit.where_none": "Outside Teams (administration or nightly delivery)",
    "audit.action_other": "Action '{action}'",
    "audit.refused": "Refused: {what}",
    "audit.pupils": {"one": "{count} pupil", "other": "{count} pupils"},
    "audit.more": {"one": "and {count} more", "other": "and {count} more"},
    "audit.action.link_groups": "Groups linked to a licence",
    "audit.action.unlink_group": "Group unlinked from a licence",
    "audit.action.auto_link": "Linked automatically",
    "audit.action.add_extra_children": "Children of another group added",
    "audit.action.remove_extra_child": "Child of another group removed",
    "audit.action.assign_children": "Children put on a child licence",
    "audit.action.change_pincode": "Pincode changed",
    "audit.action.switch_login_mode": "Login mode changed",
    "audit.action.reveal_pincodes": "Pincodes viewed",
    "audit.action.pincode_print_link": "Print link for pincodes made",
    "audit.action.print_pincodes": "Pincodes printed",
    "audit.action.issue_pincodes": "Pincodes issued",
    "audit.action.add_lvs_coupling": "Coupling with the LVS added",
    "audit.action.replace_lvs_coupling": "Key of the LVS coupling replaced",
    "audit.action.set_lvs_forward_grades": "Forwarding school grades changed",
    "audit.action.remove_lvs_coupling": "LVS coupling removed",
    "audit.action.verify_lvs_coupling": "LVS coupling checked",
    "audit.action.open_ticket": "Report sent to the helpdesk",
    "audit.action.execute_ticket": "Report carried out by the helpdesk",
    "audit.action.reject_ticket": "Report rejected by the helpdesk",
    "audit.action.sync_applied": "Basispoort delivery processed",
    "audit.action.assign_coordinator": "ICT coordinator added",
    "audit.action.set_entra_tenant": "The school's Entra tenant set",
    "audit.action.bot_refused": "Someone without access tried to use the bot",
    "audit.action.recent_changes": "Viewing recent changes",
    # --- pincodes: named buttons, codes hidden when the coördinator moves on ---
    "pincodes.change_pupil": "Change {name}",
    "pincodes.change_pupil_tooltip": "Change the pincode of {name}",
    # --- result exchange: what the real exchange of results did ---
    "exchange.active_since": "Active since",
    "exchange.last_exchange": "Last exchange",
    "exchange.last_exchange_none": "none yet",
    "exchange.results_sent": "Results sent",
    "exchange.results_queued": "Waiting to be sent",
    "exchange.results_aside": "Set aside",
    "exchange.hint.active_sent": {
        "one": "{system} accepted {count} result from Malmberg. From now on new results go to "
        "{system} automatically.",
        "other": "{system} accepted {count} results from Malmberg. From now on new results go to "
        "{system} automatically.",
    },
    "exchange.hint.rejected_school": "Is the key right? Then {system} may know your school under "
    "another BRIN number or location than Malmberg does ({brin}, location {vestiging}). Ask "
    "{system} or Malmberg's helpdesk.",
    "exchange.aside_title": "What {system} did not accept (the rest was sent):",
    "exchange.aside.Client.LeerlingOngeldig": {
        "one": "1 result: the pupil is not known in {system}. Is the pupil in the right group "
        "there?",
        "other": "{count} results: the pupil is not known in {system}. Are the pupils in the "
        "right group there?",
    },
    "exchange.aside.Client.ScoreOngeldig": {
        "one": "1 result: {system} does not accept the score.",
        "other": "{count} results: {system} does not accept the score.",
    },
    "exchange.aside.Client.ToetsNormeringOngeldig": {
        "one": "1 result: {system} does not accept the test's norm.",
        "other": "{count} results: {system} does not accept the test's norm.",
    },
    "exchange.aside.schema": {
        "one": "1 result: delivered incomplete by the Resultatenmonitor; Malmberg looks into it.",
        "other": "{count} results: delivered incomplete by the Resultatenmonitor; Malmberg looks "
        "into it.",
    },
    "exchange.aside.other": {
        "one": "1 result: refused by {system}.",
        "other": "{count} results: refused by {system}.",
    },
    "exchange.not_checked": "Nothing was checked just now: {system} checks the key only when "
    "Malmberg sends it results. That happens at night and right after new results arrive.",
    "exchange.not_checked_last": "Last exchange with {system}: {date}.",
    "exchange.not_checked_never": "No results have been exchanged with {system} yet.",
    "exchange.checked_now": "{system} was asked again whether it accepts the key.",
    "error.results_busy": "Other results are being read in just now. Try again in a moment.",
    # -- titles that say when, buttons that fit, facts that explain themselves ------------------
    "notify.title_at": "Changes from Basispoort of {when}",
    "notify.weekday.0": "Monday",
    "notify.weekday.1": "Tuesday",
    "notify.weekday.2": "Wednesday",
    "notify.weekday.3": "Thursday",
    "notify.weekday.4": "Friday",
    "notify.weekday.5": "Saturday",
    "notify.weekday.6": "Sunday",
    "licences.children_named_full": "Children of other groups on {licence}",
    "exchange.grades_meaning_on": "Forward school grades on: with a test result {system} also "
    "gets the school grade.",
    "exchange.grades_meaning_off": "Forward school grades off: {system} gets the test results "
    "without a school grade.",
}
